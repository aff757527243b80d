"""``build_agent``: one compiled LangGraph agent for every backend."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from langchain.agents import create_agent

from tastebud.errors import ConfigError
from tastebud.prompts import load_prompt, load_templates
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.tools import Toolkit, UserContext, get_tools

from .backends import BudgetMiddleware, InterruptedCalls, ToolErrors, make_llm
from .checkpoints import UserThreads, thread_key
from .middleware import FALLBACK_NOTICE, AnswerCheck, LLMRetry, OfflineFinish, ProfileFirst, ToolCallCheck
from .offline import OfflinePolicyModel

__all__ = ["backend_label", "build_agent", "checkpoint_path", "close_checkpointer", "delete_threads", "forget_hooks",
           "llm_middleware", "make_async_checkpointer", "make_checkpointer", "thread_key"]


def checkpoint_path(settings: Settings) -> Path:
    """Where conversations are kept without a database URL: ``$TASTEBUD_HOME/checkpoints.sqlite``."""
    return Path(settings.home) / "checkpoints.sqlite"


#: Advisory lock key taken around the PostgreSQL savers' ``setup()`` (replicas starting at once).
_PG_SETUP_LOCK = 0x7462_0003
#: psycopg settings LangGraph's PostgreSQL savers need on every pooled connection.
_PG_KWARGS = {"autocommit": True, "prepare_threshold": 0}


def _persistent(settings: Settings, kind: Any) -> Any:
    """Resolve ``"persistent"``: ``"postgres"`` when ``settings.database_url`` is set, else ``"sqlite"``."""
    if kind == "persistent":
        return "postgres" if settings.database_url else "sqlite"
    return kind


def _postgres_saver(settings: Settings):
    """A :class:`PostgresSaver` over a small pool, its tables set up once (under an advisory lock)."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    if not settings.database_url:
        raise ConfigError("the postgres checkpointer needs TASTEBUD_DATABASE_URL")
    pool = ConnectionPool(settings.database_url, min_size=1, max_size=8, open=True, name="tastebud-checkpoints",
                          kwargs={**_PG_KWARGS, "row_factory": dict_row})
    saver = PostgresSaver(pool)
    with pool.connection() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_PG_SETUP_LOCK,))
        try:
            saver.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_PG_SETUP_LOCK,))
    return saver


def make_checkpointer(settings: Settings, kind: Any = "persistent"):
    """A (synchronous) checkpointer.

    Args:
        settings: Settings (``database_url``, ``home``).
        kind: ``"persistent"`` (default: PostgreSQL at ``database_url`` when set, else the SQLite
            file :func:`checkpoint_path`), ``"sqlite"``, ``"postgres"``, ``"memory"``, or a saver
            instance (returned as is).

    Every saver is sync-first; :func:`build_agent` wraps it in
    :class:`~tastebud.agent.checkpoints.UserThreads`, which also serves ``ainvoke`` / ``astream``.
    """
    kind = _persistent(settings, kind)
    if kind == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        return InMemorySaver()
    if kind == "postgres":
        return _postgres_saver(settings)
    if kind == "sqlite":
        from langgraph.checkpoint.sqlite import SqliteSaver

        from tastebud.profile.db import use_wal

        path = checkpoint_path(settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        use_wal(conn, 30)
        return SqliteSaver(conn)
    return kind


@asynccontextmanager
async def make_async_checkpointer(settings: Settings, kind: Any = "persistent") -> AsyncIterator[Any]:
    """The asynchronous twin of :func:`make_checkpointer` (for ``agent.ainvoke`` / ``astream``).

    ``async with make_async_checkpointer(settings) as saver:`` opens an ``AsyncPostgresSaver``
    (on an async pool) or an ``AsyncSqliteSaver`` on the same stores the synchronous savers use,
    and closes it on exit. ``"memory"`` and saver instances are yielded as they are.
    """
    kind = _persistent(settings, kind)
    if kind == "postgres":
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool

        if not settings.database_url:
            raise ConfigError("the postgres checkpointer needs TASTEBUD_DATABASE_URL")
        async with AsyncConnectionPool(settings.database_url, min_size=1, max_size=8, open=False,
                                       kwargs={**_PG_KWARGS, "row_factory": dict_row}) as pool:
            saver = AsyncPostgresSaver(pool)
            async with pool.connection() as conn:
                await conn.execute("SELECT pg_advisory_lock(%s)", (_PG_SETUP_LOCK,))
                try:
                    await saver.setup()
                finally:
                    await conn.execute("SELECT pg_advisory_unlock(%s)", (_PG_SETUP_LOCK,))
            yield saver
    elif kind == "sqlite":
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = checkpoint_path(settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
            yield saver
    else:
        yield make_checkpointer(settings, kind)


def close_checkpointer(checkpointer: Any) -> None:
    """Release what :func:`make_checkpointer` opened (the PostgreSQL pool or the SQLite connection)."""
    conn = getattr(checkpointer, "conn", None)
    if conn is not None and hasattr(conn, "close"):
        conn.close()


def delete_threads(checkpointer, thread_ids) -> None:
    """Delete the given checkpoint threads (stored keys, see :func:`thread_key`)."""
    for thread in thread_ids:
        checkpointer.delete_thread(thread)


def forget_hooks(settings: Settings) -> list:
    """Hooks for ``ProfileStore.forget`` that delete the user's conversations (used by the CLI)."""
    from tastebud.profile import ProfileStore

    def hook(user_id: str) -> None:
        with ProfileStore.from_settings(settings) as store:
            threads = store.threads(user_id)
        if threads and (settings.database_url or checkpoint_path(settings).exists()):
            checkpointer = make_checkpointer(settings)
            try:
                delete_threads(checkpointer, [thread_key(user_id, t) for t in threads])
            finally:
                close_checkpointer(checkpointer)

    return [hook]


def _user_threads(saver):
    """The saver wrapped so threads are per user (``None``, ``True`` and ``False`` pass through)."""
    if saver is None or isinstance(saver, (bool, UserThreads)):
        return saver
    return UserThreads(saver)


def backend_label(settings: Settings) -> str:
    """Human-readable name of the answering backend."""
    backend = settings.resolved_backend()
    return "offline default" if backend == "offline" else f"{settings.model} ({backend})"


#: Model calls the offline default may need to finish a turn an LLM started (update, read, act, answer).
_OFFLINE_CALLS = 4
#: Tool calls one turn may make (a model fanning out parallel calls is stopped past it).
_TOOL_CALLS = 24


def llm_middleware(settings: Settings, offline: OfflinePolicyModel, tools: list, linker=None) -> list:
    """The middleware of an LLM backend, outer to inner (see :mod:`tastebud.agent.middleware`)."""
    from langchain.agents.middleware import ModelCallLimitMiddleware, ModelFallbackMiddleware, ToolCallLimitMiddleware

    fallback = offline.as_fallback(FALLBACK_NOTICE)
    return [OfflineFinish(fallback, settings.llm_max_calls), ProfileFirst(), ModelFallbackMiddleware(fallback),
            AnswerCheck(linker), ToolCallCheck(tools), LLMRetry(max_retries=settings.llm_retries),
            ModelCallLimitMiddleware(run_limit=settings.llm_max_calls + _OFFLINE_CALLS, exit_behavior="end"),
            ToolCallLimitMiddleware(run_limit=_TOOL_CALLS, exit_behavior="continue")]


def build_agent(services: Services | None = None, *, settings: Settings | None = None, catalog: str | None = None,
                model=None, checkpointer: Any = "persistent", tools: list | None = None):
    """Build the tastebud agent.

    Use it as ``agent.invoke({"messages": [...]}, config={"configurable": {"thread_id": T,
    "user_id": U}})`` (or ``context=UserContext(user_id=U)``), or ``await agent.ainvoke(...)``;
    it streams (``stream`` / ``astream``) like any LangGraph graph. Checkpoint threads are kept
    per user: two users passing the same ``thread_id`` never share a conversation, and a run
    with a ``thread_id`` but no user id is refused (:class:`~tastebud.errors.ConfigError`).

    Args:
        services: Shared services (built from ``settings`` when omitted).
        settings: Settings (environment when omitted).
        catalog: Catalog name (default ``settings.catalog``).
        model: A chat model to use instead of the configured backend (tests, custom models).
        checkpointer: ``"persistent"`` (default: PostgreSQL with ``database_url``, else SQLite),
            ``"sqlite"``, ``"postgres"``, ``"memory"``, a saver, or ``None`` (see :func:`make_checkpointer`).
        tools: Tools to use instead of :func:`tastebud.tools.get_tools`.
    """
    services = services or Services(settings)
    settings = services.settings
    name = catalog or settings.catalog
    domain = services.catalog(name).domain
    offline = OfflinePolicyModel(services.linker(name), load_templates(domain=domain), polarity=services.polarity)
    toolkit = Toolkit(services, name)
    tools = tools if tools is not None else get_tools(services, name, toolkit=toolkit)
    middleware: list = [InterruptedCalls(), BudgetMiddleware(settings.history_tokens), ToolErrors()]
    if model is None and settings.resolved_backend() == "offline":
        model = offline
    else:
        model = model or make_llm(settings)
        middleware += llm_middleware(settings, offline, tools, services.linker(name))
    saver = _user_threads(make_checkpointer(settings, checkpointer))
    return create_agent(model, tools, system_prompt=load_prompt("system", domain), middleware=middleware,
                        context_schema=UserContext, checkpointer=saver,
                        name="tastebud")
