"""Issue 16's outside check, as tests: a board-game catalog (JSONL, UTF-8) with a Latin-1 TSV of
plays, read with one ``--encoding``/``--delimiter``; multi-word genre names with typos; popularity
reasons that fit a small catalog; ``profile show`` without ``--user``."""

from __future__ import annotations

import json

import pytest
from tastebud.explain import reasons
from tastebud.interactions import InteractionMapping, load_interactions
from tastebud.loaders import ColumnMapping, LoadReport, load_user_catalog
from tastebud.nlu import TitleLinker, parse_turn
from tastebud.recommenders import Recommendation
from tastebud.recommenders.evidence import Evidence
from tastebud.textfiles import TextFormat, check_readable, sniff_delimiter
from tastebud.vocabulary import GenreVocabulary

GAMES = [
    ("g1", "Ember Kingdoms", 2016, ["Deck Building", "Engine Building"], "Draft cards in a café by the sea."),
    ("g2", "Salt Merchants", 2018, ["Deck Building", "Worker Placement"], "Trade salt; designer Ana Müller."),
    ("g3", "Velvet Citadels", 2012, ["Social Deduction", "Party Game"], "Bluff your way into the court."),
    ("g4", "Clockwork Railways", 1974, ["Classics", "Abstract Strategy"], "Lay track across the valley."),
    ("g5", "Frozen Harvest", 2020, ["Cooperative", "Worker Placement"], "Survive the winter together."),
]


def _write_games(path) -> None:
    path.write_text("".join(json.dumps({"id": gid, "title": title, "year": year, "genres": genres,
                                        "description": text}, ensure_ascii=False) + "\n"
                            for gid, title, year, genres, text in GAMES), encoding="utf-8")


@pytest.fixture
def games(tmp_path):
    path = tmp_path / "boardgames.jsonl"
    _write_games(path)
    return path


def test_one_encoding_for_a_utf8_catalog_and_a_latin1_interactions_file(games, tmp_path):
    plays = tmp_path / "plays.tsv"
    plays.write_text("player\tgame\tscore\nZoë\tg1\t5\nZoë\tg2\t4\nJosé\tg1\t5\nJosé\tg9\t5\n", encoding="latin-1")
    fmt = TextFormat(encoding="latin-1")  # `tastebud ingest --encoding latin-1`: meant for the plays
    assert check_readable(games, fmt).encoding is None  # valid UTF-8 with accents: read as UTF-8
    assert check_readable(plays, fmt).encoding == "latin-1"
    catalog = load_user_catalog(games, ColumnMapping(), fmt=fmt)
    assert "café" in catalog.get("u:g1").overview and "Müller" in catalog.get("u:g2").overview
    report = LoadReport()
    table = load_interactions(plays, catalog, InteractionMapping(user_col="player", item_col="game",
                                                                 rating_col="score"), report=report, fmt=fmt)
    assert sorted(set(table.user.tolist())) == ["José", "Zoë"] and len(table) == 3
    assert report.problems == [f"{plays}:5: unknown item 'g9' (not in catalog 'boardgames')"]


def test_one_delimiter_for_files_with_different_separators(tmp_path):
    semi = tmp_path / "games.csv"
    semi.write_text("id;title;genres\ng1;Ember Kingdoms;Deck Building\n", encoding="utf-8")
    comma = tmp_path / "plays.csv"
    comma.write_text("user,item\nann,g1\n", encoding="utf-8")
    fmt = TextFormat(delimiter=";")
    assert sniff_delimiter(semi, fmt) == ";"
    assert sniff_delimiter(comma, fmt) == ","  # ';' is not in its header: sniffed instead
    catalog = load_user_catalog(semi, ColumnMapping(), fmt=fmt)
    assert len(load_interactions(comma, catalog, report=LoadReport(), fmt=fmt)) == 1


def test_misspelt_multi_word_genres():
    vocabulary = GenreVocabulary(["Worker Placement", "Party Game", "Young Adult", "Deck Building"])
    assert vocabulary.fuzzy_phrase(["worker", "placment"]) == "Worker Placement"
    assert vocabulary.fuzzy_phrase(["wroker", "placements"]) == "Worker Placement"
    assert vocabulary.fuzzy_phrase(["yuong", "adult"]) == "Young Adult"
    assert vocabulary.fuzzy_phrase(["party", "time"]) is None  # short words must be exact
    assert vocabulary.fuzzy_phrase(["worker", "placement"]) is None  # exact: the phrases match it
    assert vocabulary.fuzzy_phrase(["worker", "placment"], genres=["Party Game"]) is None


@pytest.mark.parametrize(("text", "wanted", "unwanted"), [
    ("no worker placment games", [], ["Worker Placement"]),
    ("cooperative games but no deck bulding", ["Cooperative"], ["Deck Building"]),
    ("any good party time games?", [], []),
])
def test_genre_typos_in_messages(games, text, wanted, unwanted):
    parse = parse_turn(text, TitleLinker(load_user_catalog(games, ColumnMapping())))
    assert (parse.wanted_genres, parse.unwanted_genres) == (wanted, unwanted)


def test_popularity_reason_fits_the_catalog_size(games):
    catalog = load_user_catalog(games, ColumnMapping())
    item = catalog.get("u:g3")

    def texts(rank, **evidence):
        rec = Recommendation(item, 1.0, Evidence(popularity_rank=rank, **evidence))
        return [r["text"] for r in reasons(rec, catalog) if r["source"] == "popularity"]

    assert texts(1) == [f"{catalog.domain.popular} (#1 of 5 here)"]
    assert texts(3) == ["#3 of 5 by popularity here"]  # the middle of five is not "widely" anything
    assert texts(3, matched_genres=["Party Game"]) == []


def test_profile_show_defaults_to_the_chat_user(tmp_path):
    from tastebud.cli import app
    from tastebud.profile import ProfileStore, profile_db_path
    from tastebud.settings import Settings
    from typer.testing import CliRunner

    ProfileStore(profile_db_path(Settings(home=tmp_path)), catalog="movies").like("local", "ml:1", "turn:1")
    result = CliRunner().invoke(app, ["profile", "show", "--home", str(tmp_path), "--catalog", "movies"])
    assert result.exit_code == 0, result.output
    assert "user: local" in result.output and "liked: Toy Story (1995)" in result.output
