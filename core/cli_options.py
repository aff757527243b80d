"""Command-line options shared by several ``tastebud`` commands (typer ``Annotated`` aliases)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["HomeOpt", "BackendOpt", "ModelOpt", "BaseUrlOpt"]

HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data directory (default: $TASTEBUD_HOME or a per-user dir).")]
BackendOpt = Annotated[str | None, typer.Option(help="offline, openai, openai-compatible or a LangChain provider "
                                                   "(default: auto, from --model's provider prefix).")]
ModelOpt = Annotated[str | None, typer.Option(help="Chat model: a name, or a provider string such as "
                                                 "openai:gpt-4.1-mini, anthropic:claude-sonnet-4-5, ollama:qwen2.5.")]
BaseUrlOpt = Annotated[str | None, typer.Option("--base-url", help="Endpoint of an openai-compatible backend.")]
