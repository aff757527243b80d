"""CLI commands of the ReDial benchmark and the user simulator (registered by :mod:`tastebud.cli`).

* ``tastebud eval redial [--data FILE.jsonl] [--split dev-holdout|dev-tune|dev|train|all] [--limit N] [--k 1,10,50]
  [--out DIR] [--json]`` (report: :mod:`tastebud.evals.redial_report`)
* ``tastebud eval simulate [--n 200] [--max-turns 5] [--k 10] [--backend ...] [--out DIR] [--json]``

Both run the offline default unless a backend is configured and write
``metrics.json``, ``report.md`` and PNG plots (see :mod:`tastebud.evals.reports`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tastebud.cli_options import BackendOpt, BaseUrlOpt, HomeOpt, ModelOpt

from .redial_report import write_redial_report

__all__ = ["register", "parse_ks", "write_redial_report", "write_simulation_report"]


def parse_ks(text: str) -> list[int]:
    """``"1,10,50"`` → ``[1, 10, 50]``.

    Raises:
        typer.BadParameter: Not a comma-separated list of positive integers.
    """
    try:
        ks = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError as exc:
        raise typer.BadParameter(f"--k wants positive integers like 1,10,50, not {text!r}") from exc
    if not ks or ks[0] < 1:
        raise typer.BadParameter(f"--k wants positive integers like 1,10,50, not {text!r}")
    return ks


def redial(
    data: Annotated[Path | None, typer.Option("--data", help="A ReDial-format file (JSON lines) to run on instead of tastebud's training files; all of it unless --split is given.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N dialogues (after --split).")] = None,
    k: Annotated[str, typer.Option("--k", help="Recall cut-offs, comma-separated.")] = "1,10,50",
    split: Annotated[str | None, typer.Option("--split", help="dev-holdout (default), dev-tune, dev, train or all; train and all are in-sample.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: $TASTEBUD_HOME/reports/redial/<time>).")] = None,
    home: HomeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """ReDial Recall@k of the offline system with 95 % intervals and baselines (catalog: the ReDial movie list).

    Without --data it reads both ReDial training files ($TASTEBUD_REDIAL_DIR, else
    ../shared/data/redial) and scores --split dev-holdout.
    """
    from itertools import islice

    from tastebud.errors import CatalogError
    from tastebud.redial import SPLIT_CHOICES, read_files, redial_files
    from tastebud.services import Services
    from tastebud.settings import Settings

    from .redial_bench import count_targets, evaluate
    from .redial_chat import ChatSystem
    from .redial_report import describe_run, format_cell, write_redial_report
    from .redial_stats import default_baselines
    from .reports import default_out_dir

    ks = parse_ks(k)
    split = split or ("all" if data is not None else "dev-holdout")
    if split not in SPLIT_CHOICES:
        raise typer.BadParameter(f"--split must be one of {', '.join(SPLIT_CHOICES)}")
    if limit is not None and limit < 1:
        raise typer.BadParameter("--limit must be positive")
    files = [data] if data is not None else redial_files()
    try:
        training = redial_files() if data is not None else files
    except CatalogError:
        training = []
    dialogues = list(islice(read_files(files, split), limit))
    run = describe_run(files, split, data is not None, [d.conversation_id for d in dialogues], training)
    if run["warning"]:
        typer.echo(f"WARNING: {run['warning']}", err=True)
    settings = Settings(**({"home": home} if home else {}), catalog="redial")
    services = Services(settings)
    typer.echo(f"{len(dialogues)} dialogues ({split}), {count_targets(dialogues)[0]} targets; "
               "loading the redial models...", err=True)
    system = ChatSystem(services)
    catalog = services.catalog("redial")

    def fallback(mid: int) -> str | None:
        item = catalog.get(f"rd:{mid}") if f"rd:{mid}" in catalog else None
        return item.label if item else None

    result = evaluate(dialogues, system, ks, split=split, progress=True, total=len(dialogues), fallback_name=fallback,
                      baselines=default_baselines(catalog))
    written = write_redial_report(result, out or default_out_dir("redial", settings.home), {"system": "the chat turn (ChatSystem)", "dialogue_weight": settings.dialogue_weight}, run)
    metrics = dict(result.metrics(), run=run)
    if as_json:
        typer.echo(json.dumps(metrics))
    else:
        if run["warning"]:
            typer.echo(f"WARNING: {run['warning']}")
        typer.echo(f"split {split} ({run['source']}), targets {result.targets}, dialogues {result.dialogues}, "
                   f"{result.seconds:.1f}s; 95 % bootstrap intervals over dialogues")
        typer.echo(f"{'':>22}" + "".join(f"{f'R@{x}':>26}" for x in ks))
        rows = [("tastebud", metrics)] + [(f"{n} (baseline)", b) for n, b in metrics["baselines"].items()]
        for name, m in rows:
            typer.echo(f"{name:>22}" + "".join(f"{format_cell(m[f'recall@{x}'], m['intervals'][f'recall@{x}']):>26}"
                                               for x in ks))
    typer.echo(f"report: {written['markdown']}", err=True)


def write_simulation_report(run, out: Path, cf: dict | None = None) -> dict:
    """Write the simulation's ``metrics.json``, ``report.md`` and ``hit_by_turn.png``.

    Args:
        run: The :class:`tastebud.evals.simulator.SimulationRun`.
        out: Report folder.
        cf: The held-out CF models' ``meta`` (ratings held out, λ), recorded under ``cf``.
    """
    from .reports import markdown_table, write_report

    metrics = dict(run.metrics(), cf=cf or {})
    curve = metrics["hit_by_turn"]
    table = markdown_table(["turn", f"Hit@{run.k} (cumulative)"], [[t + 1, h] for t, h in enumerate(curve)])
    table += "\n" + markdown_table(
        ["episodes", f"Hit@{run.k} within {run.max_turns}", "avg turns to hit", "give-up rate", "leaks"],
        [[metrics["episodes"], metrics["hit"], metrics["avg_turns_to_hit"], metrics["give_up_rate"],
          metrics["leaks"]]])

    def draw(ax) -> None:
        ax.plot(range(1, len(curve) + 1), curve, marker="o")
        ax.set(xlabel="turn", ylabel=f"Hit@{run.k}", ylim=(0, 1), title="Simulated users: target found by turn")
        ax.grid(alpha=0.3)

    held = (cf or {}).get("held_out_targets")
    notes = ("Template simulator. The leak guard fails an episode whose user says a content word of the target's "
             "title or a distinctive word of its tags / overview (rare across the catalog). "
             + (f"The CF models were fitted without the {held} simulated users' target ratings "
                f"({cf.get('held_out')} ratings held out)." if held else
                "The CF models are the product's (they saw the targets' ratings)."))
    return write_report(out, metrics, table, {"hit_by_turn": draw}, title="User simulator", notes=notes)


def simulate(
    n: Annotated[int, typer.Option("--n", help="Episodes.")] = 200,
    max_turns: Annotated[int, typer.Option("--max-turns", help="User turns per episode.")] = 5,
    k: Annotated[int, typer.Option("--k", help="Hit@k: the target among the first k shown.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the target sample.")] = 0,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: $TASTEBUD_HOME/reports/simulate/<time>).")] = None,
    home: HomeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Simulated users with a hidden target movie talk to the assistant; Hit@k by turn.

    The assistant's CF models are refitted without the simulated users' target ratings first.
    """
    from tastebud.services import Services
    from tastebud.settings import Settings

    from .heldout_cf import use_heldout_recommender
    from .reports import default_out_dir
    from .simulator import run_simulation, sample_targets

    if n < 1 or max_turns < 1 or k < 1:
        raise typer.BadParameter("--n, --max-turns and --k must be positive")
    overrides = {k_: v for k_, v in {"home": home, "backend": backend, "model": model, "base_url": base_url}.items()
                 if v is not None}
    services = Services(Settings(**overrides))
    targets = sample_targets(services, n, seed=seed)
    typer.echo(f"fitting the CF models without the {len(targets)} targets' ratings...", err=True)
    cf = use_heldout_recommender(services, targets).meta
    run = run_simulation(services, targets, max_turns=max_turns, k=k, progress=True)
    written = write_simulation_report(run, out or default_out_dir("simulate", services.settings.home), cf)
    metrics = dict(run.metrics(), held_out=cf["held_out"])
    if as_json:
        typer.echo(json.dumps({key: v for key, v in metrics.items() if key != "episodes_detail"}))
    else:
        typer.echo(f"Hit@{k} within {max_turns} turns: {metrics['hit']:.3f} over {metrics['episodes']} episodes; "
                   f"avg turns to hit {metrics['avg_turns_to_hit']}; give-up rate {metrics['give_up_rate']:.3f}; "
                   f"leaks {metrics['leaks']}")
    typer.echo(f"report: {written['markdown']}", err=True)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the main app and the `eval` group."""
    eval_app.command("redial")(redial)
    eval_app.command("simulate")(simulate)
