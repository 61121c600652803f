"""Where the single-instance lock of a database lives (the lock itself is a QLockFile taken by
the app; the command line only looks for it). Qt-free."""

from __future__ import annotations

import hashlib
from pathlib import Path

from desktop.infra import paths
from desktop.safety.backups import sqlite_file


def lock_file_for(database: str) -> Path:
    """``<file>.lock`` beside a SQLite file; for a server URL, a file in the data folder named
    after the URL's hash (one running copy per database on this PC)."""
    path = sqlite_file(database)
    if path is not None:
        return path.with_name(path.name + ".lock")
    digest = hashlib.sha1(database.encode("utf-8")).hexdigest()[:16]
    return paths.data_dir() / f"csdl-{digest}.lock"
