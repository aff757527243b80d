"""The page's answer without a browser: one answer (lead-in + cards), steps in words, plain status
words, "Did you mean" buttons, the 👍/👎 state and Send/Stop, on the real shipped catalog."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tastebud.agent import Assistant
from tastebud.agent.assistant import TurnResult
from tastebud.ui.answer import did_you_mean_options, feedback_values, lead_in, streaming_text
from tastebud.ui.chat import READING, ChatController, answering
from tastebud.ui.session import new_session
from tastebud.ui.steps import describe_step

pytestmark = pytest.mark.slow

RAW = re.compile(r"\{'|\[\{|update_profile|explain_item|item_details|read_profile|similar_items|search_catalog|ml:\d")


@pytest.fixture(scope="module")
def controller(real_services):
    assistant = Assistant(real_services, checkpointer="memory")
    assistant.turn("I loved Toy Story", user_id="answer-warmup", thread_id="w")
    return ChatController(assistant)


def turn(controller, message, conv=None, session=None):
    conv = conv or {"messages": [], "cards": {}}
    session = session or new_session()
    yields = list(controller.respond(message, conv, session))
    return yields, session


def answer_text(chat: list, start: int) -> str:
    """Everything the assistant showed for one turn: steps (titles and bodies), reply, cards."""
    parts = []
    for message in chat[start:]:
        if message["role"] == "assistant":
            parts += [(message.get("metadata") or {}).get("title", ""), str(message["content"])]
    return re.sub(r"<[^>]+>", "", "\n".join(parts)).replace("**", "")


def card_titles(chat: list, conv: dict) -> list[str]:
    """"Title (year)" of each card."""
    return [re.sub(r"<[^>]+>", "", chat[i]["content"].split('class="tb-title">')[1].split("</div>")[0])
            for i in conv["cards"]]


def test_steps_are_words_not_arguments():
    names = {"ml:1214": "Alien", "ml:2571": "The Matrix"}.get
    saved = describe_step({"tool": "update_profile", "applied": 3, "status": "done", "args": {"edits": [
        {"action": "like", "item": "ml:1214"}, {"action": "like", "item": "ml:2571"},
        {"action": "unwant_genre", "genre": "Horror"}]}}, names)
    assert saved.title == "📝 Saved 👍 Alien, 👍 The Matrix; 🚫 Horror"
    searched = describe_step({"tool": "recommend", "args": {"n": 5}, "results": 5, "filters": ["not Horror"],
                              "status": "done"}, names, 9742)
    assert searched.title == "🔎 Searched 9,742 films with: not Horror → 5 picks"
    explained = describe_step({"tool": "explain_item", "args": {"item": "ml:1214"}}, names)
    assert explained.title == "💡 Explained Alien"
    unknown = describe_step({"tool": "update_profile", "applied": 0, "args": {"edits": [
        {"action": "like", "item": "Harry Potter and the Goblet of Marmalade"}]}}, names)
    assert unknown.title == "📝 Nothing saved — looked up 👍 “Harry Potter and the Goblet of Marmalade”"
    many = describe_step({"tool": "update_profile", "applied": 2, "args": {"edits": [
        {"action": "like", "item": "ml:1214"}] * 40}}, names)
    assert many.title.count("Alien") == 1
    for step in (saved, searched, explained, unknown):
        assert not RAW.search(step.title + " ".join(step.details))


def test_lead_in_keeps_what_was_understood_and_drops_the_list():
    reply = ("Noted: you like Alien (1979).\nHere are 2 picks:\n1. **Aliens** (1986) — people who liked Alien also liked it\n"
             "2. **Heat** (1995) — close in story\nNote: nothing before 1990.")
    assert lead_in(reply, ["Aliens", "Heat"]) == "Noted: you like Alien (1979).\nHere are 2 picks:\nNote: nothing before 1990."
    assert lead_in(reply, []) == reply  # no cards: the text carries the answer
    assert lead_in("Same line.\nSame line.\nOther.", []) == "Same line.\nOther."
    assert streaming_text("Here are 2 picks:\n1. **Ali", listing=True) == "Here are 2 picks:"
    assert streaming_text("Here are 2 picks:\n1. **Ali", listing=False).endswith("1. **Ali")


def test_did_you_mean_buttons_and_thumbs_state():
    options = did_you_mean_options([{"span": "Goblet of Marmalade", "item_id": "ml:1",
                                     "label": "Harry Potter and the Goblet of Fire (2005)"}])
    assert options == [{"label": "Yes, Harry Potter and the Goblet of Fire (2005)", "value": "yes"},
                       {"label": "No, something else", "value": "no"}]
    assert did_you_mean_options([]) == []
    chat = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "lead"},
            {"role": "assistant", "content": "card a"}, {"role": "assistant", "content": "card b"}]
    profile = {"liked": [{"item_id": "a"}], "disliked": [{"item_id": "b"}]}
    assert feedback_values(chat, {2: "a", 3: "b"}, profile) == [None, "Like", "Dislike"]


def test_status_in_plain_words():
    assert answering("offline default") == "Answering with the built-in assistant (no LLM configured)"
    assert answering("gpt-4.1-mini (openai)") == "Answering with gpt-4.1-mini"
    assert answering("offline default (fallback from gpt-4o-mini (openai))") == (
        "Answering with the built-in assistant this turn (gpt-4o-mini failed)")


def test_one_answer_with_cards(controller):
    yields, _ = turn(controller, "I loved Alien and Toy Story. Recommend something, but no horror")
    assert yields[0][0][-1] is READING  # the answer's first line is there at once
    chat, conv, *_ = yields[-1]
    assert READING not in chat
    text = answer_text(chat, 1)
    titles = card_titles(chat, conv)
    assert len(titles) == 5
    for title in titles:  # "Title (year)": in its card, nowhere else
        assert text.count(title) == 1, (title, text)
    reply = chat[min(conv["cards"]) - 1]["content"]
    assert reply.startswith("Noted: you like Alien (1979) and Toy Story (1995)") and "Here are 5 picks" in reply
    assert "1." not in reply
    steps = [m["metadata"]["title"] for m in chat if m.get("metadata")]
    assert steps == ["📝 Saved 👍 Alien, 👍 Toy Story; 🚫 Horror (this conversation)",
                     "🔎 Searched 9,742 films with: not Horror → 5 picks"]
    assert not RAW.search(text)


def test_without_cards_the_text_is_the_answer(controller):
    yields, session = turn(controller, "I loved Heat")
    chat, conv, *_ = yields[-1]
    yields, _ = turn(controller, "why the second one?", conv, session)
    chat2, conv2, *_ = yields[-1]
    new = chat2[len(chat):]
    assert conv2["cards"] == conv["cards"]  # an explanation adds no cards
    assert new[-1]["content"].startswith("**") and "💡 Explained" in new[-2]["metadata"]["title"]


def test_repetitive_input_makes_no_repetitive_answer(controller):
    yields, _ = turn(controller, "I loved Solaris and Stalker, " * 150)
    chat, conv, *_ = yields[-1]
    reply = chat[min(conv["cards"]) - 1]["content"]
    assert reply.count("Solaris") == 1 and reply.count("Stalker") == 1, reply
    text = answer_text(chat, 1)
    for title in card_titles(chat, conv):
        assert text.count(title) <= 2


def test_did_you_mean_is_buttons(controller):
    yields, session = turn(controller, "I loved Harry Potter and the Goblet of Marmalade")
    chat, conv, *_ = yields[-1]
    assert chat[-1]["options"][0] == {"label": "Yes, Harry Potter and the Goblet of Fire (2005)", "value": "yes"}
    yields, _ = turn(controller, "yes", conv, session)
    assert "Harry Potter and the Goblet of Fire (2005)" in yields[-1][2]["titles"].values()


def test_page_turn_turns_send_into_stop_and_back(controller):
    out = list(controller.page_turn("I loved Heat", {"messages": [], "cards": {}}, new_session(), {}))
    assert all(y[5].visible is False and y[6].visible is True for y in out[:-1])
    assert out[-1][5].visible is True and out[-1][6].visible is False
    final = out[-2][0]
    assert final.feedback_value == [None] * (len([m for m in final.value if m["role"] == "assistant"]))
    # the last update sends the whole answer and status again, so a diff lost in the browser cannot
    # leave a half-drawn answer on the page
    assert out[-1][0] is final and out[-1][3] == out[-2][3] and out[-1][3]


def test_a_stand_in_assistant_without_a_catalog_still_streams():
    result = TurnResult(reply="Hello", profile={}, backend="custom model")

    def stream(*args, **kwargs):
        yield "step", {"tool": "recommend", "args": {"query": "{'x': 1}"}, "status": "pending"}
        yield "result", result

    fake = SimpleNamespace(stream=stream, backend="custom model")
    *_, (chat, _, _, status, _) = list(ChatController(fake).respond("hi", {"messages": [], "cards": {}}, new_session()))
    assert chat[-1]["content"] == "Hello" and status.startswith("Answering with a custom model")
