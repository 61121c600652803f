"""Shared fixtures: a fresh empty database and the demo database (built once per session)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.database import Database, open_database  # noqa: E402
from desktop.demo import DEMO_TODAY, build_demo  # noqa: E402

__all__ = ["DEMO_TODAY"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Never touch the developer's real data folder."""
    monkeypatch.setenv("THEODOI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("THEODOI_DB", raising=False)


@pytest.fixture
def db(tmp_path) -> Database:
    database = open_database(tmp_path / "db" / "theodoi.db")
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.db"
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
