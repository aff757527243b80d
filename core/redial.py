"""ReDial dialogues: a small reader and the fixed train / dev-tune / dev-holdout split.

tastebud reads only the ReDial *training* files (:data:`TRAIN_FILES`: ``train_data_partial.jsonl``
and ``train_data_extra.jsonl``); the ReDial test split is reserved for independent evaluation.
Both files are split by ``conversationId`` alone, so the rule is the same in every file:

* :func:`split_of` sends about 15 % of the ids to ``dev`` (SHA-1 of ``"redial-split\\0<id>"``,
  first 8 bytes mod 10,000 below 1,500) and the rest to ``train``. Every statistic a
  benchmarked model uses (co-mentions, next-mention transitions, mention popularity) and the
  polarity classifier are learned from ``train`` only.
* :func:`split3_of` divides ``dev`` into ``dev-tune`` and ``dev-holdout`` by an
  independent hash (SHA-1 of ``"redial-dev-half\\0<id>"``, first 8 bytes even → ``dev-tune``):
  choices and weights are tuned on ``dev-tune``; figures are reported on ``dev-holdout``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogError

__all__ = ["Message", "Dialogue", "DEV_FRACTION", "TRAIN_FILES", "SPLITS", "SPLIT_CHOICES", "split_of",
           "split3_of", "in_split", "read_dialogues", "read_files", "mention_ids", "default_redial_dir",
           "redial_files"]

#: Share of dialogues assigned to the dev split.
DEV_FRACTION = 0.15
#: The ReDial files tastebud learns from and develops on (both hold training dialogues only).
TRAIN_FILES = ("train_data_partial.jsonl", "train_data_extra.jsonl")
#: The three disjoint parts of the training files.
SPLITS = ("train", "dev-tune", "dev-holdout")
#: Every accepted ``split`` argument: the three parts, ``dev`` (= dev-tune + dev-holdout) and ``all``.
SPLIT_CHOICES = ("dev-holdout", "dev-tune", "dev", "train", "all")

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

    @property
    def split3(self) -> str:
        """``"train"``, ``"dev-tune"`` or ``"dev-holdout"`` (see :func:`split3_of`)."""
        return split3_of(self.conversation_id)

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


def split3_of(conversation_id: str | int) -> str:
    """The benchmark split of one dialogue: ``train`` exactly as :func:`split_of`, ``dev`` halved.

    Args:
        conversation_id: The dialogue's ``conversationId``.

    Returns:
        ``"train"``, ``"dev-tune"`` or ``"dev-holdout"``.
    """
    if split_of(conversation_id) == "train":
        return "train"
    digest = hashlib.sha1(f"redial-dev-half\0{conversation_id}".encode()).digest()
    return "dev-tune" if int.from_bytes(digest[:8], "big") % 2 == 0 else "dev-holdout"


def in_split(conversation_id: str | int, split: str | None) -> bool:
    """Whether a dialogue belongs to ``split`` (one of :data:`SPLIT_CHOICES`; ``None`` = ``all``).

    Raises:
        ValueError: An unknown split name.
    """
    if split is None or split == "all":
        return True
    if split in ("train", "dev"):
        return split_of(conversation_id) == split
    if split in ("dev-tune", "dev-holdout"):
        return split3_of(conversation_id) == split
    raise ValueError(f"split must be one of {', '.join(SPLIT_CHOICES)}, not {split!r}")


def default_redial_dir() -> Path:
    """Where the ReDial files are looked for: ``$TASTEBUD_REDIAL_DIR``, else the first of
    ``../shared/data/redial`` (as ``tastebud data build --source ../shared/data``) and
    ``/work/shared/data/redial`` that exists."""
    env = os.environ.get("TASTEBUD_REDIAL_DIR")
    if env:
        return Path(env)
    for candidate in (Path("../shared/data/redial"), Path("/work/shared/data/redial")):
        if candidate.is_dir():
            return candidate
    return Path("../shared/data/redial")


def redial_files(data: Path | None = None) -> list[Path]:
    """The training files (:data:`TRAIN_FILES`) found in ``data`` (a folder; default
    :func:`default_redial_dir`), or ``[data]`` when it is a file.

    Raises:
        CatalogError: Nothing readable there.
    """
    data = Path(data) if data is not None else default_redial_dir()
    files = [data] if data.is_file() else [data / name for name in TRAIN_FILES if (data / name).is_file()]
    if not files:
        raise CatalogError(f"no ReDial dialogues at {data} (expected {' or '.join(TRAIN_FILES)}; "
                           "pass --data or set TASTEBUD_REDIAL_DIR)")
    return files


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
        split: One of :data:`SPLIT_CHOICES` (``"train"``, ``"dev"``, ``"dev-tune"``,
            ``"dev-holdout"``, ``"all"``); ``None`` for all.

    Raises:
        CatalogError: The file cannot be read or a line is not a JSON object.
        ValueError: An unknown split name.
    """
    in_split("0", split)  # validates the name before the file is opened
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
            if not in_split(conv, split):
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


def read_files(paths: Iterable[Path], split: str | None = None) -> Iterator[Dialogue]:
    """:func:`read_dialogues` over several files in order (e.g. :func:`redial_files`)."""
    for path in paths:
        yield from read_dialogues(path, split)
