"""References to the previous answer's items: "the second one", "the first two", "#3", "that one", "all of them"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .cues import word_before
from .lexicon import ALL_REF_PHRASES, NUMBER_WORDS, ORDINALS, POSITION_WORDS, REF_NOUNS
from .text import Token, find_phrases
from .valence import judgement

__all__ = ["RefSpan", "find_refs"]

_REF_FOLLOWERS = REF_NOUNS | frozenset(
    "and or but is was are were looks look sounds seems please too also then already again twice before yet "
    "though tho honestly tbh lol haha".split())  # "seen the 2nd already"
_REF_DETERMINERS = frozenset("the that your this my".split())
_FAVOURITE = frozenset("favourite favorite fave faves fav favs favourites favorites".split())
_IT_CUES = frozenset(
    "seen saw watched read played bought like liked love loved hated hate disliked why explain enjoyed".split())


@dataclass
class RefSpan:
    """A reference to items of the previous answer: tokens ``first..last`` and indices."""

    first: int
    last: int
    indices: list[int] = field(default_factory=list)
    kind: str = "ordinal"  # ordinal | that | all


def _ordinal_ok(tokens: Sequence[Token], i: int, words: list[int], refs: list[RefSpan]) -> int:
    """First token of the reference when ordinal ``i`` refers to a list item, else -1."""
    k = words.index(i)
    prev = tokens[words[k - 1]] if k else None
    nxt = tokens[words[k + 1]] if k + 1 < len(words) else None
    low = tokens[i].low
    punct_after = i + 1 < len(tokens) and not tokens[i + 1].word  # "hated the 2nd, loved the 3rd"
    if refs and k > 1 and (refs[-1].last == words[k - 1] and tokens[i - 1].text == "," or (
            prev is not None and prev.low in ("and", "or") and refs[-1].last == words[k - 2])):
        return i  # "the second, third and fifth": listed after another position
    if nxt is not None and nxt.low not in _REF_FOLLOWERS and nxt.low not in NUMBER_WORDS \
            and not nxt.low.isdigit() and not (punct_after and prev is not None and prev.low in _REF_DETERMINERS):
        return -1
    if low == "top" and (nxt is None or (nxt.low not in REF_NOUNS and nxt.low not in NUMBER_WORDS
                                         and not nxt.low.isdigit())) or (
            low == "top" and prev is not None and prev.low in ("my", "our", "all")):  # "the top two", not "my top 3"
        return -1
    if prev is not None and prev.low in _REF_DETERMINERS:
        return words[k - 1]
    if nxt is not None and nxt.low in ("and", "or") and k + 2 < len(words) and tokens[words[k + 2]].low in ORDINALS:
        return i  # "2nd and 3rd are both amazing"
    if low != "last" and (len(words) <= 3 or (nxt is not None and nxt.low in REF_NOUNS)):
        return i
    return -1


def _bare_position(tokens: Sequence[Token], words: list[int], k: int) -> bool:
    """A bare number names a list position when it stands in a list of numbers or before a cue
    ("1 and 3 I've seen, 2 I hated"), not as a quantity ("2 hours", "3 movies")."""
    nxt = tokens[words[k + 1]].low if k + 1 < len(words) else ""
    prev = tokens[words[k - 1]].low if k else ""
    around = {nxt, prev}
    return (nxt in ("", "and", "or", "i", "is", "was", "looks", "sounds") or prev in ("and", "or", "not", "skip")
            or nxt.isdigit() or prev.isdigit()) and not (around & REF_NOUNS - {"one"})  # "seen 1, 2 and 3"


def _number_list(tokens: Sequence[Token], words: list[int], k: int) -> bool:
    """Number words listed as positions: "one and two", "two or three" (never "one" alone)."""
    nxt = tokens[words[k + 1]].low if k + 1 < len(words) else ""
    after = tokens[words[k + 2]].low if k + 2 < len(words) else ""
    prev = tokens[words[k - 1]].low if k else ""
    before = tokens[words[k - 2]].low if k > 1 else ""
    return (nxt in ("and", "or") and after in NUMBER_WORDS) or (prev in ("and", "or") and before in NUMBER_WORDS)


def find_refs(tokens: Sequence[Token], n_last: int, blocked: set[int],
              cue_ends: frozenset[int] = frozenset(), subject_it: bool = False) -> list[RefSpan]:
    """References to the previous answer's items.

    Ordinals ("the second one", "the first two", "the last one", "#3"), "that one"/"it"
    after a cue ("seen it", "why that one") and "all of them". "That one" needs a previous
    list: it is index 0 (the caller is told it is ambiguous when the list had more items).

    Args:
        tokens: The message's tokens.
        n_last: Length of the previous list (0 when unknown).
        blocked: Token indices already used by title mentions.
        cue_ends: Last tokens of like / dislike / seen cues: "it" right after one is a reference
            whatever the verb ("didn't enjoy it", "adored it").
        subject_it: An item was just discussed: "it" / "that" opening a sentence before "is" / "was"
            is that item ("it's one of my favourites", "that was boring").
    """
    words = [i for i, t in enumerate(tokens) if t.word and i not in blocked]
    refs: list[RefSpan] = []
    for k, i in enumerate(words):
        tok = tokens[i]
        if refs and i <= refs[-1].last:
            continue
        nxt = tokens[words[k + 1]] if k + 1 < len(words) else None
        if tok.low in ORDINALS or tok.low == "last":
            start = _ordinal_ok(tokens, i, words, refs)
            if start < 0:
                continue
            end, count, j = i, 1, k + 1
            if nxt is not None and (nxt.low in NUMBER_WORDS or nxt.low.isdigit()):
                count, end, j = min(20, NUMBER_WORDS.get(nxt.low) or int(nxt.low)), words[k + 1], k + 2
            if j < len(words) and tokens[words[j]].low in REF_NOUNS:
                end = words[j]
            if tok.low == "last":
                indices = list(range(max(0, n_last - count), n_last)) if n_last else []
            else:
                base = ORDINALS[tok.low]
                indices = list(range(base, base + count))
            refs.append(RefSpan(start, end, indices, "ordinal"))
        elif (tok.low in POSITION_WORDS or tok.text == "#") and nxt is not None and (
                (nxt.low.isdigit() and 0 < int(nxt.low) <= 50) or nxt.low in NUMBER_WORDS):
            number = int(nxt.low) if nxt.low.isdigit() else NUMBER_WORDS[nxt.low]
            refs.append(RefSpan(i, words[k + 1], [number - 1], "ordinal"))
        elif n_last and tok.text.isdigit() and 0 < int(tok.text) <= n_last and (
                _bare_position(tokens, words, k) or (i > 0 and tokens[i - 1].text == "#")):  # "saw #4 already"
            refs.append(RefSpan(i, i, [int(tok.text) - 1], "ordinal"))
        elif n_last and tok.low in NUMBER_WORDS and tok.low != "both" and NUMBER_WORDS[tok.low] <= n_last \
                and _number_list(tokens, words, k):
            refs.append(RefSpan(i, i, [NUMBER_WORDS[tok.low] - 1], "ordinal"))
    if n_last:
        named = list(refs)  # "that one" / "it" after an explicit position means that position
        for a, b, phrase in find_phrases(tokens, ("that one", "this one", "that movie", "this movie",
                                                  "that film", "this film", "the one")):
            if phrase == "the one" and any(i < a for i in blocked):
                continue  # "Collateral was the one I didn't like": the title itself, not the list
            if not any(r.first <= a <= r.last for r in refs) and not blocked & set(range(a, b)):
                earlier = [r for r in named if r.last < a and len(r.indices) == 1]
                refs.append(RefSpan(a, b - 1, list(earlier[-1].indices) if earlier else [0],
                                    "ordinal" if earlier else "that"))
        for a, b, _ in find_phrases(tokens, ALL_REF_PHRASES):
            if not any(r.first <= a <= r.last for r in refs):
                prev = word_before(tokens, a)
                if b - a > 1 or (prev is not None and prev.low in _IT_CUES):
                    refs.append(RefSpan(a, b - 1, list(range(n_last)), "all"))
        for k, i in enumerate(words):
            prev = tokens[words[k - 1]] if k else None
            if tokens[i].low in ("it", "that", "this") and prev is not None \
                    and (prev.low in _IT_CUES or words[k - 1] in cue_ends) \
                    and not any(r.first <= i <= r.last for r in refs) \
                    and not any(b < i for b in blocked) and not any(r.last < i for r in named):
                refs.append(RefSpan(i, i, [0], "that"))
            elif subject_it and tokens[i].low in ("it", "that", "this") and tokens[i].sent_start and not refs \
                    and k + 1 < len(words) and tokens[words[k + 1]].low in ("s", "is", "was") and not blocked \
                    and any(judgement(tokens[j].low) or tokens[j].low in _FAVOURITE for j in words[k + 2:k + 9]):
                refs.append(RefSpan(i, i, [0], "that"))  # "it was great", not "it is raining"
    refs.sort(key=lambda r: r.first)
    return refs
