"""Understanding pipeline pieces on the shipped movie catalog, without the embedding model:
loosening, scope, title-like phrases, stretched words, year words, references."""

from __future__ import annotations

import pytest

from tastebud.nlu import parse_turn
from tastebud.nlu.loosen import find_loosening, is_refinement
from tastebud.nlu.text import unstretch
from tastebud.nlu.years import parse_years


@pytest.mark.parametrize("text, years, genres", [
    ("any year is fine", {"year_from", "year_to"}, False),
    ("the decade doesn't matter to me", {"year_from", "year_to"}, False),
    ("drop the date filter", {"year_from", "year_to"}, False),
    ("i don't mind older films", {"year_from"}, False),
    ("newer stuff is totally fine", {"year_to"}, False),
    ("whatever genre", set(), True),
    ("anything goes", {"year_from", "year_to"}, True),
    ("i want a thriller from 1995", set(), False),
    ("please stop restricting the dates", {"year_from", "year_to"}, False),
    ("honestly i don't care how new they are", {"year_from", "year_to"}, False),
])
def test_loosening_phrases(text, years, genres):
    found = find_loosening(text)
    assert found.years == years and found.all_genres is genres


@pytest.mark.parametrize("text, refinement", [
    ("something funnier", True), ("for tonight, a thriller", True), ("older please", True),
    ("this time no war films", True), ("i hate horror", False), ("nothing before 2000", False),
    ("i'm a huge sci-fi fan", False),
])
def test_refinements_versus_lasting_tastes(text, refinement):
    assert is_refinement(text) is refinement


def test_a_genre_that_is_fine_now_is_neither_wanted_nor_avoided(linker):
    parse = parse_turn("ok, westerns are fine after all", linker)
    assert parse.allowed_genres == ["Western"] and not parse.wanted_genres and not parse.unwanted_genres


@pytest.mark.parametrize("text, lifted", [("any year works for me", ["year_from", "year_to"]),
                                          ("older ones are ok too", ["year_from"])])
def test_lifted_years_set_no_new_limit(linker, text, lifted):
    parse = parse_turn(text, linker)
    assert parse.lift_years == lifted and parse.year_from is None and parse.year_to is None


def test_taking_back_a_title(linker):
    parse = parse_turn("forget what I said about Titanic", linker)
    assert [m.title for m in parse.forget] == ["Titanic"] and not parse.liked and not parse.disliked


@pytest.mark.parametrize("text, phrase, action", [
    ("I loved Quibblestone Manor", "Quibblestone Manor", "like"),
    ("hated Vorpal Tuesdays 2", "Vorpal Tuesdays 2", "dislike"),
    ("I really enjoyed Harry Potter and the Goblet of Marmalade", "Harry Potter and the Goblet of Marmalade", "like"),
])
def test_unknown_or_weak_names_become_phrases_not_guesses(linker, text, phrase, action):
    parse = parse_turn(text, linker)
    assert parse.phrases == [{"text": phrase, "action": action}] and not parse.liked


@pytest.mark.parametrize("text, phrase, action", [
    ("i really enjoyed saltburn", "saltburn", "like"),              # the object of a like cue
    ("aftersun was beautiful", "aftersun", "like"),                 # the subject of a verdict
    ("i thought tenet was confusing", "tenet", "dislike"),          # after "i thought"
    ("the whale made me cry", "the whale", "like"),                 # what it did to the speaker
])
def test_lower_case_names_not_in_the_catalog_become_phrases(linker, text, phrase, action):
    parse = parse_turn(text, linker)
    assert [p["text"] for p in parse.phrases] == [phrase] and not parse.liked and not parse.disliked


@pytest.mark.parametrize("text", ["honestly i loved the soundtrack", "work was awful today, cheer me up",
                                  "i hated the acting in it", "my dog loved it", "the weather was great"])
def test_plain_words_in_a_title_slot_are_no_names(linker, text):
    assert not parse_turn(text, linker).phrases


def test_a_title_credited_with_its_star_is_the_title(linker):
    parse = parse_turn("Big with Tom Hanks is wonderful", linker)
    assert [m.title for m in parse.liked] == ["Big"] and not parse.phrases


@pytest.mark.parametrize("word, read", [("loooved", "loved"), ("goooood", "good"), ("soooo", "so"),
                                        ("hateeee", "hate"), ("cooool", "cool")])
def test_stretched_words(word, read):
    assert unstretch(word) == read


@pytest.mark.parametrize("text, bounds", [
    ("something older, before 1985", (None, 1984)),
    ("newer, after 2005", (2006, None)),
    ("it never gets old", (None, None)),
    ("i was born in 1992", (None, None)),
])
def test_year_words(text, bounds):
    found = parse_years(text, 2018)
    assert (found.year_from, found.year_to) == bounds


def test_it_means_the_item_just_discussed(linker):
    prestige = linker.lookup("The Prestige").item_id
    parse = parse_turn("oh I loved that one", linker, last_recommendations=["ml:1", "ml:2"], discussed=prestige)
    assert [m.item_id for m in parse.liked] == [prestige] and not parse.needs_clarification


def test_bare_list_positions(linker):
    parse = parse_turn("1 and 3 I've seen, 2 I hated", linker, last_recommendations=["ml:1", "ml:2", "ml:3"])
    assert [m.item_id for m in parse.seen] == ["ml:1", "ml:3"] and [m.item_id for m in parse.disliked] == ["ml:2"]


@pytest.mark.parametrize("text", ["the heat is killing me, something light please", "It was amazing",
                                  "my kids are finally asleep", "I was born in 1992, any ideas?"])
def test_everyday_words_change_nothing(linker, text):
    parse = parse_turn(text, linker)
    assert not (parse.liked or parse.disliked or parse.seen or parse.wanted_genres or parse.year_from
                or parse.year_to or parse.phrases)


@pytest.mark.parametrize("text, title", [
    ("jaws was way too long for me", "Jaws"),           # a plural-looking word with "was": a title
    ("her is such a lovely film", "Her"),                # "her" is never the subject of "is"
    ("finally saw get out yesterday", "Get Out"),        # a viewing, then when
    ("signs? way too slow", "Signs"),                     # a sentence that is only a title
    ("home alone was so funny when i was little", "Home Alone"),  # everyday words, judged right after
    ("crash honestly wrecked me", "Crash"),               # something done to the speaker
    ("speed is still my favorite action movie", "Speed"),  # said to be a film
    ("signs gave me nightmares for a week", "Signs"),     # done to the speaker, without "-ed"
])
def test_titles_found_by_their_place_in_the_sentence(linker, text, title):
    assert [m.title for m in parse_turn(text, linker).mentions] == [title]


@pytest.mark.parametrize("text", ["news is bad today", "this is great", "seen it twice", "last night was fun",
                                  "the weekend was great", "life is good", "dinner was amazing"])
def test_ordinary_subjects_are_no_titles(linker, text):
    assert not parse_turn(text, linker).mentions


def test_someone_elses_opinion_is_not_the_persons(linker):
    parse = parse_turn("my friends all love the notebook", linker)
    assert [m.title for m in parse.mentions] == ["The Notebook"] and not parse.liked and not parse.disliked


@pytest.mark.parametrize("text, years, genres", [
    ("comedy's fine now", [], ["Comedy"]),
    ("westerns work too", [], ["Western"]),
    ("older stuff works too", ["year_from"], []),
    ("it doesn't need to be that new", ["year_from"], []),  # older ones may come back
    ("they don't have to be old", ["year_to"], []),
    ("the year thing doesn't really matter", ["year_from", "year_to"], []),
])
def test_more_ways_of_loosening(linker, text, years, genres):
    parse = parse_turn(text, linker)
    assert parse.lift_years == years and parse.allowed_genres == genres
    assert parse.year_from is None and parse.year_to is None and not parse.wanted_genres


def test_a_wish_is_no_loosening(linker):
    parse = parse_turn("a thriller would be cool", linker)
    assert parse.wanted_genres == ["Thriller"] and not parse.allowed_genres


@pytest.mark.parametrize("text", ["have you seen Heat?", "did u see heat", "do you have Heat"])
def test_a_question_about_a_title_is_no_seen(linker, text):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.mentions] == ["Heat"] and not parse.seen and not parse.liked


def test_a_cue_ending_in_with_is_no_credit(linker):
    parse = parse_turn("I'm hooked on Velvet Mango Conspiracy", linker)
    assert parse.phrases == [{"text": "Velvet Mango Conspiracy", "action": "like"}]
    parse = parse_turn("totally in love with Velvet Mango Conspiracy", linker)
    assert parse.phrases == [{"text": "Velvet Mango Conspiracy", "action": "like"}]


def test_a_cue_word_is_no_title_prefix(linker):
    # "My Favorite Year", "My Favorite Wife", …: "my favorite" is a cue, not a nickname of one of them
    parse = parse_turn("Heat is my favorite", linker)
    assert [m.title for m in parse.mentions] == ["Heat"] and [m.title for m in parse.liked] == ["Heat"]


def test_a_lowercase_pronoun_is_no_title(linker):
    assert not parse_turn("saw it, not for me", linker).mentions
    assert [m.title for m in parse_turn("what is jaws about?", linker).mentions] == ["Jaws"]
    assert parse_turn("describe jaws for me", linker).intent == "details"


def test_one_item_is_named_once_with_one_verdict(linker):
    heat = linker.lookup("Heat").item_id
    parse = parse_turn("i watched that one last year, loved it", linker, last_recommendations=[heat], discussed=heat)
    assert [m.item_id for m in parse.liked] == [heat] and not parse.seen


def test_an_opinion_after_a_contracted_is(linker):
    parse = parse_turn("the second one's a bore", linker, last_recommendations=["ml:1", "ml:2"])
    assert [m.item_id for m in parse.disliked] == ["ml:2"]


def test_too_scary_asks_for_no_horror(linker):
    parse = parse_turn("The Shining was way too scary for me", linker)
    assert "Horror" not in parse.wanted_genres


@pytest.mark.parametrize("text, phrase", [
    ("Loved Alien and Glimmerfax", "Glimmerfax"),  # the cue at the sentence start is not part of the names
    ("loved alien and glimmerfax, what else is like them?", "glimmerfax"),
    ("glimmerfax and the matrix are my two favourites", "glimmerfax"),
])
def test_a_name_listed_with_a_title_is_looked_up(linker, text, phrase):
    parse = parse_turn(text, linker)
    assert [p["text"] for p in parse.phrases] == [phrase]


@pytest.mark.parametrize("text", ["i liked heat and then went to bed", "loved alien and the kids did too",
                                  "i love alien and my wife loves titanic"])
def test_words_after_a_listed_title_that_cannot_be_a_name_are_no_phrase(linker, text):
    assert parse_turn(text, linker).phrases == []


@pytest.mark.parametrize("text, liked, disliked", [
    ("i'm a complete sucker for Titanic", ["Titanic"], []),  # an intensifier inside an idiom
    ("alien is lowkey the best", ["Alien"], []),
    ("Titanic's the worst", [], ["Titanic"]),  # every tense of a copula idiom
    ("jaws is the goat", ["Jaws"], []),
])
def test_idioms_read_through_intensifiers_and_tenses(linker, text, liked, disliked):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == liked and [m.title for m in parse.disliked] == disliked


def test_a_genre_that_is_never_ones_thing_is_unwanted(linker):
    parse = parse_turn("comedies just aren't my thing", linker)
    assert parse.unwanted_genres == ["Comedy"] and parse.wanted_genres == []


def test_something_with_a_genre_asks_for_it(linker):
    assert parse_turn("can you find something with romance", linker).wanted_genres == ["Romance"]


@pytest.mark.parametrize("text", ["for the time being, only 80s", "just this once, a western",
                                  "for this request nothing after 2000"])
def test_time_bound_requests_are_refinements(linker, text):
    assert parse_turn(text, linker).refinement


def test_would_i_like_x_is_a_question_not_a_like(linker):
    parse = parse_turn("would i enjoy Titanic?", linker)
    assert parse.liked == [] and [m.title for m in parse.mentions] == ["Titanic"]


@pytest.mark.parametrize("text, phrase", [
    ("Glarbo Titanic was trash", "Glarbo Titanic"),  # a name in front of a title's word
    ("my favourite film is Zorbulon Rising", "Zorbulon Rising"),
    ("i love Titanic and also Quabble Nights", "Quabble Nights"),
])
def test_capitalised_unknown_names_are_looked_up(linker, text, phrase):
    assert [p["text"] for p in parse_turn(text, linker).phrases] == [phrase]


@pytest.mark.parametrize("text, liked, disliked", [
    ("watched titanic on sunday with my mum, honestly gorgeous", ["Titanic"], []),  # the last comma-part
    ("jaws?? predictable and silly tbh", [], ["Jaws"]),  # a subject-less clause of adjectives
    ("started Alien last night, turned it off halfway", [], ["Alien"]),
])
def test_a_verdict_without_a_subject_speaks_of_the_one_title(linker, text, liked, disliked):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == liked and [m.title for m in parse.disliked] == disliked


def test_too_as_an_adverb_links_no_title(linker):
    parse = parse_turn("I hated Gladiator, way too long", linker)  # not "The Way" (2010)
    assert [m.title for m in parse.mentions] == ["Gladiator"]


@pytest.mark.parametrize("text, title", [("what's the film big about", "Big"), ("tell me about heat", "Heat")])
def test_a_title_after_the_movie_or_tell_me_about(linker, text, title):
    assert [m.title for m in parse_turn(text, linker).mentions] == [title]


@pytest.mark.parametrize("text, liked, disliked", [
    ("my brother loved Gladiator, I didn't", [], ["Gladiator"]),
    ("my mum loves Mamma Mia, not me though", [], ["Mamma Mia!"]),
    ("my girlfriend loved Up and so did i", ["Up"], []),
])
def test_someone_elses_verdict_then_the_persons_in_a_few_words(linker, text, liked, disliked):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == liked and [m.title for m in parse.disliked] == disliked


def test_do_not_suggest_x_ive_seen_it_is_seen_not_disliked(linker):
    parse = parse_turn("please don't suggest Gladiator, seen it already", linker)
    assert [m.title for m in parse.seen] == ["Gladiator"] and parse.disliked == []


@pytest.mark.parametrize("text, phrase", [
    ("the silence of the sheep was so creepy", "the silence of the sheep"),  # one word of a title changed
    ("i liked the grand budapest motel", "the grand budapest motel"),  # a real word is no typo of "hotel"
    ("raiders of the lost temple rules", "raiders of the lost temple"),  # a subject without "is"/"was"
])
def test_a_title_with_a_word_changed_is_asked_about_not_saved(linker, text, phrase):
    parse = parse_turn(text, linker)
    assert [p["text"] for p in parse.phrases] == [phrase] and not parse.liked and not parse.disliked
    assert linker.lookup(phrase).match == "weak"


@pytest.mark.parametrize("text, title", [
    ("I loved forest gump", "Forrest Gump"),  # a doubled letter dropped is a typo, even as a real word
    ("ugh jurassic world was so bad", "Jurassic World"),  # a word in front of a title is no changed title
    ("the lord of the rigns was epic", "The Lord of the Rings: The Fellowship of the Ring"),
])
def test_typos_and_titles_with_extra_words_still_link(linker, text, title):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked + parse.disliked] == [title] and not parse.phrases



@pytest.mark.parametrize("text, title", [
    ("jaws is better than any shark movie since", "Jaws"),  # ranked above others: liked
    ("titanic is the only romance i genuinely like", "Titanic"),  # an adverb between "i" and "like"
    ("watched zoolander again and it was a lot of fun", "Zoolander"),
])
def test_ranked_and_adverbed_verdicts_are_likes(linker, text, title):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.liked] == [title] and not parse.disliked


@pytest.mark.parametrize("text, title", [("please get jaws out of my likes", "Jaws"),
                                         ("drop heat from my dislikes", "Heat")])
def test_a_lower_case_title_leaving_a_profile_list_is_taken_back(linker, text, title):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.forget] == [title] and not parse.liked and not parse.disliked


@pytest.mark.parametrize("text, seen", [
    ("watched the godfather on friday with friends", ["The Godfather"]),  # the title, then when and with whom
    ("me and my brother saw jurassic park at the cinema", ["Jurassic Park"]),  # the speaker is in the subject
    ("my wife watched alien", []),                                         # someone else's viewing
])
def test_viewings_told_with_company_and_time(linker, text, seen):
    parse = parse_turn(text, linker)
    assert [m.title for m in parse.seen] == seen and not parse.phrases


@pytest.mark.parametrize("text, genre", [("westerns are back on the menu", "Western"),
                                         ("i don't need comedy anymore", "Comedy")])
def test_a_genre_back_on_or_no_longer_needed_is_lifted(linker, text, genre):
    parse = parse_turn(text, linker)
    assert parse.allowed_genres == [genre] and not parse.wanted_genres and not parse.unwanted_genres


@pytest.mark.parametrize("text", ["eu amo comédias", "adoro le commedie"])
def test_a_genre_named_in_another_language_is_no_typo_of_a_title(linker, text):
    parse = parse_turn(text, linker)
    assert parse.wanted_genres == ["Comedy"] and not parse.mentions


@pytest.mark.parametrize("text, title", [("oh and forget that i brought up Heat", "Heat"),
                                         ("wait, i've never actually seen Alien", "Alien")])
def test_taking_back_a_mention_or_a_viewing(linker, text, title):
    assert [m.title for m in parse_turn(text, linker).forget] == [title]


def test_words_of_other_languages_are_no_unknown_names(linker):
    parse = parse_turn("me encantan los documentales", linker)
    assert not parse.phrases and parse.wanted_genres == ["Documentary"]
