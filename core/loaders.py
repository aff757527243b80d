"""Loaders that turn source files into :class:`~tastebud.catalog.Catalog` objects.

* :func:`load_movielens` — MovieLens ml-latest-small joined with TMDB 5000 and tags.
* :func:`load_redial` — the ReDial movie list (``movies_with_mentions.csv``).
* :func:`load_user_catalog` — any CSV or JSONL file with a column mapping.

Malformed rows are reported (file and line) and skipped, or raise under ``strict``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog, Item, alternate_titles, display_title, normalize_title, split_title_year
from .domain import FILM_DOMAIN, get_domain
from .errors import BadRowError, CatalogError
from .textfiles import TextFormat, open_table, read_csv_rows

__all__ = ["ColumnMapping", "LoadReport", "load_movielens", "load_redial", "load_user_catalog"]

log = logging.getLogger(__name__)

_TMDB_GENRES = {"Science Fiction": "Sci-Fi", "Family": "Children", "Music": "Musical", "History": "Drama",
                "TV Movie": "", "Foreign": ""}


@dataclass
class LoadReport:
    """What a loader skipped. ``problems`` holds ``"file:line: reason"`` strings."""

    problems: list[str] = field(default_factory=list)

    def add(self, err: BadRowError, strict: bool) -> None:
        """Record a bad row, or raise it when ``strict``."""
        if strict:
            raise err
        log.info("skipping %s", err)  # the caller shows ``problems`` (once), e.g. the CLI
        self.problems.append(str(err))


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` of a UTF-8, comma-separated file."""
    return read_csv_rows(path)


def load_movielens(data_dir: Path, *, strict: bool = False, report: LoadReport | None = None) -> Catalog:
    """Load the default movie catalog.

    Args:
        data_dir: Folder containing ``movielens-small/`` and ``tmdb5000/``.
        strict: Raise on the first malformed row instead of skipping it.
        report: Collects skipped rows.

    Returns:
        Catalog named ``movies`` with ids ``ml:<movieId>``, popularity = ratings count.
    """
    report = report if report is not None else LoadReport()
    ml, tmdb_path = Path(data_dir) / "movielens-small", Path(data_dir) / "tmdb5000" / "tmdb_5000_movies.csv"
    tmdb: dict[int, dict] = {}
    for line, row in _read_csv(tmdb_path):
        try:
            tmdb[int(row["id"])] = {
                "overview": (row.get("overview") or "").strip(),
                "keywords": [k["name"] for k in json.loads(row.get("keywords") or "[]")],
                "genres": [g["name"] for g in json.loads(row.get("genres") or "[]")],
            }
        except (ValueError, KeyError, TypeError) as exc:
            report.add(BadRowError(str(tmdb_path), line, f"bad TMDB row: {exc}"), strict)
    links: dict[int, int] = {}
    for _, row in _read_csv(ml / "links.csv"):
        if row.get("tmdbId"):
            links[int(row["movieId"])] = int(row["tmdbId"])
    tags: dict[int, Counter] = defaultdict(Counter)
    for _, row in _read_csv(ml / "tags.csv"):
        tag = (row.get("tag") or "").strip().lower()
        if tag:
            tags[int(row["movieId"])][tag] += 1
    counts: Counter = Counter()
    with open(ml / "ratings.csv", encoding="utf-8") as fh:
        next(fh)
        for rec in fh:
            counts[int(rec.split(",", 2)[1])] += 1
    items = []
    for line, row in _read_csv(ml / "movies.csv"):
        try:
            movie_id = int(row["movieId"])
            title, year = split_title_year(row["title"])
            if not title:
                raise ValueError("empty title")
        except (ValueError, KeyError) as exc:
            report.add(BadRowError(str(ml / "movies.csv"), line, str(exc)), strict)
            continue
        genres = [g for g in row.get("genres", "").split("|") if g and g != "(no genres listed)"]
        source_ids: dict[str, int | str] = {"movielens": movie_id}
        extra = tmdb.get(links.get(movie_id, -1), {})
        if movie_id in links:
            source_ids["tmdb"] = links[movie_id]
        for g in extra.get("genres", []):
            mapped = _TMDB_GENRES.get(g, g)
            if mapped and mapped not in genres:
                genres.append(mapped)
        item_tags = list(dict.fromkeys(extra.get("keywords", []) + [t for t, _ in tags[movie_id].most_common()]))
        item = Item(item_id=f"ml:{movie_id}", title=display_title(title), year=year, genres=genres,
                    overview=extra.get("overview", ""), tags=item_tags,
                    popularity=float(counts[movie_id]), source_ids=source_ids)
        if aka := alternate_titles(title):
            item.extra["aka"] = " | ".join(aka)
        if not item.overview:
            item.overview = _fallback_overview(item)
        items.append(item)
    return Catalog("movies", items, get_domain(FILM_DOMAIN))


def _fallback_overview(item: Item) -> str:
    genres = ", ".join(g.lower() for g in item.genres) or "film"
    text = f"{item.title} is a {genres} title"
    text += f" from {item.year}." if item.year else "."
    if item.tags:
        text += " Viewers describe it as: " + ", ".join(item.tags[:10]) + "."
    return text


class _FuzzyTitles:
    """Fuzzy title matcher (rapidfuzz) over normalised MovieLens titles, compared per year."""

    def __init__(self, movies: Catalog | None, cutoff: float = 92.0, off_year_cutoff: float = 97.0) -> None:
        self.cutoff, self.off_year_cutoff = cutoff, off_year_cutoff
        self.by_year: dict[int | None, dict[str, Item]] = defaultdict(dict)
        for movie in movies or ():
            self.by_year[movie.year].setdefault(normalize_title(movie.title), movie)

    def match(self, title: str, year: int | None) -> Item | None:
        """Best movie whose normalised title scores ≥ ``cutoff`` in the same year, or
        ≥ ``off_year_cutoff`` one year off (release years differ between sources)."""
        from rapidfuzz import fuzz, process

        if year is None:
            return None
        key, best = normalize_title(title), None
        for y, cutoff in ((year, self.cutoff), (year - 1, self.off_year_cutoff), (year + 1, self.off_year_cutoff)):
            titles = self.by_year.get(y)
            hit = process.extractOne(key, list(titles), scorer=fuzz.ratio, score_cutoff=cutoff) if titles else None
            if hit and (best is None or hit[1] > best[0]):
                best = (hit[1], titles[hit[0]])
        return best[1] if best else None


def load_redial(path: Path, *, movies: Catalog | None = None, strict: bool = False,
                report: LoadReport | None = None, mentions: Mapping[int, float] | None = None) -> Catalog:
    """Load the ReDial movie list as a catalog.

    Names are cleaned (HTML entities, doubled spaces, year split off). When ``movies``
    is given, an item whose normalised title and year match a movie there borrows its
    genres, overview and tags, and keeps its MovieLens id in ``source_ids``. Titles that do
    not match exactly are matched fuzzily (rapidfuzz ratio ≥ 92 on normalised titles in the
    same year, ≥ 97 one year off); names without a year only match an unambiguous
    exact title.

    Args:
        path: ``movies_with_mentions.csv``.
        movies: The MovieLens catalog to borrow fields from.
        strict: Raise on the first bad row instead of reporting it.
        report: Collects bad rows as ``file:line``.
        mentions: Popularity per ReDial movie id (movies not in it get 0). The shipped catalog
            passes mention counts of train-split dialogues
            (:func:`tastebud.bundled.redial_train_statistics`); without it the file's
            ``nbMentions`` is used, which counts the whole ReDial corpus, test split included,
            and must not feed a benchmarked model.

    Returns:
        Catalog named ``redial`` with ids ``rd:<movieId>``, popularity = mentions.
    """
    report = report if report is not None else LoadReport()
    index: dict[tuple[str, int | None], Item] = {}
    by_title: dict[str, list[Item]] = defaultdict(list)
    for movie in movies or ():
        index.setdefault((normalize_title(movie.title), movie.year), movie)
        by_title[normalize_title(movie.title)].append(movie)
    fuzzy = _FuzzyTitles(movies)
    items, seen = [], set()
    for line, row in _read_csv(Path(path)):
        try:
            movie_id = int(row["movieId"])
            title, year = split_title_year(row["movieName"])
            count = float(row.get("nbMentions") or 0) if mentions is None else float(mentions.get(movie_id, 0))
            if not title:
                raise ValueError("empty movie name")
            if movie_id in seen:
                raise ValueError(f"duplicate movieId {movie_id}")
        except (ValueError, KeyError, TypeError) as exc:
            report.add(BadRowError(str(path), line, str(exc)), strict)
            continue
        seen.add(movie_id)
        item = Item(item_id=f"rd:{movie_id}", title=display_title(title), year=year, popularity=count,
                    source_ids={"redial": movie_id})
        match = index.get((normalize_title(item.title), year))
        same_title = by_title.get(normalize_title(item.title), [])
        if match is None and year is None and len(same_title) == 1:
            match = same_title[0]
        if match is None:
            match = fuzzy.match(item.title, year)
        if match is not None:
            item.genres, item.overview, item.tags = list(match.genres), match.overview, list(match.tags)
            item.source_ids.update(match.source_ids)
        else:
            item.overview = _fallback_overview(item)
        items.append(item)
    return Catalog("redial", items, get_domain(FILM_DOMAIN))


@dataclass
class ColumnMapping:
    """How the columns of a user catalog map onto item fields.

    Attributes:
        id_col: Column with a unique id (required).
        title_col: Column with the title (required).
        text_cols: Columns joined into the overview.
        genres_col: Column with genres/categories, split on ``genre_sep``.
        tags_col: Column with tags/keywords, split on ``tags_sep``.
        year_col: Column with a year (or a date starting with the year).
        popularity_col: Numeric column used as popularity.
    """

    id_col: str = "id"
    title_col: str = "title"
    text_cols: list[str] = field(default_factory=lambda: ["description"])
    genres_col: str | None = "genres"
    genre_sep: str = "|"
    tags_col: str | None = "tags"
    tags_sep: str = "|"
    year_col: str | None = "year"
    popularity_col: str | None = None


def _split(value: object, sep: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def _row_to_item(row: dict, mapping: ColumnMapping, prefix: str) -> Item:
    item_id = row.get(mapping.id_col)
    title = row.get(mapping.title_col)
    if item_id is None or str(item_id).strip() == "":
        raise ValueError(f"missing id column {mapping.id_col!r}")
    if title is None or str(title).strip() == "":
        raise ValueError(f"missing title column {mapping.title_col!r}")
    year = None
    raw_year = row.get(mapping.year_col) if mapping.year_col else None
    if raw_year not in (None, ""):
        try:
            year = int(str(raw_year).strip()[:4])
        except ValueError:
            raise ValueError(f"bad year {raw_year!r}") from None
    popularity = 0.0
    raw_pop = row.get(mapping.popularity_col) if mapping.popularity_col else None
    if raw_pop not in (None, ""):
        try:
            popularity = float(raw_pop)
        except (TypeError, ValueError):
            raise ValueError(f"bad popularity {raw_pop!r}") from None
    used = {mapping.id_col, mapping.title_col, mapping.genres_col, mapping.tags_col, mapping.year_col,
            mapping.popularity_col, *mapping.text_cols}
    clean, found_year = split_title_year(str(title))
    return Item(
        item_id=f"{prefix}:{str(item_id).strip()}", title=clean, year=year or found_year,
        genres=list(dict.fromkeys(_split(row.get(mapping.genres_col or ""), mapping.genre_sep))),  # the catalog's own names
        overview=" ".join(str(row[c]).strip() for c in mapping.text_cols if row.get(c) not in (None, "")),
        tags=_split(row.get(mapping.tags_col or ""), mapping.tags_sep), popularity=popularity,
        source_ids={"user": str(item_id).strip()},
        extra={k: str(v) for k, v in row.items() if k not in used and k is not None and v not in (None, "")},
    )


def load_user_catalog(path: Path, mapping: ColumnMapping | None = None, *, name: str | None = None,
                      strict: bool = False, report: LoadReport | None = None,
                      fmt: TextFormat | None = None) -> Catalog:
    """Load any CSV or JSONL catalog (books, products, ...).

    Args:
        path: ``.csv``/``.tsv`` or ``.jsonl``/``.json`` file.
        mapping: Column mapping; defaults to ``id,title,description,genres,tags,year``.
        name: Catalog name; defaults to the file stem.
        strict: Raise :class:`BadRowError` on the first bad row.
        report: Collects skipped rows.
        fmt: Encoding and delimiter (default: UTF-8, delimiter sniffed).

    Raises:
        CatalogError: Missing file, not in the expected encoding, required columns absent,
            or no usable row.
    """
    path, mapping, fmt = Path(path), mapping or ColumnMapping(), fmt or TextFormat()
    report = report if report is not None else LoadReport()
    rows = open_table(path, fmt, (mapping.id_col, mapping.title_col), "catalog", lambda err: report.add(err, strict))
    name = name or path.stem
    items, seen = [], set()
    for line, row in rows:
        try:
            if None in row:
                raise ValueError("more fields than the header has")
            item = _row_to_item(row, mapping, "u")
            if item.item_id in seen:
                raise ValueError(f"duplicate id {item.item_id[2:]!r}")
        except ValueError as exc:
            report.add(BadRowError(str(path), line, str(exc)), strict)
            continue
        seen.add(item.item_id)
        items.append(item)
    if not items:
        raise CatalogError(f"{path}: no usable rows ({len(report.problems)} skipped)")
    return Catalog(name, items)
