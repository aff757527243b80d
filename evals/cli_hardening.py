"""CLI of the hardening figures (registered by :mod:`tastebud.cli`).

* ``tastebud bench load [--visitors 20] [--turns 5] [--url URL ...] [--json]``: concurrent visitors
  through the page's ``/chat`` API on 127.0.0.1, or through running pages (``--url``, repeatable:
  replicas; profiles are read from the settings' database) (:mod:`.load`); exits 1 on any error,
  leak or damaged profile.

``tastebud bench`` without a subcommand runs the speed benchmarks (see :mod:`.cli_dialogues`).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

__all__ = ["register", "load"]


def load(
    visitors: Annotated[int, typer.Option(min=1, max=200, help="Concurrent visitors.")] = 20,
    turns: Annotated[int, typer.Option(min=1, max=50, help="Turns per visitor.")] = 5,
    turn_timeout: Annotated[float, typer.Option("--turn-timeout", help="Seconds one turn may take.")] = 60.0,
    deadline: Annotated[float, typer.Option(help="Seconds after which no new turn starts.")] = 300.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    url: Annotated[list[str] | None, typer.Option("--url", help="A running page to load instead of launching one "
                                                             "(repeat for replicas).")] = None,
) -> None:
    """Load the chat page on 127.0.0.1: errors, cross-user leaks, p50/p95 turn latency."""
    from .load import format_load, run_load

    res = run_load(visitors=visitors, turns=turns, turn_timeout=turn_timeout, deadline=deadline, urls=url or None)
    typer.echo(json.dumps(res, indent=2) if as_json else format_load(res), nl=not as_json)
    if res["error_count"] or res["leak_count"] or res["integrity"]:
        raise typer.Exit(1)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``load`` to the ``bench`` group (created here if no module added it before)."""
    group = next((g.typer_instance for g in app.registered_groups if g.name == "bench"), None)
    if group is None:
        group = typer.Typer(help="Benchmarks.")
        app.add_typer(group, name="bench")
    group.command("load")(load)
