"""Shared fixtures: a fresh empty database and the demo database (built once per session).

``any_db`` / ``any_demo_db`` run a test on SQLite and on a real PostgreSQL server that the suite
starts itself (see tests/pg.py); the PostgreSQL half is skipped, with the reason, only when no
server can be started here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Offscreen Qt with the screen most offices have: 1366×768 (the default offscreen screen is 800×800).
SCREEN_CONFIG = Path(__file__).resolve().parent / "data" / "screen-1366x768.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_CONFIG}"

from hypothesis import settings as _hypothesis_settings  # noqa: E402

# No per-example deadline: on a loaded 2-core CI machine a 200 ms deadline fails correct code
# (timing belongs in the benchmark's report, not in assertions).
_hypothesis_settings.register_profile("project", deadline=None)
_hypothesis_settings.load_profile("project")

from pg import PostgresServer, PostgresUnavailable  # noqa: E402  (tests/ is on sys.path: rootdir conftest)

from desktop.infra.database import Database, open_database  # noqa: E402
from desktop.services.demo import DEMO_TODAY, build_demo  # noqa: E402

__all__ = ["DEMO_TODAY"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Never touch the developer's real data folder."""
    monkeypatch.setenv("THEODOI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("THEODOI_DB", raising=False)


@pytest.fixture(scope="session")
def _empty_template(tmp_path_factory) -> Path:
    """A file migrated to head once per session; copying it is ~10x faster than migrating."""
    path = tmp_path_factory.mktemp("empty-template") / "theodoi.db"
    open_database(path).dispose()
    return path


@pytest.fixture
def db(tmp_path, _empty_template) -> Database:
    """A fresh, empty database file at head of its own (a copy of the migrated template)."""
    folder = tmp_path / "db"
    folder.mkdir()
    target = folder / "theodoi.db"
    shutil.copyfile(_empty_template, target)
    database = open_database(target)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory, _empty_template) -> Path:
    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.db"
    shutil.copyfile(_empty_template, path)
    database = open_database(path)
    build_demo(database, DEMO_TODAY)
    database.dispose()
    return path


@pytest.fixture
def demo_db(tmp_path, _demo_template) -> Database:
    """A private copy of the demo database (built once, copied per test)."""
    folder = tmp_path / "demo"
    folder.mkdir()
    target = folder / "demo.db"
    shutil.copyfile(_demo_template, target)
    database = open_database(target)
    yield database
    database.dispose()


# ---------------------------------------------------------------- PostgreSQL

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server started for this test session (skips the test if none can start)."""
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as exc:
        server.stop()
        pytest.skip(f"PostgreSQL không khởi động được: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _pg_empty_template(pg_server) -> str:
    """A database migrated to head, cloned for each test (cloning is ~10x faster than migrating)."""
    name = pg_server.create_database()
    open_database(pg_server.url(name)).dispose()
    return name


@pytest.fixture(scope="session")
def _pg_demo_template(pg_server, _pg_empty_template) -> str:
    name = pg_server.create_database(template=_pg_empty_template)
    database = open_database(pg_server.url(name))
    build_demo(database, DEMO_TODAY)
    database.dispose()
    return name


def _pg_clone(server: PostgresServer, template: str):
    name = server.create_database(template=template)
    database = open_database(server.url(name))
    try:
        yield database
    finally:
        database.dispose()
        server.drop_database(name)


@pytest.fixture
def pg_db(pg_server, _pg_empty_template) -> Database:
    """A fresh, empty, migrated PostgreSQL database of its own."""
    yield from _pg_clone(pg_server, _pg_empty_template)


@pytest.fixture
def pg_demo_db(pg_server, _pg_demo_template) -> Database:
    """A private PostgreSQL copy of the demo database."""
    yield from _pg_clone(pg_server, _pg_demo_template)


@pytest.fixture(params=BACKENDS)
def any_db(request) -> Database:
    """A fresh empty database, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")


@pytest.fixture(params=BACKENDS)
def any_demo_db(request) -> Database:
    """The demo database, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("demo_db" if request.param == "sqlite" else "pg_demo_db")
