"""Genre words of a message: wanted or unwanted, and the ones that only describe something.

Split from :mod:`tastebud.nlu.parse`, which calls :func:`read_genres` once per turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import languages
from .lexicon import GENRE_WORDS, SPACE_SCIFI_AFTER, SPACE_SCIFI_BEFORE
from .text import Token, find_phrases

if TYPE_CHECKING:
    from .titles import TitleLinker

__all__ = ["read_genres"]

_POSSESSIVES = frozenset("my our his her their your mom's dad's".split())
_FIGURATIVE = frozenset("such total pure complete utter absolute being".split())
_COPULAS = frozenset("is was are were s".split())
_ADJECTIVE_ENDS = ("y", "ing", "ic", "ous", "ful", "ed")
_ACTIONS = frozenset("went are were is was have had love loved like liked want wanted get got fell".split())
_REQUESTED = frozenset("something anything one movie film movies films that which it".split())


def _described_by(tokens: Sequence[Token], a: int) -> bool:
    """A genre word that describes someone or something ("JK Simmons is terrifying", "we watched
    Coco with the kids", "the kids went to bed"), not a kind of film asked for ("something that
    is funny", "tonight's vibe is romance") nor "not just docs"."""
    words = [t.low for t in tokens[max(0, a - 3):a] if t.word]
    nxt = next((t.low for t in tokens[a + 1:a + 3] if t.word), "")
    if words[-1:] == ["the"] and nxt in _ACTIONS:
        return True
    if words[-2:] in (["not", "just"], ["not", "only"]):
        return True
    if words and words[-1] in _COPULAS and tokens[a].low.endswith(_ADJECTIVE_ENDS):
        return len(words) < 2 or words[-2] not in _REQUESTED
    if words[-1:] == ["with"]:  # "watched it with kids", but "something with action" asks for it
        return len(words) < 2 or words[-2] not in _REQUESTED
    return words[-2:] in (["with", "the"], ["with", "my"], ["with", "our"])

def read_genres(out: Any, tokens: Sequence[Token], linker: TitleLinker, cues, clauses,
            scope: set[int], used: set[int], blocked: set[int]) -> None:
    vocab = {g.lower(): g for g in linker.genres}
    own = languages.genre_phrases()
    words = {**own, **GENRE_WORDS}  # and other languages' genre words
    # An English genre word that is a common word of the message's language is that word
    # (German "war" = "was"), not a genre; the language's own genre phrases still count.
    common = languages.stopwords().get(out.language_hint, frozenset()) if out.non_english else frozenset()
    hits = [(a, b, words[p]) for a, b, p in find_phrases(tokens, tuple(words))  # not inside "war super"
            if not any(c.first <= a and b - 1 <= c.last and c.first < c.last for c in cues)
            and not (p in common and p not in own)]
    for i, tok in enumerate(tokens):
        if tok.low == "space":
            prev = tokens[i - 1].low if i else ""
            nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
            if prev in SPACE_SCIFI_BEFORE or nxt in SPACE_SCIFI_AFTER:
                hits.append((i, i + 1, ("Sci-Fi",)))
    wanted: list[str] = []
    unwanted: list[str] = []
    for a, b, names in sorted(hits):
        if blocked & set(range(a, b)) or (a and tokens[a - 1].low in _POSSESSIVES | _FIGURATIVE | {"too"}) or (
                a > 1 and (tokens[a - 2].low, tokens[a - 1].low) == ("as", "a")) or _described_by(tokens, a):
            continue  # a title's words, "my kids" (someone's), "such a drama at work" (a figure of speech)
        clause = clauses[a]
        before = [c for c in cues if c.last < a and clauses[c.last] == clause
                  and c.kind in ("like", "dislike", "neg")]
        after = [c for c in cues if b <= c.first <= b + 1 and c.kind in ("after_dislike", "dislike")
                 and clauses[c.first] == clause]
        negative = a in scope or (before and before[-1].kind == "dislike") or bool(after)  # "documentaries bore me"
        for name in names:
            genre = vocab.get(name.lower())
            if genre is None:
                continue
            target = unwanted if negative else wanted
            if genre not in target:
                target.append(genre)
        if negative:
            used.update(range(a, b))
    out.unwanted_genres = unwanted
    out.wanted_genres = [g for g in wanted if g not in unwanted]
    if len(out.wanted_genres) < len(wanted):  # "horror but no horror": keep it out, and ask
        out._clarify("contradictory_genres")
