"""Who a tool call acts for. The user id never comes from model-written arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tastebud.errors import ConfigError

__all__ = ["UserContext", "user_id_from", "thread_id_from", "run_user"]


@dataclass
class UserContext:
    """Run context passed as ``agent.invoke(..., context=UserContext(...))``.

    Attributes:
        user_id: The person the run acts for.
        thread_id: The conversation (informational; checkpoints use the run config).
        turn: Turn number within the thread, used as the source of profile changes.
    """

    user_id: str
    thread_id: str = ""
    turn: int = 0


def run_user(context: Any, configurable: dict | None) -> tuple[str | None, int]:
    """``(user_id, turn)`` of a run: ``context.user_id`` first, then ``configurable["user_id"]``.

    The one rule every reader of the acting user follows (tools and the checkpoint threads).
    ``context`` may be a :class:`UserContext`, a dict or ``None``; ``user_id`` is ``None`` when
    the run names no user.
    """
    read = context.get if isinstance(context, dict) else (lambda key, default=None: getattr(context, key, default))
    user_id, turn = read("user_id"), read("turn", 0)
    if not user_id:
        configurable = configurable or {}
        user_id, turn = configurable.get("user_id"), configurable.get("turn", 0)
    return (user_id if isinstance(user_id, str) and user_id else None), turn or 0


def user_id_from(runtime: Any) -> tuple[str, str]:
    """The acting user and a change source, from a tool's runtime.

    Looks at ``runtime.context.user_id`` first, then ``config["configurable"]["user_id"]``.

    Raises:
        ConfigError: When the run carries no user id.
    """
    configurable = (getattr(runtime, "config", None) or {}).get("configurable", {})
    user_id, turn = run_user(getattr(runtime, "context", None), configurable)
    if not user_id:
        raise ConfigError("no user_id in the run: pass context=UserContext(user_id=...) or "
                          "config={'configurable': {'user_id': ...}}")
    return user_id, f"turn:{turn}" if turn else "tool"


def thread_id_from(runtime: Any) -> str | None:
    """The conversation a tool call belongs to (``context.thread_id``, else the run's
    ``configurable.thread_id``), or ``None``: refinements said "for now" are kept per conversation."""
    thread_id = getattr(getattr(runtime, "context", None), "thread_id", None)
    if not thread_id:
        thread_id = ((getattr(runtime, "config", None) or {}).get("configurable", {})).get("thread_id")
    return str(thread_id) if thread_id else None
