"""The embedded offline default: a chat model that decides tool calls deterministically.

It reads the newest human message with :mod:`tastebud.nlu`, emits ``update_profile`` and
then ``recommend`` / ``explain_item`` / ``read_profile`` tool calls, and writes the final
answer from ``prompts/replies.yaml`` filled with the tool artifacts. Because it is an
ordinary chat model, ``create_agent`` runs unchanged and the same tools, checkpointer and
profile serve it and the LLM backends.
"""

from __future__ import annotations

import copy
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables.config import run_in_executor
from pydantic import PrivateAttr

from tastebud.tools.artifacts import LISTING_KINDS, TALK_KINDS, ProfileView

from .budget import message_text
from .policy import Plan, plan_turn, write_reply

__all__ = ["OfflinePolicyModel", "last_recommendations", "last_discussed", "pending_questions"]

_PARSES_KEPT = 64


def last_recommendations(messages: list[BaseMessage]) -> list[str]:
    """Item ids of the newest recommendation list among ``messages``."""
    for message in reversed(messages):
        if isinstance(message, ToolMessage) and isinstance(message.artifact, dict) and \
                message.artifact.get("kind") in LISTING_KINDS:
            items = message.artifact.get("items") or []
            if items:
                return [d["item_id"] for d in items]
    return []


def last_discussed(messages: list[BaseMessage]) -> str | None:
    """The item the conversation last talked about ("it", "that one"): the newest explained or
    described item, when it came after the newest recommendation list."""
    for message in reversed(messages):
        if not isinstance(message, ToolMessage) or not isinstance(message.artifact, dict):
            continue
        kind = message.artifact.get("kind")
        if kind in LISTING_KINDS and message.artifact.get("items"):
            return None
        if kind in TALK_KINDS:
            art = message.artifact
            item = art.get("item") or next(iter(art.get("items") or []), None)
            if item:
                return item["item_id"]
    return None


def pending_questions(messages: list[BaseMessage]) -> list[dict]:
    """The "Did you mean …?" questions of the previous turn (its tools' ``uncertain`` entries)."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    return [u for m in messages[start + 1:] if isinstance(m, ToolMessage) and isinstance(m.artifact, dict)
            for u in m.artifact.get("uncertain") or []]


class OfflinePolicyModel(BaseChatModel):
    """Deterministic tool-calling chat model over a catalog's title linker.

    Each turn is parsed once: the model is called again after every tool result, and it keeps
    the parses of the latest messages (keyed by message id and text).

    Args:
        linker: A :class:`tastebud.nlu.TitleLinker` for the catalog the tools serve.
        templates: Reply templates (``prompts/replies.yaml``).
        polarity: Returns the learned polarity model (or ``None``), called on the first parse.
    """

    notice: str = ""
    """Put before every final answer: set on the copy that stands in for a failed LLM (:meth:`as_fallback`)."""

    _linker: Any = PrivateAttr()
    _templates: dict = PrivateAttr()
    _polarity: Any = PrivateAttr()
    _parses: OrderedDict = PrivateAttr()
    _parses_lock: Any = PrivateAttr()

    def __init__(self, linker: Any, templates: dict[str, str], polarity: Callable[[], Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._linker = linker
        self._templates = templates
        self._polarity = polarity
        self._parses = OrderedDict()
        self._parses_lock = threading.Lock()

    @property
    def _llm_type(self) -> str:
        return "tastebud-offline"

    @property
    def model_name(self) -> str:
        """``tastebud-offline``, or ``tastebud-offline-fallback`` for the stand-in of a failed LLM."""
        return "tastebud-offline-fallback" if self.notice else "tastebud-offline"

    def as_fallback(self, notice: str) -> OfflinePolicyModel:
        """A copy (sharing the parse cache) that answers for a failed LLM, ``notice`` first."""
        return self.model_copy(update={"notice": notice})

    def bind_tools(self, tools: Any, **kwargs: Any) -> OfflinePolicyModel:
        """Tools are known by name; binding changes nothing."""
        return self

    # -- deciding --------------------------------------------------------------------------
    def _turn(self, messages: list[BaseMessage]) -> tuple[Any, Plan, list[ToolMessage]]:
        from tastebud.nlu import parse_turn

        start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        text = message_text(messages[start]) if start >= 0 else ""
        before = messages[:max(start, 0)]
        last = last_recommendations(before)
        key = (getattr(messages[start], "id", None) if start >= 0 else None, text, tuple(last))
        with self._parses_lock:
            cached = self._parses.get(key) if key[0] else None
        if cached is None:
            model = self._polarity() if self._polarity is not None else None
            parse = parse_turn(text, self._linker, last_recommendations=last, discussed=last_discussed(before),
                               polarity_model=model)
            cached = (parse, plan_turn(parse, last, pending_questions(before)))
            with self._parses_lock:
                self._parses[key] = cached
                while len(self._parses) > _PARSES_KEPT:
                    self._parses.popitem(last=False)
        parse, plan = cached
        done = [m for m in messages[start + 1:] if isinstance(m, ToolMessage) and m.status != "error"]  # failed: not done
        return parse, copy.deepcopy(plan), done

    def decide(self, messages: list[BaseMessage]) -> AIMessage:
        """The next message: a tool call, or the final answer."""
        parse, plan, done = self._turn(messages)
        called = [m.name for m in done]
        arts = {m.name: m.artifact if isinstance(m.artifact, dict) else {} for m in done}
        if plan.edits and "update_profile" not in called:
            return self._call("update_profile", {"edits": plan.edits})
        if plan.check_profile and "read_profile" not in called:
            return self._call("read_profile", {})
        if plan.check_profile and _empty_profile(arts.get("read_profile", {})):
            plan.action, plan.reply = None, "clarify"
        if plan.action and plan.action[0] not in called:
            return self._call(*plan.action)
        pairs = [(m.name, m.artifact if isinstance(m.artifact, dict) else {}) for m in done]
        reply = write_reply(self._templates, pairs, plan, parse)
        return AIMessage(content=f"{self.notice}\n\n{reply}" if self.notice else reply,
                         response_metadata={"model_name": self.model_name})

    def _call(self, name: str, args: dict[str, Any]) -> AIMessage:
        call = {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
        return AIMessage(content="", tool_calls=[call], response_metadata={"model_name": self.model_name})

    # -- BaseChatModel ---------------------------------------------------------------------
    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.decide(messages))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for chunk in _chunks(self.decide(messages)):
            if run_manager and chunk.text:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    # The policy is CPU work of a few milliseconds: async callers run it in a worker thread once
    # per call (the default would hop to a thread for every streamed word).
    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                         run_manager: AsyncCallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        message = await run_in_executor(None, self.decide, messages)
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                       run_manager: AsyncCallbackManagerForLLMRun | None = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in _chunks(await run_in_executor(None, self.decide, messages)):
            if run_manager and chunk.text:
                await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk


def _chunks(message: AIMessage) -> Iterator[ChatGenerationChunk]:
    """A decided message as stream chunks: its tool calls in one chunk, or its text a few words at
    a time (each chunk costs LangChain a message object, a callback and a merge: word by word was
    a third of a turn's CPU, and the page draws at most every 50 ms anyway)."""
    if message.tool_calls:
        yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[
            {"name": c["name"], "args": _json(c["args"]), "id": c["id"], "index": i, "type": "tool_call_chunk"}
            for i, c in enumerate(message.tool_calls)], response_metadata=message.response_metadata))
        return
    for piece in re.findall(r"(?:\S+\s*){1,4}|\s+", message.content):
        yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
    yield ChatGenerationChunk(message=AIMessageChunk(content="", response_metadata=message.response_metadata))


def _json(args: dict) -> str:
    import json

    return json.dumps(args)


def _empty_profile(artifact: dict) -> bool:
    profile = artifact.get("profile")
    return not profile or ProfileView.model_validate(profile).is_empty()
