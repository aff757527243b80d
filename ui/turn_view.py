"""How one streaming turn looks on the page, event by event (shared by sync and async handlers).

:class:`TurnView` turns the assistant's ``("step" | "token" | "result", payload)`` events into
the page's updates ``(chat, conv, profile, status, textbox)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import gradio as gr

from tastebud.tools.artifacts import LISTING_TOOLS

from .answer import did_you_mean_options, lead_in, streaming_text
from .cards import card_message, reply_message, step_message, user_message

__all__ = ["FRAME", "READING", "SORRY", "TurnView"]

SORRY = ("Sorry — something went wrong on my side while answering. Your profile is safe; "
         "please try again, or rephrase.")
#: The answer's first line, shown at once while the turn is read (replaced by its steps and words).
READING = {"role": "assistant", "content": "Reading your message…",
           "metadata": {"title": "🧠 Reading your message…", "status": "pending"}}
#: Seconds between two updates of a streaming answer (tokens in between are sent together).
FRAME = 0.05


class TurnView:
    """The page's state during one turn.

    Args:
        text: The visitor's message.
        conv: The conversation state before the turn (``{"messages", "cards"}``).
        status: Makes the status line from ``(backend, notices)``.
        name_of: Title of an item id, for the steps.
        size: Catalog size, for the steps.
    """

    def __init__(self, text: str, conv: dict, status: Callable[..., str], name_of: Callable[[str], str | None],
                 size: int | None) -> None:
        self.text, self._status, self._name_of, self._size = text, status, name_of, size
        self.chat, self.cards = [*conv["messages"], user_message(text)], dict(conv["cards"])
        self.pending: dict[str, list[int]] = {}
        self.reply_at: int | None = None
        self.reply, self.listing, self.profile = "", False, gr.skip()
        self.status = ""
        self.shown = 0.0
        self.reading: int | None = None
        self._box: Any = ""  # the first update empties the textbox; later ones keep what is typed meanwhile

    def _textbox(self) -> Any:
        box, self._box = self._box, gr.skip()
        return box

    def _update(self) -> tuple:
        return (list(self.chat), {"messages": list(self.chat), "cards": dict(self.cards)}, self.profile, self.status,
                self._textbox())

    def start(self, status: str) -> tuple:
        """The first update: the message and a live first line until the assistant's own steps or
        words replace it."""
        self.status = status
        self.reading = len(self.chat)
        self.chat.append(READING)
        return self._update()

    def feed(self, kind: str, payload: Any) -> tuple | None:
        """The update after one event, or ``None`` when nothing needs drawing yet."""
        if self.reading is not None and kind in ("step", "token", "result"):
            if kind != "token" or streaming_text(self.reply + payload, self.listing):
                self.chat.pop(self.reading)
                self.reading = None
        if kind == "step":
            message = step_message(payload, self._name_of, self._size)
            waiting = self.pending.get(payload["tool"]) if payload.get("status") != "pending" else None
            if payload.get("status") == "pending":
                self.pending.setdefault(payload["tool"], []).append(len(self.chat))
                self.chat.append(message)
            elif waiting:
                self.chat[waiting.pop(0)] = message
            else:
                self.chat.append(message)
            self.listing = self.listing or (payload["tool"] in LISTING_TOOLS and bool(payload.get("results")))
        elif kind == "token":
            self.reply += payload
            visible = streaming_text(self.reply, self.listing)
            if not visible:
                return None
            if self.reply_at is None:
                self.reply_at = len(self.chat)
                self.chat.append(reply_message(visible))
            else:
                self.chat[self.reply_at] = reply_message(visible)
                if time.monotonic() - self.shown < FRAME:
                    return None
        elif kind == "result":
            self._finish(payload)
            self.profile, self.status = payload.profile, self._status(payload.backend, payload.notices)
        self.shown = time.monotonic()
        return self._update()

    def failed(self, profile: Any, status: str) -> tuple:
        """The update after a failed turn: pending steps closed, a friendly message."""
        chat = [_closed(m) for m in self.chat if m is not READING] + [reply_message(SORRY)]
        return chat, {"messages": chat, "cards": self.cards}, profile, status, self._textbox()

    def _finish(self, result: Any) -> None:
        """Put the answer after the tool steps — its lead-in when there are cards — then one card per pick."""
        chat = self.chat
        if self.reply_at is not None:
            chat = chat[:self.reply_at] + chat[self.reply_at + 1:]
        recs = list(result.recommendations or [])
        text = lead_in(result.reply, [str(rec.get("title") or "") for rec in recs])
        chat = [*chat, reply_message(text, did_you_mean_options(getattr(result, "uncertain", None) or []))]
        for rec in recs:
            self.cards[len(chat)] = rec["item_id"]
            chat.append(card_message(rec))
        self.chat = chat


def _closed(message: dict) -> dict:
    meta = message.get("metadata") or {}
    if meta.get("status") == "pending":
        return {**message, "metadata": {**meta, "status": "done", "title": meta.get("title", "") + " — interrupted"}}
    return message
