"""CLI command of the polarity classifier (registered by :mod:`tastebud.cli`).

* ``tastebud eval polarity [--json] [--retrain] [--data DIR] [--artifact PATH] [--home DIR]``:
  held-out (ReDial dev dialogues) figures of the shipped classifier next to a majority-class
  and a VADER-only baseline; ``--retrain`` first trains on the train dialogues and writes the
  artifact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tastebud.cli_options import HomeOpt

__all__ = ["register", "format_metrics"]

_SYSTEMS = (("model", "classifier"), ("vader", "VADER only"), ("majority", "majority class"))


def format_metrics(metrics: dict) -> str:
    """Human-readable table of :func:`tastebud.evals.polarity.evaluate` figures."""
    classes = metrics["classes"]
    counts = ", ".join(f"{c} {metrics['counts'][c]}" for c in classes)
    lines = [f"held-out: {metrics['examples']} mentions in {metrics['dialogues']} ReDial dev dialogues ({counts})",
             ""]
    header = f"{'':<22}" + "".join(f"{label:>16}" for _, label in _SYSTEMS)
    lines.append(header)
    rows = [("accuracy", lambda r: r["accuracy"]), ("macro-F1", lambda r: r["macro_f1"]),
            ("balanced accuracy", lambda r: r["balanced_accuracy"])]
    rows += [(f"recall {c}", lambda r, c=c: r["recall"][c]) for c in classes]
    rows += [(f"precision {c}", lambda r, c=c: r["precision"][c]) for c in classes]
    for name, get in rows:
        lines.append(f"{name:<22}" + "".join(f"{get(metrics[key]):>16.3f}" for key, _ in _SYSTEMS))
    lines += ["", "confusion of the classifier (rows true, columns predicted):",
              f"{'':<12}" + "".join(f"{c:>10}" for c in classes)]
    for c, row in zip(classes, metrics["model"]["confusion"]):
        lines.append(f"{c:<12}" + "".join(f"{n:>10}" for n in row))
    return "\n".join(lines)


def polarity(
    retrain: Annotated[bool, typer.Option("--retrain", help="Train on the train dialogues first and write the artifact.")] = False,
    data: Annotated[Path | None, typer.Option("--data", help="ReDial folder or file (default: $TASTEBUD_REDIAL_DIR or ../shared/data/redial).")] = None,
    artifact: Annotated[Path | None, typer.Option("--artifact", help="Weights to read / write (default: the shipped core/data/polarity.npz).")] = None,
    home: HomeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Held-out accuracy of the polarity classifier (liked / disliked / neutral) on ReDial dev dialogues."""
    from tastebud.nlu.polarity import PolarityModel, default_artifact
    from tastebud.services import Services
    from tastebud.settings import Settings

    from .polarity import TrainConfig, evaluate, load_examples, redial_files, save_artifact, train_model

    redial_files(data)  # fail on missing data before loading any model
    services = Services(Settings(**({"home": home} if home else {})))
    path = artifact or default_artifact()
    if retrain:
        train = load_examples("train", data)
        typer.echo(f"training on {len(train)} mentions of train dialogues...", err=True)
        model = train_model(train, services.embedder, TrainConfig(), log=lambda line: typer.echo(line, err=True))
    else:
        model = PolarityModel.load(path, embedder=services.embedder)
    metrics = evaluate(model, load_examples("dev", data, _config_of(model)))
    if retrain:
        written = save_artifact(model, path, metrics)
        typer.echo(f"wrote {written['npz']} and {written['json']}", err=True)
    metrics["artifact"] = str(path)
    metrics["trained"] = {k: model.meta.get(k) for k in ("train_counts", "C", "class_weight_power", "cv_criterion", "cv_score",
                                                         "placeholder", "features")}
    typer.echo(json.dumps(metrics) if as_json else format_metrics(metrics))


def _config_of(model):
    """The context settings the model was trained with, as a :class:`TrainConfig`."""
    from .polarity import TrainConfig

    return TrainConfig(placeholder=model.placeholder, other_placeholder=model.other_placeholder,
                       max_words=model.max_words, features=list(model.features))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `eval` group."""
    eval_app.command("polarity")(polarity)
