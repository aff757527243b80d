"""A user catalog with its own interactions (issue 16): ingest ``--interactions``, train, ``eval cf``,
recommendations with a co-reader reason, unknown items as ``file:line``, profiles per catalog.

A synthetic book catalog and a planted co-reading signal (readers of *Dune* also read *Hyperion*),
the hashing embedder: fast, no model loaded."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.testing import HashingEmbedder

pytestmark = pytest.mark.usefixtures("hashing_embedder")  # conftest: no model load

GENRES = ["Fantasy", "Science Fiction", "History", "Poetry", "Young Adult", "Classics"]


def book_rows() -> list[tuple[str, str, str, str, str]]:
    rows = [("dune", "Dune", "A desert planet with spice and a messiah", "Science Fiction", "1965"),
            ("hyperion", "Hyperion", "Pilgrims tell their tales on a far world", "Science Fiction", "1989")]
    for i in range(40):
        genre = GENRES[i % len(GENRES)]
        rows.append((f"bk{i:03d}", f"Book {i} of {genre}", f"A {genre.lower()} story number {i}", genre,
                     str(1900 + i * 3)))
    return rows


def write_files(tmp_path):
    books = tmp_path / "books.csv"
    lines = ["id,title,description,genres,year"] + [",".join(r) for r in book_rows()]
    books.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rng = np.random.default_rng(7)
    others = [r[0] for r in book_rows()[2:]]
    inter = ["user,item,rating,timestamp"]
    for u in range(60):
        read = list(rng.choice(others, size=6, replace=False))
        if u < 20:  # the planted signal: these readers read Dune and Hyperion and liked both
            read += ["dune", "hyperion"]
        inter += [f"r{u},{item},{5 if item in ('dune', 'hyperion') else int(rng.integers(2, 6))},{1000 + k}"
                  for k, item in enumerate(read)]
    inter.append("r0,no-such-book,5,1")  # line 2 + number of rows before it
    (tmp_path / "reads.csv").write_text("\n".join(inter) + "\n", encoding="utf-8")
    return books, tmp_path / "reads.csv", len(inter)


@pytest.fixture
def trained(run_cli, tmp_path):
    books, reads, last_line = write_files(tmp_path)
    home = str(tmp_path / "home")
    code, out, err = run_cli("ingest", "--catalog", str(books), "--interactions", str(reads),
                             "--home", home)
    assert code == 0, err
    assert "42 added" in out and "interactions saved" in out
    assert f"skipped {reads}:{last_line}: unknown item 'no-such-book'" in err
    code, out, err = run_cli("train", "--catalog", "books", "--home", home)
    assert code == 0, err
    assert out.startswith("books: 60 users,") and "0 positives" not in out
    return home


def test_cf_for_a_user_catalog_cites_co_readers(trained, monkeypatch):
    from tastebud.tools import Toolkit

    services = Services(Settings(home=trained, catalog="books"), embedder=HashingEmbedder())
    services.profiles.like("reader", "u:dune", "test")
    _, payload = Toolkit(services, "books").recommend("reader", n=10)
    top = {item["item_id"]: item for item in payload["items"]}
    assert "u:hyperion" in top
    cf = [r["text"] for r in top["u:hyperion"]["reasons"] if r["source"] == "cf"]
    assert cf and "Dune (1965)" in cf[0]


def test_popularity_falls_back_to_interaction_counts(trained, run_cli, tmp_path):
    services = Services(Settings(home=trained, catalog="books"), embedder=HashingEmbedder())
    catalog = services.catalog()
    assert catalog.get("u:dune").popularity == 20 and catalog.get("u:hyperion").popularity == 20
    assert sum(item.popularity for item in catalog) == 60 * 6 + 40
    # a re-ingest of the catalog alone keeps the saved interactions and their counts
    code, out, _ = run_cli("ingest", "--catalog", str(tmp_path / "books.csv"), "--home", trained)
    assert code == 0 and "42 unchanged" in out


def test_eval_cf_on_a_user_catalog(trained, run_cli, tmp_path):
    code, out, err = run_cli("eval", "cf", "--catalog", "books", "--json", "--home", trained,
                             "--out", str(tmp_path / "report"))
    assert code == 0, err
    metrics = json.loads(out)
    assert metrics["catalog"] == "books" and metrics["split"]["items"] == 42
    assert {"popularity", "ease", "item-knn", "hybrid"} <= set(metrics["models"])
    assert "ease_vs_popularity" in metrics and (tmp_path / "report" / "metrics.json").is_file()


def test_eval_cf_without_interactions_says_so(run_cli, tmp_path):
    books, _, _ = write_files(tmp_path)
    home = str(tmp_path / "home")
    assert run_cli("ingest", "--catalog", str(books), "--home", home)[0] == 0
    code, _, err = run_cli("eval", "cf", "--catalog", "books", "--json", "--home", home)
    assert code == 2 and "no interactions" in err and "--interactions" in err


def test_profiles_are_kept_per_catalog(trained, run_cli):
    books = Services(Settings(home=trained, catalog="books"), embedder=HashingEmbedder())
    books.profiles.like("reader", "u:dune", "test")
    books.profiles.want_genre("reader", "Fantasy", "test")
    books.profiles.set_constraint("reader", "year_from", 1990, "test")
    movies = books.profile_store("movies")
    assert movies.get("reader").is_empty() and movies.get("reader").filters().year_from is None
    movies.like("reader", "ml:1", "test")
    assert books.profiles.get("reader").ids("liked") == ["u:dune"]
    code, out, _ = run_cli("profile", "show", "--user", "reader", "--catalog", "books",
                           "--home", trained)
    assert code == 0 and "catalog: books" in out and "liked: Dune (1965) [test]" in out and "u:dune" not in out
    assert "wanted genres: Fantasy" in out and "year_from=1990" in out
    code, out, _ = run_cli("profile", "export", "--user", "reader", "--catalog", "books",
                           "--home", trained)
    data = json.loads(out)
    assert code == 0 and data["catalog"] == "books" and data["titles"] == {"u:dune": "Dune (1965)"}
    assert [e["item_id"] for e in data["profile"]["liked"]] == ["u:dune"]
    assert all(e["change"].get("target") != "ml:1" for e in data["events"])
    # undo works per catalog: the movie like stays
    books.profiles.undo("reader")
    assert books.profiles.get("reader").year_from is None and movies.get("reader").ids("liked") == ["ml:1"]


def test_chat_on_a_user_catalog_recommends_the_co_read_title(trained):
    """The acceptance of issue 16 end to end: ingest with interactions, train, then chat."""
    from tastebud.agent import Assistant

    services = Services(Settings(home=trained, catalog="books"), embedder=HashingEmbedder())
    result = Assistant(services, checkpointer="memory").turn("I've read Dune and loved it, no poetry please",
                                                             user_id="chat-reader")
    profile = services.profiles.get("chat-reader")
    assert profile.ids("liked") == ["u:dune"] and profile.genres(wanted=False) == ["Poetry"]
    assert services.profile_store("movies").get("chat-reader").is_empty()
    top = {item["item_id"]: item for item in result.recommendations[:10]}
    assert "u:hyperion" in top and "Science Fiction" in top["u:hyperion"]["genres"]
    assert any(r["source"] == "cf" and "Dune (1965)" in r["text"] for r in top["u:hyperion"]["reasons"])
    assert not any("Poetry" in item["genres"] for item in result.recommendations)
    words = " ".join([result.reply, *(r["text"] for item in result.recommendations for r in item["reasons"])])
    assert not any(w in words.lower() for w in ("film", "movie", "watched"))


def test_ui_checks_the_catalog_before_starting(monkeypatch, run_cli, tmp_path):
    monkeypatch.setattr("tastebud.ui.serve", lambda *a, **k: pytest.fail("the page must not start"))
    code, _, err = run_cli("ui", "--catalog", "nope", "--home", str(tmp_path / "home"))
    assert code == 2 and "unknown catalog 'nope'" in err
