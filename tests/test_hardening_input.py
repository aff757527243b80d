"""Bad input, table-driven: every case gets a clear message or a sensible answer, and leaves
no state corrupted (the user's profile and its log agree; a bystander is untouched)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tastebud.agent import Assistant
from tastebud.errors import ArtifactError, CatalogError
from tastebud.loaders import LoadReport
from tastebud.recommenders.training import get_models, load_models, models_dir
from tastebud.ui.cards import card_html, reply_message, user_message

PLEASE = "Please type a message"
LONG = "very long"


def liked(result) -> list[str]:
    return [e["item_id"] for e in result.profile["liked"]]


def titles(result) -> list[str]:
    return [result.profile["titles"].get(i, "") for i in liked(result)]


# (case id, message, check(result) -> bool)
CASES = [
    ("empty", "", lambda r: PLEASE in r.reply and not r.tool_steps),
    ("none", None, lambda r: PLEASE in r.reply),
    ("whitespace", "   \n\t  \r\n ", lambda r: PLEASE in r.reply and not r.tool_steps),
    ("zero-width-only", "\u200b\u200c\u200d\ufeff\u2060", lambda r: PLEASE in r.reply),
    ("control-only", "\x00\x01\x07\x1b\x7f", lambda r: PLEASE in r.reply),
    ("100k-chars", "x" * 100_000, lambda r: any(LONG in n for n in r.notices) and r.reply),
    ("100k-words", ("I loved Heat. " * 8000)[:100_000], lambda r: any(LONG in n for n in r.notices)
     and liked(r) == ["ml:6"]),
    ("control-in-title", "I loved The\u200b Matrix\x00\x1b[31m", lambda r: liked(r) == ["ml:2571"]),
    ("rtl-override", "I loved \u202eHeat\u202c", lambda r: liked(r) == ["ml:6"]),
    ("emoji-only", "😀🍿🎬", lambda r: r.reply and not liked(r)),
    ("emoji-and-title", "I loved Toy Story 🎬🍿!!", lambda r: liked(r) == ["ml:1"]),
    ("chinese", "我喜欢黑客帝国，推荐一些电影", lambda r: r.reply and not liked(r)),
    ("russian", "Мне понравился Терминатор", lambda r: r.reply),
    ("arabic", "أحب الأفلام الكوميدية", lambda r: r.reply),
    ("hindi", "मुझे डरावनी फिल्में पसंद हैं", lambda r: r.reply),
    ("mixed-scripts", "I loved Amélie and Léon — très bien", lambda r: set(liked(r)) == {"ml:4973", "ml:293"}),
    ("html-script", "<script>alert(1)</script> I loved Heat", lambda r: liked(r) == ["ml:6"]),
    ("html-img", '<img src=x onerror="alert(1)"><b>bold</b>', lambda r: r.reply),
    ("js-url", "javascript:alert(document.cookie)", lambda r: r.reply),
    ("sql-drop", "'; DROP TABLE profiles; --", lambda r: r.reply and not liked(r)),
    ("sql-delete", "Robert'); DELETE FROM events WHERE 1=1;--", lambda r: r.reply and not liked(r)),
    ("sql-or", "I loved Heat' OR '1'='1", lambda r: liked(r) == ["ml:6"]),
    ("unknown-title", "I loved Flibbertigibbet Quux 3000", lambda r: r.reply and not liked(r)),
    ("ambiguous-king-kong", "I loved King Kong", lambda r: len(liked(r)) == 1 and "King Kong" in titles(r)[0]),
    ("ambiguous-hamlet", "I loved Hamlet", lambda r: len(liked(r)) == 1 and "Hamlet" in titles(r)[0]),
    ("ambiguous-with-year", "I loved King Kong (1933)", lambda r: titles(r) == ["King Kong (1933)"]),
    ("reversed-years", "something from 1990 to 1980",
     lambda r: {k: v["value"] for k, v in {**r.profile["constraints"], **r.profile["session"]["constraints"]}.items()}
     == {"year_from": 1980, "year_to": 1990}),
    ("future-years", "nothing before 2030", lambda r: not r.recommendations and "nothing" in r.reply.lower()),
    ("no-items-in-range", "a documentary western musical from 1920 to 1921",
     lambda r: not r.recommendations or all(1920 <= x["year"] <= 1921 for x in r.recommendations)),
    ("punctuation", "?!?...;;", lambda r: r.reply),
    ("numbers", "12345 67890", lambda r: r.reply),
    ("repeated-lines", "\n".join(["I loved Heat"] * 50), lambda r: liked(r) == ["ml:6"]),
    ("format-string", "{reply} {0} %s %(x)s {{titles}}", lambda r: r.reply),
]


@pytest.fixture(scope="module")
def assistant(real_services):
    assistant = Assistant(real_services, checkpointer="sqlite")
    assistant.turn("I loved Alien, no comedy please", user_id="bystander", thread_id="t")
    return assistant


@pytest.mark.slow
@pytest.mark.parametrize(("case", "message", "check"), CASES, ids=[c[0] for c in CASES])
def test_bad_message(assistant, case, message, check):
    profiles = assistant.services.profiles
    before = profiles.export("bystander")["events"]
    user = f"bad-{case}"
    result = assistant.turn(message, user_id=user, thread_id="t")
    assert isinstance(result.reply, str) and result.reply.strip(), "a clear message or an answer"
    assert "Traceback" not in result.reply and "Error" not in result.reply
    assert check(result), (result.reply[:500], result.profile, result.notices)
    assert profiles.verify(user) == [] and profiles.export("bystander")["events"] == before
    assert "<" not in reply_message(result.reply)["content"] and "<" not in user_message(message or "")["content"]
    again = assistant.turn("I loved Toy Story", user_id=user, thread_id="t")  # the thread still works
    assert "ml:1" in liked(again) and (again.recommendations or "found nothing" in again.reply)


@pytest.mark.slow
def test_sql_text_leaves_the_tables(assistant):
    assert "bad-sql-drop" in assistant.services.profiles.users() or assistant.services.profiles.users()
    assert assistant.services.profiles.exists("bystander") and assistant.history("bystander", "t")


# -- catalogs and artifacts (fast: the hashing embedder) ----------------------------------------
EVIL_ROWS = [{"id": "1", "title": "<script>alert('x')</script> Space Film", "year": 2001,
              "genres": ["Sci-Fi", "<img src=x onerror=alert(1)>"], "description": "space <iframe src=evil></iframe>"},
             {"id": "2", "title": "Robert'); DROP TABLE items;--", "year": 1999, "genres": ["Drama"],
              "description": "a calm drama"}]


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_html_in_catalog_fields_is_escaped_in_cards(fake_services, tmp_path):
    path = _write(tmp_path, "evil.jsonl", "\n".join(json.dumps(r) for r in EVIL_ROWS))
    fake_services.ingest(path)
    hits = fake_services.search("space", k=2, catalog="evil")
    assert {h.item.item_id for h in hits} == {"u:1", "u:2"}
    for hit in hits:
        html = card_html({**hit.to_dict(), "reasons": [{"source": "query", "text": hit.item.title}]})
        assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "&lt;script&gt;" in card_html(hits[0].to_dict() if hits[0].item.item_id == "u:1" else hits[1].to_dict())


def test_empty_catalog_is_a_clear_error(fake_services, tmp_path):
    with pytest.raises(CatalogError, match="no usable rows"):
        fake_services.ingest(_write(tmp_path, "empty.jsonl", ""))
    with pytest.raises(CatalogError, match="missing column"):
        fake_services.ingest(_write(tmp_path, "empty.csv", ""))


def test_malformed_catalog_rows_are_reported_by_line(fake_services, tmp_path):
    text = "{oops\n\x00\x01garbage\n" + json.dumps({"id": "9", "title": "Fine Film", "year": 2000}) + "\n"
    report = LoadReport()
    result = fake_services.ingest(_write(tmp_path, "broken.jsonl", text), report=report)
    assert result.added == 1 and [p.split(": ")[0].rsplit(":", 1)[1] for p in report.problems] == ["1", "2"]
    with pytest.raises(CatalogError, match="no usable rows"):
        fake_services.ingest(_write(tmp_path, "garbage.jsonl", "{oops\n\x00\x01garbage\n"))


@pytest.mark.parametrize("damage", ["truncate-npz", "garbage-meta", "missing-npz", "wrong-shape"])
def test_corrupted_model_artifact_is_detected_and_rebuilt(fake_services, tmp_path, damage):
    path = _write(tmp_path, "films.jsonl", "\n".join(json.dumps({"id": str(i), "title": f"Film number {i}",
                                                                  "year": 1990 + i, "genres": ["Drama"]})
                                                      for i in range(12)))
    fake_services.ingest(path)
    catalog = fake_services.catalog("films")
    get_models(fake_services, "films")
    folder = models_dir(fake_services.settings, "films")
    if damage == "truncate-npz":
        (folder / "ease.npz").write_bytes((folder / "ease.npz").read_bytes()[:40])
    elif damage == "garbage-meta":
        (folder / "meta.json").write_text("{not json")
    elif damage == "missing-npz":
        (folder / "knn.npz").unlink()
    else:
        np.savez(folder / "popularity.npz", popularity=np.zeros(3, dtype=np.float32))
    with pytest.raises(ArtifactError):
        load_models(catalog, folder)
    models = get_models(fake_services, "films")  # detected, retrained, saved
    assert models.popularity.popularity.shape[0] == len(catalog)
    assert load_models(catalog, folder).meta == models.meta
