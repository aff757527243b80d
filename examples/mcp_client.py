"""An MCP client that talks to ``tastebud mcp`` over stdio, with the official SDK.

It starts the server as a child process (as a desktop assistant or IDE agent would), lists the
tools, records a taste and asks for recommendations; the structured content of each answer is
a tastebud artifact (:mod:`tastebud.tools.artifacts`), read back as a typed model.

Run: ``python examples/mcp_client.py "Heat" "The Matrix"`` (needs ``pip install 'tastebud[mcp]'``).
"""

from __future__ import annotations

import sys

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tastebud.tools.artifacts import RecommendationsArtifact

__all__ = ["recommend_for", "tastebud_server"]


def tastebud_server(user: str = "local", *extra: str) -> StdioServerParameters:
    """How to start ``tastebud mcp`` for ``user`` (``extra``: more CLI options, e.g. ``--home``)."""
    return StdioServerParameters(command=sys.executable, args=["-m", "tastebud.cli", "mcp", "--user", user, *extra])


async def recommend_for(liked: list[str], server: StdioServerParameters, n: int = 5) -> tuple[list[str],
                                                                                              RecommendationsArtifact]:
    """Tell the server what the person liked, then ask for ``n`` picks.

    Returns:
        ``(tool names, recommendations)``.
    """
    async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        names = [tool.name for tool in (await session.list_tools()).tools]
        edits = [{"action": "like", "item": title} for title in liked]
        await session.call_tool("update_profile", {"edits": edits})
        answer = await session.call_tool("recommend", {"n": n})
        if answer.is_error:
            raise RuntimeError(answer.content[0].text)
        return names, RecommendationsArtifact.model_validate(answer.structured_content)


async def main(liked: list[str]) -> None:
    names, recs = await recommend_for(liked, tastebud_server())
    print("tools:", ", ".join(names))
    for rank, item in enumerate(recs.items, 1):
        print(f"{rank}. {item.title} ({item.year}) — {'; '.join(r.text for r in item.reasons)}")


if __name__ == "__main__":
    anyio.run(main, sys.argv[1:] or ["Heat"])
