"""One answer on the page: the reply's text next to the cards, without saying anything twice.

With recommendation cards, a card carries each pick's title, year, genres and reasons, so the
reply's text keeps only its lead-in — what was understood, the filters, notices, questions —
and drops the lines that list the picks. Without cards (an explanation, a question) the text
is the whole answer. The reply itself (``TurnResult.reply``, the ``chat`` API, the CLI) is
unchanged; only the page shows it this way.
"""

from __future__ import annotations

import re

__all__ = ["did_you_mean_options", "feedback_values", "lead_in", "streaming_text"]

#: A line of a list: "1. …", "2) …", "- …", "* …", "• …".
_LIST_LINE = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")
_MARKUP = re.compile(r"[*_`]+")


def _norm(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).lower().split())


def _dedupe(lines: list[str]) -> list[str]:
    """Lines without repeats (a repetitive message must not make a repetitive answer)."""
    seen: set[str] = set()
    out = []
    for line in lines:
        key = _norm(line)
        if key and key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def lead_in(reply: str, titles: list[str]) -> str:
    """The part of ``reply`` to show above the cards of ``titles``.

    Args:
        reply: The assistant's answer (Markdown).
        titles: Titles of the recommended items shown as cards (none: the reply is kept whole).

    Returns:
        ``reply`` without the list lines that name one of ``titles``, and without repeated lines.
    """
    lines = str(reply or "").split("\n")
    names = [_norm(t) for t in titles if t and t.strip()]
    if names:
        lines = [line for line in lines
                 if not (_LIST_LINE.match(line) and any(n in _norm(line) for n in names))]
    return "\n".join(_dedupe(lines)).strip()


def streaming_text(text: str, listing: bool) -> str:
    """What to show of a reply while it streams.

    Args:
        text: The reply so far.
        listing: Whether this turn's recommendation tool has returned picks (they become cards,
            so list lines are held back).
    """
    lines = str(text or "").split("\n")
    if listing:
        lines = [line for line in lines if not _LIST_LINE.match(line)]
    return "\n".join(_dedupe(lines)).strip()


def did_you_mean_options(uncertain: list[dict]) -> list[dict]:
    """Buttons for the answer's "Did you mean …?" question: yes (one per guess) and no.

    Args:
        uncertain: ``TurnResult.uncertain`` entries (``span``, ``item_id``, ``label``).

    Returns:
        Gradio message options (``{"label", "value"}``); clicking one sends its ``value``.
    """
    labels = list(dict.fromkeys(str(u.get("label") or "").strip() for u in uncertain or []))
    labels = [label for label in labels if label]
    if not labels:
        return []
    yes = [{"label": f"Yes, {label}", "value": "yes"} for label in labels[:1]]
    if len(labels) > 1:
        yes = [{"label": "Yes, " + " and ".join(labels), "value": "yes"}]
    return [*yes, {"label": "No, something else", "value": "no"}]


def feedback_values(messages: list[dict], cards: dict[int, str], profile: dict | None) -> list[str | None]:
    """The 👍/👎 state of every assistant message, from the profile (so it survives a reload).

    Args:
        messages: The page's chat messages.
        cards: ``{message index: item id}`` of the card messages.
        profile: The visitor's profile (``liked`` / ``disliked`` entries with ``item_id``).

    Returns:
        One entry per assistant message, in order: ``"Like"``, ``"Dislike"`` or ``None``.
    """
    profile = profile or {}
    liked = {e.get("item_id") for e in profile.get("liked") or []}
    disliked = {e.get("item_id") for e in profile.get("disliked") or []}
    out: list[str | None] = []
    for index, message in enumerate(messages):
        if message.get("role") != "assistant":
            continue
        item = cards.get(index)
        out.append("Like" if item in liked else "Dislike" if item in disliked else None)
    return out
