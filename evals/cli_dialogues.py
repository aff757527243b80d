"""CLI commands of the dialogues evaluation (registered by :mod:`tastebud.cli`).

* ``tastebud eval dialogues [PATHS] [--backend ...] [--out DIR]``: run scripted dialogue suites;
* ``tastebud eval compare RUN_A RUN_B``: deltas of the numeric metrics of two report folders;
* ``tastebud bench [--json]``: the speed benchmarks in one process; ``--items N``: search at scale
  (:mod:`.bench_scale`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tastebud.cli_options import BackendOpt, BaseUrlOpt, HomeOpt, ModelOpt

__all__ = ["register"]


def dialogues(
    paths: Annotated[list[Path] | None, typer.Argument(help="Suite files or folders (default: the shipped suites).")] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: $TASTEBUD_HOME/reports/dialogues/<time>).")] = None,
    home: HomeOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on XPASS (an xfail mark that no longer fails).")] = False,
) -> None:
    """Run scripted dialogues; print a pass/fail table; exit 1 when an expectation fails."""
    from rich.console import Console

    from tastebud.services import Services
    from tastebud.settings import Settings

    from .dialogue_schema import load_suites
    from .dialogues import print_table, run_suites, write_dialogue_report
    from .reports import default_out_dir

    suites = load_suites(list(paths) if paths else None)  # validate before loading any model
    overrides = {k: v for k, v in {"home": home, "backend": backend, "model": model, "base_url": base_url}.items()
                 if v is not None}
    settings = Settings(**overrides)
    console = Console(stderr=True)
    with console.status("loading the catalog and models...") as status:
        run = run_suites(suites, Services(settings), strict=strict,
                         progress=lambda name: status.update(f"running {name}"))
    stdout = Console()
    print_table(run, stdout if stdout.is_terminal else Console(width=160))
    written = write_dialogue_report(run, out or default_out_dir("dialogues", settings.home))
    typer.echo(f"report: {written['markdown']}")
    if run.failed:
        raise typer.Exit(1)


def compare(
    run_a: Annotated[Path, typer.Argument(help="Baseline report folder (or its metrics.json).")],
    run_b: Annotated[Path, typer.Argument(help="New report folder (or its metrics.json).")],
) -> None:
    """Print the deltas (B − A) of the numeric metrics found in both runs."""
    from .reports import compare_runs

    typer.echo(compare_runs(run_a, run_b), nl=False)


def bench(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    quick: Annotated[bool, typer.Option("--quick", help="Smaller samples (a smoke run).")] = False,
    items: Annotated[int | None, typer.Option("--items", min=1, help=(
        "Instead: Chroma search at scale on a synthetic catalog of this many items (e.g. 100000; "
        "cached under $TASTEBUD_HOME/bench)."))] = None,
    queries: Annotated[int, typer.Option(min=1, help="With --items: searches timed per mode.")] = 200,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="With --items: ingest again.")] = False,
    ef_search: Annotated[int | None, typer.Option("--ef-search", min=1, help="With --items: HNSW ef_search.")] = None,
    max_neighbors: Annotated[int | None, typer.Option("--max-neighbors", min=2, help="With --items: HNSW M.")] = None,
    ef_construction: Annotated[int | None, typer.Option("--ef-construction", min=1,
                                                        help="With --items: HNSW ef_construction.")] = None,
) -> None:
    """Run the speed benchmarks (store, search, recommend, offline turn) and print each figure and its ratio;
    with ``--items N``, search at scale instead (ingest rate, p50/p95, recall@10, memory)."""
    if ctx.invoked_subcommand is not None:  # e.g. `tastebud bench load`
        return
    if items is not None:
        from .bench_scale import format_scale, run_scale

        res = run_scale(items, queries=queries, rebuild=rebuild, ef_search=ef_search, max_neighbors=max_neighbors,
                        ef_construction=ef_construction)
        typer.echo(json.dumps(res, indent=2) if as_json else format_scale(res), nl=not as_json)
        return
    from .bench import format_results, run_all

    results = run_all(quick=quick)
    typer.echo(json.dumps(results, indent=2) if as_json else format_results(results))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the main app and the `eval` group."""
    eval_app.command("dialogues")(dialogues)
    eval_app.command("compare")(compare)
    bench_app = typer.Typer(help="Benchmarks: speed figures (no subcommand), or a subcommand such as `load`.")
    bench_app.callback(invoke_without_command=True)(bench)
    app.add_typer(bench_app, name="bench")
