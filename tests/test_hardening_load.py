"""Load: concurrent visitors through the launched page's ``/chat`` API (a bounded run)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tastebud.agent import Assistant
from tastebud.evals import cli_hardening
from tastebud.evals.load import format_load, pick_dislikes, run_load

pytestmark = [pytest.mark.slow, pytest.mark.load]


def test_dislikes_are_distinct_obscure_and_linkable(real_services):
    picked = pick_dislikes(real_services, 20)
    assert len({i for i, _ in picked}) == 20 and len({t for _, t in picked}) == 20
    catalog = real_services.catalog()
    assert all(catalog.get(i).popularity <= 5 for i, _ in picked)


@pytest.mark.timeout(600)
def test_concurrent_visitors_no_errors_no_leaks(real_services, capsys):
    assistant = Assistant(real_services, checkpointer="sqlite")
    res = run_load(assistant=assistant, visitors=20, turns=5, turn_timeout=120, deadline=480)
    assert capsys.readouterr().out == ""  # nothing on stdout: `tastebud bench load --json` prints only JSON
    print(format_load(res))
    assert res["errors"] == [] and res["leaks"] == [] and res["integrity"] == {}
    assert res["turns_done"] == 100 and res["latency"]["p95_ms"] > 0
    assert "p95" in format_load(res)


def test_bench_load_command_registers_under_bench(monkeypatch):
    import typer

    from tastebud.evals import cli_dialogues

    app, eval_app = typer.Typer(), typer.Typer()
    ran = []
    monkeypatch.setattr("tastebud.evals.bench.run_all", lambda quick=False: ran.append(quick) or {})
    monkeypatch.setattr("tastebud.evals.bench.format_results", lambda results: "speed figures")
    cli_dialogues.register(app, eval_app)
    cli_hardening.register(app, eval_app)
    fake = {"visitors": 2, "turns": 1, "turns_done": 2, "errors": [], "error_count": 0, "leaks": [],
            "leak_count": 0, "latency": {"n": 0}, "seconds": 0.1, "integrity": {}, "backend": "x"}
    monkeypatch.setattr("tastebud.evals.load.run_load", lambda **kw: {**fake, **kw})
    out = CliRunner().invoke(app, ["bench", "load", "--visitors", "2", "--turns", "1", "--json"])
    assert out.exit_code == 0, out.output
    assert '"visitors": 2' in out.output
    assert CliRunner().invoke(app, ["bench", "--quick"]).exit_code == 0 and ran == [True]
    monkeypatch.setattr("tastebud.evals.load.run_load", lambda **kw: {**fake, "error_count": 1, "errors": ["x"]})
    assert CliRunner().invoke(app, ["bench", "load"]).exit_code == 1
