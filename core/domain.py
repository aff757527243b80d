"""What a catalog holds, and the words the conversation uses for it.

Presets are data (``domains.yaml`` next to this module): ``film`` for the shipped movie
catalogs, ``book``, ``music``, ``game``, ``product`` and the neutral ``item``. A user catalog
takes one with ``tastebud ingest --domain NAME`` (or a YAML/JSON file with the same fields),
or the one its file name or columns suggest; its choice is stored with the catalog.

Texts shown to people (reply templates, the system prompt, reasons, the page) write the
domain's words as ``{domain.FIELD}`` placeholders, filled by :meth:`Domain.fill`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import CatalogError

__all__ = [
    "DEFAULT_DOMAIN",
    "FILM_DOMAIN",
    "Domain",
    "domain_presets",
    "get_domain",
    "infer_domain",
    "load_domain",
]

#: The domain of catalogs that say nothing about what they hold.
DEFAULT_DOMAIN = "item"
#: The domain of the shipped movie catalogs.
FILM_DOMAIN = "film"
_PLACEHOLDER_RE = re.compile(r"\{domain\.(\w+)\}")
_WORD_RE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Domain:
    """The words of one domain.

    Attributes:
        name: Preset name (``film``, ``book`` …) or the name a custom spec gives.
        noun: One item ("book").
        plural: Several items ("books").
        verb: What people do with one ("read", "listen to").
        past: Its past participle ("read", "listened to").
        people: Who "also liked it" ("readers").
        popular: The popularity reason's words ("widely read").
        title: The page's tagline ("books picked for you").
        icon: The page's header icon.
        tool: Name of the tool that asks tastebud from another agent (default ``<noun>_recommender``).
        genre_aliases: Lower-case words mapped onto genre names of this domain's catalogs
            (used only to read what people write, never to rewrite item data).
        hints: File-name words and column names that suggest this domain.
    """

    name: str = DEFAULT_DOMAIN
    noun: str = "item"
    plural: str = "items"
    verb: str = "try"
    past: str = "tried"
    people: str = "people"
    popular: str = "widely liked"
    title: str = "picks for you"
    icon: str = "✨"
    tool: str = ""
    genre_aliases: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    hints: tuple[str, ...] = ()

    @property
    def a_noun(self) -> str:
        """The noun with its article: "a book", "an item"."""
        return f"{'an' if self.noun[:1].lower() in 'aeiou' else 'a'} {self.noun}"

    @property
    def tool_name(self) -> str:
        """The sub-agent tool's name: ``tool``, else ``<noun>_recommender`` ("book_recommender")."""
        return self.tool or "_".join(_WORD_RE.findall(self.noun.lower())) + "_recommender"

    def words(self) -> dict[str, str]:
        """Every ``{domain.FIELD}`` value by field name (plus ``a_noun``, ``Plural``)."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), str)}
        out.update(a_noun=self.a_noun, Plural=self.plural[:1].upper() + self.plural[1:])
        return out

    def fill(self, text: str) -> str:
        """Replace ``{domain.FIELD}`` placeholders; every other ``{placeholder}`` is left as it is.

        Raises:
            KeyError: A placeholder names no field.
        """
        words = self.words()
        return _PLACEHOLDER_RE.sub(lambda m: words[m.group(1)], text)

    def to_dict(self) -> dict:
        """Plain JSON-able dict (stored with a user catalog)."""
        data = asdict(self)
        data["hints"] = list(self.hints)
        return data

    @classmethod
    def from_dict(cls, data: Mapping, *, name: str | None = None) -> Domain:
        """A domain from a mapping; missing fields come from the ``item`` preset.

        Raises:
            CatalogError: Unknown fields or wrong types.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise CatalogError(f"unknown domain field(s) {', '.join(unknown)}; fields are: {', '.join(sorted(known))}")
        values = {**asdict(cls()), **dict(data)}
        if name is not None and "name" not in data:
            values["name"] = name
        for key, value in values.items():
            if key == "genre_aliases":
                if not isinstance(value, Mapping):
                    raise CatalogError("domain field genre_aliases must map words to genre names")
                values[key] = {str(k).lower(): str(v) for k, v in value.items()}
            elif key == "hints":
                values[key] = tuple(str(v).lower() for v in (value or ()))
            elif key == "tool":
                values[key] = str(value or "")
            elif not isinstance(value, str) or not value.strip():
                raise CatalogError(f"domain field {key} must be a non-empty text")
        return cls(**values)


@cache
def domain_presets() -> dict[str, Domain]:
    """The presets of ``domains.yaml`` by name (read once)."""
    import yaml

    raw = yaml.safe_load((resources.files("tastebud") / "domains.yaml").read_text(encoding="utf-8"))
    return {name: Domain.from_dict(spec, name=name) for name, spec in raw.items()}


def get_domain(name: str | None) -> Domain:
    """The preset ``name`` (``None``: the neutral ``item`` domain).

    Raises:
        CatalogError: No preset has this name.
    """
    presets = domain_presets()
    key = (name or DEFAULT_DOMAIN).strip().lower()
    if key not in presets:
        raise CatalogError(f"unknown domain {name!r}: use one of {', '.join(presets)} or a .yaml/.json file")
    return presets[key]


def load_domain(spec: str) -> Domain:
    """The domain ``--domain`` names: a preset name, or a YAML/JSON file with domain fields.

    A file may start from a preset with ``preset: book`` and override fields.

    Raises:
        CatalogError: Unknown preset, unreadable file or bad fields.
    """
    path = Path(spec)
    if path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        return get_domain(spec)
    if not path.is_file():
        raise CatalogError(f"file not found: {path}")
    import yaml

    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: not a valid domain spec: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a domain spec is a mapping of fields (noun, plural, verb, …)")
    base = get_domain(data.pop("preset")).to_dict() if "preset" in data else {}
    return Domain.from_dict({**base, **data}, name=str(data.get("name") or base.get("name") or path.stem))


def infer_domain(name: str, columns: Iterable[str] = ()) -> Domain:
    """The preset a catalog's file name or columns suggest; the neutral ``item`` domain otherwise.

    Args:
        name: The catalog (file) name, e.g. ``my_books``.
        columns: Column names of the source file.
    """
    words = set(_WORD_RE.findall(name.lower()))
    cols = {c.strip().lower() for c in columns if c}
    for preset in domain_presets().values():
        if words & set(preset.hints):
            return preset
    for preset in domain_presets().values():
        if cols & set(preset.hints):
            return preset
    return get_domain(DEFAULT_DOMAIN)
