"""Verdicts said about a title, found by the blind probe sets (development data), each rule tested
here with phrasings of its own: critics' words, praise and complaint idioms, superlatives, "be"
after a modal, the person's and someone else's "fan of"."""

from __future__ import annotations

import pytest

from tastebud.nlu import parse_turn
from tastebud.nlu.valence import judgement


def _labels(mentions) -> list[str]:
    return [f"{m.title} ({m.year})" for m in mentions]


@pytest.mark.parametrize("text", ["the happening was laughable", "Crash was preachy", "Tenet... no, Inception was convoluted"])
def test_critics_words_pan(linker, text):
    assert parse_turn(text, linker).disliked


def test_a_phrase_cue_decides_over_its_words(linker):
    parse = parse_turn("Solaris was long; I didn't care for it at all", linker)
    assert _labels(parse.disliked) == ["Solaris (2002)"] and not parse.liked


def test_was_loving_is_the_verb(linker):
    assert [p["text"] for p in parse_turn("I was loving Pendlewick Farm so much", linker).phrases] == ["Pendlewick Farm"]


def test_asleep_in_the_middle_of(linker):
    assert _labels(parse_turn("I fell asleep in the middle of The Revenant", linker).disliked) == ["The Revenant (2015)"]


@pytest.mark.parametrize("text, label", [("Amadeus is pure spectacle", "Amadeus (1984)"), ("Gattaca bowled me over", "Gattaca (1997)"),
                                         ("I'm addicted to Amelie", "Amelie (2001)"), ("die-hard fan of Memento", "Memento (2000)")])
def test_more_praise(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


def test_a_first_name_and_a_surname_after_with(linker):
    assert _labels(parse_turn("Friday with Ice Cube is hilarious", linker).liked) == ["Friday (1995)"]


@pytest.mark.parametrize("text", ["Amadeus never hooked me, much too long", "Solaris tested my patience"])
def test_more_complaints(linker, text):
    assert parse_turn(text, linker).disliked


def test_a_haunted_house_is_horror_and_a_hunt_turned_horror_story_is_not(linker):
    assert "Horror" in parse_turn("no haunted-house stuff", linker).unwanted_genres
    assert not parse_turn("my job search turned into a real horror story, recommend a film", linker).wanted_genres


def test_a_lower_case_name_alone_then_a_verdict(linker):
    assert [p["text"] for p in parse_turn("wobblethorpe junction? loved it", linker).phrases] == ["wobblethorpe junction"]


@pytest.mark.parametrize("text, label", [("a lifelong fan of Rocky", "Rocky (1976)"), ("devoted fan of Jaws here", "Jaws (1975)")])
def test_any_fan_of_is_the_persons(linker, text, label):
    parse = parse_turn(text, linker)
    assert _labels(parse.liked) == [label] and not parse.phrases


@pytest.mark.parametrize("text", ["my uncle is a lifelong fan of Rocky", "my neighbour is obsessed with Frozen"])
def test_someone_elses_fan_of_is_not(linker, text):
    assert not parse_turn(text, linker).liked


@pytest.mark.parametrize("text, field", [("Amelie is utterly captivating", "liked"), ("Paddington is so wholesome", "liked"),
                                         ("Solaris was a real slog", "disliked"), ("Waterworld was bland", "disliked"),
                                         ("Godzilla (1998) felt so repetitive", "disliked")])
def test_critics_words_vader_lacks(linker, text, field):
    assert getattr(parse_turn(text, linker), field)


@pytest.mark.parametrize("word, sign", [("finest", 1), ("nicest", 1), ("coolest", 1), ("dullest", -1), ("tallest", 0)])
def test_a_superlative_judges_as_its_adjective(word, sign):
    assert judgement(word) == sign


@pytest.mark.parametrize("text, field", [("Toy Story 3 has to be the best sequel", "liked"),
                                         ("Jaws will always be a classic", "liked"),
                                         ("Gigli might be the worst film ever", "disliked")])
def test_be_after_a_modal_says_what_a_title_is(linker, text, field):
    assert getattr(parse_turn(text, linker), field)


@pytest.mark.parametrize("text", ["Jumanji would be great tonight", "Amelie could be fun for date night"])
def test_would_be_is_a_wish_not_a_verdict(linker, text):
    parse = parse_turn(text, linker)
    assert not parse.liked and not parse.disliked


@pytest.mark.parametrize("text", ["Amelie had me glued to the screen", "Amelie exceeded my expectations",
                                  "had so much fun watching Amelie", "Amelie stands the test of time",
                                  "Amelie is criminally underrated", "I can't stop thinking about Amelie"])
def test_praise_idioms(linker, text):
    parse = parse_turn(text, linker)
    assert _labels(parse.liked) == ["Amelie (2001)"] and not parse.disliked


@pytest.mark.parametrize("text", ["Solaris overstayed its welcome", "Solaris missed the mark", "suffered through Solaris",
                                  "Solaris didn't live up to the hype", "dozed off again during Solaris",
                                  "Solaris was all style no substance"])
def test_complaint_idioms(linker, text):
    parse = parse_turn(text, linker)
    assert _labels(parse.disliked) == ["Solaris (2002)"] and not parse.liked


@pytest.mark.parametrize("text", ["Ich fand Amelie total öde", "Achei Amelie muito chata", "J'ai trouvé Amelie vraiment nul",
                                  "Ho trovato Amelie deludente", "Amelie, aburridísima"])
def test_a_verdict_word_alone_after_a_title_in_other_languages(linker, text):
    parse = parse_turn(text, linker)
    assert _labels(parse.disliked) == ["Amelie (2001)"] and not parse.liked


def test_a_spanish_dislike_with_an_intensifier_after_it(linker):
    assert _labels(parse_turn("Amelie me aburrió un montón", linker).disliked) == ["Amelie (2001)"]


def test_a_title_with_an_alternative_title_is_known_by_its_first(linker):
    parse = parse_turn("watched dr strangelove again, still a masterpiece", linker)
    assert [m.title for m in parse.liked] == ["Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb"]


@pytest.mark.parametrize("text", ["Solaris has not aged well", "Amadeus was not a masterpiece to me, sorry"])
def test_a_negated_praise_after_a_title_pans_it(linker, text):
    parse = parse_turn(text, linker)
    assert parse.disliked and not parse.liked


def test_a_score_given_to_a_group_of_titles(linker):
    parse = parse_turn("Amadeus and Gattaca are both 9/10 in my book", linker)
    assert sorted(_labels(parse.liked)) == ["Amadeus (1984)", "Gattaca (1997)"]
