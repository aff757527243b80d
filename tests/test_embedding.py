"""The embedding model loads offline, and the shipped vectors match it."""

import os
import subprocess
import sys

import numpy as np
import pytest

from tastebud.bundled import load_bundled_catalog, load_bundled_vectors
from tastebud.embedding import doc_hash

pytestmark = pytest.mark.slow


def test_model_loads_offline_without_network(tmp_path):
    env = dict(os.environ, HF_HUB_OFFLINE="1", HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9",
               HF_HOME=str(tmp_path / "hf"), SENTENCE_TRANSFORMERS_HOME=str(tmp_path / "st"))
    code = ("from tastebud.embedding import Embedder; import numpy as np; "
            "v = Embedder().encode(['a space adventure', 'a romantic comedy']); "
            "print(v.shape, round(float(np.linalg.norm(v[0])), 4))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "(2, 384) 1.0"


@pytest.mark.parametrize("name", ["movies", "redial"])
def test_shipped_vectors_match_model(name, real_services):
    catalog = load_bundled_catalog(name)
    vectors = load_bundled_vectors(name)
    docs = [item.document() for item in catalog]
    assert all(doc_hash(d) in vectors for d in docs), "rebuild with `tastebud data build`"
    rng = np.random.default_rng(0)
    sample = [docs[i] for i in rng.choice(len(docs), 24, replace=False)]
    fresh = real_services.embedder.encode(sample)
    shipped = np.stack([vectors[doc_hash(d)] for d in sample])
    cosines = np.sum(fresh * shipped, axis=1) / np.linalg.norm(shipped, axis=1)
    assert cosines.min() > 0.999


def test_semantic_neighbours_make_sense(real_services):
    hits = real_services.search("toys that come to life", k=5)
    assert any(h.item.title.startswith("Toy Story") for h in hits)
