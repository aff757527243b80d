"""A user catalog of books end to end (issue 16, items 1, 2, 5): the catalog says what it holds,
keeps its own genre names, understands "read", and nothing the person sees talks of films."""

from __future__ import annotations

import csv
import json
import re

import pytest
from tastebud.domain import Domain, get_domain, infer_domain, load_domain
from tastebud.errors import CatalogError, UnknownGenreError
from tastebud.loaders import ColumnMapping
from tastebud.nlu import TitleLinker, parse_turn
from tastebud.prompts import load_prompt, load_templates
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.testing import HashingEmbedder

#: Words that give a film catalog away.
FILM_WORDS = re.compile(r"\b(?:films?|movies?|watch(?:ed|es|ing)?|cinema|viewers?)\b|🍿", re.IGNORECASE)

BOOKS = [
    ("b01", "Dune", "Frank Herbert", "Science Fiction|Classics", 1965, 900, "A desert planet, spice and a prophecy"),
    ("b02", "Neuromancer", "William Gibson", "Science Fiction", 1984, 700, "A hacker in cyberspace"),
    ("b03", "The Hobbit", "J. R. R. Tolkien", "Fantasy|Classics", 1937, 950, "A hobbit goes on an adventure"),
    ("b04", "Leaves of Grass", "Walt Whitman", "Poetry|Classics", 1855, 300, "Poems of America"),
    ("b05", "Ariel", "Sylvia Plath", "Poetry", 1965, 250, "Late poems"),
    ("b06", "The Hunger Games", "Suzanne Collins", "Young Adult|Science Fiction", 2008, 850, "A televised fight"),
    ("b07", "Divergent", "Veronica Roth", "Young Adult", 2011, 500, "Factions in a future Chicago"),
    ("b08", "SPQR", "Mary Beard", "History", 2015, 400, "A history of ancient Rome"),
    ("b09", "The Guns of August", "Barbara Tuchman", "History", 1962, 350, "The first month of the Great War"),
    ("b10", "Wolf Hall", "Hilary Mantel", "Historical Fiction", 2009, 600, "Thomas Cromwell rises at court"),
    ("b11", "Beloved", "Toni Morrison", "Literary Fiction|Classics", 1987, 650, "A haunted house in Ohio"),
    ("b12", "A Game of Thrones", "George R. R. Martin", "Fantasy", 1996, 880, "Noble houses fight for a throne"),
    ("b13", "Just Kids", "Patti Smith", "Music|Memoir", 2010, 300, "Two artists in New York"),
    ("b14", "Little Women", "Louisa May Alcott", "Family|Classics", 1868, 620, "Four sisters grow up"),
    ("b15", "The Name of the Wind", "Patrick Rothfuss", "Fantasy", 2007, 720, "A gifted young man tells his story"),
    ("b16", "Gone Girl", "Gillian Flynn", "Thriller|Mystery", 2012, 780, "A wife disappears"),
]
#: What the catalog file says, genre by genre: the names must survive ingest unchanged.
OWN_GENRES = {"Science Fiction", "Classics", "Fantasy", "Poetry", "Young Adult", "History", "Historical Fiction",
              "Literary Fiction", "Music", "Memoir", "Family", "Thriller", "Mystery"}


def _write_books(path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", "author", "genres", "year", "rating_count", "description"])
        writer.writerows(BOOKS)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Services over an ingested ``books`` catalog (hashing embedder), and the file."""
    root = tmp_path_factory.mktemp("books")
    path = root / "books.csv"
    _write_books(path)
    services = Services(Settings(home=root / "home", catalog="books"), embedder=HashingEmbedder())
    services.ingest(str(path), mapping=ColumnMapping(popularity_col="rating_count"))
    return services, path


@pytest.fixture(scope="module")
def assistant(books):
    from tastebud.agent import Assistant

    return Assistant(books[0], catalog="books", checkpointer="memory")


def _film_words(texts) -> list[str]:
    return [t for t in texts if FILM_WORDS.search(t)]


# -- 1. the catalog says what it holds ---------------------------------------------------------
def test_presets_and_specs(tmp_path):
    book = get_domain("book")
    assert (book.noun, book.plural, book.past, book.people, book.popular) == (
        "book", "books", "read", "readers", "widely read")
    assert book.fill("Tell me {domain.a_noun} you {domain.past}; {changes}") == "Tell me a book you read; {changes}"
    assert get_domain(None).a_noun == "an item" and get_domain("film").tool_name == "movie_recommender"
    assert get_domain("game").tool_name == "game_recommender"
    spec = tmp_path / "wines.yaml"
    spec.write_text("preset: product\nnoun: wine\nplural: wines\npeople: drinkers\n", encoding="utf-8")
    wine = load_domain(str(spec))
    assert (wine.noun, wine.people, wine.verb, wine.name) == ("wine", "drinkers", "buy", "product")
    (tmp_path / "bad.json").write_text(json.dumps({"noun": "x", "colour": "red"}), encoding="utf-8")
    with pytest.raises(CatalogError, match="colour"):
        load_domain(str(tmp_path / "bad.json"))
    with pytest.raises(CatalogError, match="unknown domain"):
        load_domain("podcasts")
    assert Domain.from_dict(book.to_dict()) == book


def test_domain_inferred_from_name_or_columns():
    assert infer_domain("my_books").name == "book"
    assert infer_domain("catalog", ["author", "isbn"]).name == "book"
    assert infer_domain("catalog", ["artist"]).name == "music"
    assert infer_domain("stuff", ["colour"]).name == "item"


def test_ingest_keeps_domain_and_own_genres(books, tmp_path):
    services, path = books
    catalog = services.catalog("books")
    assert catalog.domain.name == "book"  # inferred from the file name and its author column
    assert set(catalog.genres()) == OWN_GENRES  # no "Drama", "Sci-Fi", "Musical" or "Children"
    again = Services(Settings(home=services.settings.home), embedder=HashingEmbedder())
    assert again.catalog("books").domain.name == "book"  # stored with the catalog
    assert again.catalog("movies").domain.name == "film"
    # --domain wins, and is kept on re-ingest without --domain
    again.ingest(str(path), mapping=ColumnMapping(popularity_col="rating_count"), domain=get_domain("item"))
    assert Services(Settings(home=services.settings.home)).catalog("books").domain.name == "item"
    again.ingest(str(path), mapping=ColumnMapping(popularity_col="rating_count"))
    assert Services(Settings(home=services.settings.home)).catalog("books").domain.name == "item"
    again.ingest(str(path), mapping=ColumnMapping(popularity_col="rating_count"), domain=get_domain("book"))


# -- 2. genres are the catalog's own -------------------------------------------------------------
def test_typed_genres_resolve_to_the_catalogs_names(books):
    catalog = books[0].catalog("books")
    assert catalog.resolve_genre("sci-fi") == "Science Fiction"
    assert catalog.resolve_genre("history") == "History"  # not the movie catalogs' Drama
    assert catalog.resolve_genre("YOUNG ADULT") == "Young Adult"
    assert catalog.resolve_genre("mysteries") == "Mystery"
    assert catalog.resolve_genre("classic") == "Classics"
    assert catalog.resolve_genre("Sciense Fiction") == "Science Fiction"
    with pytest.raises(UnknownGenreError):
        catalog.resolve_genre("drama")
    movies = books[0].catalog("movies")
    assert movies.resolve_genre("history") == "Drama" and movies.resolve_genre("science fiction") == "Sci-Fi"


@pytest.mark.parametrize(("text", "wanted", "unwanted"), [
    ("no poetry and no young adult please", [], ["Poetry", "Young Adult"]),
    ("no young adult", [], ["Young Adult"]),
    ("history books", ["History"], []),
    ("something sci-fi", ["Science Fiction"], []),
    ("any good mysteries?", ["Mystery"], []),
    ("some historical fiction, but no thrillers", ["Historical Fiction"], ["Thriller"]),
    ("no poetyr please", [], ["Poetry"]),
])
def test_genre_words_in_messages(books, text, wanted, unwanted):
    parse = parse_turn(text, TitleLinker(books[0].catalog("books")))
    assert (parse.wanted_genres, parse.unwanted_genres) == (wanted, unwanted)
    assert parse.intent == "recommend"


def test_classics_is_a_genre_where_the_catalog_has_one(books):
    parse = parse_turn("I'd like some classics", TitleLinker(books[0].catalog("books")))
    assert parse.wanted_genres == ["Classics"] and parse.year_to is None
    movies = parse_turn("I'd like some classics", TitleLinker(books[0].catalog("movies")))
    assert movies.year_to == 1979 and not movies.wanted_genres  # the movie catalogs have no such genre


# -- 5. domain cues ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "field"), [
    ("I've read Dune and loved it", "liked"),
    ("Dune was a great read", "liked"),
    ("I've read Neuromancer", "seen"),
    ("I listened to Beloved on audio", "seen"),
    ("I bought The Hobbit, hated it", "disliked"),
    ("I played A Game of Thrones", "seen"),
])
def test_domain_verbs_link_and_set_polarity(books, text, field):
    parse = parse_turn(text, TitleLinker(books[0].catalog("books")))
    assert [m.title for m in getattr(parse, field)] and parse.mentions, parse.to_dict()


# -- the conversation speaks of books ------------------------------------------------------------
def test_conversation_on_a_book_catalog(assistant, books):
    replies, reasons = [], []

    def turn(text):
        result = assistant.turn(text, user_id="reader", thread_id="t1")
        replies.append(result.reply)
        reasons.extend(r["text"] for rec in result.recommendations for r in rec.get("reasons", []))
        return result

    turn("hi")
    turn("")
    liked = turn("I've read Dune and loved it")
    assert [e["item_id"] for e in liked.profile["liked"]] == ["u:b01"]
    avoided = turn("no poetry")
    assert "Poetry" in [e["genre"] for e in avoided.profile["unwanted_genres"]]
    assert all("Poetry" not in rec["genres"] for rec in avoided.recommendations)
    turn("no young adult")
    assert "Young Adult" in [e["genre"] for e in assistant.turn("what do you know about me?", user_id="reader",
                                                                  thread_id="t1").profile["unwanted_genres"]]
    turn("some history books")
    turn("why the first one?")
    turn("I've read Neuromancer")
    turn("something like Zzyzx Road")
    turn("recommend something")
    assert any("widely read" in r or "readers who liked" in r or "books you liked" in r for r in reasons)
    assert _film_words(replies) == [] and _film_words(reasons) == []


def test_prompts_tools_and_page_speak_of_books(assistant, books):
    from tastebud.agent.subagent import recommender_tool
    from tastebud.tools import Toolkit
    from tastebud.tools.lc import make_tools
    from tastebud.ui import build_demo
    from tastebud.ui.steps import describe_step

    services, _ = books
    domain = services.catalog("books").domain
    texts = [load_prompt("system", domain), *(v for v in load_templates(domain=domain).values() if isinstance(v, str))]
    for tool in [*make_tools(Toolkit(services, "books")), recommender_tool(assistant)]:
        texts += [tool.name, tool.description, json.dumps(tool.tool_call_schema.model_json_schema())]
    assert recommender_tool(assistant).name == "book_recommender"
    demo = build_demo(assistant)
    page = json.dumps(demo.config, ensure_ascii=False, default=str)
    texts.append(page)
    step = describe_step({"tool": "recommend", "args": {}, "results": 3}, lambda _: None,
                         assistant_controller_size(assistant))
    assert step.title.startswith("🔎 Searched 16 books")
    texts.append(step.title)
    assert _film_words(texts) == []
    assert "books picked for you" in page and "Dune" in page  # the examples come from the catalog


def assistant_controller_size(assistant):
    from tastebud.ui.chat import ChatController

    return ChatController(assistant)._names()[1]


def test_other_languages_replies_speak_of_films_so_books_keep_english(books):
    from tastebud.agent.policy import Plan, write_reply

    parse = parse_turn("hola, ¿qué me recomiendas?", TitleLinker(books[0].catalog("books")))
    assert parse.non_english and parse.language_hint == "es"
    book = write_reply(load_templates(domain=get_domain("book")), [], Plan(reply="clarify"), parse)
    film = write_reply(load_templates(), [], Plan(reply="clarify"), parse)
    assert "película" in film and "book" in book and not FILM_WORDS.search(book) and "película" not in book


@pytest.mark.parametrize(("text", "field"), [
    ("I bought The Matrix and loved it", "liked"),
    ("I've read Alien was scary, watched it and hated it", "disliked"),
    ("I played Galaxy Quest for the kids", "seen"),
])
def test_domain_verbs_on_a_film_catalog(tiny_catalog, text, field):
    parse = parse_turn(text, TitleLinker(tiny_catalog))
    assert [m.title for m in getattr(parse, field)], parse.to_dict()


def test_cli_domain_errors(run_cli, tmp_path):
    home = str(tmp_path / "home")
    code, _, err = run_cli("ingest", "--catalog", "movies", "--domain", "book", "--home", home)
    assert code != 0 and "--domain is for user catalogs" in err
    _write_books(tmp_path / "shelf.csv")
    code, _, err = run_cli("ingest", "--catalog", str(tmp_path / "shelf.csv"), "--domain", "podcast",
                        "--home", home)
    assert code != 0 and "unknown domain 'podcast'" in err and "book" in err


@pytest.mark.slow
def test_cli_ingest_with_a_domain_spec(run_cli, tmp_path):
    home = str(tmp_path / "home")
    path = tmp_path / "cellar.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "title": t, "genres": g}) for i, t, g in [
        ("w1", "Chablis", "White|Burgundy"), ("w2", "Barolo", "Red|Piedmont")]) + "\n", encoding="utf-8")
    spec = tmp_path / "wine.yaml"
    spec.write_text("preset: product\nnoun: wine\nplural: wines\npeople: drinkers\n", encoding="utf-8")
    code, out, _ = run_cli("ingest", "--catalog", str(path), "--domain", str(spec), "--home", home)
    assert code == 0 and "cellar: domain product (wines, bought)" in out
    catalog = Services(Settings(home=tmp_path / "home")).catalog("cellar")
    assert catalog.domain.plural == "wines" and catalog.genres() == ["Burgundy", "Piedmont", "Red", "White"]
