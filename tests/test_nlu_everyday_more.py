"""More everyday phrasings found by the blind probe sets (development data), each rule tested here
with phrasings of its own: adverbials after a verb, slips in opinion verbs, answers to the
person's own question, verbs that link a verdict as "is" does, "never get bored"."""

from __future__ import annotations

import pytest

from tastebud.nlu import parse_turn
from tastebud.nlu.text import verb_slip


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


@pytest.mark.parametrize("text, field", [("Amelie - pure joy, no notes", "liked"), ("Catwoman - dreadful, skip", "disliked")])
def test_a_spaced_hyphen_is_a_dash(linker, text, field):
    parse = parse_turn(text, linker)
    assert getattr(parse, field) and not parse.liked + parse.disliked != getattr(parse, field)


@pytest.mark.parametrize("text, label", [("Psycho by Hitchcock is flawless", "Psycho (1960)"),
                                         ("Point Break with Keanu rules", "Point Break (1991)")])
def test_a_name_after_a_credit_word_is_a_person_even_when_a_title(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


@pytest.mark.parametrize("text, label", [("the usual suspect was a blast", "The Usual Suspects (1995)"),
                                         ("loved the hunger game", "The Hunger Games (2012)")])
def test_the_last_words_plural_typed_otherwise(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


@pytest.mark.parametrize("text", ["the kitchen looks like a war zone after dinner, suggest something",
                                  "my commute was a total thriller this morning lol, any film ideas?"])
def test_a_genre_word_saying_what_a_thing_was_is_no_request(linker, text):
    parse = parse_turn(text, linker)
    assert not parse.wanted_genres and not parse.unwanted_genres


@pytest.mark.parametrize("text, genre", [("my favourite genre is war", "War"), ("the vibe tonight is comedy", "Comedy")])
def test_a_taste_or_a_mood_still_asks_for_the_genre(linker, text, genre):
    assert genre in parse_turn(text, linker).wanted_genres


@pytest.mark.parametrize("text", ["we bought our house in 2004, got a film for tonight?",
                                  "my daughter started uni in 2019 and I miss her, something cheerful"])
def test_a_year_of_the_persons_life_is_no_limit(linker, text):
    parse = parse_turn(text, linker)
    assert parse.year_from is None and parse.year_to is None


def test_a_year_asked_for_is_still_a_limit(linker):
    parse = parse_turn("i want stuff made in 1999", linker)
    assert (parse.year_from, parse.year_to) == (1999, 1999)


@pytest.mark.parametrize("text, field, label", [("Das Boot hab ich schon gesehen", "seen", "Das Boot (1981)"),
                                                ("Heat me encantó", "liked", "Heat (1995)")])
def test_a_cue_of_another_language_after_an_everyday_word_title(linker, text, field, label):
    assert _labels(getattr(parse_turn(text, linker), field)) == [label]


@pytest.mark.parametrize("text, label", [("kramer versus kramer was great", "Kramer vs. Kramer (1979)"),
                                         ("loved alien vs predator", "AVP: Alien vs. Predator (2004)")])
def test_versus_is_spelt_any_way(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


@pytest.mark.parametrize("text, label", [("the godfaather was great", "The Godfather (1972)"),
                                         ("loved pullp fictionn", "Pulp Fiction (1994)")])
def test_doubled_letters_are_one_slip(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


@pytest.mark.parametrize("text, field", [("Arrival was actually brilliant", "liked"),
                                         ("we watched Cats and instantly regretted it", "disliked")])
def test_actually_and_regretted(linker, text, field):
    assert getattr(parse_turn(text, linker), field)


def test_watch_before_a_title_is_a_cue(linker):
    assert _labels(parse_turn("my son made me watch Moana and I loved it", linker).liked) == ["Moana (2016)"]


@pytest.mark.parametrize("text, field", [("Catwoman spoiled my favourite comic, dreadful", "disliked"),
                                         ("Memento is my favourite Nolan film", "liked")])
def test_favourite_of_another_kind_is_not_the_films(linker, text, field):
    parse = parse_turn(text, linker)
    assert getattr(parse, field) and not (parse.liked if field == "disliked" else parse.disliked)


def test_a_verdict_after_the_credited_name(linker):
    assert _labels(parse_turn("Heat with De Niro is great", linker).liked) == ["Heat (1995)"]


@pytest.mark.parametrize("text, field", [("Gattaca, what a movie!", "liked"), ("Amelie. what a film", "liked"), ("Gigli, what a waste of time", "disliked")])
def test_an_exclamation_judges(linker, text, field):
    assert getattr(parse_turn(text, linker), field)


def test_the_persons_own_thing_is_no_title(linker):
    parse = parse_turn("my brother's birthday was a nightmare, suggest a comedy", linker)
    assert not parse.mentions and not parse.phrases


@pytest.mark.parametrize("text", ["i adored 'the pelican who sold tuesdays'", "is there a film called wombats of the moon",
                                  "anyone seen the one named Crimson Spatula?"])
def test_names_the_person_marks_as_names(linker, text):
    assert parse_turn(text, linker).phrases


@pytest.mark.parametrize("text, field, label", [
    ("really enjoyed up, the pixar one with the balloons", "liked", "Up (2009)"),
    ("already seen heat, the 1995 one", "seen", "Heat (1995)"),
])
def test_the_one_meant_said_after_the_title(linker, text, field, label):
    parse = parse_turn(text, linker)
    assert label in _labels(getattr(parse, field))


def test_the_maker_in_an_appositive_is_no_title(linker):
    assert _labels(parse_turn("loved rope, the hitchcock one", linker).liked) == ["Rope (1948)"]


def test_a_person_in_an_appositive_is_no_film(linker):
    assert not parse_turn("i met her, the tall one", linker).mentions


@pytest.mark.parametrize("text, field", [("whats drive about", None), ("coco ive already watched", "seen"),
                                         ("moana we loved", "liked")])
def test_apostrophes_left_out_and_the_object_said_first(linker, text, field):
    parse = parse_turn(text, linker)
    assert parse.mentions and (field is None or getattr(parse, field))


def test_made_me_watch_is_a_viewing(linker):
    assert _labels(parse_turn("my brother made me watch Moana", linker).seen) == ["Moana (2016)"]


def test_a_genre_in_a_titles_place_asks_for_the_genre(linker):
    parse = parse_turn("in the mood for comedy tonight", linker)
    assert parse.wanted_genres == ["Comedy"] and not parse.phrases


@pytest.mark.parametrize("text, bounds", [("you can go back as far as 1985", (1985, None)),
                                          ("as far back as 1970 is fine", (1970, None)),
                                          ("widen it up to 2010", (None, 2010))])
def test_a_bound_moved_by_its_number(linker, text, bounds):
    parse = parse_turn(text, linker)
    assert (parse.year_from, parse.year_to) == bounds and parse.intent != "undo" and not parse.lift_years


def test_an_absolute_classic_is_praise_not_a_year(linker):
    parse = parse_turn("rocky!! absolute classic, love it", linker)
    assert parse.year_to is None and _labels(parse.liked) == ["Rocky (1976)"]


@pytest.mark.parametrize("text, field, label", [
    ("the force awakens was great, it saved star wars for me", "liked", "Star Wars: Episode VII - The Force Awakens (2015)"),
    ("i loved the first pirates of the caribbean", "liked", "Pirates of the Caribbean: The Curse of the Black Pearl (2003)"),
])
def test_a_series_name_beside_one_of_its_films(linker, text, field, label):
    parse = parse_turn(text, linker)
    assert _labels(getattr(parse, field)) == [label] and not parse.wanted_genres


@pytest.mark.parametrize("text, label", [("I can't stand Scary Movie 2", "Scary Movie 2 (2001)"),
                                         ("honestly cant stand Cars 2", "Cars 2 (2011)")])
def test_a_sequels_number_typed_after_the_title(linker, text, label):
    assert _labels(parse_turn(text, linker).disliked) == [label]


@pytest.mark.parametrize("text", ["musicals make me cringe, so skip those", "horror keeps me up at night, none of that"])
def test_a_genre_refused_afterwards(linker, text):
    assert parse_turn(text, linker).unwanted_genres and not parse_turn(text, linker).wanted_genres


def test_a_title_after_is_the_is_no_verdict(linker):
    assert _labels(parse_turn("my favourite film ever made is The Great Dictator", linker).liked) == ["The Great Dictator (1940)"]


@pytest.mark.parametrize("text, field", [("Gattaca moves me every time", "liked"), ("Waterworld was a total drag", "disliked"),
                                         ("Inception knocked my socks off", "liked"),
                                         ("my dad adores Cats but it did zero for me", "disliked"),
                                         ("nodded off an hour into Solaris", "disliked")])
def test_more_verdict_idioms(linker, text, field):
    parse = parse_turn(text, linker)
    assert getattr(parse, field) and not (parse.liked if field == "disliked" else parse.disliked)


def test_the_person_is_no_title(linker):
    assert not parse_turn("I'm such a wimp about gore, nothing bloody", linker).phrases


def test_a_family_meal_asks_for_no_family_films(linker):
    assert "Children" not in parse_turn("family lunch turned into a circus, recommend a film", linker).wanted_genres


def test_a_name_after_showed_me_then_liked_it(linker):
    assert [p["text"] for p in parse_turn("my aunt recommended Quorbleton Hills and we loved it", linker).phrases] \
        == ["Quorbleton Hills"]


@pytest.mark.parametrize("text, field", [("Rebecca is cinema at its finest", "liked"),
                                         ("Vertigo never grows old", "liked"), ("I'm besotted with Amelie", "liked"),
                                         ("Gattaca swept me off my feet", "liked"), ("Brazil was awfully good", "liked")])
def test_idiom_families(linker, text, field):
    parse = parse_turn(text, linker)
    assert getattr(parse, field) and not parse.disliked


@pytest.mark.parametrize("text, label", [("loved schindlers list", "Schindler's List (1993)"),
                                         ("the chamber of secrets was great", "Harry Potter and the Chamber of Secrets (2002)"),
                                         ("oceans eleven was fun", "Ocean's Eleven (2001)")])
def test_a_possessive_without_its_apostrophe(linker, text, label):
    assert _labels(parse_turn(text, linker).liked) == [label]


@pytest.mark.parametrize("text, bound", [("movies newer than 1984 please", ("year_from", 1985)),
                                         ("nothin older than 2005", ("year_from", 2005))])
def test_a_year_after_a_comparison_is_a_limit_not_a_title(linker, text, bound):
    parse = parse_turn(text, linker)
    assert getattr(parse, bound[0]) == bound[1] and not parse.mentions


@pytest.mark.parametrize("text", ["no more year limits", "get rid of the date cutoff"])
def test_more_ways_to_lift_the_years(linker, text):
    assert sorted(parse_turn(text, linker).lift_years) == ["year_from", "year_to"]


def test_a_life_event_anywhere_in_its_clause(linker):
    parse = parse_turn("got married on a beach back in 2012, any romance recs?", linker)
    assert parse.year_from is None and parse.year_to is None


def test_off_my_liked_list_forgets(linker):
    parse = parse_turn("take amelie off my liked list", linker)
    assert _labels(parse.forget) == ["Amelie (2001)"] and not parse.disliked


@pytest.mark.parametrize("text", ["I must confess I loved Amelie", "I confess I never finished Solaris"])
def test_i_opening_a_sentence_is_the_person(linker, text):
    assert "I Confess (1953)" not in _labels(parse_turn(text, linker).mentions)


def test_falling_asleep_does_not_swallow_a_title(linker):
    parse = parse_turn("I dozed off during A Beautiful Mind", linker)
    assert _labels(parse.disliked) == ["A Beautiful Mind (2001)"]


def test_a_non_native_word_order_after_the_cue(linker):
    assert [p["text"] for p in parse_turn("I watched already Plumbrook Station", linker).phrases] == ["Plumbrook Station"]


def test_a_one_word_typo_keeps_its_first_letter(linker):
    assert not parse_turn("hated zarkon overdrive", linker).mentions


@pytest.mark.parametrize("text, genre", [("nothing hair-raising please", "Horror"), ("no kiddie films", "Children")])
def test_more_genre_words(linker, text, genre):
    assert genre in parse_turn(text, linker).unwanted_genres


@pytest.mark.parametrize("text, field", [("Gattaca: perfection", "liked"), ("loved every second of Amelie", "liked"),
                                         ("hated every minute of Gigli", "disliked"), ("never again with Catwoman", "disliked")])
def test_a_colon_says_is_and_every_minute_of(linker, text, field):
    parse = parse_turn(text, linker)
    assert getattr(parse, field) and not (parse.liked if field == "disliked" else parse.disliked)


@pytest.mark.parametrize("text", ["my daughter has a fantasy football draft, anything good on?",
                                  "the kitchen looks like a crime scene, recommend a film"])
def test_a_genre_word_qualifying_another_thing(linker, text):
    assert not parse_turn(text, linker).wanted_genres


def test_a_sequel_number_after_a_lower_case_name(linker):
    assert [p["text"] for p in parse_turn("i loved blorbix 3", linker).phrases] == ["blorbix 3"]
    assert [p["text"] for p in parse_turn("i loved blorbix 3 times", linker).phrases] == ["blorbix"]


@pytest.mark.parametrize("text, lifted", [("drop the old movies thing", ["year_to"]), ("forget the new stuff", ["year_from"])])
def test_dropping_what_was_asked_for(linker, text, lifted):
    assert parse_turn(text, linker).lift_years == lifted


def test_forget_i_said_that_about(linker):
    assert _labels(parse_turn("forget I said that about Amelie", linker).forget) == ["Amelie (2001)"]


@pytest.mark.parametrize("text", ["my life is a circus lol, movie recs?", "today was a rollercoaster, what should I watch",
                                  "the heat today is brutal, suggest a movie", "the weather is wild, any movie ideas"])
def test_the_persons_day_names_no_title(linker, text):
    parse = parse_turn(text, linker)
    assert not parse.mentions and not parse.phrases


def test_a_title_beginning_with_its_own_article_still_links(linker):
    assert _labels(parse_turn("loved a quiet place", linker).liked) == ["A Quiet Place (2018)"]


def test_positions_listed_with_commas():
    from tastebud.nlu.refs import find_refs
    from tastebud.nlu.text import clean_text, tokenize

    tokens = tokenize(clean_text("the first, fourth and fifth I've seen", 1000)[0])
    assert [r.indices for r in find_refs(tokens, 5, set())] == [[0], [3], [4]]
