"""The intent of a turn, decided after everything else was read (see :data:`INTENTS` order)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .refs import RefSpan

__all__ = ["decide_intent"]


def decide_intent(out: Any, flags: dict, last: list[str], has_profile: bool, refs: Sequence[RefSpan]) -> None:
    """Set ``out.intent`` (and a clarification where needed) from what the turn holds.

    Args:
        out: The :class:`~tastebud.nlu.parse.TurnParse` being built.
        flags: Phrase flags of the turn (``reset``, ``undo``, ``profile``, ``explain``, ``details``…).
        last: Item ids of the previous list.
        has_profile: The user already has a taste to recommend from.
        refs: References to the previous list.
    """
    ref_mentions = [m for m in out.mentions if m.ref is not None]
    title_content = [m for m in out.liked + out.disliked + out.anchors if m.ref is None]
    constraints = bool(out.wanted_genres or out.unwanted_genres or out.year_from or out.year_to
                       or out.query or title_content)
    explain = flags["explain"]
    out.wants_more = flags["another"]
    polar_refs = [m for m in ref_mentions if m in out.liked or m in out.disliked]
    if flags["reset"]:
        out.intent = "reset"
    elif flags["undo"]:
        out.intent = "undo"
    elif flags["profile"]:
        out.intent = "profile"
    elif explain:
        out.intent = "explain"
    elif out.mentions and (flags["details"] or (ref_mentions and not constraints and not out.seen
                                                   and not polar_refs and not out.anchors)):
        out.intent = "details"
    elif out.anchors:
        out.intent = "more_like"
    elif out.wants_more and not constraints:
        out.intent = "another"
    elif constraints:
        out.intent = "recommend"
    elif out.seen:
        out.intent = "mark_seen"
    elif polar_refs:
        out.intent = "feedback"
    elif flags["request"] or out.mentions:
        out.intent = "recommend"
    elif flags["thanks"]:
        out.intent = "thanks"
    elif flags["greeting"]:
        out.intent = "greeting"
    else:
        out.intent = "smalltalk"
    if any(r.kind == "ordinal" for r in refs) and not last:
        out._clarify("no_previous_list")
    elif any(i >= len(last) for r in refs for i in r.indices) and last:
        out.refs = [i for i in out.refs if i < len(last)]
        out._clarify("reference_out_of_range")
    elif any(r.kind == "that" for r in refs) and len(last) > 1:
        out._clarify("ambiguous_reference")
    if out.intent in ("explain", "details") and not out.mentions and not refs:
        if last:
            out.refs = [0]
            if len(last) > 1:
                out._clarify("ambiguous_reference")
        else:
            out._clarify("no_target")
    if out.intent == "recommend" and not constraints and not out.mentions and not has_profile:
        out._clarify("vague_request")
    understood = out.mentions or out.wanted_genres or out.unwanted_genres or out.year_from or out.year_to
    if out.non_english and not understood:
        out._clarify("non_english")
    if out.intent in ("greeting", "smalltalk"):
        out._clarify("non_english" if out.non_english else "no_request")
