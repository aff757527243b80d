"""Profile store: conflict rules, event log, undo, forget, isolation, concurrency, crashes, CLI.

The same contract runs on both backends (``profile_target``: a SQLite file, a real PostgreSQL).
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from typer.testing import CliRunner

from tastebud import cli_profile
from tastebud.cli import app
from tastebud.errors import ProfileError, UnknownUserError
from tastebud.profile import Change, Profile, ProfileStore, profile_db_path
from tastebud.settings import Settings


@pytest.fixture
def store(profile_target):
    with ProfileStore(profile_target) as store:
        yield store


def _like_many(path: str, prefix: str, n: int) -> None:
    """Worker for the multi-process test (module level so `spawn` can import it)."""
    with ProfileStore(path) as store:
        for i in range(n):
            store.like("shared", f"{prefix}{i}", f"proc:{prefix}")


def test_like_and_dislike_exclude_each_other(store):
    store.like("u", "t:1", "turn:1")
    store.like("u", "t:2", "turn:1")
    p = store.dislike("u", "t:1", "turn:2")
    assert p.ids("liked") == ["t:2"] and p.ids("disliked") == ["t:1"]
    assert p.disliked[0].source == "turn:2"
    p = store.like("u", "t:1", "feedback:👍")
    assert p.ids("liked") == ["t:2", "t:1"] and p.ids("disliked") == []
    p = store.mark_seen("u", "t:1", "turn:3")
    assert p.ids("seen") == ["t:1"] and p.ids("liked") == ["t:2", "t:1"]  # seen is independent
    p = store.remove_item("u", "t:1", "ui:remove", only="seen")
    assert p.ids("seen") == [] and "t:1" in p.ids("liked")
    p = store.remove_item("u", "t:1", "ui:remove")
    assert p.ids("liked") == ["t:2"]


def test_genre_and_year_conflicts(store):
    store.want_genre("u", "Horror", "turn:1")
    p = store.unwant_genre("u", "horror", "turn:2")  # same genre, any case
    assert p.genres(wanted=True) == [] and p.genres(wanted=False) == ["horror"]
    p = store.apply("u", Change("remove_genre", "HORROR"), "ui:remove")
    assert p.wanted_genres == p.unwanted_genres == []
    store.set_constraint("u", "year_from", 1990, "turn:3")
    p = store.set_constraint("u", "year_to", 1999, "turn:3")
    assert (p.year_from, p.year_to) == (1990, 1999)
    p = store.set_constraint("u", "year_to", 1980, "turn:4")  # newest bound wins over an empty range
    assert (p.year_from, p.year_to) == (None, 1980)
    p = store.set_constraint("u", "language", ["en", "fr"], "tool:update_profile")
    assert p.constraint_values() == {"year_to": 1980, "language": ["en", "fr"]}
    p = store.apply("u", Change("remove_constraint", "language"), "ui:remove")
    assert p.constraint_values() == {"year_to": 1980}


def test_restating_is_not_logged_and_keeps_the_first_source(store):
    store.like("u", "t:1", "turn:1")
    store.add_note("u", "watches with kids", "turn:1")
    p = store.apply_many("u", [Change("like", "t:1"), Change("add_note", "watches with kids"),
                               Change("remove_constraint", "year_from")], "turn:2")
    assert p.liked[0].source == "turn:1" and len(p.notes) == 1
    assert len(store.events("u")) == 2 and p.version == store.events("u")[-1].id


@pytest.mark.parametrize("change", [
    dict(kind="love", target="t:1"), dict(kind="like"), dict(kind="like", target="  "),
    dict(kind="like", target="a\x00b"), dict(kind="like", target="x" * 600), dict(kind="like", target="t", value=1),
    dict(kind="set_constraint", target="year_from", value="1990"),
    dict(kind="set_constraint", target="year_to", value=True),
    dict(kind="set_constraint", target="year_to", value=99999),
    dict(kind="set_constraint", target="bad key!", value=1),
    dict(kind="set_constraint", target="language", value={"a": 1}),
    dict(kind="set_constraint", target="rating", value=float("nan")),
    dict(kind="remove_item", target="t:1", value="wishlist"), dict(kind="clear", target="x"),
    dict(kind="add_note", target="n" * 2001),
])
def test_invalid_changes_are_refused(change):
    with pytest.raises(ProfileError):
        Change.from_dict(change)


def test_invalid_user_or_source_is_refused(store):
    for user, source in [("", "turn:1"), ("u\nv", "turn:1"), ("u", " "), ("u", "s" * 201)]:
        with pytest.raises(ProfileError):
            store.like(user, "t:1", source)
    assert store.users() == []


def test_event_log_records_sources_and_before_after(store):
    store.like("u", "t:1", "turn:1")
    store.dislike("u", "t:1", "feedback:👎")
    store.unwant_genre("u", "Horror", "tool:update_profile")
    events = store.events("u")
    assert [(e.kind, e.source) for e in events] == [
        ("like", "turn:1"), ("dislike", "feedback:👎"), ("unwant_genre", "tool:update_profile")]
    assert events[1].change == {"kind": "dislike", "target": "t:1"}
    before = {(k, key): f for k, key, f in events[1].before}
    after = {(k, key): f for k, key, f in events[1].after}
    assert before[("liked", "t:1")]["source"] == "turn:1" and before[("disliked", "t:1")] is None
    assert after[("liked", "t:1")] is None and after[("disliked", "t:1")]["source"] == "feedback:👎"
    assert all(e.at.endswith("+00:00") for e in events)
    json.dumps([e.to_dict() for e in events])


def test_undo_walks_back_exactly_including_removals_and_clear(store):
    for n, item in enumerate(["a", "b", "c"]):
        store.like("u", item, f"turn:{n}")
    store.unwant_genre("u", "Horror", "turn:3")
    store.set_constraint("u", "year_to", 1990, "turn:3")
    snapshot = store.get("u")
    store.remove_item("u", "b", "ui:remove")
    store.apply("u", Change("clear"), "ui:clear")
    assert store.get("u").is_empty()
    undone = store.undo("u", "ui:undo")
    assert undone.kind == "clear" and undone.undone_by is not None
    undone = store.undo("u")
    assert undone.change == {"kind": "remove_item", "target": "b"}
    restored = store.get("u")
    assert restored.liked == snapshot.liked  # "b" back in its place, with its original source and time
    assert restored.to_dict() | {"version": 0} == snapshot.to_dict() | {"version": 0}
    store.undo("u")
    store.undo("u")
    p = store.get("u")
    assert p.ids("liked") == ["a", "b", "c"] and p.unwanted_genres == [] and p.constraints == {}
    kinds = [e.kind for e in store.events("u")]
    assert kinds[-4:] == ["undo"] * 4 and store.events("u")[-4].source == "ui:undo"
    assert store.verify("u") == []


def test_undo_after_new_change_and_when_empty(store):
    assert store.undo("u") is None
    store.like("u", "a", "turn:1")
    store.dislike("u", "a", "turn:2")
    store.undo("u")  # back to liked
    store.mark_seen("u", "b", "turn:3")
    assert store.undo("u").kind == "seen"
    assert store.undo("u").kind == "like"  # the dislike is already undone: skipped
    assert store.get("u").is_empty() and store.undo("u") is None
    assert store.verify("u") == []


def test_recommended_is_recorded_but_not_a_taste_change(store):
    store.like("u", "a", "turn:1")
    store.record_recommended("u", ["x", "y"])
    store.record_recommended("u", ["x"])
    p = store.get("u")
    assert p.recommended == ["y", "x"] and p.exclusions() == {"a", "x", "y"}
    assert p.exclusions(include_recommended=False) == {"a"} and len(store.events("u")) == 1
    store.undo("u")
    assert store.get("u").recommended == ["y", "x"]


def test_profile_helpers_and_round_trip(store):
    store.apply_many("u", [Change("like", "a"), Change("dislike", "b"), Change("seen", "c"),
                           Change("want_genre", "Comedy"), Change("add_note", "no subtitles\nplease")], "turn:1")
    p = store.get("u")
    assert p.user_items() == {"a": 1.0, "b": -1.0} and p.exclusions() == {"a", "b", "c"}
    data = json.loads(json.dumps(p.to_dict()))
    assert data["liked"][0] == {"item_id": "a", "source": "turn:1", "at": p.liked[0].at}
    assert Profile.from_dict(data) == p
    assert any("Alpha [turn:1]" in line for line in p.summary_lines({"a": "Alpha"}))


def test_users_are_isolated(store):
    store.like("a", "t:1", "turn:1")
    store.unwant_genre("a", "Horror", "turn:1")
    store.dislike("b", "t:2", "turn:1")
    assert store.get("b").ids("liked") == [] and store.get("b").unwanted_genres == []
    store.undo("b")
    assert store.get("a").ids("liked") == ["t:1"] and store.get("b").is_empty()
    store.forget("b")
    assert store.users() == ["a"] and len(store.events("a")) == 2
    assert store.get("nobody").is_empty() and not store.exists("nobody")


def test_export_and_forget_delete_everything(store):
    store.like("u", "a", "turn:1")
    store.record_recommended("u", ["x"])
    store.register_thread("u", "t1")
    store.register_thread("u", "t2")
    store.like("other", "a", "turn:1")
    exported = json.loads(json.dumps(store.export("u")))
    assert exported["profile"]["liked"][0]["item_id"] == "a" and exported["threads"] == ["t1", "t2"]
    assert [e["kind"] for e in exported["events"]] == ["like"]
    seen_by_hook = []
    store.add_forget_hook(lambda user: seen_by_hook.append((user, store.threads(user))))
    deleted = store.forget("u")
    assert seen_by_hook == [("u", ["t1", "t2"])]  # hooks run before the rows go, so they can read threads
    assert deleted == {"facts": 1, "events": 1, "recommended": 1, "threads": 2, "users": 1}
    with store.db.transaction() as conn:
        for table in ("facts", "events", "recommended", "threads", "users"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = 'u'").fetchone()[0] == 0
    assert store.users() == ["other"] and store.get("u").is_empty()


def test_failing_forget_hook_deletes_nothing(store):
    store.like("u", "a", "turn:1")

    def broken(user):
        raise RuntimeError("conversation store down")

    store.add_forget_hook(broken)
    with pytest.raises(RuntimeError):
        store.forget("u")
    assert store.get("u").ids("liked") == ["a"]


def test_concurrent_threads_lose_no_update(profile_target):
    stores = [ProfileStore(profile_target) for _ in range(2)]  # two store objects on one database, too
    errors = []

    def worker(n: int) -> None:
        try:
            for i in range(15):
                stores[n % 2].like("shared", f"w{n}-{i}", f"thread:{n}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(stores[0].get("shared").liked) == 90 and len(stores[1].events("shared")) == 90
    assert stores[0].verify("shared") == []
    for store in stores:
        store.close()


def test_concurrent_processes_lose_no_update(profile_target):
    path = str(profile_target)
    ProfileStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_like_many, args=(path, f"p{n}-", 20)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    with ProfileStore(path) as store:
        liked = set(store.get("shared").ids("liked"))
        assert liked == {f"p{n}-{i}" for n in range(3) for i in range(20)}
        assert store.verify("shared") == []


_CRASH_WRITER = textwrap.dedent("""
    import sys
    from tastebud.profile import Change, ProfileStore
    store = ProfileStore(sys.argv[1])
    for i in range(100000):
        changes = [Change("like", f"i{i}"), Change("add_note", f"note {i}"), Change("dislike", f"d{i}"),
                   Change("remove_item", f"d{i - 1}"), Change("set_constraint", "year_to", 1900 + i % 100)]
        store.apply_many("crash", changes, f"turn:{i}")
        print(i, flush=True)
""")


@pytest.mark.parametrize("delay", [0.01, 0.025, 0.05])
def test_sigkill_mid_write_leaves_a_consistent_db(profile_target, delay):
    path = str(profile_target)
    proc = subprocess.Popen([sys.executable, "-c", _CRASH_WRITER, path], stdout=subprocess.PIPE, text=True)
    acked: list[int] = []
    try:
        while len(acked) < 40:
            line = proc.stdout.readline()
            assert line, "writer died early"
            acked.append(int(line))
        time.sleep(delay)  # land somewhere inside a later turn's transaction
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    acked += [int(line) for line in proc.stdout.read().split()]  # everything printed before the kill
    assert proc.returncode == -signal.SIGKILL
    store = ProfileStore(path)
    if store.path is not None:
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    p = store.get("crash")
    liked = set(p.ids("liked"))
    assert {f"i{i}" for i in acked} <= liked  # every acknowledged change survived
    last = max(int(item[1:]) for item in liked)
    # whole turns only: each committed turn left its like, note and dislike, and its events
    assert liked == {f"i{i}" for i in range(last + 1)}
    assert {e.value for e in p.notes} == {f"note {i}" for i in range(last + 1)}
    assert p.ids("disliked") == [f"d{last}"] and p.year_to == 1900 + last % 100
    assert store.verify("crash") == []
    store.close()


@pytest.fixture
def home(tmp_path, profile_target, monkeypatch):
    """A home whose profiles live in ``profile_target`` (PostgreSQL through ``TASTEBUD_DATABASE_URL``)."""
    if isinstance(profile_target, str):
        monkeypatch.setenv("TASTEBUD_DATABASE_URL", profile_target)
    else:
        assert profile_target == profile_db_path(Settings(home=tmp_path))
    with ProfileStore.from_settings(Settings(home=tmp_path)) as store:
        store.like("u", "t:1", "turn:1")
        store.unwant_genre("u", "Horror", "turn:1")
        store.register_thread("u", "t1")
    return tmp_path


def _run(*args, **kwargs):
    return CliRunner().invoke(app, ["profile", *map(str, args)], **kwargs)


def test_cli_show_and_export(home, tmp_path):
    result = _run("show", "--user", "u", "--home", home)
    assert result.exit_code == 0 and "liked: t:1 [turn:1]" in result.output and "Horror" in result.output
    result = _run("show", "--user", "u", "--home", home, "--json")
    assert json.loads(result.output)["unwanted_genres"][0]["genre"] == "Horror"
    out = tmp_path / "out" / "u.json"
    assert _run("export", "--user", "u", "--home", home, "--out", out).exit_code == 0
    data = json.loads(out.read_text())
    assert data["threads"] == ["t1"] and len(data["events"]) == 2
    result = _run("show", "--user", "nobody", "--home", home)
    assert isinstance(result.exception, UnknownUserError)


def test_cli_undo(home):
    result = _run("undo", "--user", "u", "--home", home)
    assert result.exit_code == 0 and "undid unwant_genre Horror" in result.output
    assert "undid like t:1" in _run("undo", "--user", "u", "--home", home).output
    assert "nothing to undo" in _run("undo", "--user", "u", "--home", home).output
    store = ProfileStore.from_settings(Settings(home=home))
    assert store.get("u").is_empty() and store.events("u")[-1].source == "cli:undo"


def test_cli_forget_needs_confirmation(home, monkeypatch):
    store = ProfileStore.from_settings(Settings(home=home))
    result = _run("forget", "--user", "u", "--home", home)  # CliRunner stdin is not a TTY
    assert result.exit_code == 2 and "--yes" in result.output and store.exists("u")
    monkeypatch.setattr(cli_profile, "_stdin_is_tty", lambda: True)
    result = _run("forget", "--user", "u", "--home", home, input="n\n")
    assert result.exit_code != 0 and "1 conversation thread" in result.output and store.exists("u")
    result = _run("forget", "--user", "u", "--home", home, input="y\n")
    assert result.exit_code == 0 and not store.exists("u") and store.users() == []


def test_cli_forget_yes(home):
    result = _run("forget", "--user", "u", "--home", home, "--yes")
    assert result.exit_code == 0 and "forgot 'u'" in result.output
    assert _run("users", "--home", home).output == ""
