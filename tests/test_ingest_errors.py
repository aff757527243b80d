"""Clear input errors of ``tastebud ingest``: encoding, delimiter, missing path, duplicates,
a user catalog named like a shipped one (issue 16). The hashing embedder keeps them fast."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.usefixtures("hashing_embedder")  # conftest: no model load

BOOKS = [("b1", "Dune", "A desert planet and a messiah", "Science Fiction", "1965"),
         ("b2", "The Hobbit", "A hobbit, a dragon and a long walk", "Fantasy", "1937"),
         ("b3", "Beloved", "A mother haunted by the past", "History", "1987"),
         ("b4", "Café Society", "Paris cafés, élan and résumés", "Fiction", "2001")]


def write_books(path, *, sep=",", encoding="utf-8", rows=BOOKS):
    lines = [sep.join(["id", "title", "description", "genres", "year"])]
    lines += [sep.join(f'"{v}"' if sep in v else v for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def ingest(run_cli, home, path, *extra):
    return run_cli("ingest", "--catalog", str(path), "--home", str(home), *extra)


@pytest.mark.parametrize("encoding, detected", [("latin-1", None), ("utf-16", "utf_16")])
def test_not_utf8_is_one_line_naming_encoding_and_option(run_cli, tmp_path, encoding, detected):
    path = write_books(tmp_path / "books.csv", encoding=encoding)
    code, _, err = ingest(run_cli, tmp_path / "home", path)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err
    assert "is not UTF-8 (detected encoding:" in lines[0] and "--encoding" in lines[0]
    if detected:
        assert detected in lines[0]
    code, out, err = ingest(run_cli, tmp_path / "home", path, "--encoding", encoding)
    assert code == 0 and "4 added" in out, err


def test_latin1_with_encoding_keeps_accents(run_cli, tmp_path):
    path = write_books(tmp_path / "books.csv", encoding="latin-1")
    code, out, _ = ingest(run_cli, tmp_path / "home", path, "--encoding", "latin-1")
    assert code == 0
    code, out, _ = run_cli("search", "paris cafe", "--json", "--catalog", "books",
                           "--home", str(tmp_path / "home"))
    assert "Café Society" in [h["title"] for h in json.loads(out)]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_delimiter_is_sniffed(run_cli, tmp_path, sep):
    path = write_books(tmp_path / "books.csv", sep=sep)
    code, out, err = ingest(run_cli, tmp_path / "home", path)
    assert code == 0 and "4 added" in out and "skipped" not in err


def test_a_file_no_delimiter_splits_names_the_option(run_cli, tmp_path):
    path = write_books(tmp_path / "books.csv", sep="|")  # neither given nor sniffed
    code, _, err = ingest(run_cli, tmp_path / "home", path)
    assert code == 2 and "missing column(s) id, title" in err and "--delimiter" in err


def test_a_delimiter_absent_from_this_files_header_is_sniffed_instead(run_cli, tmp_path):
    # one --delimiter serves the catalog and its interactions file (tests/test_domain_outside.py)
    path = write_books(tmp_path / "books.csv", sep=";")
    code, out, err = ingest(run_cli, tmp_path / "home", path, "--delimiter", ",")
    assert code == 0 and "4 added" in out


def test_explicit_delimiter(run_cli, tmp_path):
    path = write_books(tmp_path / "books.csv", sep="\t")
    code, out, _ = ingest(run_cli, tmp_path / "home", path, "--delimiter", "tab")
    assert code == 0 and "4 added" in out


def test_missing_path(run_cli, tmp_path):
    code, _, err = ingest(run_cli, tmp_path / "home", "data/nope.csv")
    assert code == 2 and err.strip() == "error: file not found: data/nope.csv"


def test_missing_interactions_path(run_cli, tmp_path):
    path = write_books(tmp_path / "books.csv")
    code, _, err = ingest(run_cli, tmp_path / "home", path, "--interactions", str(tmp_path / "no.csv"))
    assert code == 2 and err.strip().endswith(f"file not found: {tmp_path / 'no.csv'}")


def test_duplicate_id_reported_once(run_cli, tmp_path):
    path = write_books(tmp_path / "books.csv", rows=[*BOOKS, ("b2", "Hobbit again", "x", "Fantasy", "1937")])
    code, out, err = ingest(run_cli, tmp_path / "home", path)
    assert code == 0 and "4 added" in out
    assert err.count("duplicate id 'b2'") == 1 and f"skipped {path}:6: duplicate id 'b2'" in err


def test_user_catalog_named_like_shipped_one_is_refused(run_cli, tmp_path):
    path = write_books(tmp_path / "movies.csv")
    home = tmp_path / "home"
    code, _, err = ingest(run_cli, home, path)
    assert code == 2 and "cannot be named 'movies' like a shipped catalog" in err and "rename" in err
    assert not (home / "catalogs" / "movies").exists()
