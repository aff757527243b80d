"""The one schema of tool artifacts: what each tool returns beside its text.

Every tool of :class:`~tastebud.tools.toolkit.Toolkit` builds one of these models and hands
back ``model.to_dict()`` — the JSON-able dict that LangChain keeps on ``ToolMessage.artifact``,
the MCP server sends as structured content and ``--json`` prints. Readers (the offline policy,
the assistant, the page, the evals) turn a stored dict back into a model with
:func:`read_artifact`, or ask the kind constants below which artifacts list items.

Shapes: ``search`` (catalog hits), ``recommendations`` / ``similar`` / ``explain`` (items with
evidence and reasons), ``details`` (one item's facts), ``profile`` (a profile view, with the
applied changes after an update) and ``error`` (a failed tool call).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "LISTING_KINDS",
    "LISTING_TOOLS",
    "TALK_KINDS",
    "TOOL_ARTIFACTS",
    "Artifact",
    "DetailsArtifact",
    "ErrorArtifact",
    "ExplainArtifact",
    "Guess",
    "ItemFacts",
    "ProfileArtifact",
    "ProfileUpdateArtifact",
    "ProfileView",
    "Reason",
    "RecommendationsArtifact",
    "Recommended",
    "SearchArtifact",
    "SearchHit",
    "SimilarArtifact",
    "is_listing",
    "read_artifact",
]

#: Artifact kinds whose ``items`` are a list of picks shown to the person (cards, "the second one").
LISTING_KINDS = ("recommendations", "similar", "search")
#: Artifact kinds that talk about one item ("why that one?", "tell me about it").
TALK_KINDS = ("explain", "details")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able dict (tuples as lists) stored on ``ToolMessage.artifact``."""
        return self.model_dump(mode="json")


class Reason(_Model):
    """One grounded reason (``source``: cf, content, query, genre, constraint, popularity)."""

    source: str
    text: str


class Evidence(_Model):
    """The recommender's evidence for one item (see :class:`tastebud.recommenders.Evidence`)."""

    cf_neighbours: list[tuple[str, float]] = Field(default_factory=list)
    content_neighbours: list[tuple[str, float]] = Field(default_factory=list)
    matched_terms: list[str] = Field(default_factory=list)
    matched_genres: list[str] = Field(default_factory=list)
    constraints_met: list[str] = Field(default_factory=list)
    popularity_rank: int | None = None
    sources: dict[str, float] = Field(default_factory=dict)


class _ItemBase(_Model):
    item_id: str
    title: str
    year: int | None = None
    genres: list[str] = Field(default_factory=list)


class Recommended(_ItemBase):
    """An item a recommender returned: score, evidence, overview and reasons."""

    score: float
    evidence: Evidence = Field(default_factory=Evidence)
    overview: str = ""
    reasons: list[Reason] = Field(default_factory=list)


class SearchHit(_ItemBase):
    """A catalog search hit (the ``tastebud search --json`` row)."""

    score: float
    popularity: float = 0.0
    matched_terms: list[str] = Field(default_factory=list)


class ItemFacts(_ItemBase):
    """Catalog facts about one item (``Item.to_dict()``)."""

    overview: str = ""
    tags: list[str] = Field(default_factory=list)
    popularity: float = 0.0
    source_ids: dict[str, int | str] = Field(default_factory=dict)
    extra: dict[str, str] = Field(default_factory=dict)


class Guess(_Model):
    """A name that only resembles a catalog title: asked about, never saved.

    ``action`` (present after a profile edit) is the edit the person meant to make.
    """

    model_config = ConfigDict(extra="allow")

    span: str
    item_id: str
    label: str


class _Entry(_Model):
    source: str
    at: str


class ItemEntry(_Entry):
    item_id: str


class GenreEntry(_Entry):
    genre: str


class NoteEntry(_Entry):
    text: str


class ConstraintEntry(_Entry):
    value: Any


class SessionView(_Model):
    """Refinements that hold in one conversation only."""

    wanted_genres: list[GenreEntry] = Field(default_factory=list)
    unwanted_genres: list[GenreEntry] = Field(default_factory=list)
    constraints: dict[str, ConstraintEntry] = Field(default_factory=dict)


class ProfileView(_Model):
    """A profile as tools, the page and turn results show it: ``Profile.to_dict()`` without the
    other conversations, with this conversation's refinements (``session``) and item ``titles``."""

    user_id: str
    version: int = 0
    liked: list[ItemEntry] = Field(default_factory=list)
    disliked: list[ItemEntry] = Field(default_factory=list)
    seen: list[ItemEntry] = Field(default_factory=list)
    wanted_genres: list[GenreEntry] = Field(default_factory=list)
    unwanted_genres: list[GenreEntry] = Field(default_factory=list)
    notes: list[NoteEntry] = Field(default_factory=list)
    constraints: dict[str, ConstraintEntry] = Field(default_factory=dict)
    recommended: list[str] = Field(default_factory=list)
    session: SessionView = Field(default_factory=SessionView)
    titles: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def build(cls, profile: Any, catalog: Any, thread_id: str | None = None) -> ProfileView:
        """The view of ``profile`` (a :class:`tastebud.profile.Profile`) over ``catalog``, with the
        refinements of conversation ``thread_id`` (other conversations' refinements left out)."""
        data = profile.to_dict()
        data.pop("sessions", None)
        data["session"] = profile.session(thread_id).to_dict()
        ids = profile.ids("liked") + profile.ids("disliked") + profile.ids("seen")
        data["titles"] = {i: catalog.get(i).label for i in ids if catalog.get(i)}
        return cls.model_validate(data)

    def is_empty(self) -> bool:
        """Whether nothing about the person's taste is known."""
        return not (self.liked or self.disliked or self.seen or self.wanted_genres or self.unwanted_genres
                    or self.constraints)


class SearchArtifact(_Model):
    """``search_catalog``: hits for a description, with the filters applied."""

    kind: Literal["search"] = "search"
    query: str = ""
    items: list[SearchHit] = Field(default_factory=list)
    filters: list[str] = Field(default_factory=list)


class RecommendationsArtifact(_Model):
    """``recommend``: picks with reasons; names the catalog lacks (``missing``) or only resembles
    (``uncertain``); ``notice`` when the filters had to be relaxed or let nothing through."""

    kind: Literal["recommendations"] = "recommendations"
    items: list[Recommended] = Field(default_factory=list)
    filters: list[str] = Field(default_factory=list)
    query: str = ""
    anchors: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    uncertain: list[Guess] = Field(default_factory=list)
    notice: str | None = None


class SimilarArtifact(_Model):
    """``similar_items``: items like ``anchor`` (``None`` when the name was not found)."""

    kind: Literal["similar"] = "similar"
    anchor: str | None = None
    items: list[Recommended] = Field(default_factory=list)
    filters: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    uncertain: list[Guess] = Field(default_factory=list)


class ExplainArtifact(_Model):
    """``explain_item``: the item with the recommender's evidence (empty when not found)."""

    kind: Literal["explain"] = "explain"
    items: list[Recommended] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class DetailsArtifact(_Model):
    """``item_details``: one item's catalog facts (``None`` when not found)."""

    kind: Literal["details"] = "details"
    item: ItemFacts | None = None
    missing: list[str] = Field(default_factory=list)


class ProfileArtifact(_Model):
    """``read_profile``: the profile view."""

    kind: Literal["profile"] = "profile"
    profile: ProfileView


class ProfileUpdateArtifact(ProfileArtifact):
    """``update_profile``: the changes applied (``Change.to_dict()``), undone, refused, and the
    profile afterwards."""

    applied: list[dict[str, Any]] = Field(default_factory=list)
    undone: int = 0
    missing: list[str] = Field(default_factory=list)
    uncertain: list[Guess] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)


class ErrorArtifact(_Model):
    """A tool call that failed (its text goes back to the model)."""

    kind: Literal["error"] = "error"
    error: str


Artifact = (SearchArtifact | RecommendationsArtifact | SimilarArtifact | ExplainArtifact | DetailsArtifact
            | ProfileUpdateArtifact | ProfileArtifact | ErrorArtifact)

#: The artifact model of each tastebud tool, by tool name.
TOOL_ARTIFACTS: dict[str, type[_Model]] = {
    "search_catalog": SearchArtifact, "recommend": RecommendationsArtifact, "similar_items": SimilarArtifact,
    "explain_item": ExplainArtifact, "item_details": DetailsArtifact, "update_profile": ProfileUpdateArtifact,
    "read_profile": ProfileArtifact,
}
#: Tools whose artifact lists picks (derived from :data:`LISTING_KINDS`).
LISTING_TOOLS = tuple(name for name, model in TOOL_ARTIFACTS.items()
                      if model.model_fields["kind"].default in LISTING_KINDS)
_BY_KIND: dict[str, type[_Model]] = {m.model_fields["kind"].default: m for m in (
    SearchArtifact, RecommendationsArtifact, SimilarArtifact, ExplainArtifact, DetailsArtifact, ErrorArtifact)}


def is_listing(artifact: Any) -> bool:
    """Whether ``artifact`` (a dict or model) is a list of picks with at least one item."""
    data = artifact.to_dict() if isinstance(artifact, _Model) else artifact
    return isinstance(data, dict) and data.get("kind") in LISTING_KINDS and bool(data.get("items"))


def read_artifact(data: Any) -> Artifact | None:
    """The typed artifact of a stored dict (``ToolMessage.artifact``), or ``None`` when it is not
    a tastebud artifact (another app's tool, a malformed dict)."""
    if isinstance(data, _Model):
        return data  # type: ignore[return-value]
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    model = (ProfileUpdateArtifact if "applied" in data else ProfileArtifact) if kind == "profile" else _BY_KIND.get(kind)
    if model is None:
        return None
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError:
        return None
