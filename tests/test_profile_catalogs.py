"""Profiles per catalog (issue 16): a book filter never touches movies; version-1 files migrate."""

from __future__ import annotations

import json
import sqlite3

from tastebud.profile import ProfileStore

V1_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('seq', 3);
CREATE TABLE users (user_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE facts (user_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    source TEXT NOT NULL, at TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, kind, key)) WITHOUT ROWID;
CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, kind TEXT NOT NULL,
    change TEXT NOT NULL, source TEXT NOT NULL, at TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
    undoes INTEGER, undone_by INTEGER);
CREATE INDEX events_by_user ON events (user_id, id);
CREATE TABLE recommended (user_id TEXT NOT NULL, item_id TEXT NOT NULL, at TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, item_id)) WITHOUT ROWID;
CREATE TABLE threads (user_id TEXT NOT NULL, thread_id TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (user_id, thread_id)) WITHOUT ROWID;
"""


def _fact(value, seq):
    return {"value": value, "source": "turn:1", "at": "2026-01-01T00:00:00", "seq": seq}


def _v1_file(path):
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    at = "2026-01-01T00:00:00"
    conn.execute("INSERT INTO users VALUES ('ann', ?, ?, 3)", (at, at))
    rows = [("liked", "ml:1", "ml:1", 1), ("liked", "rd:7", "rd:7", 2), ("unwanted", "horror", "Horror", 3)]
    for n, (kind, key, value, seq) in enumerate(rows, 1):
        conn.execute("INSERT INTO facts VALUES ('ann', ?, ?, ?, 'turn:1', ?, ?)", (kind, key, json.dumps(value), at, seq))
        change = {"kind": "like" if kind == "liked" else "unwant_genre", "target": value}
        conn.execute("INSERT INTO events (user_id, kind, change, source, at, before, after) VALUES "
                     "('ann', ?, ?, 'turn:1', ?, ?, ?)", (change["kind"], json.dumps(change), at,
                                                         json.dumps([[kind, key, None]]),
                                                         json.dumps([[kind, key, _fact(value, seq)]])))
    conn.execute("INSERT INTO recommended VALUES ('ann', 'rd:9', ?, 4)", (at,))
    conn.execute("INSERT INTO threads VALUES ('ann', 't1', ?)", (at,))
    conn.commit()
    conn.close()


def test_version_1_file_is_migrated_by_item_prefix(tmp_path):
    path = tmp_path / "profiles.sqlite"
    _v1_file(path)
    movies = ProfileStore(path, catalog="movies")
    redial = ProfileStore(path, catalog="redial")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
    assert movies.get("ann").ids("liked") == ["ml:1"] and movies.get("ann").genres(wanted=False) == ["Horror"]
    assert redial.get("ann").ids("liked") == ["rd:7"] and redial.get("ann").recommended == ["rd:9"]
    assert redial.get("ann").genres(wanted=False) == []
    assert movies.verify("ann") == [] and redial.verify("ann") == []
    assert movies.threads("ann") == ["t1"] and movies.users() == ["ann"]
    assert redial.undo("ann").change == {"kind": "like", "target": "rd:7"}
    assert redial.get("ann").liked == [] and movies.get("ann").ids("liked") == ["ml:1"]
    assert redial.verify("ann") == [] and movies.verify("ann") == []


def test_undo_events_migrate_with_the_change_they_reverted(tmp_path):
    path = tmp_path / "profiles.sqlite"
    _v1_file(path)
    conn = sqlite3.connect(path)
    at = "2026-01-01T00:00:01"
    conn.execute("INSERT INTO events (user_id, kind, change, source, at, before, after, undoes) VALUES "
                 "('ann', 'undo', ?, 'undo', ?, ?, ?, 2)", (json.dumps({"kind": "undo", "target": 2}), at,
                                                          json.dumps([["liked", "rd:7", _fact("rd:7", 2)]]),
                                                          json.dumps([["liked", "rd:7", None]])))
    conn.execute("UPDATE events SET undone_by = 4 WHERE id = 2")
    conn.execute("DELETE FROM facts WHERE key = 'rd:7'")
    conn.execute("UPDATE users SET version = 4")
    conn.commit()
    conn.close()
    movies = ProfileStore(path, catalog="movies")  # opens first: rows without a catalog go to movies
    redial = ProfileStore(path, catalog="redial")
    assert [e.kind for e in redial.events("ann")] == ["like", "undo"] and redial.verify("ann") == []
    assert [e.kind for e in movies.events("ann")] == ["like", "unwant_genre"] and movies.verify("ann") == []


def test_filters_and_lists_do_not_cross_catalogs(profile_target):
    path = profile_target  # a SQLite file, a PostgreSQL schema
    books, movies = ProfileStore(path, catalog="books"), ProfileStore(path, catalog="movies")
    books.want_genre("bo", "Fantasy", "t")
    books.set_constraint("bo", "year_from", 1990, "t")
    books.like("bo", "u:bk1", "t")
    books.record_recommended("bo", ["u:bk2"])
    profile = movies.get("bo")
    assert profile.is_empty() and profile.recommended == [] and profile.filters().year_from is None
    assert books.get("bo").filters().wanted_genres == ["Fantasy"]
    assert movies.undo("bo") is None and books.get("bo").ids("liked") == ["u:bk1"]


def test_forget_spans_every_catalog(profile_target):
    path = profile_target
    books, movies = ProfileStore(path, catalog="books"), ProfileStore(path, catalog="movies")
    books.like("bo", "u:bk1", "t")
    movies.like("bo", "ml:1", "t")
    deleted = movies.forget("bo")
    assert deleted["facts"] == 2 and deleted["events"] == 2
    assert books.get("bo").is_empty() and not books.exists("bo")
