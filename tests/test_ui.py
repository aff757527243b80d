"""The chat page without a browser: rendering, sessions, the event handlers and the ``/chat`` API.

Handlers and the API run on the real shipped catalog (``real_services``); the API tests
launch the page on 127.0.0.1 and talk to it with ``gradio_client``.
"""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import gradio as gr
import pytest
from gradio_client import Client

from tastebud.profile import Profile
from tastebud.agent import Assistant
from tastebud.agent.assistant import TurnResult
from tastebud.ui.app import CSS, build_demo
from tastebud.ui.cards import card_html, step_message, step_title
from tastebud.ui.chat import SORRY, ChatController
from tastebud.ui.profile_panel import PanelEntry, panel_entries
from tastebud.ui.session import browser_secret, ensure_session, new_session

pytestmark = pytest.mark.slow

EVIL = {"item_id": "x:1", "title": "<script>alert('t')</script> & <b>Bold</b>", "year": 2001,
        "genres": ["<img src=x onerror=alert(1)>"], "overview": "Line one\n\n<script>x()</script> *not md*",
        "reasons": [{"source": "cf", "text": "<iframe src=evil>"}], "score": 1.0, "evidence": {}}


@pytest.fixture(scope="module")
def assistant(real_services):
    assistant = Assistant(real_services, checkpointer="memory")
    assistant.turn("I loved Toy Story", user_id="ui-warmup", thread_id="w")  # fit models once
    return assistant


@pytest.fixture(scope="module")
def controller(assistant):
    return ChatController(assistant)


@pytest.fixture(scope="module")
def url(assistant):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    demo = build_demo(assistant)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def run(controller, message, conv, session):
    """All yields of one turn; the last one is the final state."""
    return list(controller.respond(message, conv, session))


# -- rendering -------------------------------------------------------------------------------
def test_card_escapes_catalog_text():
    html = card_html(EVIL)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; &lt;b&gt;Bold&lt;/b&gt;" in html
    assert "&lt;iframe src=evil&gt;" in html and "(2001)" in html
    assert "\n" not in html  # one line: a blank line would end the HTML block and let Markdown in


def test_step_message_title_and_status():
    step = {"tool": "recommend", "args": {"query": "<b>space</b>"}, "results": 5, "filters": ["not Horror"],
            "status": "pending"}
    msg = step_message(step)
    assert msg["metadata"] == {"title": step_title(step), "status": "pending"}
    assert "→ 5 picks" in msg["metadata"]["title"] and "not Horror" in msg["metadata"]["title"]
    assert "&lt;b&gt;space&lt;/b&gt;" in msg["content"] and "<b>space" not in msg["content"]
    assert step_message({**step, "status": "done"})["metadata"]["status"] == "done"


def test_panel_entries_cover_every_section():
    profile = {"liked": [{"item_id": "ml:1"}], "disliked": [{"item_id": "ml:2"}], "seen": [],
               "wanted_genres": [{"genre": "Comedy"}], "unwanted_genres": [{"genre": "Horror"}],
               "constraints": {"year_from": {"value": 1990}, "language": {"value": ["en", "fr"]}},
               "titles": {"ml:1": "Toy Story (1995)"}}
    assert panel_entries(profile) == [
        PanelEntry("liked", "ml:1", "Toy Story (1995)"), PanelEntry("disliked", "ml:2", "ml:2"),
        PanelEntry("wanted_genres", "Comedy", "Comedy"), PanelEntry("unwanted_genres", "Horror", "Horror"),
        PanelEntry("constraints", "year_from", "from 1990"), PanelEntry("constraints", "language", "language: en, fr")]
    assert panel_entries(None) == []


def test_sessions_are_private_and_validated(tmp_path):
    a, b = new_session(), new_session()
    assert a["user_id"] != b["user_id"] and a["thread_id"] != b["thread_id"]
    assert ensure_session(a) == a
    for junk in (None, "x", {"user_id": ""}, {"user_id": "a b\n"}, {"user_id": 5}):
        assert ensure_session(junk)["user_id"].startswith("web-")
    assert ensure_session({"user_id": a["user_id"]})["user_id"] == a["user_id"]
    assert browser_secret(tmp_path) == browser_secret(tmp_path)  # stable across restarts


def test_status_line_reports_fallback(controller):
    plain = controller.status("offline default")
    assert "built-in assistant (no LLM configured)" in plain and "fallback" not in plain.lower()
    fell = controller.status("offline default (fallback from gpt-4o-mini (openai))",
                             ["The language model failed; the offline assistant answered."])
    assert "gpt-4o-mini failed" in fell and "⚠️" in fell


# -- handlers on the real catalog ---------------------------------------------------------------
def test_turn_streams_steps_tokens_and_cards(controller):
    session = new_session()
    yields = run(controller, "I loved The Matrix and Alien", {"messages": [], "cards": {}}, session)
    assert len(yields) > 5  # the answer streams
    chat, conv, profile, status, box = yields[-1]
    assert "built-in assistant (no LLM configured)" in status
    # the first update empties the textbox; later ones leave what the visitor types meanwhile
    assert yields[0][4] == "" and all(y[4] == gr.skip() for y in yields[1:])
    titles = [m["metadata"]["title"] for m in chat if m.get("metadata")]
    assert any("Searched 9,742 films" in t and "→ 5 picks" in t for t in titles)
    assert all(m["metadata"]["status"] == "done" for m in chat if m.get("metadata"))
    pending = [m for chat_, *_ in yields for m in chat_ if (m.get("metadata") or {}).get("status") == "pending"]
    assert pending  # steps were shown while running
    assert len(conv["cards"]) == 5 and all('class="tb-card"' in chat[i]["content"] for i in conv["cards"])
    assert {e["item_id"] for e in profile["liked"]} == {"ml:2571", "ml:1214"}


def test_dislike_on_a_card_is_honoured_next_turn(controller, assistant):
    session = new_session()
    chat, conv, *_ = run(controller, "I loved Toy Story", {"messages": [], "cards": {}}, session)[-1]
    index, item_id = next(iter(conv["cards"].items()))
    profile, status = controller.feedback(conv, session, gr.LikeData(None, {"index": index, "value": chat[index],
                                                                             "liked": False}))
    assert [e["item_id"] for e in profile["disliked"]] == [item_id] and "👎" in status
    events = assistant.services.profiles.events(session["user_id"])
    assert events[-1].source == "feedback:👎"
    *_, (chat2, conv2, *_) = run(controller, "more like Toy Story please", conv, session)
    new_cards = [i for n, i in conv2["cards"].items() if n >= len(chat)]
    assert item_id not in new_cards and len(new_cards) == 5 and len(conv2["cards"]) == 10
    # a like on a non-card message changes nothing
    before = assistant.services.profiles.get(session["user_id"]).version
    controller.feedback(conv2, session, gr.LikeData(None, {"index": 0, "value": "", "liked": True}))
    assert assistant.services.profiles.get(session["user_id"]).version == before


def test_removing_profile_entries_is_logged_and_honoured(controller, assistant):
    session = new_session()
    *_, (chat, conv, profile, _, _) = run(controller, "I loved Alien but no horror please", {"messages": [], "cards": {}},
                                          session)
    assert [e["genre"] for e in profile["unwanted_genres"]] == ["Horror"]
    profile, status = controller.remove(PanelEntry("unwanted_genres", "Horror", "Horror"), session)
    assert profile["unwanted_genres"] == [] and "Removed" in status
    assert assistant.services.profiles.events(session["user_id"])[-1].source == "ui:remove"
    *_, (chat, conv, profile, _, _) = run(controller, "recommend something", conv, session)
    step = [m for m in chat if "Searched" in (m.get("metadata") or {}).get("title", "")][-1]
    assert "not Horror" not in step["metadata"]["title"]
    profile, _ = controller.remove(PanelEntry("liked", "ml:1214", "Alien (1979)"), session)
    assert profile["liked"] == []
    profile, status = controller.undo(session)
    assert [e["item_id"] for e in profile["liked"]] == ["ml:1214"] and "Undid" in status


def test_reload_restores_the_conversation_and_forget_deletes_it(controller, assistant):
    session = new_session()
    *_, (chat, conv, *_) = run(controller, "I loved Heat", {"messages": [], "cards": {}}, session)
    again, chat2, conv2, profile, _ = controller.load(session)
    assert again == session and conv2["cards"] == conv["cards"]
    assert [m["role"] for m in chat2] == [m["role"] for m in chat] and "Heat" in chat2[0]["content"]
    assert profile["liked"]
    fresh, chat3, conv3, _, _ = controller.new_conversation(session)
    assert fresh["user_id"] == session["user_id"] and fresh["thread_id"] != session["thread_id"] and chat3 == []
    newer, chat4, _, profile4, status = controller.forget(session)
    assert newer["user_id"] != session["user_id"] and chat4 == [] and profile4 == {} and "deleted" in status
    assert assistant.services.profiles.get(session["user_id"]).is_empty()
    assert assistant.history(session["user_id"], session["thread_id"]) == []


def test_a_failing_turn_shows_a_friendly_message():
    def stream(*args, **kwargs):
        yield "step", {"tool": "recommend", "args": {}, "status": "pending"}
        raise RuntimeError("boom: secret internals")

    profiles = SimpleNamespace(get=lambda user: Profile(user))
    fake = SimpleNamespace(stream=stream, backend="offline default", catalog="movies",
                           services=SimpleNamespace(profiles=profiles, catalog=lambda name: {}))
    *_, (chat, _, _, status, _) = run(ChatController(fake), "hi", {"messages": [], "cards": {}}, new_session())
    text = " ".join(str(m["content"]) for m in chat) + status
    assert chat[-1]["content"] == SORRY and "boom" not in text and "Traceback" not in text
    assert chat[1]["metadata"]["status"] == "done"


def test_model_and_catalog_text_in_the_chat_is_escaped():
    result = TurnResult(reply="Try **<script>x()</script>**", recommendations=[EVIL], profile={})

    def stream(*args, **kwargs):
        yield "token", "<script>"
        yield "result", result

    fake = SimpleNamespace(stream=stream, backend="offline default")
    *_, (chat, conv, *_) = run(ChatController(fake), "<b>hi</b>", {"messages": [], "cards": {}}, new_session())
    assert all("<script" not in m["content"] and "<b>" not in m["content"] for m in chat)
    assert list(conv["cards"].values()) == ["x:1"] and "**&lt;script&gt;" in chat[1]["content"]


# -- the /chat API through gradio_client --------------------------------------------------------
def test_only_chat_is_public(url):
    api = Client(url, verbose=False).view_api(return_format="dict", print_info=False)
    assert list(api["named_endpoints"]) == ["/chat"] and not api["unnamed_endpoints"]
    assert [p["parameter_name"] for p in api["named_endpoints"]["/chat"]["parameters"]] == [
        "message", "user_id", "thread_id"]


def test_three_turn_conversation_through_the_api(url):
    client = Client(url, verbose=False)

    def turn(message):
        out = client.predict(message, "api-alice", "t1", api_name="/chat")
        assert {"reply", "recommendations", "explained", "profile", "tool_steps", "backend", "notices"} <= set(out)
        assert out["user_id"] == "api-alice" and out["thread_id"] == "t1" and out["reply"]
        assert len(out["recommendations"]) == 5
        assert all(r["title"] and r["reasons"] and all(x["source"] and x["text"] for x in r["reasons"])
                   for r in out["recommendations"])
        return out

    first = turn("I loved The Matrix and Alien")
    assert {e["item_id"] for e in first["profile"]["liked"]} == {"ml:2571", "ml:1214"}
    assert first["profile"]["titles"]["ml:2571"] == "The Matrix (1999)"

    second = turn("no horror please, and nothing before 1990")
    assert [g["genre"] for g in second["profile"]["unwanted_genres"]] == ["Horror"]
    assert second["profile"]["constraints"]["year_from"]["value"] == 1990
    assert all("Horror" not in r["genres"] and r["year"] >= 1990 for r in second["recommendations"])
    assert any(r["source"] == "constraint" for rec in second["recommendations"] for r in rec["reasons"])

    disliked = second["recommendations"][0]["item_id"]
    third = turn("I didn't like the first one. Something like Toy Story")
    assert [e["item_id"] for e in third["profile"]["disliked"]] == [disliked]
    assert disliked not in {r["item_id"] for r in third["recommendations"]}
    assert {e["item_id"] for e in third["profile"]["liked"]} >= {"ml:2571", "ml:1214"}


def test_blank_ids_are_minted_and_returned(url):
    out = Client(url, verbose=False).predict("I loved Heat", "", "", api_name="/chat")
    assert out["user_id"].startswith("api-") and out["thread_id"].startswith("t-") and out["recommendations"]


def test_concurrent_clients_with_opposite_tastes_get_disjoint_profiles(url, assistant):
    tastes = {"api-horror-fan": ["I loved Alien and The Shining. Horror please, no comedy", "more please"],
              "api-comedy-fan": ["I loved Toy Story and Groundhog Day. Comedy please, no horror", "more please"]}

    def converse(user):
        client = Client(url, verbose=False)
        return [client.predict(m, user, "t", api_name="/chat") for m in tastes[user]]

    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(tastes, pool.map(converse, tastes)))
    horror, comedy = (results[u][-1]["profile"] for u in tastes)
    liked = [{e["item_id"] for e in p["liked"]} for p in (horror, comedy)]
    assert liked[0] and liked[1] and not liked[0] & liked[1]
    assert liked == [{"ml:1214", "ml:1258"}, {"ml:1", "ml:1265"}]
    assert [g["genre"] for g in horror["wanted_genres"]] == [g["genre"] for g in comedy["unwanted_genres"]] == ["Horror"]
    assert [g["genre"] for g in comedy["wanted_genres"]] == [g["genre"] for g in horror["unwanted_genres"]] == ["Comedy"]
    for user, turns in results.items():
        assert all(t["user_id"] == user for t in turns)
        stored = assistant.services.profiles.get(user).to_dict()
        assert {e["item_id"] for e in stored["liked"]} == {e["item_id"] for e in turns[-1]["profile"]["liked"]}
    assert all("Comedy" not in r["genres"] for r in results["api-horror-fan"][-1]["recommendations"])
    assert all("Horror" not in r["genres"] for r in results["api-comedy-fan"][-1]["recommendations"])


def test_the_page_handler_is_async_and_fails_friendly():
    import asyncio

    result = TurnResult(reply="Hello", profile={}, backend="custom model")

    async def astream(*args, **kwargs):
        yield "step", {"tool": "recommend", "args": {}, "status": "pending"}
        yield "result", result

    async def broken(*args, **kwargs):
        yield "step", {"tool": "recommend", "args": {}, "status": "pending"}
        raise RuntimeError("boom: secret internals")

    async def run(handler):
        return [update async for update in handler("hi", {"messages": [], "cards": {}}, new_session())]

    profiles = SimpleNamespace(get=lambda user: Profile(user))
    fake = SimpleNamespace(astream=astream, backend="custom model", catalog="movies",
                           services=SimpleNamespace(profiles=profiles, catalog=lambda name: {}))
    controller = ChatController(fake)
    *_, (chat, _, _, status, _) = asyncio.run(run(controller.arespond))
    assert chat[-1]["content"] == "Hello" and status.startswith("Answering with a custom model")
    done = asyncio.run(run(controller.apage_turn))[-1]
    assert done[5].visible and not done[6].visible  # Send is back, Stop hidden
    fake.astream = broken
    *_, (chat, _, _, status, _) = asyncio.run(run(controller.arespond))
    assert chat[-1]["content"] == SORRY and "boom" not in status and chat[1]["metadata"]["status"] == "done"


def test_turns_at_once_follow_what_a_turn_waits_on(monkeypatch):
    """An explicit TASTEBUD_PAGE_CONCURRENCY wins; else 16 turns may wait on an LLM at once, and the
    offline default's CPU-only turns run one per core (at least 2)."""
    from tastebud.settings import Settings
    from tastebud.ui.app import _concurrency

    monkeypatch.setattr("os.cpu_count", lambda: 6)
    unset = Settings(page_concurrency=None)
    assert Settings.model_fields["page_concurrency"].default is None
    assert _concurrency(SimpleNamespace(settings=unset, offline_default=True)) == 6
    assert _concurrency(SimpleNamespace(settings=unset, offline_default=False)) == 16
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert _concurrency(SimpleNamespace(settings=unset, offline_default=True)) == 2
    explicit = Settings(page_concurrency=3)
    assert _concurrency(SimpleNamespace(settings=explicit, offline_default=True)) == 3
    assert _concurrency(SimpleNamespace(settings=explicit, offline_default=False)) == 3
