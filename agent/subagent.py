"""Use the whole tastebud agent as one tool of another LangChain agent."""

from __future__ import annotations

from langchain.tools import tool
from pydantic import BaseModel, Field

from tastebud.tools import user_id_from
from tastebud.tools.lc import Runtime

__all__ = ["recommender_tool"]


class AskArgs(BaseModel):
    request: str = Field(description="What the person wants, in their words (titles, genres, mood, years).")


def recommender_tool(assistant, *, name: str | None = None, thread: str = "subagent"):
    """A tool that forwards a request to tastebud and returns its reply and structured result.

    The acting user is the outer run's (``context.user_id`` or ``config["configurable"]["user_id"]``);
    tastebud keeps that user's profile and a conversation thread per outer thread.

    Args:
        assistant: A :class:`tastebud.agent.Assistant`.
        name: Tool name shown to the outer model (default: the catalog's domain's, e.g.
            ``movie_recommender``, ``book_recommender``).
        thread: Prefix of the tastebud thread used for the outer conversation.
    """

    domain = assistant.services.catalog(assistant.catalog).domain

    @tool(name or domain.tool_name, args_schema=AskArgs, response_format="content_and_artifact",
          description=f"Ask tastebud, a recommender of {domain.plural} that remembers the person's taste, "
                      "for recommendations or explanations. Returns its answer with grounded reasons.")
    def ask(request: str, runtime: Runtime) -> tuple[str, dict]:
        user_id, _ = user_id_from(runtime)
        outer = ((getattr(runtime, "config", None) or {}).get("configurable") or {}).get("thread_id", "default")
        result = assistant.turn(request, user_id=user_id, thread_id=f"{thread}:{outer}")
        return result.reply, result.to_dict()

    return ask
