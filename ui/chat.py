"""What the page's events do, without any layout: turns, feedback, sessions, the API.

:class:`ChatController` wraps one :class:`~tastebud.agent.Assistant`. Each handler takes the
visitor's session (``{"user_id", "thread_id"}`` from ``gr.BrowserState``) and returns plain
values, so it can be tested without a browser.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import gradio as gr

from tastebud.domain import FILM_DOMAIN, Domain, get_domain
from tastebud.errors import ProfileError

from .answer import feedback_values
from .cards import history_from_messages
from .profile_panel import PanelEntry, apply_feedback, profile_view, remove_entry, undo_last
from .session import ensure_session, new_session, new_thread_id, new_user_id
from .steps import CatalogSize
from .turn_view import FRAME, READING, SORRY, TurnView

__all__ = ["FRAME", "READING", "SORRY", "ChatController", "answering", "empty_conversation"]

log = logging.getLogger(__name__)

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

    @property
    def domain(self) -> Domain:
        """What the assistant's catalog holds (films for a stand-in assistant without one)."""
        try:
            return self.assistant.services.catalog(self.assistant.catalog).domain
        except Exception:  # noqa: BLE001 - a stand-in assistant: the default catalog's words
            return get_domain(FILM_DOMAIN)

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
        domain = getattr(catalog, "domain", None)
        return name_of, (CatalogSize(size, domain.plural) if domain is not None else size) if size else None

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
        """The chatbot's 👍/👎 on a card message becomes a like/dislike of that item."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        item_id = (conv or {}).get("cards", {}).get(index)
        if item_id is None:
            session = ensure_session(session)
            profile = profile_view(self.assistant, session["user_id"], session["thread_id"])
            return profile, self.status(note=f"Rate {self.domain.a_noun} card with 👍/👎 to teach me your taste.")
        item = self.assistant.services.catalog(self.assistant.catalog).get(item_id)
        title = item.label if item is not None else item_id
        return self._profile_edit(session, lambda user: apply_feedback(self.assistant, user, item_id, title, data.liked))

    # -- turns -----------------------------------------------------------------------------
    def _turn_view(self, message: str, conv: dict, session: Any) -> tuple[dict, TurnView | None, tuple]:
        """``(session, view, first update)`` of a turn; ``view`` is ``None`` for an empty message."""
        session = ensure_session(session)
        conv = conv or empty_conversation()
        text = (message or "").strip()
        if not text:
            note = self.status(note=f"Type {self.domain.a_noun}, a genre or a mood.")
            return session, None, (conv["messages"], conv, gr.skip(), note, "")
        view = TurnView(text, conv, self.status, *self._names())
        return session, view, view.start(self.status(note="Thinking…"))

    def _failed(self, view: TurnView, session: dict) -> tuple:
        return view.failed(profile_view(self.assistant, session["user_id"], session["thread_id"]),
                           self.status(note="⚠️ That turn failed; nothing was lost."))

    def respond(self, message: str, conv: dict, session: Any) -> Iterator[tuple]:
        """Run one turn, yielding ``(chat, conv, profile, status, textbox)`` as the answer streams.

        Tokens arriving faster than the page can draw are sent together (at most one update per
        ``FRAME`` seconds, the first token at once); while the recommender's picks are on their
        way as cards, the reply's list lines are held back, so nothing is shown twice.
        """
        session, view, first = self._turn_view(message, conv, session)
        yield first
        if view is None:
            return
        try:
            for kind, payload in self.assistant.stream(view.text, user_id=session["user_id"],
                                                       thread_id=session["thread_id"]):
                if (update := view.feed(kind, payload)) is not None:
                    yield update
        except Exception:
            log.exception("turn failed for %s/%s", session["user_id"], session["thread_id"])
            yield self._failed(view, session)

    async def arespond(self, message: str, conv: dict, session: Any) -> AsyncIterator[tuple]:
        """:meth:`respond` for async handlers, over ``assistant.astream`` (the event loop never
        waits for a turn, so a slow LLM does not hold up other visitors)."""
        session, view, first = self._turn_view(message, conv, session)
        yield first
        if view is None:
            return
        try:
            async for kind, payload in self.assistant.astream(view.text, user_id=session["user_id"],
                                                              thread_id=session["thread_id"]):
                if (update := view.feed(kind, payload)) is not None:
                    yield update
        except Exception:
            log.exception("turn failed for %s/%s", session["user_id"], session["thread_id"])
            yield await asyncio.to_thread(self._failed, view, session)

    # -- the page's events (the handlers above, plus the page's own widgets) --------------------
    def chat_view(self, chat: list, conv: dict, profile: Any) -> Any:
        """The chatbot's value with each card's 👍/👎 as the profile has it (so it survives a reload)."""
        profile = profile if isinstance(profile, dict) else {}
        return gr.Chatbot(value=chat, feedback_value=feedback_values(chat, (conv or {}).get("cards", {}), profile))

    def _page(self, update: tuple, known: dict) -> tuple[tuple, dict]:
        chat, state, new_profile, status, box = update
        known = new_profile if isinstance(new_profile, dict) else known
        return (self.chat_view(chat, state, known), state, new_profile, status, box,
                gr.Button(visible=False), gr.Button(visible=True)), known

    @staticmethod
    def _done(page: tuple) -> tuple:
        """The page's last update of a turn: Send comes back, and the chat and status are sent whole
        again. Gradio's last message of a stream carries each output's last value; a skipped chat
        there left the browser on a half-drawn answer whenever a streamed diff before it was lost
        in the client (answers without their cards or "Did you mean" buttons)."""
        return (page[0], gr.skip(), gr.skip(), page[3], gr.skip(), gr.Button(visible=True), gr.Button(visible=False))

    def page_turn(self, message: str, conv: dict, session: Any, profile: Any = None) -> Iterator[tuple]:
        """:meth:`respond` for the page: also the 👍/👎 state, and Send turned into Stop while it runs.

        Yields:
            ``(chatbot, conv, profile, status, textbox, send button, stop button)``.
        """
        known = profile if isinstance(profile, dict) else {}
        page = None
        for update in self.respond(message, conv, session):
            page, known = self._page(update, known)
            yield page
        if page is not None:
            yield self._done(page)

    async def apage_turn(self, message: str, conv: dict, session: Any, profile: Any = None) -> AsyncIterator[tuple]:
        """:meth:`page_turn` as an async handler (the page's own, over :meth:`arespond`)."""
        known = profile if isinstance(profile, dict) else {}
        page = None
        async for update in self.arespond(message, conv, session):
            page, known = self._page(update, known)
            yield page
        if page is not None:
            yield self._done(page)

    @staticmethod
    def _example(evt: gr.SelectData) -> str:
        value = evt.value if isinstance(evt.value, dict) else {"text": evt.value}
        return str(value.get("text") or "")

    @staticmethod
    def _option(evt: gr.SelectData) -> str:
        value = evt.value.get("value") if isinstance(evt.value, dict) else evt.value
        return str(value or "")

    def page_example(self, conv: dict, session: Any, profile: Any, evt: gr.SelectData) -> Iterator[tuple]:
        """A click on an example prompt sends it."""
        yield from self.page_turn(self._example(evt), conv, session, profile)

    async def apage_example(self, conv: dict, session: Any, profile: Any, evt: gr.SelectData) -> AsyncIterator[tuple]:
        """:meth:`page_example` as an async handler."""
        async for page in self.apage_turn(self._example(evt), conv, session, profile):
            yield page

    def page_option(self, conv: dict, session: Any, profile: Any, evt: gr.SelectData) -> Iterator[tuple]:
        """A click on an answer's button ("Yes, …" / "No") sends its value."""
        yield from self.page_turn(self._option(evt), conv, session, profile)

    async def apage_option(self, conv: dict, session: Any, profile: Any, evt: gr.SelectData) -> AsyncIterator[tuple]:
        """:meth:`page_option` as an async handler."""
        async for page in self.apage_turn(self._option(evt), conv, session, profile):
            yield page

    def stopped(self) -> tuple:
        """Stop pressed: Send comes back; what was already answered stays."""
        return gr.Button(visible=True), gr.Button(visible=False), self.status(note="Stopped.")

    def page_load(self, session: Any) -> tuple:
        """:meth:`load` for the page: the restored chat with its 👍/👎 state."""
        session, chat, conv, profile, status = self.load(session)
        return session, self.chat_view(chat, conv, profile), conv, profile, status

    # -- API -------------------------------------------------------------------------------
    @staticmethod
    def _api_ids(user_id: str, thread_id: str) -> tuple[str, str]:
        return (user_id or "").strip() or new_user_id("api"), (thread_id or "").strip() or new_thread_id()

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
        user_id, thread_id = self._api_ids(user_id, thread_id)
        try:
            return self.assistant.turn(message or "", user_id=user_id, thread_id=thread_id).to_dict()
        except Exception as exc:
            raise self._api_error(exc, user_id, thread_id) from None

    async def aapi_chat(self, message: str, user_id: str = "", thread_id: str = "") -> dict:
        """:meth:`api_chat` for async handlers (the page's ``/chat`` endpoint)."""
        user_id, thread_id = self._api_ids(user_id, thread_id)
        try:
            return (await self.assistant.ainvoke(message or "", user_id=user_id, thread_id=thread_id)).to_dict()
        except Exception as exc:
            raise self._api_error(exc, user_id, thread_id) from None

    @staticmethod
    def _api_error(exc: Exception, user_id: str, thread_id: str) -> gr.Error:
        if isinstance(exc, ProfileError):
            return gr.Error(f"Invalid request: {exc}")
        log.error("API turn failed for %s/%s", user_id, thread_id, exc_info=exc)
        return gr.Error("tastebud could not answer this turn; please try again.")
