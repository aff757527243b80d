"""``tastebud mcp`` driven by the official SDK's client over stdio: tools/list, a profile edit and
a recommend call answer with text and schema-valid structured content, for the server's user only.

The server is the real ``tastebud mcp`` command in a child process, over a tiny catalog with the
hashing embedder (so it starts without loading the sentence model).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import anyio
import pytest

from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.testing import HashingEmbedder
from tastebud.tools import Toolkit
from tastebud.tools.artifacts import TOOL_ARTIFACTS, ProfileUpdateArtifact, RecommendationsArtifact

pytest.importorskip("mcp")

#: ``tastebud mcp ARGS`` with the hashing embedder in place of the sentence model.
SERVER = textwrap.dedent("""
    import sys
    from tastebud import services
    from tastebud.testing import HashingEmbedder

    class HashingServices(services.Services):
        def __init__(self, settings=None, embedder=None):
            super().__init__(settings, embedder or HashingEmbedder())

    services.Services = HashingServices
    from tastebud.cli import main

    sys.argv = ["tastebud", "mcp", *sys.argv[1:]]
    main()
""")


EXAMPLE = Path(__file__).parents[1] / "examples" / "mcp_client.py"


@pytest.fixture
def home(tiny_services):
    return tiny_services.settings.home


def server_params(home, user: str = "alice"):
    from mcp import StdioServerParameters

    return StdioServerParameters(command=sys.executable, args=["-c", SERVER, "--user", user, "--home", str(home),
                                                               "--catalog", "tiny"])


async def _session_run(home) -> dict:
    from mcp import ClientSession
    from mcp.client.stdio import stdio_client

    out: dict = {}
    async with stdio_client(server_params(home)) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        out["tools"] = (await session.list_tools()).tools
        out["update"] = await session.call_tool("update_profile", {"edits": [{"action": "like", "item": "Alien"}]})
        # a user id in the arguments is no argument of any tool: the call still acts for alice
        out["recommend"] = await session.call_tool("recommend", {"n": 3, "user_id": "mallory"})
        out["missing"] = await session.call_tool("explain_item", {"item": "Zzyzx Qwerty"})
        out["bad"] = await session.call_tool("update_profile", {"edits": [{"action": "clear"}]})

        async def send(name: str, args: dict) -> None:
            out[name + "_parallel"] = await session.call_tool(name, args)

        async with anyio.create_task_group() as group:  # one step, two calls: the edit comes first
            group.start_soon(send, "update_profile", {"edits": [{"action": "unwant_genre", "genre": "Comedy"}]})
            await anyio.sleep(0)
            group.start_soon(send, "recommend", {"n": 5})
    return out


def test_tastebud_mcp_over_stdio(home):
    out = anyio.run(_session_run, home)
    tools = {t.name: t for t in out["tools"]}
    assert {"search_catalog", "recommend", "update_profile", "explain_item", "read_profile"} <= set(tools)
    assert set(tools) == set(TOOL_ARTIFACTS)
    for tool in tools.values():
        assert tool.description and tool.output_schema, tool.name
        assert "user_id" not in json.dumps(tool.input_schema), tool.name
    assert tools["read_profile"].annotations.read_only_hint

    update = out["update"]
    assert not update.is_error and "Applied 1 change" in update.content[0].text
    assert ProfileUpdateArtifact.model_validate(update.structured_content).profile.user_id == "alice"

    rec = out["recommend"]
    assert not rec.is_error
    recs = RecommendationsArtifact.model_validate(rec.structured_content)
    assert recs.items and all(r.reasons for r in recs.items)
    assert "u:1" not in {r.item_id for r in recs.items}  # the liked item is never recommended back
    assert recs.items[0].title in rec.content[0].text  # text for the model, structure for the app

    assert not out["missing"].is_error and out["missing"].structured_content["missing"] == ["Zzyzx Qwerty"]
    assert out["bad"].is_error  # no destructive action through a tool

    parallel = RecommendationsArtifact.model_validate(out["recommend_parallel"].structured_content)
    assert parallel.items and not any("Comedy" in r.genres for r in parallel.items)
    assert "not Comedy" in parallel.filters

    profiles = Toolkit(Services(Settings(home=home, catalog="tiny"), embedder=HashingEmbedder()), "tiny").profiles
    assert profiles.get("alice").ids("liked") == ["u:1"]
    assert not profiles.get("mallory").ids("liked") and not profiles.get("mallory").recommended


def test_example_mcp_client(home):
    """examples/mcp_client.py against ``tastebud mcp``: it records a taste and reads typed picks."""
    spec = importlib.util.spec_from_file_location("mcp_client", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.tastebud_server("bob").args[:5] == ["-m", "tastebud.cli", "mcp", "--user", "bob"]
    names, recs = anyio.run(example.recommend_for, ["Heat"], server_params(home, "bob"), 2)
    assert "recommend" in names and len(recs.items) == 2 and "u:3" not in {r.item_id for r in recs.items}
