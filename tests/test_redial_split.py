"""The deterministic ReDial train/dev split, the dialogue reader and fuzzy title matching."""

from __future__ import annotations

import json

from tastebud.catalog import Catalog, Item
from tastebud.loaders import load_redial
from tastebud.redial import mention_ids, read_dialogues, split_of


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
