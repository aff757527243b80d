"""Evaluate one :class:`~tastebud.evals.dialogue_schema.Expectation` against a turn's result.

Each check returns ``(passed, actual)``: ``actual`` is a short human-readable account of
what the turn really produced (shown next to a failing expectation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .dialogue_schema import Expectation, ProfileSpec

__all__ = ["TurnContext", "evaluate", "unknown_references"]


@dataclass
class TurnContext:
    """What a check may look at after one turn.

    Attributes:
        result: ``TurnResult.to_dict()`` of the turn.
        catalog: The catalog (``get(item_id)``, ``genres()``).
        top_n: The suite's default N.
        earlier: Ids recommended to this speaker in earlier turns of the dialogue, in order.
        previous: The list shown to this speaker most recently before this turn; expectations
            name its items as ``prev:1``, ``prev:2``… ("the second one" whatever it was).
    """

    result: dict
    catalog: Any
    top_n: int
    earlier: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)

    def resolve(self, ids: list[str]) -> list[str]:
        """Replace ``prev:N`` references by the ids they stand for (unresolvable ones stay)."""
        out = []
        for ref in ids:
            match = _PREV.match(str(ref))
            n = int(match.group(1)) if match else 0
            out.append(self.previous[n - 1] if match and 0 < n <= len(self.previous) else ref)
        return out


_PREV = re.compile(r"^prev:(\d+)$")

def _label(rec: dict) -> str:
    return f"{rec.get('item_id')} {rec.get('title')} ({rec.get('year')})"


def _recs_text(recs: list[dict], with_genres: bool = False, limit: int = 10) -> str:
    if not recs:
        return "no recommendations"
    parts = [_label(r) + (f" {r.get('genres')}" if with_genres else "") for r in recs[:limit]]
    return "; ".join(parts) + (f"; +{len(recs) - limit} more" if len(recs) > limit else "")


def _in_effect(profile: dict) -> dict:
    """The profile as it applies in the dialogue's conversation: its genres and constraints
    joined by the conversation's refinements (``profile["session"]``: "something funnier")."""
    session = profile.get("session") or {}
    out = dict(profile)
    for name in ("wanted_genres", "unwanted_genres"):
        out[name] = [*(profile.get(name) or []), *(session.get(name) or [])]
    out["constraints"] = {**(profile.get("constraints") or {}), **(session.get("constraints") or {})}
    return out


def _profile_values(profile: dict, name: str) -> list[Any]:
    entries = profile.get(name) or []
    key = "genre" if name.endswith("genres") else "item_id"
    return [e.get(key) if isinstance(e, dict) else e for e in entries]


def _constraint(profile: dict, name: str) -> Any:
    value = (profile.get("constraints") or {}).get(name)
    return value.get("value") if isinstance(value, dict) else value


def _profile_check(profile: dict, spec: ProfileSpec, must_hold: bool, ctx: TurnContext) -> tuple[bool, str]:
    bad: list[str] = []
    for name, wanted in spec.model_dump(exclude_defaults=True).items():
        if name in ("liked", "disliked", "seen"):
            wanted = ctx.resolve(wanted)
        if name == "constraints":
            for cname, cvalue in wanted.items():
                got = _constraint(profile, cname)
                if (got == cvalue) != must_hold:
                    bad.append(f"constraints.{cname}={got!r}")
            continue
        have = _profile_values(profile, name)
        norm = {str(v).lower() for v in have}
        for value in wanted:
            if (str(value).lower() in norm) != must_hold:
                bad.append(f"{name}={have}")
                break
    summary = {k: _profile_values(profile, k) for k in PROFILE_LISTS if profile.get(k)}
    if profile.get("constraints"):
        summary["constraints"] = {k: _constraint(profile, k) for k in profile["constraints"]}
    return not bad, ("; ".join(dict.fromkeys(bad)) if bad else f"profile {summary}")


PROFILE_LISTS = ("liked", "disliked", "seen", "wanted_genres", "unwanted_genres")


def evaluate(exp: Expectation, ctx: TurnContext) -> tuple[bool, str]:
    """Run one expectation; returns ``(passed, actual)``."""
    res = ctx.result
    all_recs = res.get("recommendations") or []
    recs = all_recs[: exp.top or ctx.top_n]
    ids = [r.get("item_id") for r in recs]
    check, value = exp.check, exp.value
    reply = res.get("reply") or ""
    if check == "recommends":
        return bool(all_recs) == value, _recs_text(all_recs)
    if check in ("includes", "includes_any", "excludes", "explains"):
        value = ctx.resolve(list(value))
    if check in ("includes", "includes_any", "excludes"):
        hits = [i for i in value if i in ids]
        ok = {"includes": len(hits) == len(value), "includes_any": bool(hits), "excludes": not hits}[check]
        return ok, _recs_text(recs)
    if check in ("every_has_genre", "none_has_genre"):
        wanted = {g.lower() for g in value}
        has = [r for r in recs if wanted & {g.lower() for g in r.get("genres") or []}]
        if check == "every_has_genre":
            bad = [r for r in recs if r not in has] if recs else []
            return bool(recs) and not bad, _recs_text(bad or recs, with_genres=True)
        return not has, _recs_text(has or recs, with_genres=bool(has))
    if check == "year_between":
        lo, hi = value
        bad = [r for r in recs if r.get("year") is None or (lo is not None and r["year"] < lo)
               or (hi is not None and r["year"] > hi)]
        return bool(recs) and not bad, _recs_text(bad or recs)
    if check == "explains":
        explained = [e.get("item_id") for e in res.get("explained") or []]
        return all(i in explained for i in value), f"explained {explained or 'nothing'}; reply {reply[:160]!r}"
    if check in ("profile_has", "profile_lacks"):
        return _profile_check(_in_effect(res.get("profile") or {}), value, check == "profile_has", ctx)
    if check in ("reply_matches", "reply_not_matches"):
        match = re.search(value, reply, re.IGNORECASE | re.DOTALL)
        if match:
            start = max(0, match.start() - 60)
            return check == "reply_matches", f"reply: ...{reply[start:match.end() + 60]!r}..."
        return check == "reply_not_matches", f"reply: {reply[:200]!r}"
    if check == "no_repeats":
        seen: dict[str, int] = {}
        for i in ctx.earlier + [r.get("item_id") for r in all_recs]:
            seen[i] = seen.get(i, 0) + 1
        again = [i for i, n in seen.items() if n > 1]
        return not again, f"recommended again: {again}" if again else f"{len(seen)} distinct items so far"
    if check == "reasons":
        bad = [r for r in all_recs if not any(str(x.get("text", "")).strip() for x in r.get("reasons") or [])]
        return not bad, f"without a reason: {_recs_text(bad)}" if bad else f"{len(all_recs)} recommendations"
    if check == "in_catalog":
        bad = [r for r in all_recs if ctx.catalog.get(r.get("item_id")) is None]
        return not bad, f"not in catalog: {_recs_text(bad)}" if bad else _recs_text(all_recs)
    raise ValueError(f"unknown check {check!r}")  # pragma: no cover - the schema forbids it


def unknown_references(exp: Expectation, catalog: Any) -> list[str]:
    """Item ids and genres named by an expectation that the catalog does not have."""
    genres = {g.lower() for g in catalog.genres()}
    value = exp.value
    ids: list[str] = []
    names: list[str] = []
    if exp.check in ("includes", "includes_any", "excludes", "explains"):
        ids = list(value)
    elif exp.check in ("every_has_genre", "none_has_genre"):
        names = list(value)
    elif isinstance(value, ProfileSpec):
        ids = value.liked + value.disliked + value.seen
        names = value.wanted_genres + value.unwanted_genres
    ids = [i for i in ids if not _PREV.match(str(i))]
    return ([f"item {i!r}" for i in ids if catalog.get(i) is None]
            + [f"genre {g!r}" for g in names if g.lower() not in genres])
