"""Check an LLM's final answer against the tool results: invented titles are removed.

The structured recommendations of a turn always come from tool artifacts; this module only
cleans the free text so it never names an item the tools did not return.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tastebud.catalog import normalize_title

__all__ = ["allowed_items", "check_answer"]

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_LIST = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")
_YEAR = re.compile(r"\s*\(?\b(1[89]\d\d|20\d\d)\)?\s*$")


def allowed_items(artifacts: Iterable[dict]) -> dict[str, str]:
    """``{item_id: title}`` of every item found in tool artifacts."""
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
    return out


def _key(title: str) -> str:
    return normalize_title(_YEAR.sub("", title))


def check_answer(text: str, allowed: dict[str, str], linker=None) -> tuple[str, list[str]]:
    """Drop lines that name items the tools did not return.

    A line is dropped when a bold span or a list entry names a title outside ``allowed``, or
    when the title linker finds a catalog item in it that is not allowed.

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
            span = match.group(1) or match.group(2)
            titled = _LIST.match(line) or re.match(r"\s*\(?(1[89]|20)\d\d", line[match.end():])
            if titled and _key(span) not in keys:
                bad.append(span)
        if linker is not None and line.strip():
            for mention in linker.link(line):
                if mention.item_id not in allowed and mention.score >= 0.9 and len(mention.span) > 3:
                    bad.append(mention.title)
        if bad:
            removed += bad
        else:
            kept.append(line)
    return "\n".join(kept).strip(), list(dict.fromkeys(removed))
