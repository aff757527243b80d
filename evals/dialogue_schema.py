"""The YAML schema of scripted dialogue suites, validated with pydantic.

A suite file holds one suite::

    suite: refinement                 # name shown in the table (default: the file stem)
    description: Users narrow down what they want.
    catalog: movies                   # optional, default movies
    top_n: 5                          # optional: N of the "top-N" checks (default 5)
    dialogues:
      - id: funnier                   # unique within the suite
        description: optional text
        always: [no_repeats, reasons] # checks run after every turn (this is the default)
        turns:
          - user: "I loved Toy Story"
            as: b                     # optional: speak as another user of the dialogue (own thread)
            padding: {text: "blah", times: 500}  # optional: appended to the message (long inputs)
            expect:                   # each item is one expectation with ONE check key
              - includes: [ml:1]
              - none_has_genre: [Horror]
                top: 10               # optional per-expectation N
              - reply_matches: "toy story"
                xfail: "bug: ..."     # a known product bug: FAIL -> XFAIL, pass -> XPASS

Check keys (ids are catalog item ids, or ``prev:N`` for the N-th item of the list shown to the
speaker before this turn; genres are catalog genres; regexes are case-insensitive Python
regexes searched in the reply):

=================  ==========================================================================
``recommends``     ``true``: the turn returned recommendations; ``false``: it returned none
``includes``       every listed id is in the top N
``includes_any``   at least one listed id is in the top N
``excludes``       no listed id is in the top N
``every_has_genre``  every top-N item has at least one of the listed genres
``none_has_genre``   no top-N item has any of the listed genres
``year_between``   ``[from, to]`` (``null`` = open): every top-N item's year is within
``explains``       the turn explained every listed id
``profile_has``    profile fields that must hold: ``liked/disliked/seen`` (ids),
                   ``wanted_genres/unwanted_genres`` (genres), ``constraints`` (``{name: value}``)
``profile_lacks``  the same fields, values that must NOT be in the profile
                   (both read the profile as it applies in the dialogue's conversation: genres and
                   constraints include the conversation's refinements, ``profile["session"]``)
``reply_matches``  the reply matches the regex
``reply_not_matches``  the reply does not match the regex
``no_repeats``     no item recommended twice in this user's conversation so far
``reasons``        every recommendation has at least one non-empty reason
``in_catalog``     every recommended id exists in the catalog
=================  ==========================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tastebud.errors import TastebudError

__all__ = ["read_yaml", "DialogueSuiteError", "Expectation", "Turn", "Dialogue", "Suite", "CHECKS", "PROFILE_FIELDS",
           "load_suite", "load_suites", "default_suite_dir"]

CHECKS = ("recommends", "includes", "includes_any", "excludes", "every_has_genre", "none_has_genre",
          "year_between", "explains", "profile_has", "profile_lacks", "reply_matches", "reply_not_matches",
          "no_repeats", "reasons", "in_catalog")
PROFILE_FIELDS = ("liked", "disliked", "seen", "wanted_genres", "unwanted_genres", "constraints")


class DialogueSuiteError(TastebudError):
    """A dialogue suite file is missing, is not YAML or does not follow the schema."""

    exit_code = 2


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ProfileSpec(_Strict):
    """Values of a ``profile_has`` / ``profile_lacks`` check."""

    liked: list[str] = []
    disliked: list[str] = []
    seen: list[str] = []
    wanted_genres: list[str] = []
    unwanted_genres: list[str] = []
    constraints: dict[str, Any] = {}


class Expectation(_Strict):
    """One check after a turn: exactly one check key, plus optional ``top`` and ``xfail``."""

    recommends: bool | None = None
    includes: list[str] | None = None
    includes_any: list[str] | None = None
    excludes: list[str] | None = None
    every_has_genre: list[str] | None = None
    none_has_genre: list[str] | None = None
    year_between: tuple[int | None, int | None] | None = None
    explains: list[str] | None = None
    profile_has: ProfileSpec | None = None
    profile_lacks: ProfileSpec | None = None
    reply_matches: str | None = None
    reply_not_matches: str | None = None
    no_repeats: bool | None = None
    reasons: bool | None = None
    in_catalog: bool | None = None
    top: int | None = Field(default=None, ge=1, le=100)
    xfail: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        # a bare name in a list (``- no_repeats``) means ``{no_repeats: true}``
        return {value: True} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_check(self) -> Expectation:
        keys = self.check_keys()
        if len(keys) != 1:
            raise ValueError(f"an expectation needs exactly one of {', '.join(CHECKS)}; got {keys or 'none'}")
        for key in ("reply_matches", "reply_not_matches"):
            pattern = getattr(self, key)
            if pattern is not None:
                import re

                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{key}: bad regex {pattern!r} ({exc})") from None
        return self

    def check_keys(self) -> list[str]:
        """The check keys that are set (exactly one after validation)."""
        return [k for k in CHECKS if getattr(self, k) is not None]

    @property
    def check(self) -> str:
        """The check's key."""
        return self.check_keys()[0]

    @property
    def value(self) -> Any:
        """The check's value."""
        return getattr(self, self.check)

    def describe(self) -> str:
        """A one-line human description, e.g. ``excludes [ml:1] (top 5)``."""
        value = self.value
        if isinstance(value, ProfileSpec):
            value = value.model_dump(exclude_defaults=True)
        text = self.check if value is True else f"{self.check} {value}"
        return text + (f" (top {self.top})" if self.top else "")


class Padding(_Strict):
    """Text appended ``times`` times to a turn's message (for very long inputs)."""

    text: str = Field(min_length=1)
    times: int = Field(ge=1, le=5000)


class Turn(_Strict):
    """One user message and what must hold after it."""

    user: str = Field(min_length=1)
    speaker: str = Field(default="a", alias="as", pattern=r"^[A-Za-z0-9_-]{1,20}$")
    padding: Padding | None = None
    expect: list[Expectation] = []

    @property
    def message(self) -> str:
        """The message sent: ``user`` followed by the padding, if any."""
        if self.padding is None:
            return self.user
        return " ".join([self.user, *[self.padding.text] * self.padding.times])


class Dialogue(_Strict):
    """A conversation: turns run in order in fresh threads of fresh users."""

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,60}$")
    description: str = ""
    always: list[Expectation] = Field(default_factory=lambda: [Expectation(no_repeats=True),
                                                               Expectation(reasons=True)])
    turns: list[Turn] = Field(min_length=1)


class Suite(_Strict):
    """A file of dialogues."""

    suite: str = Field(default="", pattern=r"^[A-Za-z0-9_-]{0,60}$")
    description: str = ""
    catalog: str = "movies"
    top_n: int = Field(default=5, ge=1, le=100)
    dialogues: list[Dialogue] = Field(min_length=1)
    path: str = ""

    @field_validator("dialogues")
    @classmethod
    def _unique_ids(cls, dialogues: list[Dialogue]) -> list[Dialogue]:
        seen: set[str] = set()
        for d in dialogues:
            if d.id in seen:
                raise ValueError(f"dialogue id {d.id!r} is used twice")
            seen.add(d.id)
        return dialogues


def _where(loc: tuple, data: Any) -> str:
    """``dialogues[2] (id=x).turns[0].expect[1]`` from a pydantic error location."""
    parts, node = [], data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            try:
                node = node[key]
                if isinstance(node, dict) and "id" in node:
                    label += f" (id={node['id']})"
            except (IndexError, KeyError, TypeError):
                node = None
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def read_yaml(path: Path) -> Any:
    """A YAML file's content; an unreadable or invalid file is a :class:`DialogueSuiteError` naming it."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DialogueSuiteError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise DialogueSuiteError(f"{path}: not valid YAML ({exc})".replace("\n", " ")) from None


def load_suite(path: Path | str) -> Suite:
    """Read and validate one suite file.

    Raises:
        DialogueSuiteError: With the file name and the place of every schema error.
    """
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DialogueSuiteError(f"{path}: a suite is a mapping with a 'dialogues' list")
    try:
        suite = Suite.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        problems = "; ".join(f"{_where(e['loc'], data)}: {e['msg']}" for e in exc.errors()[:5])
        more = f" (+{exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise DialogueSuiteError(f"{path}: invalid dialogue suite: {problems}{more}") from None
    if not suite.suite:
        suite.suite = path.stem
    return suite


def default_suite_dir() -> Path:
    """The shipped suites (package data ``tastebud.evals/dialogues``)."""
    from importlib.resources import files

    return Path(str(files("tastebud.evals") / "dialogues"))


def load_suites(paths: list[Path | str] | None = None) -> list[Suite]:
    """Load suites from files and folders (``*.yaml``/``*.yml``, sorted); the shipped ones by default.

    Raises:
        DialogueSuiteError: A path is missing, holds no suite, or two suites share a name.
    """
    files: list[Path] = []
    for p in [Path(p) for p in (paths or [default_suite_dir()])]:
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            if not found:
                raise DialogueSuiteError(f"{p}: no *.yaml dialogue suites in this folder")
            files += found
        elif p.exists():
            files.append(p)
        else:
            raise DialogueSuiteError(f"{p}: no such file or folder")
    suites = [load_suite(f) for f in files]
    names: dict[str, str] = {}
    for s in suites:
        if s.suite in names:
            raise DialogueSuiteError(f"{s.path}: suite name {s.suite!r} is also used by {names[s.suite]}")
        names[s.suite] = s.path
    return suites
