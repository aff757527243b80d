"""An async web endpoint that streams tastebud's answer (FastAPI comes with Gradio).

``POST /chat`` with ``{"message": ..., "thread_id": ...}`` answers with newline-delimited JSON
events as the turn runs: ``{"type": "step", ...}`` for each tool step, ``{"type": "token",
"text": ...}`` for the answer's pieces, and last ``{"type": "result", ...}`` (the turn's
``TurnResult``: reply, recommendations with reasons, profile). The person comes from your
app's authentication — here the ``X-User`` header stands in for it — never from the body.

Run: ``uvicorn --factory examples.fastapi_app:create_app`` (offline default, or an LLM from ``TASTEBUD_*``),
then ``curl -N -H 'X-User: alice' -d '{"message": "I loved Heat"}' -H 'Content-Type:
application/json' localhost:8000/chat``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import FastAPI, Header
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from tastebud.agent import Assistant
from tastebud.services import Services

__all__ = ["ChatRequest", "create_app"]


class ChatRequest(BaseModel):
    message: str = Field(description="What the person wrote.")
    thread_id: str = Field(default="default", description="Conversation id; reuse it to continue.")


def _event(kind: str, payload: Any) -> str:
    if kind == "token":
        data = {"type": "token", "text": payload}
    elif kind == "result":
        data = {"type": "result", **payload.to_dict()}
    else:
        data = {"type": kind, **payload}
    return json.dumps(data, ensure_ascii=False) + "\n"


def create_app(assistant: Assistant | None = None) -> FastAPI:
    """The web app around one shared :class:`~tastebud.agent.Assistant` (built from the
    environment when omitted: settings from ``TASTEBUD_*``, SQLite conversations)."""
    api = FastAPI(title="tastebud example")
    api.state.assistant = assistant

    def shared() -> Assistant:
        if api.state.assistant is None:  # built on the first request, not at import
            api.state.assistant = Assistant(Services())
        return api.state.assistant

    @api.post("/chat")
    async def chat(request: ChatRequest, x_user: Annotated[str, Header()]) -> StreamingResponse:
        async def body() -> AsyncIterator[str]:
            # Assistant.astream: the turn's events without blocking the event loop
            async for kind, payload in shared().astream(request.message, user_id=x_user,
                                                        thread_id=request.thread_id):
                yield _event(kind, payload)

        return StreamingResponse(body(), media_type="application/x-ndjson")

    return api
