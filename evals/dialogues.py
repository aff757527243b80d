"""Run scripted dialogue suites against the assistant and report what passed.

Every dialogue runs with a fresh in-memory checkpointer and a fresh profile database in a
temporary folder; its users get ids unique to the run (``<run>-<dialogue>-<speaker>``), so
dialogues cannot see each other even when one :class:`~tastebud.services.Services` (the
embedding model, the recommender) is shared. The schema is in :mod:`.dialogue_schema`.

Statuses: ``PASS``; ``FAIL``; ``XFAIL`` (failed, marked ``xfail`` in the YAML: a known
product bug); ``XPASS`` (marked ``xfail`` but passed: the mark is stale); ``ERROR`` (the
turn raised). A run *fails* when any expectation is ``FAIL`` or ``ERROR`` (and ``XPASS``
with ``strict``).
"""

from __future__ import annotations

import copy
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .dialogue_checks import TurnContext, evaluate, unknown_references
from .dialogue_schema import DialogueSuiteError, Suite, load_suites

__all__ = ["Outcome", "DialogueRun", "run_suites", "run_paths", "print_table", "write_dialogue_report"]

FAILING = ("FAIL", "ERROR")


@dataclass
class Outcome:
    """The result of one expectation after one turn."""

    suite: str
    dialogue: str
    turn: int
    user: str
    expectation: str
    status: str
    actual: str
    xfail: str | None = None


@dataclass
class DialogueRun:
    """Everything a run produced."""

    backend: str
    outcomes: list[Outcome] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    suites: list[str] = field(default_factory=list)
    strict: bool = False

    def count(self, status: str, suite: str | None = None) -> int:
        """How many outcomes have ``status`` (in ``suite`` when given)."""
        return sum(o.status == status and (suite is None or o.suite == suite) for o in self.outcomes)

    @property
    def failed(self) -> bool:
        """True when an expectation failed or errored (or XPASSed under ``strict``)."""
        bad = FAILING + (("XPASS",) if self.strict else ())
        return any(o.status in bad for o in self.outcomes)

    def metrics(self) -> dict:
        """The figures written to ``metrics.json``."""
        from .timing import percentiles

        def block(suite: str | None) -> dict:
            rows = [o for o in self.outcomes if suite is None or o.suite == suite]
            dialogues = {(o.suite, o.dialogue) for o in rows}
            bad = {(o.suite, o.dialogue) for o in rows if o.status in FAILING}
            counts = {s.lower(): sum(o.status == s for o in rows) for s in ("PASS", "FAIL", "XFAIL", "XPASS", "ERROR")}
            judged = counts["pass"] + counts["fail"] + counts["error"]
            return {"expectations": len(rows), **counts, "pass_rate": counts["pass"] / judged if judged else 1.0,
                    "dialogues": len(dialogues), "dialogues_passed": len(dialogues - bad)}

        out = {"backend": self.backend, **block(None), "suites": {s: block(s) for s in self.suites},
               "known_bugs": [asdict(o) for o in self.outcomes if o.status in ("XFAIL", "XPASS")]}
        if self.latencies_ms:
            lat = percentiles(self.latencies_ms)
            out["turn_latency"] = {k: round(v, 1) if isinstance(v, float) else v for k, v in lat.items()}
        return out


def _isolated(services: Any, home: Path) -> Any:
    """A shallow copy of ``services`` sharing its caches (models, stores) but not its profiles."""
    from tastebud.catalogs import catalog_name
    from tastebud.profile import ProfileStore

    clone = copy.copy(services)
    clone._profiles = ProfileStore(home / "profiles.sqlite", catalog=catalog_name(services.settings.catalog))
    clone._profile_stores = {}
    return clone


def _prepare(suites: list[Suite], services: Any) -> None:
    """Load every catalog once and check that the suites only name its items and genres."""
    problems = []
    for suite in suites:
        services.store(suite.catalog)
        services.recommender(suite.catalog)
        catalog = services.catalog(suite.catalog)
        for d in suite.dialogues:
            for t_no, turn in enumerate(d.turns, 1):
                for exp in turn.expect:
                    problems += [f"{suite.path}: dialogue {d.id} turn {t_no}: unknown {ref}"
                                 for ref in unknown_references(exp, catalog)]
    if problems:
        raise DialogueSuiteError("; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))


def _judge(passed: bool, xfail: str | None) -> str:
    if xfail:
        return "XPASS" if passed else "XFAIL"
    return "PASS" if passed else "FAIL"


def _run_dialogue(suite: Suite, dialogue, services: Any, run_id: str, model: Any, run: DialogueRun) -> None:
    from tastebud.agent import Assistant

    catalog = services.catalog(suite.catalog)
    with tempfile.TemporaryDirectory(prefix="tastebud-dialogue-") as home:
        scoped = _isolated(services, Path(home))
        assistant = Assistant(scoped, catalog=suite.catalog, model=model, checkpointer="memory")
        history: dict[str, list[str]] = {}
        previous: dict[str, list[str]] = {}
        for t_no, turn in enumerate(dialogue.turns, 1):
            user_id = f"{run_id}-{dialogue.id}-{turn.speaker}"[:120]
            checks = [*turn.expect, *dialogue.always]
            start = time.perf_counter()
            try:
                result = assistant.turn(turn.message, user_id=user_id, thread_id=f"{dialogue.id}-{turn.speaker}").to_dict()
            except Exception as exc:  # noqa: BLE001 - a crashing turn is a result, not a crash of the run
                run.outcomes += [Outcome(suite.suite, dialogue.id, t_no, turn.speaker, e.describe(), "ERROR",
                                         f"{type(exc).__name__}: {exc}"[:300], e.xfail) for e in checks]
                return
            run.latencies_ms.append((time.perf_counter() - start) * 1000)
            earlier = history.setdefault(turn.speaker, [])
            ctx = TurnContext(result, catalog, suite.top_n, list(earlier), previous.get(turn.speaker, []))
            for exp in checks:
                passed, actual = evaluate(exp, ctx)
                run.outcomes.append(Outcome(suite.suite, dialogue.id, t_no, turn.speaker, exp.describe(),
                                            _judge(passed, exp.xfail), actual, exp.xfail))
            shown = [r.get("item_id") for r in result.get("recommendations") or []]
            earlier += shown
            if shown:
                previous[turn.speaker] = shown


def run_suites(suites: list[Suite], services: Any, *, model: Any = None, backend: str | None = None,
               strict: bool = False, progress: Callable[[str], None] | None = None) -> DialogueRun:
    """Run every dialogue of ``suites``.

    Args:
        suites: Validated suites (see :func:`~.dialogue_schema.load_suites`).
        services: Shared services; its settings choose the backend unless ``model`` is given.
        model: A chat model overriding the configured backend (tests use fakes).
        backend: Label of the backend in the report (default: from the settings).
        strict: Count XPASS as a failure.
        progress: Called with ``suite/dialogue`` before each dialogue.

    Returns:
        The outcomes and turn latencies.

    Raises:
        DialogueSuiteError: A suite names an item or genre its catalog does not have.
    """
    if backend is None:
        from tastebud.agent.build import backend_label

        backend = "custom model" if model is not None else backend_label(services.settings)
    _prepare(suites, services)
    run = DialogueRun(backend=backend, suites=[s.suite for s in suites], strict=strict)
    run_id = uuid.uuid4().hex[:8]
    for suite in suites:
        for dialogue in suite.dialogues:
            if progress:
                progress(f"{suite.suite}/{dialogue.id}")
            _run_dialogue(suite, dialogue, services, run_id, model, run)
    return run


def run_paths(paths: list[Path | str] | None, services: Any, **kwargs: Any) -> DialogueRun:
    """Load suites from ``paths`` (the shipped ones when empty) and run them."""
    return run_suites(load_suites(paths or None), services, **kwargs)


_STYLE = {"PASS": "green", "FAIL": "bold red", "ERROR": "bold red", "XFAIL": "yellow", "XPASS": "bold magenta"}


def _dialogue_rows(run: DialogueRun) -> list[tuple[str, str, int, int, str]]:
    rows: dict[tuple[str, str], list[str]] = {}
    for o in run.outcomes:
        rows.setdefault((o.suite, o.dialogue), []).append(o.status)
    out = []
    for (suite, dialogue), statuses in rows.items():
        worst = next((s for s in ("ERROR", "FAIL", "XPASS", "XFAIL") if s in statuses), "PASS")
        out.append((suite, dialogue, statuses.count("PASS"), len(statuses), worst))
    return out


def print_table(run: DialogueRun, console: Any = None) -> None:
    """Print one row per dialogue, then every non-passing expectation with the actual value."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"Dialogues ({run.backend})")
    for col in ("suite", "dialogue", "passed", "status"):
        table.add_column(col)
    for suite, dialogue, ok, total, status in _dialogue_rows(run):
        table.add_row(suite, dialogue, f"{ok}/{total}", f"[{_STYLE[status]}]{status}[/]")
    console.print(table)
    notable = [o for o in run.outcomes if o.status != "PASS"]
    if notable:
        detail = Table(title="Expectations that did not pass", show_lines=True)
        for col in ("status", "where", "expected", "actual"):
            detail.add_column(col, overflow="fold")
        for o in notable:
            expected = o.expectation + (f"\n(xfail: {o.xfail})" if o.xfail else "")
            detail.add_row(f"[{_STYLE[o.status]}]{o.status}[/]", f"{o.suite}/{o.dialogue} turn {o.turn} ({o.user})",
                           expected, o.actual)
        console.print(detail)
    m = run.metrics()
    console.print(f"{m['expectations']} expectations: {m['pass']} passed, {m['fail']} failed, {m['error']} errors, "
                  f"{m['xfail']} xfail, {m['xpass']} xpass; {m['dialogues_passed']}/{m['dialogues']} dialogues clean")


def write_dialogue_report(run: DialogueRun, out_dir: Path | str) -> dict[str, Path]:
    """Write ``metrics.json``, ``report.md`` and ``pass_rate.png`` (per-suite pass rate) into ``out_dir``."""
    from .reports import markdown_table, write_report

    metrics = run.metrics()
    suites = metrics["suites"]
    table = markdown_table(["suite", "dialogues", "clean", "pass", "fail", "error", "xfail", "xpass", "pass rate"],
                           [[s, b["dialogues"], b["dialogues_passed"], b["pass"], b["fail"], b["error"], b["xfail"],
                             b["xpass"], f"{b['pass_rate']:.1%}"] for s, b in suites.items()])
    notable = [o for o in run.outcomes if o.status != "PASS"]
    notes = "## Per dialogue\n\n" + markdown_table(["suite", "dialogue", "passed", "status"],
                                                   [[s, d, f"{ok}/{n}", st] for s, d, ok, n, st in _dialogue_rows(run)])
    if notable:
        notes += "\n## Expectations that did not pass\n\n" + markdown_table(
            ["status", "where", "expected", "actual"],
            [[o.status, f"{o.suite}/{o.dialogue} turn {o.turn}", o.expectation + (f" (xfail: {o.xfail})" if o.xfail
                                                                                  else ""), o.actual] for o in notable])

    def draw(ax: Any) -> None:
        names = list(suites)
        rates = [suites[s]["pass_rate"] for s in names]
        ax.barh(names, rates, color=["tab:green" if r == 1 else "tab:red" for r in rates])
        ax.set_xlim(0, 1)
        ax.set_xlabel("pass rate (XFAIL/XPASS not counted)")
        ax.set_title(f"Dialogue suites: pass rate ({run.backend})")
        ax.invert_yaxis()

    lat = metrics.get("turn_latency", {})
    summary = (f"Backend: {run.backend}. {metrics['expectations']} expectations, {metrics['pass']} passed, "
               f"{metrics['fail']} failed, {metrics['error']} errors, {metrics['xfail']} known bugs (xfail), "
               f"{metrics['xpass']} xpass. Turn latency p50 {lat.get('p50_ms', 0)} ms, p95 {lat.get('p95_ms', 0)} ms.\n\n")
    return write_report(out_dir, metrics, summary + table, {"pass_rate": draw}, title="Scripted dialogues",
                        notes=notes)
