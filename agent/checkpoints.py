"""Checkpoint threads per user, for sync and async runs alike.

:class:`UserThreads` wraps any LangGraph checkpoint saver. Every checkpoint a run reads or
writes is stored under :func:`thread_key` ``(user, thread_id)``, the user taken from the run
(``context.user_id`` first, then ``configurable["user_id"]``), so two users who pass the same
``thread_id`` never share a conversation, whatever the caller does. Configs handed back (state
snapshots, checkpoint tuples) carry the caller's ``thread_id`` and the ``user_id``.

It also makes a sync-only saver usable from ``ainvoke`` / ``astream``: when the wrapped saver
has no async methods (``SqliteSaver``), its sync methods run in a worker thread. (Why not
``AsyncSqliteSaver``: it must be created inside a running event loop and is bound to it, it
refuses sync calls from that loop, and each instance keeps a non-daemon thread alive; one
sqlite connection used from worker threads serves both kinds of callers.)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple

from tastebud.errors import ConfigError
from tastebud.tools.context import run_user

__all__ = ["UserThreads", "thread_key", "split_thread_key"]

#: Where LangGraph keeps the run's ``Runtime`` (and so the run context) in a config.
_RUNTIME_KEY = "__pregel_runtime"


def _escape(user_id: str) -> str:
    return user_id.replace("%", "%25").replace("/", "%2F")


def thread_key(user_id: str, thread_id: str) -> str:
    """Stored checkpoint thread of a user's conversation: ``user/thread`` (``/`` and ``%`` in the
    user id escaped, so no user's keys can collide with another's)."""
    return f"{_escape(user_id)}/{thread_id}"


def split_thread_key(key: str) -> tuple[str, str] | None:
    """``(user_id, thread_id)`` of a stored key, or ``None`` for a key made without a user."""
    user, sep, thread = str(key).partition("/")
    if not sep or not user:
        return None
    return user.replace("%2F", "/").replace("%25", "%"), thread


class UserThreads(BaseCheckpointSaver):
    """A checkpoint saver that namespaces threads by the run's user (see the module docstring).

    Args:
        saver: The saver that stores the checkpoints (SQLite, in-memory, PostgreSQL …).
        async_saver: A saver over the same store for async runs (e.g. ``AsyncPostgresSaver``
            beside ``PostgresSaver``); default ``saver``, its sync methods in worker threads when
            it has no async ones.

    ``delete_thread``, ``copy_thread`` and ``prune`` take stored keys (:func:`thread_key`).

    Raises:
        ConfigError: A run or state read names a ``thread_id`` but no user.
    """

    def __init__(self, saver: BaseCheckpointSaver, async_saver: BaseCheckpointSaver | None = None) -> None:
        super().__init__(serde=saver.serde)
        self.saver = saver
        self.async_saver = async_saver or saver

    # -- config mapping ------------------------------------------------------------------------
    @staticmethod
    def _in(config: RunnableConfig | None) -> RunnableConfig | None:
        configurable = (config or {}).get("configurable") or {}
        thread = configurable.get("thread_id")
        if thread is None:
            return config
        runtime = configurable.get(_RUNTIME_KEY)
        user_id, _ = run_user(getattr(runtime, "context", None), configurable)
        if user_id is None:
            raise ConfigError("a checkpointed run needs a user: pass context=UserContext(user_id=...) or "
                              "config={'configurable': {'user_id': ..., 'thread_id': ...}}")
        return {**config, "configurable": {**configurable, "thread_id": thread_key(user_id, str(thread))}}

    @staticmethod
    def _out_config(config: RunnableConfig | None) -> RunnableConfig | None:
        configurable = (config or {}).get("configurable") or {}
        parts = split_thread_key(configurable.get("thread_id", "")) if "thread_id" in configurable else None
        if parts is None:
            return config
        user_id, thread = parts
        return {**config, "configurable": {**configurable, "thread_id": thread, "user_id": user_id}}

    def _out(self, saved: CheckpointTuple | None) -> CheckpointTuple | None:
        if saved is None:
            return None
        return saved._replace(config=self._out_config(saved.config),
                              parent_config=self._out_config(saved.parent_config))

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """The saver's async method ``a<name>``, or its sync one in a worker thread if it has none."""
        try:
            return await getattr(self.async_saver, f"a{name}")(*args, **kwargs)
        except NotImplementedError:
            return await asyncio.to_thread(getattr(self.saver, name), *args, **kwargs)

    # -- BaseCheckpointSaver -------------------------------------------------------------------
    @property
    def config_specs(self) -> list:
        return self.saver.config_specs

    def get_next_version(self, current: Any, channel: None) -> Any:
        return self.saver.get_next_version(current, channel)

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return self._out(self.saver.get_tuple(self._in(config)))

    def list(self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
             before: RunnableConfig | None = None, limit: int | None = None) -> Iterator[CheckpointTuple]:
        for saved in self.saver.list(self._in(config), filter=filter, before=self._in(before), limit=limit):
            yield self._out(saved)

    def put(self, config: RunnableConfig, checkpoint: Any, metadata: Any, new_versions: Any) -> RunnableConfig:
        return self._out_config(self.saver.put(self._in(config), checkpoint, metadata, new_versions))

    def put_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                   task_path: str = "") -> None:
        self.saver.put_writes(self._in(config), writes, task_id, task_path)

    def delete_thread(self, thread_id: str) -> None:
        self.saver.delete_thread(thread_id)

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        self.saver.delete_for_runs(run_ids)

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        self.saver.copy_thread(source_thread_id, target_thread_id)

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        self.saver.prune(thread_ids, strategy=strategy)

    def get_delta_channel_history(self, *, config: RunnableConfig, channels: Sequence[str]) -> Any:
        return self.saver.get_delta_channel_history(config=self._in(config), channels=channels)

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return self._out(await self._call("get_tuple", self._in(config)))

    async def alist(self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
                    before: RunnableConfig | None = None, limit: int | None = None) -> AsyncIterator[CheckpointTuple]:
        kwargs = {"filter": filter, "before": self._in(before), "limit": limit}
        try:
            found = [saved async for saved in self.async_saver.alist(self._in(config), **kwargs)]
        except NotImplementedError:
            found = await asyncio.to_thread(lambda: list(self.saver.list(self._in(config), **kwargs)))
        for saved in found:
            yield self._out(saved)

    async def aput(self, config: RunnableConfig, checkpoint: Any, metadata: Any, new_versions: Any) -> RunnableConfig:
        return self._out_config(await self._call("put", self._in(config), checkpoint, metadata, new_versions))

    async def aput_writes(self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
                          task_path: str = "") -> None:
        await self._call("put_writes", self._in(config), writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        await self._call("delete_thread", thread_id)

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        await self._call("delete_for_runs", run_ids)

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        await self._call("copy_thread", source_thread_id, target_thread_id)

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        await self._call("prune", thread_ids, strategy=strategy)

    async def aget_delta_channel_history(self, *, config: RunnableConfig, channels: Sequence[str]) -> Any:
        return await self._call("get_delta_channel_history", config=self._in(config), channels=channels)
