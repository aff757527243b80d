"""Dialogue model: training on a tiny synthetic ReDial file, artifact round trip, scores, determinism."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tastebud.catalog import Catalog, Item
from tastebud.errors import ArtifactError
from tastebud.recommenders.dialogue import DialogueModel, artifact_paths
from tastebud.recommenders.dialogue_data import (
    dialogue_split,
    examples_of,
    load_records,
)
from tastebud.recommenders.dialogue_train import (
    TrainConfig,
    recall,
    train_dialogue_model,
)
from tastebud.testing import HashingEmbedder

GENRES = {"space": "space alien robot", "funny": "funny joke laugh", "sad": "tears family loss"}


@pytest.fixture
def setup(tmp_path):
    items = [Item(f"rd:{10 * g + i}", f"{name.title()} Film {i}", 2000 + i, [], f"A {words} story")
             for g, (name, words) in enumerate(GENRES.items()) for i in range(4)]
    catalog = Catalog("redial", items)
    embedder = HashingEmbedder(dim=32)
    vectors = embedder.encode([it.document() for it in items])
    ids = (str(n) for n in range(100_000))
    train_ids = [c for c in ids if dialogue_split(c) == "train"][:30]
    lines = []
    for n, conv in enumerate(train_ids):
        g, (name, words) = n % 3, list(GENRES.items())[n % 3]
        a, b = 10 * g + n % 4, 10 * g + (n + 1) % 4
        names = {str(a): f"{name.title()} Film {a % 10} ({2000 + a % 10})",
                 str(b): f"{name.title()} Film {b % 10} ({2000 + b % 10})"}
        messages = [{"senderWorkerId": 1, "text": f"hi I want something {words}"},
                    {"senderWorkerId": 2, "text": "what did you like?"},
                    {"senderWorkerId": 1, "text": f"I loved @{a}"},
                    {"senderWorkerId": 2, "text": f"try @{b} then"}]
        lines.append({"conversationId": conv, "initiatorWorkerId": 1, "respondentWorkerId": 2,
                      "messages": messages, "movieMentions": names, "initiatorQuestions": []})
    path = tmp_path / "dialogues.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))
    return catalog, embedder, vectors, path


def _train(setup, **kw):
    catalog, embedder, vectors, path = setup
    config = TrainConfig(epochs=kw.pop("epochs", 4), batch_size=8, **kw)
    return train_dialogue_model(catalog, vectors, [path], embedder=embedder, config=config)


def test_examples_follow_the_protocol(setup):
    catalog, _, _, path = setup
    records = load_records([path], catalog, ["train"])
    examples = examples_of(records)
    assert len(records) == 30 and len(examples) == 30
    assert all(ex.index == 3 and len(ex.targets) == 1 for ex in examples)
    assert "Film" in records[0].texts[2] and "@" not in records[0].texts[2]
    assert records[0].roles == ["user", "assistant", "user", "assistant"]
    assert load_records([path], catalog, ["dev-tune", "dev-holdout"]) == []


def test_trains_scores_and_round_trips(setup, tmp_path):
    catalog, embedder, vectors, _ = setup
    model = _train(setup)
    history = [("user", "hi I want something space alien robot"), ("assistant", "what did you like?"),
               ("user", "I loved Space Film 1 (2001)")]
    scores = model.scores(history, {"rd:1": 1.0, "rd:12": -0.8})
    assert scores.shape == (len(catalog),) and scores.dtype == np.float32 and np.isfinite(scores).all()
    assert model.scores([], {}).shape == (len(catalog),)
    npz = model.save(tmp_path / "art" / "dialogue")
    assert npz.is_file() and artifact_paths(npz)[1].is_file()
    loaded = DialogueModel.load(npz, vectors, catalog.ids, catalog_version=catalog.version(), embedder=embedder)
    np.testing.assert_allclose(loaded.scores(history, {"rd:1": 1.0}), model.scores(history, {"rd:1": 1.0}),
                               rtol=0, atol=0.05)
    assert loaded.meta["n_examples"] == 30 and loaded.meta["catalog_version"] == catalog.version()
    with pytest.raises(ArtifactError):
        DialogueModel.load(npz, vectors, catalog.ids, catalog_version="other", embedder=embedder)
    with pytest.raises(ArtifactError):
        DialogueModel.load(tmp_path / "missing", vectors, catalog.ids, embedder=embedder)
    with pytest.raises(ArtifactError):
        DialogueModel.load(npz, vectors[:5], catalog.ids[:5], embedder=embedder)


def test_training_is_deterministic(setup):
    a, b = _train(setup, hidden=16), _train(setup, hidden=16)
    for key in ("w1", "w2", "item_bias"):
        np.testing.assert_array_equal(a.arrays[key], b.arrays[key])
    c = _train(setup, item_offset=True, epochs=2)
    assert c.arrays["item_offset"].shape == (12, 32)


def test_one_encoder_call_per_turn(setup):
    model = _train(setup, epochs=1)
    embedder = model.embedder
    history = [("user", "hello there"), ("assistant", "hi, what do you like?")]
    model.scores(history, {})
    calls = embedder.calls
    model.scores(history + [("user", "funny stuff")], {})
    assert embedder.calls == calls + 1


def test_recall_counts_each_target_and_skips_excluded():
    scores = np.array([[3.0, 2.0, 1.0, 0.0]])
    out = recall(scores, [[1, 2]], [[0]], ks=(1, 2))
    assert out == {"recall@1": 0.5, "recall@2": 1.0}


def test_shipped_artifact_matches_the_shipped_catalog(tmp_path):
    from tastebud.recommenders.dialogue import load_dialogue_model
    from tastebud.services import Services
    from tastebud.settings import Settings

    services = Services(Settings(home=tmp_path / "home"), embedder=HashingEmbedder())
    model = load_dialogue_model(services, "redial")
    catalog = services.catalog("redial")
    assert model.meta["catalog_version"] == catalog.version()
    assert model.arrays["item_bias"].shape == (len(catalog),)
    assert model.arrays["w1"].shape == (5 * 384 + 1, 384)
    with pytest.raises(ArtifactError):
        load_dialogue_model(services, "movies")
