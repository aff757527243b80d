"""All exceptions raised by tastebud, in one place.

Every error derives from :class:`TastebudError`, so callers (the CLI, the chat page)
can catch one type and show a friendly message instead of a stack trace.
"""

from __future__ import annotations

__all__ = [
    "TastebudError",
    "ConfigError",
    "CatalogError",
    "BadRowError",
    "UnknownGenreError",
    "EmptyQueryError",
    "StoreError",
    "ArtifactError",
    "UnknownUserError",
    "ProfileError",
    "BackendError",
    "ProviderError",
]


class TastebudError(Exception):
    """Base class of every tastebud error. ``exit_code`` is used by the CLI."""

    exit_code = 1


class ConfigError(TastebudError):
    """Settings are missing or inconsistent."""

    exit_code = 2


class CatalogError(TastebudError):
    """A catalog could not be loaded (missing file, no usable rows, bad mapping)."""

    exit_code = 2


class BadRowError(CatalogError):
    """A single catalog row is malformed.

    Attributes:
        path: File the row came from.
        line: 1-based line number in that file.
        reason: What is wrong with the row.
    """

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}:{line}: {reason}")


class UnknownGenreError(TastebudError):
    """A genre filter names a genre the catalog does not have."""

    exit_code = 2

    def __init__(self, genre: str, valid: list[str]) -> None:
        self.genre, self.valid = genre, sorted(valid)
        super().__init__(f"unknown genre {genre!r}; valid genres: {', '.join(self.valid)}")


class EmptyQueryError(TastebudError):
    """A search was asked for with an empty query."""

    exit_code = 2


class StoreError(TastebudError):
    """The Chroma item store is missing, incomplete or unreachable."""


class ArtifactError(TastebudError):
    """A saved model artifact is missing, stale or corrupted."""


class UnknownUserError(TastebudError):
    """A profile operation named a user that does not exist."""

    exit_code = 2


class BackendError(TastebudError):
    """An LLM backend failed after its retry budget was spent."""


class ProviderError(ConfigError):
    """A ``--model`` / ``TASTEBUD_MODEL`` provider string names an unknown provider, or its package
    is not installed (the message names the extra to install)."""


class ProfileError(TastebudError):
    """A profile change is invalid (bad kind, empty or oversized value), or the profile DB is unusable."""

    exit_code = 2
