"""A capitalised name where a title is expected is looked up and reported when unknown: after
"tell me about" or "watch", asked about ("is X worth watching?", "what's X about?"); a year
before a title picks its version; a year told with a viewing is when, not a limit."""

from __future__ import annotations

import pytest

from tastebud.nlu import parse_turn


@pytest.mark.parametrize("text, name", [("could you tell me about Brindlemoor Heights?", "Brindlemoor Heights"),
                                        ("my aunt says I have to watch Quorrel's Ferry", "Quorrel's Ferry"),
                                        ("is Saltmarsh Vigil worth watching?", "Saltmarsh Vigil"),
                                        ("what's Ombrevane about?", "Ombrevane")])
def test_a_name_asked_about_is_looked_up(linker, text, name):
    assert [p["text"] for p in parse_turn(text, linker).phrases] == [name]


@pytest.mark.parametrize("text", ["I want to watch TV tonight", "can we watch Netflix later"])
def test_an_everyday_word_after_watch_is_no_title(linker, text):
    assert not parse_turn(text, linker).phrases


@pytest.mark.parametrize("text, year", [("the 1984 ghostbusters is a classic", 1984), ("the 2016 Ghostbusters was fun", 2016)])
def test_a_year_before_a_title_picks_its_version(linker, text, year):
    parse = parse_turn(text, linker)
    assert [(m.title, m.year) for m in parse.liked] == [("Ghostbusters", year)]
    assert parse.year_from is None and parse.year_to is None


@pytest.mark.parametrize("text", ["caught Titanic at the cinema back in 1998", "watched Jumanji in 1996 on VHS"])
def test_a_year_told_with_a_viewing_is_no_limit(linker, text):
    parse = parse_turn(text, linker)
    assert parse.seen and parse.year_from is None and parse.year_to is None


@pytest.mark.parametrize("text", ["Notting Hill is lovely, Hugh Grant is so charming in it",
                                  "Gravity was stunning. Sandra Bullock carried it"])
def test_a_persons_name_beside_a_title_is_not_reported_missing(linker, text):
    parse = parse_turn(text, linker)
    assert parse.liked and not parse.phrases
