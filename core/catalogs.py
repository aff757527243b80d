"""Resolve a catalog name or path to a :class:`Catalog`, and remember user catalogs.

``movies`` and ``redial`` are shipped with the package. Any other name is a user catalog:
ingesting ``PATH`` saves a copy under ``$TASTEBUD_HOME/catalogs/<stem>/`` so later
commands can say ``--catalog <stem>`` (or the same path again).
"""

from __future__ import annotations

from pathlib import Path

from .bundled import BUNDLED_CATALOGS, load_bundled_catalog
from .catalog import Catalog
from .errors import CatalogError
from .loaders import ColumnMapping, LoadReport, load_user_catalog
from .settings import Settings

__all__ = ["catalog_name", "load_catalog", "saved_catalog_path"]


def catalog_name(spec: str) -> str:
    """Name of the catalog a ``--catalog`` value designates (a path's file stem)."""
    if spec in BUNDLED_CATALOGS:
        return spec
    path = Path(spec)
    return path.stem if path.suffix else spec


def saved_catalog_path(settings: Settings, name: str) -> Path:
    """Where a user catalog's items are kept after ingest."""
    return settings.catalog_dir(name) / "catalog.jsonl.gz"


def load_catalog(settings: Settings, spec: str, *, mapping: ColumnMapping | None = None, strict: bool = False,
                 report: LoadReport | None = None, reload: bool = False) -> Catalog:
    """Load the catalog ``spec`` names.

    Args:
        settings: Application settings (for the home directory).
        spec: ``movies``, ``redial``, a path to a CSV/JSONL file, or a saved user catalog name.
        mapping: Column mapping for a user catalog file.
        strict: Fail on the first bad row.
        report: Collects skipped rows.
        reload: Read the source file even if a saved copy exists.

    Raises:
        CatalogError: When nothing matches ``spec``.
    """
    if spec in BUNDLED_CATALOGS:
        return load_bundled_catalog(spec)
    name = catalog_name(spec)
    saved = saved_catalog_path(settings, name)
    path = Path(spec)
    if path.suffix and path.is_file() and (reload or mapping is not None or not saved.is_file()):
        return load_user_catalog(path, mapping, name=name, strict=strict, report=report)
    if saved.is_file():
        return Catalog.load_jsonl(name, saved)
    raise CatalogError(f"unknown catalog {spec!r}: use movies, redial, a .csv/.jsonl path, "
                       "or the name of a catalog ingested before")
