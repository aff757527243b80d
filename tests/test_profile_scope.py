"""Refinements that hold in one conversation (session facts) beside the lasting profile."""

from __future__ import annotations

import pytest

from tastebud.errors import ProfileError
from tastebud.profile import Change, ProfileStore


@pytest.fixture
def store(profile_target):
    """One store per backend (SQLite file, real PostgreSQL)."""
    with ProfileStore(profile_target) as store:
        yield store


def test_session_refinements_stay_in_their_conversation(store):
    store.apply_many("u", [Change("unwant_genre", "Horror"), Change("set_constraint", "year_from", 1990)], "t")
    store.apply_many("u", [Change("want_genre", "Comedy", scope="t1"),
                           Change("set_constraint", "year_to", 1985, scope="t1")], "t")
    profile = store.get("u")
    assert profile.genres() == [] and profile.year_to is None  # the lasting profile is untouched
    here, elsewhere = profile.filters("t1"), profile.filters("t2")
    assert here.wanted_genres == ["Comedy"] and here.unwanted_genres == ["Horror"]  # joined, not replaced
    assert (here.year_from, here.year_to) == (None, 1985)  # the newer, conflicting bound wins
    assert elsewhere.wanted_genres == [] and (elsewhere.year_from, elsewhere.year_to) == (1990, None)
    assert store.verify("u") == []


def test_lifting_in_a_conversation_lifts_the_profile_too_and_undo_restores(store):
    store.apply("u", Change("unwant_genre", "Horror"), "t")
    store.apply("u", Change("set_constraint", "year_to", 1959, scope="t1"), "t")
    store.apply_many("u", [Change("remove_genre", "Horror", scope="t1"),
                           Change("remove_constraint", "year_to", scope="t1")], "t")
    filters = store.get("u").filters("t1")
    assert filters.unwanted_genres == [] and filters.year_to is None
    store.undo("u")
    assert store.get("u").filters("t1").year_to == 1959
    assert store.verify("u") == []


def test_scope_only_for_genres_and_constraints_and_round_trips(store):
    with pytest.raises(ProfileError):
        Change("like", "ml:1", scope="t1")
    change = Change("want_genre", "Comedy", scope="t1")
    assert Change.from_dict(change.to_dict()) == change
    store.apply("u", change, "t")
    profile = store.get("u")
    again = type(profile).from_dict(profile.to_dict())
    assert again.filters("t1").wanted_genres == ["Comedy"]
