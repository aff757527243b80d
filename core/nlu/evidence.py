"""Evidence for a title candidate read from the words around it, kept out of the linker's main
scoring (:meth:`tastebud.nlu.titles.TitleLinker._score`): the object said before its verb, the
film meant said after it ("her, the joaquin phoenix one"), and "I" opening a sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lexicon import LIKE_VERBS
from .names import rare_word
from .spans import VIEWING, opens_sentence
from .text import Token

__all__ = ["around"]

_AUXILIARIES = frozenset("ve have d had already just also all both".split())
_APPOSITIVE_RE = re.compile(r"\s*[,(]\s*the\s+(?:[\w'’-]+\s+){1,5}one\b")


def around(tokens: Sequence[Token], first: int, end: int, prev: int | None, after: list[str],
           low_text: str) -> tuple[float, bool]:
    """Evidence for the candidate at tokens ``first..end`` from its surroundings, and whether the
    person named which film they mean in a way that makes even a pronoun a title.

    Args:
        tokens: The message's tokens.
        first: The candidate's first token.
        end: Its last token (with a year after it, if any).
        prev: Index of the word before it, or ``None``.
        after: The lower-case words after it (intensifiers left out).
        low_text: The message in lower case.
    """
    ev = 0.0
    span = [t for t in tokens[first:end + 1] if t.word]
    verb = next((w for w in after[1:4] if w not in _AUXILIARIES), "") if after[:1] in (["i"], ["we"]) else ""
    if opens_sentence(tokens, first) and (verb in VIEWING or verb in LIKE_VERBS or verb in ("hated", "hate")):
        ev += 2.0  # "gravity i've already watched", "heat we loved": the object said first
    which = _APPOSITIVE_RE.match(low_text, tokens[end].end)
    named = bool(which) and any(w.isdigit() or rare_word(w) for w in which.group().split()[1:-1])
    nxt = end + 1
    if which:  # "her, the joaquin phoenix one": the person says which film they mean (named: even "her")
        ev += 3.0
    elif nxt < len(tokens) and tokens[nxt].low == "one" and "the" in (span[0].low, prev is not None and tokens[prev].low):
        ev -= 2.0  # "… the hitchcock one": who made the film meant, not a title
    if span[0].text == "I" and len(span) > 1 and not any(t.cap for t in span[1:]):
        ev -= 3.0  # "I confess I nodded off", "I must confess": the person speaking, not "I Confess"
    lower = not any(t.cap and not t.sent_start for t in span)
    if lower and len(span) == 2 and span[0].low in ("my", "our", "a", "an") and not rare_word(span[1].low, 3.0):
        ev -= 3.0  # "my life is a mess": the person's own; "today was a rollercoaster", "cried like a baby": a noun
    return ev, named
