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
from tastebud.tools.artifacts import LISTING_KINDS

from .answer import did_you_mean_options, lead_in
from .steps import NameOf, describe_step

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


def reply_message(text: str, options: list[dict] | None = None) -> dict:
    """The assistant's (possibly partial) answer; Markdown kept, HTML escaped.

    Args:
        text: The answer's text.
        options: Buttons under the answer (``{"label", "value"}``; a click sends ``value``).
    """
    message = {"role": "assistant", "content": html.escape(str(text), quote=False)}
    if options:
        message["options"] = [{"label": str(o["label"]), "value": str(o["value"])} for o in options]
    return message


def _no_names(_: str) -> None:
    return None


def step_title(step: dict, name_of: NameOf | None = None, catalog_size: int | None = None) -> str:
    """A one-line summary of a tool step in words (what was saved, searched, explained)."""
    title = describe_step(step, name_of or _no_names, catalog_size).title
    return _SPACE.sub(" ", title).replace("<", "‹").replace(">", "›")


def step_body(step: dict, name_of: NameOf | None = None, catalog_size: int | None = None) -> str:
    """The step's details in words, as escaped HTML (never raw arguments)."""
    text = describe_step(step, name_of or _no_names, catalog_size)
    rows = [f"<li>{_esc(line)}</li>" for line in text.details]
    if step.get("error"):
        rows.append("<li>Something went wrong in this step; the answer says what I could do.</li>")
    if not rows:
        return "Working…" if step.get("status") == "pending" else "Done."
    return f'<ul class="tb-step">{"".join(rows)}</ul>'


def step_message(step: dict, name_of: NameOf | None = None, catalog_size: int | None = None) -> dict:
    """A collapsible chat message for a tool step (``status`` pending → done)."""
    status = "done" if step.get("status", "done") == "done" else "pending"
    return {"role": "assistant", "content": step_body(step, name_of, catalog_size),
            "metadata": {"title": step_title(step, name_of, catalog_size), "status": status}}


def history_from_messages(messages: list, name_of: NameOf | None = None,
                          catalog_size: int | None = None) -> tuple[list[dict], dict[int, str]]:
    """Rebuild the page's chat from a stored thread (after a reload), as a live turn shows it.

    Args:
        messages: LangChain messages from :meth:`Assistant.history`.
        name_of: Title of a catalog item id (for the steps), or ``None``.
        catalog_size: Items in the catalog (for the steps).

    Returns:
        ``(chat messages, {message index: item id})`` for the cards.
    """
    chat: list[dict] = []
    cards: dict[int, str] = {}
    calls: dict[str, dict] = {}
    pending: list[dict] = []
    uncertain: list[dict] = []
    for msg in messages:
        kind = getattr(msg, "type", "")
        if kind == "human":
            chat.append(user_message(msg.content))
            uncertain = []
        elif kind == "ai" and getattr(msg, "tool_calls", None):
            calls.update({c["id"]: c for c in msg.tool_calls})
        elif kind == "tool":
            call = calls.get(msg.tool_call_id, {"name": msg.name, "args": {}})
            chat.append(step_message(tool_step(call, msg), name_of, catalog_size))
            art = msg.artifact if isinstance(msg.artifact, dict) else {}
            if art.get("kind") in LISTING_KINDS:
                pending = list(art.get("items", []))
            uncertain += art.get("uncertain") or []
        elif kind == "ai" and msg.content:
            text = lead_in(str(msg.content), [rec.get("title", "") for rec in pending])
            chat.append(reply_message(text, did_you_mean_options(uncertain)))
            for rec in pending:
                cards[len(chat)] = rec["item_id"]
                chat.append(card_message(rec))
            pending = []
    for message in chat[:-1]:  # only the newest answer's question can still be answered
        message.pop("options", None)
    return chat, cards
