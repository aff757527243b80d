"""How the page looks and behaves in the browser: CSS, the page script, the theme.

* **Contrast**: card text uses fixed colours with at least 4.5 : 1 against the message
  background in the light and the dark theme (checked in the browser with axe-core).
* **Feedback** buttons (👍/👎) show only under recommendation cards.
* **Phone** (≤ 640 px): a one-line header, a chat that leaves the input on screen, cards
  across the whole width, and a "Your profile" link one tap away.
* **Fonts**: the system's own fonts; nothing is fetched from another host.
* **Script**: a new answer scrolls to its start (the question that opened it); Gradio's step
  toggles get no second, nameless focus stop inside their labelled toggle, and its example
  prompts are a labelled group (not a list without items).
"""

from __future__ import annotations

from typing import Any

__all__ = ["CSS", "HEAD", "JS", "launch_options", "theme"]

SYSTEM_FONTS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans",
                "Liberation Sans", "sans-serif", "Apple Color Emoji", "Noto Color Emoji")
SYSTEM_MONO = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace")

CSS = """
.tb-card { padding: 2px 4px; }
.tb-title { font-size: 1.05em; }
/* quieter than the text, yet ≥ 4.5 : 1 in both themes: a mix of the theme's own text and background */
.tb-year, .tb-genres, .tb-overview {
  color: color-mix(in srgb, var(--body-text-color) 72%, var(--background-fill-primary));
}
#tb-chat .prose:has(.tb-card) { opacity: 1; }
footer a, footer button, footer .show-api, footer .built-with {
  color: color-mix(in srgb, var(--body-text-color) 72%, var(--background-fill-primary)) !important;
}
.tb-genres { font-size: 0.85em; margin: 2px 0 6px; }
.tb-reasons { margin: 0 0 4px 0 !important; padding-left: 0 !important; list-style: none; }
.tb-reason { margin: 1px 0; font-size: 0.92em; }
.tb-overview { font-size: 0.85em; }
.tb-step { margin: 0; font-size: 0.9em; }
#tb-status { font-size: 0.9em; }
#tb-header h1 { margin: 0; font-size: 1.6em; }
.tb-tagline { font-weight: normal; font-size: 0.6em; }
.tb-remove { justify-content: flex-start !important; text-align: left; }
.tb-nav-block { display: none !important; }
/* 👍/👎 only under recommendation cards: elsewhere they would rate nothing */
#tb-chat .message-row:not(:has(.tb-card)) :is(button[aria-label="Like"], button[aria-label="Dislike"]),
#tb-chat .message-row:not(:has(.tb-card)) + .message-buttons :is(button[aria-label="Like"], button[aria-label="Dislike"]) {
  display: none;
}
@media (max-width: 640px) {
  .tb-tagline { display: none; }
  #tb-header h1 { font-size: 1.25em; }
  .tb-nav-block { display: block !important; }
  .tb-nav { display: inline-block; margin: 0; }
  #tb-status { font-size: 0.8em; }
  #tb-chat { height: calc(100dvh - 270px) !important; min-height: 240px; }
  #tb-chat .message-row { padding-left: 4px !important; padding-right: 4px !important; }
}
"""

#: Rules for Gradio's own frame, outside the part ``css`` reaches (Gradio scopes that to the app's content).
HEAD = """<style>
@media (max-width: 640px) {
  .gradio-container .main.app { padding: 8px 8px 0 8px !important; }
}
</style>"""

JS = """
() => {
  const chat = () => document.querySelector('#tb-chat [role="log"]');
  let users = -1;
  const followReader = () => {
    const log = chat();
    if (!log) return;
    const rows = log.querySelectorAll('.user-row');
    if (rows.length === users) return;
    const first = users === -1;
    users = rows.length;
    const last = rows[rows.length - 1];
    if (!last) return;
    // a new question (or a restored conversation): show the newest answer from its start
    const top = last.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
    log.scrollTo({top: Math.max(0, top - 8), behavior: first ? 'auto' : 'smooth'});
  };
  const fixA11y = () => {
    // Gradio's example prompts are buttons in a "list" without list items: a labelled group instead
    document.querySelectorAll('#tb-chat .examples[role="list"]').forEach((g) => {
      g.setAttribute('role', 'group'); g.setAttribute('aria-label', 'Example requests');
    });
    document.querySelectorAll('#tb-chat [role="button"] button').forEach((b) => {
      if (!b.inert) { b.inert = true; b.setAttribute('tabindex', '-1'); }
    });
  };
  new MutationObserver(() => { fixA11y(); followReader(); })
    .observe(document.body, {subtree: true, childList: true});
}
"""


def theme() -> Any:
    """Gradio's default theme on the system's fonts (no web font to fetch)."""
    import gradio as gr

    return gr.themes.Default(font=list(SYSTEM_FONTS), font_mono=list(SYSTEM_MONO)).set(
        # white on these is ≥ 4.5 : 1 (the defaults, orange-500 and red-500, are about 3.6 : 1)
        button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_dark="*primary_700", button_primary_background_fill_hover_dark="*primary_800",
        button_cancel_background_fill="#b91c1c", button_cancel_background_fill_hover="#991b1b",
        button_cancel_background_fill_dark="#b91c1c", button_cancel_background_fill_hover_dark="#991b1b")


def launch_options() -> dict[str, Any]:
    """What ``demo.launch(...)`` needs for the page to look and behave as designed."""
    return {"css": CSS, "js": JS, "head": HEAD, "theme": theme()}
