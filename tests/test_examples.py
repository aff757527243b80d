"""The examples, fast (tiny catalog, hashing embedder): your own ``create_agent`` with tastebud's
tools (examples/langchain_app.py) and an async endpoint streaming a turn as NDJSON events
(examples/fastapi_app.py, offline default). The MCP client example is tested in test_mcp.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage

from tastebud.agent import Assistant

from tastebud.tools import UserContext

from test_agent import QueueModel, call

EXAMPLES = Path(__file__).parents[1] / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def example():
    return _load("fastapi_app")


def test_own_agent_with_tastebud_tools(tiny_services):
    example = _load("langchain_app")
    model = QueueModel(queue=[call("update_profile", edits=[{"action": "like", "item": "Alien"}]),
                              call("recommend", n=2), AIMessage(content="Here you go")], seen=[])
    agent = example.tools_agent(model, tiny_services)
    out = agent.invoke({"messages": [{"role": "user", "content": "I loved Alien"}]},
                       context=UserContext(user_id="own"))
    picks = example.picks(out["messages"])
    assert len(picks) == 2 and all(p.reasons for p in picks) and "u:1" not in {p.item_id for p in picks}
    assert tiny_services.profiles.get("own").ids("liked") == ["u:1"]


def _turn(client: TestClient, message: str, user: str, thread: str = "t") -> list[dict]:
    with client.stream("POST", "/chat", json={"message": message, "thread_id": thread},
                       headers={"X-User": user}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in response.iter_lines() if line]


def test_fastapi_endpoint_streams_a_turn(example, tiny_services):
    client = TestClient(example.create_app(Assistant(tiny_services, checkpointer="memory")))
    events = _turn(client, "I loved Alien, recommend something", "alice")
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "result" and "token" in kinds and "step" in kinds
    assert kinds.index("step") < kinds.index("token")  # tool steps arrive while the turn runs
    result = events[-1]
    assert result["user_id"] == "alice" and result["recommendations"]
    assert "".join(e["text"] for e in events if e["type"] == "token") == result["reply"]
    assert [e["item_id"] for e in result["profile"]["liked"]] == ["u:1"]

    other = _turn(client, "what do you know about me?", "bob")[-1]  # same thread id, another person
    assert other["user_id"] == "bob" and not other["profile"]["liked"]
    assert client.post("/chat", json={"message": "hi"}).status_code == 422  # no user, no turn
