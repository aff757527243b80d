"""Turn-understanding eval: effective state, field comparison, case schema, and a tiny offline run."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest
from typer.testing import CliRunner

from tastebud.catalog import Catalog, Item
from tastebud.evals.dialogue_schema import DialogueSuiteError
from tastebud.evals.understanding_cases import Case, canonical_expect, case_files, load_cases
from tastebud.evals.understanding_checks import EffectiveState, compare_case, effective_state, turn_refs

SAMPLE = "understanding_sample.yaml"


def _genres(*names):
    return [{"genre": g, "source": "turn:1", "at": "t"} for g in names]


def _items(*ids):
    return [{"item_id": i, "source": "turn:1", "at": "t"} for i in ids]


def _years(**bounds):
    return {k: {"value": v, "source": "turn:1", "at": "t"} for k, v in bounds.items()}


# -- effective state ---------------------------------------------------------------------------

def test_effective_state_of_nothing_is_empty():
    assert effective_state(None) == EffectiveState() == effective_state({"session": None})


def test_effective_state_profile_plus_session_and_session_wins():
    profile = {"liked": _items("ml:1"), "seen": _items("ml:2"), "wanted_genres": _genres("Comedy", "Drama"),
               "unwanted_genres": _genres("Horror"), "constraints": _years(year_from=1990, year_to=2000),
               "session": {"wanted_genres": _genres("horror"), "unwanted_genres": _genres("Drama"),
                           "constraints": _years(year_to=1995)}}
    now = effective_state(profile)
    assert now.liked == {"ml:1"} and now.seen == {"ml:2"} and not now.disliked
    assert now.wanted_genres == {"comedy", "horror"} and now.unwanted_genres == {"drama"}
    assert (now.year_from, now.year_to) == (1990, 1995)
    fresh = effective_state(profile, session=False)
    assert fresh.wanted_genres == {"comedy", "drama"} and fresh.unwanted_genres == {"horror"}
    assert (fresh.year_from, fresh.year_to) == (1990, 2000)


def test_turn_refs_prefers_explained_then_item_details():
    recs = [{"item_id": "ml:5"}, {"item_id": "ml:6"}]
    assert turn_refs({"recommendations": recs, "explained": [{"item_id": "ml:9"}]}) == {"prev": ["ml:5", "ml:6"],
                                                                                         "discussed": "ml:9"}
    steps = [{"tool": "recommend", "args": {}}, {"tool": "item_details", "args": {"item": "ml:7"}}]
    assert turn_refs({"tool_steps": steps})["discussed"] == "ml:7"
    assert turn_refs(None) == {"prev": [], "discussed": None}


# -- comparison --------------------------------------------------------------------------------

BEFORE = {"liked": _items("ml:1"), "disliked": _items("ml:2"), "wanted_genres": _genres("Comedy"),
          "unwanted_genres": _genres("Horror"), "constraints": _years(year_from=1990)}
REFS = {"prev": ["ml:5", "ml:6"], "discussed": "ml:9"}


def _diff(expect, after_changes, *, result=None, before=BEFORE, fresh_changes=None):
    after = {**before, **after_changes}
    fresh = {**after, **(fresh_changes or {})}
    fresh.pop("session", None)
    return compare_case(expect, effective_state(before), effective_state(after), effective_state(fresh, session=False),
                        {"reply": "", **(result or {})}, REFS)


def _fields(diffs):
    return [d.field for d in diffs]


@pytest.mark.parametrize("name, other", [("liked", "disliked"), ("disliked", "seen"), ("seen", "liked")])
def test_item_lists_are_exact_sets_of_additions(name, other):
    current = [e["item_id"] for e in BEFORE.get(name, [])]
    added = {name: _items(*current, "ml:5")}
    assert _diff({name: ["prev:1"]}, added) == []
    assert _fields(_diff({name: ["prev:2"]}, added)) == [name]
    assert _fields(_diff({}, added)) == [name]  # not given: nothing may be added
    assert _fields(_diff({name: ["ml:5"]}, {})) == [name]
    two = _diff({name: ["ml:5"], other: []}, {name: _items(*current, "ml:5", "ml:7")})
    assert str(two[0]).startswith(f"{name}: expected [ml:5], got [ml:5, ml:7]")


def test_discussed_ref():
    assert _diff({"liked": ["discussed"]}, {"liked": _items("ml:1", "ml:9")}) == []
    assert _fields(_diff({"liked": ["discussed"]}, {"liked": _items("ml:1", "ml:5")})) == ["liked"]
    nothing = compare_case({"seen": ["prev:3"]}, EffectiveState(), EffectiveState(), EffectiveState(), {}, REFS)
    assert str(nothing[0]) == "seen: expected [prev:3 (unresolved)], got []"


@pytest.mark.parametrize("name, existing", [("wanted_genres", "Comedy"), ("unwanted_genres", "Horror")])
def test_genre_additions_case_insensitive_and_session_counts(name, existing):
    assert _diff({name: ["Drama"]}, {name: _genres(existing, "drama")}) == []
    in_session = {"session": {name: _genres("Drama")}}
    assert _diff({name: ["Drama"]}, in_session) == []
    assert _fields(_diff({}, in_session)) == [name]
    assert _fields(_diff({name: ["Drama", "War"]}, in_session)) == [name]


def test_years_given_null_and_not_given():
    assert _diff({"year_to": 2000}, {"constraints": _years(year_from=1990, year_to=2000)}) == []
    assert _fields(_diff({"year_to": 1999}, {"constraints": _years(year_from=1990, year_to=2000)})) == ["year_to"]
    assert _fields(_diff({}, {"constraints": _years(year_from=1980)})) == ["year_from"]  # not given: unchanged
    assert _diff({}, {"session": {"constraints": _years(year_from=1990)}}) == []  # same value in effect
    cleared = {"constraints": {}}
    assert _diff({"year_from": None, "removed_years": ["year_from"]}, cleared) == []
    assert _fields(_diff({"year_from": None}, cleared)) == ["removed"]


def test_removed_genres_items_and_moves():
    gone = {"wanted_genres": [], "liked": []}
    assert _diff({"removed_genres": ["comedy"], "removed_items": ["ml:1"]}, gone) == []
    assert _fields(_diff({"removed_genres": ["Comedy"]}, gone)) == ["removed"]
    assert _fields(_diff({"removed_items": ["ml:1"]}, {})) == ["removed"]
    moved = {"liked": [], "disliked": _items("ml:2", "ml:1")}  # a move is an addition, not a removal
    assert _diff({"disliked": ["ml:1"]}, moved) == []


def test_not_found_needs_the_report_and_the_reply():
    result = {"not_found": ["Blorptastic Voyage"], "reply": "I can't find blorptastic voyage in the catalog."}
    assert _diff({"not_found": ["blorptastic voyage"]}, {}, result=result) == []
    assert _diff({"not_found": ["Blorptastic"]}, {}, result=result) == []  # substring either way
    assert _fields(_diff({"not_found": ["Zog"]}, {}, result=result)) == ["not_found"]
    quiet = {**result, "reply": "Here are some picks."}
    assert "reply lacks" in str(_diff({"not_found": ["Blorptastic"]}, {}, result=quiet)[0])
    assert _fields(_diff({}, {}, result=result)) == ["not_found"]  # not given: nothing reported


def test_asks_must_ask_and_not_record():
    result = {"uncertain": [{"span": "alien", "item_id": "ml:5", "label": "Alien (1979)"}]}
    assert _diff({"asks": "ml:5"}, {}, result=result) == []
    assert _diff({"asks": "prev:1"}, {}, result=result) == []
    recorded = _diff({"asks": "ml:5", "liked": ["ml:5"]}, {"liked": _items("ml:1", "ml:5")}, result=result)
    assert _fields(recorded) == ["asks"] and "recorded" in recorded[0].got
    assert _fields(_diff({"asks": "ml:6"}, {}, result=result)) == ["asks"]
    assert _fields(_diff({}, {}, result=result)) == ["asks"]  # not given: no question


def test_session_only():
    session = {"session": {"unwanted_genres": _genres("War"), "constraints": _years(year_to=2000)}}
    expect = {"unwanted_genres": ["War"], "year_to": 2000}
    assert _diff({**expect, "session_only": True}, session) == []
    assert _fields(_diff({**expect, "session_only": False}, session)) == ["session_only"]
    lasting = {"unwanted_genres": _genres("Horror", "War"), "constraints": _years(year_from=1990, year_to=2000)}
    assert _diff({**expect, "session_only": False}, lasting) == []
    assert _fields(_diff({**expect, "session_only": True}, lasting)) == ["session_only"]


# -- schema ------------------------------------------------------------------------------------

def _catalog():
    return Catalog("t", [Item("ml:1", "Toy Story", 1995, ["Animation", "Comedy"]),
                         Item("ml:2", "Heat", 1995, ["Crime"]), Item("ml:3", "Heat", 1995, ["Drama"]),
                         Item("ml:4", "Alien", 1979, ["Horror", "Sci-Fi"])])


def _write(tmp_path, text, name="cases.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """
cases:
  - id: c1
    category: liked
    turns: ["loved toy story", "and alien"]
    expect: {liked: ["Alien (1979)"], removed: ["comedy", "year_to", "toy story (1995)", "prev:2"],
             unwanted_genres: [scifi], year_from: null, asks: discussed}
"""


def test_load_and_canonical_expect(tmp_path):
    cases = load_cases(_write(tmp_path, GOOD), _catalog())
    exp = canonical_expect(cases[0], _catalog())
    assert exp == {"liked": ["ml:4"], "unwanted_genres": ["Sci-Fi"], "year_from": None,
                   "removed_items": ["ml:1", "prev:2"], "removed_genres": ["Comedy"], "removed_years": ["year_to"],
                   "asks": "discussed"}
    assert "year_to" not in exp and "not_found" not in exp


@pytest.mark.parametrize("old, new, message", [
    ("category: liked", "category: likes", "category"),
    ('"Alien (1979)"', '"Alien (1980)"', "names no catalog item"),
    ('"Alien (1979)"', '"Heat (1995)"', "2 catalog items"),
    ("[scifi]", "[westerns]", "unknown genre"),
    ('"comedy", ', '"nonsense", ', "neither a year bound"),
    ('turns: ["loved toy story", "and alien"]', 'turns: ["and alien"]', "needs two turns"),
    ('turns: ["loved toy story", "and alien"]', 'turns: ["a", "b", "c"]', "turns"),
    ("year_from: null", "year_from: soon", "year_from"),
    ("asks: discussed", "asked: discussed", "asked"),
])
def test_schema_errors_name_the_file_and_case(tmp_path, old, new, message):
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new), "broken.yaml")
    with pytest.raises(DialogueSuiteError) as info:
        load_cases(path, _catalog())
    assert str(path) in str(info.value) and message in str(info.value)
    assert info.value.exit_code == 2


def test_file_level_errors(tmp_path):
    with pytest.raises(DialogueSuiteError, match="used twice"):
        load_cases(_write(tmp_path, GOOD + GOOD.split("cases:")[1]))
    with pytest.raises(DialogueSuiteError, match="non-empty 'cases' list"):
        load_cases(_write(tmp_path, "cases: []\n"))
    with pytest.raises(DialogueSuiteError, match="not valid YAML"):
        load_cases(_write(tmp_path, "cases: [\n"))
    with pytest.raises(DialogueSuiteError, match="unknown split"):
        case_files("dev", tmp_path)
    with pytest.raises(DialogueSuiteError, match="no such case file"):
        case_files("holdout", tmp_path)
    assert isinstance(load_cases(_write(tmp_path, GOOD))[0], Case)  # no catalog: schema only


# -- a tiny offline run ------------------------------------------------------------------------

@pytest.mark.slow
def test_runner_on_a_tiny_case_file(real_services, data_dir, tmp_path):
    from tastebud.evals.understanding import format_table, load_splits, run_cases, write_understanding_report

    splits = load_splits({"tune": data_dir / SAMPLE, "holdout": data_dir / SAMPLE}, real_services.catalog("movies"))
    seen, users = [], real_services.profiles.users()
    run = run_cases(splits, real_services, progress=seen.append)
    assert len(seen) == 6 and {r.split for r in run.results} == {"tune", "holdout"}
    metrics = run.metrics()
    assert set(metrics) == {"tune", "holdout"}
    tune = metrics["tune"]
    assert tune["n"] == 3 and set(tune["per_category"]) == {"genres", "scope", "references"}
    assert tune["accuracy"] == round(tune["passed"] / 3, 4)
    hello = next(r for r in run.results if r.id == "scope-001")
    assert not hello.passed and hello.diffs == ["liked: expected [Toy Story (1995)], got []"]
    assert "all" in format_table(run) and real_services.profiles.users() == users  # profiles kept apart
    report = write_understanding_report(run, tmp_path / "report")["markdown"].read_text()
    assert "scope-001" in report and "(not listed; run with `--failures`)" in report
    both = write_understanding_report(run, tmp_path / "all", ("tune", "holdout"))["markdown"].read_text()
    assert both.count("scope-001") == 2


@pytest.mark.slow
def test_cli_json_and_exit_code(real_services, data_dir, tmp_path, monkeypatch):
    from tastebud.cli import app

    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(data_dir / SAMPLE, cases / "tune.yaml")
    monkeypatch.setattr("tastebud.services.Services", lambda settings=None: real_services)
    monkeypatch.setattr("tastebud.evals.understanding_cases.default_case_dir", lambda: cases)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", "understanding", "--json", "--split", "tune", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["tune"] and data["tune"]["n"] == 3 and data["tune"]["passed"] < 3
    assert json.loads((out / "metrics.json").read_text()) == data and (out / "report.md").exists()
    missing = CliRunner().invoke(app, ["eval", "understanding", "--split", "holdout", "--out", str(out)])
    assert isinstance(missing.exception, DialogueSuiteError)
