"""The shipped ReDial statistics come from train-split dialogues only, and rebuild exactly.

Catalog popularity (mention counts), co-mentions and next-mention transitions are recounted
from the train split of both ReDial training files and compared with ``core/data``; a
synthetic file checks that dev dialogues (their mentions and questionnaires) never count.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tastebud.bundled import (
    REDIAL_TRANSITION_KEYS,
    data_dir,
    load_bundled_catalog,
    redial_train_statistics,
)
from tastebud.redial import TRAIN_FILES, split3_of

SHARED_DIR = Path("/work/shared/data/redial")


@pytest.mark.skipif(not all((SHARED_DIR / f).is_file() for f in TRAIN_FILES), reason="shared ReDial files not present")
def test_shipped_redial_artifacts_rebuild_from_train_split():
    stats = redial_train_statistics([SHARED_DIR / f for f in TRAIN_FILES])
    counts = dict(zip(stats["mention_movie"].tolist(), stats["mention_count"].tolist(), strict=True))
    catalog = load_bundled_catalog("redial")
    assert {i.item_id: i.popularity for i in catalog} == {i.item_id: float(counts.get(i.source_ids["redial"], 0))
                                                          for i in catalog}
    assert sum(i.popularity for i in catalog) < 40_000  # nbMentions sums to 80,109 (test split included)
    with np.load(data_dir() / "redial_comentions.npz") as npz:
        assert np.array_equal(npz["dialogue"], stats["dialogue"]) and np.array_equal(npz["movie"],
                                                                                   stats["movie_mentioned"])
    with np.load(data_dir() / "redial_transitions.npz") as npz:
        assert sorted(npz.files) == sorted(REDIAL_TRANSITION_KEYS)
        for key in REDIAL_TRANSITION_KEYS:
            assert np.array_equal(npz[key], stats[key]), key
    assert int(stats["recommended"].sum()) == 14_574 + 1_757  # the train targets of both files


def _dialogue(conv: int, seeker_liked: int) -> dict:
    return {"conversationId": str(conv), "initiatorWorkerId": 1, "respondentWorkerId": 2,
            "movieMentions": {"11": "Heat (1995)", "12": "Alien (1979)", "13": "Up (2009)"},
            "initiatorQuestions": {"11": {"suggested": 0, "seen": 1, "liked": seeker_liked}}, "respondentQuestions": [],
            "messages": [{"senderWorkerId": 1, "text": "I saw @11 and @11", "messageId": 1},
                         {"senderWorkerId": 2, "text": "Try @12 or @13", "messageId": 2}]}


def test_statistics_read_train_dialogues_only(tmp_path):
    ids = {split3_of(i): i for i in range(1000, 1100)}
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(_dialogue(ids[s], 1)) for s in ("train", "dev-tune", "dev-holdout")))
    stats = redial_train_statistics([path])
    assert dict(zip(stats["mention_movie"].tolist(), stats["mention_count"].tolist(), strict=True)) == {
        11: 2, 12: 1, 13: 1}
    assert stats["recommended"].tolist() == [1, 1] and stats["count"].tolist() == [1, 1]
    assert stats["movie_mentioned"].tolist() == [11, 12, 13]
    # A dev dialogue's questionnaire changes nothing; the train dialogue's own label does.
    path.write_text("\n".join(json.dumps(_dialogue(ids[s], 0 if s != "train" else 1))
                              for s in ("train", "dev-tune", "dev-holdout")))
    again = redial_train_statistics([path])
    assert all(np.array_equal(stats[k], again[k]) for k in stats)
    path.write_text(json.dumps(_dialogue(ids["train"], 0)))
    assert redial_train_statistics([path])["movie_mentioned"].tolist() == [12, 13]
