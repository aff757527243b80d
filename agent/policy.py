"""The offline default's dialogue policy: from a parsed turn to tool calls, and from tool
results to an answer written with templates. Pure functions over plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tastebud.domain import FILM_DOMAIN
from tastebud.explain import join_names
from tastebud.nlu.languages import localize
from tastebud.tools.artifacts import LISTING_TOOLS

__all__ = ["Plan", "plan_turn", "write_reply"]

_OTHER_USER = re.compile(r"\b(?:user|account)\s+\w+|\bsomeone else|\b(?:other|another)\s+(?:user|person)|"
                         r"\b(?!my\b|your\b)\w+'s\s+(?:profile|taste|history|data)", re.I)
_RECOMMENDING = {"recommend", "more_like", "another", "feedback", "mark_seen"}
#: Answers to "Did you mean …?" (the first word of the next message).
_YES = frozenset("yes yeah yep yup yea ya correct right exactly sure indeed absolutely si sí oui ja sim".split())
_NO = frozenset("no nope nah wrong non nein não nao".split())
_ITEM_ACTIONS = {"liked": "like", "disliked": "dislike", "seen": "seen"}


@dataclass
class Plan:
    """What the policy does with one turn.

    Attributes:
        edits: ``update_profile`` edits (made first, in one call).
        action: The tool call after the edits, ``(name, args)``, or ``None``.
        check_profile: Read the profile first, and ask a question if it is empty.
        reply: Template key of a reply needing no tool (greeting, thanks, clarify, reset).
    """

    edits: list[dict[str, Any]] = field(default_factory=list)
    action: tuple[str, dict[str, Any]] | None = None
    check_profile: bool = False
    reply: str | None = None
    notice: str | None = None
    notice_args: dict[str, str] = field(default_factory=dict)


def _ref_ids(parse, last: list[str]) -> list[str]:
    return [last[i] for i in (parse.refs or []) if 0 <= i < len(last)]


def _answer(parse) -> str | None:
    """``yes`` / ``no`` when the message opens with one (an answer to "Did you mean …?")."""
    words = re.findall(r"[^\W\d_]+", (parse.text or "").lower())
    return "yes" if words and words[0] in _YES else "no" if words and words[0] in _NO else None


def plan_turn(parse, last_recommendations: list[str], pending: list[dict] | None = None) -> Plan:
    """Decide the tool calls for a parsed turn.

    References to the previous list ("the second one") arrive already resolved inside
    ``parse.liked`` / ``disliked`` / ``seen`` / ``anchors``; ``parse.refs`` is used to pick
    the item to explain.

    Args:
        parse: A :class:`tastebud.nlu.TurnParse`.
        last_recommendations: Item ids of the previous answer, in order.
        pending: The previous answer's "Did you mean …?" questions (``{item_id, action}``): a
            "yes" records them, a "no" drops them.
    """
    plan = Plan()
    refs = _ref_ids(parse, last_recommendations)
    intent = parse.intent
    answer = _answer(parse) if pending else None
    for guess in (pending or []) if answer == "yes" else []:
        if guess.get("action") in ("like", "dislike", "seen"):
            plan.edits.append({"action": guess["action"], "item": guess["item_id"]})
    for field_name, action in _ITEM_ACTIONS.items():
        plan.edits += [{"action": action, "item": m.item_id} for m in getattr(parse, field_name)]
    plan.edits += [{"action": "remove", "item": m.item_id} for m in parse.forget]
    plan.edits += [{"action": p["action"], "item": p["text"]} for p in parse.phrases if p["action"] != "anchor"]
    session = bool(parse.refinement)  # "something funnier", "for tonight": this conversation only
    if parse.lift_genres:
        plan.edits.append({"action": "clear_genres"})
    plan.edits += [{"action": "remove_genre", "genre": g} for g in parse.allowed_genres]
    if parse.lift_years:
        bound = parse.lift_years[0] if len(parse.lift_years) == 1 else None
        plan.edits.append({"action": "clear_years", "bound": bound})
    for n, genre in enumerate(parse.wanted_genres):  # a new request's genres replace the old ones ("… too": join)
        plan.edits.append({"action": "want_genre", "genre": genre, "replace": n == 0 and not parse.adds_genres,
                           "session": session})
    for genre in parse.unwanted_genres:
        plan.edits.append({"action": "unwant_genre", "genre": genre, "session": session})
    contradictory = parse.year_from is not None and parse.year_to is not None and parse.year_from > parse.year_to
    if (parse.year_from is not None or parse.year_to is not None) and not contradictory:
        plan.edits.append({"action": "set_years", "year_from": parse.year_from, "year_to": parse.year_to,
                           "session": session, "widen": parse.adds_genres})  # "… too" adds years as it adds genres
    if answer == "no" and not plan.edits and not parse.mentions:
        plan.reply = "not_that"
        return plan
    if intent == "undo":
        plan.edits = [{"action": "undo"}]
        return plan
    if parse.clarify_reason == "contradictory_genres":
        plan.notice, plan.notice_args = "contradiction", {"what": join_names([f"for and against {g}"
                                                                          for g in parse.unwanted_genres])}
    elif parse.clarify_reason == "contradictory_years":
        plan.notice, plan.notice_args = "contradiction", {"what": "those year limits exclude each other"}
        if contradictory:
            plan.notice_args["what"] += "; I kept your earlier years"
    anchors = [m.item_id for m in parse.anchors] + [p["text"] for p in parse.phrases if p["action"] == "anchor"]
    if intent in ("explain", "details"):
        target = refs[:1] or [m.item_id for m in parse.mentions][:1]
        if target:
            plan.action = ("explain_item" if intent == "explain" else "item_details", {"item": target[0]})
        else:
            plan.reply = "explain_missing"
        return plan
    if intent == "profile":
        plan.action = ("read_profile", {})
        if _OTHER_USER.search(parse.text or ""):
            plan.notice = "other_user"
        return plan
    if intent in ("reset", "greeting", "thanks") and not plan.edits and not anchors:
        plan.reply = intent
        return plan
    understood = (parse.mentions or parse.query or parse.wanted_genres or parse.unwanted_genres or parse.year_from
                  or parse.year_to or parse.lift_years or parse.lift_genres or parse.allowed_genres or answer == "yes")
    if parse.phrases and not understood:  # only names the tools will look up: no random picks
        if not plan.edits:
            plan.action = ("similar_items", {"item": parse.phrases[0]["text"]})
        plan.reply = "ask_title"
        return plan
    taste_now = bool(plan.edits or anchors or parse.query)
    if intent in _RECOMMENDING or taste_now or intent in ("greeting", "smalltalk"):
        args: dict[str, Any] = {"n": 5}
        if _informative(parse.query, [*parse.wanted_genres, *parse.unwanted_genres]):
            args["query"] = parse.query
        if anchors:
            args["like"] = anchors
        plan.action = ("recommend", args)
        plan.check_profile = bool(parse.needs_clarification) and not taste_now
        return plan
    plan.reply = "clarify"
    return plan


def _informative(query: str, genres: list[str]) -> bool:
    """Whether a residual query says more than the genres already parsed from it."""
    noise = {w for g in genres for w in re.split(r"[^a-z]+", g.lower()) if w} | {"movie", "movies", "film", "films"}
    return any(w not in noise for w in re.findall(r"[a-z0-9']+", (query or "").lower()))


def _year(data: dict) -> str:
    return f" ({data['year']})" if data.get("year") else ""


def _changes_text(applied: list[dict], titles: dict[str, str], seen: str = "you've seen {}") -> str:
    """What the turn changed, in words; refinements are marked "for this conversation"."""
    words = {"like": "you like {}", "dislike": "you don't like {}", "seen": seen,
             "want_genre": "you want {}", "unwant_genre": "no {}", "remove_item": "removed {}",
             "remove_genre": "dropped {}", "add_note": "note “{}”"}
    lifted = {"year_from": "the earliest-year limit", "year_to": "the latest-year limit"}
    grouped: dict[str, list[str]] = {}
    years = {c.get("target"): c.get("value") for c in applied if c.get("kind") == "set_constraint"}
    if "year_from" in years and "year_to" in years:
        grouped["years"] = [f"released {years['year_from']}–{years['year_to']}"]
        applied = [c for c in applied if not (c.get("kind") == "set_constraint" and c.get("target") in years)]
    scoped = any(c.get("scope") and c.get("kind") in ("want_genre", "unwant_genre", "set_constraint") for c in applied)
    for change in applied:
        kind, target, value = change.get("kind"), change.get("target"), change.get("value")
        if kind == "set_constraint":
            grouped.setdefault(f"{target}:{value}", []).append(
                f"released {'from' if target == 'year_from' else 'up to'} {value}")
        elif kind == "remove_constraint":
            grouped.setdefault("lifted", []).append(lifted.get(target, f"the {target.replace('_', ' ')} limit"))
        elif kind in words:
            grouped.setdefault(kind, []).append(titles.get(target, target))
    out = []
    for key, names in grouped.items():
        names = list(dict.fromkeys(names))  # "nvm about horror, anything is ok": Horror dropped once
        out.append(words[key].format(join_names(names)) if key in words
                   else "dropped " + join_names(names) if key == "lifted" else names[0])
    return "; ".join(out) + (" (for this conversation)" if scoped and out else "")


def write_reply(templates: dict[str, str], artifacts: list[tuple[str, dict]], plan: Plan, parse) -> str:
    """Compose the answer from this turn's tool results (``(tool_name, artifact)`` pairs).

    A non-English turn gets the clarifying question, the language note and the not-found
    notice in its language when ``languages.yaml`` has it (the rest stays English).
    """
    if getattr(parse, "non_english", False) and templates.get("domain", FILM_DOMAIN) == FILM_DOMAIN:
        templates = localize(templates, getattr(parse, "language_hint", "en"))
    lines: list[str] = [templates[plan.notice].format(**plan.notice_args)] if plan.notice else []
    if getattr(parse, "truncated", False):
        lines.append(templates["truncated"])
    if getattr(parse, "non_english", False):
        lines.append(templates["non_english"])
    if plan.reply and not artifacts:
        return "\n\n".join([*lines, templates[plan.reply]])
    for name, art in artifacts:
        if name == "update_profile":
            titles = (art.get("profile") or {}).get("titles", {})
            text = _changes_text(art.get("applied", []), titles, templates.get("change_seen", "you've seen {}"))
            if text:
                lines.append(templates["noted"].format(changes=text))
            if art.get("undone"):
                lines.append(templates["undo_done"].format(what="your last change"))
            elif plan.edits == [{"action": "undo"}]:
                lines.append(templates["undo_nothing"])
            lines += _name_lines(templates, art)
            lines += art.get("errors", [])
        elif name == "read_profile" and plan.check_profile:
            continue
        elif name == "read_profile":
            profile = art.get("profile", {})
            if not any(profile.get(k) for k in ("liked", "disliked", "seen", "wanted_genres", "unwanted_genres",
                                                 "constraints", "notes")):
                lines.append(templates["profile_empty"])
            else:
                titles = profile.get("titles", {})
                lines.append(templates["profile_header"])
                for key, label in (("liked", "Liked"), ("disliked", "Disliked"), ("seen", "Seen")):
                    if profile.get(key):
                        lines.append(f"- {label}: " + ", ".join(titles.get(e["item_id"], e["item_id"])
                                                                 for e in profile[key]))
                for key, label in (("wanted_genres", "Wanted genres"), ("unwanted_genres", "Avoiding")):
                    if profile.get(key):
                        lines.append(f"- {label}: " + ", ".join(e["genre"] for e in profile[key]))
                if profile.get("constraints"):
                    lines.append("- Constraints: " + ", ".join(f"{k.replace('_', ' ')} {v['value']}"
                                                               for k, v in profile["constraints"].items()))
        elif name == "explain_item":
            items = art.get("items", [])
            if not items:
                lines.append(templates["explain_none"].format(title=join_names(art.get("missing") or ["it"])))
            for data in items:
                reasons = "; ".join(r["text"] for r in data.get("reasons", []))
                lines.append(templates["explain"].format(title=data["title"], year=_year(data), reasons=reasons))
        elif name == "item_details":
            item = art.get("item")
            if not item:
                lines.append(templates["explain_none"].format(title=join_names(art.get("missing") or ["it"])))
                continue
            lines.append(templates["details"].format(title=item["title"], year=_year(item),
                                                     genres=", ".join(item.get("genres", [])),
                                                     overview=item.get("overview", "")))
        elif name in LISTING_TOOLS:
            items = art.get("items", [])
            if not items:
                names = _name_lines(templates, art)
                lines += names or [templates["recommend_none"].format(reason=art.get("notice") or "no match")]
                continue
            context = ""
            if art.get("anchors"):
                context = " like " + join_names(art["anchors"])
            elif art.get("anchor"):
                context = " like " + art["anchor"]
            key = "recommend_more" if parse.intent == "another" else "recommend_intro"
            lines.append(templates[key].format(n=len(items), context=context))
            for rank, data in enumerate(items, 1):
                reasons = "; ".join(r["text"] for r in data.get("reasons", [])[:3])
                lines.append(templates["item_line"].format(rank=rank, title=data["title"], year=_year(data),
                                                           reasons=reasons))
            if art.get("notice"):
                lines.append(templates["recommend_notice"].format(notice=art["notice"]))
            lines += _name_lines(templates, art)
    if plan.reply and artifacts and not any(art.get("uncertain") for _, art in artifacts):
        lines.append(templates[plan.reply])
    return "\n".join(line for line in lines if line) or templates["clarify"]


def _name_lines(templates: dict[str, str], art: dict) -> list[str]:
    """"I couldn't find …" for names the catalog lacks, "Did you mean …?" for resemblances."""
    lines = []
    if art.get("missing"):
        missing = art["missing"]
        lines.append(templates["missing"].format(titles=join_names([f"“{m}”" for m in missing]),
                                                 them="it" if len(missing) == 1 else "them"))
    for guess in art.get("uncertain") or []:
        lines.append(templates["did_you_mean"].format(span=guess["span"], title=guess["label"]))
    return lines
