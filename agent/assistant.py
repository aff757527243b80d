"""``Assistant``: one conversation turn in, a structured result out.

Shared by the CLI (``tastebud chat``), the chat page and the evals. It cleans the input,
serialises runs per thread, names threads per user, streams tool steps and tokens, and
returns the reply with the tool's recommendations (never parsed from text) and the profile.
"""

from __future__ import annotations

import asyncio
import re
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.tools import UserContext
from tastebud.tools.artifacts import LISTING_KINDS, ProfileView

from .budget import clip_text
from .build import backend_label, build_agent, delete_threads, thread_key
from .middleware import FALLBACK_STATE

__all__ = ["Assistant", "TurnResult", "clean_message", "tool_step"]

_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def clean_message(text: Any, max_tokens: int) -> tuple[str, list[str]]:
    """Strip control and zero-width characters; clip to ``max_tokens``. Returns ``(text, notices)``."""
    text = _INVISIBLE.sub("", str(text or "")).strip()
    text, cut = clip_text(text, max_tokens)
    return text, (["Your message was very long; I read only its beginning."] if cut else [])


@dataclass
class TurnResult:
    """What one turn produced (the ``--json`` output, the ``chat`` endpoint, eval input).

    ``profile`` is the lasting profile plus ``session``: the refinements of this conversation.
    ``not_found`` lists titles the turn named that the catalog does not have; ``uncertain``
    the weakly matching ones the answer asks about (``{span, item_id, label}``), nothing saved.
    """

    reply: str
    recommendations: list[dict] = field(default_factory=list)
    explained: list[dict] = field(default_factory=list)
    profile: dict = field(default_factory=dict)
    tool_steps: list[dict] = field(default_factory=list)
    backend: str = "offline default"
    notices: list[str] = field(default_factory=list)
    user_id: str = ""
    thread_id: str = ""
    not_found: list[str] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-able dict: a copy whose dicts and lists are new, leaves shared (they are strings and
        numbers; ``dataclasses.asdict`` deep-copied each one, a few milliseconds a turn)."""
        return {f.name: _json_copy(getattr(self, f.name)) for f in fields(self)}


def _json_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_json_copy(v) for v in value)
    return value


def tool_step(call: dict, result: ToolMessage | None) -> dict:
    """Summary of one tool call for UIs and results: tool, args, result count, filters, errors."""
    step = {"tool": call["name"], "args": call.get("args", {})}
    art = result.artifact if result is not None and isinstance(result.artifact, dict) else {}
    if "items" in art:
        step["results"] = len(art["items"])
    if art.get("filters"):
        step["filters"] = art["filters"]
    if art.get("applied") is not None:
        step["applied"] = len(art["applied"])
    if result is not None and result.status == "error":
        step["error"] = str(result.content)[:300]
    return step


class Assistant:
    """The tastebud agent with per-user threads.

    Args:
        services: Shared services (built from ``settings`` when omitted).
        settings: Settings (environment when omitted).
        catalog: Catalog name.
        model: Chat model overriding the configured backend.
        checkpointer: ``"persistent"`` (default: PostgreSQL with ``database_url``, else SQLite),
            ``"sqlite"``, ``"postgres"``, ``"memory"`` or a saver.

    Turns run with :meth:`stream` / :meth:`turn`, or :meth:`astream` / :meth:`ainvoke` from async
    code; runs of one thread are serialised, other threads run at the same time.
    """

    def __init__(self, services: Services | None = None, *, settings: Settings | None = None,
                 catalog: str | None = None, model=None, checkpointer: Any = "persistent") -> None:
        self.services = services or Services(settings)
        self.settings = self.services.settings
        self.catalog = catalog or self.settings.catalog
        self.graph = build_agent(self.services, catalog=self.catalog, model=model, checkpointer=checkpointer)
        self.checkpointer = self.graph.checkpointer
        # a store that outlives the process gets the turn's message before the run (see _run_args)
        self._save_input_first = not isinstance(getattr(self.checkpointer, "saver", self.checkpointer), InMemorySaver)
        self.backend = "custom model" if model is not None else backend_label(self.settings)
        #: the embedded offline default answers: a turn is CPU work only, nothing is waited on
        self.offline_default = model is None and self.settings.resolved_backend() == "offline"
        # the offline default's text is built from the tool results: it streams token by token; an
        # LLM's answer is released only once the answer check has read it (never unchecked text)
        self.live_tokens = self.offline_default
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self.services.profiles.add_forget_hook(self._forget_threads)
        # langgraph serialises the run context through a pydantic model typed None: harmless noise
        warnings.filterwarnings("ignore", message="Pydantic serializer warnings", category=UserWarning)

    # -- plumbing --------------------------------------------------------------------------
    @property
    def profiles(self):
        """The profile store of this assistant's catalog (users, threads and forgetting span catalogs)."""
        return self.services.profile_store(self.catalog)

    def _lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(key, threading.Lock())

    def _forget_threads(self, user_id: str) -> None:
        delete_threads(self.checkpointer, [thread_key(user_id, t) for t in self.services.profiles.threads(user_id)])

    def profile_view(self, user_id: str, thread_id: str | None = None) -> dict:
        """The ``TurnResult.profile`` dict: the person's :class:`ProfileView` in this conversation."""
        return ProfileView.build(self.profiles.get(user_id), self.services.catalog(self.catalog), thread_id).to_dict()

    @staticmethod
    def _config(user_id: str, thread_id: str) -> dict:
        """The run config; the agent's checkpointer keeps the thread per user (one place)."""
        return {"configurable": {"thread_id": thread_id, "user_id": user_id}}

    def history(self, user_id: str, thread_id: str) -> list:
        """Messages of a user's thread (empty for a new or foreign thread)."""
        state = self.graph.get_state(self._config(user_id, thread_id))
        return list((state.values or {}).get("messages", []))

    async def ahistory(self, user_id: str, thread_id: str) -> list:
        """:meth:`history` for async callers."""
        state = await self.graph.aget_state(self._config(user_id, thread_id))
        return list((state.values or {}).get("messages", []))

    def forget(self, user_id: str) -> dict[str, int]:
        """Delete everything about a user (profile, events, conversations). Callers confirm first."""
        return self.services.profiles.forget(user_id)

    # -- turns -----------------------------------------------------------------------------
    def _empty(self, user_id: str, thread_id: str) -> TurnResult:
        catalog = self.services.catalog(self.catalog)
        return TurnResult(f"Please type a message: {catalog.domain.a_noun} you loved, a genre or a mood.",
                          profile=self.profile_view(user_id, thread_id), backend=self.backend, user_id=user_id, thread_id=thread_id)

    def _run_args(self, text: str, user_id: str, thread_id: str, history: list) -> tuple[dict | None, dict]:
        """Input and keyword arguments of one graph run (the thread registered for the user).

        The run saves the thread once, when it ends (durability "exit": saving every step re-serialised
        the whole history four to six times a turn). With a store that outlives the process the
        message is saved first, as the run's start, and the run continues from it: a crash mid-turn
        (after a tool changed the profile) then never leaves a profile change without its message.
        """
        self.services.profiles.register_thread(user_id, thread_id)
        turn = 1 + sum(isinstance(m, HumanMessage) for m in history)
        config = {"configurable": {**self._config(user_id, thread_id)["configurable"], "turn": turn}}
        context = UserContext(user_id=user_id, thread_id=thread_id, turn=turn)
        inputs: dict | None = {"messages": [HumanMessage(text)]}
        if self._save_input_first:
            self.graph.update_state(self._config(user_id, thread_id), inputs, as_node="__start__")
            inputs = None
        return inputs, {"config": config, "context": context, "durability": "exit",
                        "stream_mode": ["messages", "updates"]}

    def _events(self, mode: str, payload: Any, new: list, calls: dict[str, dict],
                seen: dict[str, Any]) -> Iterator[tuple[str, Any]]:
        """The ``("token", str)`` / ``("step", dict)`` events of one streamed graph item; a fallback
        reason lands in ``seen["fallback"]``. Without live tokens (an LLM's answer is released
        only once checked) the final answer comes as one token."""
        if mode == "messages":
            chunk, meta = payload
            if (self.live_tokens and isinstance(chunk, AIMessageChunk) and meta.get("langgraph_node") == "model"
                    and chunk.content):
                yield "token", chunk.content
            return
        for update in payload.values():
            seen["fallback"] = seen.get("fallback") or (update.get(FALLBACK_STATE) if isinstance(update, dict) else None)
            for msg in (update or {}).get("messages", []) if isinstance(update, dict) else []:
                new.append(msg)
                if isinstance(msg, AIMessage) and not msg.tool_calls and not self.live_tokens and msg.content:
                    yield "token", str(msg.content)  # the checked answer, at once
                if isinstance(msg, AIMessage):
                    for call in msg.tool_calls:
                        calls[call["id"]] = call
                        yield "step", {"tool": call["name"], "args": call.get("args", {}), "status": "pending"}
                elif isinstance(msg, ToolMessage):
                    yield "step", {**tool_step(calls.get(msg.tool_call_id, {"name": msg.name}), msg), "status": "done"}

    def stream(self, message: str, *, user_id: str, thread_id: str = "default") -> Iterator[tuple[str, Any]]:
        """Run one turn, yielding ``("step", dict)``, ``("token", str)`` and finally ``("result", TurnResult)``."""
        text, notices = clean_message(message, max(256, self.settings.history_tokens // 2))
        if not text:
            yield "result", self._empty(user_id, thread_id)
            return
        with self._lock(thread_key(user_id, thread_id)):
            inputs, kwargs = self._run_args(text, user_id, thread_id, self.history(user_id, thread_id))
            new: list = []
            calls: dict[str, dict] = {}
            seen: dict[str, Any] = {}
            for mode, payload in self.graph.stream(inputs, **kwargs):
                yield from self._events(mode, payload, new, calls, seen)
            yield "result", self._result(new, calls, user_id, thread_id, notices, seen.get("fallback"))

    async def astream(self, message: str, *, user_id: str,
                      thread_id: str = "default") -> AsyncIterator[tuple[str, Any]]:
        """:meth:`stream` for async callers: the same events, without blocking the event loop."""
        text, notices = clean_message(message, max(256, self.settings.history_tokens // 2))
        if not text:
            yield "result", await asyncio.to_thread(self._empty, user_id, thread_id)
            return
        lock = self._lock(thread_key(user_id, thread_id))
        # the thread's lock, shared with sync runs; polled so the event loop never blocks (an
        # asyncio.Lock would be bound to one event loop)
        while not lock.acquire(blocking=False):
            await asyncio.sleep(0.02)
        try:
            history = await self.ahistory(user_id, thread_id)
            inputs, kwargs = await asyncio.to_thread(self._run_args, text, user_id, thread_id, history)
            new: list = []
            calls: dict[str, dict] = {}
            seen: dict[str, Any] = {}
            async for mode, payload in self.graph.astream(inputs, **kwargs):
                for event in self._events(mode, payload, new, calls, seen):
                    yield event
            yield "result", await asyncio.to_thread(self._result, new, calls, user_id, thread_id, notices,
                                                    seen.get("fallback"))
        finally:
            lock.release()

    def turn(self, message: str, *, user_id: str, thread_id: str = "default") -> TurnResult:
        """Run one turn and return its result."""
        result = None
        for kind, payload in self.stream(message, user_id=user_id, thread_id=thread_id):
            if kind == "result":
                result = payload
        return result

    async def ainvoke(self, message: str, *, user_id: str, thread_id: str = "default") -> TurnResult:
        """:meth:`turn` for async callers."""
        result = None
        async for kind, payload in self.astream(message, user_id=user_id, thread_id=thread_id):
            if kind == "result":
                result = payload
        return result

    def _result(self, new: list, calls: dict, user_id: str, thread_id: str, notices: list[str],
                fallback: str | None = None) -> TurnResult:
        tool_msgs = [m for m in new if isinstance(m, ToolMessage)]
        recs, explained, not_found, uncertain = [], [], [], []
        for msg in tool_msgs:
            art = msg.artifact if isinstance(msg.artifact, dict) else {}
            if art.get("kind") in LISTING_KINDS:
                recs = art.get("items", [])
            elif art.get("kind") == "explain":
                explained = art.get("items", [])
            not_found += [m for m in art.get("missing") or [] if m not in not_found]
            uncertain += [u for u in art.get("uncertain") or [] if u not in uncertain]
        finals = [m for m in new if isinstance(m, AIMessage) and not m.tool_calls]
        reply = str(finals[-1].content) if finals else ""
        backend = self.backend
        if fallback:
            backend = f"offline default (fallback from {self.backend})"
            notices = [*notices, "The language model failed; the offline assistant answered."]
        steps = [tool_step(calls[m.tool_call_id], m) for m in tool_msgs if m.tool_call_id in calls]
        profile = self.profile_view(user_id, thread_id)
        return TurnResult(reply=reply, recommendations=recs, explained=explained, profile=profile, tool_steps=steps,
                          backend=backend, notices=notices, user_id=user_id, thread_id=thread_id,
                          not_found=not_found, uncertain=uncertain)
