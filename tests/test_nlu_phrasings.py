"""Understanding of everyday phrasings on the shipped movie catalog, without the embedding model:
titles kept whole, opinion idioms, genres joining a request, viewings, lists of favourites,
original titles, subjects that can only be names, negation boundaries."""

from __future__ import annotations

import pytest

from tastebud.nlu import TitleLinker, parse_turn


@pytest.mark.parametrize("text, title", [
    ("Howl's Moving Castle is a delight", "Howl's Moving Castle"),  # a cue ("'s moving") inside a title
    ("the usual suspect was fantastic", "The Usual Suspects"),      # a plural dropped is a typo
    ("king kong (2005) was a blast", "King Kong"),                  # the title's year is no other title
])
def test_titles_kept_whole(linker, text, title):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == [title] and not parse.phrases


def test_the_longest_opinion_phrase_wins(linker):
    """"never get tired of" is one like cue, not the dislike cue "tired of" under a negation."""
    parse = parse_turn("honestly i never get tired of Jaws", linker)
    assert [m.title for m in parse.liked] == ["Jaws"] and not parse.disliked


@pytest.mark.parametrize("text, liked, disliked", [
    ("we're huge Pixar fans but honestly a massive Shrek fan here", ["Shrek"], []),  # "<title> fan"
    ("Arrival amazed me", ["Arrival"], []),                                        # done to the speaker
    ("dozed off halfway through Dunkirk", [], ["Dunkirk"]),
])
def test_more_opinion_idioms(linker, text, liked, disliked):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == liked and [m.title for m in parse.disliked] == disliked


def test_an_opinion_verb_makes_a_bare_judgement_a_verdict(linker):
    parse = parse_turn("i thought the second one really dull", linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert [m.item_id for m in parse.disliked] == ["ml:2"]


def test_a_hash_number_is_a_list_position(linker):
    parse = parse_turn("watched #3 last week", linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert [m.item_id for m in parse.seen] == ["ml:3"]


@pytest.mark.parametrize("text, adds", [("and some comedy in there as well", True), ("throw a western on top", True),
                                        ("now make it a thriller", False), ("not too long, a drama please", False)])
def test_genres_that_join_the_request_or_replace_it(linker, text, adds):
    parse = parse_turn(text, linker)
    assert parse.wanted_genres and parse.adds_genres is adds


@pytest.mark.parametrize("text", ["btw smh i've seen it already", "something like a quirky one please",
                                  "jk i watched that yesterday"])
def test_chat_words_and_describing_words_are_no_unknown_names(linker, text):
    assert not parse_turn(text, linker).phrases


@pytest.mark.parametrize("text", ["my brother hated alien", "my mum can't stand Titanic"])
def test_someone_elses_dislike_is_not_the_persons(linker, text):
    parse = parse_turn(text, linker)
    assert not parse.disliked and not parse.liked


def test_a_middle_dot_in_a_title_reads_as_the_hyphen_people_type(linker):
    parse = parse_turn("toy story and wall-e are both perfect", linker)
    assert sorted(m.title for m in parse.liked) == ["Toy Story", "WALL·E"] and not parse.phrases


def test_how_often_after_a_viewing_verb_is_no_title(linker):
    parse = parse_turn("the third one i saw once and hated", linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert [m.item_id for m in parse.mentions] == ["ml:3"] and [m.item_id for m in parse.disliked] == ["ml:3"]


@pytest.mark.parametrize("text, seen", [("Jaws? already watched", ["Jaws"]), ("Jaws? never seen", [])])
def test_a_title_then_an_objectless_viewing(linker, text, seen):
    assert [m.title for m in parse_turn(text, linker).seen] == seen


@pytest.mark.parametrize("text", ["finished Gladiator last night", "we finally got around to watching Gladiator",
                                  "had to see Gladiator for a film class", "ended up watching Gladiator at my aunt's"])
def test_a_viewing_completed_is_seen(linker, text):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.seen] == ["Gladiator"] and not parse.liked and not parse.disliked


@pytest.mark.parametrize("text", ["I haven't finished Gladiator yet", "finished work early, any comedy?"])
def test_not_finished_or_no_title_is_no_seen(linker, text):
    assert parse_turn(text, linker).seen == []


@pytest.mark.parametrize("text, title", [
    ("j'ai adoré Le fabuleux destin d'Amélie Poulain", "Amelie"),
    ("Idi i smotri was devastating, loved it", "Come and See"),
    ("La mala educación, I loved it", "Bad Education"),
])
def test_an_original_title_links_to_the_catalog_title(linker, text, title):
    assert [m.title for m in parse_turn(text, linker).liked] == [title]


def test_other_titles_of_any_catalog_come_from_extra_aka():
    from tastebud.catalog import Catalog, Item

    items = [Item("g:1", "Wild Hunt", 2015, ["RPG"], "An open world.", extra={"aka": "Dziki Gon | WH3"}),
             Item("g:2", "Stardew", 2016, ["Simulation"], "A farm.")]
    linked = TitleLinker(Catalog("games", items)).link("I adored Dziki Gon")
    assert [m.item_id for m in linked] == ["g:1"]


@pytest.mark.parametrize("text", ["fave films: gladiator, jaws", "my favorites are Gladiator and Jaws",
                                  "favourite movies include jaws and gladiator"])
def test_a_list_of_favourites_is_liked(linker, text):
    assert sorted(m.title for m in parse_turn(text, linker).liked) == ["Gladiator", "Jaws"]


def test_favourite_genres_are_no_titles(linker):
    parse = parse_turn("my favorite movies are comedies", linker)
    assert parse.liked == [] and parse.wanted_genres == ["Comedy"]


@pytest.mark.parametrize("text, liked", [
    ("Gladiator is my kind of movie", True), ("jaws and gladiator, those are my kind of movies", True),
    ("Gladiator isn't my kind of film", False), ("jaws and gladiator aren't my kind of movies", False),
    ("Jaws isn't really my cup of tea", False)])
def test_my_kind_of_movie_is_a_verdict(linker, text, liked):
    parse = parse_turn(text, linker)
    assert bool(parse.liked) is liked and bool(parse.disliked) is not liked


@pytest.mark.parametrize("text, title", [("Up scared me as a kid", "Up"), ("Her made me think for days", "Her"),
                                         ("honestly up blew me away", "Up")])
def test_a_word_that_is_no_subject_doing_something_to_me_is_a_title(linker, text, title):
    assert [m.title for m in parse_turn(text, linker).mentions] == [title]


@pytest.mark.parametrize("text", ["Her and me watched Gladiator", "up made of wood, any idea?", "it made me cry"])
def test_pronouns_and_particles_elsewhere_stay_words(linker, text):
    assert {m.title for m in parse_turn(text, linker).mentions} <= {"Gladiator"}


@pytest.mark.parametrize("text, liked", [("Gladiator wasn't scary, loved it", True),
                                         ("Gladiator isn't long, really enjoyed it", True),
                                         ("Gladiator, didn't love it", False)])
def test_a_negation_does_not_reach_across_a_comma(linker, text, liked):
    parse = parse_turn(text, linker)
    assert bool(parse.liked) is liked and bool(parse.disliked) is not liked


@pytest.mark.parametrize("text, title", [("Jaws isn't long, really enjoyed it", "Jaws"),
                                         ("cars wasn't as good as the sequel", "Cars")])
def test_a_plural_with_a_negated_singular_verb_is_a_title(linker, text, title):
    assert [m.title for m in parse_turn(text, linker).mentions] == [title]


@pytest.mark.parametrize("text", ["Gladiator was so romantic", "Alien was really really scary, loved it"])
def test_a_genre_adjective_said_of_a_title_describes_it(linker, text):
    assert parse_turn(text, linker).wanted_genres == []


def test_a_genre_adjective_asked_for_is_still_a_genre(linker):
    assert parse_turn("I want something really scary", linker).wanted_genres == ["Horror"]


@pytest.mark.parametrize("text, liked, disliked", [
    ("Jurassic Park was not good", [], ["Jurassic Park"]),              # a negated copula turns the verdict
    ("Titanic isn't great tbh", [], ["Titanic"]),
    ("Memento wasn't bad at all", ["Memento"], []),
    ("Jaws was a real gem", ["Jaws"], []),                              # verdict words beyond the hand lists
    ("Armageddon was an utter disaster", [], ["Armageddon"]),           # a negative noun after an article
    ("Inception was kind of a disappointment", [], ["Inception"]),           # "kind of" hedges, "kind" is no praise
    ("interstellar was a triumph", ["Interstellar"], []),           # one rare lower-case word, then a verdict
])
def test_verdicts_after_a_copula(linker, text, liked, disliked):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == liked and [m.title for m in parse.disliked] == disliked


@pytest.mark.parametrize("text", ["Alien was a horror", "Titanic was a romance", "life is wonderful lately",
                                  "the traffic was a nightmare today"])
def test_descriptions_and_plain_subjects_are_no_verdicts(linker, text):
    parse = parse_turn(text, linker)
    assert not parse.liked and not parse.disliked


@pytest.mark.parametrize("text", ["could you tell me more about Big", "what is Seven like?", "what's Heat (1995) like",
                                  "give me the story of Speed"])
def test_questions_about_a_title_ask_for_its_details(linker, text):
    parse = parse_turn(text, linker)
    assert parse.intent == "details" and len(parse.mentions) == 1


def test_what_is_something_like_a_title_stays_a_request(linker):
    assert parse_turn("what's a good movie like Heat", linker).intent == "more_like"


@pytest.mark.parametrize("text, field", [("really did not enjoy it", "disliked"), ("i just can't stand it", "disliked"),
                                         ("honestly I adored it", "liked")])
def test_it_after_any_opinion_verb_is_the_item_discussed(linker, text, field):
    parse = parse_turn(text, linker, last_recommendations=["ml:1", "ml:2"], discussed="ml:2")
    assert [m.item_id for m in getattr(parse, field)] == ["ml:2"]


def test_a_title_not_seen_gets_no_guessed_verdict(linker):
    """"haven't seen it" leaves no verdict for the learned model to guess from "sounds great"."""

    class Liker:  # a model that would call anything liked
        def classify(self, text, spans):
            return [("liked", 0.99) for _ in spans]

    parse = parse_turn("haven't seen it yet, sounds great", linker, last_recommendations=["ml:1"], discussed="ml:1",
                       polarity_model=Liker())
    assert not parse.liked and not parse.disliked and not parse.seen


def test_two_slips_in_a_title_are_asked_about_one_is_a_typo(linker):
    from tastebud.nlu.titles import CONFIDENT

    guess = parse_turn("i really enjoyed jurasic parc", linker)
    assert not guess.liked and [p["text"] for p in guess.phrases] == ["jurasic parc"]
    assert linker.lookup("jurasic parc").score < CONFIDENT <= linker.lookup("jurasic park").score
    assert [m.title for m in parse_turn("i really enjoyed the termnator", linker).liked] == ["The Terminator"]


@pytest.mark.parametrize("text", ["hoje nada de terror, valeu", "nada de películas de miedo"])
def test_a_negation_sharing_a_word_with_the_genre_phrase_still_excludes_it(linker, text):
    parse = parse_turn(text, linker)
    assert parse.unwanted_genres == ["Horror"] and not parse.wanted_genres


def test_intensifiers_are_no_verdicts(linker):
    """VADER rates "honestly" and "pretty" as praise; after a title they only stress what follows."""
    parse = parse_turn("my sister adores Titanic but honestly I can't stand it", linker)
    assert [m.title for m in parse.disliked] == ["Titanic"] and not parse.liked


@pytest.mark.parametrize("text, liked, disliked", [
    ("Collateral. Superb.", ["Collateral"], []),                       # a title as a sentence, then a verdict
    ("Twister. Dull film, skipped half of it.", [], ["Twister"]),
    ("Twister made me seasick and nothing more. hated it", [], ["Twister"]),  # no negation across a sentence
])
def test_a_title_alone_then_its_verdict(linker, text, liked, disliked):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == liked and [m.title for m in parse.disliked] == disliked


@pytest.mark.parametrize("text, phrase", [
    ("something in the vein of The Jaws Librarian", "The Jaws Librarian"),   # a title's word beside another name
    ("Moonrise Over Quellbrook (2004) was fantastic", "Moonrise Over Quellbrook"),  # the year is the name's
    ("Glimmerwick Hollow. Superb film.", "Glimmerwick Hollow"),               # a name alone, then a verdict
])
def test_unknown_names_around_known_words_are_looked_up_whole(linker, text, phrase):
    parse = parse_turn(text, linker)
    assert [p["text"] for p in parse.phrases] == [phrase] and not parse.liked


@pytest.mark.parametrize("text, title", [("Spielberg's Jaws (1975) still holds up great", "Jaws"),
                                         ("Good morning. Great day for a film", None)])
def test_whose_film_it_is_and_greetings_are_no_names(linker, text, title):
    parse = parse_turn(text, linker)
    assert not parse.phrases and [m.title for m in parse.liked] == ([title] if title else [])


@pytest.mark.parametrize("text, title", [("honestly rocky 2 was a blast", "Rocky II"),
                                         ("the godfather 3 is underrated", "The Godfather: Part III")])
def test_a_sequel_number_spelt_otherwise_is_the_same_title(linker, text, title):
    assert [m.title for m in parse_turn(text, linker).liked] == [title]


def test_who_is_in_a_film_is_no_second_title(linker):
    parse = parse_turn("Jumanji with Robin Williams is the greatest", linker)
    assert [m.title for m in parse.liked] == ["Jumanji"] and len(parse.mentions) == 1


@pytest.mark.parametrize("text, seen", [("Speed and Heat, watched em both", ["Speed", "Heat"]),
                                        ("Signs & Cars — seen them already", ["Signs", "Cars"])])
def test_two_everyday_word_titles_listed_with_capitals_are_both_names(linker, text, seen):
    assert [m.title for m in parse_turn(text, linker).seen] == seen


@pytest.mark.parametrize("text, unwanted", [("nothing too gory tonight", ["Horror"]),
                                            ("please no songs, and not too violent", ["Musical"])])
def test_nothing_too_x_avoids_it(linker, text, unwanted):
    parse = parse_turn(text, linker)
    assert parse.unwanted_genres == unwanted and not parse.wanted_genres


def test_a_possessive_makes_love_a_noun(linker):
    assert not parse_turn("my love life is a mess, any film to cheer me up", linker).liked
    assert [m.title for m in parse_turn("my love for Casablanca is endless", linker).liked] == ["Casablanca"]


@pytest.mark.parametrize("text, field", [("watched the 3rd already", "seen"), ("no. 3, nodded off twice", "disliked"),
                                         ("Number 3 didn't do anything for me", "disliked")])
def test_list_positions_with_trailing_words_and_full_stops(linker, text, field):
    parse = parse_turn(text, linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert [m.item_id for m in getattr(parse, field)] == ["ml:3"]


@pytest.mark.parametrize("text, field, title", [
    ("Casablanca is by far the greatest", "liked", "Casablanca"),             # two-word hedges before a verdict
    ("seen jurassic park alr", "seen", "Jurassic Park"),                       # chat spelling of "already"
    ("i could rewatch Amelie every week", "liked", "Amelie"),
    ("got round to watching Casablanca at last", "seen", "Casablanca"),        # British "round"
])
def test_more_everyday_spellings(linker, text, field, title):
    assert [m.title for m in getattr(parse_turn(text, linker), field)] == [title]


@pytest.mark.parametrize("text", ["school has been such a horror lately, cheer me up with a film",
                                  "my week was a total comedy of errors, what should I watch",
                                  "my job is basically a thriller right now, any film ideas"])
def test_genre_words_said_of_someones_life_ask_for_nothing(linker, text):
    parse = parse_turn(text, linker)
    assert not parse.wanted_genres and not parse.unwanted_genres


@pytest.mark.parametrize("text, wanted", [("such a western fan, got any?", ["Western"]),
                                          ("not into westerns at all", [])])
def test_genre_words_that_are_still_genres(linker, text, wanted):
    parse = parse_turn(text, linker)
    assert parse.wanted_genres == wanted and (wanted or parse.unwanted_genres == ["Western"])


@pytest.mark.parametrize("text, genre", [("romcoms are just never my thing", "Romance"),
                                         ("musicals in general really aren't for me", "Musical")])
def test_a_verdict_a_few_words_after_a_genre_avoids_it(linker, text, genre):
    parse = parse_turn(text, linker)
    assert genre in parse.unwanted_genres and not parse.wanted_genres and not parse.disliked


@pytest.mark.parametrize("text, field, items", [("watched 1, 3 and 2 already", "seen", ["ml:1", "ml:3", "ml:2"]),
                                                ("the top two I've seen", "seen", ["ml:1", "ml:2"])])
def test_more_list_positions(linker, text, field, items):
    parse = parse_turn(text, linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert [m.item_id for m in getattr(parse, field)] == items


def test_my_top_three_is_no_list_position(linker):
    parse = parse_turn("my top 3 are Jaws, Alien and Heat", linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert not parse.refs and [m.title for m in parse.mentions] == ["Jaws", "Alien", "Heat"]


@pytest.mark.parametrize("text, field", [("it was superb", "liked"), ("that was dull as dishwater", "disliked"),
                                         ("It's a real masterpiece", "liked")])
def test_it_opening_a_verdict_is_the_item_discussed(linker, text, field):
    parse = parse_turn(text, linker, last_recommendations=["ml:1"], discussed="ml:1")
    assert [m.item_id for m in getattr(parse, field)] == ["ml:1"]


@pytest.mark.parametrize("text", ["it is raining here", "it's late, recommend something"])
def test_it_with_no_verdict_is_no_reference(linker, text):
    parse = parse_turn(text, linker, last_recommendations=["ml:1"], discussed="ml:1")
    assert not parse.refs and not parse.liked and not parse.disliked


@pytest.mark.parametrize("text, liked", [("seen the 1st and the 2nd, adored them both", ["ml:1", "ml:2"]),
                                         ("2 and 3 I've watched, both superb", ["ml:2", "ml:3"])])
def test_a_verdict_on_the_group_covers_each_position(linker, text, liked):
    parse = parse_turn(text, linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert [m.item_id for m in parse.liked] == liked and not parse.seen


@pytest.mark.parametrize("text, field", [("Casablanca!!! love love love", "liked"), ("Twister. Hated.", "disliked")])
def test_a_bare_opinion_after_a_lone_title(linker, text, field):
    assert len(getattr(parse_turn(text, linker), field)) == 1


@pytest.mark.parametrize("text", ["no kidding, Jaws is the funniest thing I've seen", "no doubt Jaws is the greatest"])
def test_no_as_an_assertion_negates_nothing(linker, text):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == ["Jaws"] and not parse.disliked


@pytest.mark.parametrize("text, title", [
    ("The Shawshank Redemption got me good, in the best way", "The Shawshank Redemption"),  # the title, then what it did
    ("just rewatched good will hunting and wow, still one of my all time favorites", "Good Will Hunting"),
])
def test_a_whole_title_followed_by_more_words_is_still_that_title(linker, text, title):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.mentions] == [title] and not parse.phrases


@pytest.mark.parametrize("text, guess", [("loved Honey, I Shrunk the Hamsters as a kid", "Honey, I Shrunk the Kids"),
                                         ("Dude, Where's My Bike was a dumb-fun classic", "Dude, Where's My Car?")])
def test_a_comma_inside_a_capitalised_name_keeps_it_whole(linker, text, guess):
    parse = parse_turn(text, linker)
    assert not parse.liked and [p["text"].count(",") for p in parse.phrases] == [1]
    assert linker.lookup(parse.phrases[0]["text"]).title == guess
