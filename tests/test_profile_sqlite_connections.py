"""The SQLite profile database keeps one connection per thread: reused between transactions,
a separate one for a transaction opened inside another, dead threads' closed, reopened after close."""

import threading

from tastebud.profile import ProfileStore
from tastebud.profile.db import SqliteDatabase


def test_one_connection_per_thread_reused_and_nested_transactions_work(tmp_path):
    db = SqliteDatabase(tmp_path / "p.sqlite")
    with db.transaction() as first:
        raw = first._raw
        with db.transaction(write=True) as inner:  # nested: its own connection, its own write
            assert inner._raw is not raw
            inner.execute("CREATE TABLE t (a INTEGER)")
    with db.transaction(write=True) as again:
        assert again._raw is raw
        again.execute("INSERT INTO t VALUES (1)")
    with db.transaction() as read:
        assert read.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1


def test_dead_threads_connections_are_closed_and_close_reopens(tmp_path):
    store = ProfileStore(tmp_path / "p.sqlite")
    threads = [threading.Thread(target=store.get, args=(f"u{i}",)) for i in range(5)]
    for t in threads:
        t.start()
        t.join()
    store.get("main")  # each new connection closed the dead threads' ones
    assert len(store.db._conns) <= 2
    store.close()
    assert store.db._conns == {}
    assert store.get("main").user_id == "main"  # usable again: a new connection
