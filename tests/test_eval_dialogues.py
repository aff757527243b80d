"""Scripted dialogue suites: schema validation, checks, the shipped suites offline, loud failures."""

from __future__ import annotations

import textwrap

import pytest
from typer.testing import CliRunner

from tastebud.catalog import Catalog, Item
from tastebud.cli import app
from tastebud.evals.dialogue_checks import TurnContext, evaluate
from tastebud.evals.dialogue_schema import DialogueSuiteError, Expectation, load_suite, load_suites

GOOD = """
suite: s
dialogues:
  - id: d
    turns:
      - user: "I loved Toy Story"
        expect:
          - includes: [ml:3114]
            top: 10
          - no_repeats
"""


def _write(tmp_path, text, name="suite.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_load_valid_suite(tmp_path):
    suite = load_suite(_write(tmp_path, GOOD))
    exps = suite.dialogues[0].turns[0].expect
    assert [e.check for e in exps] == ["includes", "no_repeats"] and exps[0].top == 10
    assert [e.check for e in suite.dialogues[0].always] == ["no_repeats", "reasons"]


@pytest.mark.parametrize("bad, message", [
    (GOOD.replace("includes: [ml:3114]", "includes: [ml:3114]\n            excludes: [ml:1]"), "exactly one of"),
    (GOOD.replace("- no_repeats", "- recomends: true"), "recomends"),
    (GOOD.replace("- no_repeats", "- reply_matches: '(unclosed'"), "bad regex"),
    (GOOD.replace("id: d", "id: 'bad id!'"), "dialogues[0]"),
    (GOOD.replace("      - user: \"I loved Toy Story\"", "      - usr: hi"), "turns[0]"),
    ("suite: s\ndialogues: []\n", "dialogues"),
    ("[1, 2]", "a suite is a mapping"),
    ("suite: s\ndialogues: [\n", "not valid YAML"),
])
def test_schema_errors_name_the_file(tmp_path, bad, message):
    path = _write(tmp_path, bad, "broken.yaml")
    with pytest.raises(DialogueSuiteError) as info:
        load_suite(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_duplicate_ids_and_missing_paths(tmp_path):
    dup = GOOD + "  - id: d\n    turns: [{user: hi}]\n"
    with pytest.raises(DialogueSuiteError, match="used twice"):
        load_suite(_write(tmp_path, dup))
    with pytest.raises(DialogueSuiteError, match="no such file"):
        load_suites([tmp_path / "nope.yaml"])


def test_cli_raises_schema_error_before_loading_models(tmp_path):
    path = _write(tmp_path, GOOD.replace("- no_repeats", "- bogus: 1"), "bad.yaml")
    result = CliRunner().invoke(app, ["eval", "dialogues", str(path)])
    assert isinstance(result.exception, DialogueSuiteError) and result.exception.exit_code == 2
    assert "bad.yaml" in str(result.exception) and "bogus" in str(result.exception)


def test_shipped_suites_cover_the_brief():
    suites = load_suites()
    ids = {d.id for s in suites for d in s.dialogues}
    assert len(ids) >= 25
    xfails = [e for s in suites for d in s.dialogues for t in d.turns for e in t.expect if e.xfail]
    # xfails are known product bugs kept visible; few, and each says so
    assert len(xfails) <= 10 and all(e.xfail.startswith("bug:") for e in xfails)


def _catalog():
    return Catalog("t", [Item("ml:1", "Toy Story", 1995, ["Animation", "Comedy"], ""),
                         Item("ml:2", "Heat", 1995, ["Crime"], "")])


def _ctx(recs, *, reply="", profile=None, earlier=()):
    rows = [{"item_id": i, "title": t, "year": y, "genres": g, "reasons": r} for i, t, y, g, r in recs]
    return TurnContext({"reply": reply, "recommendations": rows, "profile": profile or {}, "explained": []},
                       _catalog(), 5, list(earlier))


REC_1 = ("ml:1", "Toy Story", 1995, ["Animation", "Comedy"], [{"source": "cf", "text": "people liked it"}])
REC_2 = ("ml:2", "Heat", 1995, ["Crime"], [])
REC_X = ("ml:999", "Invented", 2030, ["Drama"], [{"source": "x", "text": "t"}])


@pytest.mark.parametrize("exp, recs, kwargs, ok, actual", [
    ({"includes": ["ml:1"]}, [REC_1], {}, True, "ml:1 Toy Story (1995)"),
    ({"excludes": ["ml:2"]}, [REC_1, REC_2], {}, False, "ml:2 Heat"),
    ({"includes": ["ml:2"], "top": 1}, [REC_1, REC_2], {}, False, "ml:1 Toy Story"),
    ({"none_has_genre": ["crime"]}, [REC_1, REC_2], {}, False, "ml:2 Heat (1995) ['Crime']"),
    ({"every_has_genre": ["Comedy"]}, [], {}, False, "no recommendations"),
    ({"year_between": [1996, None]}, [REC_1], {}, False, "ml:1"),
    ({"reasons": True}, [REC_1, REC_2], {}, False, "without a reason: ml:2"),
    ({"no_repeats": True}, [REC_1], {"earlier": ["ml:1"]}, False, "recommended again: ['ml:1']"),
    ({"in_catalog": True}, [REC_X], {}, False, "not in catalog: ml:999"),
    ({"recommends": False}, [], {}, True, "no recommendations"),
    ({"reply_not_matches": "titanic"}, [], {"reply": "People who liked TITANIC"}, False, "TITANIC"),
    ({"profile_has": {"liked": ["ml:1"], "constraints": {"year_from": 1990}}}, [],
     {"profile": {"liked": [{"item_id": "ml:1"}], "constraints": {"year_from": {"value": 1980}}}},
     False, "constraints.year_from=1980"),
    ({"profile_lacks": {"unwanted_genres": ["Horror"]}}, [],
     {"profile": {"unwanted_genres": [{"genre": "Horror"}]}}, False, "unwanted_genres=['Horror']"),
])
def test_checks(exp, recs, kwargs, ok, actual):
    passed, got = evaluate(Expectation.model_validate(exp), _ctx(recs, **kwargs))
    assert passed is ok and actual in got


@pytest.mark.slow
def test_shipped_dialogues_pass_offline(real_services, tmp_path):
    from tastebud.evals.dialogues import run_suites, write_dialogue_report

    run = run_suites(load_suites(), real_services, backend="offline default")
    bad = [o for o in run.outcomes if o.status in ("FAIL", "ERROR", "XPASS")]
    assert not bad, "\n".join(f"{o.status} {o.suite}/{o.dialogue} turn {o.turn}: {o.expectation} -> {o.actual}"
                              for o in bad)
    assert not run.failed
    paths = write_dialogue_report(run, tmp_path / "report")
    assert {"json", "markdown", "pass_rate"} <= set(paths) and "PASS" in paths["markdown"].read_text()


BROKEN = """
suite: broken
dialogues:
  - id: toy_story_must_not_get_sequels
    turns:
      - user: "I loved Toy Story"
        expect:
          - excludes: [ml:3114]
          - includes: [ml:3114]
            xfail: "bug: marked but it passes"
          - reply_matches: "toy story"
"""


@pytest.mark.slow
def test_broken_expectation_fails_loudly(real_services, tmp_path, monkeypatch):
    monkeypatch.setattr("tastebud.services.Services", lambda settings=None: real_services)
    path = _write(tmp_path, BROKEN, "broken.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", "dialogues", str(path), "--out", str(out)])
    text = result.output
    assert result.exit_code == 1, text
    assert "FAIL" in text and "excludes ['ml:3114']" in text and "ml:3114 Toy Story 2 (1999)" in text
    assert "XPASS" in text and "toy_story_must_not_get_sequels" in text
    assert (out / "metrics.json").exists() and (out / "pass_rate.png").exists()
    compared = CliRunner().invoke(app, ["eval", "compare", str(out), str(out)])
    assert compared.exit_code == 0 and "| fail | 1 | 1 | 0 |" in compared.output


def test_prev_references_resolve_to_the_previous_list():
    from tastebud.evals.dialogue_checks import TurnContext

    ctx = TurnContext({}, None, 5, previous=["ml:1", "ml:2", "ml:3"])
    assert ctx.resolve(["prev:2", "ml:9", "prev:7"]) == ["ml:2", "ml:9", "prev:7"]
