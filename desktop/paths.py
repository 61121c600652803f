"""Where data lives: a per-user folder, overridable by ``--db`` and environment variables.

``THEODOI_DATA_DIR`` moves the whole data folder; ``THEODOI_DB`` names the database (a path or a
``postgresql://`` URL). Attachments, backups, logs and imported files live beside the database.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_documents_dir

APP_NAME = "TheoDoiNhiemVu"
DB_FILE_NAME = "theodoi.db"


def data_dir() -> Path:
    override = os.environ.get("THEODOI_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_database() -> str:
    return os.environ.get("THEODOI_DB") or str(data_dir() / DB_FILE_NAME)


def folder_for(database: str) -> Path:
    """The data folder that goes with a database: beside a SQLite file, else the user data folder."""
    if "://" in database and not database.startswith("sqlite"):
        return data_dir()
    path = Path(database.replace("sqlite:///", "")) if database.startswith("sqlite") else Path(database)
    return path.expanduser().resolve().parent


def attachments_dir(database: str) -> Path:
    return folder_for(database) / "tep-dinh-kem"


def backups_dir(database: str) -> Path:
    return folder_for(database) / "sao-luu"


def logs_dir(database: str) -> Path:
    return folder_for(database) / "nhat-ky"


def documents_dir() -> Path:
    try:
        return Path(user_documents_dir())
    except Exception:
        return Path.home()
