"""LangChain tools over :class:`~tastebud.tools.toolkit.Toolkit`.

Each tool has a Pydantic argument schema and ``response_format="content_and_artifact"``:
the model reads text, UIs and evals read the artifact. The acting user comes from the run
(``context=UserContext(...)`` or ``config["configurable"]["user_id"]``), never from the
model's arguments, so no tool call can read or write another user's profile.

The tools also work on their own: ``recommend.invoke({"n": 3}, config={"configurable":
{"user_id": "alice"}})``. Tools that read the profile first apply the ``update_profile`` calls
of the same model message (:mod:`tastebud.tools.steps`), so parallel tool calls see the edits.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Literal

from langchain.tools import ToolRuntime, tool
from langchain_core.runnables import ensure_config
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, ValidationError

from tastebud.conversation import conversation_from_messages

from .context import UserContext, thread_id_from, user_id_from
from .steps import StepLedger, step_calls, step_key
from .toolkit import PROFILE_ACTIONS, Toolkit

__all__ = ["make_tools", "Runtime"]

Genres = list[str]
#: The runtime injected into every tool. Typed with the run context so that LangChain's
#: argument schema serialises a ``UserContext`` without warnings.
Runtime = ToolRuntime[UserContext | None]


class SearchArgs(BaseModel):
    query: str = Field(description="What to look for, in plain words (plot, mood, themes).")
    genres: Genres = Field(default_factory=list, description="Genres every result must have.")
    exclude_genres: Genres = Field(default_factory=list, description="Genres no result may have.")
    year_from: int | None = Field(default=None, description="Earliest release year.")
    year_to: int | None = Field(default=None, description="Latest release year.")
    k: int = Field(default=8, ge=1, le=50, description="Number of results.")


class RecommendArgs(BaseModel):
    query: str | None = Field(default=None, description="Free-text description of what the user wants now.")
    like: list[str] = Field(default_factory=list, description="Titles or ids to find items similar to (this request only).")
    genres: Genres = Field(default_factory=list, description="Genres wanted now (overrides the profile's wanted genres).")
    exclude_genres: Genres = Field(default_factory=list, description="Genres to avoid now (added to the profile's).")
    year_from: int | None = Field(default=None, description="Earliest year (overrides the profile).")
    year_to: int | None = Field(default=None, description="Latest year (overrides the profile).")
    n: int = Field(default=5, ge=1, le=20, description="How many items.")
    exclude: list[str] = Field(default_factory=list, description="Item ids not to return.")


class ItemArgs(BaseModel):
    item: str = Field(description="A catalog title (fuzzy is fine) or an item id such as ml:2571.")


class SimilarArgs(ItemArgs):
    n: int = Field(default=5, ge=1, le=20, description="How many items.")


class ProfileEdit(BaseModel):
    action: Literal[PROFILE_ACTIONS] = Field(description=(  # type: ignore[valid-type]
        "like / dislike / seen / remove (an item); want_genre / unwant_genre / remove_genre; "
        "clear_genres (drop every wanted genre); set_years / clear_years; note; undo (the last change)."))
    item: str | None = Field(default=None, description="Title or id, for item actions.")
    genre: str | None = Field(default=None, description="Genre, for genre actions.")
    replace: bool = Field(default=False, description="For want_genre: replace the wanted genres instead of adding.")
    year_from: int | None = Field(default=None, description="For set_years.")
    year_to: int | None = Field(default=None, description="For set_years.")
    widen: bool = Field(default=False, description=(
        "For set_years: widen the years in effect to hold these instead of replacing them ('the 90s are fine too')."))
    text: str | None = Field(default=None, description="For note.")
    session: bool = Field(default=False, description=(
        "For genre and year actions: true when it refines only the current request ('something funnier', "
        "'older', 'for tonight'); it then holds in this conversation only. False for a lasting taste "
        "('I hate horror', 'nothing before 2000')."))
    bound: Literal["year_from", "year_to"] | None = Field(default=None, description=(
        "For clear_years: lift only this bound ('older ones are fine' lifts year_from); default both."))


class UpdateProfileArgs(BaseModel):
    edits: list[ProfileEdit] = Field(description="Changes to make, applied together.")


def _run(runtime: Any) -> Any:
    """The tool's runtime, or for a direct ``tool.invoke(args, config=...)`` (no agent, so no
    runtime) one made of the call's config."""
    if runtime is not None:
        return runtime
    return SimpleNamespace(context=None, config=ensure_config(), state=None, tool_call_id=None)


def make_tools(toolkit: Toolkit) -> list[BaseTool]:
    """The tastebud tools bound to one toolkit (catalog)."""
    ledger = StepLedger()

    def edit(user_id: str, edits: list, source: str, runtime: Any):
        return lambda: toolkit.update_profile(user_id, [e.model_dump() if hasattr(e, "model_dump") else dict(e)
                                                        for e in edits], source, thread_id=thread_id_from(runtime))

    def acting(runtime: Any) -> str:
        """The acting user, once the step's pending profile edits are applied."""
        user_id, source = user_id_from(runtime)
        own = getattr(runtime, "tool_call_id", None)
        message, calls = step_calls(getattr(runtime, "state", None), own)
        pending = []
        for call in calls:
            if call.get("name") != "update_profile" or call.get("id") == own:
                continue
            try:
                args = UpdateProfileArgs.model_validate(call.get("args") or {})
            except ValidationError:  # the call itself will report its bad arguments
                continue
            pending.append((step_key(message, call.get("id")), edit(user_id, args.edits, source, runtime)))
        ledger.settle(user_id, pending)
        return user_id

    @tool("search_catalog", args_schema=SearchArgs, response_format="content_and_artifact",
          description="Semantic search of the catalog by description, with genre and year filters. "
                      "Use it to find items matching a description; it ignores the user's profile.")
    def search_catalog(query: str, genres: Genres = (), exclude_genres: Genres = (), year_from: int | None = None,
                       year_to: int | None = None, k: int = 8) -> tuple[str, dict]:
        return toolkit.search(query, genres=genres, exclude_genres=exclude_genres, year_from=year_from,
                              year_to=year_to, k=k)

    @tool("recommend", args_schema=RecommendArgs, response_format="content_and_artifact",
          description="Personalised recommendations for the current user: blends collaborative filtering on "
                      "their liked items, content similarity and the request, honours their profile "
                      "(unwanted genres, years), never repeats liked/seen/already shown items. Each result "
                      "comes with its reasons; recommend only items this tool returns.")
    def recommend(runtime: Runtime = None, query: str | None = None, like: list[str] = (), genres: Genres = (),
                  exclude_genres: Genres = (), year_from: int | None = None, year_to: int | None = None,
                  n: int = 5, exclude: list[str] = ()) -> tuple[str, dict]:
        runtime = _run(runtime)
        user_id = acting(runtime)
        messages = (getattr(runtime, "state", None) or {}).get("messages", []) if isinstance(
            getattr(runtime, "state", None), dict) else []
        return toolkit.recommend(user_id, query=query, like=like, genres=genres, exclude_genres=exclude_genres,
                                 year_from=year_from, year_to=year_to, n=n, exclude=exclude,
                                 thread_id=thread_id_from(runtime), conversation=conversation_from_messages(messages))

    @tool("similar_items", args_schema=SimilarArgs, response_format="content_and_artifact",
          description="Items most similar to one catalog item (by co-ratings and content).")
    def similar_items(item: str, runtime: Runtime = None, n: int = 5) -> tuple[str, dict]:
        runtime = _run(runtime)
        user_id = acting(runtime)
        return toolkit.similar(user_id, item, n, thread_id=thread_id_from(runtime))

    @tool("item_details", args_schema=ItemArgs, response_format="content_and_artifact",
          description="Catalog facts about one item: year, genres, overview, keywords.")
    def item_details(item: str) -> tuple[str, dict]:
        return toolkit.details(item)

    @tool("explain_item", args_schema=ItemArgs, response_format="content_and_artifact",
          description="Why an item suits the current user, from the recommender's evidence only. "
                      "Use it to answer 'why that one?'.")
    def explain_item(item: str, runtime: Runtime = None) -> tuple[str, dict]:
        runtime = _run(runtime)
        user_id = acting(runtime)
        return toolkit.explain(user_id, item, thread_id=thread_id_from(runtime))

    @tool("update_profile", args_schema=UpdateProfileArgs, response_format="content_and_artifact",
          description="Record what the user said about their taste: liked/disliked/seen items, wanted or "
                      "unwanted genres, year range, notes; or undo the last change. Call it before "
                      "recommend when the user states a preference.")
    def update_profile(edits: list[ProfileEdit], runtime: Runtime = None) -> tuple[str, dict]:
        runtime = _run(runtime)
        user_id, source = user_id_from(runtime)
        message, _ = step_calls(getattr(runtime, "state", None), runtime.tool_call_id)
        return ledger.apply(user_id, step_key(message, runtime.tool_call_id), edit(user_id, edits, source, runtime))

    @tool("read_profile", response_format="content_and_artifact",
          description="What tastebud knows about the current user (liked, disliked, seen, genres, years).")
    def read_profile(runtime: Runtime = None) -> tuple[str, dict]:
        runtime = _run(runtime)
        user_id = acting(runtime)
        return toolkit.read_profile(user_id, thread_id=thread_id_from(runtime))

    return [recommend, search_catalog, similar_items, item_details, explain_item, update_profile, read_profile]
