"""Shared state in PostgreSQL: the versioned schema, and conversations through LangGraph's savers.

(The profile store's contract runs on both backends in ``test_profile*.py``.)
"""

from __future__ import annotations

import asyncio
import operator
import threading
from typing import Annotated, TypedDict

import pytest

from tastebud.agent.build import close_checkpointer, forget_hooks, make_async_checkpointer, make_checkpointer
from tastebud.errors import ConfigError
from tastebud.profile import ProfileStore
from tastebud.profile.db import MIGRATIONS
from tastebud.profile.schema import SCHEMA_VERSION
from tastebud.settings import Settings


def test_schema_is_created_once_and_versioned(profile_target):
    stores, errors = [], []

    def open_store() -> None:
        try:
            stores.append(ProfileStore(profile_target))  # replicas opening a fresh database at once
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(stores) == 4
    stores[0].like("u", "a", "turn:1")
    assert stores[3].get("u").ids("liked") == ["a"]
    with stores[1].db.transaction() as conn:
        assert stores[1].db.version(conn) == SCHEMA_VERSION
        if stores[1].path is None:  # PostgreSQL: one row per step, each run once
            assert [r[0] for r in conn.execute("SELECT version FROM schema_version")] == [v for v, _ in MIGRATIONS]
    assert stores[2].db.migrate() == SCHEMA_VERSION  # nothing left to run
    for store in stores:
        store.close()


class _State(TypedDict):
    said: Annotated[list[str], operator.add]


def _graph(checkpointer):
    from langgraph.graph import END, START, StateGraph

    graph = StateGraph(_State)
    graph.add_node("echo", lambda state: {"said": [f"heard {len(state['said'])}"]})
    graph.add_edge(START, "echo")
    graph.add_edge("echo", END)
    return graph.compile(checkpointer=checkpointer)


def test_conversations_persist_in_postgres_sync_and_async_and_are_forgotten(postgres_server, tmp_path):
    settings = Settings(home=tmp_path, database_url=postgres_server.create_database("conversations"))
    config = {"configurable": {"thread_id": "u/t1"}}
    first = make_checkpointer(settings)  # "persistent" → PostgreSQL with a database URL
    assert type(first).__name__ == "PostgresSaver"
    _graph(first).invoke({"said": ["hi"]}, config)
    close_checkpointer(first)
    again = make_checkpointer(settings)  # another process / replica
    assert _graph(again).invoke({"said": ["more"]}, config)["said"] == ["hi", "heard 1", "more", "heard 3"]

    async def async_turn() -> list[str]:
        async with make_async_checkpointer(settings) as saver:
            assert type(saver).__name__ == "AsyncPostgresSaver"
            return (await _graph(saver).ainvoke({"said": ["async"]}, config))["said"]

    assert asyncio.run(async_turn())[-2:] == ["async", "heard 5"]
    with ProfileStore(settings.database_url) as store:
        store.register_thread("u", "t1")
        for hook in forget_hooks(settings):
            store.add_forget_hook(hook)
        store.forget("u")
    assert again.get_tuple(config) is None
    close_checkpointer(again)


def test_postgres_checkpointer_needs_a_url(tmp_path):
    with pytest.raises(ConfigError):
        make_checkpointer(Settings(home=tmp_path, database_url=None), "postgres")
