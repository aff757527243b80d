"""``build_agent``: one compiled LangGraph agent for every backend."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langchain.agents import create_agent

from tastebud.prompts import load_prompt, load_templates
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.tools import Toolkit, UserContext, get_tools

from .backends import BudgetMiddleware, ResilientMiddleware, ToolErrors, make_llm
from .offline import OfflinePolicyModel

__all__ = ["build_agent", "make_checkpointer", "checkpoint_path", "delete_threads", "forget_hooks", "backend_label"]


def checkpoint_path(settings: Settings) -> Path:
    """Where conversations are kept: ``$TASTEBUD_HOME/checkpoints.sqlite``."""
    return Path(settings.home) / "checkpoints.sqlite"


def make_checkpointer(settings: Settings, kind: Any = "sqlite"):
    """A checkpointer: ``"sqlite"`` (persistent, default), ``"memory"``, or a saver instance."""
    if kind == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        return InMemorySaver()
    if kind == "sqlite":
        from langgraph.checkpoint.sqlite import SqliteSaver

        path = checkpoint_path(settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        return SqliteSaver(conn)
    return kind


def thread_key(user_id: str, thread_id: str) -> str:
    """Checkpoint thread of a user's conversation; namespaced so users never share one."""
    return f"{user_id}/{thread_id}"


def delete_threads(checkpointer, thread_ids) -> None:
    """Delete the given checkpoint threads."""
    for thread in thread_ids:
        checkpointer.delete_thread(thread)


def forget_hooks(settings: Settings) -> list:
    """Hooks for ``ProfileStore.forget`` that delete the user's conversations (used by the CLI)."""
    from tastebud.profile import ProfileStore, profile_db_path

    def hook(user_id: str) -> None:
        threads = ProfileStore(profile_db_path(settings)).threads(user_id)
        if threads and checkpoint_path(settings).exists():
            delete_threads(make_checkpointer(settings), [thread_key(user_id, t) for t in threads])

    return [hook]


def backend_label(settings: Settings) -> str:
    """Human-readable name of the answering backend."""
    backend = settings.resolved_backend()
    return "offline default" if backend == "offline" else f"{settings.model} ({backend})"


def build_agent(services: Services | None = None, *, settings: Settings | None = None, catalog: str | None = None,
                model=None, checkpointer: Any = "sqlite", tools: list | None = None):
    """Build the tastebud agent.

    Use it as ``agent.invoke({"messages": [...]}, config={"configurable": {"thread_id": T,
    "user_id": U}})`` (or ``context=UserContext(user_id=U)``); it streams like any LangGraph graph.

    Args:
        services: Shared services (built from ``settings`` when omitted).
        settings: Settings (environment when omitted).
        catalog: Catalog name (default ``settings.catalog``).
        model: A chat model to use instead of the configured backend (tests, custom models).
        checkpointer: ``"sqlite"`` (default, persistent), ``"memory"``, a saver, or ``None``.
        tools: Tools to use instead of :func:`tastebud.tools.get_tools`.
    """
    services = services or Services(settings)
    settings = services.settings
    name = catalog or settings.catalog
    offline = OfflinePolicyModel(services.linker(name), load_templates(), polarity=services.polarity)
    toolkit = Toolkit(services, name)
    tools = tools if tools is not None else get_tools(services, name, toolkit=toolkit)
    middleware: list = [BudgetMiddleware(settings.history_tokens), ToolErrors()]
    if model is None and settings.resolved_backend() == "offline":
        model = offline
    else:
        model = model or make_llm(settings)
        middleware.append(ResilientMiddleware(offline, retries=settings.llm_retries, linker=services.linker(name)))
    return create_agent(model, tools, system_prompt=load_prompt("system"), middleware=middleware,
                        context_schema=UserContext, checkpointer=make_checkpointer(settings, checkpointer),
                        name="tastebud")
