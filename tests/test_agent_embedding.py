"""Embedding tastebud in other apps: async runs, users isolated by construction, tools safe alone."""

from __future__ import annotations

import asyncio
import time

import pytest
from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from tastebud.agent import Assistant, build_agent
from tastebud.errors import ConfigError
from tastebud.tools import UserContext, get_tools

pytestmark = pytest.mark.slow


class ScriptModel(BaseChatModel):
    """A tool-calling model: ``first`` after the person's message, then a plain answer.

    ``pause`` seconds are awaited on every async call (a slow LLM server).
    """

    first: list = []
    pause: float = 0.0

    @property
    def _llm_type(self) -> str:
        return "script"

    def bind_tools(self, tools, **kwargs):
        return self

    def _reply(self, messages) -> AIMessage:
        if isinstance(messages[-1], HumanMessage) and self.first:
            return AIMessage(content="", tool_calls=[{**c, "id": f"{c['name']}-{len(messages)}", "type": "tool_call"}
                                                     for c in self.first])
        return AIMessage(content="Here you are.")

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    async def _agenerate(self, messages, stop=None, run_manager=None, **kwargs):
        await asyncio.sleep(self.pause)
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])


def _config(user: str, thread: str) -> dict:
    return {"configurable": {"thread_id": thread, "user_id": user}}


def _items(messages) -> list[dict]:
    return [i for m in messages if isinstance(m, ToolMessage) and m.name == "recommend" for i in m.artifact["items"]]


def test_ainvoke_and_astream_on_the_default_sqlite_checkpointer(real_services):
    agent = build_agent(real_services)  # the default: persistent SQLite checkpoints

    async def talk():
        first = await agent.ainvoke({"messages": [HumanMessage("I loved Alien")]}, config=_config("async-u", "t"))
        modes = [mode async for mode, _ in agent.astream({"messages": [HumanMessage("something funnier")]},
                                                         config=_config("async-u", "t"),
                                                         stream_mode=["messages", "updates"])]
        return first, modes

    first, modes = asyncio.run(talk())
    assert _items(first["messages"]) and {"messages", "updates"} <= set(modes)
    third = agent.invoke({"messages": [HumanMessage("more please")]}, config=_config("async-u", "t"))
    assert sum(isinstance(m, HumanMessage) for m in third["messages"]) == 3  # sync and async share the thread


def test_two_users_with_one_thread_id_are_isolated(real_services):
    agent = build_agent(real_services)
    agent.invoke({"messages": [HumanMessage("I loved Heat")]}, config=_config("iso-a", "same"))
    agent.invoke({"messages": [HumanMessage("I hated Titanic")]}, config={"configurable": {"thread_id": "same"}},
                 context=UserContext(user_id="iso-b"))
    b = agent.get_state(_config("iso-b", "same")).values["messages"]
    assert [m.content for m in b if isinstance(m, HumanMessage)] == ["I hated Titanic"]
    a = agent.get_state(_config("iso-a", "same"))
    assert [m.content for m in a.values["messages"] if isinstance(m, HumanMessage)] == ["I loved Heat"]
    assert a.config["configurable"]["thread_id"] == "same" and a.config["configurable"]["user_id"] == "iso-a"
    with pytest.raises(ConfigError):
        agent.invoke({"messages": [HumanMessage("hi")]}, config={"configurable": {"thread_id": "same"}})


def _parallel_agent(services, order: list[str]):
    calls = {"update_profile": {"name": "update_profile", "args": {"edits": [
        {"action": "like", "item": "Dune"}, {"action": "unwant_genre", "genre": "Fantasy"}]}},
             "recommend": {"name": "recommend", "args": {"n": 8}}}
    return create_agent(ScriptModel(first=[calls[name] for name in order]), get_tools(services),
                        context_schema=UserContext)


def test_update_and_recommend_in_one_message_reflect_the_edits_in_any_agent(real_services):
    dune = real_services.catalog().get(real_services.linker().lookup("Dune").item_id)
    runs = [("sync", ["update_profile", "recommend"]), ("sync", ["recommend", "update_profile"]),
            ("async", ["update_profile", "recommend"]), ("async", ["recommend", "update_profile"])]
    for n, (how, order) in enumerate(runs):
        agent, inputs = _parallel_agent(real_services, order), {"messages": [HumanMessage("Like Dune, no Fantasy")]}
        context = UserContext(user_id=f"parallel-{n}")
        out = agent.invoke(inputs, context=context) if how == "sync" else asyncio.run(
            agent.ainvoke(inputs, context=context))
        items = _items(out["messages"])
        assert items and not any("Fantasy" in i["genres"] for i in items), (how, order, items[:2])
        assert dune.item_id not in {i["item_id"] for i in items}
        assert real_services.profiles.get(f"parallel-{n}").ids("liked") == [dune.item_id]  # applied once


def test_a_call_id_used_again_in_a_later_step_still_applies(real_services):
    tools = get_tools(real_services)  # one set of tools (one ledger) for both agents
    for title in ("Heat", "Alien"):  # the script model names the call "update_profile-1" both times
        model = ScriptModel(first=[{"name": "update_profile", "args": {"edits": [{"action": "like", "item": title}]}},
                                   {"name": "recommend", "args": {"n": 3}}])
        create_agent(model, tools, context_schema=UserContext).invoke(
            {"messages": [HumanMessage(f"I loved {title}")]}, context=UserContext(user_id="same-call-id"))
    assert len(real_services.profiles.get("same-call-id").ids("liked")) == 2


def test_tools_are_callable_directly_with_a_config(real_services):
    tools = {t.name: t for t in get_tools(real_services)}
    config = {"configurable": {"user_id": "direct"}}
    text = tools["update_profile"].invoke({"edits": [{"action": "unwant_genre", "genre": "Comedy"}]}, config=config)
    assert "Comedy" in text
    assert "1." in tools["recommend"].invoke({"n": 3}, config=config)
    with pytest.raises(ConfigError):
        tools["read_profile"].invoke({})


def test_ten_concurrent_async_turns_against_a_slow_llm(real_services):
    model = ScriptModel(first=[{"name": "item_details", "args": {"item": "Heat"}}], pause=0.5)
    assistant = Assistant(real_services, model=model)  # the default SQLite checkpointer

    async def crowd():
        await assistant.ainvoke("warm up", user_id="slow-warm", thread_id="t")
        start = time.perf_counter()
        results = await asyncio.gather(*(assistant.ainvoke("Tell me about Heat", user_id=f"slow-{i}", thread_id="t")
                                         for i in range(10)))
        return time.perf_counter() - start, results

    seconds, results = asyncio.run(crowd())
    assert all(r.reply == "Here you are." and [s["tool"] for s in r.tool_steps] == ["item_details"] for r in results)
    assert seconds < 3.0  # two 0.5 s model calls a turn: about 1 s when the turns run concurrently


def test_user_threads_keys_never_collide_and_map_back():
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.graph import START, MessagesState, StateGraph

    from tastebud.agent.checkpoints import UserThreads, split_thread_key, thread_key

    assert thread_key("a/b", "c") != thread_key("a", "b/c")
    assert split_thread_key(thread_key("a/b%", "c/d")) == ("a/b%", "c/d")
    graph = StateGraph(MessagesState)
    graph.add_node("echo", lambda state: {"messages": [AIMessage(f"heard {len(state['messages'])}")]})
    graph.add_edge(START, "echo")
    app = graph.compile(checkpointer=UserThreads(InMemorySaver()))
    app.invoke({"messages": [HumanMessage("x")]}, config=_config("a/b", "c"))
    assert app.get_state(_config("a", "b/c")).values == {}
    snapshot = app.get_state(_config("a/b", "c"))
    assert len(snapshot.values["messages"]) == 2
    assert snapshot.config["configurable"]["thread_id"] == "c" and snapshot.config["configurable"]["user_id"] == "a/b"
