"""Evaluation reports shared by every eval: ``metrics.json``, ``report.md``, PNG plots, run comparison.

Every evaluation command writes the same three kinds of files into its ``--out`` folder:

* ``metrics.json``: the figures, a JSON object (nested dicts allowed);
* ``report.md``: a title, the Markdown table given by the caller, links to the plots;
* one PNG per plot: ``plots`` maps a file stem to a function drawing on a matplotlib ``Axes``.

:func:`compare_runs` reads two such folders (or two ``metrics.json`` files) and returns a
Markdown table of the deltas of every numeric metric found in both (nested keys are joined
with ``.``, e.g. ``suites.cold_start.pass_rate``).

Example:
    >>> write_report(out, {"recall@10": 0.2}, "| k | recall |\\n|---|---|\\n| 10 | 0.2 |",
    ...              plots={"recall": lambda ax: ax.plot([1, 10], [0.1, 0.2])})
    >>> print(compare_runs(run_a, run_b))
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from tastebud.errors import TastebudError

__all__ = ["ReportError", "default_out_dir", "flatten_metrics", "load_metrics", "write_report",
           "compare_runs", "markdown_table"]

PlotFn = Callable[[Any], object]


class ReportError(TastebudError):
    """A report folder or ``metrics.json`` is missing or unreadable."""

    exit_code = 2


def default_out_dir(kind: str, home: Path | str | None = None) -> Path:
    """Where a run writes by default: ``$TASTEBUD_HOME/reports/<kind>/<timestamp>``.

    Args:
        kind: The evaluation's name (``dialogues``, ``redial``, ``simulate``...).
        home: The tastebud home; defaults to ``$TASTEBUD_HOME`` or the settings' default.

    Returns:
        A path that does not exist yet (not created).
    """
    if home is None:
        home = os.environ.get("TASTEBUD_HOME")
    if home is None:
        from tastebud.settings import Settings

        home = Settings().home
    base = Path(home) / "reports" / kind
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out, n = base / stamp, 1
    while out.exists():
        n += 1
        out = base / f"{stamp}-{n}"
    return out


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    """A Markdown table; floats are shown with 4 decimals, ``|`` in cells is escaped.

    Args:
        headers: Column titles.
        rows: One list of cells per row.

    Returns:
        The table, ending with a newline.
    """

    def cell(value: object) -> str:
        text = f"{value:.4f}" if isinstance(value, float) else str(value)
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_report(out_dir: Path | str, metrics: Mapping[str, Any], table_md: str,
                 plots: Mapping[str, PlotFn] | None = None, *, title: str = "Evaluation report",
                 notes: str = "") -> dict[str, Path]:
    """Write ``metrics.json``, ``report.md`` and one PNG per plot into ``out_dir``.

    Args:
        out_dir: The folder (created if needed).
        metrics: JSON-serialisable figures.
        table_md: A Markdown table (or any Markdown) placed under the title.
        plots: ``{stem: draw}``; ``draw(ax)`` draws on a fresh ``Axes`` saved as ``<stem>.png``
            (set titles and labels inside ``draw``).
        title: The report's first heading.
        notes: Markdown appended after the plots.

    Returns:
        ``{"json": path, "markdown": path, <stem>: png path, ...}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {"json": out / "metrics.json", "markdown": out / "report.md"}
    paths["json"].write_text(json.dumps(metrics, indent=2, default=str) + "\n", encoding="utf-8")
    if plots:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        for stem, draw in plots.items():
            fig, ax = plt.subplots(figsize=(8, 4.5))
            try:
                draw(ax)
                fig.tight_layout()
                paths[stem] = out / f"{stem}.png"
                fig.savefig(paths[stem], dpi=100)
            finally:
                plt.close(fig)
    parts = [f"# {title}", "", table_md.rstrip(), ""]
    parts += [f"![{stem}]({stem}.png)" for stem in (plots or {})]
    if notes:
        parts += ["", notes.rstrip()]
    parts += ["", "Figures: [metrics.json](metrics.json)"]
    paths["markdown"].write_text("\n".join(parts) + "\n", encoding="utf-8")
    return paths


def load_metrics(run: Path | str) -> dict:
    """Read a run's ``metrics.json`` (``run`` is the folder or the file itself).

    Raises:
        ReportError: The file is missing or is not a JSON object.
    """
    path = Path(run)
    if path.is_dir():
        path = path / "metrics.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path}: no metrics.json (is this a report folder?)") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path}: unreadable metrics.json ({exc})") from None
    if not isinstance(data, dict):
        raise ReportError(f"{path}: metrics.json is not a JSON object")
    return data


def flatten_metrics(metrics: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """The numeric leaves of nested metrics as ``{"a.b.c": value}`` (booleans and NaN skipped)."""
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten_metrics(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            flat[name] = float(value)
    return flat


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e12 else f"{value:.4f}"


def compare_runs(dir_a: Path | str, dir_b: Path | str) -> str:
    """A Markdown table of the numeric metrics found in both runs, with B − A and the relative change.

    Args:
        dir_a: The baseline run (folder or ``metrics.json``).
        dir_b: The new run.

    Returns:
        The table plus one line naming metrics found in only one run.

    Raises:
        ReportError: A run has no readable ``metrics.json``, or the runs share no numeric metric.
    """
    a, b = flatten_metrics(load_metrics(dir_a)), flatten_metrics(load_metrics(dir_b))
    shared = [k for k in a if k in b]
    if not shared:
        raise ReportError(f"{dir_a} and {dir_b} share no numeric metric")
    rows = []
    for key in shared:
        delta = b[key] - a[key]
        rel = f"{delta / abs(a[key]):+.1%}" if a[key] else ("n/a" if delta else "+0.0%")
        rows.append([key, _fmt(a[key]), _fmt(b[key]), ("+" if delta > 0 else "") + _fmt(delta), rel])
    text = markdown_table(["metric", "A", "B", "B − A", "change"], rows)
    only = sorted(set(a) ^ set(b))
    if only:
        text += f"\nIn one run only ({len(only)}): " + ", ".join(only[:20]) + (" ..." if len(only) > 20 else "") + "\n"
    return text
