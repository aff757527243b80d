"""tastebud's tools over the Model Context Protocol (``tastebud mcp``), with the official SDK.

Desktop assistants and IDE agents connect over stdio (the client starts ``tastebud mcp``) or
Streamable HTTP. Each tool answers with the text a model reads plus the tool's artifact as
structured content (its JSON schema published as the tool's output schema, see
:mod:`tastebud.tools.artifacts`). The server acts for ONE user, fixed when it starts
(``--user``): no tool takes a user id, so no client can read or change another profile.
Tool and argument descriptions are the LangChain tools' own (:mod:`tastebud.tools.lc`).
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Callable
from typing import Annotated, Any

import anyio
import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from tastebud.services import Services

from .artifacts import (
    DetailsArtifact,
    ExplainArtifact,
    ProfileArtifact,
    ProfileUpdateArtifact,
    RecommendationsArtifact,
    SearchArtifact,
    SimilarArtifact,
)
from .lc import ItemArgs, ProfileEdit, RecommendArgs, SearchArgs, SimilarArgs, UpdateProfileArgs, make_tools
from .toolkit import Toolkit

__all__ = ["build_server", "serve"]

_READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)


def _about(schema: type, name: str) -> Any:
    """The description of argument ``name`` in a LangChain tool's schema, as a pydantic ``Field``."""
    return Field(description=schema.model_fields[name].description)


def _result(answer: tuple[str, dict]) -> CallToolResult:
    text, artifact = answer
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=artifact)


def build_server(services: Services, *, user_id: str, catalog: str | None = None,
                 thread_id: str | None = None) -> MCPServer:
    """An MCP server whose tools act for ``user_id`` on one catalog.

    Args:
        services: The shared services.
        user_id: The person every call acts for (the session's user; never a tool argument).
        catalog: Catalog name (default: the services' catalog).
        thread_id: Conversation that "for now" refinements belong to (default: one per server).
    """
    toolkit = Toolkit(services, catalog)
    thread = thread_id or f"mcp-{uuid.uuid4().hex[:12]}"
    about = {tool.name: tool.description for tool in make_tools(toolkit)}
    # Calls may arrive together ("update_profile" and "recommend" in one step): they run one at a
    # time on a worker thread, in arrival order (anyio's lock is fair), so a recommendation sees
    # the edits sent before it.
    turn = anyio.Lock()
    server = MCPServer("tastebud", log_level="WARNING", instructions=(
        f"Recommendations from the {toolkit.catalog_name} catalog for one person. Record what they say about "
        "their taste with update_profile before recommend; recommend only items the tools return."))

    def add(fn: Callable[..., CallToolResult], name: str, annotations: ToolAnnotations) -> None:
        async def locked(**kwargs: Any) -> CallToolResult:
            async with turn:
                return await anyio.to_thread.run_sync(functools.partial(fn, **kwargs))
        locked.__signature__ = inspect.signature(fn, eval_str=True)  # type: ignore[attr-defined]
        locked.__name__ = name
        server.add_tool(locked, name=name, description=about[name], annotations=annotations)

    def search_catalog(
        query: Annotated[str, _about(SearchArgs, "query")],
        genres: Annotated[list[str], _about(SearchArgs, "genres")] = [],  # noqa: B006 (schema default, never mutated)
        exclude_genres: Annotated[list[str], _about(SearchArgs, "exclude_genres")] = [],  # noqa: B006
        year_from: Annotated[int | None, _about(SearchArgs, "year_from")] = None,
        year_to: Annotated[int | None, _about(SearchArgs, "year_to")] = None,
        k: Annotated[int, Field(ge=1, le=50, description=SearchArgs.model_fields["k"].description)] = 8,
    ) -> Annotated[CallToolResult, SearchArtifact]:
        return _result(toolkit.search(query, genres=genres, exclude_genres=exclude_genres, year_from=year_from,
                                      year_to=year_to, k=k))

    def recommend(
        query: Annotated[str | None, _about(RecommendArgs, "query")] = None,
        like: Annotated[list[str], _about(RecommendArgs, "like")] = [],  # noqa: B006
        genres: Annotated[list[str], _about(RecommendArgs, "genres")] = [],  # noqa: B006
        exclude_genres: Annotated[list[str], _about(RecommendArgs, "exclude_genres")] = [],  # noqa: B006
        year_from: Annotated[int | None, _about(RecommendArgs, "year_from")] = None,
        year_to: Annotated[int | None, _about(RecommendArgs, "year_to")] = None,
        n: Annotated[int, Field(ge=1, le=20, description=RecommendArgs.model_fields["n"].description)] = 5,
        exclude: Annotated[list[str], _about(RecommendArgs, "exclude")] = [],  # noqa: B006
    ) -> Annotated[CallToolResult, RecommendationsArtifact]:
        return _result(toolkit.recommend(user_id, query=query, like=like, genres=genres, exclude_genres=exclude_genres,
                                         year_from=year_from, year_to=year_to, n=n, exclude=exclude,
                                         thread_id=thread))

    def similar_items(
        item: Annotated[str, _about(SimilarArgs, "item")],
        n: Annotated[int, Field(ge=1, le=20, description=SimilarArgs.model_fields["n"].description)] = 5,
    ) -> Annotated[CallToolResult, SimilarArtifact]:
        return _result(toolkit.similar(user_id, item, n, thread_id=thread))

    def item_details(item: Annotated[str, _about(ItemArgs, "item")]) -> Annotated[CallToolResult, DetailsArtifact]:
        return _result(toolkit.details(item))

    def explain_item(item: Annotated[str, _about(ItemArgs, "item")]) -> Annotated[CallToolResult, ExplainArtifact]:
        return _result(toolkit.explain(user_id, item, thread_id=thread))

    def update_profile(
        edits: Annotated[list[ProfileEdit], _about(UpdateProfileArgs, "edits")],
    ) -> Annotated[CallToolResult, ProfileUpdateArtifact]:
        return _result(toolkit.update_profile(user_id, [e.model_dump() for e in edits], "mcp", thread_id=thread))

    def read_profile() -> Annotated[CallToolResult, ProfileArtifact]:
        return _result(toolkit.read_profile(user_id, thread_id=thread))

    for fn, hints in ((recommend, _WRITES), (search_catalog, _READ_ONLY), (similar_items, _READ_ONLY),
                      (item_details, _READ_ONLY), (explain_item, _READ_ONLY), (update_profile, _WRITES),
                      (read_profile, _READ_ONLY)):
        add(fn, fn.__name__, hints)
    return server


def serve(services: Services, *, user_id: str, catalog: str | None = None, transport: str = "stdio",
          host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run the server until the client disconnects (stdio) or the process is stopped (http).

    Args:
        services: The shared services.
        user_id: The person every call acts for.
        catalog: Catalog name (default: the services' catalog).
        transport: ``stdio`` or ``http`` (Streamable HTTP at ``http://host:port/mcp``).
        host: HTTP interface to bind.
        port: HTTP port.
    """
    services.catalog(catalog or services.settings.catalog)  # fail before the client waits: unknown catalog, no store
    server = build_server(services, user_id=user_id, catalog=catalog)
    if transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=host, port=port)
