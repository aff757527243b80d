"""Training of :class:`tastebud.recommenders.dialogue.DialogueModel` on ReDial *train* dialogues.

Every example (see :mod:`tastebud.recommenders.dialogue_data`) is featurised exactly as at
inference: the messages before the target message, and the movies mentioned before it with
weight ``0.8 ** messages_since`` (the questionnaires are never read). The adapter is trained
with a full softmax over the catalog (movies already mentioned masked out), the target
distribution spread evenly over the message's new movies; Adam, fixed epochs, seeded, CPU.
The configuration was chosen on ``dev-tune`` (see :class:`TrainConfig`); ``dev-holdout`` is
never read here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..catalog import Catalog
from ..embedding import MODEL_NAME, Embedder
from .dialogue import FORMAT, DialogueModel, context_features
from .dialogue_data import Example, Record, embed_messages, examples_of, load_records

__all__ = [
    "TrainConfig",
    "build_features",
    "cache_path",
    "excluded_rows",
    "fit_arrays",
    "mention_inputs",
    "recall",
    "train_and_save",
    "train_dialogue_model",
]

log = logging.getLogger(__name__)


@dataclass
class TrainConfig:
    """Knobs of the dialogue model (defaults: the configuration chosen on ``dev-tune``).

    Chosen on the 1,382 targets of ``dev-tune`` (R@1 / R@10 / R@50 of the model alone): a
    linear adapter, message-pool decay 0.9, 12 epochs at lr 5e-3 (.036 / .170 / .380). Not
    kept: a 512-unit ReLU layer (.035 / .164 / .342), learned item offsets (best .036 / .151 /
    .370 after 3 epochs, then overfitting), decay 0.5 / 0.7 / 0.95 (.036 / .160 / .353,
    .038 / .164 / .363, .036 / .169 / .379), mention decay 0.6 (.036 / .154 / .357), dropout 0.3
    (same as 0.1). Questionnaire dislikes as inputs did not change dev-tune figures (read
    without them); they are kept so that negative weights mean something at inference.

    Attributes:
        decay: Recency ratio of the message pools.
        mention_decay: Weight ratio of a mention to one a message later.
        hidden: Hidden units of the adapter (0 = linear adapter).
        item_offset: Learn a per-item offset to the content vectors.
        epochs: Passes over the training examples.
        batch_size: Examples per step.
        lr: Adam learning rate.
        weight_decay: L2 on the adapter weights.
        offset_decay: L2 on the item offsets.
        dropout: Dropout on the features during training.
        disliked_inputs: Train with negative weights for movies the seeker's questionnaire says
            they disliked (the questionnaires of train dialogues, as training signal only).
        seed: Seed of initialisation and batch order.
    """

    decay: float = 0.9
    mention_decay: float = 0.8
    hidden: int = 0
    item_offset: bool = False
    epochs: int = 12
    batch_size: int = 256
    lr: float = 5e-3
    weight_decay: float = 1e-5
    offset_decay: float = 1e-4
    dropout: float = 0.1
    disliked_inputs: bool = True
    seed: int = 0


def cache_path(settings) -> Path:
    """Where message embeddings are cached (``$TASTEBUD_HOME/cache/dialogue_messages.npz``)."""
    return settings.home / "cache" / "dialogue_messages.npz"


def mention_inputs(record: Record, index: int, mention_decay: float) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, weights)`` of the movies mentioned before message ``index`` (latest mention counts).

    A weight is ``mention_decay ** messages_since``, negative for a movie in
    :attr:`Record.disliked` once the seeker has written after its first mention (what a
    turn-understanding step could have read by then).
    """
    last: dict[int, int] = {}
    first: dict[int, int] = {}
    for i in range(index):
        for row in record.mentions[i]:
            last[row] = i
            first.setdefault(row, i)
    spoke = [i for i in range(index) if record.roles[i] == "user"]
    rows = np.array(list(last), dtype=np.int64)
    weights = np.array([mention_decay ** (index - 1 - i) for i in last.values()], dtype=np.float32)
    for k, row in enumerate(rows.tolist()):
        if row in record.disliked and spoke and spoke[-1] >= first[row]:
            weights[k] = -weights[k]
    return rows, weights


def excluded_rows(record: Record, index: int) -> list[int]:
    """Catalog rows mentioned before message ``index`` (never ranked)."""
    return list(dict.fromkeys(r for rows in record.mentions[:index] for r in rows))


def build_features(records: Sequence[Record], examples: Sequence[Example], vectors: dict[str, np.ndarray],
                   item_vectors: np.ndarray, config: TrainConfig) -> np.ndarray:
    """``(len(examples), n_features)`` features of the examples (the inference featurisation)."""
    dim = item_vectors.shape[1]
    out = []
    for ex in examples:
        rec = records[ex.record]
        texts = rec.texts[:ex.index]
        mv = np.stack([vectors[t] for t in texts]) if texts else np.zeros((0, dim), np.float32)
        rows, weights = mention_inputs(rec, ex.index, config.mention_decay)
        out.append(context_features(rec.roles[:ex.index], mv, rows, weights, item_vectors, config.decay))
    return np.stack(out) if out else np.zeros((0, len(item_vectors[0]) * 5 + 1), np.float32)


def _pairs(lists: Sequence[Sequence[int]], idx: np.ndarray):
    """``(batch rows, columns)`` index tensors of ``lists[i]`` for the examples ``idx``."""
    import torch

    lens = np.array([len(lists[i]) for i in idx], dtype=np.int64)
    cols = np.fromiter((c for i in idx for c in lists[i]), dtype=np.int64, count=int(lens.sum()))
    return torch.from_numpy(np.repeat(np.arange(len(idx)), lens)), torch.from_numpy(cols)


def fit_arrays(features: np.ndarray, targets: Sequence[Sequence[int]], excluded: Sequence[Sequence[int]],
               item_vectors: np.ndarray, config: TrainConfig, *, progress: bool = False,
               on_epoch: Callable[[int, dict[str, np.ndarray]], None] | None = None) -> dict[str, np.ndarray]:
    """Train the adapter, item biases (and offsets); returns the arrays of a :class:`DialogueModel`."""
    import torch

    torch.manual_seed(config.seed)
    gen = np.random.default_rng(config.seed)
    n_items, dim = item_vectors.shape
    n_feat = features.shape[1]
    X = torch.from_numpy(np.ascontiguousarray(features, dtype=np.float32))
    V = torch.from_numpy(np.ascontiguousarray(item_vectors, dtype=np.float32))
    out_dim = config.hidden or dim
    lin1 = torch.nn.Linear(n_feat, out_dim)
    lin2 = torch.nn.Linear(config.hidden, dim) if config.hidden else None
    bias = torch.nn.Parameter(torch.zeros(n_items))
    offset = torch.nn.Parameter(torch.zeros(n_items, dim)) if config.item_offset else None
    params = [{"params": list(lin1.parameters()) + (list(lin2.parameters()) if lin2 else []),
               "weight_decay": config.weight_decay}, {"params": [bias], "weight_decay": 0.0}]
    if offset is not None:
        params.append({"params": [offset], "weight_decay": config.offset_decay})
    opt = torch.optim.AdamW(params, lr=config.lr)
    drop = torch.nn.Dropout(config.dropout)

    def arrays() -> dict[str, np.ndarray]:
        with torch.no_grad():
            return {"w1": lin1.weight.T.numpy().copy(), "b1": lin1.bias.numpy().copy(),
                    "w2": lin2.weight.T.numpy().copy() if lin2 else np.zeros((0, dim), np.float32),
                    "b2": lin2.bias.numpy().copy() if lin2 else np.zeros(dim, np.float32),
                    "item_bias": bias.numpy().copy(),
                    "item_offset": offset.numpy().copy() if offset is not None else np.zeros((0, dim), np.float32)}

    t_len = np.array([max(len(t), 1) for t in targets], dtype=np.float32)
    n = X.shape[0]
    steps = config.epochs * max(1, -(-n // config.batch_size))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=steps, desc="dialogue model", unit="step", leave=False)
    for epoch in range(config.epochs):
        order = gen.permutation(n)
        for start in range(0, n, config.batch_size):
            idx = order[start:start + config.batch_size]
            h = lin1(drop(X[idx]))
            if lin2 is not None:
                h = lin2(torch.relu(h))
            items = V + offset if offset is not None else V
            logits = h @ items.T + bias
            mask = torch.zeros_like(logits, dtype=torch.bool)
            mask[_pairs(excluded, idx)] = True
            target = torch.zeros_like(logits)
            t_rows, t_cols = _pairs(targets, idx)
            target[t_rows, t_cols] = torch.from_numpy(1.0 / t_len[idx][t_rows.numpy()])
            logits = logits.masked_fill(mask, -1e9)
            loss = -(target * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if bar is not None:
                bar.update(1)
        if on_epoch is not None:
            on_epoch(epoch, arrays())
    if bar is not None:
        bar.close()
    return arrays()


def recall(scores: np.ndarray, targets: Sequence[Sequence[int]], excluded: Sequence[Sequence[int]],
           ks: Sequence[int] = (1, 10, 50)) -> dict[str, float]:
    """Recall@k over every target (excluded rows never ranked), as in ``tastebud eval redial``.

    Ties are broken by row order (a target tied with earlier rows ranks after them).
    """
    hits = {k: 0 for k in ks}
    total = 0
    for row, (tg, ex) in enumerate(zip(targets, excluded, strict=True)):
        s = scores[row].astype(np.float64).copy()
        if ex:
            s[list(ex)] = -np.inf
        for t in tg:
            rank = int((s > s[t]).sum() + (s[:t] == s[t]).sum()) + 1
            total += 1
            for k in ks:
                hits[k] += rank <= k
    return {f"recall@{k}": round(hits[k] / max(total, 1), 4) for k in ks}


def train_dialogue_model(catalog: Catalog, item_vectors: np.ndarray, files: Sequence[Path], *,
                         embedder: Embedder | None = None, config: TrainConfig | None = None,
                         cache: Path | None = None, progress: bool = False,
                         say: Callable[[str], None] | None = None) -> DialogueModel:
    """Train on the ``train`` dialogues of ``files``; returns the model (not saved).

    Args:
        catalog: The catalog whose rows the model scores (ReDial ids ``rd:<movieId>``).
        item_vectors: Its item vectors in row order.
        files: ReDial JSON-lines files.
        embedder: Sentence encoder (default all-MiniLM-L6-v2).
        config: Hyper-parameters (default :class:`TrainConfig`).
        cache: Message-embedding cache file.
        progress: Progress bars on stderr.
        say: Receives short status messages.
    """
    say = say or (lambda _msg: None)
    config = config or TrainConfig()
    embedder = embedder or Embedder()
    started = time.perf_counter()
    records = load_records(files, catalog, ["train"], answers=config.disliked_inputs)
    examples = examples_of(records)
    last: dict[int, int] = {}
    for ex in examples:
        last[ex.record] = max(last.get(ex.record, 0), ex.index)
    before = [Record(r.conversation_id, texts=r.texts[:last.get(i, 0)]) for i, r in enumerate(records)]
    say(f"embedding the messages of {len(records)} train dialogues (those before a target)")
    vectors = embed_messages(before, embedder, cache, progress=progress)
    say(f"fitting on {len(examples)} examples")
    features = build_features(records, examples, vectors, item_vectors, config)
    targets = [ex.targets for ex in examples]
    excluded = [excluded_rows(records[ex.record], ex.index) for ex in examples]
    arrays = fit_arrays(features, targets, excluded, item_vectors, config, progress=progress)
    meta = {"format": FORMAT, "catalog": catalog.name, "catalog_version": catalog.version(),
            "encoder": getattr(embedder, "name", MODEL_NAME), "dim": int(item_vectors.shape[1]),
            "n_dialogues": len(records), "n_examples": len(examples), "n_targets": sum(len(t) for t in targets),
            "files": [Path(f).name for f in files], "seconds": round(time.perf_counter() - started, 1),
            **asdict(config)}
    return DialogueModel(arrays, meta, item_vectors, catalog.ids, embedder)


def train_and_save(services, name: str | None = None, data: Path | None = None, *, progress: bool = False,
                   say: Callable[[str], None] | None = None) -> Path | None:
    """``tastebud train``: retrain the dialogue model of the ``redial`` catalog and save it.

    Args:
        services: :class:`tastebud.services.Services`.
        name: Catalog name; only ``redial`` has a dialogue model (others return ``None``).
        data: ReDial folder or file (default ``$TASTEBUD_REDIAL_DIR``, else ``../shared/data/redial``).
        progress: Progress bars on stderr.
        say: Receives short status messages.

    Returns:
        The saved npz, or ``None`` when the catalog has no dialogue model.

    Raises:
        CatalogError: No ReDial dialogues found.
    """
    from ..redial import redial_files
    from .dialogue import trained_artifact

    catalog = services.catalog(name)
    if catalog.name != "redial":
        return None
    # A plain MiniLM encoder on every core for the bulk encoding (the services' one is tuned
    # for single-query latency); a custom encoder (tests, other models) is used as it is.
    embedder = Embedder(threads=None) if type(services.embedder) is Embedder else services.embedder
    model = train_dialogue_model(catalog, services.item_vectors(catalog.name), redial_files(data),
                                 embedder=embedder, cache=cache_path(services.settings),
                                 progress=progress, say=say)
    return model.save(trained_artifact(services.settings, catalog.name))
