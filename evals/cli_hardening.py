"""CLI of the hardening figures (registered by :mod:`tastebud.cli`).

* ``tastebud bench load [--visitors 20] [--turns 5] [--json]``: concurrent visitors through the
  page's ``/chat`` API on 127.0.0.1 (:mod:`.load`); exits 1 on any error, leak or damaged profile.

``tastebud bench`` itself stays the speed benchmarks: ``register`` turns the ``bench`` command
(when already registered) into a group that still runs it without a subcommand.
"""

from __future__ import annotations

import inspect
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
) -> None:
    """Load the chat page on 127.0.0.1: errors, cross-user leaks, p50/p95 turn latency."""
    from .load import format_load, run_load

    res = run_load(visitors=visitors, turns=turns, turn_timeout=turn_timeout, deadline=deadline)
    typer.echo(json.dumps(res, indent=2) if as_json else format_load(res), nl=not as_json)
    if res["error_count"] or res["leak_count"] or res["integrity"]:
        raise typer.Exit(1)


def _bench_group(app: typer.Typer) -> typer.Typer:
    """A ``bench`` group whose bare invocation runs the existing ``bench`` command, if any."""
    group = typer.Typer(help="Benchmarks: speed (no subcommand) and `load`.")
    existing = next((c for c in app.registered_commands if c.name == "bench"), None)
    if existing is None:
        return group
    app.registered_commands.remove(existing)
    speed = existing.callback

    def run(ctx: typer.Context, **kwargs) -> None:
        if ctx.invoked_subcommand is None:
            speed(**kwargs)

    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    params += list(inspect.signature(speed, eval_str=True).parameters.values())
    run.__signature__ = inspect.Signature(params)
    run.__annotations__ = {p.name: p.annotation for p in params}
    run.__doc__ = speed.__doc__
    group.callback(invoke_without_command=True)(run)
    return group


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``bench load`` (register after the module that adds ``bench``)."""
    group = _bench_group(app)
    group.command("load")(load)
    app.add_typer(group, name="bench")
