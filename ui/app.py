"""Gradio page over tastebud's services.

Until the chat agent lands this page offers the catalog search; ``serve`` is the entry
point ``tastebud ui`` calls and will keep its signature.
"""

from __future__ import annotations

import html

import gradio as gr

from tastebud.errors import TastebudError
from tastebud.retrieval import SearchFilters
from tastebud.services import Services

__all__ = ["build_demo", "serve"]


def _render(hits) -> str:
    if not hits:
        return "<p>No items match.</p>"
    rows = "".join(
        f"<li><b>{html.escape(h.item.label)}</b> — {html.escape(', '.join(h.item.genres))}"
        f"<br><small>{html.escape(h.item.overview[:240])}</small></li>" for h in hits)
    return f"<ol>{rows}</ol>"


def build_demo(services: Services) -> gr.Blocks:
    """Build (not launch) the page."""
    catalog = services.catalog()

    def run(query: str, genres: list[str], exclude: list[str], year_from: float | None, year_to: float | None):
        try:
            hits = services.search(query, k=10, filters=SearchFilters(
                genres or [], exclude or [], int(year_from) if year_from else None, int(year_to) if year_to else None))
        except TastebudError as exc:
            return f"<p>{html.escape(str(exc))}</p>"
        return _render(hits)

    with gr.Blocks(title="tastebud") as demo:
        gr.Markdown("# tastebud\nDescribe what you feel like watching.")
        query = gr.Textbox(label="What are you in the mood for?", placeholder="a space adventure with aliens")
        with gr.Row():
            genres = gr.Dropdown(catalog.genres(), multiselect=True, label="Genres")
            exclude = gr.Dropdown(catalog.genres(), multiselect=True, label="Not these genres")
            year_from = gr.Number(label="From year", precision=0)
            year_to = gr.Number(label="To year", precision=0)
        out = gr.HTML()
        query.submit(run, [query, genres, exclude, year_from, year_to], out, api_name="search")
    return demo


def serve(services: Services, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Build the page and serve it until interrupted."""
    services.store()  # ingest the shipped catalog before the first visitor arrives
    build_demo(services).launch(server_name=host, server_port=port)
