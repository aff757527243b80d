"""Persistent profiles: facts, an event log with undo, shown items, threads.

In SQLite (WAL, the embedded default) or PostgreSQL (shared by page replicas), through one
interface (:mod:`tastebud.profile.db`). Every write runs in one transaction that first takes
the writer lock (SQLite: the file's, ``BEGIN IMMEDIATE``; PostgreSQL: the user's advisory lock),
so writers in any thread, process or machine are serialised (no lost updates), readers see a
consistent snapshot, and a process killed mid-write leaves the previous state intact.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Self

from ..errors import ProfileError, UnknownUserError
from .db import Connection, Database, is_postgres_url, open_database
from .model import Change, Event, Profile, Slot, build_profile, check_name, plan_change

__all__ = ["ProfileStore", "profile_db_path", "profile_target"]

ForgetHook = Callable[[str], None]

_EVENT_COLUMNS = "id, user_id, kind, change, source, at, before, after, undoes, undone_by"
_USER_TABLES = ("facts", "events", "recommended", "threads", "users")


def profile_db_path(settings: Any) -> Path:
    """Where the profile database lives: ``settings.home / "profiles.sqlite"``."""
    return Path(settings.home) / "profiles.sqlite"


def profile_target(settings: Any) -> str | Path:
    """Where profiles live: ``settings.database_url`` (PostgreSQL) when set, else :func:`profile_db_path`."""
    return getattr(settings, "database_url", None) or profile_db_path(settings)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _user(user_id: str) -> str:
    return check_name(user_id, "user id")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class ProfileStore:
    """All users' profiles in one database: a SQLite file or a PostgreSQL URL.

    A store object reads and writes the profiles of one catalog (``catalog``): likes, dislikes,
    seen items, genres, years, notes and shown items are kept per catalog, so a book filter never
    touches movies. Users, conversation threads and forgetting span every catalog.

    Args:
        target: SQLite database file (created with its folder if missing), or a
            ``postgresql://`` URL (the schema is created on first use).
        catalog: The catalog whose profiles this object reads and writes.
        timeout: Seconds a writer waits for another writer (or a pooled connection) before failing.
    """

    def __init__(self, target: str | Path, *, catalog: str = "movies", timeout: float = 30.0) -> None:
        self.catalog = check_name(catalog, "catalog")
        self.timeout = timeout
        self._hooks: list[ForgetHook] = []
        self._hooks_lock = threading.Lock()
        self.db: Database = open_database(target, timeout, catalog=self.catalog)
        #: The database: the SQLite file or the PostgreSQL URL (open another catalog's store on it).
        self.target: str | Path = target if is_postgres_url(target) else Path(target)
        #: The SQLite file, or ``None`` on PostgreSQL.
        self.path: Path | None = None if is_postgres_url(target) else Path(target)

    @classmethod
    def from_settings(cls, settings: Any, catalog: str = "movies") -> ProfileStore:
        """The store the settings name (:func:`profile_target`), for one catalog."""
        return cls(profile_target(settings), catalog=catalog)

    def close(self) -> None:
        """Release the database connections (PostgreSQL's pool; nothing to do for SQLite)."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connections -------------------------------------------------------------------

    def _read(self) -> AbstractContextManager[Connection]:
        """A read transaction (one consistent snapshot)."""
        return self.db.transaction()

    def _write(self, user_id: str) -> AbstractContextManager[Connection]:
        """A write transaction holding ``user_id``'s writer lock."""
        return self.db.transaction(write=True, lock=user_id)

    # -- reading -----------------------------------------------------------------------

    def _facts(self, conn: Connection, user_id: str) -> dict[Slot, dict]:
        rows = conn.execute("SELECT kind, key, value, source, at, seq FROM facts WHERE user_id = ? AND catalog = ?",
                            (user_id, self.catalog))
        return {(kind, key): {"value": json.loads(value), "source": source, "at": at, "seq": seq}
                for kind, key, value, source, at, seq in rows}

    def _profile(self, conn: Connection, user_id: str) -> Profile:
        facts = self._facts(conn, user_id)
        shown = [r[0] for r in conn.execute("SELECT item_id FROM recommended WHERE user_id = ? AND catalog = ? "
                                             "ORDER BY seq", (user_id, self.catalog))]
        return build_profile(user_id, [(k, key, f) for (k, key), f in facts.items()], shown,
                             self._last_event(conn, user_id))

    def _last_event(self, conn: Connection, user_id: str) -> int:
        """Id of the user's last event in this catalog (0: none): the profile's version."""
        row = conn.execute("SELECT MAX(id) FROM events WHERE user_id = ? AND catalog = ?",
                           (user_id, self.catalog)).fetchone()
        return row[0] or 0

    def _events(self, conn: Connection, user_id: str) -> list[Event]:
        rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE user_id = ? AND catalog = ? ORDER BY id",
                            (user_id, self.catalog)).fetchall()
        return [self._event(r) for r in rows]

    @staticmethod
    def _event(row: tuple) -> Event:
        id_, user_id, kind, change, source, at, before, after, undoes, undone_by = row
        return Event(id_, user_id, kind, json.loads(change), source, at, json.loads(before), json.loads(after),
                     undoes, undone_by)

    def get(self, user_id: str) -> Profile:
        """The user's profile; an unknown user gets an empty one (nothing is created)."""
        user_id = _user(user_id)
        with self._read() as conn:
            return self._profile(conn, user_id)

    def exists(self, user_id: str) -> bool:
        """Whether anything is stored about ``user_id``."""
        user_id = _user(user_id)
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM users WHERE user_id = ?", (user_id,)).fetchone() is not None

    def require(self, user_id: str) -> None:
        """Raise :class:`UnknownUserError` unless something is stored about ``user_id``."""
        if not self.exists(user_id):
            raise UnknownUserError(f"no profile stored for user {user_id!r}")

    def users(self) -> list[str]:
        """Every user id with stored data, sorted."""
        with self._read() as conn:
            return [r[0] for r in conn.execute("SELECT user_id FROM users ORDER BY user_id")]

    def events(self, user_id: str) -> list[Event]:
        """The user's event log, oldest first (undo events included)."""
        user_id = _user(user_id)
        with self._read() as conn:
            return self._events(conn, user_id)

    def threads(self, user_id: str) -> list[str]:
        """Conversation thread ids registered for the user, oldest first."""
        user_id = _user(user_id)
        with self._read() as conn:
            rows = conn.execute("SELECT thread_id FROM threads WHERE user_id = ? ORDER BY at, thread_id",
                                (user_id,)).fetchall()
        return [r[0] for r in rows]

    def export(self, user_id: str) -> dict[str, Any]:
        """Everything stored about the user, JSON-able: profile, events and threads (one snapshot)."""
        user_id = _user(user_id)
        with self._read() as conn:
            profile = self._profile(conn, user_id)
            events = self._events(conn, user_id)
            threads = [r[0] for r in conn.execute("SELECT thread_id FROM threads WHERE user_id = ? ORDER BY at",
                                                   (user_id,))]
        return {"format": "tastebud.profile/1", "user_id": user_id, "catalog": self.catalog, "exported_at": _now(),
                "profile": profile.to_dict(), "events": [e.to_dict() for e in events], "threads": threads}

    def verify(self, user_id: str) -> list[str]:
        """Check that replaying the event log gives exactly the stored facts (of this catalog).

        Returns:
            Problems found; empty when the profile and its log agree.
        """
        user_id = _user(user_id)
        with self._read() as conn:
            facts = self._facts(conn, user_id)
            events = self._events(conn, user_id)
            row = conn.execute("SELECT version FROM users WHERE user_id = ?", (user_id,)).fetchone()
            last = conn.execute("SELECT MAX(id) FROM events WHERE user_id = ?", (user_id,)).fetchone()[0] or 0
        replayed: dict[Slot, dict] = {}
        for event in events:
            for kind, key, fact in event.after:
                if fact is None:
                    replayed.pop((kind, key), None)
                else:
                    replayed[(kind, key)] = fact
        problems = [f"slot {slot} is {facts.get(slot)!r} but the log says {replayed.get(slot)!r}"
                    for slot in sorted(set(facts) | set(replayed)) if facts.get(slot) != replayed.get(slot)]
        if (row[0] if row else 0) != last:
            problems.append(f"profile version {row[0] if row else 0} but last event {last}")
        undone = {e.undoes: e.id for e in events if e.undoes is not None}
        problems += [f"event {e.id} undo link is broken" for e in events
                     if e.undone_by != undone.get(e.id)]
        return problems

    # -- writing -----------------------------------------------------------------------

    @staticmethod
    def _touch_user(conn: Connection, user_id: str, at: str, version: int | None = None) -> None:
        conn.execute("INSERT INTO users (user_id, created_at, updated_at) VALUES (?, ?, ?) "
                     "ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at", (user_id, at, at))
        if version is not None:
            conn.execute("UPDATE users SET version = ? WHERE user_id = ?", (version, user_id))

    def _next_seq(self, conn: Connection) -> int:
        return self.db.next_seq(conn)

    def _log(self, conn: Connection, user_id: str, change: dict, source: str, at: str,
             facts: dict[Slot, dict], updates: dict[Slot, dict | None], undoes: int | None = None) -> int:
        """Write ``updates`` to the facts and log them as one event; returns the event id."""
        for (kind, key), fact in updates.items():
            if fact is None:
                conn.execute("DELETE FROM facts WHERE user_id = ? AND catalog = ? AND kind = ? AND key = ?",
                             (user_id, self.catalog, kind, key))
            else:
                conn.execute("INSERT INTO facts (user_id, catalog, kind, key, value, source, at, seq) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, catalog, kind, key) DO UPDATE "
                             "SET value = excluded.value, source = excluded.source, at = excluded.at, seq = excluded.seq",
                             (user_id, self.catalog, kind, key, _dumps(fact["value"]), fact["source"], fact["at"],
                              fact["seq"]))
        before = [[kind, key, facts.get((kind, key))] for kind, key in updates]
        after = [[kind, key, fact] for (kind, key), fact in updates.items()]
        event_id = conn.execute("INSERT INTO events (user_id, catalog, kind, change, source, at, before, after, undoes) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                (user_id, self.catalog, change["kind"], _dumps(change), source, at, _dumps(before),
                                 _dumps(after), undoes)).fetchone()[0]
        self._touch_user(conn, user_id, at, event_id)
        return event_id

    def apply_many(self, user_id: str, changes: Iterable[Change], source: str) -> Profile:
        """Apply several changes atomically (all or none), each logged as its own event.

        Changes with no effect (liking an item already liked…) are not logged.

        Args:
            user_id: Whose profile to change.
            changes: The edits, applied in order.
            source: What made them (``"turn:3"``, ``"tool:update_profile"``, ``"ui:remove"``…).

        Returns:
            The profile after the changes.
        """
        user_id, source = _user(user_id), check_name(source, "source", limit=200)
        changes = list(changes)
        if not all(isinstance(c, Change) for c in changes):
            raise ProfileError("changes must be Change objects")
        with self._write(user_id) as conn:
            for change in changes:
                facts, at = self._facts(conn, user_id), _now()
                updates = plan_change(facts, change, source, at, self._next_seq(conn))
                if updates:
                    self._log(conn, user_id, change.to_dict(), source, at, facts, updates)
            return self._profile(conn, user_id)

    def apply(self, user_id: str, change: Change, source: str) -> Profile:
        """Apply one change (see :meth:`apply_many`) and return the profile after it."""
        return self.apply_many(user_id, [change], source)

    def like(self, user_id: str, item_id: str, source: str) -> Profile:
        """Add ``item_id`` to the liked items (and drop it from the disliked ones)."""
        return self.apply(user_id, Change("like", item_id), source)

    def dislike(self, user_id: str, item_id: str, source: str) -> Profile:
        """Add ``item_id`` to the disliked items (and drop it from the liked ones)."""
        return self.apply(user_id, Change("dislike", item_id), source)

    def mark_seen(self, user_id: str, item_id: str, source: str) -> Profile:
        """Record that the user has seen ``item_id``."""
        return self.apply(user_id, Change("seen", item_id), source)

    def remove_item(self, user_id: str, item_id: str, source: str, only: str | None = None) -> Profile:
        """Remove ``item_id`` from liked, disliked and seen (or ``only`` one of them)."""
        return self.apply(user_id, Change("remove_item", item_id, only), source)

    def want_genre(self, user_id: str, genre: str, source: str) -> Profile:
        """Ask for ``genre`` (and stop avoiding it)."""
        return self.apply(user_id, Change("want_genre", genre), source)

    def unwant_genre(self, user_id: str, genre: str, source: str) -> Profile:
        """Avoid ``genre`` (and stop asking for it)."""
        return self.apply(user_id, Change("unwant_genre", genre), source)

    def set_constraint(self, user_id: str, key: str, value: Any, source: str) -> Profile:
        """Set a constraint (``year_from``, ``year_to`` or a catalog metadata key)."""
        return self.apply(user_id, Change("set_constraint", key, value), source)

    def add_note(self, user_id: str, text: str, source: str) -> Profile:
        """Add a free-text note."""
        return self.apply(user_id, Change("add_note", text), source)

    def undo(self, user_id: str, source: str = "undo") -> Event | None:
        """Revert the user's last change that is not yet undone; the undo itself is logged.

        Repeated calls walk back through the history. Returns the reverted event (with
        ``undone_by`` set), or ``None`` when there is nothing left to undo.
        """
        user_id, source = _user(user_id), check_name(source, "source", limit=200)
        with self._write(user_id) as conn:
            row = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE user_id = ? AND catalog = ? "
                               "AND kind != 'undo' AND undone_by IS NULL ORDER BY id DESC LIMIT 1",
                               (user_id, self.catalog)).fetchone()
            if row is None:
                return None
            target = self._event(row)
            facts = self._facts(conn, user_id)
            if any(facts.get((kind, key)) != fact for kind, key, fact in target.after):
                raise ProfileError(f"cannot undo event {target.id}: the profile no longer matches its log")
            updates = {(kind, key): fact for kind, key, fact in target.before}
            undo_id = self._log(conn, user_id, {"kind": "undo", "target": target.id}, source, _now(), facts,
                                updates, undoes=target.id)
            conn.execute("UPDATE events SET undone_by = ? WHERE id = ?", (undo_id, target.id))
        return replace(target, undone_by=undo_id)

    def record_recommended(self, user_id: str, item_ids: Iterable[str]) -> None:
        """Remember items shown to the user (not a taste change: not logged, not undoable)."""
        user_id = _user(user_id)
        ids = [check_name(i, "item id") for i in item_ids]
        with self._write(user_id) as conn:
            self._touch_user(conn, user_id, _now())
            for item_id in ids:
                conn.execute("INSERT INTO recommended (user_id, catalog, item_id, at, seq) VALUES (?, ?, ?, ?, ?) "
                             "ON CONFLICT (user_id, catalog, item_id) DO UPDATE SET at = excluded.at, seq = excluded.seq",
                             (user_id, self.catalog, item_id, _now(), self._next_seq(conn)))

    def register_thread(self, user_id: str, thread_id: str) -> None:
        """Remember that a conversation thread belongs to the user (so :meth:`forget` finds it)."""
        user_id, thread_id = _user(user_id), check_name(thread_id, "thread id")
        with self._write(user_id) as conn:
            at = _now()
            self._touch_user(conn, user_id, at)
            conn.execute("INSERT INTO threads VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (user_id, thread_id, at))

    def add_forget_hook(self, hook: ForgetHook) -> None:
        """Call ``hook(user_id)`` on :meth:`forget`, before the user's rows are deleted.

        Hooks (e.g. deleting the user's conversation threads, listed by :meth:`threads`)
        run first; if one raises, nothing is deleted and forgetting can simply be retried.
        """
        with self._hooks_lock:
            self._hooks.append(hook)

    def forget(self, user_id: str) -> dict[str, int]:
        """Delete everything about the user, in every catalog (after running the forget hooks).

        Returns:
            Rows deleted per table (``facts``, ``events``, ``recommended``, ``threads``, ``users``).
        """
        user_id = _user(user_id)
        with self._hooks_lock:
            hooks = list(self._hooks)
        for hook in hooks:
            hook(user_id)
        with self._write(user_id) as conn:
            return {table: conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,)).rowcount
                    for table in _USER_TABLES}
