"""CLI commands of the dialogues evaluation (registered by :mod:`tastebud.cli`)."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the main app and the `eval` group."""
