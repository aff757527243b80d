"""The LLM middleware without a catalog: which failures are retried (never 400/401/403), the
server's Retry-After honoured, the offline stand-in answering; provider strings parsed with
friendly errors for unknown providers and missing packages."""

from __future__ import annotations

import asyncio
import sys
import types

import httpx
import openai
import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import ModelFallbackMiddleware
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from tastebud.agent import middleware as mw
from tastebud.agent.backends import make_llm
from tastebud.errors import ProviderError
from tastebud.settings import Settings

URL = "https://api.example.invalid/v1/chat/completions"


def api_error(status: int, headers: dict | None = None) -> openai.APIStatusError:
    """The exception the OpenAI client raises for an HTTP status (as the real client builds it)."""
    response = httpx.Response(status, headers=headers or {}, json={"error": {"message": f"status {status}"}},
                              request=httpx.Request("POST", URL))
    cls = {400: openai.BadRequestError, 401: openai.AuthenticationError, 403: openai.PermissionDeniedError,
           429: openai.RateLimitError}.get(status, openai.InternalServerError)
    return cls(f"status {status}", response=response, body=None)


class Scripted(BaseChatModel):
    """Raises or answers from a script; counts calls."""

    script: list = []
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools, **kwargs):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.calls += 1
        step = self.script.pop(0) if self.script else "llm answer"
        if isinstance(step, BaseException):
            raise step
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=step))])


def agent(model: Scripted, retries: int = 2):
    stand_in = Scripted(script=["offline answer"] * 5)
    return create_agent(model, [], middleware=[ModelFallbackMiddleware(stand_in),
                                               mw.LLMRetry(max_retries=retries, initial_delay=0.01)])


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """Every sleep of the retry loop, recorded instead of waited."""
    waited: list[float] = []
    monkeypatch.setattr(mw.time, "sleep", waited.append)
    return waited


def reply(graph) -> str:
    return graph.invoke({"messages": [HumanMessage("hi")]})["messages"][-1].content


@pytest.mark.parametrize("status", [400, 401, 403])
def test_client_errors_are_never_retried(status, sleeps):
    model = Scripted(script=[api_error(status)])
    assert reply(agent(model)) == "offline answer"
    assert model.calls == 1 and sleeps == []


def test_a_429_waits_what_retry_after_asks(sleeps):
    model = Scripted(script=[api_error(429, {"retry-after": "3"}), "llm answer"])
    assert reply(agent(model)) == "llm answer"
    assert model.calls == 2 and sleeps[0] == 3.0


def test_retry_after_longer_than_the_cap_falls_back_at_once(sleeps):
    model = Scripted(script=[api_error(429, {"retry-after": "600"})])
    assert reply(agent(model)) == "offline answer" and model.calls == 1 and sleeps == []


@pytest.mark.parametrize("error", [api_error(500), api_error(503), api_error(429), TimeoutError("read timed out"),
                                   httpx.ConnectError("refused"),
                                   openai.APIConnectionError(request=httpx.Request("POST", URL))])
def test_transient_failures_are_retried_then_fall_back(error, sleeps):
    model = Scripted(script=[error] * 3)
    assert reply(agent(model, retries=2)) == "offline answer"
    assert model.calls == 3 and len(sleeps) == 2


def test_unclassified_failures_are_not_retried(sleeps):
    model = Scripted(script=[ValueError("unparseable response")])
    assert reply(agent(model)) == "offline answer" and model.calls == 1


def test_async_retry_honours_retry_after(monkeypatch):
    waited: list[float] = []

    async def fake_sleep(seconds):
        waited.append(seconds)

    monkeypatch.setattr(mw.asyncio, "sleep", fake_sleep)
    model = Scripted(script=[api_error(429, {"retry-after-ms": "1500"}), "llm answer"])
    result = asyncio.run(agent(model).ainvoke({"messages": [HumanMessage("hi")]}))
    assert result["messages"][-1].content == "llm answer" and waited[0] == 1.5


# -- provider strings ------------------------------------------------------------------------------
@pytest.fixture
def fresh_providers():
    """``init_chat_model`` caches each provider's class: clear it around tests that fake packages."""
    from langchain.chat_models import base

    base._get_chat_model_creator.cache_clear()
    yield
    base._get_chat_model_creator.cache_clear()


@pytest.mark.parametrize(("settings", "backend", "parsed"), [
    ({}, "offline", (None, "gpt-4o-mini")),
    ({"openai_api_key": "sk-x"}, "openai", (None, "gpt-4o-mini")),
    ({"model": "openai:gpt-4.1-mini"}, "openai", ("openai", "gpt-4.1-mini")),
    ({"model": "anthropic:claude-sonnet-4-5"}, "anthropic", ("anthropic", "claude-sonnet-4-5")),
    ({"model": "ollama:qwen2.5:7b"}, "ollama", ("ollama", "qwen2.5:7b")),
    ({"model": "qwen2.5:7b", "base_url": "http://127.0.0.1:11434/v1"}, "openai-compatible", (None, "qwen2.5:7b")),
    ({"model": "openai:gpt-4o-mini", "base_url": "http://127.0.0.1:9/v1"}, "openai", ("openai", "gpt-4o-mini")),
])
def test_provider_strings_resolve(settings, backend, parsed, tmp_path):
    s = Settings(home=tmp_path, **settings)
    assert s.resolved_backend() == backend and s.model_provider() == parsed


def test_openai_string_with_a_base_url_builds_chat_openai(tmp_path):
    llm = make_llm(Settings(home=tmp_path, model="openai:gpt-4o-mini", base_url="http://127.0.0.1:9/v1",
                            openai_api_key="dummy", llm_timeout=2))
    assert type(llm).__name__ == "ChatOpenAI" and llm.model_name == "gpt-4o-mini"
    assert str(llm.openai_api_base) == "http://127.0.0.1:9/v1" and llm.max_retries == 0


def test_installed_provider_package_is_used(tmp_path, monkeypatch, fresh_providers):
    made: dict = {}

    class ChatAnthropic:  # stands in for langchain_anthropic's class
        def __init__(self, **kwargs):
            made.update(kwargs)

    monkeypatch.setitem(sys.modules, "langchain_anthropic", types.SimpleNamespace(ChatAnthropic=ChatAnthropic))
    llm = make_llm(Settings(home=tmp_path, model="anthropic:claude-sonnet-4-5", llm_timeout=7))
    assert isinstance(llm, ChatAnthropic) and made["model"] == "claude-sonnet-4-5" and made["max_retries"] == 0


@pytest.mark.parametrize(("model", "hint"), [("anthropic:claude-sonnet-4-5", "pip install 'tastebud[anthropic]'"),
                                             ("ollama:qwen2.5", "pip install 'tastebud[ollama]'"),
                                             ("groq:llama-3.1", "pip install langchain-groq")])
def test_missing_provider_package_names_the_extra(model, hint, tmp_path, monkeypatch, fresh_providers):
    for name in ("langchain_anthropic", "langchain_ollama", "langchain_groq", "langchain_community"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    with pytest.raises(ProviderError) as err:
        make_llm(Settings(home=tmp_path, model=model))
    assert hint in str(err.value) and "\n" not in str(err.value)


def test_unknown_provider_is_one_friendly_line(tmp_path):
    with pytest.raises(ProviderError) as err:
        make_llm(Settings(home=tmp_path, model="nosuch:model-1"))
    assert "unknown model provider 'nosuch'" in str(err.value) and "tastebud[anthropic]" in str(err.value)
    assert "\n" not in str(err.value) and err.value.exit_code == 2
