"""A catalog item mentioned in a message: what :class:`~tastebud.nlu.titles.TitleLinker` finds."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["TitleMention"]


@dataclass
class TitleMention:
    """A catalog item mentioned in a message.

    Attributes:
        item_id: The linked item.
        title: Its display title.
        year: Its year (or ``None``).
        span: The text that named it (or the reference, e.g. "the second one").
        score: Confidence in 0..1.
        candidates: Other items the span may mean (remakes, same title), most popular first.
        start: Offset of the span in the cleaned text.
        end: Offset after the span.
        ref: Index into the previous recommendations when the span was a reference.
        match: ``exact``, ``alias`` (title before its subtitle), ``partial`` (a one-word
            nickname such as "Shawshank"), ``fuzzy``, ``weak`` (a resemblance to ask about,
            from :meth:`TitleLinker.lookup` only) or ``ref``.
        edits: Letters typed otherwise than the title, for ``fuzzy`` matches (two or more: a
            guess to ask about, see :data:`~tastebud.nlu.titles.GUESS_EDITS`).
    """

    item_id: str
    title: str
    year: int | None
    span: str
    score: float
    candidates: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    ref: int | None = None
    match: str = "exact"
    edits: int = 0

    def to_dict(self) -> dict:
        """Plain JSON-able dict."""
        return asdict(self)
