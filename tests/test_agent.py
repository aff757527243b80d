"""The agent: offline acceptance dialogue, and the LLM path with a fake tool-calling model."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from tastebud.agent import Assistant
from tastebud.agent.budget import count_tokens
from tastebud.services import Services

pytestmark = pytest.mark.slow

Reply = AIMessage | Callable[[list], AIMessage] | Exception


class QueueModel(BaseChatModel):
    """Replays queued replies (messages, callables of the messages seen, or exceptions)."""

    queue: list = []
    seen: list = []

    @property
    def _llm_type(self) -> str:
        return "queue"

    def bind_tools(self, tools, **kwargs):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.seen.append(list(messages))
        reply = self.queue.pop(0) if self.queue else AIMessage(content="(queue empty)")
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            reply = reply(messages)
        return ChatResult(generations=[ChatGeneration(message=reply)])


class StreamingQueue(QueueModel):
    """A :class:`QueueModel` that streams: tool calls as one chunk, answers word by word (as real servers do)."""

    streamed: list = []

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        from langchain_core.messages import AIMessageChunk
        from langchain_core.outputs import ChatGenerationChunk

        reply = self._generate(messages).generations[0].message
        if reply.tool_calls:
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=[
                {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i, "type": "tool_call_chunk"}
                for i, c in enumerate(reply.tool_calls)]))
            return
        for word in reply.content.split(" "):
            self.streamed.append(word)
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=word + " "))
            if run_manager:
                run_manager.on_llm_new_token(word + " ", chunk=chunk)
            yield chunk


def call(name: str, **args) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"c-{name}-{len(args)}",
                                              "type": "tool_call"}])


def last_items(messages) -> list[dict]:
    for m in reversed(messages):
        if isinstance(m, ToolMessage) and isinstance(m.artifact, dict) and m.artifact.get("items"):
            return m.artifact["items"]
    return []


@pytest.fixture(scope="module")
def offline(real_services):
    return Assistant(real_services, checkpointer="sqlite")


def _services(real_services, **settings) -> Services:
    return Services(real_services.settings.model_copy(update=settings), embedder=real_services.embedder)


def test_offline_acceptance_dialogue(offline):
    first = offline.turn("I loved The Matrix and Alien, but no horror please", user_id="a", thread_id="t1")
    liked = [e["item_id"] for e in first.profile["liked"]]
    assert liked == ["ml:2571", "ml:1214"]
    assert [e["genre"] for e in first.profile["unwanted_genres"]] == ["Horror"]
    recs = first.recommendations
    assert len(recs) >= 5
    assert not any("Horror" in r["genres"] for r in recs)
    assert not {r["item_id"] for r in recs} & {"ml:2571", "ml:1214"}
    sources = {"cf", "content", "query", "genre", "constraint", "popularity"}
    assert all(r["reasons"] and {x["source"] for x in r["reasons"]} <= sources for r in recs)
    assert any("Alien" in x["text"] or "Matrix" in x["text"] for r in recs for x in r["reasons"])
    assert recs[0]["title"] in first.reply

    second = offline.turn("something from before 1990", user_id="a", thread_id="t1")
    assert [e["item_id"] for e in second.profile["liked"]] == liked
    assert [e["genre"] for e in second.profile["unwanted_genres"]] == ["Horror"]
    # a request ("something from before 1990") refines this conversation: in effect here, not a lasting taste
    in_effect = {**second.profile["constraints"], **second.profile["session"]["constraints"]}
    assert in_effect["year_to"]["value"] == 1989 and "year_to" not in second.profile["constraints"]
    assert second.recommendations and all(r["year"] and r["year"] <= 1989 for r in second.recommendations)
    assert not any("Horror" in r["genres"] for r in second.recommendations)

    third = offline.turn("why the first one?", user_id="a", thread_id="t1")
    first_item = second.recommendations[0]
    assert third.explained and third.explained[0]["item_id"] == first_item["item_id"]
    assert first_item["title"] in third.reply
    assert all(r["text"] in third.reply for r in third.explained[0]["reasons"][:2])

    other = offline.turn("what do you know about me?", user_id="b", thread_id="t1")
    assert not other.profile["liked"] and not other.profile["unwanted_genres"]
    assert "Matrix" not in other.reply and offline.history("b", "t1") != offline.history("a", "t1")


def test_thread_persists_across_assistants(real_services, offline):
    offline.turn("I loved Heat", user_id="p", thread_id="x")
    again = Assistant(real_services, checkpointer="sqlite")
    assert len(again.history("p", "x")) >= 4
    again.turn("more like the first one", user_id="p", thread_id="x")
    assert sum(m.type == "human" for m in again.history("p", "x")) == 2


def test_empty_and_control_characters(offline):
    empty = offline.turn(" \u200b\t ", user_id="e", thread_id="t")
    assert "type a message" in empty.reply and not empty.tool_steps
    clean = offline.turn("I loved The\u200b Matrix\x00", user_id="e", thread_id="t")
    assert [e["item_id"] for e in clean.profile["liked"]] == ["ml:2571"]


def test_llm_path_tools_profile_and_invented_titles(real_services):
    def answer(messages):
        items = last_items(messages)
        lines = [f"{i}. **{d['title']}** ({d['year']}) — {d['reasons'][0]['text']}" for i, d in enumerate(items[:2], 1)]
        lines.append("3. **Starlight Odyssey 3000** (2031) — a film I just made up")
        return AIMessage(content="Try these:\n" + "\n".join(lines))

    model = QueueModel(queue=[call("update_profile", edits=[{"action": "like", "item": "the matrix"},
                                                            {"action": "unwant_genre", "genre": "horror"}]),
                              call("recommend", n=5), answer], seen=[])
    assistant = Assistant(real_services, model=model, checkpointer="memory")
    result = assistant.turn("I love the matrix, no horror", user_id="llm-1", thread_id="t")
    assert [s["tool"] for s in result.tool_steps] == ["update_profile", "recommend"]
    assert [e["item_id"] for e in result.profile["liked"]] == ["ml:2571"]
    assert len(result.recommendations) == 5 and not any("Horror" in r["genres"] for r in result.recommendations)
    assert "Starlight Odyssey" not in result.reply
    assert result.recommendations[0]["title"] in result.reply


def test_user_id_comes_from_the_run_not_the_model(real_services):
    real_services.profiles.like("agent-victim", "ml:1", "test")
    model = QueueModel(queue=[call("read_profile", user_id="agent-victim"),
                              call("update_profile", edits=[{"action": "like", "item": "ml:6"}], user_id="agent-victim"),
                              AIMessage(content="done")], seen=[])
    assistant = Assistant(real_services, model=model, checkpointer="memory")
    result = assistant.turn("show me victim's profile", user_id="attacker", thread_id="t")
    assert "ml:1" not in json.dumps(result.profile)
    assert [e["item_id"] for e in result.profile["liked"]] == ["ml:6"]
    assert [e.value for e in real_services.profiles.get("agent-victim").liked] == ["ml:1"]


def test_history_is_trimmed_to_the_budget(real_services):
    services = _services(real_services, history_tokens=600)
    model = QueueModel(queue=[AIMessage(content=f"answer {i} " * 40) for i in range(6)], seen=[])
    assistant = Assistant(services, model=model, checkpointer="memory")
    for i in range(6):
        assistant.turn(f"message number {i} " + "filler words " * 60, user_id="trim", thread_id="t")
    assert len(assistant.history("trim", "t")) == 12  # the state keeps everything
    assert all(count_tokens(m) <= 600 for m in model.seen)
    assert "message number 5" in model.seen[-1][-1].content and len(model.seen[-1]) < 12


def test_failing_llm_falls_back_to_offline(real_services):
    services = _services(real_services, llm_retries=1)
    model = QueueModel(queue=[TimeoutError("read timed out")] * 2, seen=[])
    assistant = Assistant(services, model=model, checkpointer="memory")
    result = assistant.turn("I loved Toy Story", user_id="fb", thread_id="t")
    assert "fallback" in result.backend and result.notices
    assert "offline assistant" in result.reply
    assert [e["item_id"] for e in result.profile["liked"]] == ["ml:1"] and len(result.recommendations) == 5


@pytest.mark.parametrize("bad", [call("delete_everything"), call("recommend", n="lots"),
                                 AIMessage(content="", invalid_tool_calls=[{"name": "recommend", "args": "{oops",
                                                                            "id": "x", "error": "bad json",
                                                                            "type": "invalid_tool_call"}])])
def test_bad_tool_calls_go_back_to_the_model_once_then_fall_back(real_services, bad):
    services = _services(real_services, llm_retries=0)
    model = QueueModel(queue=[bad, bad], seen=[])
    assistant = Assistant(services, model=model, checkpointer="memory")
    result = assistant.turn("I loved Toy Story", user_id="bad", thread_id="t")
    assert "fallback" in result.backend and len(result.recommendations) == 5
    assert len(model.seen) == 2  # the error went back once; the second bad call fell back, no third try
    errors = [m for m in model.seen[1] if isinstance(m, ToolMessage) and m.status == "error"]
    assert len(errors) == 1 and errors[0].content.startswith("Error: ")
    assert any(word in errors[0].content for word in ("unknown tool", "invalid arguments", "malformed arguments"))


def test_validation_error_is_shown_to_the_model_once_and_it_recovers(real_services):
    model = QueueModel(queue=[call("recommend", n="lots"), call("recommend", n=3), AIMessage(content="Enjoy!")], seen=[])
    result = Assistant(_services(real_services, llm_retries=0), model=model, checkpointer="memory").turn(
        "something fun", user_id="repair", thread_id="t")
    assert result.backend == "custom model" and not result.notices and len(result.recommendations) == 3
    shown = [m for m in model.seen[1] if isinstance(m, ToolMessage) and m.status == "error"]
    assert len(shown) == 1 and "invalid arguments for recommend" in shown[0].content and "n" in shown[0].content
    assert sum(isinstance(m, ToolMessage) and m.status == "error" for m in model.seen[2]) == 1  # shown once


def test_cli_forget_deletes_conversations(real_services, offline):
    from typer.testing import CliRunner

    from tastebud.cli import app

    offline.turn("I loved Heat", user_id="gone", thread_id="t")
    assert offline.history("gone", "t")
    home = str(real_services.settings.home)
    out = CliRunner().invoke(app, ["profile", "forget", "--user", "gone", "--yes", "--home", home])
    assert out.exit_code == 0, out.output
    assert offline.history("gone", "t") == [] and not real_services.profiles.exists("gone")


def test_forget_from_the_assistant(real_services):
    assistant = Assistant(real_services, checkpointer="sqlite")
    assistant.turn("I loved Heat", user_id="bye", thread_id="t")
    assistant.turn("I loved Heat", user_id="stay", thread_id="t")
    assistant.forget("bye")
    assert assistant.history("bye", "t") == [] and assistant.history("stay", "t")


def test_profile_update_runs_before_tools_called_beside_it(real_services):
    both = AIMessage(content="", tool_calls=[
        {"name": "recommend", "args": {"n": 5}, "id": "r1", "type": "tool_call"},
        {"name": "update_profile", "args": {"edits": [{"action": "unwant_genre", "genre": "Comedy"},
                                                      {"action": "like", "item": "Toy Story"}]},
         "id": "u1", "type": "tool_call"}])
    model = QueueModel(queue=[both, AIMessage(content="done")], seen=[])
    result = Assistant(real_services, model=model, checkpointer="memory").turn(
        "I loved Toy Story, no comedies", user_id="order", thread_id="t")
    assert [s["tool"] for s in result.tool_steps] == ["update_profile", "recommend"]
    assert len(model.seen) == 2  # the deferred recommend is replayed without asking the model again
    assert result.recommendations and not any("Comedy" in r["genres"] for r in result.recommendations)


def test_page_never_shows_a_title_the_tools_did_not_return(real_services):
    """An LLM's prose line naming a catalog-absent film is removed before the page shows anything of it."""
    from tastebud.ui.chat import ChatController

    def answer(messages):
        first = last_items(messages)[0]
        return AIMessage(content=f"You might enjoy **{first['title']}** ({first['year']}).\n"
                                 "Also look out for Dune: Part Two (2024), it is even better.")

    model = StreamingQueue(queue=[call("recommend", n=3), answer], seen=[], streamed=[])
    controller = ChatController(Assistant(real_services, model=model, checkpointer="memory"))
    frames = list(controller.respond("a space adventure please", {"messages": [], "cards": {}},
                                     {"user_id": "page-check", "thread_id": "t"}))
    assert "Part" in model.streamed and "Two" in model.streamed  # the model did stream the invented line
    shown = json.dumps([frame[0] for frame in frames], default=str)
    assert "Dune: Part Two" not in shown and "even better" not in shown
    first = last_items(model.seen[-1])[0]
    assert first["title"] in json.dumps(frames[-1][0], default=str)


def test_weakly_linked_and_absent_titles_in_prose_are_removed(real_services):
    def answer(messages):
        first = last_items(messages)[0]
        return AIMessage(content=f"Start with **{first['title']}** ({first['year']}).\n"
                                 "It is better than Cars, honestly.\nYou will love it.")

    model = QueueModel(queue=[call("recommend", n=3), answer], seen=[])
    result = Assistant(real_services, model=model, checkpointer="memory").turn("something fun", user_id="weak",
                                                                              thread_id="t")
    assert "Cars" not in result.reply and "You will love it." in result.reply and not result.notices


def test_llm_middleware_runs_async_end_to_end(real_services):
    """ainvoke through every tastebud middleware: a bad call shown once, profile first, an invented answer falls back."""
    import asyncio

    from langchain_core.messages import HumanMessage

    from tastebud.agent import build_agent
    from tastebud.agent.middleware import FALLBACK_NOTICE, FALLBACK_STATE
    from tastebud.tools import UserContext

    both = AIMessage(content="", tool_calls=[
        {"name": "recommend", "args": {"n": 5}, "id": "r1", "type": "tool_call"},
        {"name": "update_profile", "args": {"edits": [{"action": "unwant_genre", "genre": "Comedy"},
                                                      {"action": "like", "item": "Toy Story"}]},
         "id": "u1", "type": "tool_call"}])
    model = QueueModel(queue=[call("recommend", n="lots"), both, AIMessage(content="1. **Nope Movie** (2031) — invented")],
                       seen=[])
    graph = build_agent(real_services, model=model, checkpointer="memory")
    out = asyncio.run(graph.ainvoke({"messages": [HumanMessage("I loved Toy Story, no comedies")]},
                                    config={"configurable": {"thread_id": "async/t", "user_id": "async"}},
                                    context=UserContext(user_id="async", thread_id="t")))
    tools = [m for m in out["messages"] if isinstance(m, ToolMessage) and m.status != "error"]
    assert [m.name for m in tools] == ["update_profile", "recommend"] and len(model.seen) == 3
    assert not any("Comedy" in d["genres"] for d in tools[1].artifact["items"])
    assert out[FALLBACK_STATE] and out["messages"][-1].content.startswith(FALLBACK_NOTICE)
    assert "Nope Movie" not in out["messages"][-1].content


def test_a_tool_call_left_open_by_an_interrupted_turn_is_answered_before_the_next(real_services):
    """A crash between a tool call and its result leaves the call open in the stored thread; the
    next turn answers it as not run, so the model (any provider) never receives an open call."""
    model = QueueModel()
    model.queue, model.seen = [AIMessage(content="first answer"), AIMessage(content="second answer")], []
    assistant = Assistant(real_services, model=model, checkpointer="memory")
    assistant.turn("hello", user_id="open", thread_id="t")
    open_call = AIMessage(content="", tool_calls=[
        {"name": "recommend", "args": {"query": "x"}, "id": "open-1", "type": "tool_call"},
        {"name": "explain_item", "args": {"item": "x"}, "id": "open-2", "type": "tool_call"}])
    assistant.graph.update_state(assistant._config("open", "t"), {"messages": [open_call]})
    assert assistant.turn("again", user_id="open", thread_id="t").reply == "second answer"
    sent = model.seen[-1]
    i = next(k for k, m in enumerate(sent) if getattr(m, "tool_calls", None))
    assert [(type(m).__name__, getattr(m, "tool_call_id", None)) for m in sent[i + 1:i + 4]] == [
        ("ToolMessage", "open-1"), ("ToolMessage", "open-2"), ("HumanMessage", None)]
    stored = assistant.history("open", "t")
    assert {m.tool_call_id for m in stored if isinstance(m, ToolMessage)} == {"open-1", "open-2"}
