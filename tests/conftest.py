"""Shared fixtures. Fast tests use the hashing embedder and tiny catalogs; tests marked
``slow`` use the real model and the shipped catalog (ingested once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tastebud.catalog import Catalog, Item
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.testing import HashingEmbedder

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def tiny_catalog() -> Catalog:
    rows = [
        ("t:1", "Alien", 1979, ["Horror", "Sci-Fi"], "A crew in space meets a deadly alien creature"),
        ("t:2", "Aliens", 1986, ["Action", "Sci-Fi"], "Marines return to the alien planet"),
        ("t:3", "Heat", 1995, ["Action", "Crime"], "A detective hunts a crew of bank robbers in Los Angeles"),
        ("t:4", "Toy Story", 1995, ["Animation", "Children", "Comedy"], "Toys come to life when nobody looks"),
        ("t:5", "The Matrix", 1999, ["Action", "Sci-Fi"], "A hacker learns reality is a simulation run by machines"),
        ("t:6", "Galaxy Quest", 1999, ["Comedy", "Sci-Fi"], "Actors of a space show meet real aliens, funny"),
        ("t:7", "Amélie", 2001, ["Comedy", "Romance"], "A shy waitress in Paris changes lives"),
        ("t:8", "Unknown Year Space Film", None, ["Sci-Fi"], "space alien adventure"),
    ]
    return Catalog("tiny", [Item(i, t, y, g, o, popularity=float(10 - n)) for n, (i, t, y, g, o) in enumerate(rows)])


@pytest.fixture
def fake_services(tmp_path) -> Services:
    return Services(Settings(home=tmp_path / "home"), embedder=HashingEmbedder())


@pytest.fixture(scope="session")
def real_services(tmp_path_factory) -> Services:
    """Services over the shipped movie catalog with the real embedding model."""
    services = Services(Settings(home=tmp_path_factory.mktemp("home")))
    services.store("movies")
    return services


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "load: concurrent visitors against a launched page (bounded)")
