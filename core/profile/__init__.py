"""Persistent user profiles: taste facts, an event log with undo, and forgetting.

``Profile`` and ``Change`` are plain data (:mod:`tastebud.profile.model`);
``ProfileStore`` keeps them in SQLite (:mod:`tastebud.profile.store`).
"""

from __future__ import annotations

from .model import CHANGE_KINDS, Change, Entry, Event, Profile
from .store import ProfileStore, profile_db_path

__all__ = ["CHANGE_KINDS", "Change", "Entry", "Event", "Profile", "ProfileStore", "profile_db_path"]
