"""CLI commands for the cf features (registered by :mod:`tastebud.cli`): ``train`` and ``eval cf``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli_options import HomeOpt

__all__ = ["register"]

CatalogOpt = Annotated[str | None, typer.Option("--catalog", help="movies, redial, or an ingested catalog name.")]


def _services(home: Path | None, catalog: str | None = None):
    from .services import Services
    from .settings import Settings

    overrides = {k: v for k, v in {"home": home, "catalog": catalog}.items() if v is not None}
    return Services(Settings(**overrides))


def train(catalog: CatalogOpt = None, home: HomeOpt = None) -> None:
    """Fit popularity, item-kNN and EASE (λ tuned on a dev split), for redial also the dialogue model, and save them."""
    from tqdm import tqdm

    from .recommenders.training import get_models, models_dir

    services = _services(home, catalog)
    steps = ["popularity", "item-knn", "ease: tuning λ", "ease: fit"]
    with tqdm(total=len(steps), desc="train", unit="step", disable=None, file=sys.stderr) as bar:
        def progress(msg: str) -> None:
            bar.set_postfix_str(msg)
            bar.update(1)

        models = get_models(services, catalog, retrain=True, progress=progress)
    meta = models.meta
    typer.echo(f"{meta['catalog']}: {meta['n_users']} users, {meta['n_positives']} positives, "
               f"{meta['n_supported']}/{meta['n_items']} items modelled, EASE λ={meta['lambda']:g} "
               f"({meta['seconds']:.1f}s) → {models_dir(services.settings, meta['catalog'])}")
    if meta["catalog"] == "redial":
        from .recommenders.dialogue_train import train_and_save

        typer.echo(f"dialogue model → {train_and_save(services, catalog, progress=True, say=typer.echo)}")


def eval_cf(
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: HOME/reports/cf).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics object to stdout.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the held-out user split.")] = 42,
    folds: Annotated[int, typer.Option(min=1, help="1: one split holding out 20 % of the users; N > 1: N-fold "
                                                   "cross-validation over users (every user held out once).")] = 1,
    mmr_lambda: Annotated[float, typer.Option("--mmr-lambda", min=0.0, max=1.0, help="Hybrid MMR trade-off.")] = 0.8,
    home: HomeOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Evaluate popularity, item-kNN, EASE, content and hybrid (strong generalisation) on ml-latest-small,
    or on a user catalog's own interactions (``--catalog NAME``, ingested with ``--interactions``)."""
    from tqdm import tqdm

    from tastebud.evals.cf_report import markdown_table, write_cf_report

    from .catalogs import catalog_name
    from .errors import CatalogError
    from .recommenders.evaluation import run_cf_eval
    from .recommenders.training import catalog_interactions

    services = _services(home, catalog)
    name = services.catalog().name
    if not catalog_interactions(services.catalog(), services.settings).matrix.nnz:
        raise CatalogError(f"catalog {name!r} has no interactions to evaluate on; ingest it with --interactions FILE")
    bars: list = []

    def progress(label: str, total: int):
        bar = tqdm(total=total, desc=f"eval {label}", unit="user", disable=None, file=sys.stderr, leave=False)
        bars.append(bar)
        return bar.update

    try:
        metrics = run_cf_eval(services, catalog=catalog_name(services.settings.catalog), seed=seed, folds=folds,
                              mmr_lambda=mmr_lambda, progress=progress)
    finally:
        for bar in bars:
            bar.close()
    default_out = services.settings.home / "reports" / ("cf" if name == "movies" else f"cf-{name}")
    paths = write_cf_report(metrics, out or default_out)
    if as_json:
        typer.echo(json.dumps(metrics, indent=2))
        return
    typer.echo(markdown_table(metrics))
    typer.echo(f"wrote {paths['json']}, {paths['markdown']}, {paths['png']}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the main app and the `eval` group."""
    app.command("train")(train)
    eval_app.command("cf")(eval_cf)
