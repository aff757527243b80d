"""Shared fixtures. Fast tests use the hashing embedder and tiny catalogs; tests marked
``slow`` use the real model and the shipped catalog (ingested once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tastebud.catalog import Catalog, Item
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.testing import HashingEmbedder

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def linker():
    """The title linker over the bundled movie catalog, built once for the understanding tests."""
    from tastebud.bundled import load_bundled_catalog
    from tastebud.nlu import TitleLinker

    return TitleLinker(load_bundled_catalog("movies"))


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
def run_cli(monkeypatch, capsys):
    """Run the ``tastebud`` console script in-process: ``run_cli(*args) -> (exit code, stdout, stderr)``."""
    import sys

    from tastebud.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["tastebud", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def hashing_embedder(monkeypatch) -> None:
    """Services built in the test embed with :class:`HashingEmbedder` (no model load)."""
    monkeypatch.setattr("tastebud.services.Embedder", lambda **_kw: HashingEmbedder())


@pytest.fixture
def fake_services(tmp_path) -> Services:
    return Services(Settings(home=tmp_path / "home"), embedder=HashingEmbedder())


@pytest.fixture
def tiny_services(tmp_path, tiny_catalog) -> Services:
    """Services (hashing embedder) whose default catalog is ``tiny_catalog``, ingested (ids ``u:1``…)."""
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps({"id": it.item_id[2:], "title": it.title, "year": it.year,
                                          "genres": it.genres, "description": it.overview})
                              for it in tiny_catalog.items))
    services = Services(Settings(home=tmp_path / "home", catalog="tiny"), embedder=HashingEmbedder())
    services.ingest(str(path))
    return services


@pytest.fixture(scope="session")
def real_services(tmp_path_factory) -> Services:
    """Services over the shipped movie catalog with the real embedding model."""
    services = Services(Settings(home=tmp_path_factory.mktemp("home")))
    services.store("movies")
    return services


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "load: concurrent visitors against a launched page (bounded)")


def _require_servers() -> bool:
    """CI (``.ci/run``) sets ``TASTEBUD_TEST_REQUIRE_SERVERS=1``: a server that cannot start fails, never skips."""
    import os

    return os.environ.get("TASTEBUD_TEST_REQUIRE_SERVERS") == "1"


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL on 127.0.0.1 in a temporary data directory (skipped where it is not installed)."""
    from servers import ServerUnavailable, start_postgres

    try:
        server = start_postgres()
    except ServerUnavailable as exc:
        if _require_servers():
            raise
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def profile_target(request, tmp_path):
    """Where a profile store lives, once per backend: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return tmp_path / "profiles.sqlite"
    import uuid

    server = request.getfixturevalue("postgres_server")
    return server.create_schema(f"t_{uuid.uuid4().hex[:12]}")
