"""What the title linker reads of a whole message before scoring its candidates: how it is cased,
what is quoted, and where cue phrases end (a title is expected after them) or start (a title is
expected before them)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from .cues import opinion_phrases
from .languages import cue_phrases, title_cues
from .lexicon import DETAILS_PHRASES, DISLIKE_PHRASES, FILLER_WORDS, LIKE_PHRASES, QUESTION_PHRASES
from .spans import CUE_BEFORE, quoted_ranges
from .text import Token, find_phrases

__all__ = ["LinkContext", "link_context"]


@dataclass(frozen=True)
class LinkContext:
    """The message-wide facts :meth:`tastebud.nlu.titles.TitleLinker._score` reads.

    Attributes:
        all_caps: Every word is in capitals (capitals say nothing).
        no_case: Nothing is capitalised at all.
        quoted: ``(first, last)`` token spans inside quotes.
        whole: The first and last content word when the message is only a few words, else ``None``.
        cue_ends: Tokens that end a cue a title follows ("big fan of", "j'ai adoré", "do you have").
        cue_starts: Tokens that start a cue of another language a title precedes ("… habe ich schon
            gesehen", "… me encantó").
        plain: Nothing is capitalised but "I", digits and sentence starts.
        low_text: The message in lower case.
    """

    all_caps: bool
    no_case: bool
    quoted: set[tuple[int, int]]
    whole: tuple[int, int] | None
    cue_ends: set[int]
    cue_starts: set[int]
    plain: bool
    low_text: str


@functools.lru_cache(maxsize=1)
def _foreign_after_cues() -> tuple[str, ...]:
    """Phrases of other languages said after a title: a verdict or a viewing."""
    kinds = ("like", "dislike", "seen", "after_like", "after_dislike", "end_dislike")
    return tuple(dict.fromkeys(p for kind in kinds for p in cue_phrases(kind)))


def link_context(text: str, tokens: Sequence[Token], words: Sequence[int]) -> LinkContext:
    """Read the message-wide facts once per message (``words``: indices of its word tokens)."""
    content = [w for w in words if tokens[w].low not in FILLER_WORDS and tokens[w].low not in CUE_BEFORE]
    # the last word of a multi-word cue ("big fan of", "fell asleep during") comes before a title
    cue_ends = {b - 1 for a, b in opinion_phrases(tokens, LIKE_PHRASES + DISLIKE_PHRASES) if b - a > 1}
    cue_ends |= {b - 1 for a, b, _ in find_phrases(tokens, title_cues())}  # "adorei X", "j'ai adoré X"
    cue_ends |= {b - 1 for a, b, _ in find_phrases(tokens, QUESTION_PHRASES + DETAILS_PHRASES)}  # "do you have X"
    return LinkContext(
        all_caps=not any(t.text.islower() or t.text.istitle() for t in tokens if t.word
                         and len(t.text) > 1 and t.low != "i"),
        no_case=text.lower() == text,
        quoted=quoted_ranges(text, tokens),
        whole=(content[0], content[-1]) if content and len(content) <= 6 else None,
        cue_ends=cue_ends,
        cue_starts={a for a, b, _ in find_phrases(tokens, _foreign_after_cues())},
        plain=not any(t.word and t.cap and not t.sent_start and t.low != "i" and not t.text[0].isdigit()
                      for t in tokens),
        low_text=text.lower(),
    )
