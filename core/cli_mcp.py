"""``tastebud mcp``: serve the tools over the Model Context Protocol (stdio or Streamable HTTP)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_options import HomeOpt
from .errors import ConfigError

__all__ = ["register"]


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``mcp`` to the main app."""

    @app.command()
    def mcp(
        transport: Annotated[str, typer.Option(
            "--transport", help="stdio (a client starts this command) or http (Streamable HTTP at /mcp).")] = "stdio",
        user: Annotated[str, typer.Option("--user", help="Whose profile every tool call uses.")] = "local",
        host: Annotated[str, typer.Option(help="HTTP: interface to bind.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="HTTP: port.")] = 8765,
        home: HomeOpt = None,
        catalog: Annotated[str | None, typer.Option("--catalog", help="Catalog to recommend from.")] = None,
    ) -> None:
        """Serve tastebud's tools to MCP clients (desktop assistants, IDE agents) for one user."""
        if transport not in ("stdio", "http"):
            raise typer.BadParameter(f"{transport!r}: use stdio or http", param_hint="--transport")
        try:
            from tastebud.tools.mcp_server import serve
        except ModuleNotFoundError as exc:  # the SDK is an extra
            if (exc.name or "").split(".")[0] != "mcp":
                raise
            raise ConfigError("tastebud mcp needs the MCP SDK: pip install 'tastebud[mcp]'") from exc

        from .services import Services
        from .settings import Settings

        overrides: dict[str, str | Path] = {k: v for k, v in {"home": home, "catalog": catalog}.items() if v is not None}
        serve(Services(Settings(**overrides)), user_id=user, transport=transport, host=host, port=port)
