"""Titles said as a series: "both Kill Bill movies", "all three toy storys", "all the Toy Story films"
stand for the films whose titles start with what was typed."""

from __future__ import annotations

import re
from typing import Any

from ..catalog import normalize_title
from .mention import TitleMention

__all__ = ["SeriesTitles", "said_as_series", "without_franchise_words", "SERIES_LEAD_RE"]


class SeriesTitles:
    """Mixin: needs ``_keys``, ``_pop``, ``catalog`` and ``_mention`` from the linker."""

    def series(self, mention: TitleMention, count: int | None = None) -> list[TitleMention]:
        """The films whose titles start with what ``mention`` was typed as ("both Kill Bill movies",
        "all three toy storys"): the ``count`` most watched (all with 10 or more ratings when
        ``None``), in release order; just ``mention`` when its series has one film."""
        head = normalize_title(re.sub(r"s$", "", mention.span.strip()) if mention.match == "fuzzy" else mention.span)
        rows = {rs[0] for k, rs in self._keys.items() if k == head or k.startswith(head + " ")}
        rows = sorted(rows, key=lambda r: (-self._pop[r], r))
        rows = rows[:count] if count else [r for r in rows if self._pop[r] >= 10]
        if len(rows) < 2:
            return [mention]
        rows.sort(key=lambda r: self.catalog.items[r].year or 0)
        return [self._mention(r, [r], mention.span, mention.start, mention.end, mention.score, mention.match)
                for r in rows]


#: The words before a title said as a series: "both", "all three", "all the".
SERIES_LEAD_RE = re.compile(r"\b(?:both|all(?:\s+(two|three|four|five|six|seven|eight|[2-8]))?)\s+(?:the\s+)?$")
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def said_as_series(linker: Any, text: str, mention: TitleMention) -> list[TitleMention]:
    """A title said as a series ("both X movies", "all three Xs") stands for the series' films."""
    before = SERIES_LEAD_RE.search(text[max(0, mention.start - 20):mention.start].lower())
    plural_after = re.match(r"\s*(?:movies|films|ones|flicks)\b|s\b", text[mention.end:mention.end + 20].lower())
    if mention.ref is not None or before is None or (not plural_after and mention.match != "fuzzy"):
        return [mention]
    word = before.group(1)
    count = 2 if before.group(0).startswith("both") else _COUNTS[word] if word in _COUNTS else int(word) if word else None
    return linker.series(mention, count)


_FIRST_RE = re.compile(r"\b(?:first|original|1st)\s+(?:the\s+)?$", re.IGNORECASE)


def without_franchise_words(mentions: list[TitleMention], text: str) -> list[TitleMention]:
    """Drop a series' name typed beside one of its films ("the last jedi ruined star wars for me",
    "phantom menace is the worst star wars"): "star wars" there is the series, not the film whose
    title begins with it. Only a name linked as the part of a title before its subtitle (or an alias)
    goes; a full title ("Toy Story and Toy Story 2") and "the first X" (a film of it) stay."""
    keys = [normalize_title(m.title) for m in mentions]
    return [m for m in mentions if not (m.match in ("partial", "alias") and not _FIRST_RE.search(text[:m.start]) and any(
        other is not m and key.startswith(normalize_title(m.span) + " ") for other, key in zip(mentions, keys)))]
