"""The catalog: item records, a searchable collection of them, and title normalising.

Pure Python; knows nothing of Chroma, models or LangChain.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from .domain import Domain, get_domain
from .errors import UnknownGenreError
from .vocabulary import GenreVocabulary

__all__ = [
    "Catalog",
    "Domain",
    "Item",
    "alternate_titles",
    "clean_title",
    "display_title",
    "normalize_title",
    "split_title_year",
]

_YEAR_RE = re.compile(r"\s*\((\d{4})(?:[-–]\d{0,4})?\)\s*$")
_ARTICLES = ("the", "a", "an", "les", "la", "le", "l'", "il", "el", "die", "der", "das")
_TRAILING_ARTICLE_RE = re.compile(r"^(.*), (the|a|an|les|la|le|l'|il|el|die|der|das)$", re.IGNORECASE)


def clean_title(raw: str) -> str:
    """Unescape HTML entities, normalise unicode and collapse whitespace."""
    text = html.unescape(html.unescape(raw or ""))
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def split_title_year(raw: str) -> tuple[str, int | None]:
    """Split ``"Heat (1995)"`` into ``("Heat", 1995)``; titles without a year keep ``None``."""
    text = clean_title(raw)
    match = _YEAR_RE.search(text)
    if not match:
        return text, None
    return text[: match.start()].strip(), int(match.group(1))


def display_title(title: str) -> str:
    """Move a trailing article to the front: ``"Matrix, The"`` → ``"The Matrix"``."""
    base = re.sub(r"\s*\(a\.k\.a\..*?\)|\s*\([^)]*\)$", "", title).strip() or title
    match = _TRAILING_ARTICLE_RE.match(base)
    if match:
        article = match.group(2)
        sep = "" if article.endswith("'") else " "
        return f"{article[0].upper()}{article[1:]}{sep}{match.group(1)}"
    return base


def alternate_titles(title: str) -> list[str]:
    """Other titles a source gives in parentheses, display form: ``"Downfall (Untergang, Der)"`` →
    ``["Der Untergang"]`` (MovieLens puts original and a.k.a. titles there)."""
    out = []
    for alt in re.findall(r"\(([^()]+)\)", clean_title(title)):
        alt = display_title(alt.strip().removeprefix("a.k.a. ").strip())
        if alt and not re.fullmatch(r"[\d\s–-]+", alt) and alt not in out:
            out.append(alt)
    return out


@functools.lru_cache(maxsize=65536)  # pure; the linker normalises the same phrases every turn
def normalize_title(title: str) -> str:
    """Key for matching titles across sources.

    Lower case, accents stripped, leading/trailing articles dropped, punctuation removed,
    ``&`` → ``and``, "vs" and "versus" → "v". ``"Matrix, The"``, ``"The Matrix"`` and ``"the matrix!"`` all map
    to ``"matrix"``.
    """
    text = display_title(clean_title(title))
    text = re.sub(r"[·•‧∙]", " ", text)  # "WALL·E" is "wall e", as "wall-e" is typed
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    words = ["v" if w in ("vs", "versus") else w for w in text.split()]  # "Batman vs Superman" is "Batman v Superman"
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def _shallow_copy(value):
    return list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value


@dataclass
class Item:
    """One catalog item.

    Attributes:
        item_id: Stable id, unique in its catalog (a string, e.g. ``"ml:1"``).
        title: Display title without the year, articles in front.
        year: Release year, or ``None`` when unknown.
        genres: Genres from the shared vocabulary.
        overview: Descriptive text (built from title, genres and tags when missing).
        tags: Keywords and user tags.
        popularity: Ratings count or mention count.
        source_ids: Ids in the source datasets, e.g. ``{"movielens": 1, "tmdb": 862}``.
        extra: Any other metadata (user catalogs keep unmapped columns here). ``extra["aka"]``:
            other titles of the item, separated by ``" | "`` (the title linker reads them).
    """

    item_id: str
    title: str
    year: int | None = None
    genres: list[str] = field(default_factory=list)
    overview: str = ""
    tags: list[str] = field(default_factory=list)
    popularity: float = 0.0
    source_ids: dict[str, int | str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Title with the year, as shown to people: ``"Heat (1995)"``."""
        return f"{self.title} ({self.year})" if self.year else self.title

    def document(self) -> str:
        """The text embedded for semantic search."""
        parts = [self.label]
        if self.genres:
            parts.append("Genres: " + ", ".join(self.genres) + ".")
        if self.overview:
            parts.append(self.overview)
        if self.tags:
            parts.append("Keywords: " + ", ".join(self.tags[:25]) + ".")
        return " ".join(parts)

    def text_hash(self) -> str:
        """Hash of everything stored for the item; changes when the item changes."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(payload.encode()).hexdigest()[:16]

    def to_dict(self) -> dict:
        """Plain JSON-able dict (``dataclasses.asdict`` without its deep copy: fields hold only
        strings, numbers and flat lists/dicts of them, and this runs for every item on ingest)."""
        return {f.name: _shallow_copy(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict) -> Item:
        """Inverse of :meth:`to_dict`."""
        return cls(**data)


class Catalog:
    """An ordered, id-indexed collection of items.

    Args:
        name: Catalog name (``movies``, ``redial`` or a user catalog's name).
        items: The items; ids must be unique.
        domain: What the catalog holds and the words for it (default: the neutral ``item``).
    """

    def __init__(self, name: str, items: Iterable[Item], domain: Domain | None = None) -> None:
        self.name = name
        self.domain = domain or get_domain(None)
        self.items: list[Item] = list(items)
        self._vocabulary: GenreVocabulary | None = None
        self._index = {item.item_id: i for i, item in enumerate(self.items)}
        if len(self._index) != len(self.items):
            raise ValueError(f"catalog {name!r} has duplicate item ids")

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._index

    def get(self, item_id: str) -> Item | None:
        """Return the item with this id, or ``None``."""
        pos = self._index.get(item_id)
        return None if pos is None else self.items[pos]

    def position(self, item_id: str) -> int | None:
        """Row of the item in :attr:`items` (used as matrix index by recommenders)."""
        return self._index.get(item_id)

    @property
    def ids(self) -> list[str]:
        """Item ids in catalog order."""
        return [item.item_id for item in self.items]

    def genres(self) -> list[str]:
        """Sorted genre vocabulary of this catalog."""
        return sorted({g for item in self.items for g in item.genres})

    @property
    def vocabulary(self) -> GenreVocabulary:
        """The catalog's genre names and the words that mean them (built once)."""
        if self._vocabulary is None:
            self._vocabulary = GenreVocabulary(self.genres(), self.domain.genre_aliases)
        return self._vocabulary

    def resolve_genre(self, name: str) -> str:
        """Map a user-written genre (any case, plural, synonyms, the domain's aliases, typos) onto
        the catalog's own genre names.

        Raises:
            UnknownGenreError: When nothing matches; the message lists valid genres.
        """
        found = self.vocabulary.resolve(name)
        if found is None:
            raise UnknownGenreError(name, self.vocabulary.genres)
        return found

    def version(self) -> str:
        """Content hash of the whole catalog; model artifacts are tied to it."""
        digest = hashlib.sha1(self.name.encode())
        for item in self.items:
            digest.update(item.item_id.encode())
            digest.update(item.text_hash().encode())
        return digest.hexdigest()[:16]

    def save_jsonl(self, path: Path) -> None:
        """Write the catalog as (optionally gzipped) JSON lines."""
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "wt", encoding="utf-8") as fh:
            for item in self.items:
                fh.write(json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")

    @classmethod
    def load_jsonl(cls, name: str, path: Path, domain: Domain | None = None) -> Catalog:
        """Read a catalog written by :meth:`save_jsonl`."""
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            return cls(name, (Item.from_dict(json.loads(line)) for line in fh if line.strip()), domain)
