"""Backups of the SQLite file: automatic daily ones with rotation, manual ones, listing, restore.

Every copy is made with SQLite's online backup API (``db.backup.backup_file``: temporary name,
integrity_check, rename), so it is safe while the program has the database open and includes
what is still in the ``-wal`` file.

File names, in the backups folder beside the database (``desktop.infra.paths.backups_dir``)::

    <stem>-tu-dong-YYYYMMDD-HHMMSS.db           automatic, at most one per day
    <stem>-thu-cong-YYYYMMDD-HHMMSS.db          "Sao lưu" from the menu or the command line
    <stem>-truoc-khoi-phuc-YYYYMMDD-HHMMSS.db   the current file, kept aside before a restore
    <stem>-hong-YYYYMMDD-HHMMSS.db              a damaged file, kept aside as it was (raw copy)
    truoc-nang-cap-<rev>-YYYYMMDD-HHMMSS.db     made by db.migrate before a schema upgrade

Rotation only ever deletes automatic backups: the newest ``keep`` of them, plus the oldest of
every month, stay. Qt-free.
"""

from __future__ import annotations

import errno
import glob
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from db.backup import backup_file
from desktop.infra import paths
from desktop.infra.fileio import make_private, next_free_name, private_folder, remove_sqlite_files
from desktop.safety.integrity import Health, IntegrityReport, check_file

log = logging.getLogger(__name__)

AUTO = "tu-dong"
MANUAL = "thu-cong"
BEFORE_RESTORE = "truoc-khoi-phuc"
DAMAGED = "hong"
BEFORE_UPGRADE = "truoc-nang-cap"

KIND_LABEL = {
    AUTO: "Tự động hằng ngày",
    MANUAL: "Sao lưu thủ công",
    BEFORE_RESTORE: "Bản trước khi khôi phục",
    DAMAGED: "Tệp hỏng được giữ lại",
    BEFORE_UPGRADE: "Trước khi nâng cấp",
}

# Kinds that hold a good copy of this database (a damaged copy is never offered for restore).
RESTORABLE = (AUTO, MANUAL, BEFORE_RESTORE)

_STAMP = "%Y%m%d-%H%M%S"
_OWN = re.compile(r"^(?P<stem>.+)-(?P<kind>tu-dong|thu-cong|truoc-khoi-phuc|hong)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.db$")
_UPGRADE = re.compile(r"^truoc-nang-cap-(?P<rev>.+)-(?P<stamp>\d{8}-\d{6})\.db$")


class SafetyError(Exception):
    """A backup or restore could not be done; ``message`` is Vietnamese. The database is unchanged."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    taken_at: datetime
    size: int

    @property
    def label(self) -> str:
        return KIND_LABEL.get(self.kind, self.kind)

    @property
    def restorable(self) -> bool:
        return self.kind in RESTORABLE


@dataclass
class RestoreResult:
    restored_from: Path
    kept_aside: Path | None  # the file as it was before the restore
    previous: IntegrityReport  # what the file was like before


def sqlite_file(database: str | Path) -> Path | None:
    """The SQLite file behind a database location, or None for a server URL."""
    text = str(database)
    if "://" in text and not text.startswith("sqlite"):
        return None
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
    return Path(text).expanduser().resolve()


def backups_folder(database: str | Path) -> Path:
    return paths.backups_dir(str(sqlite_file(database) or database))


def _private_backups_folder(database: str | Path) -> Path:
    """The backups folder, created for this user only (``desktop.infra.fileio.PRIVATE_DIR_MODE``)."""
    folder = backups_folder(database)
    try:
        private_folder(folder)
    except OSError:
        pass  # reported by the copy itself, with the real cause
    return folder


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime(_STAMP)


def _free(path: Path) -> Path:
    """Two copies within one second must not overwrite each other."""
    return next_free_name(path, "{stem}-{n}{suffix}")


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "disk is full" in str(exc) \
            or "database or disk is full" in str(exc):
        return "ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại"
    if isinstance(exc, PermissionError) or isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EROFS) \
            or "readonly" in str(exc) or "unable to open" in str(exc):
        return "không có quyền ghi vào thư mục sao lưu"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _copy(source: Path, target: Path) -> Path:
    try:
        return backup_file(source, target)
    except (OSError, sqlite3.Error) as exc:
        target.with_name(target.name + ".tmp").unlink(missing_ok=True)
        raise SafetyError(f"Không sao lưu được vào «{target.parent}»: {_error_text(exc)}.") from exc


def make_backup(database: str | Path, kind: str = MANUAL, now: datetime | None = None) -> Path:
    """Copy the database now (online backup API). Raises SafetyError."""
    source = sqlite_file(database)
    if source is None:
        raise SafetyError("Cơ sở dữ liệu PostgreSQL được sao lưu bằng công cụ của máy chủ (pg_dump), "
                          "không sao lưu từ chương trình.")
    report = check_file(source, thorough=False)
    if report.health in (Health.MISSING, Health.EMPTY):
        raise SafetyError(f"Chưa có dữ liệu để sao lưu tại «{source}».")
    if not report.ok:
        raise SafetyError(report.message + " Không sao lưu một tệp hỏng đè lên các bản sao lưu tốt.")
    target = _free(_private_backups_folder(source) / f"{source.stem}-{kind}-{_stamp(now)}.db")
    path = _copy(source, target)
    log.info("backup %s -> %s", source, path)
    return path


def list_backups(database: str | Path) -> list[BackupInfo]:
    """Backups of this database, newest first (pre-upgrade copies of the folder included)."""
    source = sqlite_file(database)
    if source is None:
        return []
    folder = backups_folder(source)
    if not folder.is_dir():
        return []
    found: list[BackupInfo] = []
    for entry in folder.iterdir():
        if not entry.is_file():
            continue
        m = _OWN.match(entry.name)
        if m and m.group("stem") == source.stem:
            kind = m.group("kind")
        else:
            m = _UPGRADE.match(entry.name)
            if not m:
                continue
            kind = BEFORE_UPGRADE
        try:
            taken = datetime.strptime(m.group("stamp"), _STAMP)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(entry, kind, taken, size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def rotate(database: str | Path, keep: int) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep``, keeping the oldest of every month.
    Returns the deleted paths."""
    keep = max(1, int(keep))
    autos = [b for b in list_backups(database) if b.kind == AUTO]  # newest first
    monthly: dict[tuple[int, int], BackupInfo] = {}
    for b in autos:  # newest first, so the last one seen in a month is its oldest
        monthly[(b.taken_at.year, b.taken_at.month)] = b
    kept = set(b.path for b in autos[:keep]) | {b.path for b in monthly.values()}
    deleted = []
    for b in autos:
        if b.path not in kept:
            try:
                b.path.unlink()
                deleted.append(b.path)
            except OSError as exc:  # a backup being copied by the user; try again next time
                log.warning("could not delete old backup %s: %s", b.path, exc)
    return deleted


def daily_backup(database: str | Path, keep: int, today: date | None = None,
                 now: datetime | None = None) -> Path | None:
    """The automatic backup of the day: made once per calendar day, then older ones rotated.
    Returns the new backup, or None when today's already exists (or for a server database)."""
    source = sqlite_file(database)
    if source is None or not source.exists() or source.stat().st_size == 0:
        return None
    now = now or datetime.now()
    day = today or now.date()
    _remove_stale_temporaries(source, now)
    if any(b.kind == AUTO and b.taken_at.date() == day for b in list_backups(source)):
        return None
    path = make_backup(source, AUTO, now)
    rotate(source, keep)
    return path


def _remove_stale_temporaries(source: Path, now: datetime) -> None:
    """A copy interrupted by a power cut leaves ``<name>.db.tmp``: never listed, never restored;
    removed here once it is an hour old (a copy in progress is younger)."""
    folder = backups_folder(source)
    if not folder.is_dir():
        return
    for entry in folder.glob(f"{glob.escape(source.stem)}-*.db.tmp"):
        try:
            if now.timestamp() - entry.stat().st_mtime > 3600:
                entry.unlink()
        except OSError:
            pass


def newest_good_backup(database: str | Path) -> BackupInfo | None:
    """The newest restorable backup that passes integrity_check."""
    for b in list_backups(database):
        if b.restorable and check_file(b.path).health == Health.OK:
            return b
    return None


def _remove_journal(target: Path) -> None:
    # A -wal left from the file being replaced would be replayed onto the restored file.
    remove_sqlite_files(target, main=False)


def keep_damaged_aside(target: Path, now: datetime | None = None) -> Path:
    """Raw copy of a damaged file (and its -wal) into the backups folder; the file stays."""
    aside = _free(_private_backups_folder(target) / f"{target.stem}-{DAMAGED}-{_stamp(now)}.db")
    shutil.copy2(target, aside)
    make_private(aside)
    wal = Path(str(target) + "-wal")
    if wal.exists():
        shutil.copy2(wal, Path(str(aside) + "-wal"))
        make_private(Path(str(aside) + "-wal"))
    return aside


def restore(database: str | Path, backup: str | Path, now: datetime | None = None) -> RestoreResult:
    """Replace the database's content with a backup's.

    The backup is checked first (integrity_check and foreign_key_check); the current file is
    kept aside (a healthy one as ``…-truoc-khoi-phuc-<time>.db`` made with the backup API, a
    damaged one as a raw copy ``…-hong-<time>.db``). A healthy current file is overwritten with
    the backup API in one transaction, so connections left open in this process stay valid and
    a crash leaves either the old or the new content. A damaged file is replaced by renaming a
    complete restored copy over it. Raises SafetyError; on error the database is unchanged."""
    target = sqlite_file(database)
    if target is None:
        raise SafetyError("Cơ sở dữ liệu PostgreSQL được khôi phục bằng công cụ của máy chủ, "
                          "không khôi phục từ chương trình.")
    backup = Path(backup).expanduser().resolve()
    if backup == target:
        raise SafetyError("Không thể khôi phục một tệp từ chính nó.")
    checked = check_file(backup)
    if checked.health != Health.OK:
        raise SafetyError(f"Bản sao lưu «{backup.name}» không dùng được: {checked.message}")
    previous = check_file(target, thorough=False)  # quick: the aside copy is checked in full anyway
    aside: Path | None = None
    try:
        if previous.health == Health.OK:
            aside = _copy(target, _free(_private_backups_folder(target) / f"{target.stem}-{BEFORE_RESTORE}-{_stamp(now)}.db"))
            _overwrite_live(backup, target)
        else:
            if previous.health not in (Health.MISSING, Health.EMPTY):
                aside = keep_damaged_aside(target, now)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = _copy(backup, target.with_name(f".~{target.stem}-khoi-phuc.db"))
            try:
                _remove_journal(target)
                os.replace(tmp, target)
            except OSError:
                tmp.unlink(missing_ok=True)
                raise
    except SafetyError:
        raise
    except (OSError, sqlite3.Error) as exc:
        if isinstance(exc, PermissionError) or "locked" in str(exc):
            raise SafetyError(f"Không khôi phục được: cơ sở dữ liệu «{target.name}» đang được chương trình "
                              "khác sử dụng. Hãy đóng các chương trình đó rồi thử lại.") from exc
        raise SafetyError(f"Không khôi phục được «{target.name}»: {_error_text(exc)}.") from exc
    after = check_file(target, thorough=False)
    if after.health != Health.OK:  # should never happen; the kept-aside file still has everything
        raise SafetyError(f"Khôi phục không thành công: {after.message} Tệp cũ được giữ tại «{aside}».")
    log.info("restored %s from %s (previous state %s kept at %s)", target, backup, previous.health, aside)
    return RestoreResult(backup, aside, previous)


def _overwrite_live(backup: Path, target: Path) -> None:
    src = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(target), timeout=10)
        try:
            dst.execute("PRAGMA busy_timeout=10000")
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
