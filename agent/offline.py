"""The embedded offline default: a chat model that decides tool calls deterministically.

It reads the newest human message with :mod:`tastebud.nlu`, emits ``update_profile`` and
then ``recommend`` / ``explain_item`` / ``read_profile`` tool calls, and writes the final
answer from ``prompts/replies.yaml`` filled with the tool artifacts. Because it is an
ordinary chat model, ``create_agent`` runs unchanged and the same tools, checkpointer and
profile serve it and the LLM backends.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from .budget import message_text
from .policy import Plan, plan_turn, write_reply

__all__ = ["OfflinePolicyModel", "last_recommendations"]

_REC_TOOLS = ("recommend", "similar_items", "search_catalog")


def last_recommendations(messages: list[BaseMessage]) -> list[str]:
    """Item ids of the newest recommendation list among ``messages``."""
    for message in reversed(messages):
        if isinstance(message, ToolMessage) and message.name in _REC_TOOLS and isinstance(message.artifact, dict):
            items = message.artifact.get("items") or []
            if items:
                return [d["item_id"] for d in items]
    return []


class OfflinePolicyModel(BaseChatModel):
    """Deterministic tool-calling chat model over a catalog's title linker.

    Args:
        linker: A :class:`tastebud.nlu.TitleLinker` for the catalog the tools serve.
        templates: Reply templates (``prompts/replies.yaml``).
    """

    _linker: Any = PrivateAttr()
    _templates: dict = PrivateAttr()

    def __init__(self, linker: Any, templates: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._linker = linker
        self._templates = templates

    @property
    def _llm_type(self) -> str:
        return "tastebud-offline"

    def bind_tools(self, tools: Any, **kwargs: Any) -> OfflinePolicyModel:
        """Tools are known by name; binding changes nothing."""
        return self

    # -- deciding --------------------------------------------------------------------------
    def _turn(self, messages: list[BaseMessage]) -> tuple[Any, Plan, list[ToolMessage]]:
        from tastebud.nlu import parse_turn

        start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        text = message_text(messages[start]) if start >= 0 else ""
        last = last_recommendations(messages[:max(start, 0)])
        parse = parse_turn(text, self._linker, last_recommendations=last)
        done = [m for m in messages[start + 1:] if isinstance(m, ToolMessage)]
        return parse, plan_turn(parse, last), done

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
        return AIMessage(content=write_reply(self._templates, pairs, plan, parse))

    @staticmethod
    def _call(name: str, args: dict[str, Any]) -> AIMessage:
        call = {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
        return AIMessage(content="", tool_calls=[call])

    # -- BaseChatModel ---------------------------------------------------------------------
    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.decide(messages))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        message = self.decide(messages)
        if message.tool_calls:
            chunk = AIMessageChunk(content="", tool_call_chunks=[
                {"name": c["name"], "args": _json(c["args"]), "id": c["id"], "index": i, "type": "tool_call_chunk"}
                for i, c in enumerate(message.tool_calls)])
            yield ChatGenerationChunk(message=chunk)
            return
        for piece in re.findall(r"\S+\s*|\s+", message.content):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def _json(args: dict) -> str:
    import json

    return json.dumps(args)


def _empty_profile(artifact: dict) -> bool:
    profile = artifact.get("profile") or {}
    return not any(profile.get(k) for k in ("liked", "disliked", "seen", "wanted_genres", "unwanted_genres",
                                             "constraints"))
