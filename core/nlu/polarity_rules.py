"""Rules first, the learned polarity model where the rules say nothing.

The cue rules (:func:`tastebud.nlu.cues.polarity`) read explicit words ("loved X", "X was
boring"); the learned model (:mod:`tastebud.nlu.polarity`, trained on ReDial seekers'
questionnaires) reads the rest ("X was a blast", "X left me cold"). It is asked only about
titles no rule spoke of, once per message, and only a confident answer counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .text import Token

__all__ = ["learned", "MIN_PROBABILITY"]

#: The model's answer counts from this probability on (below it the title is only mentioned).
MIN_PROBABILITY = 0.5
_FIELD = {"liked": "liked", "disliked": "disliked"}


def learned(pols: list[set[str]], spans: Sequence[tuple], forgotten: set[int], text: str,
            tokens: Sequence[Token], model: Any) -> None:
    """Fill in, in place, the polarity of spans no rule spoke of, from ``model`` (if any).

    Args:
        pols: Polarity per span (sets of ``liked`` / ``disliked`` / ``seen`` / ``anchor`` / ``explain``).
        spans: ``(first token, last token, mention, indices)`` per span, in text order.
        forgotten: Indices of spans the message takes back (left alone).
        text: The cleaned message.
        tokens: Its tokens.
        model: A :class:`~tastebud.nlu.polarity.PolarityModel`, or ``None`` for rules only.
    """
    if model is None:
        return
    todo = [k for k in range(len(spans)) if not pols[k] and k not in forgotten]
    if not todo:
        return
    chars = [(tokens[spans[k][0]].start, tokens[spans[k][1]].end) for k in todo]
    for k, (label, prob) in zip(todo, model.classify(text, chars), strict=True):
        if label in _FIELD and prob >= MIN_PROBABILITY:
            pols[k] = {_FIELD[label]}
