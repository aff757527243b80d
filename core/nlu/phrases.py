"""Title-like phrases the linker could not link with confidence ("I loved Blorptown Express",
"Harry Potter and the Goblet of Marmalade was great").

Such a phrase is never guessed: the policy hands it to the tools as it was written, and the
tools answer "not in the catalog" or "did you mean …?" (:meth:`tastebud.tools.Toolkit.lookup`),
the same answer an LLM backend gets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .lexicon import (DECADE_WORDS, WHEN_WORDS, ADVERBIAL_OPENERS, CREDIT_WORDS, GENRE_PARTS, FILLER_WORDS, FUNCTION_WORDS, ORDINALS, POSITION_WORDS, YEAR_WORDS,
                      SMALL_TITLE_WORDS)
from ..catalog import normalize_title
from .credits import credited_title
from .names import POLAR_CUES as _POLAR_CUES, named_as_such, plain_names, rare_word
from .people import person_name
from .places import FILM_NOUNS as _FILM_NOUNS, expected_after, expected_before, listed_after_title
from .spans import BREAKS, OPENERS, SUBJECT_FOLLOWERS, quoted_ranges, subject_end
from .text import ABBREVIATIONS, Token
from .titles import TitleMention

__all__ = ["title_phrases"]

_DECADE = re.compile(r"(?:18|19|20)?\d0'?s$")  # "90s", "1990s", "90's"
_DAY_WORDS = WHEN_WORDS - {"last", "once", "again"}  # "the heat today is …"; not "… the last sandwich"
_CREDIT_WORDS = CREDIT_WORDS | {"from"}  # in a run of names, "a film from Kubrick" too
_SUBJECT_PRONOUNS = frozenset("i you he she it we they this that these those there here what which my your "
                              "his her our their its".split())
#: Words that end a cue's object without being part of a title.
_TRAILING = frozenset("already alr again twice too yesterday today tonight recently before lately ever though tho "
                      "honestly tbh lol haha once finally anyway sorry".split())


def _runs(tokens: Sequence[Token]) -> list[list[int]]:
    """Runs of capitalised words (small words allowed inside), within one stretch of punctuation."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, tok in enumerate(tokens):
        if not tok.word:
            abbreviation = tok.text == "." and run and tokens[run[-1]].low in ABBREVIATIONS
            if (tok.text in BREAKS or tok.text in ",.") and not abbreviation:
                runs.append(run)
                run = []
            continue
        possessive = run and tok.low == "s" and i == run[-1] + 1 + (not tokens[run[-1] + 1].word)  # "Fenwick's"
        if tok.low != "i" and (tok.cap or possessive or (run and (tok.low in SMALL_TITLE_WORDS
                                                                   or tok.low in _CREDIT_WORDS))):
            run.append(i)
        else:
            runs.append(run)
            run = []
    runs.append(run)
    out = []
    for run in runs:
        while run and tokens[run[-1]].low in SMALL_TITLE_WORDS:
            run.pop()
        if run:
            out.append(run)
    return out


def _named(tokens: Sequence[Token], words: list[int]) -> bool:
    """Some word names something: not filler, a function word or a genre word (a number only
    beside other words, as in "Zorblax Attack 2099")."""
    def naming(tok: Token) -> bool:
        if tok.low.isdigit():
            return len(words) > 1
        return tok.low not in FUNCTION_WORDS and tok.low not in FILLER_WORDS and tok.low not in GENRE_PARTS

    return any(naming(tokens[i]) for i in words)


def title_phrases(tokens: Sequence[Token], titles: list[TitleMention], cues: Sequence, clauses: Sequence[int],
                  linker: Any = None, text: str = "") -> tuple[list[TitleMention], list[tuple[int, int]]]:
    """Split linked titles from title-like phrases that only partly or never linked.

    A title-like phrase is a quoted stretch or a run of capitalised words in a place where a
    title is expected: right after a like / dislike / seen / "like X" cue, or before an
    opinion ("… was great") or as the subject of a sentence ("X was …"). A linked title that
    covers only part of such a run ("Harry Potter" in "Harry Potter and the Goblet of
    Marmalade") is dropped: the whole run is the phrase.

    A phrase that is an exact title followed by who made or plays in it ("Seven with Brad
    Pitt", "Signs by Shyamalan") is that title (found with ``linker``).

    Returns:
        The titles to keep (and found) and the ``(first, last)`` token spans of the phrases.
    """
    titles = _merge_series(tokens, titles)
    titles, spans = _resemblances(tokens, titles, cues, clauses, linker)
    taken = {i for m in titles for i, t in enumerate(tokens) if m.start <= t.start < m.end}
    cue_tok = {i for c in cues for i in range(c.first, c.last + 1)}
    found: list[TitleMention] = []
    drop: set[int] = set()
    queue = [_after_cue(run, cue_tok) for run in _runs(tokens)]
    while queue:
        run = queue.pop(0)
        if not run or cue_tok & set(run) or all(tokens[i].low in ORDINALS or tokens[i].low.isdigit() or _DECADE.match(
                tokens[i].low) or tokens[i].low in SMALL_TITLE_WORDS for i in run) or (
                len(run) == 2 and tokens[run[0]].low in POSITION_WORDS and tokens[run[1]].low.isdigit()) or (
                len(run) > 1 and tokens[run[0]].low in YEAR_WORDS and all(tokens[i].low.isdigit() for i in run[1:])):
            continue  # "Number 3 didn't do anything for me": a place in the last list; "Before 1975": a limit
        before = run[0] - 1
        if before >= 0 and tokens[before].low in _CREDIT_WORDS and before not in cue_tok:
            continue  # "by Shyamalan", "with Tom Hanks": a person (but "obsessed with X" names X)
        if len(run) == 1 and tokens[run[0]].sent_start and (
                not expected_after(tokens, run, cues, clauses) or (
                not rare_word(tokens[run[0]].low, 3.5)
                and getattr(linker and linker.lookup(tokens[run[0]].text), "match", None) != "exact")):
            continue  # "Sorry, I confused it", "Oops, …" (Zipf 5.4, 3.9): an everyday word opening a sentence
        inside = [k for k, m in enumerate(titles) if tokens[run[0]].start <= m.start < tokens[run[-1]].end]  # "Up (2009)"
        covered = {i for i in run if i in taken}
        if inside and len(covered) == len(run):
            continue  # the run is (a list of) linked titles
        tail = max(inside, key=lambda k: titles[k].start, default=None)
        joiner = next((i - 1 for i in run if tail is not None and tokens[i].start == titles[tail].start), -1)
        if inside and max(covered) == run[-1] and joiner in run and tokens[joiner].low in ("and", "or", "&") \
                and titles[tail].match == "exact":
            queue.insert(0, run[:run.index(joiner)])  # "The Amber Tide and Heat": a name, then a listed title
            continue
        if inside and not _partial_cover(tokens, run, covered, [titles[k] for k in inside]):
            # "Speed and Gorbulax Unbound": the words after a linked title and a joiner are a run of their own
            rest = [i for i in run if i > max(covered)]
            if rest and tokens[rest[0]].low in ("and", "or") and len(rest) > 1:
                queue.insert(0, rest[1:])
            continue
        if not _named(tokens, [i for i in run if i not in covered]) or person_name([tokens[i].text for i in run]):
            continue  # ... "Brie Larson was unreal": a person
        if not (expected_before(tokens, run, cues, clauses, taken) or expected_after(tokens, run, cues, clauses)
                or listed_after_title(tokens, run, taken)):
            continue
        drop.update(inside)
        head = credited_title(tokens, run, linker, _CREDIT_WORDS)
        if head is not None:
            found.append(head)
        else:
            if not any(a <= run[0] <= b for a, b in spans):
                spans.append((run[0], run[-1]))
    for span in _listed_lowercase(tokens, titles, taken, cue_tok, clauses) + plain_names(tokens, taken, cues, clauses) \
            + named_as_such(tokens, taken, clauses, quoted_ranges(text, tokens)):  # (``text``: for quotes)
        if all(_DECADE.match(tokens[i].low) or tokens[i].low in DECADE_WORDS for i in range(span[0], span[1] + 1)):
            continue  # "90s is fine too": a decade, which the years reader takes
        if not any(a <= span[0] <= b or span[0] <= a <= span[1] for a, b in spans):
            spans.append(span)
    kept = [m for k, m in enumerate(titles) if k not in drop] + found
    return sorted(kept, key=lambda m: m.start), spans


def _after_cue(run: list[int], cue_tok: set[int]) -> list[int]:
    """"Loved Interstellar and Tenet": a capitalised cue opening a sentence is no part of the names after it."""
    n = 0
    while n < len(run) and run[n] in cue_tok:
        n += 1
    return run[n:] if n < len(run) and all(i not in cue_tok for i in run[n:]) else run


def _plain(tok: Token, cue_tok: set[int], i: int) -> bool:
    return tok.word and i not in cue_tok and tok.low not in FILLER_WORDS and tok.low not in _TRAILING \
        and tok.low not in GENRE_PARTS and tok.low not in _FILM_NOUNS and not tok.cap


def _listed_lowercase(tokens: Sequence[Token], titles: list[TitleMention], taken: set[int], cue_tok: set[int],
                      clauses: Sequence[int]) -> list[tuple[int, int]]:
    """Lower-case names listed with a linked title, up to the end of their clause: "loved
    interstellar and tenet, …", "jojo rabbit and the grand budapest hotel are my favs". Capitalised
    names are runs (:func:`_runs`); these are the phone-typed ones. Function words are never
    such a name ("heat and then bed"), so the tools only look up what could be a title."""
    spans: list[tuple[int, int]] = []
    n = len(tokens)
    for m in titles:
        idx = [i for i in taken if m.start <= tokens[i].start < m.end]
        if not idx:
            continue
        first, last = min(idx), max(idx)
        j = last + 1  # "X and Y": Y runs to the end of the clause
        if j + 1 < n and tokens[j].low in ("and", "&") and clauses[j + 1] == clauses[last]:
            k = j + 1
            seg: list[int] = []
            while k < n and tokens[k].word and k not in taken and clauses[k] == clauses[last] and len(seg) < 5:
                seg.append(k)
                k += 1
            closed = k >= n or not tokens[k].word or tokens[k].low in SUBJECT_FOLLOWERS
            if seg and closed and _lowercase_name(tokens, seg, cue_tok):
                spans.append((seg[0], seg[-1]))
        j = first - 1  # "Y and X are …": Y from the start of the sentence
        if j > 0 and tokens[j].low in ("and", "&"):
            seg = []
            k = j - 1
            while k >= 0 and tokens[k].word and k not in taken and not tokens[k + 1].sent_start and len(seg) < 5:
                seg.insert(0, k)
                k -= 1
            if seg and tokens[seg[0]].sent_start and _lowercase_name(tokens, seg, cue_tok):
                spans.append((seg[0], seg[-1]))
    return spans


def _lowercase_name(tokens: Sequence[Token], seg: list[int], cue_tok: set[int]) -> bool:
    """Words that could be a title: none capitalised (runs take those), no cue, filler, genre or
    film word, and function words only inside ("the grand budapest hotel")."""
    inner = [i for i in seg if tokens[i].low not in FUNCTION_WORDS or (i != seg[-1] and tokens[i].low in
                                                                       SMALL_TITLE_WORDS)]
    return len(inner) == len(seg) and tokens[seg[-1]].low not in SMALL_TITLE_WORDS \
        and all(_plain(tokens[i], cue_tok, i) or tokens[i].low in SMALL_TITLE_WORDS for i in seg) \
        and _named(tokens, seg)


def _merge_series(tokens: Sequence[Token], titles: list[TitleMention]) -> list[TitleMention]:
    """"star wars phantom menace": a series name right before one of its films' subtitles is
    that film (one mention, not "Star Wars" plus "The Phantom Menace")."""
    out: list[TitleMention] = []
    for m in titles:
        prev = out[-1] if out else None
        if prev is not None and m.match in ("alias", "exact", "fuzzy") and prev.match in ("alias", "exact") \
                and all(not t.word or t.text in ":-" for t in tokens if prev.end <= t.start < m.start) \
                and normalize_title(m.title).startswith(normalize_title(prev.span) + " "):
            m.start, m.span = prev.start, f"{prev.span} {m.span}"
            out[-1] = m
        else:
            out.append(m)
    return out


def _resemblances(tokens: Sequence[Token], titles: list[TitleMention], cues: Sequence, clauses: Sequence[int],
                  linker: Any) -> tuple[list[TitleMention], list[tuple[int, int]]]:
    """Stretches where a title is expected (a sentence's subject, a like/dislike/seen cue's
    object) that as a whole only resemble a title ("saving private brian was great", "pirates of
    the caribbean curse of the black parrot"): phrases to ask about; a link inside them that
    is not an exact title is dropped."""
    if linker is None:
        return titles, []
    words = [i for i, t in enumerate(tokens) if t.word]
    cue_tok = {i for c in cues for i in range(c.first, c.last + 1)}
    segments: list[list[int]] = []
    named_subjects: list[list[int]] = []
    for k, w in enumerate(words):
        if tokens[w].sent_start and (end := subject_end(tokens, words, k)) is not None \
                and not cue_tok & set(words[k:end]) and not _own_thing(tokens, words[k:end]):
            segments.append(words[k:end])
            follower = words[end] if end < len(words) else None
            if follower is not None and tokens[follower].low in ("is", "was", "s") and any(  # (before any comma)
                    tokens[i].low in _FILM_NOUNS and all(t.text not in ",;" for t in tokens[follower:i])
                    for i in words[end:end + 6]) and not any(
                    m.start < tokens[words[end - 1]].end and tokens[w].start < m.end for m in titles):
                named_subjects.append(words[k:end])  # "the whispering dumpling is my comfort movie"
    for cue in cues:
        if cue.kind in _POLAR_CUES:
            seg = [i for i in words if i > cue.last and clauses[i] == clauses[cue.last]][:8]
            if seg and ((tokens[seg[0]].low in ADVERBIAL_OPENERS and not tokens[seg[0]].cap)
                        or any(tokens[j].text in ",;:" for j in range(cue.last + 1, seg[0]))):
                continue  # "Gladiator I adored back in school": when, not what; "my fav, nothing comes close"
            cut = next((n for n, i in enumerate(seg) if any(t.text == "," and not _title_comma(tokens, j)
                                                            for j, t in enumerate(tokens[seg[0]:i], seg[0]))), len(seg))
            segments.append(seg[:cut])
    spans: list[tuple[int, int]] = []
    drop: set[int] = set()
    for whole in segments:
        whole = whole[:next((n for n, i in enumerate(whole) if n and tokens[i].low in _DAY_WORDS and not tokens[i].cap),
                            len(whole))]  # "the heat today is unbearable": about the day
        for seg in (whole[:n] for n in range(len(whole), 2, -1)):  # "loved X as a kid": then shorter
            while seg and (tokens[seg[-1]].low in _TRAILING or tokens[seg[-1]].low in FUNCTION_WORDS
                           or tokens[seg[-1]].low in FILLER_WORDS):  # "toy story pls", "notting hill ngl"
                seg = seg[:-1]  # "seen the godfather part 2 already"
            if len(seg) < 3 or not _named(tokens, seg):
                break
            start, end = tokens[seg[0]].start, tokens[seg[-1]].end
            inside = [k for k, m in enumerate(titles) if start <= m.start and m.end <= end]
            if any(titles[k].match == "exact" and titles[k].start == start and _adverbial(tokens, titles[k].end)
                   for k in inside) or any(m.match == "exact" and m.start <= start and end <= m.end for m in titles):
                break  # an exact title holding it all, or then when / where / with whom ("… on sunday")
            guess = linker.lookup(" ".join(tokens[i].text for i in seg))
            if guess is not None and any(titles[k].item_id == guess.item_id and titles[k].match == "exact"
                                         for k in inside):
                break  # "Eternal Sunshine of the Spotless Mind hit me hard": the title, then what it did
            # people get a title's first word right: "Seven like 5 times" does not resemble "Seems Like Old Times"
            said = " ".join(tokens[i].text for i in seg)  # a word-for-word resemblance may change the first word
            if guess is not None and guess.match == "weak" and (_first_word(guess.title) == _first_word(said) or (
                    linker.word_resemblance(said) is not None)) and all(
                    titles[k].match != "exact" or len(titles[k].span.split()) < len(seg) for k in inside):
                drop.update(inside)
                spans.append((seg[0], seg[-1]))
                break
    for k, w in enumerate(words):  # a title with a word changed may hold words that end a subject
        if not tokens[w].sent_start or any(a <= w <= b for a, b in spans):  # ("10 things i love about you is")
            continue
        while k < len(words) and tokens[words[k]].low in OPENERS - {"the", "a", "an"}:
            k += 1
        if k >= len(words) or any(m.start == tokens[words[k]].start for m in titles) or _own_thing(tokens, words[k:k + 2]):
            continue  # it opens with a title ("Spirited Away is pure magic") or with the person ("my cousin showed me")
        best: tuple[float, int, list[int], str] | None = None  # the closest resemblance, then the longest
        for n in range(k + 3, min(len(words), k + 9) + 1):
            seg = words[k:n]
            if cue_tok & set(seg) or any(tokens[i].sent_start or (tokens[i].low in _DAY_WORDS and not tokens[i].cap)
                                         for i in seg[1:]) or not all(  # "the heat today is": about the day
                    tokens[i].word or tokens[i].text in "'’-&" or _title_comma(tokens, i)
                    for i in range(seg[0], seg[-1] + 1)):
                break
            start, end = tokens[seg[0]].start, tokens[seg[-1]].end
            if any(m.start == start and m.end == end and m.match == "exact" for m in titles):
                best = None
                break
            guess = linker.word_resemblance(" ".join(tokens[i].text for i in seg))
            if guess is not None and any(m.item_id == guess.item_id and m.match == "exact"
                                             and start <= m.start < end for m in titles):
                continue  # the title itself, then more words
            if guess is not None and (best is None or (guess.score, n) > best[:2] or guess.item_id == best[3]):
                best = (guess.score, n, seg, guess.item_id)  # the same title resembled: the longer stretch
        if best is not None:
            start, end = tokens[best[2][0]].start, tokens[best[2][-1]].end
            drop.update(j for j, m in enumerate(titles) if start <= m.start and m.end <= end)
            spans.append((best[2][0], best[2][-1]))
    for seg in named_subjects:  # said to be a film: the tools look it up, whatever it resembles
        while seg and tokens[seg[0]].low in OPENERS - {"the", "a", "an"}:
            seg = seg[1:]  # "eh cars is the worst": not "eh cars"
        if len(seg) >= 2 and _named(tokens, seg) and not any(a <= seg[0] <= b for a, b in spans) \
                and not any(tokens[i].cap for i in seg[1:]) \
                and all(tokens[i].low not in _SUBJECT_PRONOUNS for i in seg[:1]):
            spans.append((seg[0], seg[-1]))
    return [m for k, m in enumerate(titles) if k not in drop], spans


def _adverbial(tokens: Sequence[Token], end: int) -> bool:
    """The word after character offset ``end`` opens an adverbial ("… on sunday", "… with my dad") or is a
    year ("king kong (2005)")."""
    after = [t for t in tokens if t.start >= end and t.word][:3]
    named = [t for t in after[1:] if t.low not in ("the", "a", "an")][:1]  # "Bananas in the Boardroom": a name goes on
    return bool(after) and ((after[0].low in ADVERBIAL_OPENERS and not (named and named[0].cap))
                            or (len(after[0].low) == 4 and after[0].low.isdigit()))


def _own_thing(tokens: Sequence[Token], seg: list[int]) -> bool:
    """A subject that is the person or their own thing in lower case ("my sister's wedding was pure
    drama", "I'm a total scaredy-cat"), not a title ("My Sister's Keeper")."""
    return len(seg) > 1 and tokens[seg[0]].low in ("my", "our", "i") and not tokens[seg[1]].cap


def _first_word(title: str) -> str:
    words = normalize_title(title).split()
    return words[0] if words else ""


def _partial_cover(tokens: Sequence[Token], run: list[int], covered: set[int], inside: list[TitleMention]) -> bool:
    """A linked title that is a fragment of a longer name: two or more words of the run are left
    over, and the link was itself a fragment (a name before its subtitle, a nickname, a typo) or
    the leftover does not start a second name ("Heat and Zorblax Attack" lists two)."""
    rest = [i for i in run if i not in covered]
    if rest and tokens[rest[-1]].low == "s" and max(rest) < min(covered):
        return False  # "Pixar's Up (2009)", "Kubrick's The Shining": whose it is, not a longer name
    fragment = any(m.match in ("alias", "partial", "fuzzy") for m in inside)
    if len(rest) == 1 and any(m.match == "fuzzy" for m in inside) and tokens[rest[0]].low not in ("and", "or"):
        return True  # "Tractor Pirouette": a typo-link of one word of a two-word name is no title
    if len(rest) == 1 and (rest[0] + 1 in covered or rest[0] - 1 in covered) and _named(tokens, rest) \
            and tokens[rest[0]].low not in OPENERS and tokens[rest[0]].low not in _TRAILING:
        return True  # "Starfall Protocol was trash", "The Salt Cartographer": a name beside a title's words is another
    return len(rest) >= 2 and (fragment or tokens[rest[0]].low not in ("and", "or"))


def _title_comma(tokens: Sequence[Token], i: int) -> bool:
    """A comma inside a capitalised name ("Crouching Tiger, Hidden Pancake", "Honey, I Shrunk ...")."""
    after = [t for t in tokens[i + 1:i + 3] if t.word]
    return tokens[i].text == "," and i > 0 and tokens[i - 1].cap and bool(after) and (after[0].cap or (
        after[0].low in SMALL_TITLE_WORDS and len(after) > 1 and after[1].cap)) and (  # "The Good, the Bad …"
        after[0].low != "i" or (len(after) > 1 and after[1].cap))
