"""Keeping the officer's data safe, without Qt: integrity checks, backups with rotation, restore,
and the "Kiểm tra dữ liệu" maintenance check.

The names below are loaded on first use (PEP 562): ``desktop.safety.integrity`` needs only
sqlite3, so the start-up check of the file can begin before SQLAlchemy is imported.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "AUTO": "backups", "MANUAL": "backups", "BackupInfo": "backups", "RestoreResult": "backups",
    "SafetyError": "backups", "daily_backup": "backups", "list_backups": "backups", "make_backup": "backups",
    "newest_good_backup": "backups", "restore": "backups", "rotate": "backups", "sqlite_file": "backups",
    "Health": "integrity", "IntegrityReport": "integrity", "check_file": "integrity",
    "DataCheck": "maintenance", "check_data": "maintenance",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
