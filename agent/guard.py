"""Check an LLM's final answer against the tool results of the turn: nothing invented reaches the reader.

The structured recommendations of a turn always come from tool artifacts; this module cleans the
free text so it never names an item the turn's tools did not return. A line is dropped when it
names a title outside the allowed set, whether the title is in the catalog (found by the title
linker, however weakly: "better than Cars") or not ("Dune: Part Two (2024)": a title-like span
with a year, or a bold / quoted title in a list).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tastebud.catalog import normalize_title

__all__ = ["allowed_items", "check_answer"]

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|(?<![\w*])\*(?!\s)([^*]+?)\*(?!\w)|[\"“]([^\"”]{2,80})[\"”]")
_LIST = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")
_YEAR = re.compile(r"\s*\(?\b(1[89]\d\d|20\d\d)\)?\s*$")
_PAREN_YEAR = re.compile(r"\(\s*(?:1[89]|20)\d\d\s*\)")
_MARKUP = re.compile(r"[*_\"“”‘’`]")
_LEAD = re.compile(r"(?:^|[.!?;]\s|—|–|\s-\s)")
_CAPS = re.compile(r"[A-Z0-9][\w'’&.!?-]*:?(?:\s+(?:of|the|a|an|and|in|on|to|for|at|de|la|le|[A-Z0-9][\w'’&.!?-]*:?))*$")


def allowed_items(artifacts: Iterable[dict], tool_text: str = "", linker=None) -> dict[str, str]:
    """``{item_id: title}`` of every item the tools returned: in their artifacts, and (with a
    ``linker``) named in their text (a recommendation's reason: "because you liked Alien")."""
    out: dict[str, str] = {}
    for art in artifacts:
        if not isinstance(art, dict):
            continue
        items = list(art.get("items") or [])
        if isinstance(art.get("item"), dict):
            items.append(art["item"])
        for entry in items:
            if isinstance(entry, dict) and entry.get("item_id"):
                out[entry["item_id"]] = entry.get("title", "")
        for item_id, label in ((art.get("profile") or {}).get("titles") or {}).items():
            out[item_id] = label
    if linker is not None and tool_text.strip():
        for mention in linker.link(tool_text):
            out.setdefault(mention.item_id, mention.title)
    return out


def _key(title: str) -> str:
    return normalize_title(_YEAR.sub("", _MARKUP.sub("", title)))


def _dated_titles(line: str, keys: set[str]) -> list[str]:
    """Title-like text before each ``(year)`` of ``line`` that ends with no allowed title."""
    bad = []
    for match in _PAREN_YEAR.finditer(line):
        before = _MARKUP.sub("", line[:match.start()]).rstrip(" ,")
        words = normalize_title(before).split() if before else []
        if not words:
            continue
        if any(k and words[-len(k.split()):] == k.split() for k in keys):
            continue
        clause = re.split(_LEAD, before)[-1].strip()
        caps = _CAPS.search(clause)
        bad.append((caps.group(0) if caps else clause) or before[-40:])
    return bad


def check_answer(text: str, allowed: dict[str, str], linker=None) -> tuple[str, list[str]]:
    """Drop the lines (list entries and prose alike) that name items the tools did not return.

    A line is dropped when:

    - a bold, italic or quoted span in a list entry, or followed by a year, is not an allowed title;
    - text followed by ``(year)`` does not end with an allowed title (catalog-absent titles);
    - the title linker finds a catalog item in it, at any confidence, that is not allowed.

    Args:
        text: The model's final answer.
        allowed: ``{item_id: title}`` from :func:`allowed_items`.
        linker: Optional :class:`tastebud.nlu.TitleLinker` for catalog mentions in prose.

    Returns:
        ``(clean_text, removed_titles)``.
    """
    keys = {_key(t) for t in allowed.values() if t}
    kept, removed = [], []
    for line in text.splitlines():
        bad = []
        for match in _BOLD.finditer(line):
            span = next(g for g in match.groups() if g)
            titled = _LIST.match(line) or re.match(r"\s*\(?(1[89]|20)\d\d", line[match.end():])
            if titled and _key(span) not in keys:
                bad.append(span)
        bad += [t for t in _dated_titles(line, keys) if not any(b in t for b in bad)]
        if linker is not None and line.strip():
            for mention in linker.link(line):
                if mention.item_id not in allowed and len(mention.span) > 3:
                    bad.append(mention.title)
        if bad:
            removed += bad
        else:
            kept.append(line)
    return "\n".join(kept).strip(), list(dict.fromkeys(removed))
