"""The Gradio chat page: layout and wiring. ``serve`` starts it; nothing runs at import.

Behaviour lives in :mod:`tastebud.ui.chat` (events), :mod:`tastebud.ui.cards` (messages),
:mod:`tastebud.ui.profile_panel` (profile edits) and :mod:`tastebud.ui.session` (visitor ids).

Public API: one named endpoint, ``/chat`` — ``(message, user_id, thread_id) -> dict`` with the
fields of ``tastebud chat --json``. API callers choose their own ids (blank ones are minted and
returned); the page's own events are private.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any

import gradio as gr

from tastebud.domain import FILM_DOMAIN

from .chat import ChatController, empty_conversation
from .profile_panel import SECTIONS, panel_entries
from .session import STORAGE_KEY, browser_secret
from .style import CSS, launch_options

__all__ = ["CSS", "EXAMPLES", "build_demo", "launch_options", "page_examples", "serve"]

EXAMPLES = [
    "I loved The Matrix and Alien — what should I watch next?",
    "Something funny and animated for a family evening, nothing before 1990",
    "A slow, thoughtful sci-fi film, but no horror",
    "Movies like Heat",
]

_PLACEHOLDER = ("**{domain.icon} Hi! I'm tastebud.** Tell me {domain.a_noun} you loved (or hated), a genre or a "
                "mood, and I'll recommend {domain.plural} — and say why. Rate my picks with 👍/👎; what I learn "
                "shows under “What I know about you”, where you can change it. Or try one of these:")
_PRIVATE = {"api_visibility": "private"}


def page_examples(catalog: Any) -> list[str]:
    """Example messages for the page: :data:`EXAMPLES` for film catalogs, else built from the
    catalog's own most popular titles and genres in its domain's words."""
    domain = getattr(catalog, "domain", None)
    if domain is None or domain.name == FILM_DOMAIN:
        return list(EXAMPLES)
    top = sorted(catalog.items, key=lambda item: -item.popularity)[:2]
    genres = sorted({g for item in catalog.items for g in item.genres},
                    key=lambda g: -sum(g in item.genres for item in catalog.items))[:2]
    out = [f"I loved {top[0].title} — what should I {domain.verb} next?"] if top else []
    if genres:
        out.append(f"Something {genres[0].lower()}, but no {genres[-1].lower()}" if len(genres) > 1
                   else f"Something {genres[0].lower()}")
    if len(top) > 1:
        out.append(f"{domain.words()['Plural']} like {top[1].title}")
    return out or [f"Recommend {domain.a_noun}"]


def _profile_panel(controller: ChatController, profile: gr.State, session: gr.BrowserState,
                   status: gr.Markdown) -> None:
    """The live profile: one removable button per belief, re-rendered whenever ``profile`` changes."""

    @gr.render(inputs=[profile])
    def _panel(value: dict) -> None:
        entries = panel_entries(value)
        if not entries:
            gr.Markdown(f"_Nothing yet. Tell me {controller.domain.plural} you like or dislike, genres or years, "
                        "and they will appear here._", elem_classes=["tb-empty"])
            return
        gr.Markdown("Click an entry to remove it; my next answer respects it.", elem_classes=["tb-hint"])
        for key, heading in SECTIONS:
            group = [e for e in entries if e.section == key]
            if not group:
                continue
            if key == "seen":  # "Seen" for films, "Read" for books …
                heading = f"👁️ {controller.domain.past[:1].upper()}{controller.domain.past[1:]}"
            gr.Markdown(f"**{heading}**")
            for entry in group:
                button = gr.Button(f"✕ {entry.label}", size="sm", variant="secondary", key=f"rm:{key}:{entry.target}",
                                   elem_classes=["tb-remove"])
                button.click(partial(controller.remove, entry), [session], [profile, status], **_PRIVATE)


def _concurrency(assistant: Any) -> int:
    """Turns run at the same time: ``Settings.page_concurrency`` when set, else by what a turn does.

    Turn handlers are async (the assistant's ``astream``), so waiting on an LLM holds no worker
    thread: 16 turns may wait at once. The offline default's turns are CPU work only (tens of
    milliseconds, one interpreter lock): running more of them than there are cores only shares the
    CPU, so every turn takes as long as the slowest; queued first come first served they finish
    sooner (20 visitors on 2 cores: p95 0.79-0.86 s at 2 turns at once, 0.97-1.04 s at 16).
    """
    settings = getattr(assistant, "settings", None)
    explicit = getattr(settings, "page_concurrency", None)
    if explicit:
        return int(explicit)
    if getattr(assistant, "offline_default", False):
        return max(2, os.cpu_count() or 2)
    return 16


def build_demo(assistant: Any, *, secret: str | None = None, title: str = "tastebud") -> gr.Blocks:
    """Build (not launch) the chat page over ``assistant``.

    Args:
        assistant: A :class:`~tastebud.agent.Assistant`.
        secret: Key that encrypts the visitor's ids in their browser storage; keep it stable
            across restarts (``serve`` stores one under ``$TASTEBUD_HOME``) or visitors lose
            their profile on each restart. ``None``: a random key.
        title: Browser tab title.

    Returns:
        The page; launch it with ``demo.launch(**launch_options(), ...)`` (its CSS, script and theme).
    """
    # Gradio recomputes its monitoring summary (a pandas table of up to 10,000 past events) after
    # every event, for a dashboard this page does not enable: ≈4 ms an event at first, ≈18 ms once
    # a long-running page has served 10,000. Its own setting skips that; an operator may override it.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(10**9))
    controller = ChatController(assistant)
    domain = controller.domain
    try:
        examples = page_examples(assistant.services.catalog(assistant.catalog))
    except Exception:  # noqa: BLE001 - a stand-in assistant without a catalog
        examples = list(EXAMPLES)
    hint = "e.g. I loved Alien — something like it, but not horror" if domain.name == FILM_DOMAIN else \
        f"e.g. {examples[0]}"
    with gr.Blocks(title=title, fill_width=True, analytics_enabled=False) as demo:
        session = gr.BrowserState({"user_id": "", "thread_id": ""}, storage_key=STORAGE_KEY, secret=secret)
        conv = gr.State(empty_conversation())
        profile = gr.State({})
        gr.Markdown(f"# {domain.icon} tastebud <span class=\"tb-tagline\">— {domain.title}, with reasons</span>",
                    elem_id="tb-header")
        gr.HTML('<a class="tb-nav" href="#tb-profile">👤 What I know about you ↓</a>', padding=False,
                elem_classes=["tb-nav-block"])
        status = gr.Markdown(controller.status(), elem_id="tb-status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Conversation", height=600, group_consecutive_messages=False,
                                     latex_delimiters=[], placeholder=domain.fill(_PLACEHOLDER), elem_id="tb-chat",
                                     buttons=["copy"], autoscroll=False, layout="panel",
                                     examples=[{"text": e} for e in examples])
                with gr.Row(elem_id="tb-input-row"):
                    message = gr.Textbox(show_label=False, placeholder=hint, scale=5, autofocus=True,
                                         elem_id="tb-input", submit_btn=False, max_lines=4)
                    send = gr.Button("Send", variant="primary", scale=1, min_width=70, elem_id="tb-send")
                    stop = gr.Button("Stop", variant="stop", scale=1, min_width=70, elem_id="tb-stop", visible=False)
            with gr.Column(scale=2, elem_id="tb-profile"):
                gr.Markdown("## What I know about you")
                _profile_panel(controller, profile, session, status)
                with gr.Row():
                    undo = gr.Button("↶ Undo last change", size="sm")
                    new = gr.Button("🆕 New conversation", size="sm")
                    forget = gr.Button("🗑️ Forget me", size="sm", variant="stop")
                with gr.Group(visible=False) as confirm:
                    gr.Markdown("**Delete your profile and all your conversations?** This cannot be undone.")
                    with gr.Row():
                        yes = gr.Button("Yes, forget me", variant="stop", size="sm")
                        no = gr.Button("Cancel", size="sm")
                gr.HTML('<a class="tb-nav" href="#tb-input">↑ Back to the conversation</a>', padding=False,
                        elem_classes=["tb-nav-block"])

        turn_outputs = [chatbot, conv, profile, status, message, send, stop]
        at_once = _concurrency(assistant)
        turn = {"concurrency_limit": at_once, "concurrency_id": "turn", "show_progress": "hidden",
                "trigger_mode": "once", **_PRIVATE}
        runs = [gr.on([message.submit, send.click], controller.apage_turn, [message, conv, session, profile],
                      turn_outputs, **turn),
                chatbot.example_select(controller.apage_example, [conv, session, profile], turn_outputs, **turn),
                chatbot.option_select(controller.apage_option, [conv, session, profile], turn_outputs, **turn)]
        stop.click(controller.stopped, None, [send, stop, status], cancels=runs, **_PRIVATE)
        chatbot.like(controller.feedback, [conv, session], [profile, status], **_PRIVATE)
        undo.click(controller.undo, [session], [profile, status], **_PRIVATE)
        for trigger in (new.click, chatbot.clear):  # the chatbot's 🗑 also starts a new conversation
            trigger(controller.new_conversation, [session], [session, chatbot, conv, profile, status], **_PRIVATE)
        forget.click(lambda: gr.Group(visible=True), None, confirm, **_PRIVATE)
        no.click(lambda: gr.Group(visible=False), None, confirm, **_PRIVATE)
        yes.click(controller.forget, [session], [session, chatbot, conv, profile, status], **_PRIVATE).then(
            lambda: gr.Group(visible=False), None, confirm, **_PRIVATE)
        demo.load(controller.page_load, [session], [session, chatbot, conv, profile, status], show_progress="hidden",
                  **_PRIVATE)

        async def chat(message: str, user_id: str = "", thread_id: str = "") -> dict:
            """One conversation turn; returns the fields of ``tastebud chat --json``.

            Args:
                message: What the user says.
                user_id: Whose profile to read and update. Pass the same id on every turn; blank
                    mints a new ``api-…`` id, returned as ``user_id``.
                thread_id: Conversation id; reuse it to continue, blank starts a new one
                    (returned as ``thread_id``).
            """
            return await controller.aapi_chat(message, user_id, thread_id)

        gr.api(chat, api_name="chat", concurrency_limit=at_once, concurrency_id="turn")
    return demo


def serve(services: Any, host: str = "127.0.0.1", port: int = 7860, *, share: bool = False,
          auth: tuple[str, str] | None = None) -> None:
    """Build the page on ``Assistant(services)`` and serve it until interrupted.

    Args:
        services: :class:`~tastebud.services.Services`; conversations persist in PostgreSQL
            (``database_url``) or SQLite under ``services.settings.home``.
        host: Interface to bind; ``127.0.0.1`` keeps the page private to this machine.
        port: Port.
        share: Ask Gradio for a public share link.
        auth: ``(user, password)`` the page asks for, or ``None``.
    """
    from tastebud.agent import Assistant

    services.store()  # ingest the shipped catalog before the first visitor arrives
    services.recommender()
    services.linker()
    secret = services.settings.browser_secret or browser_secret(services.settings.home)  # one key for all replicas
    demo = build_demo(Assistant(services), secret=secret)
    demo.launch(server_name=host, server_port=port, share=share, auth=auth, show_error=False, **launch_options())
