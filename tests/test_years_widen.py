"""Years said with "too" widen the years in effect instead of replacing them ("80s only" then "the
90s are fine too" is 1980-1999); a decade is never a title-like phrase; "kids are in bed" names people."""

from __future__ import annotations

import pytest

from tastebud.nlu import parse_turn
from tastebud.tools import Toolkit


@pytest.fixture
def toolkit(tiny_services) -> Toolkit:
    return Toolkit(tiny_services, "tiny")


def _years(toolkit: Toolkit, user: str) -> tuple[int | None, int | None]:
    now = toolkit.profiles.get(user).filters("t")
    return now.year_from, now.year_to


def test_widen_grows_the_years_in_effect(toolkit):
    toolkit.update_profile("w", [{"action": "set_years", "year_from": 1960, "year_to": 1969}], thread_id="t")
    toolkit.update_profile("w", [{"action": "set_years", "year_from": 1970, "year_to": 1979, "widen": True}],
                           thread_id="t")
    assert _years(toolkit, "w") == (1960, 1979)


def test_widen_keeps_an_open_bound_open(toolkit):
    toolkit.update_profile("o", [{"action": "set_years", "year_to": 1974}], thread_id="t")
    toolkit.update_profile("o", [{"action": "set_years", "year_from": 1970, "year_to": 1979, "widen": True}],
                           thread_id="t")
    assert _years(toolkit, "o") == (None, 1979)


def test_widen_with_no_years_held_sets_them(toolkit):
    toolkit.update_profile("n", [{"action": "set_years", "year_from": 1970, "year_to": 1979, "widen": True}],
                           thread_id="t")
    assert _years(toolkit, "n") == (1970, 1979)


def test_without_widen_years_are_replaced(toolkit):
    toolkit.update_profile("r", [{"action": "set_years", "year_from": 1960, "year_to": 1969}], thread_id="t")
    toolkit.update_profile("r", [{"action": "set_years", "year_from": 1970, "year_to": 1979}], thread_id="t")
    assert _years(toolkit, "r") == (1970, 1979)


@pytest.mark.parametrize("text, years", [("70s is ok too", (1970, 1979)), ("1960s are fine as well", (1960, 1969))])
def test_a_decade_with_too_is_years_not_a_title(linker, text, years):
    parse = parse_turn(text, linker)
    assert (parse.year_from, parse.year_to) == years and not parse.phrases and parse.adds_genres


@pytest.mark.parametrize("text", ["kids are finally asleep, what's good?", "Children just went to bed, pick me a film"])
def test_kids_as_a_subject_are_people_not_a_genre(linker, text):
    assert not parse_turn(text, linker).wanted_genres


@pytest.mark.parametrize("text, lifted, genre", [("older westerns are fine too", "year_from", "Western"),
                                                 ("newer comedies are ok as well", "year_to", "Comedy")])
def test_an_age_word_with_a_genre_lifts_the_years_and_keeps_the_genre(linker, text, lifted, genre):
    parse = parse_turn(text, linker)
    assert parse.lift_years == [lifted] and not parse.allowed_genres and parse.wanted_genres == [genre]


@pytest.mark.parametrize("text, genre, year_to", [("a classic noir for tonight", "Film-Noir", None),
                                                  ("some old film noir please", "Film-Noir", None),
                                                  ("some classic musicals please", "Musical", 1979)])
def test_an_age_word_before_a_genre_of_that_era_adds_no_limit(linker, text, genre, year_to):
    parse = parse_turn(text, linker)
    assert parse.wanted_genres == [genre] and parse.year_to == year_to


@pytest.mark.parametrize("text, genre", [("a film about soldiers please", "War"), ("something with a sorcerer in it", "Fantasy"),
                                         ("I want a real nail biter tonight", "Thriller")])
def test_more_genre_words(linker, text, genre):
    assert parse_turn(text, linker).wanted_genres == [genre]
