"""The deterministic ReDial train / dev-tune / dev-holdout split, the dialogue reader and fuzzy
title matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tastebud.catalog import Catalog, Item
from tastebud.errors import CatalogError
from tastebud.loaders import load_redial
from tastebud.redial import (
    SPLIT_CHOICES,
    SPLITS,
    TRAIN_FILES,
    in_split,
    mention_ids,
    read_dialogues,
    read_files,
    redial_files,
    split3_of,
    split_of,
)


def test_split_is_deterministic_and_about_85_15():
    ids = [str(i) for i in range(20000, 25000)]
    first = [split_of(i) for i in ids]
    assert first == [split_of(i) for i in ids]
    assert split_of(391) == split_of("391")
    dev = first.count("dev") / len(first)
    assert 0.13 < dev < 0.17


def _dialogue(conv, questions):
    return {"conversationId": conv, "initiatorWorkerId": 1, "respondentWorkerId": 2,
            "movieMentions": {"11": "Heat (1995)", "12": "Alien  (1979)"},
            "initiatorQuestions": questions, "respondentQuestions": [],
            "messages": [{"senderWorkerId": 1, "text": "I loved @11 and @11", "messageId": 1},
                         {"senderWorkerId": 2, "text": "Try @12 ?", "messageId": 2}]}


def test_reader_handles_empty_question_lists(tmp_path):
    path = tmp_path / "d.jsonl"
    rows = [_dialogue(str(i), {"11": {"suggested": 0, "seen": 1, "liked": 1}} if i % 2 else []) for i in range(40)]
    path.write_text("\r\n".join(json.dumps(r) for r in rows) + "\r\n")
    dialogues = list(read_dialogues(path))
    assert len(dialogues) == 40
    d = dialogues[1]
    assert d.mentioned() == [11, 12] and d.liked(11) == 1 and d.liked(12) is None
    assert dialogues[0].seeker_answers == {} and dialogues[0].movie_names[12] == "Alien  (1979)"
    train = {d.conversation_id for d in read_dialogues(path, split="train")}
    dev = {d.conversation_id for d in read_dialogues(path, split="dev")}
    assert not train & dev and len(train | dev) == 40
    assert all(split_of(c) == "dev" for c in dev)
    assert mention_ids("@1 and @22, not @x") == [1, 22]


def test_redial_fuzzy_title_matching(tmp_path):
    movies = Catalog("movies", [
        Item("ml:1", "Killer Klowns from Outer Space", 1988, ["Comedy"], "clowns", source_ids={"movielens": 1}),
        Item("ml:2", "Black Hawk Down", 2001, ["War"], "soldiers", source_ids={"movielens": 2}),
        Item("ml:3", "Heat", 1995, ["Crime"], "robbers", source_ids={"movielens": 3}),
    ])
    path = tmp_path / "movies_with_mentions.csv"
    path.write_text("movieId,movieName,nbMentions\n10,Killer Clowns from Outer Space (1988),3\n11,Black Hawk Down (2002),2\n"
                    "12,Heat  (1997),1\n13,Hot (1995),1\n")
    cat = load_redial(path, movies=movies)
    assert cat.get("rd:10").source_ids.get("movielens") == 1 and cat.get("rd:10").genres == ["Comedy"]
    assert cat.get("rd:11").source_ids.get("movielens") == 2  # one year off, same title
    assert "movielens" not in cat.get("rd:12").source_ids  # two years off
    assert "movielens" not in cat.get("rd:13").source_ids  # different title


# -- train / dev-tune / dev-holdout -------------------------------------------------------------
SHARED_DIR = Path("/work/shared/data/redial")


def test_three_way_split_keeps_train_and_halves_dev():
    ids = [str(i) for i in range(100_000, 110_000)]
    three = [split3_of(i) for i in ids]
    assert three == [split3_of(i) for i in ids]  # deterministic
    assert set(three) == set(SPLITS)
    for conv, part in zip(ids, three, strict=True):  # train is exactly split_of's train
        assert (part == "train") == (split_of(conv) == "train")
    tune, holdout = three.count("dev-tune"), three.count("dev-holdout")
    assert 0.45 < tune / (tune + holdout) < 0.55
    assert split3_of(391) == split3_of("391")
    assert all(in_split(c, p) and in_split(c, "all") and in_split(c, None) for c, p in zip(ids, three, strict=True))
    assert all(in_split(c, "dev") == (p != "train") for c, p in zip(ids, three, strict=True))


def test_reader_splits_are_disjoint_and_cover_the_file(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(_dialogue(str(i), [])) for i in range(1000, 1400)))
    parts = {s: {d.conversation_id for d in read_dialogues(path, s)} for s in SPLIT_CHOICES}
    assert not parts["train"] & parts["dev-tune"] and not parts["train"] & parts["dev-holdout"]
    assert not parts["dev-tune"] & parts["dev-holdout"]
    assert parts["dev"] == parts["dev-tune"] | parts["dev-holdout"]
    assert parts["all"] == parts["train"] | parts["dev"] and len(parts["all"]) == 400
    assert all(parts[s] for s in SPLITS)
    assert [d.conversation_id for d in read_files([path, path], "dev-tune")] == sorted(parts["dev-tune"]) * 2
    with pytest.raises(ValueError):
        list(read_dialogues(path, "test"))


def test_redial_files_finds_both_files(tmp_path, monkeypatch):
    (tmp_path / "train_data_extra.jsonl").write_text("")
    monkeypatch.setenv("TASTEBUD_REDIAL_DIR", str(tmp_path))
    assert redial_files() == [tmp_path / "train_data_extra.jsonl"]
    (tmp_path / "train_data_partial.jsonl").write_text("")
    assert [p.name for p in redial_files()] == list(TRAIN_FILES)
    assert redial_files(tmp_path / "train_data_extra.jsonl") == [tmp_path / "train_data_extra.jsonl"]
    with pytest.raises(CatalogError):
        redial_files(tmp_path / "nowhere")


#: Dialogues and protocol targets per file and split (documented in the README).
COUNTS = {
    "train_data_partial.jsonl": {"train": (4032, 14574), "dev-tune": (341, 1224), "dev-holdout": (336, 1177)},
    "train_data_extra.jsonl": {"train": (492, 1757), "dev-tune": (43, 158), "dev-holdout": (45, 166)},
}


@pytest.mark.skipif(not SHARED_DIR.is_dir(), reason="shared ReDial files not present")
def test_split_counts_of_the_shared_files():
    from tastebud.evals.redial_bench import count_targets

    for name, parts in COUNTS.items():
        for split, (dialogues, targets) in parts.items():
            got = count_targets(read_dialogues(SHARED_DIR / name, split))
            assert (got[1], got[0]) == (dialogues, targets), (name, split)


def test_redial_popularity_from_given_mention_counts(tmp_path):
    path = tmp_path / "movies_with_mentions.csv"
    path.write_text("movieId,movieName,nbMentions\n10,Heat (1995),300\n11,Alien (1979),2\n")
    cat = load_redial(path, mentions={11: 7})
    assert cat.get("rd:10").popularity == 0 and cat.get("rd:11").popularity == 7  # nbMentions ignored
    assert load_redial(path).get("rd:10").popularity == 300
