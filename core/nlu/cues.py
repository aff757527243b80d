"""Clauses, sentiment and negation cues (references to the previous list are :mod:`.refs`)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import (ADVERBIAL_OPENERS, ANCHOR_PHRASES, GENRE_PARTS, AFTER_DISLIKE_PHRASES, AFTER_LIKE_PHRASES, COPULAS, DISLIKE_PHRASES,
                      EXPLAIN_PHRASES, FILLER_WORDS, FUNCTION_WORDS, INTENSIFIERS, LIKE_PHRASES, LIKE_SUBJECTS,
                      LIKE_VERBS, NEGATED_COPULAS, NEGATION_PHRASES, NEGATION_WORDS, POSSESSIVES, QUESTION_PHRASES, REQUEST_WORDS, SCOPE_STOPPERS,
                      SEEN_PHRASES, THUMBS_DOWN, THUMBS_UP)
from .languages import clause_words, cue_kinds, cue_phrases
from .text import ABBREVIATIONS, SENTENCE_BREAKS, Token, find_phrases, is_negation, phrase_key
from .valence import judgement

__all__ = ["WEAK", "OTHERS", "UNSEEN", "opinion_phrases", "someone_else", "Cue", "clause_ids", "find_cues", "negation_scope", "negated_cue",
           "polarity", "word_before"]

_CONTRAST = frozenset("but however although though whereas yet".split())
_NOT_CONTRAST_BEFORE = frozenset("anything everything all nothing".split())
_REQUEST_BEFORE = frozenset({"d", "would", "i'd"})
_POLAR = ("like", "dislike", "seen", "anchor", "explain")
_OPINION_KINDS = ("dislike", "like", "after_like", "after_dislike")
#: "I found X boring", "thought X was …": a bare judgement after an opinion verb speaks of X.
_OPINION_VERBS = frozenset("found find finds thought think consider considered felt".split())
_JUDGED = {1: "after_like", -1: "after_dislike"}
#: Verbs that link a subject to its verdict as "is" does ("Jaws never gets boring").
_LINKING_VERBS = frozenset("gets get got getting becomes became become seems seemed feels felt".split())
#: Words before "be" that make it say what a title is ("might be the best", "has to be", "will always be").
_BE_AFTER = frozenset("might may must to will ll always still".split())
_TWO_WORD_HEDGES = frozenset({("kind", "of"), ("sort", "of"), ("hands", "down"), ("by", "far")})
#: Other people whose taste a message may report ("my husband loves …").
_OTHERS = frozenset("he she they husband wife boyfriend girlfriend bf gf son daughter kids kid dad mom mum father "
                    "mother friend friends brother sister partner everyone everybody people parents cousin "
                    "niece nephew roommate coworkers uncle aunt grandma grandpa granddad grandad nan gran boss "
                    "colleague colleagues neighbour neighbor flatmate housemate classmates fiance fiancee".split())
#: Marks a polarity read only from a negation's scope (see :func:`polarity`).
WEAK = "weak"
#: Marks a title someone else judged ("my sister loves Titanic"): no verdict of the person's, none to guess.
OTHERS = "others"
#: Marks a title the person says they have not seen ("haven't seen X"): no verdict of theirs to guess.
UNSEEN = "unseen"
#: Words that may follow an object-less cue ("seen it twice", "loved it so much", "hated it tbh").
_AFTER_OBJECTLESS = frozenset("twice already before tho though honestly tbh lol haha ever halfway".split())


@dataclass(frozen=True)
class Cue:
    """A cue phrase: tokens ``first..last`` (inclusive) of a ``kind``.

    Kinds: ``like``, ``dislike``, ``seen``, ``anchor``, ``explain``, ``request`` ("I'd like"),
    ``neg``, ``after_like`` ("was great"), ``after_dislike`` ("was boring").
    """

    first: int
    last: int
    kind: str


def clause_ids(tokens: Sequence[Token]) -> list[int]:
    """Clause number of every token; sentences, ";" and "but"/"however"… start a new one."""
    ids, clause = [], 0
    for i, tok in enumerate(tokens):
        boundary = (tok.text in SENTENCE_BREAKS and not (tok.text == "." and i and tokens[i - 1].low in ABBREVIATIONS)
                    ) or tok.text == ";" or (
            tok.low in _CONTRAST and not (i and tokens[i - 1].low in _NOT_CONTRAST_BEFORE)) or (
            tok.word and phrase_key(tok) in clause_words("contrast"))  # "pero", "aber" (languages.yaml)
        if boundary:
            clause += 1
        ids.append(clause)
    return ids


def word_before(tokens: Sequence[Token], i: int) -> Token | None:
    """The nearest word token before token ``i``, or ``None``."""
    j = i - 1
    while j >= 0 and not tokens[j].word:
        j -= 1
    return tokens[j] if j >= 0 else None


@functools.lru_cache(maxsize=64)
def _plain_phrases(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The phrases without their intensifiers (computed once per phrase list: this was most of a
    turn's parsing time)."""
    plain = tuple(dict.fromkeys(" ".join(w for w in p.split() if w not in INTENSIFIERS) or p for p in phrases))
    return plain + tuple("s " + p[3:] for p in plain if p.startswith("is "))  # "the third one's a snooze"


def opinion_phrases(tokens: Sequence[Token], phrases: Sequence[str]) -> list[tuple[int, int]]:
    """Opinion phrases with intensifiers skipped on both sides ("was so good" is "was good",
    "not so much" stays itself): ``(first, end)`` token spans."""
    view = [i for i, t in enumerate(tokens) if t.low not in INTENSIFIERS]
    hits = find_phrases([tokens[i] for i in view], _plain_phrases(tuple(phrases)))
    return [(view[a], view[b - 1] + 1) for a, b, _ in hits]


def find_cues(tokens: Sequence[Token]) -> list[Cue]:
    """All cues of the message, in text order."""
    cues: list[Cue] = []
    taken: set[int] = set()
    found = []  # every phrase of every kind; the longest wins an overlap ("never get tired of" over "tired of")
    for rank, (kind, phrases) in enumerate((
            ("anchor", QUESTION_PHRASES), ("dislike", DISLIKE_PHRASES), ("like", LIKE_PHRASES),
            ("after_like", AFTER_LIKE_PHRASES), ("after_dislike", AFTER_DISLIKE_PHRASES),
            ("seen", SEEN_PHRASES), ("explain", EXPLAIN_PHRASES), ("neg", NEGATION_PHRASES),
            ("anchor", [p for p in ANCHOR_PHRASES if p != "like"]))):
        found += [(a, b, kind, rank) for a, b in opinion_phrases(tokens, phrases)] if kind in _OPINION_KINDS else [
            (a, b, kind, rank) for a, b, _ in find_phrases(tokens, tuple(phrases))]
    found += [(a, b, "dislike", 1) for a, b in _asleep_into(tokens)]
    for a, b, kind, _ in sorted(found, key=lambda f: (-(f[1] - f[0]), f[3], f[0])):
        if not taken & set(range(a, b)):
            cues.append(Cue(a, b - 1, kind))
            taken.update(range(a, b))
    cues += _foreign_cues(tokens, taken)  # other languages: tastebud.nlu.languages
    cues += _judgements(tokens, taken)
    cues += _exclamations(tokens, taken)
    for i, tok in enumerate(tokens):
        if i in taken:
            continue
        prev = word_before(tokens, i)
        prev_low = prev.low if prev else ""
        if tok.text in THUMBS_UP:
            cues.append(Cue(i, i, "like"))
        elif tok.text in THUMBS_DOWN:
            cues.append(Cue(i, i, "dislike"))
        elif tok.low == "like":
            if prev_low in _REQUEST_BEFORE:
                kind = "request"
            elif prev_low in LIKE_SUBJECTS or (prev and is_negation(tokens, tokens.index(prev))):
                kind = "like"
            elif i + 1 < len(tokens) and tokens[i + 1].low in ("in", "on", "at", "for", "outside", "today", "now"):
                continue  # "what's the weather like in Paris": no comparison with a title
            else:
                kind = "anchor"
            cues.append(Cue(i, i, kind))
        elif tok.low in LIKE_VERBS and prev_low in POSSESSIVES and not (
                i + 1 < len(tokens) and tokens[i + 1].low in ("for", "of")):
            continue  # "my love life": a noun (but "my love for Alien" says it)
        elif tok.low in _FAVOURITE and _favourite_other(tokens, i):
            continue  # "X ruined my favourite show": another kind of favourite, not the film
        elif tok.low in LIKE_VERBS or tok.low in _FAVOURITE:
            cues.append(Cue(i, i, "request" if prev_low in _REQUEST_BEFORE else "like"))
        elif is_negation(tokens, i) or (tok.low in NEGATION_WORDS and tok.low != "no"):
            cues.append(Cue(i, i, "neg"))
        elif (sign := judgement(tok.low)) and any(t.low in _OPINION_VERBS for t in tokens[max(0, i - 7):i] if t.word):
            cues.append(Cue(i, i, _JUDGED[sign]))  # "found the fourth one really tedious"
    cues.sort(key=lambda c: c.first)
    return cues


_FAVOURITE = frozenset("favourite favorite fave fav".split())
_FILM_NOUNS = frozenset("movie movies film films flick flicks one ones watch watches rewatch".split())


def _favourite_other(tokens: Sequence[Token], i: int) -> bool:
    """"favourite" before a noun that is not a film ("my favourite show", "my favourite actor"), with
    no film noun in the next three words ("my favourite Nolan film" is about a film)."""
    nxt = [t for t in tokens[i + 1:i + 4] if t.word]
    if any(t.low in _FILM_NOUNS for t in nxt):
        return False
    return bool(nxt) and nxt[0].low not in (FUNCTION_WORDS | FILLER_WORDS) - REQUEST_WORDS \
        and nxt[0].low not in INTENSIFIERS and not nxt[0].cap and nxt[0].low not in GENRE_PARTS


_RANKERS = frozenset("my the his her our their".split())


def _judgements(tokens: Sequence[Token], taken: set[int]) -> list[Cue]:
    """A copula, maybe negated, then a verdict word the phrase lists do not hold (``taken`` is
    updated): "was breathtaking", "is a gem", "wasn't good", "is not great" (negated: the other
    way). Which words judge is :func:`tastebud.nlu.valence.judgement`'s call."""
    out: list[Cue] = []
    for i, tok in enumerate(tokens):
        if i in taken or not (tok.word or tok.text in ("—", "–", ":")):  # "Alien — classic", "Up: perfection": "is"
            continue
        j, negated, back = i + 1, False, 0
        if tok.low in NEGATED_COPULAS and j < len(tokens) and tokens[j].low == "t":
            j, negated = j + 1, True
        elif tok.low in _LINKING_VERBS or (tok.low == "be" and i and tokens[i - 1].low in _BE_AFTER):
            before = [t.low for t in tokens[max(0, i - 2):i]]  # "never gets boring", "didn't get old", "might be the best"
            negated = bool(before) and (before[-1] in ("not", "never") or before == [before[0], "t"])
            back = (1 if before[-1] in ("not", "never") else 2) if negated else 0  # the cue holds its negation
        elif (tok.low not in COPULAS and tok.word and tok.low not in _LINKING_VERBS) or (tok.low == "s" and i and tokens[i - 1].cap and j < len(tokens)
                                                         and tokens[j].cap):
            continue  # "Pixar's Brave": whose film, not "is brave"
        elif j < len(tokens) and tokens[j].low in ("not", "never"):
            j, negated = j + 1, True
        article = False
        while j < len(tokens) and tokens[j].word:
            if j + 1 < len(tokens) and (tokens[j].low, tokens[j + 1].low) in _TWO_WORD_HEDGES:
                j += 2  # "was kind of a letdown", "is hands down the best": not "kind", not "hands"
            elif j + 2 < len(tokens) and (tokens[j].low, tokens[j + 1].low) == ("one", "of") \
                    and tokens[j + 2].low in _RANKERS:
                j, article = j + 3, True  # "is one of my favourite crime movies", "one of the worst"
            elif tokens[j].low in INTENSIFIERS or tokens[j].low in ("a", "an", "the"):  # "is the cutest"
                article = article or tokens[j].low in ("a", "an")
                j += 1
            else:
                break
        if any(t.cap and not t.sent_start and t.low != "i" for t in tokens[i + 1:j + 1]) or (
                j < len(tokens) and tokens[j].low in LIKE_VERBS):
            continue  # "my favourite film is The Great Escape": a title's words; "was loving X": the verb's
        article = article or (tokens[j - 1].low == "the" and j < len(tokens) and tokens[j].low == "worst")  # not "the saddest"
        sign = judgement(tokens[j].low, after_article=article) if j < len(tokens) and tokens[j].word else 0
        if not sign and article and j + 1 < len(tokens) and tokens[j + 1].word:  # "a cinematic masterpiece"
            j += 1
            sign = judgement(tokens[j].low, after_article=True)
        if not sign and j + 1 < len(tokens) and tokens[j].low == "pure" and tokens[j + 1].word:
            j += 1
        if not sign and j < len(tokens) and tokens[j - 1].low in ("pure", "sheer") and tokens[j].low.isalpha():
            sign = judgement(tokens[j].low, after_article=True) or int(  # "pure whimsy", "sheer enchantment": praise
                tokens[j].low not in FUNCTION_WORDS and tokens[j].low not in GENRE_PARTS)
        if not sign or taken & set(range(i - back, j + 1)):
            continue
        out.append(Cue(i - back, j, _JUDGED[-sign if negated else sign]))
        taken.update(range(i - back, j + 1))
    return out


_ASLEEP_CUT = frozenset("during watching at".split())
_ASLEEP = (("fell", "asleep"), ("fall", "asleep"), ("dozed", "off"), ("nodded", "off"), ("zoned", "out"), ("passed", "out"))


def _asleep_into(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """"fell asleep 20 minutes into X", "dozed off like halfway through X", "nodded off twice during X":
    falling asleep some time into a film pans it; ``(first, end)`` token spans up to "into" / "through" / "during"."""
    out = []
    for i in range(len(tokens) - 2):
        if (tokens[i].low, tokens[i + 1].low) in _ASLEEP:
            end = next((j for j in range(i + 2, min(i + 7, len(tokens))) if tokens[j].low in ("into", "through", "during")
                        or (tokens[j].low == "of" and tokens[j - 1].low == "middle")), None)  # "in the middle of X"
            if end is not None and all(t.word and (t.text.islower() or t.text.isdigit()) and t.low not in _ASLEEP_CUT
                                       for t in tokens[i + 2:end]):  # not "… during A River Runs Through It"
                out.append((i, end + 1))
    return out


def _exclamations(tokens: Sequence[Token], taken: set[int]) -> list[Cue]:
    """"what a film!", "what a ride", "what a waste of time": an exclamation judges what it is about,
    by its verdict word, or as praise when it names only the work (``taken`` is updated)."""
    out: list[Cue] = []
    for i, tok in enumerate(tokens[:-2]):
        if tok.low != "what" or tokens[i + 1].low not in ("a", "an") or i in taken:
            continue
        words = [j for j in range(i + 2, min(i + 4, len(tokens))) if tokens[j].word]
        sign = next((sg for j in words if (sg := judgement(tokens[j].low, after_article=True))), 0)
        last = next((j for j in words if tokens[j].low in _FILM_NOUNS), None)
        if not sign and last is not None:
            sign = 1  # "what a film": praise
        if sign and not taken & set(range(i, (last or words[0]) + 1)):
            out.append(Cue(i, last or words[0], _JUDGED[sign]))
            taken.update(range(i, (last or words[0]) + 1))
    return out


_CLAUSE_END = SENTENCE_BREAKS | frozenset(",;:…)")


def _foreign_cues(tokens: Sequence[Token], taken: set[int]) -> list[Cue]:
    """Cues of other languages (``languages.yaml``), on tokens not ``taken`` (updated).

    A like or dislike phrase that ends its clause ("Titanic me encantó.", "Alien mag ich
    nicht.") speaks of the title before it (``after_like`` / ``after_dislike``); an
    ``end_dislike`` phrase ("Ich mag Alien nicht.") is one only there, and elsewhere a
    negation when it is one ("nicht Horror").
    """
    kinds = cue_kinds()
    stops = clause_words("contrast") | clause_words("conjunctions")
    out: list[Cue] = []
    for a, b, phrase in find_phrases(tokens, tuple(kinds)):
        if taken & set(range(a, b)):
            continue
        at_end = b >= len(tokens) or tokens[b].text in _CLAUSE_END or phrase_key(tokens[b]) in stops
        kind: str | None = kinds[phrase]
        if kind in ("like", "dislike") and at_end:
            kind = "after_" + kind
        elif kind == "end_dislike":
            kind = "after_dislike" if at_end else ("neg" if phrase in cue_phrases("negation") else None)
        elif kind == "negation":
            kind = "neg"
        if kind:
            out.append(Cue(a, b - 1, kind))
            taken.update(range(a, b))
    return out


def negation_scope(tokens: Sequence[Token], cues: Sequence[Cue], clauses: Sequence[int]) -> set[int]:
    """Token indices governed by a negation ("no horror", "I don't want sci-fi")."""
    scope: set[int] = set()
    for cue in cues:
        if cue.kind not in ("neg", "dislike"):
            continue
        if cue.last + 1 < len(tokens) and tokens[cue.last + 1].low in ("just", "only"):
            continue  # "not just docs": not only, nothing excluded
        words = 0
        for j in range(cue.last + 1, len(tokens)):
            tok = tokens[j]
            if clauses[j] != clauses[cue.last] or tok.text in (",", ":") or tok.text in SENTENCE_BREAKS:
                break
            if not tok.word:
                continue
            words += 1
            if words > 6 or (words > 2 and tok.low in SCOPE_STOPPERS) or tok.low in ("but", "instead"):
                break
            scope.add(j)
    return scope


def someone_else(tokens: Sequence[Token], cue: Cue) -> bool:
    """The cue's subject is another person ("my husband loves X", "everyone said", "my kids liked"), not
    when the cue itself says the person took part ("my gf made me watch X")."""
    if any(t.low in ("me", "us") for t in tokens[cue.first:cue.last + 1]):
        return False
    for j in range(cue.first - 1, max(-1, cue.first - 6), -1):  # "my dad is a lifelong fan of X"
        tok = tokens[j]
        if not tok.word:
            if tok.text in SENTENCE_BREAKS or tok.text == ",":
                return False
            continue
        if tok.low in ("i", "we", "me", "m", "ve", "d", "ll"):
            return False
        if tok.low in _OTHERS:
            return not _with_me(tokens, j)
    return False


def _with_me(tokens: Sequence[Token], j: int) -> bool:
    """The subject around token ``j`` joins the speaker ("me and my dad", "my wife and i")."""
    words = [t.low for t in tokens[max(0, j - 4):j + 3] if t.word or t.text in SENTENCE_BREAKS]
    words = words[max((n + 1 for n, w in enumerate(words) if w in SENTENCE_BREAKS), default=0):]
    return "and" in words and any(w in ("i", "me") for w in words)


def negated_cue(cue: Cue, cues: Sequence[Cue], tokens: Sequence[Token] | None = None) -> bool:
    """A negation ends at most three tokens before ``cue`` ("didn't really like", "never seen"),
    and, given the ``tokens``, not in an earlier sentence ("… and nothing else. hated it")."""
    return any(c.kind == "neg" and cue.first - 3 <= c.last < cue.first and not (
        tokens is not None and any(t.text in SENTENCE_BREAKS for t in tokens[c.last + 1:cue.first])) for c in cues)


def polarity(first: int, last: int, tokens: Sequence[Token], cues: Sequence[Cue],
             clauses: Sequence[int], scope: set[int], next_start: int) -> set[str]:
    """How the message speaks of the mention at tokens ``first..last``.

    Returns:
        A subset of ``liked``, ``disliked``, ``seen``, ``anchor``, ``explain``.
    """
    clause = clauses[first]
    before = [c for c in cues if c.last < first and clauses[c.last] == clause and c.kind in _POLAR
              and not (c.last + 1 < len(tokens) and tokens[c.last + 1].text == ",")]  # "seen, 2 I hated"
    out: set[str] = set()
    if before and someone_else(tokens, before[-1]):  # "my husband loves Die Hard": not the person's taste
        before = []
        out.add(OTHERS)
    if before:
        cue = before[-1]
        negated = negated_cue(cue, cues, tokens)
        table = {"like": "disliked" if negated else "liked",
                 "dislike": None if negated else "disliked",
                 "seen": UNSEEN if negated else "seen",
                 "anchor": "disliked" if negated else "anchor",
                 "explain": "explain"}
        if table[cue.kind]:
            out.add(table[cue.kind])
    elif first in scope:  # "no X", "can't get enough of X": a weak reading, the learned model may overrule
        out.update(("disliked", WEAK))
    own = None  # the first opinion after the title has its say ("dumb as rocks" is not "rocks")
    clause = clauses[last]  # what follows: "no. 2, I dozed off" (a reference may hold a full stop)
    for cue in cues:
        if not (last < cue.first < next_start and clauses[cue.first] == clause):
            continue
        if own is not None and cue.kind in ("after_like", "after_dislike", "like", "dislike"):
            continue
        # "X, loved it" / "X I hated" / "X I've seen": a cue after the title with no object of its own
        seg_end = max(j for j, c in enumerate(clauses) if c == clause)
        seg_end = next((j - 1 for j in range(cue.last + 1, seg_end + 1) if tokens[j].text == ","), seg_end)
        rest = [t for t in tokens[cue.last + 1:seg_end + 1] if t.word]
        rest = rest[:next((n for n, t in enumerate(rest) if t.low in ADVERBIAL_OPENERS), len(rest))]
        objectless = next_start > seg_end and all(
            t.low in FUNCTION_WORDS or t.low in FILLER_WORDS or t.low in _AFTER_OBJECTLESS for t in rest)
        negated = any(c.kind == "neg" and cue.first - 3 <= c.last < cue.first and c.first > last  # not across a
                      and all(t.text not in ",;" for t in tokens[c.last + 1:cue.first]) for c in cues)  # comma
        far = before and sum(t.word for t in tokens[before[-1].last + 1:first]) > 2
        liking = cue.kind == "after_like" or (cue.kind == "like" and objectless)
        if liking and not negated:
            own = "liked"
        elif cue.kind == "after_dislike" or (cue.kind == "dislike" and objectless) or liking:  # "X has not aged well"
            own = "disliked"
        elif cue.kind == "seen" and objectless and not negated:
            out.add("seen")
        if own is not None:
            if far:  # "I've seen the second, the fourth was dull": the fourth speaks for itself
                out.clear()
            out.discard("liked" if own == "disliked" else "disliked")
            out.discard(WEAK)
            out.add(own)
    return out
