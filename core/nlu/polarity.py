"""What does a sentence say about a title: a small learned polarity classifier.

``PolarityModel.load()`` reads the shipped weights (``core/data/polarity.npz`` + ``.json``),
trained on ReDial seeker questionnaires by :mod:`tastebud.evals.polarity`. A mention's
features are the all-MiniLM-L6-v2 embedding of its :func:`mention_context` (the clause
around it, the title replaced by a placeholder), the VADER scores of that context and a few
generic cue flags; a multinomial logistic regression turns them into ``liked`` /
``disliked`` / ``neutral`` probabilities. Inference is numpy only (plus VADER's lexicon).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..embedding import MODEL_NAME, Embedder
from ..errors import ArtifactError

__all__ = [
    "CLASSES", "PLACEHOLDER", "OTHER_PLACEHOLDER", "MAX_WORDS", "ARTIFACT_STEM",
    "mention_context", "cue_features", "CUE_NAMES", "PolarityModel", "default_artifact",
]

#: Label order of every probability row.
CLASSES = ("liked", "disliked", "neutral")
#: Word that replaces the mention being classified.
PLACEHOLDER = "it"
#: Word that replaces the other mentions of the same message.
OTHER_PLACEHOLDER = "that"
#: Words kept on each side of the placeholder.
MAX_WORDS = 14
#: File stem of the shipped artifact in ``core/data/``.
ARTIFACT_STEM = "polarity"

_CLAUSE_BREAK = re.compile(r"(?<=[.!?;\n])\s*|[\n]+|\b(?:but|however|though|although|whereas)\b", re.I)
_SPACES = re.compile(r"\s+")
_BEFORE_PUNCT = re.compile(r"\s+([.,!?;:])")
_NEGATION = re.compile(r"\b(?:not|no|never|nothing|nor|neither|hardly|without)\b|n't\b|\bnt\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|me|my|we|our)\b", re.I)
_QUESTION_START = re.compile(r"^\s*(?:is|are|was|were|have|has|did|do|does|should|would|could|can|what|how|who|"
                             r"which|any|ever|seen|heard)\b", re.I)

#: Names of the cue flags returned by :func:`cue_features`, in order.
CUE_NAMES = ("question", "negation", "first_person")


def default_artifact() -> Path:
    """Path of the shipped artifact's npz (its json sits next to it)."""
    return Path(__file__).resolve().parent.parent / "data" / f"{ARTIFACT_STEM}.npz"


def mention_context(text: str, start: int, end: int, others: Sequence[tuple[int, int]] = (),
                    *, placeholder: str = PLACEHOLDER, other_placeholder: str = OTHER_PLACEHOLDER,
                    max_words: int = MAX_WORDS) -> str:
    """The clause around one mention, the mention replaced by a placeholder, lower-cased.

    The text is cut at sentence punctuation and at contrast words (but, however, though,
    although, whereas); the clause holding the mention is kept with its closing
    punctuation, at most ``max_words`` words each side of the placeholder.

    Args:
        text: The message.
        start: First character of the mention.
        end: One past its last character.
        others: Spans of the message's other mentions (replaced by ``other_placeholder``).
        placeholder: Word standing for the mention.
        other_placeholder: Word standing for the other mentions.
        max_words: Words kept on each side.

    Returns:
        The context string, e.g. ``"it was a blast!"`` for ``"Heat was a blast!"``.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span ({start}, {end}) outside a text of {len(text)} characters")
    spans = sorted({(s, e) for s, e in others if e <= start or s >= end} | {(start, end)})
    pieces, cursor, target = [], 0, 0
    for s, e in spans:
        if s < cursor:  # overlapping spans: keep the first
            continue
        pieces.append(text[cursor:s])
        if (s, e) == (start, end):
            target = sum(len(p) for p in pieces) + 1
            pieces.append(f" {placeholder} ")
        else:
            pieces.append(f" {other_placeholder} ")
        cursor = e
    pieces.append(text[cursor:])
    joined = "".join(pieces)
    begin, finish = 0, len(joined)
    for match in _CLAUSE_BREAK.finditer(joined):
        if match.end() <= target:
            begin = max(begin, match.end())
        elif match.start() >= target + len(placeholder):
            finish = match.start()
            break
    left = _SPACES.sub(" ", joined[begin:target]).split()
    right = _SPACES.sub(" ", joined[target + len(placeholder):finish]).split()
    words = left[-max_words:] + [placeholder] + right[:max_words]
    return _BEFORE_PUNCT.sub(r"\1", " ".join(words)).lower()


def cue_features(context: str) -> list[float]:
    """Generic cue flags of a context, in :data:`CUE_NAMES` order."""
    question = context.rstrip().endswith("?") or bool(_QUESTION_START.match(context))
    return [float(question), float(bool(_NEGATION.search(context))), float(bool(_FIRST_PERSON.search(context)))]


class PolarityModel:
    """Liked / disliked / neutral probabilities for title mentions.

    Args:
        weights: ``(3, d)`` logistic-regression coefficients on standardised features.
        bias: ``(3,)`` intercepts.
        mean: ``(d,)`` feature means subtracted before scoring.
        scale: ``(d,)`` feature scales divided by before scoring.
        meta: The artifact's json (classes, feature layout, model name, counts, metrics).
        embedder: Sentence embedder (all-MiniLM-L6-v2 unless testing).
    """

    def __init__(self, weights: np.ndarray, bias: np.ndarray, mean: np.ndarray, scale: np.ndarray,
                 meta: dict, embedder: Embedder) -> None:
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.meta = meta
        self.embedder = embedder
        self.classes: tuple[str, ...] = tuple(meta.get("classes", CLASSES))
        self.placeholder: str = meta.get("placeholder", PLACEHOLDER)
        self.other_placeholder: str = meta.get("other_placeholder", OTHER_PLACEHOLDER)
        self.max_words: int = int(meta.get("max_words", MAX_WORDS))
        self.features: list[str] = list(meta.get("features", ["embedding", "vader", "cues"]))
        self._vader = None

    @classmethod
    def load(cls, path: str | Path | None = None, embedder: Embedder | None = None) -> PolarityModel:
        """Read an artifact (``.npz`` plus ``.json`` of the same stem).

        Args:
            path: The npz (or its stem); defaults to the shipped ``core/data/polarity.npz``.
            embedder: Sentence embedder; a new offline :class:`Embedder` when omitted.

        Raises:
            ArtifactError: The files are missing, unreadable, inconsistent, or made for
                another embedding model.
        """
        npz_path = Path(path) if path is not None else default_artifact()
        npz_path = npz_path.with_suffix(".npz")
        json_path = npz_path.with_suffix(".json")
        try:
            meta = json.loads(json_path.read_text(encoding="utf-8"))
            with np.load(npz_path) as npz:
                arrays = {key: np.array(npz[key]) for key in ("weights", "bias", "mean", "scale")}
        except FileNotFoundError as exc:
            raise ArtifactError(f"polarity model missing: {exc.filename} "
                                "(run `tastebud eval polarity --retrain`)") from exc
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise ArtifactError(f"polarity model {npz_path} is unreadable or corrupt: {exc}") from exc
        embedder = embedder if embedder is not None else Embedder()
        if not isinstance(meta, dict) or tuple(meta.get("classes", ())) != CLASSES:
            raise ArtifactError(f"polarity model {json_path}: expected classes {list(CLASSES)}")
        if meta.get("embedding_model") != MODEL_NAME and type(embedder) is Embedder:
            raise ArtifactError(f"polarity model {json_path} was trained on {meta.get('embedding_model')!r} "
                                f"embeddings, not {MODEL_NAME!r}")
        weights = arrays["weights"]
        dim = weights.shape[1] if weights.ndim == 2 else -1
        if (weights.shape[0] != len(CLASSES) or arrays["bias"].shape != (len(CLASSES),)
                or arrays["mean"].shape != (dim,) or arrays["scale"].shape != (dim,)
                or dim != int(meta.get("dim", -1)) or not np.all(np.isfinite(weights))):
            raise ArtifactError(f"polarity model {npz_path}: inconsistent weight shapes")
        return cls(arrays["weights"], arrays["bias"], arrays["mean"], arrays["scale"], meta, embedder)

    @property
    def vader(self):
        """The VADER analyser (the process's one, :func:`~tastebud.nlu.valence.vader_analyzer`)."""
        if self._vader is None:
            from .valence import vader_analyzer

            self._vader = vader_analyzer()
        return self._vader

    def vader_scores(self, contexts: Sequence[str]) -> np.ndarray:
        """``(n, 4)`` VADER ``neg, neu, pos, compound`` of each context."""
        rows = [self.vader.polarity_scores(c) for c in contexts]
        return np.array([[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows], dtype=np.float32).reshape(-1, 4)

    def featurize(self, contexts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Raw (unstandardised) feature matrix of contexts, in the artifact's layout.

        Args:
            contexts: Outputs of :func:`mention_context`.
            vectors: Their embeddings if already computed (one encode call otherwise).
        """
        parts = []
        for name in self.features:
            if name == "embedding":
                parts.append(self.embedder.encode(list(contexts)) if vectors is None else vectors)
            elif name == "vader":
                parts.append(self.vader_scores(contexts))
            elif name == "cues":
                parts.append(np.array([cue_features(c) for c in contexts], dtype=np.float32).reshape(-1, len(CUE_NAMES)))
            else:
                raise ArtifactError(f"polarity model: unknown feature block {name!r}")
        return np.hstack([np.asarray(p, dtype=np.float32) for p in parts])

    def proba_from_features(self, features: np.ndarray) -> np.ndarray:
        """Softmax probabilities ``(n, 3)`` from a raw feature matrix."""
        z = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict_proba(self, contexts: Sequence[str]) -> np.ndarray:
        """Probabilities ``(n, 3)``, columns in :attr:`classes` order (one encode call)."""
        if not contexts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return self.proba_from_features(self.featurize(contexts))

    def contexts(self, text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
        """The :func:`mention_context` of every span, each with the others as ``others``."""
        return [mention_context(text, s, e, [o for o in spans if o != (s, e)], placeholder=self.placeholder,
                                other_placeholder=self.other_placeholder, max_words=self.max_words)
                for s, e in spans]

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
        """Label and probability of each title mention in one message.

        Args:
            text: The message.
            spans: ``(start, end)`` character spans of the titles it mentions.

        Returns:
            ``(label, probability)`` per span, in order.
        """
        spans = [(int(s), int(e)) for s, e in spans]
        if not spans:
            return []
        proba = self.predict_proba(self.contexts(text, spans))
        best = proba.argmax(axis=1)
        return [(self.classes[k], float(proba[row, k])) for row, k in enumerate(best)]
