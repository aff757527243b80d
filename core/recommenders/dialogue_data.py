"""ReDial dialogues as training and tuning examples for :mod:`tastebud.recommenders.dialogue`.

An example is one recommender message that names movies for the first time in its
dialogue (the protocol of ``tastebud eval redial``): the messages before it, rendered as a
person would read them (``@id`` → title) with roles ``user`` (seeker) and ``assistant``
(recommender), the catalog rows mentioned before it (by whom, in which message), and its
new movies as targets. Questionnaires are never part of an example.

Message embeddings are cached on disk (``$TASTEBUD_HOME/cache/dialogue_messages.npz``,
keyed by :func:`tastebud.embedding.doc_hash`), so tuning runs embed each text once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..catalog import Catalog
from ..embedding import Embedder, doc_hash
from ..redial import SPLITS, Dialogue, mention_ids, read_dialogues, split3_of

__all__ = [
    "SPLITS",
    "Example",
    "Record",
    "dialogue_split",
    "embed_messages",
    "examples_of",
    "load_records",
    "records_from_dialogues",
]

def dialogue_split(conversation_id: str | int) -> str:
    """``train``, ``dev-tune`` or ``dev-holdout`` for one dialogue (:func:`tastebud.redial.split3_of`)."""
    return split3_of(conversation_id)


@dataclass
class Record:
    """One dialogue as the model sees it.

    Attributes:
        conversation_id: ReDial ``conversationId``.
        roles: ``"user"`` (seeker) or ``"assistant"`` (recommender) per message.
        texts: Rendered message texts.
        mentions: Catalog rows named in each message (first occurrence order, repeats removed).
        disliked: Rows the seeker's questionnaire says they did not like (training signal only;
            empty unless the records were read with ``answers=True``).
    """

    conversation_id: str
    roles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    mentions: list[list[int]] = field(default_factory=list)
    disliked: set[int] = field(default_factory=set)


@dataclass
class Example:
    """One target message: ``record`` index, message ``index`` and its new target rows."""

    record: int
    index: int
    targets: list[int]


def records_from_dialogues(dialogues: Iterable[Dialogue], catalog: Catalog,
                           render: Callable[[str, dict[int, str]], str], *, answers: bool = False) -> list[Record]:
    """Turn dialogues into :class:`Record` s (movies outside the catalog are not mentions).

    ``answers=True`` reads the seeker's questionnaire into :attr:`Record.disliked` (train only).
    """
    out = []
    for dialogue in dialogues:
        rec = Record(dialogue.conversation_id)
        if answers:
            rows = (catalog.position(f"rd:{m}") for m, a in dialogue.seeker_answers.items() if a.get("liked") == 0)
            rec.disliked = {r for r in rows if r is not None}
        for message in dialogue.messages:
            rec.roles.append("user" if message.sender == dialogue.initiator else "assistant")
            rec.texts.append(render(message.text, dialogue.movie_names))
            rows = [catalog.position(f"rd:{i}") for i in dict.fromkeys(mention_ids(message.text))]
            rec.mentions.append([r for r in rows if r is not None])
        out.append(rec)
    return out


def load_records(files: Sequence[Path], catalog: Catalog, splits: Sequence[str], *,
                 answers: bool = False) -> list[Record]:
    """Records of the dialogues in ``files`` whose :func:`dialogue_split` is in ``splits``.

    Raises:
        ValueError: ``answers=True`` for a split other than ``train``.
    """
    if answers and set(splits) != {"train"}:
        raise ValueError("questionnaires are read from train dialogues only")
    from tastebud.evals.redial_bench import render_text

    wanted = set(splits)
    dialogues = (d for f in files for d in read_dialogues(Path(f)) if dialogue_split(d.conversation_id) in wanted)
    return records_from_dialogues(dialogues, catalog, render_text, answers=answers)


def examples_of(records: Sequence[Record]) -> list[Example]:
    """One example per recommender message naming a movie not mentioned before in its dialogue."""
    out = []
    for r, rec in enumerate(records):
        seen: set[int] = set()
        for i, (role, rows) in enumerate(zip(rec.roles, rec.mentions, strict=True)):
            new = [x for x in rows if x not in seen] if role == "assistant" else []
            if new:
                out.append(Example(r, i, new))
            seen.update(rows)
    return out


def embed_messages(records: Sequence[Record], embedder: Embedder, cache: Path | None = None, *,
                   progress: bool = False) -> dict[str, np.ndarray]:
    """Embeddings of every message text of ``records`` as ``{text: unit float32 vector}``.

    Args:
        records: Dialogues.
        embedder: Sentence encoder.
        cache: npz of earlier embeddings (``hashes``, ``vectors``), read and extended.
        progress: Show the encoder's progress bar.
    """
    texts = sorted({t for rec in records for t in rec.texts})
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.is_file():
        with np.load(cache) as npz:
            known = dict(zip(npz["hashes"].tolist(), npz["vectors"], strict=True))
    keys = [doc_hash(t) for t in texts]
    todo = [t for t, k in zip(texts, keys, strict=True) if k not in known]
    if todo:
        fresh = embedder.encode(todo, progress=progress)
        known.update(zip((doc_hash(t) for t in todo), fresh.astype(np.float16), strict=True))
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp.npz")
            np.savez(tmp, hashes=np.array(list(known)), vectors=np.stack(list(known.values())))
            tmp.replace(cache)
    return {t: known[k].astype(np.float32) for t, k in zip(texts, keys, strict=True)}
