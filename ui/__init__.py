"""The web page. ``serve`` starts it; nothing is launched at import."""

from __future__ import annotations

__all__ = ["build_demo", "serve"]


def __getattr__(name: str):
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
