"""Chat messages for the page: recommendation cards, tool steps, replies.

Every piece of catalog or model text is HTML-escaped here; cards are one-line HTML blocks
(so Markdown leaves their content alone) built only from escaped text.
"""

from __future__ import annotations

import html
import re
from typing import Any

# the assistant's own summary of a finished tool call, so a restored chat matches a live one
from tastebud.agent.assistant import tool_step

__all__ = [
    "card_html",
    "card_message",
    "history_from_messages",
    "reply_message",
    "step_body",
    "step_message",
    "step_title",
    "user_message",
]

_REASON_ICONS = {"cf": "👥", "content": "📖", "query": "🔎", "genre": "🎭", "constraint": "✅", "popularity": "🔥"}
_TOOL_NAMES = {"recommend": "Recommending", "search": "Searching the catalog", "similar": "Finding similar films",
               "update_profile": "Updating your profile", "explain": "Explaining", "details": "Looking up a film",
               "read_profile": "Reading your profile"}
_REC_KINDS = ("recommendations", "similar", "search")
_SPACE = re.compile(r"\s+")
_OVERVIEW_CHARS = 220


def _esc(value: Any) -> str:
    """Escape ``value`` for HTML and fold whitespace (a blank line would end the HTML block)."""
    return html.escape(_SPACE.sub(" ", str(value if value is not None else "")).strip(), quote=True)


def card_html(rec: dict) -> str:
    """One recommendation as a single-line HTML card: title, year, genres, reasons, overview."""
    year = f' <span class="tb-year">({_esc(rec["year"])})</span>' if rec.get("year") else ""
    genres = " · ".join(_esc(g) for g in rec.get("genres") or [])
    reasons = "".join(
        f'<li class="tb-reason tb-{_esc(r.get("source"))}">{_REASON_ICONS.get(r.get("source"), "•")} '
        f'{_esc(r.get("text"))}</li>' for r in rec.get("reasons") or [])
    overview = _SPACE.sub(" ", str(rec.get("overview") or "")).strip()
    if len(overview) > _OVERVIEW_CHARS:
        overview = overview[:_OVERVIEW_CHARS].rsplit(" ", 1)[0] + "…"
    return (f'<div class="tb-card"><div class="tb-title"><strong>{_esc(rec.get("title"))}</strong>{year}</div>'
            + (f'<div class="tb-genres">{genres}</div>' if genres else "")
            + (f'<ul class="tb-reasons">{reasons}</ul>' if reasons else "")
            + (f'<div class="tb-overview">{_esc(overview)}</div>' if overview else "") + "</div>")


def card_message(rec: dict) -> dict:
    """A chat message holding one card (rated with the chatbot's 👍/👎)."""
    return {"role": "assistant", "content": card_html(rec)}


def user_message(text: str) -> dict:
    """The visitor's message, escaped."""
    return {"role": "user", "content": html.escape(str(text))}


def reply_message(text: str) -> dict:
    """The assistant's (possibly partial) answer; Markdown kept, HTML escaped."""
    return {"role": "assistant", "content": html.escape(str(text), quote=False)}


def step_title(step: dict) -> str:
    """A one-line summary of a tool step: what, how many results, which filters."""
    title = "🛠️ " + _TOOL_NAMES.get(step.get("tool"), f"Tool {step.get('tool')}")
    if "results" in step:
        title += f" — {step['results']} candidate{'s' if step['results'] != 1 else ''}"
    if "applied" in step:
        title += f" — {step['applied']} change{'s' if step['applied'] != 1 else ''}"
    if step.get("filters"):
        title += " · filters: " + ", ".join(str(f) for f in step["filters"])
    if step.get("error"):
        title += " — failed"
    return _SPACE.sub(" ", title).replace("<", "‹").replace(">", "›")


def step_body(step: dict) -> str:
    """The step's details (arguments, filters, error) as escaped HTML."""
    rows = [f"<li><b>{_esc(k)}</b>: {_esc(v)}</li>" for k, v in (step.get("args") or {}).items()]
    if step.get("filters"):
        rows.append(f"<li><b>filters</b>: {_esc(', '.join(map(str, step['filters'])))}</li>")
    if step.get("error"):
        rows.append(f"<li><b>error</b>: {_esc(step['error'])}</li>")
    return f'<ul class="tb-step">{"".join(rows)}</ul>' if rows else "(no arguments)"


def step_message(step: dict) -> dict:
    """A collapsible chat message for a tool step (``status`` pending → done)."""
    status = "done" if step.get("status", "done") == "done" else "pending"
    return {"role": "assistant", "content": step_body(step), "metadata": {"title": step_title(step), "status": status}}


def history_from_messages(messages: list) -> tuple[list[dict], dict[int, str]]:
    """Rebuild the page's chat from a stored thread (after a reload).

    Args:
        messages: LangChain messages from :meth:`Assistant.history`.

    Returns:
        ``(chat messages, {message index: item id})`` for the cards.
    """
    chat: list[dict] = []
    cards: dict[int, str] = {}
    calls: dict[str, dict] = {}
    pending: list[dict] = []
    for msg in messages:
        kind = getattr(msg, "type", "")
        if kind == "human":
            chat.append(user_message(msg.content))
        elif kind == "ai" and getattr(msg, "tool_calls", None):
            calls.update({c["id"]: c for c in msg.tool_calls})
        elif kind == "tool":
            call = calls.get(msg.tool_call_id, {"name": msg.name, "args": {}})
            chat.append(step_message(tool_step(call, msg)))
            art = msg.artifact if isinstance(msg.artifact, dict) else {}
            if art.get("kind") in _REC_KINDS:
                pending = list(art.get("items", []))
        elif kind == "ai" and msg.content:
            chat.append(reply_message(msg.content))
            for rec in pending:
                cards[len(chat)] = rec["item_id"]
                chat.append(card_message(rec))
            pending = []
    return chat, cards
