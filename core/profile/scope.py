"""What lasts and what holds for one conversation.

Stated tastes ("I hate horror", "nothing before 2000", likes, dislikes, seen) are lasting
profile facts. Refinements of the current request ("something funnier", "older", "for
tonight") hold in the conversation they were said in: they are stored as *session* facts,
slot kind ``s:<kind>`` keyed by ``[thread id, key]``, so the event log, undo, export and
forget treat them like every other fact. In a conversation the profile applies first and
the conversation's refinements on top (:func:`effective_filters`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Entry", "Session", "Filters", "session_slot", "is_session_slot", "add_session_fact",
           "effective_filters"]

_PREFIX = "s:"


@dataclass(frozen=True)
class Entry:
    """A value in a profile list with where it came from.

    Attributes:
        value: Item id, genre name, constraint value or note text.
        source: What made the change (``"turn:3"``, ``"tool:update_profile"``, ``"feedback:👍"``).
        at: UTC time of the change, ISO 8601.
    """

    value: Any
    source: str
    at: str


@dataclass
class Session:
    """Refinements of one conversation: genres and constraints that do not last.

    Attributes:
        wanted_genres: Genres asked for in this conversation.
        unwanted_genres: Genres left out in this conversation.
        constraints: ``year_from`` / ``year_to`` (or other keys) for this conversation.
    """

    wanted_genres: list[Entry] = field(default_factory=list)
    unwanted_genres: list[Entry] = field(default_factory=list)
    constraints: dict[str, Entry] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when the conversation refines nothing."""
        return not (self.wanted_genres or self.unwanted_genres or self.constraints)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form, shaped like the matching fields of ``Profile.to_dict()``."""
        def genres(entries: list[Entry]) -> list[dict]:
            return [{"genre": e.value, "source": e.source, "at": e.at} for e in entries]

        return {"wanted_genres": genres(self.wanted_genres), "unwanted_genres": genres(self.unwanted_genres),
                "constraints": {k: {"value": e.value, "source": e.source, "at": e.at}
                                for k, e in self.constraints.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        """Inverse of :meth:`to_dict`."""
        def entries(name: str) -> list[Entry]:
            return [Entry(d["genre"], d["source"], d["at"]) for d in data.get(name, [])]

        return cls(entries("wanted_genres"), entries("unwanted_genres"),
                   {k: Entry(d["value"], d["source"], d["at"]) for k, d in data.get("constraints", {}).items()})


@dataclass(frozen=True)
class Filters:
    """Genres and years in effect (profile plus one conversation's refinements)."""

    wanted_genres: list[str]
    unwanted_genres: list[str]
    year_from: int | None
    year_to: int | None


def session_slot(base: str, key: str, thread_id: str) -> tuple[str, str]:
    """The fact slot of a conversation-scoped ``(base, key)`` (``wanted``, ``unwanted``, ``constraint``)."""
    return _PREFIX + base, json.dumps([thread_id, key], ensure_ascii=False)


def is_session_slot(kind: str) -> bool:
    """Whether a fact kind belongs to a conversation rather than the lasting profile."""
    return kind.startswith(_PREFIX)


def add_session_fact(sessions: dict[str, Session], kind: str, key: str, entry: Entry) -> None:
    """Put one stored session fact into ``sessions`` (by thread id)."""
    thread_id, name = json.loads(key)
    session = sessions.setdefault(thread_id, Session())
    base = kind[len(_PREFIX):]
    if base == "constraint":
        session.constraints[name] = entry
    elif base in ("wanted", "unwanted"):
        (session.wanted_genres if base == "wanted" else session.unwanted_genres).append(entry)


def effective_filters(profile: Any, session: Session) -> Filters:
    """The profile's genres and years with a conversation's refinements on top.

    The conversation's genres join the profile's ("these, but with some romance"); a genre the
    conversation wants is no longer avoided, and one it avoids is no longer wanted; its year
    bounds replace the profile's.
    """
    s_wanted = [e.value for e in session.wanted_genres]
    s_unwanted = [e.value for e in session.unwanted_genres]
    fold_w, fold_u = {g.casefold() for g in s_wanted}, {g.casefold() for g in s_unwanted}
    wanted = list(dict.fromkeys([*(e.value for e in profile.wanted_genres if e.value.casefold() not in fold_u),
                                 *s_wanted]))
    unwanted = list(dict.fromkeys([*(e.value for e in profile.unwanted_genres if e.value.casefold() not in fold_w),
                                   *s_unwanted]))
    years = {k: e.value for k, e in profile.constraints.items()}
    years.update({k: e.value for k, e in session.constraints.items()})
    year_from, year_to = years.get("year_from"), years.get("year_to")
    if year_from is not None and year_to is not None and year_from > year_to:  # the newer word wins
        newer = max(("year_from", "year_to"), key=lambda k: (k in session.constraints,
                                                             (session.constraints.get(k) or profile.constraints[k]).at))
        year_from, year_to = (year_from, None) if newer == "year_from" else (None, year_to)
    return Filters(wanted, unwanted, year_from, year_to)
