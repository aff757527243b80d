"""The middleware stack of an LLM backend: LangChain's retry, fallback and call limits, plus
tastebud's own checks, each with sync and async hooks and its state in the graph state.

Outer to inner (``wrap_model_call`` order)::

    OfflineFinish      once a turn fell back, or the LLM used its calls, the offline default finishes it
    ProfileFirst       update_profile runs before the tools called beside it (the rest is replayed)
    ModelFallbackMiddleware(offline)   any failure below → the offline default answers, with a notice
    AnswerCheck        lines naming titles no tool returned this turn are removed (all removed → failure)
    ToolCallCheck      a bad tool call goes back to the model once, with its error text; twice → failure
    LLMRetry           rate limits, timeouts, 5xx and lost connections retried (Retry-After honoured)
    ModelCallLimitMiddleware / ToolCallLimitMiddleware   hard stops for loops
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from typing import Annotated, Any, NotRequired

from langchain.agents.middleware import (
    AgentMiddleware,
    AgentState,
    ExtendedModelResponse,
    ModelResponse,
    ModelRetryMiddleware,
    hook_config,
)
from langchain.agents.middleware.types import PrivateStateAttr
from langchain_core.exceptions import ModelError
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.errors import GraphBubbleUp
from langgraph.types import Command

from tastebud.errors import BackendError
from tastebud.tools.artifacts import ErrorArtifact

from .budget import message_text
from .guard import allowed_items, check_answer

__all__ = [
    "FALLBACK_NOTICE",
    "FALLBACK_STATE",
    "AnswerCheck",
    "LLMRetry",
    "OfflineFinish",
    "ProfileFirst",
    "ToolCallCheck",
    "TurnState",
    "is_transient",
    "retry_after",
]

log = logging.getLogger(__name__)

FALLBACK_NOTICE = "(The language model was unavailable or gave an unusable answer, so the offline assistant replied.)"
#: State key holding why this turn fell back to the offline default (``None``: it did not).
FALLBACK_STATE = "tastebud_fallback"


class TurnState(AgentState):
    """Graph state of tastebud's checks; reset at the start of every turn."""

    tastebud_fallback: NotRequired[str | None]
    tastebud_deferred: NotRequired[Annotated[list, PrivateStateAttr]]
    tastebud_repairs: NotRequired[Annotated[int, PrivateStateAttr]]


def _turn(messages: list) -> list:
    """Messages after the newest human message."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    return messages[start + 1:]


def _message(response: Any) -> AIMessage:
    return response.result[-1] if isinstance(response, ModelResponse) else response


def _is_offline(model: Any) -> bool:
    return getattr(model, "_llm_type", "") == "tastebud-offline"


# -- retry ------------------------------------------------------------------------------------
def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def is_transient(exc: BaseException) -> bool:
    """Whether retrying may help: a rate limit, a timeout, a 5xx or a lost connection (never 400/401/403)."""
    if isinstance(exc, ModelError):  # LangChain's classification of provider errors
        return exc.is_retryable
    status = _status(exc)
    if status is not None:
        return status in (408, 429) or status >= 500
    import httpx

    try:
        from openai import APIConnectionError  # also APITimeoutError
    except ImportError:  # pragma: no cover - openai is a dependency
        APIConnectionError = ConnectionError
    return isinstance(exc, (TimeoutError, ConnectionError, httpx.TimeoutException, httpx.TransportError,
                            APIConnectionError))


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked to wait (``Retry-After`` / ``retry-after-ms``), if it said."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        return None
    try:
        if headers.get("retry-after-ms"):
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class LLMRetry(ModelRetryMiddleware):
    """LangChain's ``ModelRetryMiddleware``, retrying only transient failures and waiting at least
    what the server's ``Retry-After`` asks (``ModelRetryMiddleware`` has no such option: the handler
    it retries sleeps first). A wait above ``max_delay`` is not retried: the fallback answers now.
    Failures past the retries re-raise, for :class:`ModelFallbackMiddleware`.
    """

    def __init__(self, max_retries: int = 2, initial_delay: float = 0.5, max_delay: float = 30.0) -> None:
        super().__init__(max_retries=max_retries, retry_on=self._retryable, on_failure="error",
                         initial_delay=initial_delay, max_delay=max_delay, backoff_factor=2.0, jitter=True)

    def _retryable(self, exc: BaseException) -> bool:
        wait = retry_after(exc)
        return is_transient(exc) and (wait is None or wait <= self.max_delay)

    def _failed(self, exc: Exception, attempt: int) -> float:
        """Log a failed attempt; the ``Retry-After`` wait owed before the next one (0: none)."""
        retryable = self._retryable(exc)
        again = retryable and attempt <= self.max_retries
        log.warning("LLM call failed (attempt %d/%d)%s: %s: %s", attempt, self.max_retries + 1 if retryable else attempt,
                    "" if retryable else ", not retryable", type(exc).__name__, str(exc)[:200])
        return (retry_after(exc) or 0.0) if again else 0.0

    def wrap_model_call(self, request, handler):
        attempts = iter(range(1, 1 << 30))

        def call(req):
            try:
                return handler(req)
            except GraphBubbleUp:
                raise
            except Exception as exc:
                wait = self._failed(exc, next(attempts))
                if wait:
                    time.sleep(wait)
                raise

        return super().wrap_model_call(request, call)

    async def awrap_model_call(self, request, handler):
        attempts = iter(range(1, 1 << 30))

        async def call(req):
            try:
                return await handler(req)
            except GraphBubbleUp:
                raise
            except Exception as exc:
                wait = self._failed(exc, next(attempts))
                if wait:
                    await asyncio.sleep(wait)
                raise

        return await super().awrap_model_call(request, call)


# -- the turn: fallback that sticks, and the loop limit ---------------------------------------------
class OfflineFinish(AgentMiddleware):
    """Once a turn fell back, or the LLM made ``max_calls`` model calls, the offline default finishes it.

    Records the fallback in the state (``tastebud_fallback``) when the offline stand-in answered.

    Args:
        fallback: The offline model standing in for the LLM (``OfflinePolicyModel.as_fallback``).
        max_calls: Model calls an LLM may make in one turn (counted by ``ModelCallLimitMiddleware``).
    """

    state_schema = TurnState

    def __init__(self, fallback, max_calls: int) -> None:
        super().__init__()
        self.fallback, self.max_calls = fallback, max_calls

    def before_agent(self, state, runtime) -> dict:
        return {FALLBACK_STATE: None, "tastebud_deferred": [], "tastebud_repairs": 0}

    async def abefore_agent(self, state, runtime) -> dict:
        return self.before_agent(state, runtime)

    def _route(self, request):
        reason = request.state.get(FALLBACK_STATE)
        calls = request.state.get("run_model_call_count", 0)
        if not reason and calls >= self.max_calls and not _is_offline(request.model):
            reason = f"more than {self.max_calls} model calls in one turn"
            log.warning("the LLM made %d model calls in one turn; the offline default finishes it", calls)
        return (request.override(model=self.fallback), reason) if reason else (request, None)

    def _mark(self, response, reason: str | None):
        if reason is None and getattr(_message(response), "response_metadata", {}).get("model_name") \
                == self.fallback.model_name:
            reason = "the language model failed"
        if reason is None:
            return response
        return ExtendedModelResponse(model_response=response if isinstance(response, ModelResponse)
                                     else ModelResponse(result=[response]),
                                     command=Command(update={FALLBACK_STATE: reason}))

    def wrap_model_call(self, request, handler):
        request, reason = self._route(request)
        return self._mark(handler(request), reason)

    async def awrap_model_call(self, request, handler):
        request, reason = self._route(request)
        return self._mark(await handler(request), reason)


# -- profile first ---------------------------------------------------------------------------------
class ProfileFirst(AgentMiddleware):
    """A message calling ``update_profile`` beside other tools runs the update alone first; the other
    calls wait in the state (``tastebud_deferred``) and are replayed next, without asking the model.

    Tools of one message run in parallel: a ``recommend`` beside an ``update_profile`` could read the
    profile before the update.
    """

    state_schema = TurnState

    @staticmethod
    def _replay(request):
        deferred = request.state.get("tastebud_deferred") or []
        if not deferred:
            return None
        return ExtendedModelResponse(model_response=ModelResponse(result=[AIMessage(content="", tool_calls=deferred)]),
                                     command=Command(update={"tastebud_deferred": []}))

    @staticmethod
    def _split(response):
        message = _message(response)
        names = [c["name"] for c in getattr(message, "tool_calls", None) or []]
        if "update_profile" not in names or set(names) == {"update_profile"}:
            return response
        first = [c for c in message.tool_calls if c["name"] == "update_profile"]
        rest = [c for c in message.tool_calls if c["name"] != "update_profile"]
        return ExtendedModelResponse(model_response=ModelResponse(result=[message.model_copy(update={"tool_calls": first})]),
                                     command=Command(update={"tastebud_deferred": rest}))

    def wrap_model_call(self, request, handler):
        return self._replay(request) or self._split(handler(request))

    async def awrap_model_call(self, request, handler):
        return self._replay(request) or self._split(await handler(request))


# -- the answer check ----------------------------------------------------------------------------
class AnswerCheck(AgentMiddleware):
    """Remove lines of an LLM's final answer that name titles no tool returned this turn
    (:func:`tastebud.agent.guard.check_answer`); an answer left empty is a failure (the fallback answers).

    Args:
        linker: The catalog's title linker.
    """

    def __init__(self, linker=None) -> None:
        super().__init__()
        self.linker = linker

    def _check(self, request, response):
        message = _message(response)
        if _is_offline(request.model) or message.tool_calls:
            return response
        turn = [m for m in _turn(list(request.state.get("messages") or request.messages)) if isinstance(m, ToolMessage)]
        allowed = allowed_items([m.artifact for m in turn], "\n".join(message_text(m) for m in turn), self.linker)
        text, removed = check_answer(message_text(message), allowed, self.linker)
        if not removed:
            return response
        log.info("removed titles not returned by tools: %s", removed)
        if not text:
            raise BackendError("the answer named only items no tool returned")
        return message.model_copy(update={"content": text})

    def wrap_model_call(self, request, handler):
        return self._check(request, handler(request))

    async def awrap_model_call(self, request, handler):
        return self._check(request, await handler(request))


# -- tool calls ----------------------------------------------------------------------------------
def tool_call_errors(message: AIMessage, tools: list) -> dict[str, str]:
    """``{call id: error}`` for malformed calls, unknown tools and arguments failing a tool's schema."""
    errors = {c.get("id") or "": f"malformed arguments for {c.get('name')}: {c.get('error') or 'bad JSON'}"
              for c in getattr(message, "invalid_tool_calls", None) or []}
    by_name = {getattr(t, "name", None): t for t in tools or []}
    for call in message.tool_calls:
        tool = by_name.get(call["name"])
        if tool is None:
            errors[call["id"]] = f"unknown tool {call['name']!r}; the tools are: {', '.join(sorted(filter(None, by_name)))}"
            continue
        try:
            tool.tool_call_schema.model_validate(call.get("args") or {})
        except Exception as exc:  # pydantic's ValidationError, with its text for the model
            errors[call["id"]] = f"invalid arguments for {call['name']}: {exc}"
    return errors


class ToolCallCheck(AgentMiddleware):
    """A bad tool call (malformed JSON, unknown tool, arguments failing the schema) goes back to the
    model once, with the error text, as tool results; a second bad call in the turn is a failure
    (the fallback answers). The count lives in the state (``tastebud_repairs``).

    Args:
        tools: The agent's tools (their schemas validate the arguments).
    """

    state_schema = TurnState

    def __init__(self, tools: list) -> None:
        super().__init__()
        self.known_tools = list(tools)

    def _check(self, request, response):
        message = _message(response)
        if _is_offline(request.model) or not request.state.get("tastebud_repairs"):
            return response
        errors = tool_call_errors(message, self.known_tools)
        if errors:
            raise BackendError(next(iter(errors.values()))[:300])
        return response

    def wrap_model_call(self, request, handler):
        return self._check(request, handler(request))

    async def awrap_model_call(self, request, handler):
        return self._check(request, await handler(request))

    @hook_config(can_jump_to=["model"])
    def after_model(self, state, runtime) -> dict | None:
        message = (state.get("messages") or [None])[-1]
        if not isinstance(message, AIMessage) or state.get("tastebud_repairs"):
            return None
        errors = tool_call_errors(message, self.known_tools)
        if not errors:
            return None
        log.warning("bad tool call sent back to the model once: %s", next(iter(errors.values()))[:200])
        calls = [*message.tool_calls, *(getattr(message, "invalid_tool_calls", None) or [])]
        replies = [ToolMessage(content=f"Error: {errors[c.get('id') or '']}. Call the tool again with valid arguments."
                               if (c.get("id") or "") in errors else "Not run: another call in this message was invalid.",
                               tool_call_id=c.get("id") or "", name=c.get("name"), status="error",
                               artifact=ErrorArtifact(error=errors.get(c.get("id") or "", "not run")[:500]).to_dict())
                   for c in calls]
        return {"messages": replies, "tastebud_repairs": 1, "jump_to": "model"}

    @hook_config(can_jump_to=["model"])
    async def aafter_model(self, state, runtime) -> dict | None:
        return self.after_model(state, runtime)
