"""Lower-case names in the places a title goes that link to no title: "i loved barbie",
"hated midsommar", "oppenheimer was incredible", "my favorite movie is flimflorp".

Capitalised names are found as runs of capitals (:mod:`tastebud.nlu.phrases`); people typing on
a phone write them lower-case. A lower-case stretch is a name only where a title is expected —
the object of a like / dislike / seen cue, or the subject of a verdict — and only when one of
its words is rare in everyday English (``wordfreq``'s Zipf scale: "midsommar" 1.4,
"oppenheimer" 2.9, but "ending" 4.7, "dinner" 4.8). Rarity is what tells a name from a plain
noun phrase ("i loved the ending", "dinner was great"); a hand list of everyday words could
never be complete, which is why a word-frequency library is used. Parts of a work that people
judge ("the soundtrack", "the acting") and the function and genre words of the other languages'
tables ("los documentales") are never names. The tools then look the name up and
answer "not in the catalog" or "did you mean …?".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .languages import function_words
from .lexicon import (ADVERBIAL_OPENERS, FILLER_WORDS, FUNCTION_WORDS, GENRE_PARTS, GREETING_WORDS, INTENSIFIERS, SMALL_TITLE_WORDS,
                      WHEN_WORDS)
from .spans import OPENERS, SUBJECT_FOLLOWERS, SUBJECT_WORDS, done_to_me
from .text import Token
from .valence import judgement

__all__ = ["plain_names", "named_as_such", "alone_then_judged", "judged_as_it", "rare_word", "zipf", "RARE_ZIPF", "POLAR_CUES", "AFTER_CUES"]

#: Words rarer than this (Zipf: log10 of uses per billion words) may be part of a name.
RARE_ZIPF = 4.0
#: Cues a title follows ("loved X", "like X"), and cues that follow it ("X was great").
POLAR_CUES = ("like", "dislike", "seen", "anchor")
AFTER_CUES = ("after_like", "after_dislike")
_FILM_NOUNS = frozenset("movie movies film films flick flicks show shows series book books game games "
                        "episode episodes season seasons".split())
#: What people judge in a work without naming it: "loved the soundtrack", "the cgi was awful".
ASPECT_WORDS = frozenset("""
acting actor actors actress actresses animation art atmosphere audio cast casting character characters
choreography cinematography cgi costumes dialog dialogue direction director directing editing effects
ending endings finale fx graphics humor humour jokes lead leads lighting lines makeup music pacing
performance performances photography plot premise production scenes scene score screenplay script
sequel sequels setting sets sound soundtrack soundtracks special story storyline stunts twist twists
villain villains visuals vibe vibes voice writing
""".split())
_NAME_STOPS = frozenset("and or but because so though tho".split())
_HEADS = _FILM_NOUNS | frozenset("one ones kind type sort".split())
#: "i thought X was …", "i found X boring": the speaker's opinion verb before a judged subject.
_OPINION_OPENERS = frozenset("thought think found find felt feel guess reckon".split())


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English: log10 of its uses per billion words (0 = unseen)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def rare_word(word: str, below: float = RARE_ZIPF) -> bool:
    """A word rarer than ``below`` in English (names, made-up and foreign words)."""
    return zipf(word) < below


@lru_cache(maxsize=16384)
def _genre_typo(word: str) -> bool:
    """One edit from a genre word ("comedys", "thriler"): a genre misspelt, not a name."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return len(word) > 4 and process.extractOne(word, GENRE_PARTS, scorer=OSA.distance, score_cutoff=1) is not None


def _name_word(tok: Token, taken: set[int], i: int, inner: bool) -> bool:
    if inner and tok.low.isdigit() and len(tok.low) <= 2 and i not in taken:
        return True  # "zorgon 7": a number after a name is its sequel's
    if not tok.word or i in taken or tok.cap and not tok.sent_start:
        return False
    low = tok.low
    if inner and low in SMALL_TITLE_WORDS and low not in ("and",):
        return True
    return not (low in FUNCTION_WORDS or low in FILLER_WORDS or low in GENRE_PARTS or low in _FILM_NOUNS
                or low in ASPECT_WORDS or low in INTENSIFIERS or low in WHEN_WORDS or low in _NAME_STOPS
                or low in SUBJECT_WORDS or tok.norm in function_words() or _genre_typo(low))


def _run(tokens: Sequence[Token], start: int, taken: set[int], clauses: Sequence[int]) -> list[int]:
    """Name words from ``start`` on (small title words inside), within one clause, at most six."""
    run: list[int] = []
    i = start
    while i < len(tokens) and len(run) < 6 and clauses[i] == clauses[start] and (not run or not tokens[i].sent_start):
        if not _name_word(tokens[i], taken, i, inner=bool(run)):
            break
        run.append(i)
        i += 1
    while run and (tokens[run[-1]].low in SMALL_TITLE_WORDS or (tokens[run[-1]].low.isdigit() and run[-1] + 1 < len(
            tokens) and tokens[run[-1] + 1].low in _COUNTED)):  # "midsommar 2 times": how often, not a sequel
        run.pop()
    return run


_COUNTED = frozenset("times time x hours hrs minutes mins days weeks months years".split())


def _is_name(tokens: Sequence[Token], run: list[int]) -> bool:
    words = [tokens[i].norm for i in run if tokens[i].low not in SMALL_TITLE_WORDS]
    head = next((t.low for t in tokens[run[-1] + 1:] if t.word), "")  # "a cozy one": words before a noun describe it
    return bool(words) and head not in _HEADS and any(w.isalpha() and rare_word(w) for w in words)


def _after_cue(tokens: Sequence[Token], cue, taken: set[int], clauses: Sequence[int]) -> list[int]:
    """The name right after a cue ("loved barbie", "my favorite movie is flimflorp")."""
    i = cue.last + 1
    skipped = 0
    while i < len(tokens) and tokens[i].word and skipped < 3 and clauses[i] == clauses[cue.last] and (
            tokens[i].low in ("is", "are", "was", "my", "your", "this", "that") or tokens[i].low in _FILM_NOUNS
            or tokens[i].low in INTENSIFIERS):
        i, skipped = i + 1, skipped + 1
    if i < len(tokens) and tokens[i].low in ADVERBIAL_OPENERS:
        return []  # "Gladiator I adored back in school": when, not what
    the = i < len(tokens) and tokens[i].low in ("the", "a", "an")
    run = _run(tokens, i + the, taken, clauses) if i < len(tokens) and clauses[i] == clauses[cue.last] else []
    return ([i] if the and run else []) + run


def _judged(tokens: Sequence[Token], run: list[int], cues: Sequence) -> bool:
    """A verdict follows the stretch: "… was incredible", "… is my favorite", "… stressed me out"."""
    nxt = run[-1] + 1
    if nxt >= len(tokens):
        return False
    if any(c.kind in AFTER_CUES and c.first == nxt for c in cues):
        return True
    follow = [t for t in tokens[nxt:nxt + 6] if t.word]
    if follow and follow[0].low in SUBJECT_FOLLOWERS and follow[0].low != "i" and any(
            c.kind in POLAR_CUES + AFTER_CUES and nxt < c.first <= nxt + 4 for c in cues):
        return True
    return done_to_me([t.low for t in follow]) or alone_then_judged(tokens, run[0], nxt)  # "dragonfly express? loved it"


def _subject(tokens: Sequence[Token], k: int, taken: set[int], clauses: Sequence[int]) -> list[int]:
    """The stretch opening the sentence at token ``k`` (after openers and "i thought")."""
    i = k
    while i < len(tokens) and tokens[i].word and tokens[i].low in OPENERS - {"the", "a", "an"}:
        i += 1
    if i + 1 < len(tokens) and tokens[i].low == "i" and tokens[i + 1].low in _OPINION_OPENERS:
        i += 2
    the = i < len(tokens) and tokens[i].low in ("the", "a", "an")
    run = _run(tokens, i + the, taken, clauses) if i + the < len(tokens) else []
    return ([i] if the and run else []) + run


def plain_names(tokens: Sequence[Token], taken: set[int], cues: Sequence,
                clauses: Sequence[int]) -> list[tuple[int, int]]:
    """``(first, last)`` token spans of lower-case names where a title is expected.

    Args:
        tokens: The message's tokens.
        taken: Tokens of linked titles (never part of a name here).
        cues: The message's cues (:func:`tastebud.nlu.cues.find_cues`).
        clauses: Clause id of each token.
    """
    cue_tok = {i for c in cues for i in range(c.first, c.last + 1)}
    spans: list[tuple[int, int]] = []

    def add(run: list[int]) -> None:
        owner = bool(run) and run[-1] + 2 < len(tokens) and tokens[run[-1] + 1].low == "s" and run[-1] + 2 in taken
        if run and not cue_tok & set(run) and _is_name(tokens, run) and not owner \
                and not any(a <= run[-1] and run[0] <= b for a, b in spans):  # "Pixar's Brave": whose, not a title
            spans.append((run[0], run[-1]))

    for cue in cues:
        if cue.kind in POLAR_CUES:
            add(_after_cue(tokens, cue, taken, clauses))
    for k, tok in enumerate(tokens):
        if tok.sent_start and tok.word:
            run = _subject(tokens, k, taken, clauses)  # "uncut gems stressed me out": the verb ends it
            judged = next((n for n in range(len(run), 0, -1) if _judged(tokens, run[:n], cues)), 0)
            if judged and (judged > 1 or tokens[run[0]].low not in ("the", "a", "an")) \
                    and tokens[run[0]].low not in ("my", "our", "i"):  # "my cousin showed me X": a person
                add(run[:judged])
    return sorted(spans)


_NAMING_VERBS = frozenset("called named titled".split())


def named_as_such(tokens: Sequence[Token], taken: set[int], clauses: Sequence[int],
                  quoted: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(first, last)`` spans the person marks as a name themselves, linked to no title: a quoted
    stretch ("i loved 'the dog who ate paris'") or the words after "a movie called / named / titled"
    ("do u have a movie called grandma steals the moon"). No rare word is needed: the person says
    it is a name."""
    spans = [(a, b) for a, b in quoted if not taken & set(range(a, b + 1))
             and any(_name_word(tokens[i], set(), i, inner=False) for i in range(a, b + 1))]
    for k, tok in enumerate(tokens):
        before = [t.low for t in tokens[max(0, k - 2):k] if t.word]
        if tok.low not in _NAMING_VERBS or not set(before) & (_HEADS | {"something"}):
            continue
        run: list[int] = []
        for i in range(k + 1, min(len(tokens), k + 9)):
            low = tokens[i].low
            if not tokens[i].word or i in taken or clauses[i] != clauses[k + 1] or (
                    low in FILLER_WORDS and low not in SMALL_TITLE_WORDS) or low in ("is", "was", "worth"):
                break
            run.append(i)
        if run and not any(a <= run[0] <= b for a, b in spans):
            spans.append((run[0], run[-1]))
    return sorted(spans)


def alone_then_judged(tokens: Sequence[Token], first: int, nxt: int) -> bool:
    """A sentence that is only the name, and the next one opens with a verdict: "Winterfall
    Station. Best movie ever.", "Gloomhaven Nights? Dull."."""
    if not tokens[first].sent_start or nxt >= len(tokens) or tokens[nxt].text not in (".", "?", "!", ":", "—", "–"):
        return False
    after = [t.low for t in tokens[nxt + 1:nxt + 5] if t.word and t.low not in INTENSIFIERS]
    name = " ".join(t.low for t in tokens[first:nxt] if t.word)
    return bool(after) and judgement(after[0]) != 0 and name not in GREETING_WORDS  # not "Good Morning."


_SHOWN = frozenset("showed shown recommended introduced rented streamed discovered found tried put".split())


def judged_as_it(tokens: Sequence[Token], run: list[int], cues: Sequence) -> bool:
    """A capitalised name mid-sentence with a rare word, then "liked it" / "loved it" later ("my son
    showed me Glimmerpox Academy on saturday, liked it a lot"): what "it" stands for is the name."""
    before = {t.low for t in tokens[max(0, run[0] - 3):run[0]] if t.word}
    if tokens[run[0]].sent_start or not before & _SHOWN or not any(
            tokens[i].cap and tokens[i].low.isalpha() and rare_word(tokens[i].low) for i in run):
        return False  # (a name after "showed me", "recommended", "put on": not "Joaquin falling for his phone")
    return any(c.kind in POLAR_CUES[:3] and c.first > run[-1] and c.last + 1 < len(tokens)
               and tokens[c.last + 1].low in ("it", "this", "that") for c in cues)
