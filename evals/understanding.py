"""Run the turn-understanding cases against the assistant and measure how many it gets right.

Each case is played by a fresh user in a fresh thread of one shared
:class:`~tastebud.agent.Assistant` (in-memory checkpointer; profiles in a temporary
database, so the home's real profiles are never touched). The state in effect is taken
before and after the last turn and compared field by field
(:func:`~.understanding_checks.compare_case`). It is a measurement: accuracy per split and
per category, with a short diff per failing case. The schema is in :mod:`.understanding_cases`.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .understanding_cases import CATEGORIES, Case, canonical_expect, label_index, load_cases
from .understanding_checks import compare_case, effective_state, turn_refs

__all__ = ["CaseResult", "UnderstandingRun", "load_splits", "run_cases", "format_table",
           "write_understanding_report"]


@dataclass
class CaseResult:
    """The outcome of one case."""

    split: str
    id: str
    category: str
    turns: list[str]
    passed: bool
    diffs: list[str] = field(default_factory=list)
    reply: str = ""


@dataclass
class UnderstandingRun:
    """Every case's outcome, in the order run."""

    backend: str
    splits: list[str] = field(default_factory=list)
    results: list[CaseResult] = field(default_factory=list)

    def split_metrics(self, split: str) -> dict[str, Any]:
        """``{"n", "passed", "accuracy", "per_category": {cat: {"n", "passed", "accuracy"}}}``."""

        def block(rows: list[CaseResult]) -> dict[str, Any]:
            passed = sum(r.passed for r in rows)
            return {"n": len(rows), "passed": passed, "accuracy": round(passed / len(rows), 4) if rows else 0.0}

        rows = [r for r in self.results if r.split == split]
        cats = [c for c in CATEGORIES if any(r.category == c for r in rows)]
        return {**block(rows), "per_category": {c: block([r for r in rows if r.category == c]) for c in cats}}

    def metrics(self) -> dict[str, Any]:
        """``{split: split_metrics}`` for the splits run (the ``--json`` output and ``metrics.json``)."""
        return {s: self.split_metrics(s) for s in self.splits}

    def failures(self, split: str) -> list[CaseResult]:
        """The failing cases of a split."""
        return [r for r in self.results if r.split == split and not r.passed]


def load_splits(files: Mapping[str, Path | str], catalog: Any) -> dict[str, list[Case]]:
    """Load and check every case file (``{split: path}``) against ``catalog`` before anything runs.

    Raises:
        DialogueSuiteError: A file breaks the schema or names an unknown item or genre.
    """
    return {split: load_cases(path, catalog) for split, path in files.items()}


def _result_dict(result: Any) -> dict[str, Any]:
    data = result.to_dict()
    for name in ("not_found", "uncertain"):  # fields newer assistants add; absent means none
        data.setdefault(name, list(getattr(result, name, []) or []))
    return data


def _run_case(split: str, case: Case, expect: dict[str, Any], assistant: Any, run_id: str,
              label: Callable[[str], str]) -> CaseResult:
    user_id, thread_id = f"understand-{run_id}-{split}-{case.id}"[:120], f"case-{case.id}"[:120]
    out = CaseResult(split, case.id, case.category, list(case.turns), passed=False)
    try:
        prior = None
        for message in case.turns[:-1]:
            prior = _result_dict(assistant.turn(message, user_id=user_id, thread_id=thread_id))
        profiles = assistant.profiles
        before_profile = prior["profile"] if prior else profiles.get(user_id).to_dict()
        last = _result_dict(assistant.turn(case.turns[-1], user_id=user_id, thread_id=thread_id))
    except Exception as exc:  # noqa: BLE001 - a crashing turn is a failed case, not a crashed run
        out.diffs = [f"error: {type(exc).__name__}: {exc}"[:300]]
        return out
    diffs = compare_case(expect, effective_state(before_profile), effective_state(last["profile"]),
                         effective_state(last["profile"], session=False), last, turn_refs(prior), label)
    out.passed, out.diffs, out.reply = not diffs, [str(d) for d in diffs], str(last.get("reply") or "")
    return out


def run_cases(splits: Mapping[str, list[Case]], services: Any, *, catalog: str = "movies",
              progress: Callable[[CaseResult], None] | None = None) -> UnderstandingRun:
    """Play every case with one assistant and compare what each last turn changed.

    Args:
        splits: ``{split: cases}`` (see :func:`load_splits`).
        services: Shared services; their settings choose the backend (the CLI forces offline).
            Profiles go to a temporary database, not the services' one.
        catalog: The catalog the cases name items of.
        progress: Called after each case with its result.

    Returns:
        The outcomes of every case.
    """
    from tastebud.agent import Assistant
    from tastebud.agent.build import backend_label

    from .dialogues import _isolated

    cat = services.catalog(catalog)
    index = label_index(cat)

    def label(item_id: str) -> str:
        item = cat.get(item_id)
        return item.label if item is not None else item_id

    run = UnderstandingRun(backend=backend_label(services.settings), splits=list(splits))
    run_id = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory(prefix="tastebud-understanding-") as home:
        scoped = _isolated(services, Path(home))
        assistant = Assistant(scoped, catalog=catalog, checkpointer="memory")
        for split, cases in splits.items():
            for case in cases:
                result = _run_case(split, case, canonical_expect(case, cat, index), assistant, run_id, label)
                run.results.append(result)
                if progress:
                    progress(result)
    return run


def format_table(run: UnderstandingRun) -> str:
    """A plain-text table: one block per split, one row per category and a total row."""
    lines = []
    for split, m in run.metrics().items():
        lines.append(f"{split} ({run.backend})")
        lines.append(f"  {'category':<12} {'n':>5} {'passed':>7} {'accuracy':>9}")
        for cat, b in m["per_category"].items():
            lines.append(f"  {cat:<12} {b['n']:>5} {b['passed']:>7} {b['accuracy']:>9.1%}")
        lines.append(f"  {'all':<12} {m['n']:>5} {m['passed']:>7} {m['accuracy']:>9.1%}")
        lines.append("")
    return "\n".join(lines)


def write_understanding_report(run: UnderstandingRun, out_dir: Path | str,
                               failures_for: tuple[str, ...] = ("tune",)) -> dict[str, Path]:
    """Write ``metrics.json`` and ``report.md`` (accuracy per split and category).

    Args:
        run: The outcomes.
        out_dir: The report folder.
        failures_for: Splits whose failing cases are listed with their diffs (by default only
            ``tune``: the holdout's failures stay unread so nothing is tuned to them).
    """
    from .reports import markdown_table, write_report

    rows = []
    for split, m in run.metrics().items():
        rows += [[split, cat, b["n"], b["passed"], f"{b['accuracy']:.1%}"] for cat, b in m["per_category"].items()]
        rows.append([split, "**all**", m["n"], m["passed"], f"{m['accuracy']:.1%}"])
    table = markdown_table(["split", "category", "n", "passed", "accuracy"], rows)
    notes = []
    for split in run.splits:
        bad = run.failures(split)
        if split not in failures_for:
            notes.append(f"## Failing cases: {split}\n\n{len(bad)} failing (not listed; run with `--failures`).\n")
            continue
        notes.append(f"## Failing cases: {split}\n")
        if not bad:
            notes.append("None.\n")
            continue
        notes.append(markdown_table(["case", "category", "turns", "diff", "reply"],
                                    [[r.id, r.category, " ⏎ ".join(r.turns), "; ".join(r.diffs), r.reply[:160]]
                                     for r in bad]))
    summary = (f"Backend: {run.backend}. Each case's last turn is checked field by field; a field the case "
               "does not name must not change.\n\n")
    return write_report(out_dir, run.metrics(), summary + table, title="Turn understanding", notes="\n".join(notes))
