"""The YAML schema of the turn-understanding cases, validated with pydantic.

A case file (``evals/understanding/tune.yaml``, ``holdout.yaml``) holds one list::

    cases:
      - id: liked-001
        category: liked                       # see CATEGORIES
        turns: ["big fan of The Godfather"]   # 1 or 2 user messages; only the LAST is checked
        expect: {liked: ["The Godfather (1972)"]}

``expect`` keys (a key not given means "no change" of that kind):

=====================  ======================================================================
``liked`` ``disliked`` ``seen``  item refs the last turn adds to that list (exact set)
``wanted_genres``      genres newly in effect after the last turn (exact set of additions)
``unwanted_genres``    the same for unwanted genres
``year_from`` ``year_to``  the bound in effect after the last turn (int or ``null``)
``removed``            everything in effect before the last turn and not after: genre names,
                       ``year_from``/``year_to``, item refs
``not_found``          phrases the turn reports as not in the catalog (and names in the reply)
``asks``               one item ref the turn asks "did you mean …?" about (not recorded)
``session_only``       ``true``: the turn's genre/year changes hold only in this conversation;
                       ``false``: they are also in effect in a new conversation
=====================  ======================================================================

An item ref is a catalog label ``"Title (Year)"`` (it must name exactly one item), ``prev:N``
(the N-th item recommended by the turn before the last) or ``discussed`` (the item that turn
explained or described); the last two need two turns. :func:`load_cases` checks the schema
and :func:`canonical_expect` turns labels into item ids and genres into the catalog's names.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .dialogue_schema import DialogueSuiteError, _where, read_yaml

__all__ = ["CATEGORIES", "ITEM_FIELDS", "GENRE_FIELDS", "YEAR_FIELDS", "Expect", "Case", "load_cases",
           "canonical_expect", "label_index", "default_case_dir", "case_files"]

CATEGORIES = ("liked", "disliked", "seen", "genres", "years", "unknown", "uncertain", "loosened", "references",
              "scope", "language")
ITEM_FIELDS = ("liked", "disliked", "seen")
GENRE_FIELDS = ("wanted_genres", "unwanted_genres")
YEAR_FIELDS = ("year_from", "year_to")
_PREV = re.compile(r"^prev:([1-9][0-9]?)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expect(_Strict):
    """What the last turn must change; unset fields mean "no change" (see the module doc)."""

    liked: list[str] | None = None
    disliked: list[str] | None = None
    seen: list[str] | None = None
    wanted_genres: list[str] | None = None
    unwanted_genres: list[str] | None = None
    year_from: int | None = Field(default=None, ge=1000, le=3000)
    year_to: int | None = Field(default=None, ge=1000, le=3000)
    removed: list[str] | None = None
    not_found: list[str] | None = None
    asks: str | None = None
    session_only: bool | None = None

    def given(self) -> set[str]:
        """Names of the fields the case file sets (``year_from: null`` counts as set)."""
        return set(self.model_fields_set)


class Case(_Strict):
    """One case: one or two user turns and what the last one must change."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,80}$")
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    turns: list[str] = Field(min_length=1, max_length=2)
    expect: Expect = Field(default_factory=Expect)

    @field_validator("turns")
    @classmethod
    def _non_empty(cls, turns: list[str]) -> list[str]:
        if any(not t.strip() for t in turns):
            raise ValueError("a turn must be a non-empty message")
        return turns


def _load_file(path: Path) -> list[Case]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or not data["cases"]:
        raise DialogueSuiteError(f"{path}: a case file is a mapping with a non-empty 'cases' list")
    cases, problems, seen = [], [], set()
    for n, raw in enumerate(data["cases"]):
        try:
            case = Case.model_validate(raw)
        except ValidationError as exc:
            problems += [f"{_where(('cases', n, *e['loc']), data)}: {e['msg']}" for e in exc.errors()]
            continue
        if case.id in seen:
            problems.append(f"cases[{n}]: case id {case.id!r} is used twice")
        seen.add(case.id)
        cases.append(case)
    if problems:
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        raise DialogueSuiteError(f"{path}: invalid understanding cases: {'; '.join(problems[:5])}{more}")
    return cases


def load_cases(path: Path | str, catalog: Any = None) -> list[Case]:
    """Read and validate one case file; with ``catalog``, also check every label and genre.

    Args:
        path: The YAML file.
        catalog: The catalog the refs must resolve in (skipped when ``None``).

    Raises:
        DialogueSuiteError: With the file name and the place of every problem.
    """
    path = Path(path)
    cases = _load_file(path)
    if catalog is not None:
        index = label_index(catalog)
        problems = []
        for case in cases:
            try:
                canonical_expect(case, catalog, index)
            except ValueError as exc:
                problems.append(f"case {case.id}: {exc}")
        if problems:
            more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
            raise DialogueSuiteError(f"{path}: {'; '.join(problems[:5])}{more}")
    return cases


def label_index(catalog: Any) -> dict[str, list[str]]:
    """``label.casefold() → [item ids]`` over the catalog (labels are ``"Title (Year)"``)."""
    index: dict[str, list[str]] = {}
    for item in catalog:
        index.setdefault(item.label.strip().casefold(), []).append(item.item_id)
    return index


def _item_ref(ref: str, case: Case, index: dict[str, list[str]]) -> str:
    ref = ref.strip()
    if _PREV.match(ref) or ref == "discussed":
        if len(case.turns) < 2:
            raise ValueError(f"{ref!r} needs two turns (it names an item of the turn before the last)")
        return ref
    ids = index.get(ref.casefold(), [])
    if len(ids) != 1:
        what = "no catalog item" if not ids else f"{len(ids)} catalog items ({', '.join(ids[:5])})"
        raise ValueError(f"label {ref!r} names {what}; use 'Title (Year)' as the catalog shows it")
    return ids[0]


def _genre(name: str, catalog: Any) -> str:
    from tastebud.errors import UnknownGenreError

    try:
        return catalog.resolve_genre(name)
    except UnknownGenreError as exc:
        raise ValueError(str(exc)) from None


def canonical_expect(case: Case, catalog: Any, index: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The case's expectations with item ids and catalog genre names, only the keys given.

    ``removed`` is split into ``removed_items`` (ids or ``prev:N``/``discussed``),
    ``removed_genres`` and ``removed_years``.

    Raises:
        ValueError: A label names no item or several, a genre is unknown, or ``prev:N`` /
            ``discussed`` is used in a one-turn case.
    """
    index = index if index is not None else label_index(catalog)
    exp, given = case.expect, case.expect.given()
    out: dict[str, Any] = {}
    for name in ITEM_FIELDS:
        if name in given:
            out[name] = [_item_ref(r, case, index) for r in getattr(exp, name) or []]
    for name in GENRE_FIELDS:
        if name in given:
            out[name] = [_genre(g, catalog) for g in getattr(exp, name) or []]
    for name in YEAR_FIELDS:
        if name in given:
            out[name] = getattr(exp, name)
    if "removed" in given:
        items, genres, years = [], [], []
        for ref in exp.removed or []:
            if ref.strip() in YEAR_FIELDS:
                years.append(ref.strip())
            elif _PREV.match(ref.strip()) or ref.strip() == "discussed" or ref.strip().casefold() in index:
                items.append(_item_ref(ref, case, index))
            else:
                try:
                    genres.append(_genre(ref, catalog))
                except ValueError:
                    raise ValueError(f"removed: {ref!r} is neither a year bound, a genre nor a catalog label") from None
        out.update(removed_items=items, removed_genres=genres, removed_years=years)
    if "not_found" in given:
        out["not_found"] = [p.strip() for p in exp.not_found or [] if p.strip()]
    if exp.asks is not None:
        out["asks"] = _item_ref(exp.asks, case, index)
    if exp.session_only is not None:
        out["session_only"] = exp.session_only
    return out


def default_case_dir() -> Path:
    """The shipped cases (package data ``tastebud.evals/understanding``)."""
    from importlib.resources import files

    return Path(str(files("tastebud.evals") / "understanding"))


def case_files(split: str, folder: Path | str | None = None) -> dict[str, Path]:
    """``{split: path}`` of the case files to run: ``tune``, ``holdout`` or ``all`` (both).

    Raises:
        DialogueSuiteError: The split is unknown or its file does not exist.
    """
    names = {"tune": ["tune"], "holdout": ["holdout"], "all": ["tune", "holdout"]}.get(split)
    if names is None:
        raise DialogueSuiteError(f"unknown split {split!r}; use tune, holdout or all")
    base = Path(folder) if folder is not None else default_case_dir()
    out = {}
    for name in names:
        path = base / f"{name}.yaml"
        if not path.exists():
            raise DialogueSuiteError(f"{path}: no such case file")
        out[name] = path
    return out
