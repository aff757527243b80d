"""The profile panel: what tastebud believes about the visitor, each belief removable.

Every edit made here goes through :class:`~tastebud.profile.ProfileStore` with a ``ui:…``
or ``feedback:…`` source, so it is an event in the profile log (undoable) and the next turn's
``recommend`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tastebud.profile import Change
from tastebud.tools.artifacts import ProfileView

__all__ = ["PanelEntry", "SECTIONS", "apply_feedback", "panel_entries", "profile_view", "remove_entry", "undo_last"]

# (profile key, heading) in the order the panel shows them.
# Sections named ``session.*`` hold for this conversation only (a new conversation starts without them).
SECTIONS = (("liked", "👍 Liked"), ("disliked", "👎 Disliked"), ("seen", "👁️ Seen"),
            ("wanted_genres", "🎭 Genres you want"), ("unwanted_genres", "🚫 Genres you avoid"),
            ("constraints", "📏 Constraints"),
            ("session.wanted_genres", "🕑 This conversation only: genres"),
            ("session.unwanted_genres", "🕑 This conversation only: leaving out"),
            ("session.constraints", "🕑 This conversation only: years"))
_CONSTRAINT_NAMES = {"year_from": "from {v}", "year_to": "up to {v}"}


@dataclass(frozen=True)
class PanelEntry:
    """One removable belief.

    Attributes:
        section: Profile key (``liked``, ``unwanted_genres``, ``constraints``…).
        target: Item id, genre or constraint key.
        label: What the visitor reads (plain text: shown as a button label, never as HTML).
    """

    section: str
    target: str
    label: str


def profile_view(assistant: Any, user_id: str, thread_id: str | None = None) -> dict:
    """The visitor's profile as ``TurnResult.profile`` has it (``titles`` for items, this
    conversation's refinements under ``session``)."""
    return ProfileView.build(assistant.services.profiles.get(user_id), assistant.services.catalog(assistant.catalog),
                             thread_id).to_dict()


def panel_entries(profile: dict | None) -> list[PanelEntry]:
    """The removable entries of ``profile`` (a profile dict), in panel order."""
    profile = profile or {}
    titles = profile.get("titles") or {}
    out: list[PanelEntry] = []
    for key, _ in SECTIONS:
        scope, _, field = key.rpartition(".")
        data = (profile.get(scope) or {}) if scope else profile
        if field == "constraints":
            for name, entry in (data.get("constraints") or {}).items():
                value = entry.get("value")
                value = ", ".join(map(str, value)) if isinstance(value, list) else value
                label = _CONSTRAINT_NAMES.get(name, f"{name}: {{v}}").format(v=value)
                out.append(PanelEntry(key, name, label))
        elif field.endswith("genres"):
            out.extend(PanelEntry(key, e["genre"], e["genre"]) for e in data.get(field) or [])
        else:
            out.extend(PanelEntry(key, e["item_id"], titles.get(e["item_id"], e["item_id"]))
                       for e in profile.get(key) or [])
    return out


def remove_entry(assistant: Any, user_id: str, entry: PanelEntry, thread_id: str | None = None) -> str:
    """Remove one belief (an event with source ``ui:remove``). Returns a status message.

    A ``session.*`` entry is lifted in the conversation ``thread_id`` (and in the profile).
    """
    profiles = assistant.services.profiles
    scope = thread_id if entry.section.startswith("session.") else None
    if entry.section in ("liked", "disliked", "seen"):
        profiles.remove_item(user_id, entry.target, "ui:remove", only=entry.section)
    elif entry.section.endswith("genres"):
        profiles.apply(user_id, Change("remove_genre", entry.target, scope=scope), "ui:remove")
    elif entry.section.endswith("constraints"):
        profiles.apply(user_id, Change("remove_constraint", entry.target, scope=scope), "ui:remove")
    else:
        raise ValueError(f"unknown profile section {entry.section!r}")
    heading = dict(SECTIONS)[entry.section].split(" ", 1)[1].lower()
    return f"Removed “{entry.label}” from {heading}; your next answer takes it into account."


def undo_last(assistant: Any, user_id: str) -> str:
    """Undo the visitor's last profile change (itself an event). Returns a status message."""
    event = assistant.services.profiles.undo(user_id, "ui:undo")
    return "Undid your last profile change." if event is not None else "Nothing to undo."


def apply_feedback(assistant: Any, user_id: str, item_id: str, title: str, liked: Any) -> str:
    """A 👍 (``liked`` true) or 👎 on a card becomes a like or dislike. Returns a status message."""
    profiles = assistant.services.profiles
    if liked is True:
        profiles.like(user_id, item_id, "feedback:👍")
        return f"👍 Noted: you like {title}. I'll recommend more in that direction."
    if liked is False:
        profiles.dislike(user_id, item_id, "feedback:👎")
        return f"👎 Noted: you don't like {title}. I won't recommend it again and will steer away from it."
    if liked == "":  # the visitor clicked their 👍/👎 again to take it back
        profiles.apply_many(user_id, [Change("remove_item", item_id, "liked"), Change("remove_item", item_id, "disliked")],
                            "feedback:retract")
        return f"Took back your rating of {title}."
    return "Thanks for the feedback."
