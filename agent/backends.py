"""Chat models for each backend, and the middleware that keeps LLM backends honest:
history trimmed to a token budget, retries with backoff, fallback to the offline default
with a visible notice, and invented titles removed from final answers.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from tastebud.errors import BackendError, ConfigError
from tastebud.settings import Settings

from .budget import count_tokens, trim_history
from .guard import allowed_items, check_answer

__all__ = ["make_llm", "BudgetMiddleware", "ToolErrors", "ResilientMiddleware", "FALLBACK_KEY", "FALLBACK_NOTICE"]

log = logging.getLogger(__name__)

FALLBACK_KEY = "tastebud_fallback"
FALLBACK_NOTICE = "(The language model was unavailable or gave an unusable answer, so the offline assistant replied.)"


def make_llm(settings: Settings):
    """The LangChain chat model for ``openai`` / ``openai-compatible`` backends.

    Raises:
        ConfigError: The backend needs a key or URL that is not set.
    """
    from langchain_openai import ChatOpenAI

    backend = settings.resolved_backend()
    if backend == "openai" and not settings.openai_api_key:
        raise ConfigError("the openai backend needs OPENAI_API_KEY")
    if backend == "openai-compatible" and not settings.base_url:
        raise ConfigError("the openai-compatible backend needs TASTEBUD_BASE_URL or OPENAI_BASE_URL")
    extra: dict[str, Any] = {}
    if backend == "openai-compatible":
        extra["extra_body"] = {"max_tokens": 800}  # llama.cpp server reads max_tokens from the body
    return ChatOpenAI(model=settings.model, api_key=settings.openai_api_key or "not-needed",
                      base_url=settings.base_url if backend == "openai-compatible" else None,
                      timeout=settings.llm_timeout, max_retries=0, temperature=0.2, **extra)


class BudgetMiddleware(AgentMiddleware):
    """Send the model only the newest history that fits ``max_tokens``, system prompt included
    (the graph state keeps the whole history)."""

    def __init__(self, max_tokens: int) -> None:
        super().__init__()
        self.max_tokens = max_tokens

    def wrap_model_call(self, request, handler):
        system = count_tokens([request.system_message]) if request.system_message is not None else 0
        budget = max(64, self.max_tokens - system)
        return handler(request.override(messages=trim_history(request.messages, budget)))


class ToolErrors(AgentMiddleware):
    """A failing tool answers with an error message the model can read, never a crash."""

    def wrap_tool_call(self, request, handler):
        try:
            return handler(request)
        except Exception as exc:  # a bad argument, an unknown genre, a store error ...
            call = request.tool_call
            log.info("tool %s failed: %s", call.get("name"), exc)
            return ToolMessage(content=f"Error: {exc}", tool_call_id=call["id"], name=call.get("name"),
                               status="error", artifact={"kind": "error", "error": str(exc)[:500]})


DEFER_KEY = "tastebud_deferred"


def _profile_first(message: AIMessage) -> AIMessage | None:
    """Split a message calling ``update_profile`` and other tools: the update runs first.

    Tools of one message run in parallel; a ``recommend`` beside an ``update_profile`` could
    read the profile before the update. The other calls are kept and replayed next round.
    """
    names = [c["name"] for c in message.tool_calls]
    if "update_profile" not in names or set(names) == {"update_profile"}:
        return None
    first = [c for c in message.tool_calls if c["name"] == "update_profile"]
    rest = [c for c in message.tool_calls if c["name"] != "update_profile"]
    meta = {**(message.response_metadata or {}), DEFER_KEY: rest}
    return message.model_copy(update={"tool_calls": first, "response_metadata": meta})


def _deferred_calls(turn: list) -> list:
    """Calls deferred by :func:`_profile_first` in the newest model message, not yet replayed."""
    ai = [m for m in turn if isinstance(m, AIMessage)]
    return list((ai[-1].response_metadata or {}).get(DEFER_KEY) or []) if ai else []


def _turn_messages(messages: list) -> list:
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    return messages[start + 1:]


class ResilientMiddleware(AgentMiddleware):
    """Retry a failing LLM, validate its tool calls, check its final answer, fall back offline.

    Args:
        offline: The :class:`~tastebud.agent.offline.OfflinePolicyModel` used as fallback.
        retries: Extra attempts after the first failure.
        backoff: First delay in seconds (doubled each retry, at most 4 s).
        linker: Title linker used by the answer check.
        max_tool_rounds: Model calls with tool calls allowed in one turn; a model that keeps
            calling tools past it is cut off and the offline default finishes the turn.
    """

    def __init__(self, offline, retries: int = 2, backoff: float = 0.5, linker=None, max_tool_rounds: int = 6) -> None:
        super().__init__()
        self.offline, self.retries, self.backoff, self.linker = offline, retries, backoff, linker
        self.max_tool_rounds = max_tool_rounds

    def _validate(self, message: AIMessage, tools: list) -> None:
        if getattr(message, "invalid_tool_calls", None):
            raise BackendError(f"malformed tool call: {message.invalid_tool_calls[0].get('error') or 'bad JSON'}")
        by_name = {getattr(t, "name", None): t for t in tools or []}
        for call in message.tool_calls:
            tool = by_name.get(call["name"])
            if tool is None:
                raise BackendError(f"unknown tool {call['name']!r}")
            try:
                tool.tool_call_schema.model_validate(call.get("args") or {})
            except Exception as exc:
                raise BackendError(f"invalid arguments for {call['name']}: {exc}") from None

    def _fallback(self, messages: list, reason: str) -> AIMessage:
        message = self.offline.decide(messages)
        message.response_metadata = {**(message.response_metadata or {}), FALLBACK_KEY: reason}
        if not message.tool_calls:
            message.content = f"{FALLBACK_NOTICE}\n\n{message.content}"
        return message

    def wrap_model_call(self, request, handler):
        messages = list(request.messages)
        turn = _turn_messages(messages)
        fallen = next((m.response_metadata.get(FALLBACK_KEY) for m in turn
                       if isinstance(m, AIMessage) and (m.response_metadata or {}).get(FALLBACK_KEY)), None)
        if fallen:  # once a turn fell back, the offline default finishes it
            return self._fallback(messages, fallen)
        deferred = _deferred_calls(turn)
        if deferred:  # the rest of a message that also updated the profile, now that the update ran
            return AIMessage(content="", tool_calls=deferred)
        rounds = sum(isinstance(m, AIMessage) and bool(m.tool_calls) for m in turn)
        if rounds >= self.max_tool_rounds:  # a model looping on tool calls would never end the turn
            log.warning("LLM made %d rounds of tool calls in one turn; the offline default finishes it", rounds)
            return self._fallback(messages, f"more than {self.max_tool_rounds} rounds of tool calls")
        error = "no answer"
        for attempt in range(self.retries + 1):
            try:
                response = handler(request)
                message = response.result[-1] if hasattr(response, "result") else response
                self._validate(message, request.tools)
                if not message.tool_calls:
                    return self._checked(message, messages)
                return _profile_first(message) or response
            except Exception as exc:  # any transport, HTTP, parsing or validation failure
                error = f"{type(exc).__name__}: {str(exc)[:200]}"
                log.warning("LLM call failed (attempt %d/%d): %s", attempt + 1, self.retries + 1, error)
                if attempt < self.retries:
                    time.sleep(min(4.0, self.backoff * 2 ** attempt))
        return self._fallback(messages, error)

    def _checked(self, message: AIMessage, messages: list) -> AIMessage:
        artifacts = [m.artifact for m in messages if isinstance(m, ToolMessage)]
        text, removed = check_answer(str(message.content or ""), allowed_items(artifacts), self.linker)
        if not removed:
            return message
        log.info("removed titles not returned by tools: %s", removed)
        if not text:
            return self._fallback(messages, "answer named items no tool returned")
        return message.model_copy(update={"content": text})
