import pytest

from tastebud.catalog import Catalog, Item, alternate_titles, clean_title, display_title, normalize_title, split_title_year
from tastebud.errors import UnknownGenreError


@pytest.mark.parametrize("raw, title, year", [
    ("Heat (1995)", "Heat", 1995),
    ("Headhunter  (2009)", "Headhunter", 2009),
    ("Willy Wonka &amp; the Chocolate Factory (1971)", "Willy Wonka & the Chocolate Factory", 1971),
    ("South Park", "South Park", None),
    ("The Godfather ", "The Godfather", None),
    ("Babylon 5 (1994-1998)", "Babylon 5", 1994),
])
def test_split_title_year(raw, title, year):
    assert split_title_year(raw) == (title, year)


def test_clean_title_double_escaped():
    assert clean_title("Heaven &amp;amp; Earth") == "Heaven & Earth"


@pytest.mark.parametrize("raw, shown", [
    ("Matrix, The", "The Matrix"),
    ("American President, The", "The American President"),
    ("City of Lost Children, The (Cité des enfants perdus, La)", "The City of Lost Children"),
    ("Heat", "Heat"),
])
def test_display_title(raw, shown):
    assert display_title(raw) == shown


def test_normalize_title_matches_variants():
    keys = {normalize_title(t) for t in ["Matrix, The", "The Matrix", "the matrix!", "THE  MATRIX"]}
    assert keys == {"matrix"}
    assert normalize_title("Amélie") == "amelie"
    assert normalize_title("Fast & Furious") == "fast and furious"


def test_catalog_index_and_genres(tiny_catalog):
    assert len(tiny_catalog) == 8
    assert tiny_catalog.get("t:3").title == "Heat"
    assert tiny_catalog.position("t:3") == 2
    assert "t:99" not in tiny_catalog
    assert tiny_catalog.resolve_genre("sci fi") == "Sci-Fi"
    assert tiny_catalog.resolve_genre("science fiction") == "Sci-Fi"
    assert tiny_catalog.resolve_genre("COMEDY") == "Comedy"
    with pytest.raises(UnknownGenreError) as err:
        tiny_catalog.resolve_genre("polka")
    assert "Sci-Fi" in str(err.value) and "polka" in str(err.value)


def test_catalog_rejects_duplicate_ids():
    with pytest.raises(ValueError):
        Catalog("x", [Item("a", "A"), Item("a", "B")])


def test_version_changes_with_content(tiny_catalog):
    before = tiny_catalog.version()
    tiny_catalog.items[0].overview += " changed"
    assert Catalog("tiny", tiny_catalog.items).version() != before


def test_jsonl_roundtrip(tmp_path, tiny_catalog):
    path = tmp_path / "c.jsonl.gz"
    tiny_catalog.save_jsonl(path)
    again = Catalog.load_jsonl("tiny", path)
    assert [i.to_dict() for i in again] == [i.to_dict() for i in tiny_catalog]
    assert again.version() == tiny_catalog.version()


def test_document_contains_fields(tiny_catalog):
    doc = tiny_catalog.get("t:1").document()
    assert "Alien (1979)" in doc and "Horror" in doc and "deadly alien" in doc


@pytest.mark.parametrize("raw, alts", [
    ("Amelie (Fabuleux destin d'Amélie Poulain, Le)", ["Le Fabuleux destin d'Amélie Poulain"]),
    ("M. Hulot’s Holiday (Mr. Hulot's Holiday) (Vacances de Monsieur Hulot, Les)",
     ["Mr. Hulot's Holiday", "Les Vacances de Monsieur Hulot"]),
    ("Seven (a.k.a. Se7en)", ["Se7en"]),
    ("Heat", []),
    ("Dolce Vita, La", []),
])
def test_alternate_titles_in_parentheses(raw, alts):
    assert alternate_titles(raw) == alts
