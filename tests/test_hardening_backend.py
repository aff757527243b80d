"""Backend faults: a fake OpenAI-compatible server on 127.0.0.1 that times out, answers 429 /
500, returns malformed JSON, unknown tools or invalid arguments — and a healthy one.

The real ``make_llm`` path (``ChatOpenAI`` with ``base_url``) talks to it. tastebud retries
transient failures with backoff, shows a bad tool call to the model once, then the offline
default answers with a visible notice; never a stack trace, never a hang (a generous hang
guard, not a speed test).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tastebud.agent import Assistant
from tastebud.agent.middleware import FALLBACK_NOTICE
from tastebud.services import Services

pytestmark = pytest.mark.slow

TIMEOUT, RETRIES = 1.0, 1
HANG_GUARD = TIMEOUT * (RETRIES + 1) * 3 + 1.5 + 10  # up to 3 model calls a turn, plus backoff, plus slack


def _tool_call(name: str, arguments: str) -> dict:
    return {"id": f"call_{name}", "type": "function", "function": {"name": name, "arguments": arguments}}


def _completion(message: dict) -> dict:
    return {"id": "cmpl-1", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", **message},
                         "finish_reason": "tool_calls" if message.get("tool_calls") else "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunks(message: dict) -> list[dict]:
    base = {"id": "cmpl-1", "object": "chat.completion.chunk", "created": 0, "model": "fake"}
    delta: dict = {"role": "assistant", "content": message.get("content") or ""}
    if message.get("tool_calls"):
        delta["tool_calls"] = [{"index": i, **c} for i, c in enumerate(message["tool_calls"])]
    finish = "tool_calls" if message.get("tool_calls") else "stop"
    return [{**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
            {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}]


def healthy(body: dict) -> dict:
    """A proper tool call first, then a final answer naming the first tool result."""
    tool_msgs = [m for m in body["messages"] if m.get("role") == "tool"]
    if not tool_msgs:
        return {"content": None, "tool_calls": [
            _tool_call("update_profile", json.dumps({"edits": [{"action": "like", "item": "Toy Story"}]})),
            _tool_call("recommend", json.dumps({"n": 3}))]}
    first = next((line for m in tool_msgs for line in str(m.get("content")).splitlines() if line.startswith("1. ")), "")
    title = first[3:].split(" [")[0]
    return {"content": f"You might enjoy **{title}**."}


FAULTS = {
    "timeout": lambda body: ("sleep", None),
    "429": lambda body: (429, {"error": {"message": "Rate limit reached", "type": "rate_limit"}}),
    "500": lambda body: (500, {"error": {"message": "internal error", "type": "server_error"}}),
    "malformed_json": lambda body: ("raw", "{this is not json"),
    "unknown_tool": lambda body: (200, {"content": None, "tool_calls": [_tool_call("delete_everything", "{}")]}),
    "invalid_args": lambda body: (200, {"content": None, "tool_calls": [_tool_call("recommend", '{"n": "lots"}')]}),
    "bad_args_json": lambda body: (200, {"content": None, "tool_calls": [_tool_call("recommend", "n=3 }{")]}),
    "tool_loop": lambda body: (200, {"content": None, "tool_calls": [_tool_call("recommend", '{"n": 3')]}),
    "invented_title": lambda body: (200, {"content": "1. **Starlight Odyssey 3000** (2031) — made up"}),
    "empty_choices": lambda body: (200, "no-choices"),
}

TRANSIENT = ("timeout", "429", "500")
BAD_CALLS = ("unknown_tool", "invalid_args", "bad_args_json")


class FakeOpenAI:
    """``/v1/chat/completions`` on 127.0.0.1 with one behaviour; counts requests."""

    def __init__(self, mode: str) -> None:
        self.mode, self.requests, self.stop = mode, 0, threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests += 1
                if fake.mode == "healthy":
                    kind, payload = 200, healthy(body)
                else:
                    kind, payload = FAULTS[fake.mode](body)
                if kind == "sleep":
                    fake.stop.wait(TIMEOUT * 4)  # longer than the client waits; bounded
                    kind, payload = 500, {"error": {"message": "too late"}}
                if kind == "raw":
                    return self._send(200, payload.encode(), "application/json")
                if kind != 200:
                    return self._send(kind, json.dumps(payload).encode(), "application/json")
                if payload == "no-choices":
                    return self._send(200, json.dumps({"id": "x", "object": "chat.completion", "created": 0,
                                                       "model": "fake", "choices": []}).encode(), "application/json")
                if body.get("stream"):
                    data = "".join(f"data: {json.dumps(c)}\n\n" for c in _chunks(payload)) + "data: [DONE]\n\n"
                    return self._send(200, data.encode(), "text/event-stream")
                return self._send(200, json.dumps(_completion(payload)).encode(), "application/json")

            def _send(self, status: int, data: bytes, ctype: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def llm_services(real_services) -> Services:
    """Services of the shipped catalog, warmed up (models trained, linker built) before any timing."""
    services = Services(real_services.settings.model_copy(), embedder=real_services.embedder)
    services.store(), services.recommender(), services.linker()
    services.search("warm up the embedding model")
    return services


def _assistant(services: Services, url: str) -> Assistant:
    services.settings = services.settings.model_copy(update={
        "backend": "openai-compatible", "base_url": url, "model": "fake-model", "llm_timeout": TIMEOUT,
        "llm_retries": RETRIES, "openai_api_key": "sk-test-not-a-real-key-123456"})
    return Assistant(services, checkpointer="memory")


@pytest.mark.parametrize("mode", sorted(FAULTS))
def test_faulty_backend_falls_back_with_a_notice(llm_services, mode, caplog):
    with FakeOpenAI(mode) as server, caplog.at_level(logging.WARNING):
        assistant = _assistant(llm_services, server.url)
        start = time.monotonic()
        result = assistant.turn("I loved Toy Story", user_id=f"fault-{mode}", thread_id="t")
        elapsed = time.monotonic() - start
    assert elapsed < HANG_GUARD, f"turn hung for {elapsed:.1f} s"
    assert "fallback" in result.backend
    assert "The language model failed; the offline assistant answered." in result.notices
    assert result.reply.startswith(FALLBACK_NOTICE)
    assert "Traceback" not in result.reply and "Error" not in result.reply
    assert [e["item_id"] for e in result.profile["liked"]] == ["ml:1"] and result.recommendations
    assert "Starlight" not in result.reply
    logged = [r.getMessage() for r in caplog.records]
    if mode == "tool_loop":  # a model that never stops calling tools is cut off after a bounded number of calls
        assert server.requests == 6 and any("6 model calls in one turn" in m for m in logged)
    elif mode in TRANSIENT:  # rate limits, timeouts and 5xx: one call and its retries, no more
        assert server.requests == RETRIES + 1, "one call and its retries, no more"
        assert any("LLM call failed (attempt 2/2)" in m for m in logged)
    elif mode in BAD_CALLS:  # the error goes back to the model once, with its text; the second bad call falls back
        assert server.requests == 2 and sum("bad tool call sent back to the model once" in m for m in logged) == 1
    else:  # a broken response is not retried; an invented title is removed, the offline default answers
        assert server.requests == 1
        assert mode == "invented_title" or any("LLM call failed (attempt 1/1), not retryable" in m for m in logged)
    assert llm_services.profiles.verify(f"fault-{mode}") == []


def test_healthy_backend_runs_tools_end_to_end(llm_services):
    with FakeOpenAI("healthy") as server:
        assistant = _assistant(llm_services, server.url)
        result = assistant.turn("I loved Toy Story", user_id="healthy-llm", thread_id="t")
    assert server.requests == 2 and result.backend == "fake-model (openai-compatible)" and not result.notices
    assert [s["tool"] for s in result.tool_steps] == ["update_profile", "recommend"]
    assert [e["item_id"] for e in result.profile["liked"]] == ["ml:1"] and len(result.recommendations) == 3
    first = result.recommendations[0]
    assert result.reply == f"You might enjoy **{first['title']} ({first['year']})**."


def test_backend_recovering_after_one_failure_needs_no_fallback(llm_services):
    with FakeOpenAI("500") as server:
        assistant = _assistant(llm_services, server.url)
        first = threading.Timer(0.2, lambda: setattr(server, "mode", "healthy"))
        first.start()  # the first call fails, the retry (after the backoff) succeeds
        result = assistant.turn("I loved Toy Story", user_id="flaky-llm", thread_id="t")
        first.join()
    assert result.backend == "fake-model (openai-compatible)" and not result.notices
    assert server.requests == 3 and len(result.recommendations) == 3


def test_unreachable_backend_falls_back(llm_services):
    with FakeOpenAI("500") as server:
        url = server.url
    start = time.monotonic()
    result = _assistant(llm_services, url).turn("I loved Heat", user_id="down-llm", thread_id="t")
    assert time.monotonic() - start < HANG_GUARD
    assert "fallback" in result.backend and result.recommendations and result.reply.startswith(FALLBACK_NOTICE)


def test_cli_with_a_provider_string_and_an_unreachable_url_falls_back(llm_services, monkeypatch):
    """``tastebud chat --model "openai:gpt-4o-mini"`` against a closed port: the offline answer, a notice, exit 0."""
    from typer.testing import CliRunner

    from tastebud.cli import app

    for name, value in {"TASTEBUD_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "dummy-key",
                        "TASTEBUD_LLM_RETRIES": "0", "TASTEBUD_LLM_TIMEOUT": "2"}.items():
        monkeypatch.setenv(name, value)
    out = CliRunner().invoke(app, ["chat", "--model", "openai:gpt-4o-mini", "--home", str(llm_services.settings.home),
                                   "--user", "cli-down", "--thread", "t", "-m", "I loved Toy Story"])
    assert out.exit_code == 0, out.output
    assert "The language model failed; the offline assistant answered." in out.stderr
    assert out.stdout.startswith(FALLBACK_NOTICE) and "Toy Story" in out.stdout
    assert "Traceback" not in out.output


def test_cli_unknown_provider_is_one_line(llm_services, monkeypatch, capsys):
    from tastebud.cli import main

    monkeypatch.setattr("sys.argv", ["tastebud", "chat", "--model", "nosuch:model-1", "--home",
                                     str(llm_services.settings.home), "-m", "hi"])
    with pytest.raises(SystemExit) as done:
        main()
    err = capsys.readouterr().err.strip()
    assert done.value.code == 2 and err.startswith("error: unknown model provider 'nosuch'") and "\n" not in err
