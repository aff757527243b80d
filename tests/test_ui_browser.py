"""The chat page in a real headless Chromium (Debian's ``chromium`` package, driven by Playwright).

Skipped only when no browser is installed (``apt-get install -y chromium fonts-noto-color-emoji``).
Screenshots go to the test's tmp dir; the last one is also copied to ``/tmp/tastebud_ui.png``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import time

import pytest

from tastebud.agent import Assistant
from tastebud.ui.app import build_demo, launch_options

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = os.environ.get("TASTEBUD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOT = "/tmp/tastebud_ui.png"
# Records, on every change of the chat, how long the answer text is (to see it grow).
WATCH = """() => {
  window.__lengths = [];
  const chat = document.querySelector('#tb-chat');
  new MutationObserver(() => {
    // from the visitor's message on (the welcome text and examples before it are no answer)
    if (chat.querySelector('.user-row') && !chat.querySelector('.tb-card')) window.__lengths.push(chat.innerText.length);
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


class SlowTokens:
    """The real assistant, with a short pause per streamed token so a browser can watch it stream."""

    def __init__(self, assistant: Assistant, pause: float = 0.02) -> None:
        self._assistant, self._pause = assistant, pause

    def __getattr__(self, name):
        return getattr(self._assistant, name)

    def stream(self, *args, **kwargs):
        for kind, payload in self._assistant.stream(*args, **kwargs):
            if kind == "token":
                time.sleep(self._pause)
            yield kind, payload

    async def astream(self, *args, **kwargs):
        async for kind, payload in self._assistant.astream(*args, **kwargs):
            if kind == "token":
                await asyncio.sleep(self._pause)
            yield kind, payload


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium fonts-noto-color-emoji")
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def url(real_services):
    assistant = Assistant(real_services, checkpointer="memory")
    assistant.turn("I loved Toy Story", user_id="browser-warmup", thread_id="w")  # fit models once
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    demo = build_demo(SlowTokens(assistant))
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **launch_options())
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_chat_streams_shows_cards_and_dislike_updates_profile(browser, url, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector("#tb-input textarea")
    page.get_by_text("Nothing yet").wait_for()
    page.screenshot(path=str(tmp_path / "first_visit.png"))
    panel = page.locator("#tb-profile")

    page.evaluate(WATCH)
    page.fill("#tb-input textarea", "I loved Alien and Toy Story. Recommend something, but no horror")
    page.click("#tb-send")
    page.locator("#tb-chat .tb-card").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    lengths = page.evaluate("window.__lengths")
    assert len(set(lengths)) >= 5 and lengths[-1] > lengths[0]  # the answer grew in place: it streamed
    assert page.locator("#tb-chat").get_by_text("Searched 9,742 films").count() >= 1  # the tool step is shown
    cards = page.locator("#tb-chat .tb-card")
    assert cards.count() == 5 and "Noted" in page.locator("#tb-chat").inner_text()
    assert cards.first.locator(".tb-reason").count() >= 1 and cards.first.locator(".tb-genres").count() == 1
    panel.get_by_text("Horror", exact=False).wait_for()
    assert "Alien (1979)" in panel.inner_text() and "Disliked" not in panel.inner_text()

    title = cards.last.locator(".tb-title").inner_text()  # e.g. "Finding Nemo (2003)"
    page.get_by_role("button", name="Dislike", exact=True).last.click()  # the last message is the last card
    panel.get_by_text("👎 Disliked").wait_for(timeout=15_000)
    panel.get_by_role("button", name=f"✕ {title}").wait_for()
    assert "Noted: you don't like" in page.locator("#tb-status").inner_text()
    page.screenshot(path=str(tmp_path / "after_dislike.png"), full_page=True)

    panel.get_by_role("button", name="✕ Horror").click()  # one-click removal
    panel.get_by_role("button", name="✕ Horror").wait_for(state="detached", timeout=15_000)
    assert "Genres you avoid" not in panel.inner_text()

    page.reload()  # the same visitor and conversation come back from browser storage
    page.locator("#tb-chat .tb-card").first.wait_for(timeout=30_000)
    panel.get_by_role("button", name=f"✕ {title}").wait_for()
    page.screenshot(path=str(tmp_path / "after_reload.png"), full_page=True)
    shutil.copy(tmp_path / "after_dislike.png", SHOT)
    assert not errors, errors


def test_two_visitors_do_not_share(browser, url):
    first, second = browser.new_context(), browser.new_context()
    try:
        a, b = first.new_page(), second.new_page()
        for page in (a, b):
            page.goto(url)
            page.wait_for_selector("#tb-input textarea")
        a.fill("#tb-input textarea", "I loved Heat")
        a.click("#tb-send")
        a.locator("#tb-profile").get_by_role("button", name="✕ Heat (1995)").wait_for(timeout=60_000)
        b.reload()
        b.get_by_text("Nothing yet").wait_for()
        assert "Heat" not in b.locator("#tb-profile").inner_text() and b.locator("#tb-chat .tb-card").count() == 0
    finally:
        first.close()
        second.close()
