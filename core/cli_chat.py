"""``tastebud chat``: an interactive conversation, or one scripted turn with ``--message``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .cli_options import BackendOpt, HomeOpt, ModelOpt

__all__ = ["register", "make_assistant"]


def make_assistant(home: Path | None = None, catalog: str | None = None, backend: str | None = None,
                   model: str | None = None, memory: bool = False):
    """Build an :class:`~tastebud.agent.Assistant` from CLI options and the environment."""
    from tastebud.agent import Assistant

    from .services import Services
    from .settings import Settings

    overrides = {k: v for k, v in {"home": home, "catalog": catalog, "backend": backend, "model": model}.items()
                 if v is not None}
    return Assistant(Services(Settings(**overrides)), checkpointer="memory" if memory else "sqlite")


def _print_turn(result, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    for notice in result.notices:
        typer.secho(notice, fg="yellow", err=True)
    typer.echo(result.reply)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``chat`` to the main app."""

    @app.command()
    def chat(
        message: Annotated[str | None, typer.Option("--message", "-m", help="Send one message and exit.")] = None,
        user: Annotated[str, typer.Option("--user", help="Whose profile the conversation uses.")] = "local",
        thread: Annotated[str, typer.Option("--thread", help="Conversation id; reuse it to continue.")] = "default",
        as_json: Annotated[bool, typer.Option("--json", help="Print the turn result as JSON.")] = False,
        backend: BackendOpt = None,
        model: ModelOpt = None,
        home: HomeOpt = None,
        catalog: Annotated[str | None, typer.Option("--catalog", help="Catalog to recommend from.")] = None,
    ) -> None:
        """Chat with tastebud (interactive), or send one message with --message (scripting)."""
        assistant = make_assistant(home, catalog, backend, model)
        if message is not None:
            _print_turn(assistant.turn(message, user_id=user, thread_id=thread), as_json)
            return
        typer.echo(f"tastebud ({assistant.backend}). Ctrl-D or /quit to leave, /profile to see your profile.")
        while True:
            try:
                line = input("you> ")
            except EOFError:
                typer.echo()
                return
            if line.strip() in ("/quit", "/exit"):
                return
            if line.strip() == "/profile":
                line = "what do you know about me?"
            result = assistant.turn(line, user_id=user, thread_id=thread)
            _print_turn(result, as_json)
