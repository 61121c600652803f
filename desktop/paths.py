"""Where data lives: a per-user folder, overridable by ``--db``, environment variables and the settings.

``THEODOI_DATA_DIR`` moves the whole data folder. The database (a path or a ``postgresql://`` URL)
is, first found: ``--db``, ``THEODOI_DB``, the one chosen in the settings of this PC
(``desktop.local_config``), the file ``theodoi.db`` of the data folder. Attachments, backups, logs
and imported files live beside the database.
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
    """The database when no ``--db`` is given (see the module's docstring for the order)."""
    return database_and_source()[0]


def database_and_source() -> tuple[str, str]:
    """The database without ``--db``, and where it came from: "env", "config" or "default"."""
    from_env = os.environ.get("THEODOI_DB", "").strip()
    if from_env:
        return from_env, "env"
    from desktop import local_config  # it imports this module for APP_NAME

    configured = local_config.configured_database()
    if configured:
        return configured, "config"
    return str(default_database_file()), "default"


def default_database_file() -> Path:
    """The SQLite file of the data folder, used when nothing else is chosen."""
    return data_dir() / DB_FILE_NAME


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
