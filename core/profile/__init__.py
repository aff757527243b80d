"""Persistent user profiles: taste facts, an event log with undo, and forgetting.

``Profile`` and ``Change`` are plain data (:mod:`tastebud.profile.model`);
``ProfileStore`` keeps them in SQLite or PostgreSQL (:mod:`tastebud.profile.store`, :mod:`tastebud.profile.db`).
"""

from __future__ import annotations

from .model import CHANGE_KINDS, Change, Entry, Event, Profile
from .store import ProfileStore, profile_db_path, profile_target

__all__ = ["CHANGE_KINDS", "Change", "Entry", "Event", "Profile", "ProfileStore", "profile_db_path",
           "profile_target"]
