"""The SQL schema of the profile store and its migrations (``PRAGMA user_version``).

Kept apart from :mod:`tastebud.profile.store` so another backend can port the data model:
facts, events and shown items are keyed by ``(user_id, catalog)``; users and threads span
catalogs.
"""

from __future__ import annotations

import sqlite3

__all__ = ["SCHEMA_VERSION", "migrate"]

#: Schema version kept in ``PRAGMA user_version``. 1: one profile per user; 2: facts, events and
#: shown items belong to a catalog (a book filter never touches movies). Versions below are
#: migrated on open (:func:`migrate`).
SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('seq', 0);
CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS facts (user_id TEXT NOT NULL, catalog TEXT NOT NULL, kind TEXT NOT NULL,
    key TEXT NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL, at TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, catalog, kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL,
    kind TEXT NOT NULL, change TEXT NOT NULL, source TEXT NOT NULL, at TEXT NOT NULL,
    before TEXT NOT NULL, after TEXT NOT NULL, undoes INTEGER, undone_by INTEGER, catalog TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_user ON events (user_id, catalog, id);
CREATE TABLE IF NOT EXISTS recommended (user_id TEXT NOT NULL, catalog TEXT NOT NULL, item_id TEXT NOT NULL,
    at TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, catalog, item_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS threads (user_id TEXT NOT NULL, thread_id TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (user_id, thread_id)) WITHOUT ROWID;
"""
#: Version 1 → 2: every row gets a catalog. Items by their id prefix (``ml:`` movies, ``rd:``
#: redial); anything else (genres, years, notes, user-catalog ids) goes to the catalog of the store
#: that opens the file first (``?``), which is where it was used.
_ITEM_CATALOG = "CASE WHEN {col} LIKE 'ml:%' THEN 'movies' WHEN {col} LIKE 'rd:%' THEN 'redial' ELSE ? END"
_MIGRATE_1_2 = [
    ("ALTER TABLE facts RENAME TO facts_v1", 0),
    ("ALTER TABLE recommended RENAME TO recommended_v1", 0),
    ("DROP INDEX IF EXISTS events_by_user", 0),
    ("ALTER TABLE events ADD COLUMN catalog TEXT NOT NULL DEFAULT ''", 0),
    ("__schema__", 0),
    ("INSERT INTO facts SELECT user_id, CASE WHEN kind IN ('liked', 'disliked', 'seen') THEN "
     + _ITEM_CATALOG.format(col="key") + " ELSE ? END, kind, key, value, source, at, seq FROM facts_v1", 2),
    ("INSERT INTO recommended SELECT user_id, " + _ITEM_CATALOG.format(col="item_id")
     + ", item_id, at, seq FROM recommended_v1", 1),
    ("UPDATE events SET catalog = " + _ITEM_CATALOG.format(col="json_extract(change, '$.target')"), 1),
    # an undo belongs where the change it reverted does
    ("UPDATE events SET catalog = (SELECT t.catalog FROM events AS t WHERE t.id = events.undoes) WHERE undoes IS NOT NULL",
     0),
    ("DROP TABLE facts_v1", 0),
    ("DROP TABLE recommended_v1", 0),
]


def _create(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def migrate(conn: sqlite3.Connection, catalog: str) -> None:
    """Create the schema, or bring an older file up to :data:`SCHEMA_VERSION`, in the caller's open
    transaction (``BEGIN IMMEDIATE``: one process migrates, the others then find it done).

    Args:
        conn: A connection inside a write transaction.
        catalog: The opening store's catalog, given to version-1 rows that name no catalog.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    legacy = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'facts'").fetchone() is not None
    if legacy and version < 2:
        for statement, params in _MIGRATE_1_2:
            if statement == "__schema__":
                _create(conn)
            else:
                conn.execute(statement, (catalog,) * params)
    _create(conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
