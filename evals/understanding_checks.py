"""Pure checks of the understanding eval: the effective state of a user, and one case's diff.

"In effect" means the user's stored profile plus the refinements of the current conversation
(``TurnResult.profile["session"]``: wanted/unwanted genres and year constraints). The one
rule, in :func:`effective_state`:

* genres: profile ∪ session; a genre the session wants is no longer unwanted and vice versa
  (the conversation's word wins);
* year bounds: the session's bound when set, else the profile's;
* liked/disliked/seen: the profile's (a conversation does not hold items).

"In a new conversation" is the profile alone (``session=False``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .understanding_cases import GENRE_FIELDS, ITEM_FIELDS, YEAR_FIELDS

__all__ = ["EffectiveState", "FieldDiff", "effective_state", "turn_refs", "resolve_refs", "compare_case"]


@dataclass(frozen=True)
class EffectiveState:
    """What is in effect for a user at one moment (genres case-folded)."""

    liked: frozenset[str] = frozenset()
    disliked: frozenset[str] = frozenset()
    seen: frozenset[str] = frozenset()
    wanted_genres: frozenset[str] = frozenset()
    unwanted_genres: frozenset[str] = frozenset()
    year_from: int | None = None
    year_to: int | None = None

    def items(self) -> frozenset[str]:
        """Every item in liked, disliked or seen."""
        return self.liked | self.disliked | self.seen

    def genres(self) -> frozenset[str]:
        """Every genre wanted or unwanted."""
        return self.wanted_genres | self.unwanted_genres


@dataclass(frozen=True)
class FieldDiff:
    """One failing field of a case: what was expected and what the turn did."""

    field: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}, got {self.got}"


def _values(entries: Any, key: str) -> list[Any]:
    out = []
    for e in entries or []:
        value = e.get(key) if isinstance(e, Mapping) else e
        if value is not None:
            out.append(value)
    return out


def _genres(block: Mapping[str, Any], name: str) -> set[str]:
    return {str(g).strip().casefold() for g in _values(block.get(name), "genre")}


def _year(block: Mapping[str, Any], name: str) -> int | None:
    value = (block.get("constraints") or {}).get(name)
    return value.get("value") if isinstance(value, Mapping) else value


def effective_state(profile: Mapping[str, Any] | None, *, session: bool = True) -> EffectiveState:
    """The state in effect from a ``TurnResult.profile`` dict (``Profile.to_dict()`` + ``session``).

    Args:
        profile: The profile dict; ``None`` or ``{}`` is an empty profile. Its ``session`` key
            (absent: none) holds the current conversation's refinements.
        session: ``False`` gives what a new conversation of the same user would start from.
    """
    profile = profile or {}
    conv = (profile.get("session") or {}) if session else {}
    wanted, unwanted = _genres(profile, "wanted_genres"), _genres(profile, "unwanted_genres")
    s_wanted, s_unwanted = _genres(conv, "wanted_genres"), _genres(conv, "unwanted_genres")
    years = {}
    for name in YEAR_FIELDS:
        bound = _year(conv, name)
        years[name] = bound if bound is not None else _year(profile, name)
    return EffectiveState(
        **{name: frozenset(str(i) for i in _values(profile.get(name), "item_id")) for name in ITEM_FIELDS},
        wanted_genres=frozenset((wanted - s_unwanted) | s_wanted),
        unwanted_genres=frozenset((unwanted - s_wanted) | s_unwanted), **years)


def turn_refs(result: Mapping[str, Any] | None) -> dict[str, Any]:
    """What ``prev:N`` and ``discussed`` stand for after a turn (``TurnResult.to_dict()``).

    Returns:
        ``{"prev": [item ids recommended], "discussed": item id or None}``; ``discussed`` is the
        first explained item, else the item of an ``item_details`` step.
    """
    result = result or {}
    prev = [str(r.get("item_id")) for r in result.get("recommendations") or [] if r.get("item_id")]
    discussed = next((str(e["item_id"]) for e in result.get("explained") or [] if e.get("item_id")), None)
    if discussed is None:
        for step in result.get("tool_steps") or []:
            if step.get("tool") == "item_details":
                found = step.get("item_id") or (step.get("args") or {}).get("item")
                if found:
                    discussed = str(found)
                    break
    return {"prev": prev, "discussed": discussed}


def resolve_refs(refs: Iterable[str], context: Mapping[str, Any]) -> list[str]:
    """Replace ``prev:N`` / ``discussed`` with ids from :func:`turn_refs`; unresolvable ones stay as is."""
    out = []
    for ref in refs:
        if ref == "discussed":
            out.append(context.get("discussed") or ref)
        elif ref.startswith("prev:") and ref[5:].isdigit():
            n, prev = int(ref[5:]), context.get("prev") or []
            out.append(prev[n - 1] if 0 < n <= len(prev) else ref)
        else:
            out.append(ref)
    return out


def _show(values: Iterable[Any], label: Callable[[str], str]) -> str:
    shown = sorted(label(str(v)) for v in values)
    return "[" + ", ".join(shown) + "]"


def _matches(phrase: str, entry: str) -> bool:
    a, b = phrase.casefold().strip(), str(entry).casefold().strip()
    return bool(a and b) and (a in b or b in a)


def compare_case(expect: Mapping[str, Any], before: EffectiveState, after: EffectiveState, fresh: EffectiveState,
                 result: Mapping[str, Any], refs: Mapping[str, Any] | None = None,
                 label: Callable[[str], str] | None = None) -> list[FieldDiff]:
    """Every field where the last turn did not do what the case expects (empty: the case passed).

    Args:
        expect: :func:`~.understanding_cases.canonical_expect` of the case (only given keys).
        before: State in effect before the last turn.
        after: State in effect after it.
        fresh: State a new conversation of the user would start from, after the last turn.
        result: ``TurnResult.to_dict()`` of the last turn (``reply``, ``not_found``, ``uncertain``).
        refs: :func:`turn_refs` of the turn before the last.
        label: Item id → display text in the diffs (default: the id).

    Fields not in ``expect`` must not change: no item added, no genre added, no year bound
    changed, nothing removed, nothing reported not found, no "did you mean" question.
    A genre or item that moves between lists is an addition to the new list, not a removal.
    """
    refs, shown = refs or {}, label or (lambda i: i)

    def label(item: str) -> str:  # refs still symbolic here found nothing in the turn before
        return f"{item} (unresolved)" if item == "discussed" or item.startswith("prev:") else shown(item)

    diffs: list[FieldDiff] = []

    def check(name: str, want: set, got: set, show: Callable[[Iterable[Any]], str]) -> None:
        if want != got:
            diffs.append(FieldDiff(name, show(want), show(got)))

    items = lambda values: _show(values, label)  # noqa: E731 - two local formatters
    names = lambda values: _show(values, str)  # noqa: E731
    for name in ITEM_FIELDS:
        want = set(resolve_refs(expect.get(name, []), refs))
        check(name, want, set(getattr(after, name) - getattr(before, name)), items)
    for name in GENRE_FIELDS:
        want = {g.casefold() for g in expect.get(name, [])}
        check(name, want, set(getattr(after, name) - getattr(before, name)), names)
    for name in YEAR_FIELDS:
        want, got = expect.get(name, getattr(before, name)), getattr(after, name)
        if want != got:
            diffs.append(FieldDiff(name, str(want), str(got)))
    want_removed = {("item", i) for i in resolve_refs(expect.get("removed_items", []), refs)}
    want_removed |= {("genre", g.casefold()) for g in expect.get("removed_genres", [])}
    want_removed |= {("year", y) for y in expect.get("removed_years", [])}
    got_removed = {("item", i) for i in before.items() - after.items()}
    got_removed |= {("genre", g) for g in before.genres() - after.genres()}
    got_removed |= {("year", y) for y in YEAR_FIELDS if getattr(before, y) is not None and getattr(after, y) is None}
    check("removed", want_removed, got_removed, lambda v: _show((label(x) if k == "item" else x for k, x in v), str))
    reported = [str(p) for p in result.get("not_found") or []]
    reply = str(result.get("reply") or "")
    phrases = expect.get("not_found", [])
    missing = [p for p in phrases if not any(_matches(p, r) for r in reported)]
    unsaid = [p for p in phrases if p.casefold() not in reply.casefold()]
    if missing or unsaid or (not phrases and reported):
        got = f"not_found {reported}" + (f"; reply lacks {unsaid}: {reply[:120]!r}" if unsaid else "")
        diffs.append(FieldDiff("not_found", str(phrases), got))
    asked = [str(u.get("item_id")) for u in result.get("uncertain") or [] if isinstance(u, Mapping)]
    if "asks" in expect:
        target = resolve_refs([expect["asks"]], refs)[0]
        recorded = target in after.items() - before.items()
        if target not in asked or recorded:
            got = f"asked about {items(asked)}" + ("; but recorded it" if recorded else "")
            diffs.append(FieldDiff("asks", label(target), got))
    elif asked:
        diffs.append(FieldDiff("asks", "no question", f"asked about {items(asked)}"))
    if "session_only" in expect:
        diffs += _session_diffs(bool(expect["session_only"]), before, after, fresh)
    return diffs


def _session_diffs(session_only: bool, before: EffectiveState, after: EffectiveState,
                   fresh: EffectiveState) -> list[FieldDiff]:
    """Whether the last turn's genre additions and year settings reach a new conversation."""
    leaked, kept = [], []
    for name in GENRE_FIELDS:
        for genre in sorted(getattr(after, name) - getattr(before, name)):
            (leaked if genre in getattr(fresh, name) else kept).append(f"{name}:{genre}")
    for name in YEAR_FIELDS:
        value = getattr(after, name)
        if value != getattr(before, name) and value is not None:
            (leaked if getattr(fresh, name) == value else kept).append(f"{name}={value}")
    if session_only and leaked:
        return [FieldDiff("session_only", "changes only in this conversation", f"also in a new one: {leaked}")]
    if not session_only and kept:
        return [FieldDiff("session_only", "changes kept for new conversations", f"only in this one: {kept}")]
    return []
