"""The title inside a run of capitalised words that also says who made it, who is in it, where it
was seen or whose it is: "Seven with Brad Pitt", "Gravity in IMAX", "Pixar's Up"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .lexicon import CREDIT_WORDS
from .mention import TitleMention
from .names import zipf
from .text import Token

__all__ = ["credited_title", "credited", "owner_of", "known_owner"]

#: wordfreq's Zipf frequency from which an owner's name is known ("pixar" 3.2, "kubrick" 2.9); an
#: invented one is near 0. Lower case, a name must also be rarer than everyday nouns ("dad" 5.0).
_KNOWN_NAME_ZIPF = 2.0
_PLAIN_NOUN_ZIPF = 3.8


def known_owner(tok: Token) -> bool:
    """A word that can say whose film follows ("Pixar's", "hitchcock's"): a name people know, not an
    invented one ("Tobbleworth's Revenge" is one title) nor, in lower case, a person ("my dad's")."""
    frequency = zipf(tok.low)
    return frequency >= _KNOWN_NAME_ZIPF and (tok.cap or frequency < _PLAIN_NOUN_ZIPF)


def credited_title(tokens: Sequence[Token], run: list[int], linker: Any, credits: frozenset[str]) -> TitleMention | None:
    """The exact title before "with/by/starring <name>" or "in/on <format>" in a run, or after whose
    it is ("Pixar's Up"), as a mention; ``credits`` are the words that open who made or plays in it."""
    if linker is None:
        return None
    own = next((n for n, i in enumerate(run) if tokens[i].low == "s" and 0 < n < len(run) - 1), None)
    if own is not None and (tokens[run[0]].low in ("the", "a", "an") or not all(
            known_owner(tokens[i]) for i in run[:own] if tokens[i].word)):
        own = None  # "The Clockmaker's Promise", "Tobbleworth's Revenge": one name, not whose it is
    if own is not None:  # "Pixar's Up made me cry": a studio or a person everyone knows, then the title
        run = run[own + 1:]
    cut = next((n for n, i in enumerate(run) if n and tokens[i].low in credits | {"in", "on"}), len(run))
    if cut == len(run) and own is None:
        return None
    start, end = tokens[run[0]].start, tokens[run[cut - 1]].end
    mention = linker.lookup(" ".join(tokens[i].text for i in run[:cut]))
    if mention is None or mention.match != "exact":
        return None
    mention.start, mention.end = start, end
    mention.span, mention.score = " ".join(tokens[i].text for i in run[:cut]), 0.6
    return mention


def credited(tokens: Sequence[Token], before: Sequence[TitleMention], mention: TitleMention) -> bool:
    """A name right after "<title> with / starring / by": a person ("Hook with Robin Williams"), not
    another title; even an exact one of one or two words, a name that is also a title ("Rope by
    Hitchcock", "Speed with Keanu")."""
    if not before or (mention.match == "exact" and len(mention.span.split()) > 2):
        return False
    words = [t for t in tokens if t.word and before[-1].end <= t.start < mention.start]
    return 1 <= len(words) <= 2 and words[0].low in CREDIT_WORDS  # "Friday with Ice Cube": a first name between


def owner_of(text: str, after: Sequence[TitleMention], mention: TitleMention) -> bool:
    """A title right before "'s" and another title names whose that one is ("hitchcock's psycho")."""
    return bool(after) and re.fullmatch(r"['’]s\s+", text[mention.end:after[0].start]) is not None
