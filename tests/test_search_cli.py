"""Acceptance of the search command on the shipped movie catalog with the real model."""

import json

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def home(real_services):
    return str(real_services.settings.home)


def test_space_query_mostly_scifi(run_cli, home):
    code, out, _ = run_cli("search", "A space adventure with aliens and time travel",
                           "--k", "10", "--json", "--home", home)
    hits = json.loads(out)
    assert code == 0 and len(hits) == 10
    assert {"item_id", "title", "year", "genres", "score"} <= set(hits[0])
    assert sum("Sci-Fi" in h["genres"] for h in hits) >= 8
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_exclude_genre(run_cli, home):
    code, out, _ = run_cli("search", "A space adventure with aliens and time travel",
                           "--k", "10", "--json", "--exclude-genre", "Sci-Fi", "--home", home)
    hits = json.loads(out)
    assert code == 0 and len(hits) == 10 and not any("Sci-Fi" in h["genres"] for h in hits)


def test_year_range(run_cli, home):
    code, out, _ = run_cli("search", "I like science fiction movies", "--year-from", "1990",
                           "--year-to", "1999", "--json", "--home", home)
    hits = json.loads(out)
    assert code == 0 and len(hits) == 10 and all(1990 <= h["year"] <= 1999 for h in hits)


def test_filters_combine(run_cli, home):
    code, out, _ = run_cli("search", "funny", "--genre", "comedy", "--genre", "romance",
                           "--exclude-genre", "drama", "--year-from", "2000", "--json", "--home", home)
    hits = json.loads(out)
    assert code == 0 and hits
    assert all({"Comedy", "Romance"} <= set(h["genres"]) and "Drama" not in h["genres"] and h["year"] >= 2000
               for h in hits)


def test_unknown_genre_lists_valid(run_cli, home):
    code, out, err = run_cli("search", "space", "--genre", "polka", "--home", home)
    assert code == 2 and out == ""
    assert "unknown genre 'polka'" in err and "Sci-Fi" in err and "Western" in err


def test_empty_query_exit_2(run_cli, home):
    code, _, err = run_cli("search", "   ", "--home", home)
    assert code == 2 and "empty" in err


def test_plain_output_and_no_match(run_cli, home):
    code, out, _ = run_cli("search", "space", "--k", "3", "--home", home)
    assert code == 0 and out.count("\n") == 3
    code, out, _ = run_cli("search", "space", "--year-from", "2100", "--home", home)
    assert code == 0 and "no items match" in out


def test_usage_error_exit_2(run_cli, home):
    code, _, _ = run_cli("search", "space", "--k", "0", "--home", home)
    assert code == 2
