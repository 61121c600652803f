"""Online backups of the SQLite file (safe while the app runs, WAL included)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from db.engine import sqlite_path


def backup_file(source: Path, target: Path) -> Path:
    """Copy a SQLite database with the backup API into ``target`` (written under a temporary
    name, checked with integrity_check, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new backups folder: this user only
    tmp = target.with_name(target.name + ".tmp")
    if tmp.exists():
        tmp.unlink()
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise sqlite3.DatabaseError(f"backup failed integrity_check: {ok}")
        finally:
            dst.close()
    finally:
        src.close()
    if os.name == "posix":  # as private as the database (desktop.infra.fileio.PRIVATE_FILE_MODE)
        os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return target


def online_backup(engine: Engine, target: Path) -> Path:
    path = sqlite_path(engine)
    if path is None:
        raise ValueError("online backup needs a SQLite file database")
    return backup_file(path, target)
