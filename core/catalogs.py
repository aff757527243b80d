"""Resolve a catalog name or path to a :class:`Catalog`, and remember user catalogs.

``movies`` and ``redial`` are shipped with the package. Any other name is a user catalog:
ingesting ``PATH`` saves a copy under ``$TASTEBUD_HOME/catalogs/<stem>/`` so later
commands can say ``--catalog <stem>`` (or the same path again).
"""

from __future__ import annotations

import json
from pathlib import Path

from .bundled import BUNDLED_CATALOGS, load_bundled_catalog
from .catalog import Catalog
from .domain import Domain, infer_domain
from .errors import CatalogError
from .loaders import ColumnMapping, LoadReport, load_user_catalog
from .settings import Settings
from .textfiles import TextFormat

__all__ = ["catalog_name", "load_catalog", "save_domain", "saved_catalog_path", "saved_domain"]


def catalog_name(spec: str) -> str:
    """Name of the catalog a ``--catalog`` value designates (a path's file stem).

    Raises:
        CatalogError: A file named like a shipped catalog (``movies.csv``): its items, store and
            models would replace the shipped catalog's, so it must be renamed.
    """
    if spec in BUNDLED_CATALOGS:
        return spec
    path = Path(spec)
    if not path.suffix:
        return spec
    if path.stem.casefold() in BUNDLED_CATALOGS:
        raise CatalogError(f"{spec}: a user catalog cannot be named {path.stem!r} like a shipped catalog; "
                           f"rename the file (e.g. my-{path.stem}{path.suffix})")
    return path.stem


def saved_catalog_path(settings: Settings, name: str) -> Path:
    """Where a user catalog's items are kept after ingest."""
    return settings.catalog_dir(name) / "catalog.jsonl.gz"


def _domain_path(settings: Settings, name: str) -> Path:
    return settings.catalog_dir(name) / "domain.json"


def saved_domain(settings: Settings, name: str) -> Domain | None:
    """The domain stored with an ingested user catalog, or ``None``."""
    path = _domain_path(settings, name)
    if not path.is_file():
        return None
    return Domain.from_dict(json.loads(path.read_text(encoding="utf-8")))


def save_domain(settings: Settings, name: str, domain: Domain) -> None:
    """Store a user catalog's domain next to its items (atomically)."""
    path = _domain_path(settings, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(domain.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def load_catalog(settings: Settings, spec: str, *, mapping: ColumnMapping | None = None, strict: bool = False,
                 report: LoadReport | None = None, reload: bool = False, domain: Domain | None = None,
                 fmt: TextFormat | None = None) -> Catalog:
    """Load the catalog ``spec`` names.

    Args:
        settings: Application settings (for the home directory).
        spec: ``movies``, ``redial``, a path to a CSV/JSONL file, or a saved user catalog name.
        mapping: Column mapping for a user catalog file.
        strict: Fail on the first bad row.
        report: Collects skipped rows.
        reload: Read the source file even if a saved copy exists.
        domain: What a user catalog holds; default: the one stored at its last ingest, else the
            one its name or columns suggest (:func:`tastebud.domain.infer_domain`).
        fmt: Encoding and delimiter of a user catalog file.

    Raises:
        CatalogError: When nothing matches ``spec`` ("file not found: PATH" for a path that
            does not exist and was never ingested, or on ``reload``).
    """
    if spec in BUNDLED_CATALOGS:
        return load_bundled_catalog(spec)
    name = catalog_name(spec)
    saved = saved_catalog_path(settings, name)
    path = Path(spec)
    if path.suffix and (reload or mapping is not None or not saved.is_file()):
        if not path.is_file():
            raise CatalogError(f"file not found: {spec}")
        catalog = load_user_catalog(path, mapping, name=name, strict=strict, report=report, fmt=fmt)
        columns = {key for item in catalog.items[:50] for key in item.extra}
        catalog.domain = domain or saved_domain(settings, name) or infer_domain(name, columns)
        return catalog
    if saved.is_file():
        return Catalog.load_jsonl(name, saved, domain or saved_domain(settings, name) or infer_domain(name))
    raise CatalogError(f"unknown catalog {spec!r}: use movies, redial, a .csv/.jsonl path, "
                       "or the name of a catalog ingested before")
