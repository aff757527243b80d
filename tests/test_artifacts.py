"""The one artifact schema: every tool's artifact validates and round-trips to the same dict;
the "which artifacts list picks" rule is one constant (fast: tiny catalog, hashing embedder)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tastebud.tools import Toolkit
from tastebud.tools.artifacts import (
    LISTING_KINDS,
    LISTING_TOOLS,
    TOOL_ARTIFACTS,
    ErrorArtifact,
    ProfileUpdateArtifact,
    RecommendationsArtifact,
    is_listing,
    read_artifact,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def toolkit(tiny_services) -> Toolkit:
    return Toolkit(tiny_services, "tiny")


def _calls(toolkit: Toolkit) -> list[tuple[str, tuple[str, dict]]]:
    """One or more calls of every tool, including the not-found and did-you-mean paths."""
    user = "art"
    return [
        ("update_profile", toolkit.update_profile(user, [{"action": "like", "item": "Alien"},
                                                         {"action": "unwant_genre", "genre": "Comedy"},
                                                         {"action": "set_years", "year_from": 1980, "session": True},
                                                         {"action": "like", "item": "Nonexistent Film 1234"}],
                                                  thread_id="t")),
        ("update_profile", toolkit.update_profile(user, [{"action": "undo"}], thread_id="t")),
        ("recommend", toolkit.recommend(user, query="space", like=["Heat"], n=3, thread_id="t")),
        ("recommend", toolkit.recommend(user, year_from=2090, n=3)),
        ("search_catalog", toolkit.search("space alien", k=3)),
        ("similar_items", toolkit.similar(user, "The Matrix", 3)),
        ("similar_items", toolkit.similar(user, "Zzyzx Qwerty", 3)),
        ("explain_item", toolkit.explain(user, "Heat")),
        ("explain_item", toolkit.explain(user, "Zzyzx Qwerty")),
        ("item_details", toolkit.details("Toy Story")),
        ("item_details", toolkit.details("Zzyzx Qwerty")),
        ("read_profile", toolkit.read_profile(user, thread_id="t")),
    ]


def test_every_tool_artifact_validates_and_round_trips(toolkit):
    calls = _calls(toolkit)
    assert {name for name, _ in calls} == set(TOOL_ARTIFACTS)
    for name, (text, art) in calls:
        assert isinstance(text, str) and text
        model = TOOL_ARTIFACTS[name].model_validate(art)
        assert model.to_dict() == art, name  # the schema is exactly what the tool returns
        assert json.loads(json.dumps(art)) == art  # JSON-able as LangChain and MCP carry it
        assert type(read_artifact(art)) is TOOL_ARTIFACTS[name]
        assert is_listing(art) == (name in LISTING_TOOLS and bool(art["items"]))


def test_typed_access(toolkit):
    _, art = toolkit.recommend("typed", query="space", n=2)
    recs = RecommendationsArtifact.model_validate(art)
    assert recs.items and all(r.reasons for r in recs.items) and recs.items[0].item_id.startswith("u:")
    _, art = toolkit.update_profile("typed", [{"action": "like", "item": "Heat"}])
    update = ProfileUpdateArtifact.model_validate(art)
    assert update.profile.titles == {"u:3": "Heat (1995)"} and not update.profile.is_empty()
    assert read_artifact({"kind": "other"}) is None and read_artifact("text") is None
    assert read_artifact({"kind": "error", "error": "boom"}) == ErrorArtifact(error="boom")  # a failed tool call


def test_listing_kinds_are_one_constant():
    """No module keeps its own list of "recommendation" kinds or tools: they import the constant."""
    assert set(LISTING_TOOLS) == {"recommend", "similar_items", "search_catalog"}
    assert set(LISTING_KINDS) == {"recommendations", "similar", "search"}
    for folder in ("agent", "tools", "ui", "evals", "core"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "artifacts.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Tuple | ast.List | ast.Set) and all(
                        isinstance(e, ast.Constant) for e in node.elts) and len(node.elts) >= 2:
                    values = {e.value for e in node.elts}
                    assert not values >= {"recommendations", "similar"}, f"{path}: {ast.unparse(node)}"
                    assert not values >= set(LISTING_TOOLS), f"{path}: {ast.unparse(node)}"
