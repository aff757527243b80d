"""What the page's events do, without any layout: turns, feedback, sessions, the API.

:class:`ChatController` wraps one :class:`~tastebud.agent.Assistant`. Each handler takes the
visitor's session (``{"user_id", "thread_id"}`` from ``gr.BrowserState``) and returns plain
values, so it can be tested without a browser.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from tastebud.errors import ProfileError

from .answer import did_you_mean_options, feedback_values, lead_in, streaming_text
from .cards import card_message, history_from_messages, reply_message, step_message, user_message
from .profile_panel import PanelEntry, apply_feedback, profile_view, remove_entry, undo_last
from .session import ensure_session, new_session, new_thread_id, new_user_id

__all__ = ["FRAME", "ChatController", "answering", "empty_conversation"]

log = logging.getLogger(__name__)

SORRY = ("Sorry — something went wrong on my side while answering. Your profile is safe; "
         "please try again, or rephrase.")


#: The answer's first line, shown at once while the turn is read (replaced by its steps and words).
READING = {"role": "assistant", "content": "Reading your message…",
           "metadata": {"title": "🧠 Reading your message…", "status": "pending"}}
#: Seconds between two updates of a streaming answer (tokens in between are sent together).
FRAME = 0.05
_REC_TOOLS = ("recommend", "similar_items", "search_catalog")


def answering(backend: str) -> str:
    """Who answers, in plain words ("Answering with the built-in assistant (no LLM configured)").

    Args:
        backend: The backend label (``offline default``, ``gpt-4o-mini (openai)``,
            ``offline default (fallback from …)``, ``custom model``).
    """
    backend = str(backend or "")
    if backend.startswith("offline default (fallback from "):
        model = backend[len("offline default (fallback from "):-1].rsplit(" (", 1)[0]
        return f"Answering with the built-in assistant this turn ({model} failed)"
    if backend.startswith("offline"):
        return "Answering with the built-in assistant (no LLM configured)"
    if backend == "custom model":
        return "Answering with a custom model"
    return f"Answering with {backend.rsplit(' (', 1)[0]}"


def empty_conversation() -> dict:
    """The page's per-tab conversation state: chat messages and ``{message index: item id}`` of cards."""
    return {"messages": [], "cards": {}}


class ChatController:
    """The page's behaviour over one assistant.

    Args:
        assistant: A :class:`~tastebud.agent.Assistant` (its ``stream``, ``history``,
            ``forget``, ``backend`` and ``services.profiles`` are used).
    """

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant

    # -- status ----------------------------------------------------------------------------
    def status(self, backend: str | None = None, notices: list[str] | None = None, note: str = "") -> str:
        """The status line (Markdown) in plain words: who answers, a fallback, other notices."""
        backend = backend or self.assistant.backend
        parts = [answering(backend)]
        if "fallback" in backend:
            parts.append("⚠️ The language model failed, so the built-in assistant answered this turn.")
        parts.extend(f"ℹ️ {n}" for n in notices or [] if "language model failed" not in n)
        if note:
            parts.append(note)
        return " · ".join(p.replace("<", "‹").replace(">", "›") for p in parts)

    def _names(self) -> tuple[Any, int | None]:
        """``(name_of, catalog size)`` for the steps: titles of item ids in the assistant's catalog."""
        try:
            catalog = self.assistant.services.catalog(self.assistant.catalog)
        except Exception:  # a stand-in assistant without a catalog: steps quote what they got
            return (lambda _: None), None

        def name_of(value: str) -> str | None:
            item = catalog.get(value) if hasattr(catalog, "get") else None
            return getattr(item, "title", None)

        try:
            size = len(catalog)
        except TypeError:
            size = None
        return name_of, size or None

    # -- sessions --------------------------------------------------------------------------
    def load(self, session: Any) -> tuple[dict, list, dict, dict, str]:
        """Page load: the visitor's session, chat so far, conversation state, profile, status."""
        session = ensure_session(session)
        conv = empty_conversation()
        try:
            chat, cards = history_from_messages(self.assistant.history(session["user_id"], session["thread_id"]),
                                                *self._names())
            conv = {"messages": chat, "cards": cards}
            profile = profile_view(self.assistant, session["user_id"], session["thread_id"])
        except Exception:  # a broken stored thread must not break the page
            log.exception("could not restore the conversation of %s", session["user_id"])
            session, profile = {**session, "thread_id": new_thread_id()}, {}
        return session, conv["messages"], conv, profile, self.status()

    def new_conversation(self, session: Any) -> tuple[dict, list, dict, dict, str]:
        """Start a new thread for the same visitor (the profile stays; this conversation's refinements go)."""
        session = {**ensure_session(session), "thread_id": new_thread_id()}
        profile = profile_view(self.assistant, session["user_id"], session["thread_id"])
        return (session, [], empty_conversation(), profile,
                self.status(note="New conversation; I still remember your taste."))

    def forget(self, session: Any) -> tuple[dict, list, dict, dict, str]:
        """Delete the visitor's profile and conversations; they continue as a new visitor."""
        old = ensure_session(session)
        try:
            self.assistant.forget(old["user_id"])
            note = "Done: I deleted your profile and conversations."
        except Exception:
            log.exception("forget failed for %s", old["user_id"])
            note = "⚠️ Sorry, I could not delete your data; please try again."
        return new_session(), [], empty_conversation(), {}, self.status(note=note)

    # -- profile edits ---------------------------------------------------------------------
    def _profile_edit(self, session: Any, edit) -> tuple[dict, str]:
        session = ensure_session(session)
        try:
            note = edit(session["user_id"])
        except Exception:
            log.exception("profile edit failed for %s", session["user_id"])
            note = "⚠️ Sorry, that change did not go through; please try again."
        return profile_view(self.assistant, session["user_id"], session["thread_id"]), self.status(note=note)

    def remove(self, entry: PanelEntry, session: Any) -> tuple[dict, str]:
        """One click on a profile entry: remove it (an event in the profile log)."""
        thread_id = ensure_session(session)["thread_id"]
        return self._profile_edit(session, lambda user: remove_entry(self.assistant, user, entry, thread_id))

    def undo(self, session: Any) -> tuple[dict, str]:
        """Undo the visitor's last profile change."""
        return self._profile_edit(session, lambda user: undo_last(self.assistant, user))

    def feedback(self, conv: dict, session: Any, data: gr.LikeData) -> tuple[dict, str]:
        """The chatbot's 👍/👎 on a card message becomes a like/dislike of that film."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        item_id = (conv or {}).get("cards", {}).get(index)
        if item_id is None:
            session = ensure_session(session)
            profile = profile_view(self.assistant, session["user_id"], session["thread_id"])
            return profile, self.status(note="Rate a film card with 👍/👎 to teach me your taste.")
        item = self.assistant.services.catalog(self.assistant.catalog).get(item_id)
        title = item.label if item is not None else item_id
        return self._profile_edit(session, lambda user: apply_feedback(self.assistant, user, item_id, title, data.liked))

    # -- turns -----------------------------------------------------------------------------
    def respond(self, message: str, conv: dict, session: Any) -> Iterator[tuple]:
        """Run one turn, yielding ``(chat, conv, profile, status, textbox)`` as the answer streams.

        Tokens arriving faster than the page can draw are sent together (at most one update per
        ``FRAME`` seconds, the first token at once); while the recommender's picks are on their
        way as cards, the reply's list lines are held back, so nothing is shown twice.
        """
        session = ensure_session(session)
        conv = conv or empty_conversation()
        text = (message or "").strip()
        if not text:
            yield conv["messages"], conv, gr.skip(), self.status(note="Type a film, a genre or a mood."), ""
            return
        name_of, size = self._names()
        chat, cards = [*conv["messages"], user_message(text)], dict(conv["cards"])
        pending: dict[str, list[int]] = {}
        reply_at, reply, listing, status, profile = None, "", False, self.status(note="Thinking…"), gr.skip()
        shown = 0.0
        reading = len(chat)  # a live first line until the assistant's own steps or words replace it
        chat.append(READING)
        yield list(chat), {"messages": list(chat), "cards": dict(cards)}, profile, status, ""
        try:
            for kind, payload in self.assistant.stream(text, user_id=session["user_id"],
                                                       thread_id=session["thread_id"]):
                if reading is not None and kind in ("step", "token", "result"):
                    if kind != "token" or streaming_text(reply + payload, listing):
                        chat.pop(reading)
                        reading = None
                if kind == "step":
                    message = step_message(payload, name_of, size)
                    waiting = pending.get(payload["tool"]) if payload.get("status") != "pending" else None
                    if payload.get("status") == "pending":
                        pending.setdefault(payload["tool"], []).append(len(chat))
                        chat.append(message)
                    elif waiting:
                        chat[waiting.pop(0)] = message
                    else:
                        chat.append(message)
                    listing = listing or (payload["tool"] in _REC_TOOLS and bool(payload.get("results")))
                elif kind == "token":
                    reply += payload
                    visible = streaming_text(reply, listing)
                    if not visible:
                        continue
                    if reply_at is None:
                        reply_at = len(chat)
                        chat.append(reply_message(visible))
                    else:
                        chat[reply_at] = reply_message(visible)
                        if time.monotonic() - shown < FRAME:
                            continue
                elif kind == "result":
                    chat, cards = self._finish(chat, cards, reply_at, payload)
                    profile, status = payload.profile, self.status(payload.backend, payload.notices)
                shown = time.monotonic()
                yield list(chat), {"messages": list(chat), "cards": dict(cards)}, profile, status, ""
        except Exception:
            log.exception("turn failed for %s/%s", session["user_id"], session["thread_id"])
            chat = [self._closed(m) for m in chat if m is not READING] + [reply_message(SORRY)]
            yield (chat, {"messages": chat, "cards": cards}, profile_view(self.assistant, session["user_id"], session["thread_id"]),
                   self.status(note="⚠️ That turn failed; nothing was lost."), "")

    @staticmethod
    def _closed(message: dict) -> dict:
        meta = message.get("metadata") or {}
        if meta.get("status") == "pending":
            return {**message, "metadata": {**meta, "status": "done", "title": meta.get("title", "") + " — interrupted"}}
        return message

    @staticmethod
    def _finish(chat: list, cards: dict, reply_at: int | None, result: Any) -> tuple[list, dict]:
        """Put the answer after the tool steps — its lead-in when there are cards — then one card per pick."""
        if reply_at is not None:
            chat = chat[:reply_at] + chat[reply_at + 1:]
        recs = list(result.recommendations or [])
        text = lead_in(result.reply, [str(rec.get("title") or "") for rec in recs])
        chat = [*chat, reply_message(text, did_you_mean_options(getattr(result, "uncertain", None) or []))]
        for rec in recs:
            cards[len(chat)] = rec["item_id"]
            chat.append(card_message(rec))
        return chat, cards

    # -- the page's events (the handlers above, plus the page's own widgets) --------------------
    def chat_view(self, chat: list, conv: dict, profile: Any) -> Any:
        """The chatbot's value with each card's 👍/👎 as the profile has it (so it survives a reload)."""
        profile = profile if isinstance(profile, dict) else {}
        return gr.Chatbot(value=chat, feedback_value=feedback_values(chat, (conv or {}).get("cards", {}), profile))

    def page_turn(self, message: str, conv: dict, session: Any, profile: Any = None) -> Iterator[tuple]:
        """:meth:`respond` for the page: also the 👍/👎 state, and Send turned into Stop while it runs.

        Yields:
            ``(chatbot, conv, profile, status, textbox, send button, stop button)``.
        """
        known = profile if isinstance(profile, dict) else {}
        running = False
        for chat, state, new_profile, status, box in self.respond(message, conv, session):
            known = new_profile if isinstance(new_profile, dict) else known
            yield (self.chat_view(chat, state, known), state, new_profile, status, box,
                   gr.Button(visible=False), gr.Button(visible=True))
            running = True
        if running:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.Button(visible=True), gr.Button(visible=False)

    def page_example(self, conv: dict, session: Any, profile: Any, evt: gr.SelectData) -> Iterator[tuple]:
        """A click on an example prompt sends it."""
        value = evt.value if isinstance(evt.value, dict) else {"text": evt.value}
        yield from self.page_turn(str(value.get("text") or ""), conv, session, profile)

    def page_option(self, conv: dict, session: Any, profile: Any, evt: gr.SelectData) -> Iterator[tuple]:
        """A click on an answer's button ("Yes, …" / "No") sends its value."""
        value = evt.value.get("value") if isinstance(evt.value, dict) else evt.value
        yield from self.page_turn(str(value or ""), conv, session, profile)

    def stopped(self) -> tuple:
        """Stop pressed: Send comes back; what was already answered stays."""
        return gr.Button(visible=True), gr.Button(visible=False), self.status(note="Stopped.")

    def page_load(self, session: Any) -> tuple:
        """:meth:`load` for the page: the restored chat with its 👍/👎 state."""
        session, chat, conv, profile, status = self.load(session)
        return session, self.chat_view(chat, conv, profile), conv, profile, status

    # -- API -------------------------------------------------------------------------------
    def api_chat(self, message: str, user_id: str = "", thread_id: str = "") -> dict:
        """One turn for API callers: the same fields as ``tastebud chat --json``.

        Args:
            message: What the user says.
            user_id: Whose profile to use; blank mints a new ``api-…`` id (returned in the result).
            thread_id: Conversation id; blank starts a new one (returned in the result).

        Returns:
            ``TurnResult.to_dict()``: reply, recommendations, explained, profile, tool_steps,
            backend, notices, user_id, thread_id.
        """
        user_id = (user_id or "").strip() or new_user_id("api")
        thread_id = (thread_id or "").strip() or new_thread_id()
        try:
            return self.assistant.turn(message or "", user_id=user_id, thread_id=thread_id).to_dict()
        except ProfileError as exc:
            raise gr.Error(f"Invalid request: {exc}") from None
        except Exception:
            log.exception("API turn failed for %s/%s", user_id, thread_id)
            raise gr.Error("tastebud could not answer this turn; please try again.") from None
