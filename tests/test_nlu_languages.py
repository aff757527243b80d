"""Other languages as data (core/nlu/languages.yaml): the table, parsing with the real catalog, replies."""

from __future__ import annotations

import pytest
import yaml

from tastebud.agent.policy import Plan, write_reply
from tastebud.errors import ConfigError
from tastebud.nlu import parse_turn
from tastebud.nlu import languages as L
from tastebud.nlu.text import find_phrases, tokenize
from tastebud.prompts import load_templates

MATRIX, ALIEN, TITANIC, TOY_STORY, GUMP = "ml:2571", "ml:1214", "ml:1721", "ml:1", "ml:356"
JURASSIC, AMELIE, GLADIATOR = "ml:480", "ml:4973", "ml:3578"
LANGS = ("es", "fr", "de", "it", "pt")


def ids(mentions) -> list[str]:
    return [m.item_id for m in mentions]


# ---------------------------------------------------------------- the table
def test_table_loads_and_covers_every_language():
    tables = L.load_languages()
    assert set(LANGS) <= set(tables)
    for lang in LANGS:
        table = tables[lang]
        for kind in ("like", "after_like", "dislike", "after_dislike", "seen", "negation", "anchor"):
            assert len(table[kind]) >= 20, (lang, kind)
        assert len(table["stopwords"]) >= 50 and len(table["request"]) >= 20, lang
        assert len(table["genres"]) >= 100, lang
        assert {g for names in table["genres"].values() for g in names} >= set(L.GENRES) - {"IMAX"}, lang
        for key in L.REPLY_KEYS:
            assert L.reply(lang, key), (lang, key)
    assert L.reply("xx", "clarify") is None


def test_phrases_are_folded_like_tokens():
    assert L.normalize("J’ai adoré") == "j ai adore" == L.normalize("j'ai ADORÉ")
    assert L.expand("me {gustó|encantó} {|mucho}") == ["me gustó", "me gustó mucho", "me encantó",
                                                      "me encantó mucho"]
    assert "j ai adore" in L.cue_phrases("like")
    assert "no me gusto" in L.cue_phrases("dislike")
    assert L.genre_phrases()["comedia romantica"] == ("Comedy", "Romance")
    assert all(p == L.normalize(p) for kind in L.CUE_KINDS for p in L.cue_phrases(kind))


def test_unknown_genre_is_an_error_listing_the_valid_ones():
    data = yaml.safe_load(
        "xx: {like: [a], dislike: [b], seen: [c], negation: [d], request: [e], stopwords: [f],"
        " genres: {Scary: [boo]}, replies: {clarify: x, not_found: '{titles}', non_english: y}}")
    with pytest.raises(ConfigError, match=r"unknown genre 'Scary'; valid genres: Action, Adventure"):
        L.validate(data)


def test_like_and_dislike_phrase_clash_is_an_error():
    base = ("like: [odio], dislike: [odio], seen: [c], negation: [d], request: [e], stopwords: [f],"
            " genres: {Horror: [boo]}, replies: {clarify: x, not_found: '{titles}', non_english: y}")
    with pytest.raises(ConfigError, match="odio"):
        L.validate(yaml.safe_load("xx: {" + base + "}"))


def test_find_phrases_ignores_accents_both_ways():
    assert find_phrases(tokenize("una pelicula de accion"), ("película de acción",)) != []
    assert find_phrases(tokenize("Una PELÍCULA de acción"), ("pelicula de accion",)) != []
    assert find_phrases(tokenize("I can't stand it"), ("can t stand",)) == [(1, 4, "can t stand")]


# ---------------------------------------------------------------- parsing, per language
CASES = {
    "es": [
        # a verdict implies "seen": the title is recorded once, as liked
        ("Anoche vi Jurassic Park y me encantó", {"liked": [JURASSIC]}),
        ("Odio Titanic. Búscame algo de ciencia ficción, por favor", {"disliked": [TITANIC],
                                                                       "wanted_genres": ["Sci-Fi"]}),
        ("Me gustaron mucho Toy Story y Gladiator", {"liked": [TOY_STORY, GLADIATOR]}),
        ("Forrest Gump me pareció aburridísima", {"disliked": [GUMP]}),
        ("Ya he visto Matrix. ¿Alguna comedia romántica sin dramas?",
         {"seen": [MATRIX], "wanted_genres": ["Comedy", "Romance"], "unwanted_genres": ["Drama"]}),
        ("Recomiéndame pelis de miedo, pero nada de dibujos animados",
         {"wanted_genres": ["Horror"], "unwanted_genres": ["Animation"]}),
    ],
    "fr": [
        ("J'ai vraiment adoré Gladiator !", {"liked": [GLADIATOR]}),
        ("Je n'ai pas du tout aimé Titanic, trop long", {"disliked": [TITANIC]}),
        ("Franchement, Forrest Gump c'était nul", {"disliked": [GUMP]}),
        ("J’ai déjà vu Matrix. Tu me conseilles un polar sans violence ?",
         {"seen": [MATRIX], "wanted_genres": ["Crime"]}),
        ("Amélie était géniale, et je voudrais des films d'animation",
         {"liked": [AMELIE], "wanted_genres": ["Animation"]}),
        ("Pas de films d'horreur ce soir, plutôt une comédie", {"unwanted_genres": ["Horror"]}),
    ],
    "de": [
        ("Titanic hat mir überhaupt nicht gefallen.", {"disliked": [TITANIC]}),
        ("Ich mag Forrest Gump nicht.", {"disliked": [GUMP]}),
        ("Gladiator war der Hammer, ich suche etwas Spannendes", {"liked": [GLADIATOR],
                                                                  "wanted_genres": ["Thriller"]}),
        ("Ich hab schon Forrest Gump gesehen. Gibt es gute Kriegsfilme?", {"seen": [GUMP],
                                                                            "wanted_genres": ["War"]}),
        ("Wir wollen heute Abend Zeichentrickfilme für die ganze Familie, bloß keine Gruselfilme",
         {"wanted_genres": ["Animation", "Children"], "unwanted_genres": ["Horror"]}),
        ("Ich stehe total auf Jurassic Park", {"liked": [JURASSIC]}),
    ],
    "it": [
        ("Ho adorato Jurassic Park!", {"liked": [JURASSIC]}),
        ("Titanic non mi è piaciuto per niente.", {"disliked": [TITANIC]}),
        ("Ho già visto Gladiator, mi consigli un film di fantascienza?",
         {"seen": [GLADIATOR], "wanted_genres": ["Sci-Fi"]}),
        ("Forrest Gump è stato bellissimo", {"liked": [GUMP]}),
        ("Vorrei una commedia, niente cartoni animati", {"wanted_genres": ["Comedy"],
                                                         "unwanted_genres": ["Animation"]}),
        ("Qualcosa tipo Matrix ma senza guerra", {"anchors": [MATRIX], "unwanted_genres": ["War"]}),
    ],
    "pt": [
        ("Eu adorei Toy Story, mas odiei Titanic", {"liked": [TOY_STORY], "disliked": [TITANIC]}),
        ("Já assisti Matrix, me indica um faroeste", {"seen": [MATRIX], "wanted_genres": ["Western"]}),
        ("Gladiator foi sensacional", {"liked": [GLADIATOR]}),
        ("Não curti Forrest Gump", {"disliked": [GUMP]}),
        ("Quero um filme de terror sem comédia", {"wanted_genres": ["Horror"], "unwanted_genres": ["Comedy"]}),
        ("Algo parecido com Jurassic Park, por favor", {"anchors": [JURASSIC]}),
    ],
}


def check(parse, expected: dict) -> None:
    for key in ("liked", "disliked", "seen", "anchors"):
        assert ids(getattr(parse, key)) == expected.get(key, []), key
    for key in ("wanted_genres", "unwanted_genres"):
        if key in expected:
            assert getattr(parse, key) == expected[key], key


@pytest.mark.parametrize("lang, text, expected",
                         [(lang, text, exp) for lang, cases in CASES.items() for text, exp in cases])
def test_sentences(linker, lang, text, expected):
    parse = parse_turn(text, linker)
    assert parse.clarify_reason != "internal_error"
    check(parse, expected)
    assert parse.non_english and parse.language_hint == lang


@pytest.mark.parametrize("text", [
    "I don't want anything with a war in it",
    "Die Hard was great, no horror please",
    "I loved Alien but hated Titanic",
    "Amo Titanic",  # one foreign word: a like cue, but the turn stays English
])
def test_english_stays_english(linker, text):
    parse = parse_turn(text, linker)
    assert not parse.non_english and parse.language_hint == "en"


def test_german_past_tense_war_is_not_the_war_genre(linker):
    parse = parse_turn("Alien war super, ich will mehr davon", linker)
    assert "War" not in parse.wanted_genres + parse.unwanted_genres


def test_german_was_is_never_a_genre_wish_in_a_german_sentence(linker):
    parse = parse_turn("Titanic war mir viel zu lang, ehrlich gesagt", linker)
    assert "War" not in parse.wanted_genres + parse.unwanted_genres


@pytest.mark.parametrize("text, year_from, year_to", [
    ("quiero películas anteriores a 1985", None, 1984),
    ("des films des années 90, s'il te plaît", 1990, 1999),
    ("bitte keine Filme vor 1980", 1980, None),
    ("Filme aus den 70ern wären toll", 1970, 1979),
    ("vorrei un film degli anni 60", 1960, 1969),
    ("quero filmes depois de 2005", 2006, None),
    ("algo entre 1995 y 2005, por favor", 1995, 2005),
    ("rien d'avant 1970 s'il vous plaît", 1970, None),
    ("algo de los sesenta", 1960, 1969),
    ("Filme aus den Siebzigern", 1970, 1979),
])
def test_year_words_in_other_languages(linker, text, year_from, year_to):
    parse = parse_turn(text, linker)
    assert (parse.year_from, parse.year_to) == (year_from, year_to)


# ---------------------------------------------------------------- replies
CLARIFY_WORDS = {"es": "película", "fr": "film", "de": "Film", "it": "film", "pt": "filme"}
VAGUE = {"es": "hola, ¿qué tal? no sé qué hacer esta noche", "fr": "salut, je ne sais pas quoi faire ce soir",
         "de": "hallo, ich weiß nicht, was ich heute machen soll", "it": "ciao, non so cosa fare stasera",
         "pt": "oi, não sei o que fazer hoje à noite"}


@pytest.mark.parametrize("lang", LANGS)
def test_clarify_reply_in_the_language_of_the_turn(linker, lang):
    parse = parse_turn(VAGUE[lang], linker)
    assert parse.non_english and parse.language_hint == lang and parse.needs_clarification
    templates = load_templates()
    text = write_reply(templates, [], Plan(reply="clarify"), parse)
    assert L.reply(lang, "clarify") in text and L.reply(lang, "non_english") in text
    assert CLARIFY_WORDS[lang] in L.reply(lang, "clarify")
    assert templates["clarify"] not in text


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_notice_in_the_language_of_the_turn(linker, lang):
    parse = parse_turn(VAGUE[lang], linker)
    text = write_reply(load_templates(), [("update_profile", {"missing": ["Zzyzx Road"], "applied": []})],
                       Plan(), parse)
    assert L.reply(lang, "not_found").format(titles="“Zzyzx Road”") in text


def test_english_and_other_scripts_keep_english_replies(linker):
    templates = load_templates()
    for text in ("hmm", "Я люблю фильмы ужасов"):
        parse = parse_turn(text, linker)
        assert write_reply(templates, [], Plan(reply="clarify"), parse).endswith(templates["clarify"])
