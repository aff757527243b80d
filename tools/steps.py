"""Profile edits and reads of one model step, in order, whatever runs the tools.

A model may call ``update_profile`` and ``recommend`` in one message; agents run such calls at
the same time, so ``recommend`` could read the profile before the edits land. The tools
therefore settle their step first: a tool that reads the profile applies the step's
``update_profile`` calls that have not run yet, and each call's edits are applied exactly once
(keyed by the user, the model message and the tool call id: call ids alone repeat across turns
with some servers) under a per-user lock. Nothing here depends on tastebud's own
middleware, so the tools are safe in any LangChain agent.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["StepLedger", "step_calls", "step_key"]

_STRIPES = 64
_KEPT = 1024


class StepLedger:
    """Applies each ``update_profile`` call once, under a lock per user.

    The locks are striped (a fixed set chosen by a hash of the user id) and the applied calls
    kept in a bounded LRU, so memory stays constant however many users come.
    """

    def __init__(self) -> None:
        self._locks = [threading.RLock() for _ in range(_STRIPES)]
        self._applied: OrderedDict[str, tuple[str, dict]] = OrderedDict()
        self._guard = threading.Lock()

    def _lock(self, user_id: str) -> threading.RLock:
        return self._locks[zlib.crc32(user_id.encode("utf-8")) % _STRIPES]

    def apply(self, user_id: str, key: str | None, update: Callable[[], tuple[str, dict]]) -> tuple[str, dict]:
        """Run ``update`` for the call ``key`` (:func:`step_key`; ``None``: always run) unless it
        already ran for this user; returns its result."""
        with self._lock(user_id):
            key = f"{user_id}\x00{key}" if key else None
            if key:
                with self._guard:
                    done = self._applied.get(key)
                if done is not None:
                    return done
            result = update()
            if key:
                with self._guard:
                    self._applied[key] = result
                    while len(self._applied) > _KEPT:
                        self._applied.popitem(last=False)
            return result

    def settle(self, user_id: str, pending: list[tuple[str, Callable[[], tuple[str, dict]]]]) -> None:
        """Apply the step's ``(key, update)`` edits that have not run yet (errors are left to the
        ``update_profile`` call itself to report)."""
        for key, update in pending:
            try:
                self.apply(user_id, key, update)
            except Exception:  # noqa: BLE001 - the update_profile call reports its own error
                continue


def step_calls(state: Any, call_id: str | None) -> tuple[Any, list[dict]]:
    """``(message, calls)``: the model message in ``state`` that made tool call ``call_id`` and its
    tool calls (``(None, [])`` when the state does not hold it, e.g. a tool invoked directly)."""
    messages = state.get("messages", []) if isinstance(state, dict) else getattr(state, "messages", None) or []
    for message in reversed(messages if call_id else []):
        calls = getattr(message, "tool_calls", None) or []
        if any(c.get("id") == call_id for c in calls):
            return message, calls
    return None, []


def step_key(message: Any, call_id: Any) -> str | None:
    """Ledger key of one tool call of one model message (``None`` without the message)."""
    if message is None or not call_id:
        return None
    name = getattr(message, "id", None) or "+".join(str(c.get("id")) for c in message.tool_calls)
    return f"{name}\x00{call_id}"
