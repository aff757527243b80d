"""CLI command of the turn-understanding evaluation (registered by :mod:`tastebud.cli`).

* ``tastebud eval understanding [--json] [--split tune|holdout|all] [--out DIR] [--home DIR]
  [--failures]``: play the shipped cases on the offline assistant; accuracy per split and
  category. A measurement: it exits 0 whatever the accuracy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from tastebud.cli_options import HomeOpt

__all__ = ["register"]


def understanding(
    as_json: Annotated[bool, typer.Option("--json", help="Print only the figures, as JSON.")] = False,
    split: Annotated[str, typer.Option("--split", help="tune, holdout or all.")] = "all",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Report folder (default: $TASTEBUD_HOME/reports/understanding/<time>).")] = None,
    home: HomeOpt = None,
    failures: Annotated[bool, typer.Option(
        "--failures", help="List the failing cases of every split in report.md (default: tune only).")] = False,
) -> None:
    """Measure turn understanding: what each case's last turn changes in the profile, on the offline assistant."""
    from tqdm import tqdm

    from tastebud.services import Services
    from tastebud.settings import Settings

    from .reports import default_out_dir
    from .understanding import format_table, load_splits, run_cases, write_understanding_report
    from .understanding_cases import case_files

    overrides = {"home": home} if home is not None else {}
    settings = Settings(**overrides, backend="offline")
    services = Services(settings)
    files = case_files(split)
    splits = load_splits(files, services.catalog("movies"))  # validate before loading any model
    bar = tqdm(total=sum(len(c) for c in splits.values()), unit="case", desc="understanding", file=sys.stderr,
               disable=True if as_json else None)
    try:
        run = run_cases(splits, services, progress=lambda _: bar.update())
    finally:
        bar.close()
    shown = tuple(run.splits) if failures else ("tune",)
    written = write_understanding_report(run, out or default_out_dir("understanding", settings.home), shown)
    if as_json:
        typer.echo(json.dumps(run.metrics(), indent=2))
        return
    typer.echo(format_table(run), nl=False)
    typer.echo(f"report: {written['markdown']}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's command to the `eval` group."""
    eval_app.command("understanding")(understanding)
