"""Benchmark: latency of one offline assistant turn (run: ``python -m tastebud.evals.bench_agent``).

Plays short scripted conversations (a liked title, a refinement, "seen it", "why",
"more") through :class:`~tastebud.agent.Assistant` with the offline default backend and
an in-memory checkpointer, and reports p50/p95 over ``turns`` turns after ``warmup``
turns (goal p95 < 300 ms). Each conversation uses a new user id. A benchmark, never a
test assertion.
"""

from __future__ import annotations

import argparse
import json
import uuid
from typing import Any

from .timing import time_calls

__all__ = ["SCRIPT", "run", "main"]

GOAL_P95_MS = 300.0
SCRIPT = [
    ["I loved The Matrix and Alien, but no horror please", "something older", "I've seen the first one",
     "why the second one?", "more"],
    ["I loved Toy Story", "something funnier", "no animation please", "from the 90s", "more like the first one"],
    ["sci-fi from the 80s please", "I loved Blade Runner", "I didn't like the third one", "newer", "more"],
    ["I want a comedy but no romance", "I loved Heat", "tell me about Heat", "after 2000 only", "more"],
]


def run(services: Any = None, *, turns: int = 50, warmup: int = 5, catalog: str | None = None) -> dict:
    """Time ``turns`` offline turns after ``warmup`` turns.

    Args:
        services: Shared services (default: built from the environment, forced offline).
        turns: Timed turns.
        warmup: Untimed turns first (load the models, fill caches).
        catalog: Catalog name (default: the settings' catalog).

    Returns:
        ``{"p50_ms", "p95_ms", "mean_ms", "n", "goal_p95_ms"}``.
    """
    from tastebud.agent import Assistant
    from tastebud.services import Services
    from tastebud.settings import Settings

    services = services or Services(Settings(backend="offline"))
    assistant = Assistant(services, catalog=catalog, checkpointer="memory")
    messages = [m for convo in SCRIPT for m in convo]
    run_id = uuid.uuid4().hex[:8]
    per_convo = len(SCRIPT[0])

    calls = iter(range(10**9))  # one counter across warm-up and timed turns: no conversation repeats

    def one(_i: int) -> None:
        k = next(calls)
        assistant.turn(messages[k % len(messages)], user_id=f"bench-{run_id}-{k // per_convo}", thread_id="bench")

    stats = time_calls(one, turns, warmup=warmup)
    return {**stats, "goal_p95_ms": GOAL_P95_MS}


def main(argv: list[str] | None = None) -> None:
    """Print p50/p95 (or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    res = run(turns=args.turns, warmup=args.warmup)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"offline turn: p50 {res['p50_ms']:.1f} ms  p95 {res['p95_ms']:.1f} ms  (n={res['n']}, "
          f"goal p95 < {GOAL_P95_MS:.0f} ms)")


if __name__ == "__main__":
    main()
