"""Keeping the officer's data safe, without Qt: integrity checks, backups with rotation, restore,
and the "Kiểm tra dữ liệu" maintenance check."""

from desktop.safety.backups import (
    AUTO,
    MANUAL,
    BackupInfo,
    RestoreResult,
    SafetyError,
    daily_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    restore,
    rotate,
    sqlite_file,
)
from desktop.safety.integrity import Health, IntegrityReport, check_file
from desktop.safety.maintenance import DataCheck, check_data

__all__ = [
    "AUTO", "MANUAL", "BackupInfo", "DataCheck", "Health", "IntegrityReport", "RestoreResult", "SafetyError",
    "check_data", "check_file", "daily_backup", "list_backups", "make_backup", "newest_good_backup", "restore",
    "rotate", "sqlite_file",
]
