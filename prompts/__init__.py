"""Prompts and answer templates, kept as files next to this module."""

from __future__ import annotations

from importlib import resources

__all__ = ["load_prompt", "load_templates"]


def load_prompt(name: str) -> str:
    """Text of ``prompts/<name>.md``."""
    return (resources.files(__package__) / f"{name}.md").read_text(encoding="utf-8").strip()


def load_templates(name: str = "replies") -> dict[str, str]:
    """Answer templates from ``prompts/<name>.yaml``."""
    import yaml

    return yaml.safe_load((resources.files(__package__) / f"{name}.yaml").read_text(encoding="utf-8"))
