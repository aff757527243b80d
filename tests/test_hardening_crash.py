"""Crash safety of a whole turn: SIGKILL a process mid-turn (SQLite checkpointer and profile
store), restart, and find both stores consistent — every acknowledged turn there, no half change.

The child runs real turns through :class:`Assistant` (tools, profile writes, checkpoints) on a
tiny catalog with the hashing embedder and a scripted tool-calling model, so it starts fast.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

_SETUP = textwrap.dedent("""
    import sys, time
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
    from langchain_core.outputs import ChatGeneration, ChatResult
    from tastebud.agent import Assistant
    from tastebud.services import Services
    from tastebud.settings import Settings
    from tastebud.testing import HashingEmbedder

    class Scripted(BaseChatModel):
        '''"turn N" -> update_profile (a note and a year bound, one change set), then "done N".'''
        @property
        def _llm_type(self):
            return "scripted"
        def bind_tools(self, tools, **kw):
            return self
        def _generate(self, messages, stop=None, run_manager=None, **kw):
            for m in messages:  # a restarted thread must never carry a tool call without its result
                for call in getattr(m, "tool_calls", None) or []:
                    assert any(isinstance(r, ToolMessage) and r.tool_call_id == call["id"] for r in messages), call
            human = [m for m in messages if isinstance(m, HumanMessage)][-1].content
            n = int(human.split()[1])
            time.sleep(0.002)
            if isinstance(messages[-1], ToolMessage):
                return ChatResult(generations=[ChatGeneration(message=AIMessage(content=f"done {n}"))])
            edits = [{"action": "note", "text": f"turn {n}"}, {"action": "set_years", "year_to": 1900 + n}]
            call = {"name": "update_profile", "args": {"edits": edits}, "id": f"c{n}", "type": "tool_call"}
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content="", tool_calls=[call]))])

    services = Services(Settings(home=sys.argv[1], catalog="tiny"), embedder=HashingEmbedder())
    assistant = Assistant(services, model=Scripted(), checkpointer="sqlite")
""")

_CHILD = _SETUP + textwrap.dedent("""
    print("ready", flush=True)
    for n in range(int(sys.argv[2]), 100000):
        result = assistant.turn(f"turn {n}", user_id="crash", thread_id="t")
        assert result.reply == f"done {n}", result.reply
        print(n, flush=True)
""")


@pytest.fixture
def home(tmp_path, tiny_catalog):
    from tastebud.services import Services
    from tastebud.settings import Settings
    from tastebud.testing import HashingEmbedder

    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps({"id": it.item_id[2:], "title": it.title, "year": it.year,
                                          "genres": it.genres, "description": it.overview})
                              for it in tiny_catalog.items))
    Services(Settings(home=tmp_path / "home"), embedder=HashingEmbedder()).ingest(str(path))
    return tmp_path / "home"


def _run_and_kill(home, start: int, acks: int, delay: float) -> list[int]:
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(home), str(start)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    acked: list[int] = []
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        deadline = time.monotonic() + 120
        while len(acked) < acks and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, f"child died early: {proc.stderr.read()[-2000:]}"
            acked.append(int(line))
        time.sleep(delay)  # land inside a later turn
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    acked += [int(x) for x in proc.stdout.read().split()]
    assert proc.returncode == -signal.SIGKILL and len(acked) >= acks
    return acked


def _check(home, acked: list[int]) -> tuple[int, list]:
    for db in ("profiles.sqlite", "checkpoints.sqlite"):
        with sqlite3.connect(home / db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",), db
    from tastebud.agent import Assistant
    from tastebud.services import Services
    from tastebud.settings import Settings
    from tastebud.testing import HashingEmbedder

    services = Services(Settings(home=home, catalog="tiny"), embedder=HashingEmbedder())
    assistant = Assistant(services, checkpointer="sqlite")  # the restart: the offline default reads it
    profile = services.profiles.get("crash")
    notes = sorted(int(e.value.split()[1]) for e in profile.notes)
    last = max(notes)
    assert set(acked) <= set(notes), "an acknowledged turn's change is missing"
    assert notes == list(range(last + 1)), "whole turns only, in order"
    assert profile.year_to == 1900 + last, "the note and the year bound of a turn commit together"
    assert services.profiles.verify("crash") == []
    history = assistant.history("crash", "t")
    done = [int(m.content.split()[1]) for m in history if isinstance(m, AIMessage) and m.content.startswith("done")]
    humans = [int(m.content.split()[1]) for m in history if isinstance(m, HumanMessage)]
    assert set(acked) <= set(done), "an acknowledged turn is missing from the conversation"
    assert set(done) <= set(notes) and set(notes) <= set(humans) | {last}, "profile and thread disagree"
    assert last - max(done) <= 1, "at most the interrupted turn is ahead of the conversation"
    return last, history


@pytest.mark.parametrize("delay", [0.0, 0.004, 0.012])
def test_sigkill_mid_turn_keeps_profile_and_thread_consistent(home, delay):
    acked = _run_and_kill(home, 0, 12, delay)
    last, _ = _check(home, acked)
    # restart: the conversation continues where it stopped, its history well formed for any model
    more = _run_and_kill(home, last + 1, 3, delay)
    last2, history = _check(home, acked + more)
    assert last2 > last
    calls = {c["id"] for m in history if isinstance(m, AIMessage) for c in m.tool_calls}
    results = {m.tool_call_id for m in history if isinstance(m, ToolMessage)}
    assert calls - results <= {f"c{last2 + 1}", f"c{last2}"}, "only the interrupted turn may hang open"
