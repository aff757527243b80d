"""Chat models for each backend (``init_chat_model`` provider strings), and the two middleware
every backend uses: history trimmed to a token budget, and tool failures answered as text.
The LLM-only stack (retry, fallback, limits, checks) is in :mod:`tastebud.agent.middleware`.
"""

from __future__ import annotations

import logging
from typing import Any

from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import AIMessage, RemoveMessage, ToolMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES

from tastebud.errors import ConfigError, ProviderError
from tastebud.settings import Settings
from tastebud.tools.artifacts import ErrorArtifact

from .budget import count_tokens, trim_history

__all__ = ["make_llm", "BudgetMiddleware", "InterruptedCalls", "ToolErrors", "EXTRAS", "answer_open_calls"]

log = logging.getLogger(__name__)


#: Provider → the tastebud extra that installs its LangChain package (openai is built in).
EXTRAS = {"anthropic": "anthropic", "ollama": "ollama"}


def _install_hint(provider: str) -> str:
    if provider in EXTRAS:
        return f"pip install 'tastebud[{EXTRAS[provider]}]'"
    return f"pip install langchain-{provider.replace('_', '-')}"


def make_llm(settings: Settings):
    """The LangChain chat model of an LLM backend, built by ``init_chat_model``.

    ``settings.model`` is a model name or a provider string (``"anthropic:claude-…"``); the
    ``openai-compatible`` backend is OpenAI's client pointed at ``settings.base_url``. The
    client's own retries are off: :class:`~tastebud.agent.middleware.LLMRetry` retries.

    Raises:
        ConfigError: The backend needs a key or URL that is not set.
        ProviderError: Unknown provider, or its package is not installed (names the extra).
    """
    from langchain.chat_models import init_chat_model

    backend = settings.resolved_backend()
    provider, name = settings.model_provider()
    provider = "openai" if backend in ("openai", "openai-compatible") else (provider or backend)
    if backend == "openai" and not (settings.openai_api_key or settings.base_url):
        raise ConfigError("the openai backend needs OPENAI_API_KEY (or TASTEBUD_BASE_URL for a compatible server)")
    if backend == "openai-compatible" and not settings.base_url:
        raise ConfigError("the openai-compatible backend needs TASTEBUD_BASE_URL or OPENAI_BASE_URL")
    kwargs: dict[str, Any] = {"timeout": settings.llm_timeout, "max_retries": 0, "temperature": 0.2}
    if provider == "openai":
        kwargs["api_key"] = settings.openai_api_key or "not-needed"
        if backend == "openai-compatible":
            kwargs["extra_body"] = {"max_tokens": 800}  # llama.cpp server reads max_tokens from the body
    elif provider == "ollama":  # ChatOllama has neither timeout nor max_retries
        kwargs = {"temperature": 0.2, "client_kwargs": {"timeout": settings.llm_timeout}}
    if settings.base_url:
        kwargs["base_url"] = settings.base_url
    try:
        return init_chat_model(name, model_provider=provider, **kwargs)
    except ImportError as exc:
        raise ProviderError(f"the {provider} provider's package is not installed: {_install_hint(provider)}") from exc
    except ValueError as exc:
        if "provider" not in str(exc).lower():
            raise
        raise ProviderError(f"unknown model provider {provider!r} in {settings.model!r}; use e.g. "
                            "'openai:gpt-4.1-mini', 'anthropic:claude-sonnet-4-5' (pip install 'tastebud[anthropic]') "
                            "or 'ollama:qwen2.5' (pip install 'tastebud[ollama]')") from exc


class BudgetMiddleware(AgentMiddleware):
    """Send the model only the newest history that fits ``max_tokens``, system prompt included
    (the graph state keeps the whole history)."""

    def __init__(self, max_tokens: int) -> None:
        super().__init__()
        self.max_tokens = max_tokens

    def _trimmed(self, request):
        system = count_tokens([request.system_message]) if request.system_message is not None else 0
        return request.override(messages=trim_history(request.messages, max(64, self.max_tokens - system)))

    def wrap_model_call(self, request, handler):
        return handler(self._trimmed(request))

    async def awrap_model_call(self, request, handler):
        return await handler(self._trimmed(request))


class ToolErrors(AgentMiddleware):
    """A failing tool answers with an error message the model can read, never a crash."""

    @staticmethod
    def _error(request, exc: Exception) -> ToolMessage:
        call = request.tool_call
        log.info("tool %s failed: %s", call.get("name"), exc)
        return ToolMessage(content=f"Error: {exc}", tool_call_id=call["id"], name=call.get("name"),
                           status="error", artifact=ErrorArtifact(error=str(exc)[:500]).to_dict())

    def wrap_tool_call(self, request, handler):
        try:
            return handler(request)
        except Exception as exc:  # a bad argument, an unknown genre, a store error ...
            return self._error(request, exc)

    async def awrap_tool_call(self, request, handler):
        try:
            return await handler(request)
        except Exception as exc:  # as in wrap_tool_call
            return self._error(request, exc)


def answer_open_calls(messages: list) -> list | None:
    """The history with a result after every tool call that has none, or ``None`` when none is open.

    A turn stopped between a model's tool call and its result (a crash, a killed process) leaves
    the call open; every provider rejects such a history, so the call is answered as not run.
    """
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    if all(c["id"] in answered for m in messages if isinstance(m, AIMessage) for c in m.tool_calls):
        return None
    out: list = []
    pending: list[ToolMessage] = []
    for m in messages:
        if pending and not isinstance(m, ToolMessage):  # the open calls' results end their step
            out += pending
            pending = []
        out.append(m)
        if isinstance(m, AIMessage):
            pending = [ToolMessage(content="Not run: the turn was interrupted.", tool_call_id=c["id"],
                                   name=c.get("name"), status="error")
                       for c in m.tool_calls if c["id"] not in answered]
    return out + pending


class InterruptedCalls(AgentMiddleware):
    """Before a run, answer tool calls that an interrupted earlier turn left open (see
    :func:`answer_open_calls`), in the stored history, so no model ever receives one."""

    def before_agent(self, state, runtime) -> dict | None:
        patched = answer_open_calls(list(state.get("messages", [])))
        return None if patched is None else {"messages": [RemoveMessage(id=REMOVE_ALL_MESSAGES), *patched]}

    async def abefore_agent(self, state, runtime) -> dict | None:
        return self.before_agent(state, runtime)
