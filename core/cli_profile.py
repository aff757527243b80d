"""CLI commands for the profile features (registered by :mod:`tastebud.cli`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli_options import HomeOpt

__all__ = ["register"]

UserOpt = Annotated[str, typer.Option("--user", help="The user id whose profile to use.")]
#: Reading a profile defaults to the user `tastebud chat` talks as; `forget` always names one.
ReadUserOpt = Annotated[str, typer.Option("--user", help="The user id whose profile to use (as in chat).")]
CatalogOpt = Annotated[str | None, typer.Option("--catalog", help="The catalog whose profile to use "
                                                                  "(profiles are kept per catalog; default: movies).")]


def _settings(home: Path | None, catalog: str | None = None):
    from .settings import Settings

    overrides = {k: v for k, v in {"home": home, "catalog": catalog}.items() if v is not None}
    return Settings(**overrides)


def _store(home: Path | None, user: str | None = None, catalog: str | None = None):
    """Open the profile store of ``home`` for ``catalog``; with ``user``, check that the user has a profile."""
    from .catalogs import catalog_name
    from .profile import ProfileStore

    settings = _settings(home, catalog)
    store = ProfileStore.from_settings(settings, catalog=catalog_name(settings.catalog))
    if user is not None:
        store.require(user)
    return store


def _titles(home: Path | None, catalog: str | None, ids: list[str]) -> dict[str, str]:
    """Display titles (``"Dune (1965)"``) of the item ids the catalog has."""
    from .catalogs import load_catalog

    settings = _settings(home, catalog)
    cat = load_catalog(settings, settings.catalog)
    return {i: cat.get(i).label for i in ids if i in cat}


def _conversation_hooks(home: Path | None) -> list:
    """Forget hooks of the conversation layer: ``tastebud.agent.forget_hooks(settings)`` if it exists."""
    import importlib

    try:
        agent = importlib.import_module("tastebud.agent")
    except ImportError:
        return []
    factory = getattr(agent, "forget_hooks", None)
    return list(factory(_settings(home))) if factory else []


def _stdin_is_tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def show(user: ReadUserOpt = "local", home: HomeOpt = None, catalog: CatalogOpt = None,
         as_json: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False) -> None:
    """Show what tastebud remembers about a user in a catalog, items by title."""
    store = _store(home, user, catalog)
    profile = store.get(user)
    titles = _titles(home, catalog, sorted(profile.exclusions()))
    if as_json:
        typer.echo(json.dumps({**profile.to_dict(), "catalog": store.catalog, "titles": titles},
                              ensure_ascii=False, indent=2))
        return
    typer.echo(f"catalog: {store.catalog}")
    for line in profile.summary_lines(titles):
        typer.echo(line)


def export(user: ReadUserOpt = "local", home: HomeOpt = None, catalog: CatalogOpt = None,
           out: Annotated[Path | None, typer.Option("--out", help="Write the JSON here instead of stdout.")] = None,
           ) -> None:
    """Export everything stored about a user in a catalog (profile, change log, threads, item titles) as JSON."""
    data = _store(home, user, catalog).export(user)
    profile = data["profile"]
    ids = {e["item_id"] for name in ("liked", "disliked", "seen") for e in profile[name]} | set(profile["recommended"])
    data["titles"] = _titles(home, catalog, sorted(ids))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(out)
    typer.echo(f"exported {user!r} to {out}", err=True)


def forget(user: UserOpt, home: HomeOpt = None,
           yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False) -> None:
    """Delete everything about a user: profile, change log and conversation threads."""
    store = _store(home, user)
    threads = store.threads(user)
    if not yes:
        if not _stdin_is_tty():
            typer.echo(f"refusing to forget {user!r} without confirmation: no terminal to ask on; "
                       "pass --yes to confirm", err=True)
            raise typer.Exit(2)
        typer.confirm(f"Delete the profile of {user!r} and {len(threads)} conversation thread(s)? "
                      "This cannot be undone.", abort=True)
    hooks = _conversation_hooks(home)
    for hook in hooks:
        store.add_forget_hook(hook)
    if threads and not hooks:
        typer.echo(f"warning: no conversation store is installed to delete {len(threads)} thread(s)", err=True)
    deleted = store.forget(user)
    typer.echo(f"forgot {user!r}: {deleted['facts']} profile entries, {deleted['events']} events, "
               f"{deleted['threads']} thread(s)")


def undo(user: UserOpt, home: HomeOpt = None, catalog: CatalogOpt = None) -> None:
    """Revert the user's last profile change in a catalog (repeat to go further back)."""
    event = _store(home, user, catalog).undo(user, source="cli:undo")
    if event is None:
        typer.echo(f"nothing to undo for {user!r}")
        return
    what = " ".join(str(event.change[k]) for k in ("kind", "target", "value") if event.change.get(k) is not None)
    typer.echo(f"undid {what} (from {event.source}, {event.at})")


def users(home: HomeOpt = None) -> None:
    """List the users with a stored profile."""
    for user in _store(home).users():
        typer.echo(user)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the main app and the `eval` group."""
    profile_app = typer.Typer(help="Show, export, undo or forget what tastebud remembers about a user.",
                              no_args_is_help=True)
    for command in (show, export, forget, undo, users):
        profile_app.command(command.__name__)(command)
    app.add_typer(profile_app, name="profile")
