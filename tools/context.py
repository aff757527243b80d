"""Who a tool call acts for. The user id never comes from model-written arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tastebud.errors import ConfigError

__all__ = ["UserContext", "user_id_from", "thread_id_from"]


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


def user_id_from(runtime: Any) -> tuple[str, str]:
    """The acting user and a change source, from a tool's runtime.

    Looks at ``runtime.context.user_id`` first, then ``config["configurable"]["user_id"]``.

    Raises:
        ConfigError: When the run carries no user id.
    """
    context = getattr(runtime, "context", None)
    user_id = getattr(context, "user_id", None)
    turn = getattr(context, "turn", 0)
    if not user_id:
        configurable = (getattr(runtime, "config", None) or {}).get("configurable", {})
        user_id, turn = configurable.get("user_id"), configurable.get("turn", 0)
    if not user_id or not isinstance(user_id, str):
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
