"""The user profile as plain data, with no storage.

A profile is a set of *facts*, one per slot ``(kind, key)``: ``("liked", item_id)``,
``("unwanted", genre.casefold())``, ``("constraint", "year_from")``, ``("note", "17")``…
Each fact is a JSON-able dict ``{"value", "source", "at", "seq"}`` (``seq`` orders the
lists). A :class:`Change` is turned by :func:`plan_change` into the slots it sets or
clears; storing those with their previous values is what makes undo exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ProfileError
from .scope import Entry, Filters, Session, add_session_fact, effective_filters, is_session_slot, session_slot

__all__ = [
    "CHANGE_KINDS",
    "SCOPED_KINDS",
    "ITEM_LISTS",
    "YEAR_KEYS",
    "Change",
    "Entry",
    "Event",
    "Profile",
    "Slot",
    "build_profile",
    "check_name",
    "plan_change",
]

Slot = tuple[str, str]
ITEM_LISTS = ("liked", "disliked", "seen")
YEAR_KEYS = ("year_from", "year_to")
#: Kinds that may be limited to one conversation (:attr:`Change.scope`).
SCOPED_KINDS = ("want_genre", "unwant_genre", "remove_genre", "set_constraint", "remove_constraint")
CHANGE_KINDS = ("like", "dislike", "seen", "remove_item", "want_genre", "unwant_genre", "remove_genre",
                "set_constraint", "remove_constraint", "add_note", "remove_note", "clear")
MAX_NAME, MAX_TEXT = 512, 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")
_SCALARS = (str, int, float, bool)


def check_name(value: Any, what: str, *, limit: int = MAX_NAME, multiline: bool = False) -> str:
    """Return ``value`` stripped, or raise :class:`ProfileError` if it is not a usable name.

    Args:
        value: The candidate (an item id, genre, user id, source, note…).
        what: How to call it in the error message.
        limit: Maximum length in characters.
        multiline: Allow newlines and tabs (free text).
    """
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{what} must be a non-empty string, got {value!r}")
    value = value.strip()
    if len(value) > limit:
        raise ProfileError(f"{what} is too long ({len(value)} characters, at most {limit})")
    if _CONTROL.search(value.replace("\n", "").replace("\t", "") if multiline else value):
        raise ProfileError(f"{what} contains control characters")
    return value


def _check_constraint(key: str, value: Any) -> Any:
    if not _KEY.match(key):
        raise ProfileError(f"constraint key {key!r} must be a metadata name like 'year_from' or 'language'")
    if key in YEAR_KEYS:
        if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 3000:
            raise ProfileError(f"{key} must be a year (a whole number between 1000 and 3000), got {value!r}")
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, _SCALARS) for v in value):
        value = list(value)
    elif not isinstance(value, _SCALARS):
        raise ProfileError(f"constraint {key!r} needs a string, number, boolean or list of them, got {value!r}")
    for scalar in value if isinstance(value, list) else [value]:
        if isinstance(scalar, str):
            check_name(scalar, f"constraint {key!r}", limit=MAX_TEXT)
        elif isinstance(scalar, float) and scalar != scalar:
            raise ProfileError(f"constraint {key!r} cannot be NaN")
    return value


@dataclass(frozen=True)
class Change:
    """One edit of a profile.

    Attributes:
        kind: One of :data:`CHANGE_KINDS`.
        target: Item id (``like``, ``dislike``, ``seen``, ``remove_item``), genre
            (``*_genre``), constraint key (``*_constraint``) or note text (``*_note``);
            ``None`` for ``clear``.
        value: The constraint value for ``set_constraint``; for ``remove_item``, optionally
            the one list to remove from (``liked``, ``disliked`` or ``seen``; default all).
        scope: A conversation (thread) id for a refinement that holds in that conversation
            only (genre and constraint kinds); ``None`` for the lasting profile. Removing in a
            scope lifts the limit both in that conversation and in the profile.
    """

    kind: str
    target: str | None = None
    value: Any = None
    scope: str | None = None

    def __post_init__(self) -> None:
        kind, target, value = self.kind, self.target, self.value
        if kind not in CHANGE_KINDS:
            raise ProfileError(f"unknown profile change {kind!r}; valid: {', '.join(CHANGE_KINDS)}")
        if kind == "clear":
            if target is not None or value is not None:
                raise ProfileError("'clear' takes no target or value")
            return
        note = kind.endswith("_note")
        target = check_name(target, "note" if note else "target", limit=MAX_TEXT if note else MAX_NAME,
                            multiline=note)
        if kind == "set_constraint":
            value = _check_constraint(target, value)
        elif kind == "remove_item":
            if value is not None and value not in ITEM_LISTS:
                raise ProfileError(f"remove_item can only remove from {', '.join(ITEM_LISTS)}, got {value!r}")
        elif value is not None:
            raise ProfileError(f"{kind!r} takes no value")
        if self.scope is not None:
            if kind not in SCOPED_KINDS:
                raise ProfileError(f"{kind!r} cannot be limited to one conversation")
            object.__setattr__(self, "scope", check_name(self.scope, "conversation id"))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "value", value)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        """Build a change from :meth:`to_dict` output (or a tool's arguments)."""
        return cls(data.get("kind", ""), data.get("target"), data.get("value"), data.get("scope"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form: ``kind``, plus ``target`` and ``value`` when set."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.target is not None:
            out["target"] = self.target
        if self.value is not None:
            out["value"] = self.value
        if self.scope is not None:
            out["scope"] = self.scope
        return out


# Field name of Entry.value in each list of Profile.to_dict().
_VALUE_NAMES = {"liked": "item_id", "disliked": "item_id", "seen": "item_id", "wanted_genres": "genre",
                "unwanted_genres": "genre", "notes": "text"}


@dataclass
class Profile:
    """What tastebud knows about one user's taste. Lists are in the order things were said.

    Attributes:
        user_id: Whose profile this is.
        liked: Items the user likes (mutually exclusive with ``disliked``).
        disliked: Items the user dislikes.
        seen: Items the user has seen (independent of liking).
        wanted_genres: Genres asked for (mutually exclusive with ``unwanted_genres``).
        unwanted_genres: Genres to avoid.
        constraints: ``year_from``, ``year_to`` and any catalog metadata key → value.
        notes: Free-text notes.
        recommended: Item ids already shown to the user, oldest first (not a taste change).
        version: Id of the last event applied to this profile (0: never changed).
        sessions: Refinements that hold in one conversation only, by thread id.
    """

    user_id: str
    liked: list[Entry] = field(default_factory=list)
    disliked: list[Entry] = field(default_factory=list)
    seen: list[Entry] = field(default_factory=list)
    wanted_genres: list[Entry] = field(default_factory=list)
    unwanted_genres: list[Entry] = field(default_factory=list)
    constraints: dict[str, Entry] = field(default_factory=dict)
    notes: list[Entry] = field(default_factory=list)
    recommended: list[str] = field(default_factory=list)
    version: int = 0
    sessions: dict[str, Session] = field(default_factory=dict)

    def session(self, thread_id: str | None) -> Session:
        """The refinements of one conversation (empty for ``None`` or an unknown thread)."""
        return self.sessions.get(thread_id or "", Session())

    def filters(self, thread_id: str | None = None) -> Filters:
        """Genres and years in effect in a conversation: the profile, then its refinements on top."""
        return effective_filters(self, self.session(thread_id))

    def ids(self, which: str) -> list[str]:
        """Item ids of ``liked``, ``disliked`` or ``seen``, in order."""
        if which not in ITEM_LISTS:
            raise ValueError(f"which must be one of {ITEM_LISTS}")
        return [e.value for e in getattr(self, which)]

    def genres(self, *, wanted: bool = True) -> list[str]:
        """Names of the wanted (default) or unwanted genres."""
        return [e.value for e in (self.wanted_genres if wanted else self.unwanted_genres)]

    def constraint_values(self) -> dict[str, Any]:
        """Constraints as a plain ``key → value`` dict."""
        return {k: e.value for k, e in self.constraints.items()}

    @property
    def year_from(self) -> int | None:
        """Earliest wanted year, if any."""
        entry = self.constraints.get("year_from")
        return entry.value if entry else None

    @property
    def year_to(self) -> int | None:
        """Latest wanted year, if any."""
        entry = self.constraints.get("year_to")
        return entry.value if entry else None

    def user_items(self) -> dict[str, float]:
        """Explicit feedback for recommenders: ``+1.0`` per liked item, ``-1.0`` per disliked."""
        return {**{e.value: 1.0 for e in self.liked}, **{e.value: -1.0 for e in self.disliked}}

    def exclusions(self, *, include_recommended: bool = True) -> set[str]:
        """Items not to recommend: liked, disliked, seen and (by default) already shown."""
        out = {e.value for name in ITEM_LISTS for e in getattr(self, name)}
        return out | set(self.recommended) if include_recommended else out

    def is_empty(self) -> bool:
        """True when the profile holds no taste at all (``recommended`` does not count)."""
        return not (self.liked or self.disliked or self.seen or self.wanted_genres or self.unwanted_genres
                    or self.constraints or self.notes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form; list entries are ``{item_id|genre|text, source, at}``."""
        out: dict[str, Any] = {"user_id": self.user_id, "version": self.version}
        for name, value_name in _VALUE_NAMES.items():
            out[name] = [{value_name: e.value, "source": e.source, "at": e.at} for e in getattr(self, name)]
        out["constraints"] = {k: {"value": e.value, "source": e.source, "at": e.at}
                              for k, e in self.constraints.items()}
        out["recommended"] = list(self.recommended)
        out["sessions"] = {t: v.to_dict() for t, v in self.sessions.items() if not v.is_empty()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Profile:
        """Inverse of :meth:`to_dict`."""
        lists = {name: [Entry(d[value_name], d["source"], d["at"]) for d in data.get(name, [])]
                 for name, value_name in _VALUE_NAMES.items()}
        constraints = {k: Entry(d["value"], d["source"], d["at"]) for k, d in data.get("constraints", {}).items()}
        sessions = {t: Session.from_dict(v) for t, v in (data.get("sessions") or {}).items()}
        return cls(data["user_id"], constraints=constraints, recommended=list(data.get("recommended", [])),
                   version=int(data.get("version", 0)), sessions=sessions, **lists)

    def summary_lines(self, titles: Mapping[str, str] | None = None) -> list[str]:
        """Human-readable lines (for the CLI and a read-profile tool).

        Args:
            titles: Optional item id → display title; ids are shown where missing.
        """
        titles = titles or {}

        def items(entries: list[Entry]) -> str:
            return "; ".join(f"{titles.get(e.value, e.value)} [{e.source}]" for e in entries) or "-"

        def names(entries: list[Entry]) -> str:
            return ", ".join(e.value for e in entries) or "-"

        constraints = ", ".join(f"{k}={e.value}" for k, e in self.constraints.items()) or "-"
        return [f"user: {self.user_id}", f"liked: {items(self.liked)}", f"disliked: {items(self.disliked)}",
                f"seen: {items(self.seen)}", f"wanted genres: {names(self.wanted_genres)}",
                f"unwanted genres: {names(self.unwanted_genres)}", f"constraints: {constraints}",
                f"notes: {' | '.join(e.value for e in self.notes) or '-'}",
                f"already recommended: {len(self.recommended)} item(s)"]


@dataclass(frozen=True)
class Event:
    """One logged change of a profile.

    Attributes:
        id: Increasing event id (global across users).
        user_id: Whose profile changed.
        kind: The :class:`Change` kind, or ``"undo"``.
        change: ``Change.to_dict()``; for an undo ``{"kind": "undo", "target": <event id>}``.
        source: What made the change.
        at: UTC time, ISO 8601.
        before: ``[kind, key, fact-or-None]`` for every slot the change touched, as it was.
        after: The same slots as the change left them.
        undoes: For an undo, the id of the event it reverted.
        undone_by: The id of the undo event that reverted this one, if any.
    """

    id: int
    user_id: str
    kind: str
    change: dict[str, Any]
    source: str
    at: str
    before: list[list[Any]]
    after: list[list[Any]]
    undoes: int | None = None
    undone_by: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {"id": self.id, "user_id": self.user_id, "kind": self.kind, "change": self.change,
                "source": self.source, "at": self.at, "before": self.before, "after": self.after,
                "undoes": self.undoes, "undone_by": self.undone_by}


def plan_change(facts: Mapping[Slot, dict], change: Change, source: str, at: str,
                seq: int) -> dict[Slot, dict | None]:
    """The slots ``change`` sets (to a new fact) or clears (``None``), given current ``facts``.

    Conflict rules: liking removes a dislike and vice versa; wanting a genre removes it from
    the unwanted genres and vice versa; a year bound that would make the range empty drops the
    other bound. Re-stating something already known keeps the original (and its source).
    Slots that would not change are left out, so an empty result means a no-op.

    Args:
        facts: Current facts of the user, by slot.
        change: The edit.
        source: Source stamped on new facts.
        at: Time stamped on new facts.
        seq: Ordering key of new facts.
    """
    def fact(value: Any) -> dict:
        return {"value": value, "source": source, "at": at, "seq": seq}

    kind, target, value, scope = change.kind, change.target, change.value, change.scope

    def slot(base: str, key: str, in_scope: str | None = scope) -> Slot:
        return session_slot(base, key, in_scope) if in_scope else (base, key)

    want: dict[Slot, dict | None] = {}
    if kind in ("like", "dislike", "seen", "want_genre", "unwant_genre"):
        mine, other = {"like": ("liked", "disliked"), "dislike": ("disliked", "liked"), "seen": ("seen", None),
                       "want_genre": ("wanted", "unwanted"), "unwant_genre": ("unwanted", "wanted")}[kind]
        key = target.casefold() if kind.endswith("_genre") else target
        if slot(mine, key) not in facts:
            want[slot(mine, key)] = fact(target)
        if other:
            want[slot(other, key)] = None
    elif kind == "remove_item":
        want.update({(name, target): None for name in ([value] if value else ITEM_LISTS)})
    elif kind == "remove_genre":  # in a scope: lifted there and in the profile
        for in_scope in {None, scope}:
            want.update({slot(name, target.casefold(), in_scope): None for name in ("wanted", "unwanted")})
    elif kind == "set_constraint":
        current = facts.get(slot("constraint", target))
        if current is None or current["value"] != value:
            want[slot("constraint", target)] = fact(value)
        if target in YEAR_KEYS:
            other = YEAR_KEYS[1 - YEAR_KEYS.index(target)]
            bound = facts.get(slot("constraint", other))
            if bound and (value > bound["value"] if target == "year_from" else value < bound["value"]):
                want[slot("constraint", other)] = None
    elif kind == "remove_constraint":
        for in_scope in {None, scope}:
            want[slot("constraint", target, in_scope)] = None
    elif kind == "add_note":
        if not any(s[0] == "note" and f["value"] == target for s, f in facts.items()):
            want[("note", str(seq))] = fact(target)
    elif kind == "remove_note":
        want.update({s: None for s, f in facts.items() if s[0] == "note" and f["value"] == target})
    else:  # clear
        want.update({s: None for s in facts})
    return {slot: new for slot, new in want.items() if facts.get(slot) != new}


def build_profile(user_id: str, facts: Iterable[tuple[str, str, dict]], recommended: Iterable[str] = (),
                  version: int = 0) -> Profile:
    """Assemble a :class:`Profile` from ``(kind, key, fact)`` rows, ordered by ``fact["seq"]``."""
    profile = Profile(user_id, recommended=list(recommended), version=version)
    lists = {"liked": profile.liked, "disliked": profile.disliked, "seen": profile.seen,
             "wanted": profile.wanted_genres, "unwanted": profile.unwanted_genres, "note": profile.notes}
    for kind, key, f in sorted(facts, key=lambda row: row[2]["seq"]):
        entry = Entry(f["value"], f["source"], f["at"])
        if is_session_slot(kind):
            add_session_fact(profile.sessions, kind, key, entry)
        elif kind == "constraint":
            profile.constraints[key] = entry
        else:
            lists[kind].append(entry)
    return profile
