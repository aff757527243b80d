"""Prompts and answer templates, kept as files next to this module.

Both write the catalog's domain words as ``{domain.FIELD}`` (see :class:`tastebud.domain.Domain`);
they are filled here for the catalog being served (default: the shipped film catalogs' domain).
"""

from __future__ import annotations

from importlib import resources

from tastebud.domain import FILM_DOMAIN, Domain, get_domain

__all__ = ["load_prompt", "load_templates"]


def load_prompt(name: str, domain: Domain | None = None) -> str:
    """Text of ``prompts/<name>.md`` in the words of ``domain``."""
    text = (resources.files(__package__) / f"{name}.md").read_text(encoding="utf-8").strip()
    return (domain or get_domain(FILM_DOMAIN)).fill(text)


def load_templates(name: str = "replies", domain: Domain | None = None) -> dict[str, str]:
    """Answer templates from ``prompts/<name>.yaml`` in the words of ``domain``; their other
    ``{placeholders}`` are left for the answer."""
    import yaml

    words = domain or get_domain(FILM_DOMAIN)
    raw = yaml.safe_load((resources.files(__package__) / f"{name}.yaml").read_text(encoding="utf-8"))
    return {key: words.fill(value) if isinstance(value, str) else value for key, value in raw.items()}
