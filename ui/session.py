"""Per-visitor identity for the chat page.

Each browser gets a random user id and thread id, kept in its ``localStorage`` through
``gr.BrowserState``; nothing here is shared between visitors. The values are encrypted with
a secret kept under ``$TASTEBUD_HOME`` so they stay readable after a server restart.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

__all__ = ["STORAGE_KEY", "browser_secret", "ensure_session", "new_session", "new_thread_id", "new_user_id"]

STORAGE_KEY = "tastebud_session"
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")


def new_user_id(prefix: str = "web") -> str:
    """A fresh, unguessable user id such as ``web-3f2a…``."""
    return f"{prefix}-{secrets.token_hex(12)}"


def new_thread_id() -> str:
    """A fresh conversation id such as ``t-9b1c…``."""
    return f"t-{secrets.token_hex(6)}"


def new_session() -> dict[str, str]:
    """A new visitor: ``{"user_id", "thread_id"}``."""
    return {"user_id": new_user_id(), "thread_id": new_thread_id()}


def _valid(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def ensure_session(value: Any) -> dict[str, str]:
    """The stored session if it is well formed, else a new one (a new thread if only that is missing).

    Args:
        value: What the browser sent (anything: a visitor can edit their storage).
    """
    if not isinstance(value, dict) or not _valid(value.get("user_id")):
        return new_session()
    thread = value.get("thread_id")
    return {"user_id": value["user_id"], "thread_id": thread if _valid(thread) else new_thread_id()}


def browser_secret(home: str | Path) -> str:
    """The key ``gr.BrowserState`` encrypts with, created once under ``home``.

    A random key per start would make every visitor a stranger after a restart.
    """
    path = Path(home) / "ui_browser_secret"
    try:
        value = path.read_text(encoding="utf-8").strip()
        if len(value) >= 16:
            return value
    except OSError:
        pass
    value = secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value
