"""The page as a reviewer sees it: ``tastebud eval page --out DIR``.

Starts the chat page on a free loopback port, drives it in headless Chromium (Playwright with
the system's Chromium, never a downloaded browser) through a short scripted conversation, and
writes desktop and phone screenshots plus an axe-core accessibility report (``axe.json``,
``report.md``). The helpers (:func:`find_chromium`, :func:`find_axe`, :func:`run_axe`,
:func:`launch_page`) are shared with the real-browser tests.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tastebud.cli_options import HomeOpt

__all__ = ["DESKTOP", "PHONE", "SCRIPT", "blocking", "close_page", "find_axe", "find_chromium", "launch_page",
           "register", "review_page", "run_axe"]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
#: The scripted conversation: what a new visitor might say, in order.
SCRIPT = ("I loved Alien and Toy Story. Recommend something, but no horror",
          "why the second one?",
          "I loved Harry Potter and the Goblet of Marmalade")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
_BLOCKING = ("serious", "critical")


def find_chromium(settings: Any = None) -> str:
    """The Chromium to drive: ``settings.chromium``, else ``chromium`` on the PATH, else Debian's."""
    configured = getattr(settings, "chromium", None)
    return str(configured or shutil.which("chromium") or "/usr/bin/chromium")


def find_axe(settings: Any = None) -> Path:
    """axe-core's ``axe.min.js``: ``settings.axe_js``, else the project's ``node_modules``.

    Raises:
        ConfigError: Neither exists (run ``npm ci`` in the project folder, or set ``TASTEBUD_AXE_JS``).
    """
    from tastebud.errors import ConfigError

    configured = getattr(settings, "axe_js", None)
    candidates = [Path(configured)] if configured else []
    root = Path(__file__).resolve().parent.parent  # the project folder of an editable install
    candidates += [root / "node_modules" / "axe-core" / "axe.min.js", Path.cwd() / "node_modules" / "axe-core" / "axe.min.js"]
    for path in candidates:
        if path.is_file():
            return path
    raise ConfigError("axe-core is not installed: run `npm ci` in the tastebud folder (package.json), "
                      "or set TASTEBUD_AXE_JS to an axe.min.js")


def run_axe(page: Any, axe_js: Path, rules: list[str] | None = None) -> dict:
    """Run axe-core on the page as it is now.

    Args:
        page: A Playwright page.
        axe_js: Path of ``axe.min.js``.
        rules: Only these rule ids (e.g. ``["color-contrast"]``); ``None``: every rule.

    Returns:
        axe's result (``violations``, ``passes`` …).
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    options = {"runOnly": rules} if rules else {}
    return page.evaluate("(options) => axe.run(document, options)", options)


def blocking(result: dict) -> list[dict]:
    """The serious and critical violations of an axe result (``{id, impact, help, nodes}``)."""
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"]),
             "targets": [n["target"] for n in v["nodes"][:5]]}
            for v in result.get("violations", []) if v.get("impact") in _BLOCKING]


def launch_page(assistant: Any) -> tuple[Any, str]:
    """Launch the page over ``assistant`` on a free loopback port. Returns ``(demo, url)``; ``demo.close()`` stops it."""
    from .app import build_demo
    from .style import launch_options

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    demo = build_demo(assistant)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **launch_options())
    return demo, f"http://127.0.0.1:{port}/"


def close_page(demo: Any) -> None:
    """Stop a page started by :func:`launch_page` (or ``demo.launch``); Gradio's "Closing server…"
    line goes to stderr, so a command's ``--json`` output stays only JSON."""
    with contextlib.redirect_stdout(sys.stderr):
        demo.close()


def _send(page: Any, text: str, timeout: float = 60_000) -> None:
    """Type ``text``, send it and wait until the answer is complete (Send is back)."""
    before = page.locator("#tb-chat .user-row").count()
    page.fill("#tb-input textarea", text)
    page.press("#tb-input textarea", "Enter")
    page.locator("#tb-chat .user-row").nth(before).wait_for(timeout=timeout)
    page.locator("#tb-send").wait_for(state="visible", timeout=timeout)
    page.wait_for_timeout(300)


def _audit(page: Any, axe_js: Path, name: str, runs: dict) -> None:
    result = run_axe(page, axe_js)
    runs[name] = {"violations": [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
                                 for v in result["violations"]],
                  "blocking": blocking(result), "passes": len(result.get("passes", []))}


def review_page(url: str, out: Path, *, chromium: str, axe_js: Path, script: tuple[str, ...] = SCRIPT) -> dict:
    """Drive the page at ``url`` through ``script``; write screenshots and the accessibility report.

    Args:
        url: The running page.
        out: Output folder (created).
        chromium: Chromium executable.
        axe_js: axe-core's ``axe.min.js``.
        script: User messages, sent in order.

    Returns:
        ``{"screenshots": [...], "axe": {run: {...}}, "blocking": n}``, also written to ``axe.json``.
    """
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots: list[str] = []
    runs: dict[str, dict] = {}

    def shot(page: Any, name: str, full: bool = False) -> None:
        page.screenshot(path=str(out / f"{name}.png"), full_page=full)
        shots.append(f"{name}.png")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            desk = browser.new_context(viewport=DESKTOP).new_page()
            desk.goto(url)
            desk.wait_for_selector("#tb-input textarea")
            desk.wait_for_timeout(500)
            shot(desk, "desktop-1-welcome")
            _audit(desk, axe_js, "desktop-welcome", runs)
            for n, text in enumerate(script, 2):
                _send(desk, text)
                shot(desk, f"desktop-{n}-answer")
            _audit(desk, axe_js, "desktop-conversation", runs)
            desk.goto(url + "?__theme=dark")
            desk.locator("#tb-chat .tb-card").first.wait_for(timeout=30_000)
            desk.wait_for_timeout(500)
            shot(desk, f"desktop-{len(script) + 2}-dark")
            _audit(desk, axe_js, "desktop-dark", runs)

            phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            phone.goto(url)
            phone.wait_for_selector("#tb-input textarea")
            phone.wait_for_timeout(500)
            shot(phone, "phone-1-welcome")
            _send(phone, script[0])
            shot(phone, "phone-2-answer")
            _audit(phone, axe_js, "phone-conversation", runs)
            phone.get_by_role("link", name="What I know about you").click()
            phone.wait_for_timeout(400)
            shot(phone, "phone-3-profile")
        finally:
            browser.close()
    report = {"url": url, "screenshots": shots, "axe": runs,
              "blocking": sum(len(r["blocking"]) for r in runs.values())}
    (out / "axe.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "report.md").write_text(_markdown(report), encoding="utf-8")
    return report


def _markdown(report: dict) -> str:
    lines = ["# tastebud page review", "", f"Page: {report['url']}", "",
             f"Serious or critical accessibility violations (axe-core): **{report['blocking']}**", "",
             "| run | violations (impact) | rules passed |", "|---|---|---:|"]
    for name, run in report["axe"].items():
        found = ", ".join(f"{v['id']} ({v['impact']}, {v['nodes']})" for v in run["violations"]) or "none"
        lines.append(f"| {name} | {found} | {run['passes']} |")
    lines += ["", "## Screenshots", ""] + [f"![{s}]({s})" for s in report["screenshots"]]
    return "\n".join(lines) + "\n"


def register(app: Any, eval_app: Any) -> None:
    """Add ``tastebud eval page`` to the CLI."""

    @eval_app.command("page")
    def page(
        out: Annotated[Path | None, typer.Option("--out", help="Folder for the screenshots and the report "
                                                 "(default: $TASTEBUD_HOME/reports/page/<time>).")] = None,
        home: HomeOpt = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ) -> None:
        """Screenshots of the chat page (desktop and phone) and its axe-core accessibility report."""
        from tastebud.agent import Assistant
        from tastebud.errors import ConfigError
        from tastebud.evals.reports import default_out_dir
        from tastebud.services import Services
        from tastebud.settings import Settings

        settings = Settings(**({"home": home} if home is not None else {}), backend="offline")
        chromium, axe_js = find_chromium(settings), find_axe(settings)
        if not Path(chromium).exists():
            raise ConfigError(f"no Chromium at {chromium}: apt-get install -y chromium (or set TASTEBUD_CHROMIUM)")
        services = Services(settings)
        services.store()
        folder = Path(out or default_out_dir("page", settings.home))
        demo, url = launch_page(Assistant(services, checkpointer="memory"))
        try:
            report = review_page(url, folder, chromium=chromium, axe_js=axe_js)
        finally:
            close_page(demo)
        if as_json:
            typer.echo(json.dumps(report, indent=2))
            return
        typer.echo(f"{len(report['screenshots'])} screenshots, {report['blocking']} serious/critical "
                   f"accessibility violations; report: {folder / 'report.md'}")
