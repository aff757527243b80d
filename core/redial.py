"""ReDial dialogues: a small reader and the deterministic train/dev split.

Only ``train_data_partial.jsonl`` is used by tastebud (the ReDial test split is reserved
for independent evaluation). :func:`split_of` assigns every dialogue to ``train`` or
``dev`` from a hash of its ``conversationId`` (about 85 / 15), so the collaborative
filtering built from co-mentions and the later ReDial benchmark use the same split.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogError

__all__ = ["Message", "Dialogue", "DEV_FRACTION", "split_of", "read_dialogues", "mention_ids"]

#: Share of dialogues assigned to the dev split.
DEV_FRACTION = 0.15

_MENTION_RE = re.compile(r"@(\d+)")


@dataclass
class Message:
    """One chat message; ``text`` writes movies as ``@movieId``."""

    sender: int
    text: str


@dataclass
class Dialogue:
    """One ReDial conversation.

    Attributes:
        conversation_id: The dialogue's ``conversationId`` as a string.
        initiator: Worker id of the seeker (the person asking for movies).
        messages: Messages in order.
        movie_names: ``movieMentions``: ReDial movie id → name as written there.
        seeker_answers: ``initiatorQuestions`` as ``{movie_id: {suggested, seen, liked}}``
            (an empty dict when the file holds ``[]``).
        recommender_answers: ``respondentQuestions`` in the same shape.
    """

    conversation_id: str
    initiator: int
    messages: list[Message] = field(default_factory=list)
    movie_names: dict[int, str] = field(default_factory=dict)
    seeker_answers: dict[int, dict[str, int]] = field(default_factory=dict)
    recommender_answers: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def split(self) -> str:
        """``"train"`` or ``"dev"`` (see :func:`split_of`)."""
        return split_of(self.conversation_id)

    def mentioned(self) -> list[int]:
        """ReDial movie ids written in the messages, in order of first mention."""
        return list(dict.fromkeys(mid for m in self.messages for mid in mention_ids(m.text)))

    def liked(self, movie_id: int) -> int | None:
        """The ``liked`` answer for a movie (1 yes, 0 no, 2 did not say), seeker first."""
        for answers in (self.seeker_answers, self.recommender_answers):
            if movie_id in answers and "liked" in answers[movie_id]:
                return int(answers[movie_id]["liked"])
        return None


def split_of(conversation_id: str | int, dev_fraction: float = DEV_FRACTION) -> str:
    """Deterministic split of one dialogue: ``"dev"`` for about ``dev_fraction`` of ids.

    Args:
        conversation_id: The dialogue's ``conversationId``.
        dev_fraction: Share of dialogues sent to dev.

    Returns:
        ``"train"`` or ``"dev"``.
    """
    digest = hashlib.sha1(f"redial-split\0{conversation_id}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 10_000
    return "dev" if bucket < round(dev_fraction * 10_000) else "train"


def mention_ids(text: str) -> list[int]:
    """Movie ids written as ``@123`` in a message, in order (repeats kept)."""
    return [int(x) for x in _MENTION_RE.findall(text or "")]


def _answers(raw: object) -> dict[int, dict[str, int]]:
    if not isinstance(raw, dict):
        return {}
    out = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            try:
                out[int(key)] = {k: int(v) for k, v in value.items()}
            except (TypeError, ValueError):
                continue
    return out


def read_dialogues(path: Path, split: str | None = None) -> Iterator[Dialogue]:
    """Read ReDial dialogues from a JSON-lines file.

    Args:
        path: ``train_data_partial.jsonl`` (or any file in the same format).
        split: ``"train"`` or ``"dev"`` to keep one side of :func:`split_of`; ``None`` for all.

    Raises:
        CatalogError: The file cannot be read or a line is not a JSON object.
    """
    if split not in (None, "train", "dev"):
        raise ValueError(f"split must be 'train', 'dev' or None, not {split!r}")
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                conv = str(raw["conversationId"])
            except (ValueError, KeyError, TypeError) as exc:
                raise CatalogError(f"{path}:{line_no}: not a ReDial dialogue ({exc})") from exc
            if split is not None and split_of(conv) != split:
                continue
            yield Dialogue(
                conversation_id=conv, initiator=int(raw.get("initiatorWorkerId") or 0),
                messages=[Message(int(m.get("senderWorkerId") or 0), m.get("text") or "")
                          for m in raw.get("messages") or []],
                movie_names={int(k): v for k, v in (raw.get("movieMentions") or {}).items()} if isinstance(
                    raw.get("movieMentions"), dict) else {},
                seeker_answers=_answers(raw.get("initiatorQuestions")),
                recommender_answers=_answers(raw.get("respondentQuestions")),
            )
