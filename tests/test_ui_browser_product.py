"""The chat page as a product, in a real headless Chromium (Debian's, driven by Playwright) on the
offline default: one answer, readable steps, first text within 300 ms, examples that send, the
phone layout, axe-core accessibility (light and dark), local fonts, thumbs kept across a reload.

axe-core comes from the project's ``package.json`` (``npm ci``), as the README's test command does.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tastebud.agent import Assistant
from tastebud.ui.review import CHROMIUM_ARGS, DESKTOP, PHONE, blocking, find_axe, find_chromium, launch_page, run_axe

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: Time from Send to the first assistant text, and the answer's own text, per turn.
FIRST_TEXT = """() => {
  window.__first = null; window.__reply = null; window.__t = null;
  const chat = document.querySelector('#tb-chat');
  new MutationObserver(() => {
    if (window.__t === null) return;
    const now = performance.now() - window.__t;
    const rows = [...chat.querySelectorAll('.bot-row')].slice(window.__before);
    if (window.__first === null && rows.some(r => r.innerText.trim())) window.__first = now;
    if (window.__reply === null && rows.some(r => !r.querySelector('.thought-group') && r.innerText.trim()))
      window.__reply = now;
  }).observe(chat, {subtree: true, childList: true, characterData: true});
  window.__stop = false;  // Send turned into Stop, however short the turn (a poll can miss it)
  new MutationObserver(() => {
    const stop = document.querySelector('#tb-stop');
    if (window.__t !== null && stop && stop.offsetParent !== null) window.__stop = true;
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    if not os.path.exists(chromium):
        pytest.skip(f"no Chromium at {chromium}: apt-get install -y chromium fonts-noto-color-emoji")
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def url(real_services):
    assistant = Assistant(real_services, checkpointer="memory")
    assistant.turn("I loved Toy Story", user_id="product-warmup", thread_id="w")  # fit models once
    demo, address = launch_page(assistant)
    yield address
    demo.close()


def send(page, text: str) -> None:
    before = page.locator("#tb-chat .user-row").count()
    page.fill("#tb-input textarea", text)
    page.press("#tb-input textarea", "Enter")
    page.locator("#tb-chat .user-row").nth(before).wait_for(timeout=60_000)
    page.locator("#tb-send").wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(300)


def test_one_answer_readable_steps_and_first_text_fast(browser, url):
    page = browser.new_page(viewport=DESKTOP)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not re.match(r"https?://127\.0\.0\.1[:/]", r.url)
            and not r.url.startswith(("data:", "blob:")) else None)
    page.goto(url)
    page.wait_for_selector("#tb-input textarea")
    page.evaluate(FIRST_TEXT)
    firsts, replies = [], []
    for text in ("I loved Alien and Toy Story. Recommend something, but no horror", "something funnier",
                 "something like The Matrix"):
        page.evaluate("window.__first = null; window.__reply = null; window.__stop = false; "
                      "window.__before = document.querySelectorAll('#tb-chat .bot-row').length")
        page.fill("#tb-input textarea", text)
        page.evaluate("window.__t = performance.now()")
        page.click("#tb-send")
        page.wait_for_function("window.__stop", timeout=10_000)  # Send turned into Stop
        page.locator("#tb-send").wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(300)
        firsts.append(page.evaluate("window.__first"))
        replies.append(page.evaluate("window.__reply"))
    print(f"first assistant text after Send (ms): {firsts}; the answer's own text: {replies}")
    assert statistics.median(firsts) <= 300, firsts

    rows = page.locator("#tb-chat .bot-row")
    answer = page.locator("#tb-chat").inner_text()
    last_turn = answer.rsplit("something like The Matrix", 1)[1]
    titles = [t.inner_text() for t in page.locator("#tb-chat .tb-card .tb-title").all()[-5:]]
    assert len(titles) == 5
    for title in titles:  # each pick once, in its card
        assert last_turn.count(title) <= 2, (title, last_turn)
    for toggle in page.locator("#tb-chat .thought-group [role=button]").all():  # open every step
        toggle.click()
    steps = " ".join(t.inner_text() for t in page.locator("#tb-chat .thought-group").all())
    assert "Searched 9,742 films" in steps and "Saved 👍 Alien" in steps
    assert "{'" not in steps and "[{" not in steps and "update_profile" not in steps
    visible = [b for b in rows.locator("button[aria-label='Like']").all() if b.is_visible()]
    assert len(visible) == page.locator("#tb-chat .tb-card").count() == 15  # 👍/👎 only under cards
    font = page.evaluate("getComputedStyle(document.querySelector('#tb-chat .tb-card')).fontFamily")
    assert font.startswith("system-ui") and not outside, (font, outside)
    page.close()


def test_enter_twice_sends_once_and_examples_send(browser, url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url)
    page.wait_for_selector("#tb-input textarea")
    page.get_by_role("button", name=re.compile("Movies like Heat")).click()  # an example prompt sends itself
    page.locator("#tb-chat .tb-card").first.wait_for(timeout=60_000)
    assert "Movies like Heat" in page.locator("#tb-chat .user-row").first.inner_text()
    page.fill("#tb-input textarea", "something older")
    page.press("#tb-input textarea", "Enter")
    page.press("#tb-input textarea", "Enter")
    page.locator("#tb-send").wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator("#tb-chat .user-row").count() == 2
    page.close()


def test_did_you_mean_buttons_and_thumbs_survive_a_reload(browser, url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#tb-input textarea")
    send(page, "I loved Harry Potter and the Goblet of Marmalade")
    page.locator("#tb-chat button", has_text="Yes, Harry Potter and the Goblet of Fire (2005)").click()
    page.locator("#tb-profile").get_by_role("button", name="✕ Harry Potter and the Goblet of Fire (2005)").wait_for(
        timeout=60_000)
    page.locator("#tb-chat .tb-card").first.wait_for(timeout=60_000)
    page.locator("#tb-send").wait_for(state="visible", timeout=60_000)
    card = page.locator("#tb-chat .message-row:has(.tb-card)").first
    title = card.locator(".tb-title").inner_text()
    card.get_by_role("button", name="Like", exact=True).click()
    page.locator("#tb-profile").get_by_role("button", name=f"✕ {title}").wait_for(timeout=15_000)
    selected = "(row) => row.querySelector('.message-buttons').innerHTML"
    liked_icon = card.evaluate(selected)
    page.reload()
    page.locator("#tb-chat .tb-card").first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    again = page.locator("#tb-chat .message-row:has(.tb-card)").first
    assert again.locator(".tb-title").inner_text() == title
    assert again.evaluate(selected) == liked_icon  # the 👍 is still shown as given
    other = page.locator("#tb-chat .message-row:has(.tb-card)").nth(1).evaluate(selected)
    assert other != liked_icon
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_violations(browser, url, theme):
    axe_js = find_axe()
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url + ("?__theme=dark" if theme == "dark" else ""))
    page.wait_for_selector("#tb-input textarea")
    page.wait_for_timeout(500)
    assert blocking(run_axe(page, axe_js)) == []
    send(page, "I loved Alien and Toy Story. Recommend something, but no horror")
    send(page, "why the second one?")
    result = run_axe(page, axe_js)
    assert blocking(result) == [], blocking(result)
    contrast = [v for v in result["violations"] if v["id"] == "color-contrast"]
    assert contrast == []
    page.close()


def test_phone_input_on_screen_profile_one_tap_away(browser, url):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#tb-input textarea")
    page.wait_for_timeout(500)
    box = page.locator("#tb-input textarea").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert "on the right" not in page.locator("body").inner_text()
    send(page, "I loved Heat")
    card = page.locator("#tb-chat .tb-card").first.bounding_box()
    assert card["width"] >= 0.8 * PHONE["width"], card
    page.get_by_role("link", name=re.compile("What I know about you")).tap()
    page.wait_for_timeout(500)
    panel = page.locator("#tb-profile").get_by_role("button", name="✕ Heat (1995)").bounding_box()
    assert 0 <= panel["y"] <= PHONE["height"], panel
    context.close()


def test_review_command_writes_screenshots_and_report(url, tmp_path):
    if not os.path.exists(find_chromium()):
        pytest.skip("no Chromium")
    from tastebud.ui.review import review_page

    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:  # its own Playwright, outside this module's browser
        report = pool.submit(review_page, url, tmp_path, chromium=find_chromium(), axe_js=find_axe(),
                             script=("I loved Alien, no horror",)).result()
    assert (tmp_path / "report.md").exists() and (tmp_path / "axe.json").exists()
    assert {"desktop-1-welcome.png", "phone-1-welcome.png", "phone-3-profile.png"} <= set(report["screenshots"])
    assert all((tmp_path / s).stat().st_size > 1000 for s in report["screenshots"])
    assert report["blocking"] == 0, report["axe"]
    print(f"review took {time.monotonic() - started:.1f} s")
