"""Offline turn understanding over the shipped MovieLens catalog (table-driven)."""

from __future__ import annotations

import json

import pytest

from tastebud.nlu import INTENTS, TurnParse, parse_turn

MATRIX, ALIEN, TITANIC, HEAT, SEVEN = "ml:2571", "ml:1214", "ml:1721", "ml:6", "ml:47"
OCEANS_1960, OCEANS_2001 = "ml:4954", "ml:4963"
RECALL_1990, RECALL_2012 = "ml:2916", "ml:95875"
LAST = [HEAT, MATRIX, ALIEN, TITANIC, SEVEN]


def ids(mentions) -> list[str]:
    return [m.item_id for m in mentions]


# ---------------------------------------------------------------- title linking
LINK_CASES = [
    ("the matrix", [MATRIX]),
    ("Matrix, The", [MATRIX]),
    ("matrix 1999", [MATRIX]),
    ("The Matirx", [MATRIX]),
    ("i loved the matirx", [MATRIX]),
    ("I loved the matirx and Toy Stroy", [MATRIX, "ml:1"]),  # "Toy" alone must not win over the typo
    ("i luv jurasic park", ["ml:480"]),
    ("Saw (2004) was scary", ["ml:8957"]),  # everyday-word titles written the catalog's way
    ("It (2017) is good", ["ml:175303"]),
    ("I liked the Shawshank Redemtion", ["ml:318"]),
    ('have you got anything like "Heat"?', [HEAT]),
    ("I loved The Matrix and Alien, but no horror please", [MATRIX, ALIEN]),
    ("Heat and Alien", [HEAT, ALIEN]),
    ("I hated Titanic", [TITANIC]),
    ("why Heat?", [HEAT]),
    ("I loved Up", ["ml:68954"]),
    ("I loved Seven", [SEVEN]),
    ("It (2017)", ["ml:175303"]),
    ("Ocean's Eleven", [OCEANS_2001]),
    ("ocean's eleven 1960", [OCEANS_1960]),
    ("Total Recall", [RECALL_1990]),
    ("Total Recall (2012)", [RECALL_2012]),
    ("the godfather part 2", ["ml:1221"]),
    ("amélie", ["ml:4973"]),
    ("Lord of the Rings", ["ml:4993"]),
    ("Godfater", ["ml:858"]),
    ("Matrix, The (1999)", [MATRIX]),
    ("I loved Heat, The Matrix and Alien", [HEAT, MATRIX, ALIEN]),
    ("Do you have Her?", ["ml:106920"]),
    # one-word nicknames of longer titles
    ("I loved Shawshank", ["ml:318"]),
    ("i loved shawshank", ["ml:318"]),
    ("Shawshank was amazing", ["ml:318"]),
    ("something like Totoro but scarier", ["ml:5971"]),
    ("Lebowski and Fargo", ["ml:1732", "ml:608"]),
    ("do you have it", []),
    # false-positive traps: everyday words that are also titles
    ("I want to go out and see it", []),
    ("the heat is on", []),
    ("I love it", []),
    ("I told her about it", []),
    ("seven movies in a row", []),
    ("space adventure with aliens and time travel", []),
    ("I watched a movie last night", []),
    ("number 2 please", []),
    ("what should I watch tonight?", []),
    ("I hate spotless windows", []),  # a nickname word written as an everyday word
    ("I want a movie with a quilt", []),
]


@pytest.mark.parametrize("text, expected", LINK_CASES)
def test_link(linker, text, expected):
    assert ids(linker.link(text)) == expected


def test_remake_keeps_alternatives(linker):
    [mention] = linker.link("Ocean's Eleven")
    assert mention.item_id == OCEANS_2001 and OCEANS_1960 in mention.candidates
    [mention] = linker.link("I loved Total Recall")
    assert mention.item_id == RECALL_1990 and RECALL_2012 in mention.candidates


def test_lookup(linker):
    assert linker.lookup("Matrix, The").item_id == MATRIX
    assert linker.lookup("Ocean's Eleven", 1960).item_id == OCEANS_1960
    assert linker.lookup("Shawshank Redemtion").item_id == "ml:318"
    assert linker.lookup("Shawshank").match == "partial" and linker.lookup("Shawshank").item_id == "ml:318"
    assert linker.lookup("zzzz qqqq xxxx") is None


# ---------------------------------------------------------------- full parses
def check(parse: TurnParse, exp: dict) -> None:
    for key, want in exp.items():
        if key in ("liked", "disliked", "seen", "anchors", "mentions"):
            assert ids(getattr(parse, key)) == want, key
        elif key == "query_has":
            assert all(w in parse.query for w in want), parse.query
        else:
            assert getattr(parse, key) == want, key


PARSE_CASES = [
    # acceptance messages
    ("I loved The Matrix and Alien, but no horror please", None,
     {"intent": "recommend", "liked": [MATRIX, ALIEN], "unwanted_genres": ["Horror"],
      "wanted_genres": [], "needs_clarification": False}),
    ("something from before 1990", None,
     {"intent": "recommend", "year_from": None, "year_to": 1989, "needs_clarification": False}),
    ("why the first one?", LAST, {"intent": "explain", "refs": [0], "mentions": [HEAT],
                                  "needs_clarification": False}),
    ("something like Alien but funnier, nothing before 1990", None,
     {"intent": "more_like", "anchors": [ALIEN], "liked": [], "wanted_genres": ["Comedy"],
      "year_from": 1990, "year_to": None}),
    # genres, synonyms, moods
    ("i want a scary movie", None, {"wanted_genres": ["Horror"]}),
    ("something funny", None, {"wanted_genres": ["Comedy"]}),
    ("I could use a laugh", None, {"wanted_genres": ["Comedy"]}),
    ("a good sci fi film", None, {"wanted_genres": ["Sci-Fi"]}),
    ("science fiction please", None, {"wanted_genres": ["Sci-Fi"]}),
    ("a space movie", None, {"wanted_genres": ["Sci-Fi"]}),
    ("I need some space", None, {"wanted_genres": []}),
    ("a love story", None, {"wanted_genres": ["Romance"]}),
    ("I want a romantic comedy", None, {"wanted_genres": ["Romance", "Comedy"]}),
    ("an animated film or a cartoon", None, {"wanted_genres": ["Animation"]}),
    ("something for the kids", None, {"wanted_genres": ["Children"]}),
    ("a family movie", None, {"wanted_genres": ["Children"]}),
    ("a documentary", None, {"wanted_genres": ["Documentary"]}),
    # most film noir is from before the classic cut-off: "classic" is its style, no limit of its own
    ("classic noir", None, {"wanted_genres": ["Film-Noir"], "year_to": None}),
    ("classic westerns", None, {"wanted_genres": ["Western"], "year_to": 1979}),
    ("a tense thriller or a mystery", None, {"wanted_genres": ["Thriller", "Mystery"]}),
    ("war films and westerns", None, {"wanted_genres": ["War", "Western"]}),
    ("a heist or crime drama", None, {"wanted_genres": ["Crime", "Drama"]}),
    ("action and adventure, maybe fantasy", None,
     {"wanted_genres": ["Action", "Adventure", "Fantasy"]}),
    ("a musical", None, {"wanted_genres": ["Musical"]}),
    # negation and dislike
    ("no horror", None, {"unwanted_genres": ["Horror"], "intent": "recommend"}),
    ("nothing scary", None, {"unwanted_genres": ["Horror"]}),
    ("not a fan of musicals", None, {"unwanted_genres": ["Musical"]}),
    ("without romance", None, {"unwanted_genres": ["Romance"]}),
    ("anything but comedy", None, {"unwanted_genres": ["Comedy"], "wanted_genres": []}),
    ("I don't want sci-fi", None, {"unwanted_genres": ["Sci-Fi"]}),
    ("I'm not into westerns or war movies", None, {"unwanted_genres": ["Western", "War"]}),
    ("I love comedies but hate horror", None,
     {"wanted_genres": ["Comedy"], "unwanted_genres": ["Horror"]}),
    ("something funny but not romantic", None,
     {"wanted_genres": ["Comedy"], "unwanted_genres": ["Romance"]}),
    ("I hated Titanic", None, {"disliked": [TITANIC], "liked": []}),
    ("I didn't like Alien", None, {"disliked": [ALIEN], "liked": []}),
    ("nothing like Titanic please", None, {"disliked": [TITANIC], "anchors": []}),
    ("The Matrix is my favourite", None, {"liked": [MATRIX]}),
    ("The Matirx was great", None, {"liked": [MATRIX]}),
    ("I've seen The Matrix and loved it", None, {"liked": [MATRIX]}),  # a verdict implies "seen": one field
    ("I watched The Matrix last night", None, {"seen": [MATRIX]}),  # no verdict: seen, nothing guessed
    ("Have you got anything like \"Heat\"?", None, {"anchors": [HEAT], "intent": "more_like"}),
    # years and decades
    ("from the 90s", None, {"year_from": 1990, "year_to": 1999}),
    ("1990s", None, {"year_from": 1990, "year_to": 1999}),
    ("a funny movie from the nineties", None,
     {"year_from": 1990, "year_to": 1999, "wanted_genres": ["Comedy"]}),
    ("after 2000", None, {"year_from": 2001, "year_to": None}),
    ("since 2000", None, {"year_from": 2000}),
    ("before 1990", None, {"year_to": 1989, "year_from": None}),
    ("nothing before 1990", None, {"year_from": 1990, "year_to": None}),
    ("i don't want anything made before 1990", None, {"year_from": 1990, "year_to": None}),
    ("please no films released after 2010", None, {"year_to": 2010, "year_from": None}),
    ("no horror please and something before 1990", None, {"year_to": 1989, "year_from": None}),
    ("older films", None, {"year_to": 1979}),
    ("something recent", None, {"year_from": 2013}),
    ("between 1980 and 1990 please", None, {"year_from": 1980, "year_to": 1990}),
    ("80s or 90s", None, {"year_from": 1980, "year_to": 1999}),
    ("late 70s", None, {"year_from": 1976, "year_to": 1979}),
    ("matrix 1999", None, {"year_from": None, "year_to": None, "mentions": [MATRIX]}),
    ("something from before 1990 and after 2000", None,
     {"needs_clarification": True, "clarify_reason": "contradictory_years"}),
    # follow-ups on the previous list
    ("more like the second one", LAST, {"intent": "more_like", "anchors": [MATRIX], "refs": [1]}),
    ("something else", LAST, {"intent": "another", "wants_more": True}),
    ("other options", LAST, {"intent": "another"}),
    ("show me more", LAST, {"intent": "another"}),
    ("more comedies please", LAST, {"intent": "recommend", "wants_more": True,
                                    "wanted_genres": ["Comedy"]}),
    ("no more horror", LAST, {"wants_more": False, "unwanted_genres": ["Horror"]}),
    ("I've seen that", LAST[:1], {"intent": "mark_seen", "seen": [HEAT], "refs": [0],
                                  "needs_clarification": False}),
    ("seen it", LAST, {"intent": "mark_seen", "seen": [HEAT], "needs_clarification": True,
                       "clarify_reason": "ambiguous_reference"}),
    ("seen the first two", LAST, {"intent": "mark_seen", "seen": [HEAT, MATRIX], "refs": [0, 1]}),
    ("I've seen them all", LAST, {"intent": "mark_seen", "refs": [0, 1, 2, 3, 4]}),
    ("why that one?", LAST[:1], {"intent": "explain", "refs": [0], "needs_clarification": False}),
    ("why Heat?", LAST, {"intent": "explain", "mentions": [HEAT], "refs": []}),
    ("I liked the third", LAST, {"intent": "feedback", "liked": [ALIEN], "refs": [2]}),
    ("👎 the second", LAST, {"intent": "feedback", "disliked": [MATRIX], "refs": [1]}),
    ("the last one looks good", LAST, {"intent": "feedback", "liked": [SEVEN], "refs": [4]}),
    ("tell me about the fourth one", LAST, {"intent": "details", "mentions": [TITANIC]}),
    ("the second and third ones", LAST, {"refs": [1, 2]}),
    ("why the tenth one?", LAST, {"refs": [], "clarify_reason": "reference_out_of_range"}),
    ("why the first one?", None, {"refs": [0], "clarify_reason": "no_previous_list"}),
    ("the first time I saw Alien I was scared", LAST, {"refs": [], "seen": [ALIEN]}),
    # intents
    ("start over", None, {"intent": "reset"}),
    ("reset", None, {"intent": "reset"}),
    ("undo", None, {"intent": "undo"}),
    ("scratch that", None, {"intent": "undo"}),
    ("what do you know about me", None, {"intent": "profile"}),
    ("show me my profile", None, {"intent": "profile"}),
    ("thanks!", None, {"intent": "thanks", "needs_clarification": False}),
    ("hello there", None, {"intent": "greeting", "needs_clarification": True}),
    ("Hi! I loved Amelie", None, {"intent": "recommend", "liked": ["ml:4973"]}),
    # vagueness and residual query
    ("hi", None, {"intent": "greeting", "needs_clarification": True, "clarify_reason": "no_request"}),
    ("recommend something", None, {"intent": "recommend", "needs_clarification": True,
                                   "clarify_reason": "vague_request"}),
    ("I'm bored", None, {"needs_clarification": True, "clarify_reason": "vague_request"}),
    ("space adventure with aliens and time travel", None,
     {"query": "space adventure with aliens and time travel", "needs_clarification": False}),
    ("I want a movie about a heist in Paris", None, {"query_has": ["paris"]}),
    ("forget me", None, {"intent": "reset"}),
    ("please delete all my data", None, {"intent": "reset"}),
    # a few words of Spanish, German and French
    ("me encantó Toy Story, quiero algo parecido", None, {"liked": ["ml:1"]}),
    ("Ich liebe Alien. Bitte keine Horrorfilme.", None, {"liked": [ALIEN], "unwanted_genres": ["Horror"]}),
    ("j'adore Amélie, pas de horreur", None, {"unwanted_genres": ["Horror"], "wanted_genres": []}),
]


@pytest.mark.parametrize("text, last, expected", PARSE_CASES)
def test_parse(linker, text, last, expected):
    parse = parse_turn(text, linker, last_recommendations=last)
    assert parse.intent in INTENTS
    assert parse.clarify_reason != "internal_error"
    check(parse, expected)


def test_profile_makes_vague_request_actionable(linker):
    assert not parse_turn("recommend something", linker, has_profile=True).needs_clarification
    assert not parse_turn("I'm bored", linker, has_profile=True).needs_clarification


def test_negated_genres_stay_out_of_query(linker):
    parse = parse_turn("a space adventure but no horror and nothing romantic", linker)
    assert "horror" not in parse.query and "romantic" not in parse.query
    assert "space adventure" in parse.query


# ---------------------------------------------------------------- robustness
ROBUST_CASES = [
    ("", {"needs_clarification": True, "clarify_reason": "empty"}),
    ("   \n\t  ", {"needs_clarification": True, "clarify_reason": "empty"}),
    ("\x00\x07\x1b[31m", {"needs_clarification": True}),
    ("I loved\u200b The\u200d Matrix\ufeff", {"liked": [MATRIX]}),
    ("I loved Heat 🍿🔥❤️", {"liked": [HEAT]}),
    ("Я люблю фильмы ужасов", {"non_english": True, "language_hint": "cyrillic",
                               "needs_clarification": True}),
    ("我喜欢科幻电影", {"non_english": True, "language_hint": "cjk"}),
    ("quiero una película de terror", {"non_english": True, "language_hint": "es"}),
    ("'; DROP TABLE users; --", {"intent": "recommend"}),
    ("<script>alert('x')</script> I loved Heat", {"liked": [HEAT]}),
    ("I loved The Matrix " + "blah " * 20_000 + "and Alien", {"truncated": True, "liked": [MATRIX]}),
]


@pytest.mark.parametrize("text, expected", ROBUST_CASES)
def test_robust(linker, text, expected):
    parse = parse_turn(text, linker)
    assert parse.clarify_reason != "internal_error"
    check(parse, expected)
    json.dumps(parse.to_dict())  # JSON-able
    assert len(parse.text) <= 4000


@pytest.mark.parametrize("value", [None, 42, "a" * 50_000, "🎬" * 5000, "((((((", "\"unclosed quote"])
def test_never_raises(linker, value):
    parse = parse_turn(value, linker, last_recommendations=["ml:does-not-exist"])
    assert isinstance(parse, TurnParse)
    assert parse.clarify_reason != "internal_error"


def test_to_dict_shape(linker):
    data = parse_turn("I loved The Matrix, no horror, from the 90s", linker).to_dict()
    assert data["liked"][0]["item_id"] == MATRIX and data["liked"][0]["year"] == 1999
    assert set(data["liked"][0]) >= {"item_id", "title", "year", "span", "score", "candidates"}
    assert data["unwanted_genres"] == ["Horror"] and (data["year_from"], data["year_to"]) == (1990, 1999)
