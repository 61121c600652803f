"""Where data lives: a per-user folder, overridable by ``--db``, environment variables and the settings.

``THEODOI_DATA_DIR`` moves the whole data folder. The database (a path or a ``postgresql://`` URL)
is, first found: ``--db``, ``THEODOI_DB``, the one chosen in the settings of this PC
(``desktop.infra.local_config``), the file ``theodoi.db`` of the data folder. Backups, logs and drafts
live beside a SQLite file (for a server: in this PC's data folder).

Attachments (``tep-dinh-kem/``) are stored as paths relative to :func:`attachments_root`: beside a
SQLite file; for a PostgreSQL database, the shared folder chosen in the settings of this PC (a
network share every PC reaches) or, when none is chosen, this PC's data folder (then other PCs
cannot open them).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_documents_dir

from desktop.infra import APP_NAME

DB_FILE_NAME = "theodoi.db"
ATTACHMENTS_FOLDER = "tep-dinh-kem"
KEPT_FORMS_FOLDER = "phieu-excel"  # under ATTACHMENTS_FOLDER: the copies of imported forms


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
    from desktop.infra import local_config  # on demand: reading it is not needed to start

    configured = local_config.configured_database()
    if configured:
        return configured, "config"
    return str(default_database_file()), "default"


def default_database_file() -> Path:
    """The SQLite file of the data folder, used when nothing else is chosen."""
    return data_dir() / DB_FILE_NAME


def folder_for(database: str) -> Path:
    """The data folder that goes with a database: beside a SQLite file, else the user data folder."""
    if is_server(database):
        return data_dir()
    path = Path(database.replace("sqlite:///", "")) if database.startswith("sqlite") else Path(database)
    return path.expanduser().resolve().parent


def is_server(database: str) -> bool:
    """A database server URL (PostgreSQL), not a SQLite file."""
    return "://" in database and not database.startswith("sqlite")


def shared_folder(database: str) -> Path | None:
    """The shared attachments folder chosen on this PC, when it applies: a server database and a
    folder set in the settings; else None."""
    if not is_server(database):
        return None
    from desktop.infra import local_config  # on demand: reading it is not needed to start

    chosen = local_config.configured_shared_folder()
    return Path(chosen).expanduser() if chosen else None


def attachments_root(database: str) -> Path:
    """The folder stored attachment paths (``tep-dinh-kem/…``) are relative to: the shared folder
    of :func:`shared_folder` when it applies, else the data folder of :func:`folder_for`."""
    return shared_folder(database) or folder_for(database)


def attachments_dir(database: str) -> Path:
    return attachments_root(database) / ATTACHMENTS_FOLDER


def backups_dir(database: str) -> Path:
    return folder_for(database) / "sao-luu"


def logs_dir(database: str) -> Path:
    return folder_for(database) / "nhat-ky"


def documents_dir() -> Path:
    try:
        return Path(user_documents_dir())
    except Exception:
        return Path.home()
