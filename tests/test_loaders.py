import pytest

from tastebud.errors import BadRowError, CatalogError
from tastebud.loaders import ColumnMapping, LoadReport, load_redial, load_user_catalog


def test_redial_dirty_names(data_dir):
    report = LoadReport()
    cat = load_redial(data_dir / "redial_dirty.csv", report=report)
    assert cat.get("rd:1").title == "Willy Wonka & the Chocolate Factory" and cat.get("rd:1").year == 1971
    assert cat.get("rd:2").title == "Heaven & Earth" and cat.get("rd:2").year == 1993
    assert cat.get("rd:3").year is None and cat.get("rd:3").popularity == 12
    assert cat.get("rd:5").title == "The Matrix" and cat.get("rd:5").year == 1999
    assert "rd:4" not in cat and "rd:6" not in cat
    lines = sorted(int(p.split(":")[1]) for p in report.problems)
    assert lines == [5, 7, 8]  # empty name, bad mentions count, duplicate id
    assert all(p.startswith(str(data_dir / "redial_dirty.csv")) for p in report.problems)


def test_redial_strict_raises_with_line(data_dir):
    with pytest.raises(BadRowError) as err:
        load_redial(data_dir / "redial_dirty.csv", strict=True)
    assert err.value.line == 5


def test_redial_borrows_movie_fields(data_dir, tiny_catalog):
    cat = load_redial(data_dir / "redial_dirty.csv", movies=tiny_catalog)
    matrix = cat.get("rd:5")
    assert matrix.genres == ["Action", "Sci-Fi"] and "simulation" in matrix.overview
    assert matrix.source_ids == {"redial": 5}  # tiny catalog items carry no source ids


def _books_mapping():
    return ColumnMapping(text_cols=["description"], popularity_col="rating_count")


def test_user_csv_skips_bad_rows_with_lines(data_dir):
    report = LoadReport()
    cat = load_user_catalog(data_dir / "books_bad.csv", _books_mapping(), report=report)
    assert cat.name == "books_bad"
    assert sorted(cat.ids) == ["u:b1", "u:b3", "u:b6", "u:b7"]
    assert cat.get("u:b1").genres == ["Science Fiction", "Adventure"]  # the catalog's own genre names
    assert cat.get("u:b1").popularity == 900 and cat.get("u:b1").year == 1965
    assert cat.get("u:b6").title == "Multi line"
    by_line = {int(p.split(":")[1]): p for p in report.problems}
    assert sorted(by_line) == [3, 5, 6, 7]
    assert "title" in by_line[3] and "year" in by_line[5] and "more fields" in by_line[6] and "duplicate" in by_line[7]


def test_user_csv_line_numbers_after_multiline_record(data_dir):
    cat = load_user_catalog(data_dir / "books_bad.csv", _books_mapping(), report=LoadReport())
    assert cat.get("u:b7").title == "Neuromancer"


def test_user_csv_strict(data_dir):
    with pytest.raises(BadRowError) as err:
        load_user_catalog(data_dir / "books_bad.csv", _books_mapping(), strict=True)
    assert err.value.line == 3 and "books_bad.csv:3" in str(err.value)


def test_user_csv_missing_columns(data_dir):
    with pytest.raises(CatalogError, match="missing column"):
        load_user_catalog(data_dir / "books_bad.csv", ColumnMapping(id_col="isbn"))


def test_user_jsonl_mapping(data_dir):
    report = LoadReport()
    mapping = ColumnMapping(id_col="sku", title_col="name", text_cols=["blurb"], genres_col="cats",
                            tags_col=None, year_col=None)
    cat = load_user_catalog(data_dir / "products.jsonl", mapping, report=report)
    assert cat.ids == ["u:p1", "u:p2"]
    assert cat.get("u:p1").genres == ["Sport", "Shoes"] and cat.get("u:p1").overview == "Light running shoe"
    assert [int(p.split(":")[1]) for p in report.problems] == [2, 5]


def test_user_catalog_errors(tmp_path):
    with pytest.raises(CatalogError, match="not found"):
        load_user_catalog(tmp_path / "nope.csv")
    bad = tmp_path / "x.xml"
    bad.write_text("<x/>")
    with pytest.raises(CatalogError, match="unsupported"):
        load_user_catalog(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("id,title\n,\n")
    with pytest.raises(CatalogError, match="no usable rows"):
        load_user_catalog(empty, report=LoadReport())
