"""Everyday phrasings found by the blind probe sets 11-13 (development data), each tested here
with phrasings of its own: the article a person types picks the title, "the X movie" names one
work, a sentence calling its subject a masterpiece names a title, "with some X" adds a genre."""

from __future__ import annotations

import pytest

from tastebud.nlu import parse_turn


def _labels(mentions) -> list[str]:
    return [f"{m.title} ({m.year})" for m in mentions]


@pytest.mark.parametrize("text, field, label", [
    ("Loved the ring, so creepy", "liked", "The Ring (2002)"),   # "the" typed: the title with "The"
    ("The Room was dreadful", "disliked", "The Room (2003)"),    # even opening the sentence
    ("loved Room, so moving", "liked", "Room (2015)"),           # no article: the most watched
])
def test_the_article_typed_picks_the_title(linker, text, field, label):
    assert _labels(getattr(parse_turn(text, linker), field)) == [label]


@pytest.mark.parametrize("text, label", [
    ("that inception movie blew me away", "Inception (2010)"),
    ("the godfather film is a classic", "The Godfather (1972)"),
])
def test_the_title_movie_is_one_work(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


def test_the_genre_movie_is_still_a_genre(linker):
    parse = parse_turn("the action movie was great", linker)
    assert not parse.liked and not parse.mentions


@pytest.mark.parametrize("text, label", [
    ("drive is a gem", "Drive (2011)"),
    ("tbh speed is a classic", "Speed (1994)"),
    ("ngl big is one of my favourite tom hanks movies", "Big (1988)"),  # chat abbreviation first
])
def test_a_sentence_calling_its_subject_a_work(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


@pytest.mark.parametrize("text", ["the second is a classic", "tonight is a movie night"])
def test_places_and_times_are_not_titles(linker, text):
    assert not parse_turn(text, linker).mentions


@pytest.mark.parametrize("text, adds", [
    ("the same but with a bit of horror", True),
    ("those but with more action", True),
    ("now a comedy instead", False),
])
def test_genres_joining_the_request(linker, text, adds):
    assert parse_turn(text, linker).adds_genres is adds


@pytest.mark.parametrize("text, field, label", [
    ("Jaws is one of my favourite shark films", "liked", "Jaws (1975)"),       # "one of my …" ranks
    ("Titanic is one of the dullest films ever", "disliked", "Titanic (1997)"),
    ("Amadeus was fantastc", "liked", "Amadeus (1984)"),                       # a slip in the verdict
    ("Grease was terible", "disliked", "Grease (1978)"),
    ("The Matrix is one of my faves", "liked", "The Matrix (1999)"),            # a plural spelling
])
def test_verdict_words_spelt_otherwise(linker, text, field, label):
    assert _labels(getattr(parse_turn(text, linker), field)) == [label]


@pytest.mark.parametrize("text, year_from, year_to", [
    ("nothing older then 2005", 2005, None),             # "then" for "than"
    ("stuff from 1985 and onwards", 1985, None),
    ("After 1999, thanks", 2000, None),                  # a capitalised limit is no title
    ("Until 1980 would be lovely", None, 1980),
])
def test_year_limits_typed_loosely(linker, text, year_from, year_to):
    parse = parse_turn(text, linker)
    assert (parse.year_from, parse.year_to) == (year_from, year_to) and not parse.phrases


@pytest.mark.parametrize("text, genres", [
    ("eh musicals r fine actually", ["Musical"]),        # chat spelling of "are"
    ("nvm the war stuff", ["War"]),                      # "never mind" one thing: not an undo
])
def test_loosening_in_chat_spelling(linker, text, genres):
    parse = parse_turn(text, linker)
    assert parse.allowed_genres == genres and parse.intent != "undo"


def test_never_mind_alone_is_still_an_undo(linker):
    assert parse_turn("never mind", linker).intent == "undo"


def test_never_mind_before_news_is_no_undo(linker):
    parse = parse_turn("hmm never mind, I've seen Heat already", linker)
    assert parse.intent != "undo" and _labels(parse.seen) == ["Heat (1995)"]


@pytest.mark.parametrize("text, label", [
    ("forget what i said about grease", "Grease (1978)"),         # an everyday-word title, lower case
    ("scratch the jaws thing", "Jaws (1975)"),
    ("ok undo that about Jaws", "Jaws (1975)"),                   # "undo" one title: that title
    ("oh wait, never actually seen Jaws", "Jaws (1975)"),         # a viewing taken back, without "I"
    ("i actually haven't seen Jaws, mixed it up", "Jaws (1975)"),
])
def test_taking_one_title_back(linker, text, label):
    parse = parse_turn(text, linker)
    assert _labels(parse.forget) == [label] and parse.intent != "undo"


@pytest.mark.parametrize("text, lifted, allowed", [
    ("it doesn't matter what year, just a thriller", ["year_from", "year_to"], []),
    ("forget the decade, any comedy is fine", ["year_from", "year_to"], []),  # "any comedy" still wanted
])
def test_year_loosened_genre_kept(linker, text, lifted, allowed):
    parse = parse_turn(text, linker)
    assert sorted(parse.lift_years) == lifted and parse.allowed_genres == allowed


@pytest.mark.parametrize("text", ["Sorry, I mixed them up.", "Oops, wrong one"])
def test_an_everyday_word_opening_a_sentence_is_no_unknown_title(linker, text):
    assert not parse_turn(text, linker).phrases


@pytest.mark.parametrize("text, label", [
    ("we loved the lion kng", "The Lion King (1994)"),          # a one-word title, then a slip
    ("honestly adored the lion kng as a kid", "The Lion King (1994)"),
])
def test_a_slip_after_a_one_word_title_makes_the_longer_title(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


def test_a_real_word_after_a_one_word_title_keeps_it(linker):
    assert _labels(parse_turn("loved Heat sooo much", linker).liked) == ["Heat (1995)"]


@pytest.mark.parametrize("text, phrase, resembles", [
    ("we loved The Good, the Bad and the Sleepy", "The Good, the Bad and the Sleepy",  # ", the" inside a name
     "The Good, the Bad and the Ugly"),
    ("The Silence of the Hungry Goats was great", "The Silence of the Hungry Goats",  # one word said as two
     "The Silence of the Lambs"),
])
def test_a_title_with_words_changed_is_handed_on_whole(linker, text, phrase, resembles):
    parse = parse_turn(text, linker)
    assert [p["text"] for p in parse.phrases] == [phrase] and not parse.liked
    assert linker.lookup(phrase).title == resembles


@pytest.mark.parametrize("text, label", [
    ("Sony's Spider-Man was such a good film", "Spider-Man (2002)"),  # whose it is, then the title
    ("Avatar in 3D was stunning", "Avatar (2009)"),                    # where it was seen
])
def test_the_title_inside_a_longer_name(linker, text, label):
    parse = parse_turn(text, linker)
    assert _labels(parse.liked) == [label] and not parse.phrases


@pytest.mark.parametrize("text, field, label", [
    ("Jaws gave me goosebumps", "liked", "Jaws (1975)"),
    ("honestly Amadeus means so much to me", "liked", "Amadeus (1984)"),
    ("Grease was my whole childhood", "liked", "Grease (1978)"),
    ("Titanic put me right to sleep", "disliked", "Titanic (1997)"),
    ("Pearl Harbor is laughable", "disliked", "Pearl Harbor (2001)"),
])
def test_what_a_film_did_to_the_person(linker, text, field, label):
    assert _labels(getattr(parse_turn(text, linker), field)) == [label]


@pytest.mark.parametrize("text, phrase", [
    ("loved Grumbleton's Revenge", "Grumbleton's Revenge"),          # an invented name owns nothing
    ("anything like The Tinsmith's Promise?", "The Tinsmith's Promise"),
])
def test_a_possessive_inside_an_unknown_title_keeps_it_whole(linker, text, phrase):
    parse = parse_turn(text, linker)
    assert [p["text"] for p in parse.phrases] == [phrase] and not parse.liked and not parse.anchors


@pytest.mark.parametrize("text, labels", [
    ("we watched both Kill Bill films last weekend", ["Kill Bill: Vol. 1 (2003)", "Kill Bill: Vol. 2 (2004)"]),
    ("seen all three godfather movies", ["The Godfather (1972)", "The Godfather: Part II (1974)",
                                         "The Godfather: Part III (1990)"]),
])
def test_a_title_said_as_a_series(linker, text, labels):
    assert _labels(parse_turn(text, linker).seen) == labels


def test_a_genre_said_with_all_is_no_series(linker):
    parse = parse_turn("seen all the horror movies already", linker)
    assert not parse.seen and not parse.mentions


@pytest.mark.parametrize("text, field, label", [
    ("spielberg's jaws, already seen it", "seen", "Jaws (1975)"),       # whose film: the film, not "Spielberg"
    ("I despised Titanic", "disliked", "Titanic (1997)"),
])
def test_more_ways_to_name_and_judge(linker, text, field, label):
    assert _labels(getattr(parse_turn(text, linker), field)) == [label]


def test_a_person_s_film_is_no_title_position(linker):
    assert not parse_turn("my sister's heat obsession is a lot", linker).mentions


def test_an_unknown_name_listed_before_a_title(linker):
    parse = parse_turn("seen The Copper Gazebo and Jaws", linker)
    assert _labels(parse.seen) == ["Jaws (1975)"] and [p["text"] for p in parse.phrases] == ["The Copper Gazebo"]


@pytest.mark.parametrize("text", ["Turbo Run 2 was even better", "I want to dance tonight, no horror"])
def test_short_titles_need_a_rarer_shared_word_to_be_resembled(linker, text):
    assert not any(getattr(linker.lookup(p["text"]), "match", "") == "weak" for p in parse_turn(text, linker).phrases)


@pytest.mark.parametrize("text, year_from, year_to", [
    ("made before the year 1990 please", None, 1989),
    ("after the year 2005", 2006, None),
])
def test_the_year_before_a_year(linker, text, year_from, year_to):
    parse = parse_turn(text, linker)
    assert (parse.year_from, parse.year_to) == (year_from, year_to)


def test_but_keeps_a_genre_out_of_a_loosening(linker):
    parse = parse_turn("still a thriller but any decade is fine", linker)
    assert not parse.allowed_genres and sorted(parse.lift_years) == ["year_from", "year_to"]


def test_forget_i_said_that_takes_the_title_back(linker):
    parse = parse_turn("hmm Grease wasn't that bad, forget i said that", linker)
    assert _labels(parse.forget) == ["Grease (1978)"]


def test_another_language_s_word_is_no_english_slip(linker):
    """"anderes" is German, not a slip of "adores": the German message says "seen" only."""
    parse = parse_turn("Titanic hab ich schon gesehen, was anderes bitte", linker)
    assert _labels(parse.seen) == ["Titanic (1997)"] and not parse.liked


@pytest.mark.parametrize("phrase", ["Puddleworth Family Reunion", "Gravel and Sparrows", "Duskfield Station"])
def test_a_title_s_first_word_replaced_is_a_new_title(linker, phrase):
    """People get a title's first word right: another first word is another film, not a slip."""
    assert linker.lookup(phrase) is None


def test_a_mistyped_first_word_still_resembles(linker):
    assert linker.lookup("gud wil hunteng").title == "Good Will Hunting"


@pytest.mark.parametrize("text, field", [
    ("stunning film, one of my faves", "liked"),     # no subject: the film just described
    ("what a bore, not for me", "disliked"),
])
def test_a_verdict_without_a_subject_after_a_description(linker, text, field):
    parse = parse_turn(text, linker, last_recommendations=[], discussed="ml:1")
    assert [m.item_id for m in getattr(parse, field)] == ["ml:1"]


def test_someone_else_s_verdict_is_not_theirs(linker):
    parse = parse_turn("my brother loves it", linker, last_recommendations=[], discussed="ml:1")
    assert not parse.liked and not parse.disliked


@pytest.mark.parametrize("text", [
    "who won the champions league in 2005?",           # a question about something else
    "what's the traffic like on the bridge",           # "like" before a place compares nothing
    "just put the children to bed, what now",          # the children, not children's films
    "had such a dramatic week at the office, need a film",  # said of a week
    "I had nightmares about my exam",
])
def test_everyday_talk_sets_nothing(linker, text):
    parse = parse_turn(text, linker)
    assert not (parse.wanted_genres or parse.unwanted_genres or parse.year_from or parse.year_to
                or parse.phrases or parse.mentions)


@pytest.mark.parametrize("text, wanted, unwanted", [
    ("a film from 1994 the kids will like", ["Children"], []),  # what the kids will like: a kind of film
    ("nothing that gives me nightmares", [], ["Horror"]),
    ("which films from 2003 are worth it?", [], []),
])
def test_requests_still_read(linker, text, wanted, unwanted):
    parse = parse_turn(text, linker)
    assert (parse.wanted_genres, parse.unwanted_genres) == (wanted, unwanted)


@pytest.mark.parametrize("text, wanted", [
    ("in the mood for a good biopic", ["Drama"]),
    ("got any superhero movies?", ["Action"]),
    ("something with kung fu", ["Action"]),
    ("a classic spy film maybe", ["Thriller"]),
    ("a silly slapstick thing", ["Comedy"]),
    ("a proper weepie tonight", ["Drama"]),
])
def test_more_names_of_genres(linker, text, wanted):
    assert parse_turn(text, linker).wanted_genres == wanted


@pytest.mark.parametrize("text, field, label", [
    ("Jaws — a classic", "liked", "Jaws (1975)"),                       # a dash says "is"
    ("Grease – dull", "disliked", "Grease (1978)"),
    ("Memento was mind-blowing", "liked", "Memento (2000)"),
    ("I turned off Titanic halfway", "disliked", "Titanic (1997)"),
    ("Rocky III was a letdown", "disliked", "Rocky III (1982)"),          # a roman numeral is no stretched "i"
    ("fargo is one of the best comedies ever", "liked", "Fargo (1996)"),   # a genre's plural calls it a work
    ("the notebook is unbearable", "disliked", "The Notebook (2004)"),     # "the" typed, and the title has it
])
def test_more_verdicts_and_subjects(linker, text, field, label):
    parse = parse_turn(text, linker)
    assert _labels(getattr(parse, field)) == [label] and not parse.wanted_genres and parse.year_to is None


def test_an_aspect_with_the_is_no_title(linker):
    assert not parse_turn("the ending was terrible", linker).mentions


@pytest.mark.parametrize("text", [
    "Jaws was silly. sharks that roar? come on",                 # the next sentence goes on describing
    "Grease was so cheesy, singing teenagers everywhere",        # after a comma too
])
def test_a_description_after_a_verdict_asks_for_no_genre(linker, text):
    parse = parse_turn(text, linker)
    assert parse.disliked and not parse.wanted_genres and not parse.unwanted_genres


@pytest.mark.parametrize("text, wanted, unwanted", [
    ("Jaws was great, any horror recs?", ["Horror"], []),        # a request of its own
    ("loved Grease. I love musicals in general", ["Musical"], []),
    ("Jaws was great. no horror though", [], ["Horror"]),
])
def test_a_wish_after_a_verdict_is_read(linker, text, wanted, unwanted):
    parse = parse_turn(text, linker)
    assert (parse.wanted_genres, parse.unwanted_genres) == (wanted, unwanted)


def test_a_wish_in_another_language_after_a_verdict_is_read(linker):
    parse = parse_turn("J'adore Grease. Pas de films d'horreur.", linker)
    assert parse.unwanted_genres == ["Horror"]


def test_what_about_a_capitalised_name_is_a_title_to_look_up(linker):
    assert [p["text"] for p in parse_turn("what about Snoodle Harbour Nights?", linker).phrases] \
        == ["Snoodle Harbour Nights"]
    parse = parse_turn("how about something from the 80s", linker)
    assert not parse.phrases and (parse.year_from, parse.year_to) == (1980, 1989)


@pytest.mark.parametrize("text, label", [
    ("Mad Max: Fury Road totally blew me away", "Mad Max: Fury Road (2015)"),   # the whole title, colon and all
    ("Disney's Frozen (2013) is gorgeous", "Frozen (2013)"),                    # "'s" between names is no "is"
    ("the last crusade is my comfort movie", "Indiana Jones and the Last Crusade (1989)"),  # "X and the Y": Y
])
def test_titles_said_their_usual_ways(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


@pytest.mark.parametrize("text, field, label", [
    ("Heat: 9/10", "liked", "Heat (1995)"),                       # a score given to it
    ("Big: 3 out of 10", "disliked", "Big (1988)"),                # even an everyday word
    ("i could never get enough of Grease", "liked", "Grease (1978)"),
    ("Ghost (1990) still makes me cry", "liked", "Ghost (1990)"),
    ("Amadeus is pure genius", "liked", "Amadeus (1984)"),
    ("the godfather is my go-to movie", "liked", "The Godfather (1972)"),
    ("Up was far too sad, not for me", "disliked", "Up (2009)"),  # a particle never says "was" itself
])
def test_scores_and_idioms(linker, text, field, label):
    assert _labels(getattr(parse_turn(text, linker), field)) == [label]


def test_a_lower_case_word_naming_an_obscure_film_needs_a_cue(linker):
    """Keanu (2016) has a handful of ratings: "keanu" in passing is the actor, "loved keanu" the film."""
    assert [m.title for m in parse_turn("Speed rocks, keanu at his absolute best", linker).mentions] == ["Speed"]
    assert [m.title for m in parse_turn("loved keanu", linker).liked] == ["Keanu"]
