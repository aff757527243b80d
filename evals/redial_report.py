"""What a ReDial run was measured on, and its report.

:func:`describe_run` says which files and split a run reads and whether it is *in-sample*:
whether any scored dialogue belongs to tastebud's ``train`` split, from which the shipped
statistics (co-mentions, next-mention transitions, mention popularity) and the polarity
classifier were learned. ``--split train`` and ``--split all`` of the training files always
are; a ``--data`` file is checked against the training files' ``train`` conversation ids
when they can be found (else it is called an external file, not checked).
:func:`write_redial_report` writes ``metrics.json``, ``report.md`` (split, files and
in-sample status first) and ``recall_at_k.png``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["SPLIT_NOTES", "describe_run", "format_cell", "write_redial_report"]

#: What each split is for (written at the top of the report).
SPLIT_NOTES = {
    "dev-holdout": "held out: the split to report (choose and tune on dev-tune, never here)",
    "dev-tune": "tuning split: choices and weights are picked here; report dev-holdout instead",
    "dev": "dev-tune + dev-holdout; half of it is the tuning split",
    "train": "the dialogues the statistics were learned from",
    "all": "every dialogue of the files, train split included",
}


def describe_run(files: Sequence[Path], split: str, external: bool, conversation_ids: Sequence[str],
                 training_files: Sequence[Path] = ()) -> dict:
    """The provenance of a run: files, split, and the in-sample status with its warning.

    Args:
        files: The dialogue files read.
        split: The split kept (``all`` for a ``--data`` file without ``--split``).
        external: ``True`` when the files came from ``--data``.
        conversation_ids: Ids of the dialogues scored.
        training_files: tastebud's ReDial training files, to check an external file against.

    Returns:
        ``{"files", "source", "split", "split_note", "in_sample", "in_sample_dialogues",
        "warning"}``; ``warning`` is ``None`` unless the run is in-sample.
    """
    from tastebud.redial import read_files, split3_of

    if not external:
        hits = sum(1 for c in conversation_ids if split3_of(c) == "train")
        source, checked = "tastebud's ReDial training files", True
    else:
        train_ids = {d.conversation_id for d in read_files(training_files, "train")} if training_files else set()
        hits = sum(1 for c in conversation_ids if c in train_ids)
        checked = bool(training_files)
        source = ("external file" + ("" if checked else " (not checked against the training files: not found)")
                  if not hits else "file given with --data")
    warning = None
    if hits:
        warning = (f"IN-SAMPLE: {hits} of the {len(conversation_ids)} dialogues scored are in tastebud's train "
                   "split, from which the co-mentions, next-mention transitions, mention popularity and the "
                   "polarity classifier were learned; these figures overstate accuracy. "
                   "Report --split dev-holdout.")
    note = SPLIT_NOTES.get(split, "") if not external or hits else "not tastebud's training data"
    return {"files": [str(f) for f in files], "source": source, "split": split, "split_note": note,
            "in_sample": bool(hits), "in_sample_dialogues": hits, "checked_against_training_files": checked,
            "warning": warning}


def format_cell(value: float, interval: Sequence[float] | None) -> str:
    """``.2130 [.1950, .2310]``."""
    text = f"{value:.4f}"
    return f"{text} [{interval[0]:.4f}, {interval[1]:.4f}]" if interval else text


def write_redial_report(result, out: Path, config: dict | None = None, run: dict | None = None) -> dict:
    """Write the ReDial run's ``metrics.json``, ``report.md`` and ``recall_at_k.png``.

    Args:
        result: The :class:`tastebud.evals.redial_stats.RedialResult`.
        out: Report folder.
        config: The system's configuration (recorded in ``metrics.json``).
        run: :func:`describe_run` of the run (split, files, in-sample status).

    Returns:
        The written paths (see :func:`tastebud.evals.reports.write_report`).
    """
    from .reports import markdown_table, write_report

    run = run or {"files": [], "source": "", "split": result.split, "split_note": "", "in_sample": False,
                  "warning": None}
    metrics = result.metrics()
    metrics.update(run=run, config=config or {}, curve=[round(r, 4) for _, r in result.curve()],
                   baseline_curves={n: [round(r, 4) for _, r in result.curve(n)] for n in result.baselines})
    ks = list(result.ks)
    head = []
    if run.get("warning"):
        head += [f"> **⚠ In-sample warning.** {run['warning']}", ""]
    names = ", ".join(Path(f).name for f in run.get("files", [])) or "—"
    head += [f"- **Split:** `{result.split}` — {run.get('split_note') or ''}",
             f"- **Files:** {names} ({run.get('source') or ''})",
             f"- **In-sample:** {'YES' if run.get('in_sample') else 'no'}",
             (f"- **Targets:** {result.targets} in {result.dialogues} dialogues; intervals: 95 % bootstrap over "
              f"dialogues ({result.resamples} resamples, seed {result.seed})"), ""]
    rows = [["tastebud"] + [format_cell(metrics[f"recall@{k}"], metrics["intervals"][f"recall@{k}"]) for k in ks]]
    for name, base in metrics["baselines"].items():
        rows.append([f"{name} (baseline)"] + [format_cell(base[f"recall@{k}"], base["intervals"][f"recall@{k}"])
                                              for k in ks])
    table = "\n".join(head) + "\n" + markdown_table(["system"] + [f"R@{k}" for k in ks], rows)
    if metrics["differences"]:
        diff_rows = [[f"tastebud − {name}"] + [format_cell(d[f"recall@{k}"]["delta"], d[f"recall@{k}"]["interval"])
                                               for k in ks] for name, d in metrics["differences"].items()]
        table += "\n" + markdown_table(["difference (paired)"] + [f"R@{k}" for k in ks], diff_rows)
    table += "\n" + markdown_table(["targets", "dialogues", "no text before", "split", "seconds"],
                                   [[result.targets, result.dialogues, result.empty_context, result.split,
                                     f"{result.seconds:.1f}"]])

    def draw(ax) -> None:
        for name, label in [(None, "tastebud"), *((n, f"{n} (baseline)") for n in result.baselines)]:
            curve = result.curve(name)
            line, = ax.plot([k for k, _ in curve], [r for _, r in curve], label=label)
            box = metrics["intervals"] if name is None else metrics["baselines"][name]["intervals"]
            mid = [result.recall(k, name) for k in ks]
            err = [[m - box[f"recall@{k}"][0] for m, k in zip(mid, ks, strict=True)],
                   [box[f"recall@{k}"][1] - m for m, k in zip(mid, ks, strict=True)]]
            ax.errorbar(ks, mid, yerr=err, fmt="o", color=line.get_color(), capsize=3)
        flag = ", IN-SAMPLE" if run.get("in_sample") else ""
        ax.set(xlabel="k", ylabel="Recall@k",
               title=f"ReDial Recall@k ({result.split}{flag}, {result.targets} targets; 95 % intervals)")
        ax.grid(alpha=0.3)
        ax.legend()

    notes = ("Protocol: each movie a recommender message mentions for the first time is one target; the system "
             "sees only the text before that message (mentions rendered as titles) and ranks the catalog with "
             "already-mentioned movies excluded. Questionnaires are never read. Baselines are scored on the same "
             "targets in the same run and read only the movies already mentioned (gold ids, no text): "
             "popularity = mention counts of train-split dialogues; co-mention = train dialogues mentioning the "
             "candidate together with each movie mentioned so far, summed (ties by popularity). Every statistic "
             "comes from the train split of both ReDial training files; nbMentions is never used.")
    return write_report(out, metrics, table, {"recall_at_k": draw}, title="ReDial benchmark", notes=notes)
