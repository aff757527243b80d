"""Embedding tastebud in your own LangChain app, two ways.

(a) Give your own agent tastebud's tools; (b) give it the whole tastebud agent as one tool.
Run with a real model: ``OPENAI_API_KEY=... python examples/langchain_app.py``.
"""

from __future__ import annotations

from langchain.agents import create_agent

from tastebud.agent import Assistant
from tastebud.agent.subagent import recommender_tool
from tastebud.services import Services
from tastebud.tools import UserContext, get_tools
from tastebud.tools.artifacts import Recommended, is_listing, read_artifact


def tools_agent(model, services: Services):
    """(a) Your model, tastebud's tools (search, recommend, profile, ...)."""
    return create_agent(model, get_tools(services), context_schema=UserContext,
                        system_prompt="You help people pick films. Use the tools; recommend only what they return.")


def picks(messages) -> list[Recommended]:
    """The newest list of picks in a run's messages, typed (see ``tastebud.tools.artifacts``)."""
    for message in reversed(messages):
        artifact = read_artifact(getattr(message, "artifact", None))
        if is_listing(artifact):
            return list(artifact.items)
    return []


def concierge_agent(model, services: Services, extra_tools=()):
    """(b) Your assistant delegates anything about films to the tastebud agent."""
    assistant = Assistant(services, checkpointer="memory")
    return create_agent(model, [recommender_tool(assistant), *extra_tools], context_schema=UserContext,
                        system_prompt="You are a concierge. For films, ask the movie_recommender tool.")


if __name__ == "__main__":
    from langchain_openai import ChatOpenAI

    services = Services()
    agent = tools_agent(ChatOpenAI(model="gpt-4o-mini"), services)
    out = agent.invoke({"messages": [{"role": "user", "content": "I loved Heat. Something similar from the 90s?"}]},
                       context=UserContext(user_id="me"))
    print(out["messages"][-1].content)
    for pick in picks(out["messages"]):
        print(f"- {pick.title} ({pick.year}): {'; '.join(r.text for r in pick.reasons)}")
