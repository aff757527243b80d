"""The examples that showed the offline default misreading people, through the whole turn
(parse → tools → profile → answer), plus phrasings the fixes were not written for."""

from __future__ import annotations

import itertools

import pytest

from tastebud.agent import Assistant

pytestmark = pytest.mark.slow
_IDS = itertools.count()


@pytest.fixture(scope="module")
def assistant(real_services) -> Assistant:
    return Assistant(real_services, checkpointer="memory")


def talk(assistant: Assistant, *messages: str, user: str | None = None, thread: str = "t"):
    user = user or f"why-{next(_IDS)}"
    result = None
    for message in messages:
        result = assistant.turn(message, user_id=user, thread_id=thread)
    return result, user


def titles(result, field: str) -> list[str]:
    return [result.profile["titles"].get(e["item_id"], e["item_id"]) for e in result.profile[field]]


def picks(result) -> list[str]:
    return [r["title"] for r in result.recommendations]


@pytest.mark.parametrize("message, liked", [
    ("big fan of The Godfather", "The Godfather (1972)"),
    ("Toy Story is one of my all-time favourites", "Toy Story (1995)"),
    ("Toy Story was a blast", "Toy Story (1995)"),
    ("i loooved jurassic prak", "Jurassic Park (1993)"),
    ("J'ai adoré Alien", "Alien (1979)"),
    ("honestly cannot get enough of the matirx", "The Matrix (1999)"),
])
def test_likes_without_the_usual_cue_words(assistant, message, liked):
    result, _ = talk(assistant, message)
    assert titles(result, "liked") == [liked]
    assert not any(p.startswith(("The Fan", "Fans", "My Favorite", "Blast from")) for p in picks(result))


def test_german_like_and_genre_refusal(assistant):
    result, _ = talk(assistant, "Ich mag Alien. Bitte keine Gruselfilme.")
    assert titles(result, "liked") == ["Alien (1979)"]
    assert [e["genre"] for e in result.profile["unwanted_genres"]] == ["Horror"]


@pytest.mark.parametrize("message", ["I loved The Flibbertigibbet Chronicles of Zorbania",
                                     "my favourite is Zorblax Attack 2099", "we adored Quantum Porridge Nights"])
def test_unknown_titles_are_admitted_and_nothing_is_saved(assistant, message):
    result, _ = talk(assistant, message)
    assert not result.profile["liked"] and not result.recommendations  # no random picks either
    assert result.not_found or result.uncertain
    assert "couldn't find" in result.reply.lower() or "did you mean" in result.reply.lower()


def test_a_weak_resemblance_is_asked_about_and_yes_saves_it(assistant):
    result, user = talk(assistant, "I really enjoyed Harry Potter and the Goblet of Marmalade")
    assert not result.profile["liked"]
    assert [u["label"] for u in result.uncertain] == ["Harry Potter and the Goblet of Fire (2005)"]
    assert "Did you mean" in result.reply
    result, _ = talk(assistant, "yes, that one", user=user)
    assert titles(result, "liked") == ["Harry Potter and the Goblet of Fire (2005)"]


def test_no_to_a_guess_saves_nothing(assistant):
    _, user = talk(assistant, "Indiana Jones and the Kingdom of the Glass Potato was great")
    result, _ = talk(assistant, "no", user=user)
    assert not result.profile["liked"]


def test_any_year_lifts_the_limit_and_says_so(assistant):
    result, user = talk(assistant, "I loved Alien, only horror from before 1960")
    assert result.profile["constraints"]["year_to"]["value"] == 1959
    result, _ = talk(assistant, "any year is fine", user=user)
    assert not result.profile["constraints"] and not result.profile["session"]["constraints"]
    assert "year" in result.reply.lower() and "1959" not in " ".join(r["title"] for r in result.recommendations)


def test_a_number_beats_a_relative_word(assistant):
    result, _ = talk(assistant, "I loved Alien and The Matrix", "something older, before 1985")
    bounds = {**result.profile["constraints"], **result.profile["session"]["constraints"]}
    assert bounds["year_to"]["value"] == 1984
    assert all(r["year"] <= 1984 for r in result.recommendations)


def test_a_refinement_stays_in_its_conversation(assistant):
    result, user = talk(assistant, "I loved Alien", "more like that but funnier")
    assert [e["genre"] for e in result.profile["session"]["wanted_genres"]] == ["Comedy"]
    assert not result.profile["wanted_genres"]  # not a lasting taste
    fresh, _ = talk(assistant, "recommend something", user=user, thread="another")
    assert not fresh.profile["session"]["wanted_genres"]
    assert titles(fresh, "liked") == ["Alien (1979)"]


def test_a_stated_taste_lasts(assistant):
    result, user = talk(assistant, "I hate horror")
    assert [e["genre"] for e in result.profile["unwanted_genres"]] == ["Horror"]
    fresh, _ = talk(assistant, "what should I watch", user=user, thread="another")
    assert [e["genre"] for e in fresh.profile["unwanted_genres"]] == ["Horror"]


@pytest.mark.parametrize("first, second, check", [
    ("no horror please", "actually horror is fine", lambda r: not r.profile["unwanted_genres"]),
    ("I loved Titanic", "forget what I said about Titanic", lambda r: not r.profile["liked"]),
    ("show me only films before 1990", "I don't mind newer films", lambda r: "year_to" not in r.profile["constraints"]),
    ("a thriller please", "forget the genre", lambda r: not r.profile["wanted_genres"]
     and not r.profile["session"]["wanted_genres"]),
])
def test_loosening(assistant, first, second, check):
    result, _ = talk(assistant, first, second)
    assert check(result), result.profile


def test_it_means_the_item_just_discussed(assistant):
    result, _ = talk(assistant, "what's The Prestige about?", "oh I loved that one")
    assert titles(result, "liked") == ["The Prestige (2006)"]


@pytest.mark.parametrize("take_back", ["forget I said anything about Jaws", "ignore that I ever mentioned something about Jaws"])
def test_taking_a_title_back_names_it_in_the_answer(assistant, take_back):
    result, _ = talk(assistant, "Jaws was superb", take_back)
    assert titles(result, "liked") == [] and "removed Jaws (1975)" in result.reply
