"""What the tools do, as plain Python: each operation returns ``(text, artifact)``.

``text`` is what a language model reads; ``artifact`` is the structured result (items with
evidence and reasons) that UIs, evals and the answer checker use. The LangChain wrappers in
:mod:`tastebud.tools.lc` only add argument schemas and the user id from the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tastebud.catalog import Item
from tastebud.conversation import Conversation
from tastebud.errors import ProfileError, UnknownGenreError
from tastebud.explain import recommendation_payload
from tastebud.nlu.titles import CONFIDENT
from tastebud.profile import Change
from tastebud.retrieval import SearchFilters
from tastebud.services import Services

from .artifacts import (
    DetailsArtifact,
    ExplainArtifact,
    ProfileArtifact,
    ProfileUpdateArtifact,
    ProfileView,
    RecommendationsArtifact,
    SearchArtifact,
    SimilarArtifact,
)

__all__ = ["PROFILE_ACTIONS", "Toolkit", "profile_payload"]

#: Profile edits a tool call may make (no "clear": wiping a profile needs the UI/CLI and a confirmation).
PROFILE_ACTIONS = ("like", "dislike", "seen", "remove", "want_genre", "unwant_genre", "remove_genre",
                   "clear_genres", "set_years", "clear_years", "note", "undo")
ANCHOR_WEIGHT = 2.0


def _item_line(rank: int, data: dict) -> str:
    year = f" ({data['year']})" if data.get("year") else ""
    why = "; ".join(r["text"] for r in data.get("reasons", []))
    genres = ", ".join(data.get("genres", []))
    return f"{rank}. {data['title']}{year} [{genres}] id={data['item_id']}" + (f" — {why}" if why else "")


def _name_notes(missing: list[str], uncertain: list[dict]) -> list[str]:
    """What a model must tell the person about names the catalog does not have or only resembles."""
    lines = [f"Not in the catalog (nothing recorded; say so): {', '.join(missing)}."] if missing else []
    lines += [f"Uncertain (nothing recorded; ask the user): did they mean {u['label']} (id={u['item_id']}) "
              f"by {u['span']!r}?" for u in uncertain]
    return lines


def profile_payload(profile, catalog, thread_id: str | None = None) -> dict:
    """A profile as data for tools, UIs and turn results: the dict of :meth:`ProfileView.build`."""
    return ProfileView.build(profile, catalog, thread_id).to_dict()


class Toolkit:
    """Catalog, recommendation and profile operations for one catalog.

    Args:
        services: The shared services bundle.
        catalog: Catalog name (default: ``services.settings.catalog``).
    """

    def __init__(self, services: Services, catalog: str | None = None) -> None:
        self.services = services
        self.catalog_name = catalog or services.settings.catalog
        self._links: dict[str, list[str]] = {}

    @property
    def catalog(self):
        """The catalog the tools work on."""
        return self.services.catalog(self.catalog_name)

    @property
    def profiles(self):
        """The profile store of the catalog the tools work on."""
        return self.services.profile_store(self.catalog_name)

    def resolve(self, ref: str) -> Item | None:
        """An item from an id (``ml:2571``) or a title (typos allowed, ``"the matirx 1999"``);
        ``None`` when nothing matches confidently (see :meth:`lookup`)."""
        item, _ = self.lookup(ref)
        return item

    def lookup(self, ref: str) -> tuple[Item | None, dict | None]:
        """Resolve an id or title: ``(item, None)`` when confident, ``(None, guess)`` when the
        name only resembles a title (``guess`` = ``{span, item_id, label}``, to be asked about and
        never saved), ``(None, None)`` when the catalog has nothing like it."""
        ref = (ref or "").strip()
        if not ref:
            return None, None
        item = self.catalog.get(ref)
        if item is not None:
            return item, None
        mention = self.services.linker(self.catalog_name).lookup(ref)
        if mention is None:
            return None, None
        item = self.catalog.get(mention.item_id)
        if mention.score >= CONFIDENT:
            return item, None
        return None, {"span": ref, "item_id": item.item_id, "label": item.label}

    def _resolve_all(self, refs: Iterable[str]) -> tuple[list[Item], list[str], list[dict]]:
        found, missing, uncertain = [], [], []
        for ref in refs:
            item, guess = self.lookup(ref)
            if item is not None:
                found.append(item)
            elif guess is not None:
                uncertain.append(guess)
            else:
                missing.append(ref)
        return found, missing, uncertain

    def _genres(self, names: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(self.catalog.resolve_genre(g) for g in names if g and g.strip()))

    # -- catalog ------------------------------------------------------------------------------
    def search(self, query: str, *, genres: Sequence[str] = (), exclude_genres: Sequence[str] = (),
               year_from: int | None = None, year_to: int | None = None, k: int = 8) -> tuple[str, dict]:
        """Semantic catalog search with filters."""
        filters = SearchFilters(list(genres), list(exclude_genres), year_from, year_to)
        hits = self.services.search(query, k=max(1, min(k, 50)), filters=filters, catalog=self.catalog_name)
        items = [hit.to_dict() for hit in hits]
        text = "\n".join(_item_line(i, d) for i, d in enumerate(items, 1)) or "No catalog item matches."
        return text, SearchArtifact(query=query, items=items, filters=filters.describe()).to_dict()

    def details(self, item: str) -> tuple[str, dict]:
        """Catalog facts about one item."""
        found = self.resolve(item)
        if found is None:
            return f"No item called {item!r} is in the catalog.", DetailsArtifact(missing=[item]).to_dict()
        text = (f"{found.label} [{', '.join(found.genres)}] id={found.item_id}\n{found.overview}\n"
                f"Keywords: {', '.join(found.tags[:15]) or '-'}")
        return text, DetailsArtifact(item=found.to_dict()).to_dict()

    # -- recommendations -------------------------------------------------------------------------
    def recommend(self, user_id: str, *, query: str | None = None, like: Sequence[str] = (),
                  genres: Sequence[str] = (), exclude_genres: Sequence[str] = (), year_from: int | None = None,
                  year_to: int | None = None, n: int = 5, exclude: Sequence[str] = (),
                  record: bool = True, thread_id: str | None = None,
                  conversation: Conversation | None = None) -> tuple[str, dict]:
        """Hybrid recommendations for the user: profile + this request's anchors, query and filters.

        The genres and years in effect (the profile, with the conversation's refinements on top)
        apply unless the call overrides them; liked, disliked, seen and already recommended
        items are never returned. With a ``conversation`` the catalog's dialogue model (where one
        is trained) reads it and joins the blend: the page and the ReDial benchmark call this
        same method.
        """
        profile = self.profiles.get(user_id)
        now = profile.filters(thread_id)
        anchors, missing, uncertain = self._resolve_all(like)
        user_items = profile.user_items()
        user_items.update({a.item_id: ANCHOR_WEIGHT for a in anchors})
        wanted = self._genres(genres) or self._genres(now.wanted_genres)
        unwanted = [g for g in self._genres([*exclude_genres, *now.unwanted_genres]) if g not in wanted]
        filters = SearchFilters(wanted, unwanted, year_from or now.year_from, year_to or now.year_to)
        excluded = profile.exclusions() | set(exclude)
        hybrid = self.services.recommender(self.catalog_name)
        n = max(1, min(n, 100))  # the tool schema allows 20; the benchmark ranks 50
        mentioned = conversation.mentioned(self.linked_ids, profile.ids("disliked")) if conversation else {}
        said = conversation.mentioned(self.linked_ids, profile.ids("disliked"), roles=("user",)) if conversation else {}
        for item_id, weight in said.items():  # titles the person brought up, softly, below stated tastes
            user_items.setdefault(item_id, weight)
        context = self._dialogue_context(conversation, mentioned)
        recs = hybrid.recommend_with_evidence(user_items, n, exclude=excluded, filters=filters, query=query or None,
                                              context=context, mentioned=mentioned)
        notice = None
        if len(recs) < n and len(wanted) > 1:  # all wanted genres at once is too narrow: any of them
            relaxed = SearchFilters([], unwanted, filters.year_from, filters.year_to)
            pool = [i.item_id for i in self.catalog if set(i.genres) & set(wanted)]
            more = hybrid.recommend_with_evidence(user_items, n - len(recs), exclude=excluded | {r.item.item_id for r in recs},
                                                  candidates=pool, filters=relaxed, query=query or None)
            recs += more
            notice = f"few items are {' and '.join(wanted)} at once; some have only one of them"
        if not recs:
            notice = "no catalog item passes these filters: " + (", ".join(filters.describe()) or "none")
        items = [recommendation_payload(r, self.catalog) for r in recs]
        if record and items:
            self.profiles.record_recommended(user_id, [d["item_id"] for d in items])
        lines = [_item_line(i, d) for i, d in enumerate(items, 1)]
        lines += _name_notes(missing, uncertain)
        if notice:
            lines.append(f"Note: {notice}.")
        artifact = RecommendationsArtifact(items=items, filters=filters.describe(), query=query or "",
                                           anchors=[a.label for a in anchors], missing=missing, uncertain=uncertain,
                                           notice=notice)
        return "\n".join(lines) or "Nothing to recommend.", artifact.to_dict()

    def _dialogue_context(self, conversation: Conversation | None, mentioned: dict[str, float]) -> dict | None:
        """``{"dialogue": (scores, weight)}`` from the catalog's dialogue model, or ``None``."""
        weight = self.services.settings.dialogue_weight
        if conversation is None or not conversation.history or weight <= 0:
            return None
        model = self.services.dialogue_model(self.catalog_name)
        if model is None:
            return None
        return {"dialogue": (model.scores(conversation.history, mentioned), weight)}

    def linked_ids(self, text: str) -> list[str]:
        """Item ids a message names (cached: a conversation's messages are read again every turn)."""
        found = self._links.get(text)
        if found is None:
            found = [m.item_id for m in self.services.linker(self.catalog_name).link(text)]
            if len(self._links) > 4096:
                self._links.clear()
            self._links[text] = found
        return found

    def similar(self, user_id: str, item: str, n: int = 5, thread_id: str | None = None) -> tuple[str, dict]:
        """Items most like one item (the user's unwanted genres and seen items left out)."""
        found, guess = self.lookup(item)
        if found is None:
            art = SimilarArtifact(missing=[] if guess else [item], uncertain=[guess] if guess else []).to_dict()
            return "\n".join(_name_notes(art["missing"], art["uncertain"])), art
        profile = self.profiles.get(user_id)
        filters = SearchFilters([], self._genres(profile.filters(thread_id).unwanted_genres))
        recs = self.services.recommender(self.catalog_name).recommend_with_evidence(
            {found.item_id: 1.0}, max(1, min(n, 20)), exclude=profile.exclusions(include_recommended=False),
            filters=filters)
        items = [recommendation_payload(r, self.catalog) for r in recs]
        text = f"Like {found.label}:\n" + "\n".join(_item_line(i, d) for i, d in enumerate(items, 1))
        return text, SimilarArtifact(anchor=found.label, items=items, filters=filters.describe()).to_dict()

    def explain(self, user_id: str, item: str, thread_id: str | None = None) -> tuple[str, dict]:
        """Why an item suits the user, from the evidence of the recommender (nothing else)."""
        found = self.resolve(item)
        if found is None:
            return f"No item called {item!r} is in the catalog.", ExplainArtifact(missing=[item]).to_dict()
        profile = self.profiles.get(user_id)
        now = profile.filters(thread_id)
        user_items = {k: v for k, v in profile.user_items().items() if k != found.item_id}
        filters = SearchFilters(self._genres(now.wanted_genres), self._genres(now.unwanted_genres),
                                now.year_from, now.year_to)
        hybrid = self.services.recommender(self.catalog_name)
        rec = hybrid.explain(user_items, found.item_id, filters=filters) or hybrid.explain(user_items, found.item_id)
        items = [recommendation_payload(rec, self.catalog)] if rec is not None else []
        text = "\n".join(_item_line(1, d) for d in items) or f"{found.label}: no evidence available."
        return text, ExplainArtifact(items=items).to_dict()

    # -- profile ---------------------------------------------------------------------------------
    def _changes(self, user_id: str, edit: dict[str, Any], missing: list[str], errors: list[str],
                 thread_id: str | None = None, uncertain: list[dict] | None = None) -> list[Change]:
        action = edit.get("action")
        # a refinement holds here only; lifting a genre lifts it here and in the profile alike
        scope = thread_id if thread_id and (edit.get("session") or action == "remove_genre") else None
        if action in ("like", "dislike", "seen", "remove"):
            found, guess = self.lookup(edit.get("item") or "")
            if guess is not None and uncertain is not None:
                uncertain.append({**guess, "action": action})
            elif found is None:
                missing.append(str(edit.get("item")))
            if found is None:
                return []
            return [Change("remove_item" if action == "remove" else action, found.item_id)]
        if action in ("want_genre", "unwant_genre", "remove_genre"):
            try:
                genre = self.catalog.resolve_genre(edit.get("genre") or "")
            except UnknownGenreError as exc:
                errors.append(str(exc))
                return []
            drop = []
            if action == "want_genre" and edit.get("replace"):
                profile = self.profiles.get(user_id)
                current = [e.value for e in profile.session(scope).wanted_genres] if scope else profile.genres()
                drop = [Change("remove_genre", g, scope=scope) for g in current if g.casefold() != genre.casefold()]
            return [*drop, Change(action, genre, scope=scope)]
        if action == "clear_genres":  # every wanted genre in effect here
            return [Change("remove_genre", g, scope=thread_id) for g in self.profiles.get(user_id).filters(
                thread_id).wanted_genres]
        if action == "set_years":
            years = {key: int(edit[key]) for key in ("year_from", "year_to") if edit.get(key) is not None}
            now = self.profiles.get(user_id).filters(thread_id) if edit.get("widen") else None
            if now is not None and (now.year_from, now.year_to) != (None, None):
                # "the 90s are fine too": the years in effect grow to hold these ("comedy ⏎ 90s too" just sets them)
                held = {"year_from": now.year_from, "year_to": now.year_to}
                years = {key: (min if key == "year_from" else max)(value, held[key])
                         for key, value in years.items() if held[key] is not None}  # no bound held: none set
            return [Change("set_constraint", key, value, scope=scope) for key, value in years.items()]
        if action == "clear_years":
            keys = [edit["bound"]] if edit.get("bound") in ("year_from", "year_to") else ["year_from", "year_to"]
            return [Change("remove_constraint", key, scope=thread_id) for key in keys]
        if action == "note":
            return [Change("add_note", edit.get("text") or "")]
        errors.append(f"unknown profile action {action!r}; valid: {', '.join(PROFILE_ACTIONS)}")
        return []

    def update_profile(self, user_id: str, edits: Sequence[dict[str, Any]], source: str = "tool",
                       thread_id: str | None = None) -> tuple[str, dict]:
        """Apply profile edits atomically; unknown titles and genres are reported, not guessed.

        Edits marked ``session`` (genres, years) hold in the conversation ``thread_id`` only;
        removing genres or years lifts them both there and in the profile.
        """
        missing: list[str] = []
        uncertain: list[dict] = []
        errors: list[str] = []
        changes: list[Change] = []
        undone = 0
        for edit in edits:
            if edit.get("action") == "undo":
                undone += self.profiles.undo(user_id, source) is not None
                continue
            try:
                changes += self._changes(user_id, dict(edit), missing, errors, thread_id, uncertain)
            except (ProfileError, ValueError, TypeError) as exc:
                errors.append(str(exc))
        current = self.profiles.get(user_id)
        if changes:
            present = set(current.constraints) | set(current.session(thread_id).constraints)
            here = current.session(thread_id)
            genres = {g.casefold() for g in (*current.genres(), *current.genres(wanted=False),
                                             *(e.value for e in here.wanted_genres + here.unwanted_genres))}
            items = current.exclusions(include_recommended=False) | {
                c.target for c in changes if c.kind in ("like", "dislike", "seen")}
            changes = [c for c in changes if (c.kind != "remove_constraint" or c.target in present)
                       and (c.kind != "remove_genre" or c.target.casefold() in genres)
                       and (c.kind != "remove_item" or c.target in items)]  # report no no-ops
            current = self.profiles.apply_many(user_id, changes, source)
        text, profile = self._profile_text(current, thread_id)
        for change in changes:  # a removed item is no longer in the profile: its title still names it
            if change.kind == "remove_item" and (item := self.catalog.get(change.target)) is not None:
                profile.titles.setdefault(change.target, item.label)
        applied = [c.to_dict() for c in changes]
        lines = [f"Applied {len(applied)} change(s)" + (f", undid {undone}" if undone else "") + "."]
        lines += _name_notes(missing, uncertain)
        lines += errors
        artifact = ProfileUpdateArtifact(applied=applied, undone=undone, missing=missing, uncertain=uncertain,
                                         errors=errors, profile=profile)
        return "\n".join(lines + [text]), artifact.to_dict()

    def _profile_text(self, profile, thread_id: str | None = None) -> tuple[str, ProfileView]:
        view = ProfileView.build(profile, self.catalog, thread_id)
        lines = profile.summary_lines(view.titles)
        session = profile.session(thread_id)
        if not session.is_empty():
            lines.append("this conversation only: " + ", ".join(
                [*(f"wants {e.value}" for e in session.wanted_genres), *(f"no {e.value}" for e in session.unwanted_genres),
                 *(f"{k}={e.value}" for k, e in session.constraints.items())]))
        return "\n".join(lines), view

    def read_profile(self, user_id: str, thread_id: str | None = None) -> tuple[str, dict]:
        """The user's profile (and this conversation's refinements), as text and data."""
        text, data = self._profile_text(self.profiles.get(user_id), thread_id)
        return text, ProfileArtifact(profile=data).to_dict()
