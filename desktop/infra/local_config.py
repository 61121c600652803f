"""Per-PC configuration: which database this PC opens, and who the officer at this PC is.

Neither can live in the database. Its location is needed before it is opened, and with a shared
PostgreSQL database every officer has a PC of their own, so the name the change log records must
come from the PC, not from the shared settings.

A small JSON file (``cau-hinh.json``) in the per-user config folder of this PC (platformdirs,
not roaming). ``THEODOI_CONFIG_DIR`` names another folder; ``THEODOI_DATA_DIR`` (the whole data
folder moved, e.g. a portable copy or a test) takes the file with it. A missing, damaged or
unreadable file gives the defaults and a log line: the program always starts.

Qt-free. The file is written through ``desktop.infra.fileio.atomic_write`` (``OutputError`` with a
Vietnamese message when it cannot be written).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from platformdirs import user_config_dir

from desktop.infra import APP_NAME
from desktop.infra.fileio import atomic_write

log = logging.getLogger(__name__)

CONFIG_FILE_NAME = "cau-hinh.json"
MASK = "***"  # how SQLAlchemy hides a password; the settings dialog shows it instead of the password


@dataclass
class LocalConfig:
    """``database``: a SQLite file path or a ``postgresql://`` URL; empty = the default file of the
    data folder. ``officer_name``: None until it was first set on this PC (then the legacy value
    kept in the database is read once, see :func:`officer_name`); "" = no name, the login is used.
    ``shared_folder``: with a PostgreSQL database, the folder every PC reaches (a network share,
    e.g. ``\\\\MAYCHU\\TheoDoi``) that holds the attachments; "" = this PC's data folder."""

    database: str = ""
    officer_name: str | None = None
    shared_folder: str = ""


def config_dir() -> Path:
    override = os.environ.get("THEODOI_CONFIG_DIR") or os.environ.get("THEODOI_DATA_DIR")
    return Path(override) if override else Path(user_config_dir(APP_NAME, appauthor=False, roaming=False))


def config_path() -> Path:
    return config_dir() / CONFIG_FILE_NAME


def load_config(path: Path | None = None) -> LocalConfig:
    """The configuration of this PC; the defaults when the file is missing or cannot be used."""
    path = path or config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LocalConfig()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read the configuration %s (%s): using the defaults", path, exc)
        return LocalConfig()
    try:
        data = json.loads(raw)
    except ValueError as exc:
        log.warning("damaged configuration %s (%s): using the defaults", path, exc)
        return LocalConfig()
    if not isinstance(data, dict):
        log.warning("damaged configuration %s (not an object): using the defaults", path)
        return LocalConfig()
    config = LocalConfig()
    database = data.get("database")
    if isinstance(database, str):
        config.database = database.strip()
    elif database is not None:
        log.warning("configuration %s: 'database' is not text, ignored", path)
    officer = data.get("officer_name")
    if isinstance(officer, str):
        config.officer_name = officer.strip()
    elif officer is not None:
        log.warning("configuration %s: 'officer_name' is not text, ignored", path)
    shared = data.get("shared_folder")
    if isinstance(shared, str):
        config.shared_folder = shared.strip()
    elif shared is not None:
        log.warning("configuration %s: 'shared_folder' is not text, ignored", path)
    return config


def save_config(config: LocalConfig, path: Path | None = None) -> Path:
    """Write the whole file at once (temporary name, then rename). Raises OutputError."""
    path = path or config_path()
    data: dict[str, str] = {"database": config.database.strip()}
    if config.officer_name is not None:
        data["officer_name"] = config.officer_name.strip()
    if config.shared_folder.strip():
        data["shared_folder"] = config.shared_folder.strip()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
        if os.name == "posix":  # the URL may hold a password: only this user reads the file
            os.chmod(tmp, 0o600)

    return atomic_write(path, write)


def configured_database() -> str:
    """The database chosen in the settings of this PC, or "" for none."""
    return load_config().database


def configured_shared_folder() -> str:
    """The shared attachments folder chosen in the settings of this PC, or "" for none."""
    return load_config().shared_folder


def officer_name(legacy: Callable[[], str] | None = None) -> str:
    """The officer's name on this PC ("" when none).

    Before this file existed the name was a setting in the database. Until a name is stored here,
    ``legacy()`` (that old value) is read once and copied into this file, so an upgrade keeps
    the name; from then on only this file counts. A failure to read or write is logged."""
    config = load_config()
    if config.officer_name is not None:
        return config.officer_name
    if legacy is None:
        return ""
    try:
        value = (legacy() or "").strip()
    except Exception:  # noqa: BLE001 - the old value is a convenience, the login is a fine name
        log.warning("cannot read the officer name kept in the database", exc_info=True)
        return ""
    if value:
        config.officer_name = value
        try:
            save_config(config)
        except OSError as exc:
            log.warning("cannot store the officer name in %s: %s", config_path(), exc)
    return value


# ------------------------------------------------------------------ passwords in URLs


def split_password(location: str) -> tuple[str, str | None]:
    """``(location with the password shown as ***, the password)`` for a server URL; a file path
    or a URL without a password comes back unchanged with None."""
    if "://" not in location or location.lower().startswith("sqlite"):
        return location, None
    from sqlalchemy.engine import make_url

    try:
        url = make_url(location.strip())
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy understands: nothing to hide
        return location, None
    if not url.password:
        return location, None
    return url.render_as_string(hide_password=True), url.password


def restore_password(edited: str, password: str | None) -> str:
    """The URL to store after the officer edited the masked one: a password still shown as ***
    is the one kept before; a typed password replaces it."""
    text = edited.strip()
    if password is None or "://" not in text:
        return text
    from sqlalchemy.engine import make_url

    try:
        url = make_url(text)
    except Exception:  # noqa: BLE001 - stored as typed; opening it says what is wrong
        return text
    if url.password != MASK:
        return text
    return url.set(password=password).render_as_string(hide_password=False)
