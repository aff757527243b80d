"""Report helpers: metrics.json / report.md / PNG, and run comparison."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tastebud.cli import app
from tastebud.evals.reports import ReportError, compare_runs, flatten_metrics, write_report


def test_write_report_files(tmp_path):
    paths = write_report(tmp_path / "run", {"recall@10": 0.2, "suites": {"a": {"pass_rate": 1.0}}},
                         "| k | r |\n|---|---|\n| 10 | 0.2 |", plots={"curve": lambda ax: ax.plot([1, 10], [0.1, 0.2])},
                         title="T")
    assert json.loads(paths["json"].read_text())["suites"]["a"]["pass_rate"] == 1.0
    md = paths["markdown"].read_text()
    assert md.startswith("# T") and "| 10 | 0.2 |" in md and "![curve](curve.png)" in md
    assert paths["curve"].read_bytes()[:4] == b"\x89PNG"


def test_flatten_skips_non_numbers():
    flat = flatten_metrics({"a": 1, "b": {"c": 2.5, "d": "x", "e": True, "f": float("nan")}, "g": [1]})
    assert flat == {"a": 1.0, "b.c": 2.5}


def test_compare_runs_table(tmp_path):
    write_report(tmp_path / "a", {"recall@10": 0.2, "n": 10, "only_a": 1, "s": {"x": 0.5}}, "")
    write_report(tmp_path / "b", {"recall@10": 0.25, "n": 10, "s": {"x": 0.25}}, "")
    text = compare_runs(tmp_path / "a", tmp_path / "b")
    lines = text.splitlines()
    assert lines[0] == "| metric | A | B | B − A | change |"
    assert "| recall@10 | 0.2000 | 0.2500 | +0.0500 | +25.0% |" in lines
    assert "| n | 10 | 10 | 0 | +0.0% |" in lines
    assert "| s.x | 0.5000 | 0.2500 | -0.2500 | -50.0% |" in lines
    assert "In one run only (1): only_a" in text


def test_compare_errors(tmp_path):
    write_report(tmp_path / "a", {"x": 1}, "")
    write_report(tmp_path / "b", {"y": 1}, "")
    with pytest.raises(ReportError, match="share no numeric metric"):
        compare_runs(tmp_path / "a", tmp_path / "b")
    with pytest.raises(ReportError, match="no metrics.json"):
        compare_runs(tmp_path / "a", tmp_path / "missing")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "metrics.json").write_text("[1, 2]")
    with pytest.raises(ReportError, match="not a JSON object"):
        compare_runs(tmp_path / "c", tmp_path / "a")


def test_compare_cli(tmp_path):
    write_report(tmp_path / "a", {"pass_rate": 0.5}, "")
    write_report(tmp_path / "b", {"pass_rate": 1.0}, "")
    result = CliRunner().invoke(app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "| pass_rate | 0.5000 | 1 | +0.5000 | +100.0% |" in result.output


def test_cf_report_files(tmp_path):
    from tastebud.evals.cf_report import write_cf_report

    metrics = {"catalog": "movies", "k": 20, "seed": 42, "models": {
        "popularity": {"recall@20": 0.17, "ndcg@20": 0.15, "coverage": 0.01, "diversity": 0.74},
        "ease": {"recall@20": 0.31, "ndcg@20": 0.27, "coverage": 0.05, "diversity": 0.77}}}
    paths = write_cf_report(metrics, tmp_path)
    assert {p.name for p in paths.values()} == {"metrics.json", "report.md", "metrics.png"}
    assert "| ease | 0.3100 |" in paths["markdown"].read_text()
    assert paths["png"].read_bytes()[:4] == b"\x89PNG"


def test_cf_report_folds_and_ratio(tmp_path):
    from tastebud.evals.cf_report import markdown_table

    recall = {"popularity": 0.2, "ease": 0.38}
    metrics = {"catalog": "movies", "k": 20, "seed": 42, "ease_vs_popularity": 1.9,
               "models": {name: {"recall@20": r} for name, r in recall.items()},
               "folds": [{"heldout_users": 10, "ease_lambda": 100.0, "recall@20": recall, "ease_vs_popularity": 1.9}]}
    table = markdown_table(metrics)
    assert "EASE / popularity recall@20: **1.900×**" in table
    assert "| 1 | 10 | 100 | 0.2000 | 0.3800 | 1.900 |" in table
