"""Tool steps in words: what each tool call did, for the page's collapsible step messages.

A step is the dict :func:`tastebud.agent.assistant.tool_step` makes (``tool``, ``args``,
``results``, ``filters``, ``applied``, ``error``, ``status``). Nothing here shows a raw
argument, a dict or a tool name: every value is turned into a phrase ("Saved 👍 Alien;
🚫 Horror", "Searched 9,742 films with: not Horror → 5 picks"). Item ids become titles
through a ``name_of`` function; anything that is no catalog id is quoted as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tastebud.tools.artifacts import LISTING_TOOLS

__all__ = ["CatalogSize", "NameOf", "StepText", "describe_step"]

NameOf = Callable[[str], "str | None"]
_MAX_LISTED = 6
_ITEM_MARKS = {"like": "👍", "dislike": "👎", "seen": "👁️"}


@dataclass(frozen=True)
class StepText:
    """A step in words.

    Attributes:
        title: One line, shown on the collapsed step.
        details: Lines shown when the step is opened (plain text).
    """

    title: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogSize:
    """How many items the recommender searches, and what they are called ("9,742 films").

    Attributes:
        count: Items in the catalog.
        plural: The catalog's domain plural ("films", "books").
    """

    count: int
    plural: str = "films"


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _listed(values: list[str], sep: str = ", ") -> str:
    """``values`` without repeats; past a few, "and N more"."""
    values = _unique(values)
    head = sep.join(values[:_MAX_LISTED])
    return head + (f" and {len(values) - _MAX_LISTED} more" if len(values) > _MAX_LISTED else "")


def _item(value: object, name_of: NameOf) -> str:
    """A title for a catalog id, else the text as the person or model wrote it, quoted."""
    text = str(value or "").strip()
    name = name_of(text) if text else None
    return name or (f"“{text}”" if text else "")


def _years(year_from: object, year_to: object) -> str:
    if year_from and year_to:
        return f"{year_from}–{year_to}"
    return f"from {year_from}" if year_from else f"up to {year_to}" if year_to else ""


def _edit_phrase(edit: dict, name_of: NameOf) -> tuple[str, str]:
    """``(group, phrase)`` of one profile edit; the group keeps likes, genres… together."""
    action = str(edit.get("action") or "")
    scope = " (this conversation)" if edit.get("session") else ""
    if action in _ITEM_MARKS:
        return "items", f"{_ITEM_MARKS[action]} {_item(edit.get('item'), name_of)}"
    if action == "remove":
        return "removed", f"took back {_item(edit.get('item'), name_of)}"
    genre = str(edit.get("genre") or "").strip()
    if action == "want_genre":
        return "genres", f"🎭 {genre}{scope}"
    if action == "unwant_genre":
        return "genres", f"🚫 {genre}{scope}"
    if action == "remove_genre":
        return "genres", f"{genre} allowed again"
    if action == "clear_genres":
        return "genres", "any genre"
    if action == "set_years":
        return "years", f"📅 {_years(edit.get('year_from'), edit.get('year_to'))}{scope}"
    if action == "clear_years":
        bound = edit.get("bound")
        return "years", {"year_from": "no earliest year", "year_to": "no latest year"}.get(bound, "any year")
    if action == "note":
        return "notes", f"📝 “{str(edit.get('text') or '').strip()}”"
    if action == "undo":
        return "undo", "undid your last change"
    return "other", action.replace("_", " ")


def _profile_step(step: dict, name_of: NameOf) -> StepText:
    edits = [e for e in (step.get("args") or {}).get("edits") or [] if isinstance(e, dict)]
    groups: dict[str, list[str]] = {}
    for edit in edits:
        group, phrase = _edit_phrase(edit, name_of)
        groups.setdefault(group, []).append(phrase)
    details = tuple(_unique([p for phrases in groups.values() for p in phrases]))
    if step.get("error"):
        return StepText("⚠️ Could not update your profile", details)
    if step.get("status") == "pending" and "undo" in groups and len(groups) == 1:
        return StepText("↶ Undoing your last change…", details)
    if step.get("status") == "pending":
        summary = "; ".join(_listed(phrases) for phrases in groups.values())
        return StepText(f"📝 Saving {summary}…" if summary else "📝 Updating your profile…", details)
    if "undo" in groups and len(groups) == 1:
        return StepText("↶ Undid your last change" if step.get("applied") else "↶ Nothing to undo", details)
    summary = "; ".join(_listed(phrases) for phrases in groups.values())
    if not step.get("applied"):
        return StepText("📝 Nothing saved" + (f" — looked up {summary}" if summary else ""), details)
    return StepText(f"📝 Saved {summary}", details)


def _recommend_step(step: dict, name_of: NameOf, catalog_size: CatalogSize | int | None) -> StepText:
    args = step.get("args") or {}
    tool = step.get("tool")
    size = catalog_size if isinstance(catalog_size, CatalogSize) else CatalogSize(catalog_size or 0)
    films = f"{size.count:,} {size.plural}" if size.count else "the catalog"
    parts: list[str] = []
    like = args.get("like") or ([args["item"]] if tool == "similar_items" and args.get("item") else [])
    if like:
        parts.append("like " + _listed([_item(v, name_of) for v in like]))
    if args.get("query"):
        parts.append(f"“{str(args['query']).strip()}”")
    parts += [str(f) for f in step.get("filters") or []]
    done = step.get("status") != "pending" or "results" in step
    verb = "Searched" if done else "Searching"
    title = f"🔎 {verb} {films}" + (" with: " + _listed(parts) if parts else "")
    if step.get("error"):
        return StepText(title + " — failed", tuple(parts))
    if "results" in step:
        n = step["results"]
        title += f" → {n} pick{'s' if n != 1 else ''}" if n else " → nothing matched"
    return StepText(title if done else title + "…", tuple(parts))


def describe_step(step: dict, name_of: NameOf, catalog_size: CatalogSize | int | None = None) -> StepText:
    """Say in words what one tool step did.

    Args:
        step: A tool step (``tool``, ``args``, ``results``, ``filters``, ``applied``, ``error``, ``status``).
        name_of: Title of a catalog item id, or ``None`` when the text is no id.
        catalog_size: How many items the recommender searched (a bare number counts films).

    Returns:
        The step's title and detail lines, free of raw arguments and tool names.
    """
    tool = step.get("tool")
    args = step.get("args") or {}
    if tool == "update_profile":
        return _profile_step(step, name_of)
    if tool in LISTING_TOOLS:
        return _recommend_step(step, name_of, catalog_size)
    failed = " — failed" if step.get("error") else ""
    if tool == "explain_item":
        return StepText(f"💡 Explained {_item(args.get('item'), name_of)}{failed}")
    if tool == "item_details":
        return StepText(f"📖 Looked up {_item(args.get('item'), name_of)}{failed}")
    if tool == "read_profile":
        return StepText(f"👤 Read what I know about you{failed}")
    return StepText(f"⚙️ Worked on your request{failed}")
