"""Known-answer tests of the next-mention model and the shipped redial transitions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from tastebud.bundled import load_bundled_catalog
from tastebud.catalog import Catalog, Item
from tastebud.recommenders import Interactions, TransitionRecommender, redial_comention_ease, redial_sequence_models


@pytest.fixture
def chain():
    """Four items; after ``s:a`` recommenders named ``s:b`` 3 times and ``s:c`` once."""
    catalog = Catalog("seq", [Item(f"s:{k}", f"Film {k}", 2000, ["Drama"], "") for k in "abcd"])
    empty = Interactions(catalog, sparse.csr_matrix((0, 4), dtype=np.float32))
    counts = sparse.csr_matrix((np.array([3.0, 1.0, 2.0]), ([0, 0, 1], [1, 2, 3])), shape=(4, 4))
    return catalog, empty, counts


def test_transitions_rank_next_mentions(chain):
    _, empty, counts = chain
    model = TransitionRecommender().fit(empty, counts)
    assert [i for i, _ in model.recommend({"s:a": 1.0}, n=2)] == ["s:b", "s:c"]
    assert model.recommend({"s:a": 1.0, "s:b": 1.0}, n=1)[0][0] == "s:d"
    assert model.scores({"s:d": 1.0}) is None  # no transition out of s:d: no signal


def test_row_normalisation(chain):
    _, empty, counts = chain
    model = TransitionRecommender(alpha=1.0).fit(empty, counts)
    np.testing.assert_allclose(model.scores({"s:a": 1.0}), [0.0, 0.75, 0.25, 0.0])


def test_second_order_adds_two_step_transitions(chain):
    _, empty, counts = chain
    model = TransitionRecommender(second_order=0.5).fit(empty, counts)
    # one step from s:a: [0, 3, 1, 0] / 3; two steps reach s:d through s:b (max-normalised to 1)
    np.testing.assert_allclose(model.scores({"s:a": 1.0}), [0.0, 1.0, 1 / 3, 0.5], rtol=1e-6)
    assert TransitionRecommender().fit(empty, counts).scores({"s:a": 1.0})[3] == 0.0  # off by default


def test_sharpen_favours_the_heaviest_mentions(chain):
    _, empty, counts = chain
    user = {"s:a": 1.0, "s:b": 0.5}
    np.testing.assert_allclose(TransitionRecommender().fit(empty, counts).scores(user), [0.0, 3.0, 1.0, 1.0])
    np.testing.assert_allclose(TransitionRecommender(sharpen=2.0).fit(empty, counts).scores(user),
                               [0.0, 3.0, 1.0, 0.5])


def test_wrong_shape_is_rejected(chain):
    _, empty, _ = chain
    with pytest.raises(ValueError):
        TransitionRecommender().fit(empty, sparse.csr_matrix((3, 3)))


def test_shipped_redial_sequence_models():
    catalog = load_bundled_catalog("redial")
    sequence, mentions = redial_sequence_models(catalog)
    assert sequence.transitions.shape == (len(catalog), len(catalog)) and sequence.transitions.nnz > 10_000
    assert mentions.popularity.shape == (len(catalog),) and mentions.popularity.max() > 0
    assert redial_sequence_models(Catalog("other", list(catalog.items[:3]))) is None


def test_shipped_redial_comention_ease():
    catalog = load_bundled_catalog("redial")
    ease = redial_comention_ease(catalog)
    assert ease is not None and ease.lam == 500.0 and ease.support.size > 1000
    # films named together in train dialogues score each other: a well-known film has neighbours
    pop = np.array([it.popularity for it in catalog.items])
    top = catalog.items[int(pop.argmax())].item_id
    scores = ease.scores({top: 1.0})
    assert scores is not None and np.count_nonzero(scores > 0) > 10
    assert redial_comention_ease(Catalog("other", list(catalog.items[:3]))) is None
