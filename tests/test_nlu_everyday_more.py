"""More everyday phrasings found by the blind probe sets (development data), each rule tested here
with phrasings of its own: adverbials after a verb, slips in opinion verbs, answers to the
person's own question, verbs that link a verdict as "is" does, "never get bored"."""

from __future__ import annotations

import pytest

from tastebud.bundled import load_bundled_catalog
from tastebud.nlu import TitleLinker, parse_turn
from tastebud.nlu.text import verb_slip


@pytest.fixture(scope="module")
def linker() -> TitleLinker:
    return TitleLinker(load_bundled_catalog("movies"))


def _labels(mentions) -> list[str]:
    return [f"{m.title} ({m.year})" for m in mentions]


@pytest.mark.parametrize("text, field, labels", [
    ("Titanic I saw ages ago", "seen", ["Titanic (1997)"]),                    # when, not what
    ("Jumanji, watched it with my nephew", "seen", ["Jumanji (1995)"]),          # with whom
    ("Shrek and Cars, seen both at my cousin's", "seen", ["Shrek (2001)", "Cars (2006)"]),
    ("Gladiator I adored back in school", "liked", ["Gladiator (2000)"]),
])
def test_an_adverbial_after_the_verb_is_no_object(linker, text, field, labels):
    parse = parse_turn(text, linker)
    assert sorted(_labels(getattr(parse, field))) == sorted(labels)
    assert not (parse.liked if field != "liked" else parse.seen)


@pytest.mark.parametrize("typed, verb", [("lovd", "loved"), ("enjoued", "enjoyed"), ("hatd", "hate"),
                                         ("wacthed", "watched"), ("adord", "adored")])
def test_an_opinion_verb_with_one_slip_reads_as_the_verb(typed, verb):
    assert verb_slip(typed)[:4] == verb[:4]


@pytest.mark.parametrize("word", ["lover", "loved", "hated", "wanted", "lovely", "anderes", "heat"])
def test_words_of_a_language_are_not_slips(word):
    assert verb_slip(word) == word


@pytest.mark.parametrize("text, field", [("i adord Amelie", "liked"), ("hatd Cats so much", "disliked"),
                                         ("already wachted Moana", "seen")])
def test_slipped_verbs_give_their_verdict(linker, text, field):
    assert getattr(parse_turn(text, linker), field)


@pytest.mark.parametrize("text, field, labels", [
    ("best film I have ever loved? Vertigo, no contest", "liked", ["Vertigo (1958)"]),
    ("movies I hate the most? Catwoman and Gigli", "disliked", ["Catwoman (2004)", "Gigli (2003)"]),
])
def test_titles_answering_the_persons_own_question(linker, text, field, labels):
    assert sorted(_labels(getattr(parse_turn(text, linker), field))) == sorted(labels)


@pytest.mark.parametrize("text", ["what do you love most? Vertigo, probably", "seen Vertigo? loved Psycho more",
                                  "which one do you love? Vertigo is famous I think"])
def test_a_question_with_a_title_or_about_someone_else_answers_nothing(linker, text):
    parse = parse_turn(text, linker)
    assert "Vertigo (1958)" not in _labels(parse.liked)


@pytest.mark.parametrize("text, field", [
    ("Casablanca never gets dull", "liked"),          # negated: the other way
    ("Avatar got tedious after an hour", "disliked"),
    ("i thought Hugo felt magical", "liked"),
    ("Gigli seemed pointless", "disliked"),
])
def test_linking_verbs_carry_a_verdict(linker, text, field):
    assert getattr(parse_turn(text, linker), field)


@pytest.mark.parametrize("text", ["i could rewatch Amelie daily and never get bored",
                                  "never get bored of Amelie", "Twilight is my guilty pleasure"])
def test_never_bored_and_guilty_pleasures_are_likes(linker, text):
    parse = parse_turn(text, linker)
    assert parse.liked and not parse.disliked
