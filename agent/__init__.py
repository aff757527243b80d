"""The tastebud agent: ``build_agent`` (a compiled LangGraph agent) and ``Assistant``
(turn-level façade used by the CLI, the chat page and the evals)."""

from __future__ import annotations

__all__ = ["Assistant", "TurnResult", "build_agent", "forget_hooks", "OfflinePolicyModel"]


def __getattr__(name: str):
    if name in ("Assistant", "TurnResult"):
        from . import assistant

        return getattr(assistant, name)
    if name in ("build_agent", "forget_hooks"):
        from . import build

        return getattr(build, name)
    if name == "OfflinePolicyModel":
        from .offline import OfflinePolicyModel

        return OfflinePolicyModel
    raise AttributeError(name)
