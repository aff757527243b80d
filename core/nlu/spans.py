"""Candidate spans for title linking: quotes, capitalised runs, cue segments, and selection."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .lexicon import (
    COPULAS,
    GENRE_WORDS,
    FILLER_WORDS,
    FUNCTION_WORDS,
    INTENSIFIERS,
    LIKE_VERBS,
    NEGATED_COPULAS,
    SMALL_TITLE_WORDS,
    WHEN_WORDS,
)
from .text import Token
from .valence import judgement

__all__ = ["Cand", "BREAKS", "CUE_BEFORE", "SUBJECT_FOLLOWERS", "SUBJECT_WORDS", "OPENERS", "opens_sentence", "broken", "quoted_ranges", "prev_word",
           "next_word", "select", "done_to_me", "slip_after", "titled", "said_to_be_a_work", "fuzzy_spans", "subject_end", "same_as_before", "odd_subject", "verdict_subject", "VIEWING",
           "listed", "first_token"]

#: Punctuation a title never spans.
BREAKS = frozenset('!?;\n"“”()[]{}<>|')
#: Words right before a title that make it likely ("loved X", "like X", "why X").
CUE_BEFORE = LIKE_VERBS | frozenset(
    "seen saw watch watched watching rewatch rewatched rewatching caught hate hates hated dislike dislikes disliked detest "
    "detested loathe loathed why than favourite favorite fave fav recommend describe read reread listened played "
    "bought".split())
_LIST_JOINERS = frozenset({"and", "or", ",", "&", "nor"})
#: Words (and punctuation) that follow the subject of an opinion: "X is/was …", "X blew me away",
#: "X — masterpiece", "X? seen it". A title is expected before them at the start of a sentence.
SUBJECT_FOLLOWERS = frozenset(
    "is was were are s has had have never still just really totally absolutely blew left made makes "
    "gets got kept keeps bored did didn does doesn will would i never always remains deserves "
    "cracked sucked rocks ruled slaps hits holds — – - ? ! ,".split())
_SEGMENT_ENDS = frozenset(
    "and or but because so was is were are which that who with if when since though".split())
_QUOTE_RE = re.compile(r'"([^"\n]{1,150})"|“([^”\n]{1,150})”|(?<!\w)[\'‘]([^\'’\n]{2,150})[\'’](?!\w)')
#: Words that can be the subject of a sentence, so "It was amazing" is no title ("Her was …" may be).
SUBJECT_WORDS = frozenset("i you he she it we they this that these those there here what who which one "
                           "nothing everything something anything all some none both each either neither "
                           "another other others".split())
#: Words that may open a sentence before its subject ("honestly Her was boring").
OPENERS = frozenset("honestly tbh ok okay so well yeah yes lol ugh hmm man oh wow and but also imo "
                     "actually personally frankly eh meh nah welp tho the a an "
                     "ngl lowkey highkey tbf imho btw fyi lmao haha omg jk fr".split())  # chat abbreviations


#: Object pronouns: never the subject of "is" / "was", so "her is …" names the film.
_OBJECT_PRONOUNS = frozenset("her him us them me".split())
_SINGULAR_VERBS = frozenset("is was has s isn wasn hasn doesn does".split())
#: Particles that never open a clause as its subject ("up", "down", "in", "out" …).
_PARTICLES = frozenset("up down in out on off over under into onto".split())
VIEWING = frozenset("saw seen watched watching rewatched rewatching caught".split())


def odd_subject(span: Sequence, verb: str, after: Sequence[str] = ()) -> bool:
    """A one-word subject that cannot agree with a singular verb unless it is a name:
    an object pronoun ("her is …"), a particle ("up was …") or a plural noun ("cars is …"); or an object
    pronoun or a particle that did something to the speaker (``after``: the words from the verb
    on): "her made me think", "up made me cry"."""
    if len(span) == 1 and span[0].low in _OBJECT_PRONOUNS | _PARTICLES and done_to_me(after):
        return True
    if len(span) != 1 or verb not in _SINGULAR_VERBS:
        return False
    word = span[0].low
    return word in _OBJECT_PRONOUNS | _PARTICLES or (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
                                        and word not in FUNCTION_WORDS)


def opens_sentence(tokens: Sequence[Token], i: int) -> bool:
    """Token ``i`` starts its sentence, or only openers ("honestly", "ok", "lol") come before it."""
    j = i
    while j >= 0 and not tokens[j].sent_start:
        j -= 1
    return j >= 0 and all(t.low in OPENERS for t in tokens[j:i] if t.word)


#: Evidence a candidate needs to become a mention.
THRESHOLD = 2.0


@dataclass
class Cand:
    """A candidate title span (token indices) and its evidence."""

    first: int  # token index of the first word
    last: int  # token index of the last word (inclusive, year excluded)
    key: str
    match: str
    rows: list[int]
    evidence: float = 0.0
    end_tok: int = 0  # last token incl. an attached year
    year: int | None = None
    listed: bool = False
    paired: bool = False
    edits: int = 0  # letters typed otherwise than the title (fuzzy)


def broken(tokens: Sequence[Token], a: int, b: int) -> bool:
    """True when punctuation between tokens ``a`` and ``b`` forbids one title over both."""
    return any(tokens[i].text in BREAKS for i in range(a + 1, b))


def quoted_ranges(text: str, tokens: Sequence[Token]) -> set[tuple[int, int]]:
    """``(first, last)`` word-token indices of every quoted stretch of the message."""
    ranges = set()
    for match in _QUOTE_RE.finditer(text):
        group = next(g for g in range(1, 4) if match.group(g) is not None)
        start, end = match.start(group), match.end(group)
        inside = [i for i, t in enumerate(tokens) if t.word and start <= t.start and t.end <= end]
        if inside:
            ranges.add((inside[0], inside[-1]))
    return ranges


def prev_word(tokens: Sequence[Token], i: int) -> int | None:
    """Index of the word before token ``i`` (not across a comma or a break), or ``None``."""
    j = i - 1
    while j >= 0 and not tokens[j].word and tokens[j].text not in BREAKS and tokens[j].text != ",":
        j -= 1
    return j if j >= 0 and tokens[j].word else None


def next_word(tokens: Sequence[Token], i: int, skip: str = "") -> int | None:
    """Index of the word right after token ``i`` (skipping punctuation in ``skip``), or ``None``."""
    j = i + 1
    while j < len(tokens) and not tokens[j].word and tokens[j].text in skip:
        j += 1
    return j if j < len(tokens) and tokens[j].word else None


def _named_pairs(cands: list[Cand], tokens: Sequence[Token]) -> None:
    """Two exact titles written with capitals and joined by "and" / "," ("Moon and Drive", "Big
    and Hook"), one of them capitalised mid-sentence: both are names, each gets evidence once."""
    exact = [c for c in cands if c.match == "exact" and tokens[c.first].cap]
    for a in exact:
        for b in exact:
            between = tokens[a.end_tok + 1:b.first]
            if a.end_tok < b.first and between and all(t.low in _LIST_JOINERS for t in between) \
                    and not (tokens[a.first].sent_start and tokens[b.first].sent_start):
                for cand in (a, b):
                    if not cand.paired:
                        cand.evidence += 1.5
                        cand.paired = True


def select(cands: list[Cand], tokens: Sequence[Token]) -> list[Cand]:
    """Non-overlapping candidates with enough evidence, strongest (then longest) first.

    A candidate listed next to an accepted one ("Heat and Alien", "The Matrix, Alien") gets a
    bonus, so lists of titles link together.
    """

    def pick(pool: list[Cand]) -> list[Cand]:
        chosen: list[Cand] = []
        taken: set[int] = set()
        order = sorted(pool, key=lambda c: (round(c.evidence + 0.5 * (c.last - c.first), 6), c.last - c.first),
                       reverse=True)  # then the longest: "Mad Max: Fury Road", not "Mad Max" before its colon
        for cand in order:
            if cand.evidence < THRESHOLD:
                continue
            span = set(range(cand.first, cand.end_tok + 1))
            if span & taken:
                continue
            chosen.append(cand)
            taken |= span
        return chosen

    _named_pairs(cands, tokens)
    chosen = pick(cands)
    for _ in range(3):
        ends = {c.end_tok for c in chosen} | {c.end_tok + 1 for c in chosen
                                              if c.end_tok + 1 < len(tokens)
                                              and tokens[c.end_tok + 1].text == ")"}
        starts = {c.first for c in chosen}
        bumped = False
        for cand in cands:
            if cand.listed or any(cand is c for c in chosen):
                continue
            j = cand.first - 1
            while j >= 0 and tokens[j].low in _LIST_JOINERS:
                j -= 1
            k = cand.end_tok + 1
            while k < len(tokens) and tokens[k].low in _LIST_JOINERS:
                k += 1
            if (j < cand.first - 1 and j in ends) or (k > cand.end_tok + 1 and k in starts):
                cand.evidence += 1.5
                cand.listed = True
                bumped = True
        if not bumped:
            break
        chosen = pick(cands)
    return chosen


def fuzzy_spans(tokens: Sequence[Token], words: list[int], covered: set[int],
                 quoted: set[tuple[int, int]], all_caps: bool,
                 cue_ends: set[int] = frozenset()) -> set[tuple[int, int]]:
    """Spans worth a typo-tolerant lookup: quotes, capitalised runs, words after a cue (a cue
    word, or the last word of a multi-word cue at ``cue_ends``)."""
    spans: set[tuple[int, int]] = set(quoted)
    # Capitalised runs ("The Matirx", "Shawshank Redemtion").
    runs: list[list[int]] = []
    run: list[int] = []
    for w in [] if all_caps else words:
        tok = tokens[w]
        if run and broken(tokens, run[-1], w):
            runs.append(run)
            run = []
        free = w not in covered and tok.low != "i"
        if free and (tok.cap or (run and tok.low in SMALL_TITLE_WORDS)):
            run.append(w)
        else:
            runs.append(run)
            run = []
    runs.append(run)
    for run in runs:
        while run and tokens[run[-1]].low in SMALL_TITLE_WORDS:
            run.pop()
        if run and not (len(run) == 1 and tokens[run[0]].sent_start):
            for a in range(len(run)):
                for b in range(a, min(len(run), a + 6)):
                    spans.add((run[a], run[b]))
    # The subject of a sentence before "is/was/…" ("goodfelas is peak cinema").
    for k, w in enumerate(words):
        if not tokens[w].sent_start or w in covered:
            continue
        end = subject_end(tokens, words, k)
        if end is not None:
            for b in range(k, end):
                spans.add((w, words[b]))
    # Segments after a cue ("i loved the matirx and ...").
    for k, w in enumerate(words):
        if tokens[w].low not in CUE_BEFORE and w not in cue_ends:
            continue
        seg: list[int] = []
        for nxt in words[k + 1:k + 7]:
            if nxt in covered or tokens[nxt].low in _SEGMENT_ENDS or broken(
                    tokens, seg[-1] if seg else w, nxt):
                break
            seg.append(nxt)
        for b in range(len(seg)):
            spans.add((seg[0], seg[b]))
    return spans


def subject_end(tokens: Sequence[Token], words: list[int], k: int) -> int | None:
    """For a sentence starting at ``words[k]``: the position in ``words`` of the first word after
    a subject of at most ten words that a :data:`SUBJECT_FOLLOWERS` word or mark ends, else ``None``."""
    for n in range(k, min(len(words), k + 11)):
        w = words[n]
        if n > k and (tokens[w].low in SUBJECT_FOLLOWERS or tokens[w].sent_start):
            return n if not tokens[w].sent_start else None
        after = w + 1
        if after < len(tokens) and not tokens[after].word and tokens[after].text in SUBJECT_FOLLOWERS:
            return n + 1
    return None


def same_as_before(tokens: Sequence[Token], first: int, last: int) -> bool:
    """The title shares the previous one's verdict: "and X too", "X as well", "same with X",
    "also X", "X also"."""
    before = [t.low for t in tokens[max(0, first - 3):first] if t.word]
    after = [t.low for t in tokens[last + 1:last + 4] if t.word]
    too = ("too", "also", "tambien", "también", "auch", "anche", "aussi", "tambem", "também")
    nxt = last + 2 if last + 1 < len(tokens) and tokens[last + 1].low == "too" else None
    if nxt is not None and nxt < len(tokens) and tokens[nxt].word and tokens[nxt].low not in FILLER_WORDS:
        return False  # "way too long", "far too slow": "too" is an adverb here, not "as well"
    return (before[-2:] == ["same", "with"] or before[-2:] == ["same", "for"] or (bool(before) and before[-1] in too)
            or (bool(before) and before[-1] in ("and", "plus", "y", "und", "e", "et") and bool(after)
                and after[0] in too)
            or after[:2] == ["as", "well"] or (bool(after) and after[0] in too))


#: Words that are the subject of a verdict as themselves: times ("last night was fun"), references
#: ("the second was better", "the other one"), so a span holding one is no evidence of a title.
_PLAIN_SUBJECTS = SUBJECT_WORDS | WHEN_WORDS | frozenset(
    "time day night week weekend morning evening afternoon today tonight this next every first second third "
    "fourth last final other same way thing things stuff end ending start beginning rest".split())
_COPULAS = COPULAS | NEGATED_COPULAS
#: A one-word subject rarer than this (wordfreq's Zipf scale) may be a title judged right after
#: it ("gravity was breathtaking", "hangover"); commoner words are plain subjects ("life is good").
_RARE_SUBJECT_ZIPF = 4.5


def verdict_subject(span: Sequence[Token], tokens: Sequence[Token], nxt: int, first: int, titled: bool = False) -> bool:
    """A span opening a sentence is judged right after it, the way people talk about a film:
    "get out was sooo good", "back to the future is such a fun movie" (two words or more, a copula
    and a judgement within three words), "signs genuinely scared me" (a past-tense verb done to
    the speaker); ``first`` is the span's first token; ``titled``: "the room" where the title is
    "The Room", so one everyday word may be it. Times and
    references ("last night was fun", "the second was better") are subjects themselves."""
    content = [t.low for t in span if t.word and t.low not in ("the", "a", "an")]
    if not opens_sentence(tokens, first) or not content or any(w in _PLAIN_SUBJECTS for w in content):
        return False
    after: list[str] = []
    for tok in tokens[nxt:nxt + 10]:
        if tok.text in BREAKS or tok.text == ",":
            break
        if tok.word and tok.low not in INTENSIFIERS and not (tok.low.endswith("ly") and len(tok.low) > 4):
            after.append(tok.low)
    if not after:
        return False
    if after[0] in _COPULAS:  # one everyday word is often a plain subject: "life is good"
        from .names import rare_word  # names reads this module

        return (len(content) > 1 or titled or rare_word(content[0], _RARE_SUBJECT_ZIPF)) and any(
            judgement(w, after_article=after[k] in ("a", "an")) for k, w in enumerate(after[1:4], start=1))
    return done_to_me(after)


#: Past tenses without "-ed" that people use for what a work did to them ("made me cry").
_IRREGULAR_PAST = frozenset("made gave got kept left blew put took drove had threw broke tore hit shook "
                            "sent brought caught won lost".split())


def done_to_me(after: Sequence[str]) -> bool:
    """The words after a subject say what it did to the speaker: "scared me", "made me cry",
    "gave me a headache", "blew me away"."""
    return len(after) > 1 and (after[0].endswith("ed") or after[0] in _IRREGULAR_PAST) and after[1] == "me"


#: Nouns only a work is called: "Seven is a masterpiece", "Big is one of my favourite movies".
_WORK_NOUNS = frozenset("movie movies film films flick flicks masterpiece masterpieces classic classics gem".split())


@functools.lru_cache(maxsize=1)
def _genre_plurals() -> frozenset[str]:
    return frozenset(w for w in GENRE_WORDS if " " not in w and w.endswith("s") and len(w) > 4)


def said_to_be_a_work(tokens: Sequence[Token], copula: int, domain) -> bool:
    """"is" / "was" at ``copula``, then a possessive or article and a word for the catalog's items
    (``domain``'s noun, or movie / film) within six words of the same clause: "is my favorite
    crime movie", "was a great film", "is a masterpiece" say their subject is a work."""
    if copula >= len(tokens) or tokens[copula].low not in ("is", "was", "s"):
        return False
    nouns = {domain.noun, domain.plural, *_WORK_NOUNS, *_genre_plurals()}  # "one of the best thrillers"
    words: list[str] = []
    for tok in tokens[copula + 1:copula + 8]:
        if tok.text in BREAKS or tok.text in ",.":
            break
        if tok.word:
            words.append(tok.low)
    return bool(words) and any(w in ("my", "a", "an", "the", "one") for w in words[:3]) \
        and any(w in nouns for w in words[1:7])


def listed(tokens: Sequence[Token], end: int, start: int) -> bool:
    """Only list joiners ("and", ",", "or", "&") between two spans."""
    between = tokens[end + 1:start]
    return bool(between) and all(t.low in ("and", "or", "&", ",", "nor") for t in between)


def first_token(tokens: Sequence[Token], mention: Any) -> int:
    """Index of the first token of a mention (a :class:`~tastebud.nlu.mention.TitleMention`)."""
    return next(i for i, t in enumerate(tokens) if t.start >= mention.start)


def slip_after(tokens: Sequence[Token], cand: Cand, vocabulary: frozenset[str]) -> bool:
    """A one-word title followed by no word at all ("the lion kng"): maybe a longer title mistyped."""
    from .names import rare_word  # names reads this module

    nxt = cand.end_tok + 1
    return len(cand.key.split()) == 1 and nxt < len(tokens) and tokens[nxt].word and tokens[nxt].low.isalpha() \
        and tokens[nxt].low not in vocabulary and rare_word(tokens[nxt].low, 2.7)


def titled(span: Sequence[Token], cand: Cand, catalog: Any) -> bool:
    """"the room": the article typed, and a title that starts with it (The Room), not a plain noun."""
    from .names import ASPECT_WORDS  # names reads this module

    return span[0].low == "the" and len(span) == 2 and span[1].low not in ASPECT_WORDS and any(
        catalog.items[r].title.lower().startswith("the ") for r in cand.rows)
