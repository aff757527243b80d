"""tastebud inside another LangChain app: its tools with a foreign model, and the agent as a tool."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, ToolMessage

from tastebud.tools import UserContext

from test_agent import QueueModel, call

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).parents[1] / "examples" / "langchain_app.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("langchain_app", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_foreign_agent_uses_tastebud_tools(example, real_services):
    model = QueueModel(queue=[call("update_profile", edits=[{"action": "like", "item": "Heat"}]),
                              call("recommend", year_from=1990, year_to=1999, n=3), AIMessage(content="Here you go")],
                       seen=[])
    agent = example.tools_agent(model, real_services)
    out = agent.invoke({"messages": [{"role": "user", "content": "I loved Heat, 90s please"}]},
                       context=UserContext(user_id="embed-a"))
    recs = [m for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "recommend"][0].artifact
    assert len(recs["items"]) == 3 and all(1990 <= r["year"] <= 1999 for r in recs["items"])
    assert [e.value for e in real_services.profiles.get("embed-a").liked] == ["ml:6"]


def test_foreign_agent_calls_tastebud_as_a_subagent(example, real_services):
    model = QueueModel(queue=[call("movie_recommender", request="I loved Toy Story, something similar"),
                              AIMessage(content="tastebud suggests a few")], seen=[])
    agent = example.concierge_agent(model, real_services)
    out = agent.invoke({"messages": [{"role": "user", "content": "film night ideas?"}]},
                       config={"configurable": {"thread_id": "outer-1", "user_id": "embed-b"}})
    result = [m for m in out["messages"] if isinstance(m, ToolMessage)][0].artifact
    assert result["user_id"] == "embed-b" and len(result["recommendations"]) == 5
    assert "Toy Story" not in [r["title"] for r in result["recommendations"]]
    assert [e.value for e in real_services.profiles.get("embed-b").liked] == ["ml:1"]
