"""Is a SQLite file a healthy database of ours? Qt-free; used at start, by the command line and by
the "Kiểm tra dữ liệu" maintenance action.

Every check opens its own read-only connection (through a ``file:`` URI built with
``Path.as_uri()``, so folders with spaces, ``#``, ``%`` or Vietnamese letters work) and never
writes to the file it checks.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

# Tables every database of ours has (a SQLite file without them belongs to another program).
_OUR_TABLES = {"unit", "directive", "task", "assignment"}


class Health:
    """Codes for :attr:`IntegrityReport.health`."""

    MISSING = "missing"  # no file (a new database will be created)
    EMPTY = "empty"  # zero bytes: SQLite treats it as a new database
    OK = "ok"
    NOT_DATABASE = "not_database"  # not a SQLite file at all (wrong file chosen, or header overwritten)
    FOREIGN = "foreign"  # a healthy SQLite file of another program
    DAMAGED = "damaged"  # SQLite file that fails integrity_check or cannot be read
    INCONSISTENT = "inconsistent"  # pages are sound, but rows point at missing rows (foreign_key_check)
    UNREADABLE = "unreadable"  # the file system refused to let us read it


@dataclass
class IntegrityReport:
    path: Path
    health: str
    problems: list[str] = field(default_factory=list)  # raw lines from SQLite, for the log and details
    message: str = ""  # Vietnamese, for the user

    @property
    def ok(self) -> bool:
        """The file can be opened as our database without losing anything."""
        return self.health in (Health.OK, Health.MISSING, Health.EMPTY)

    @property
    def damaged(self) -> bool:
        """The officer must be told and offered a backup."""
        return self.health in (Health.NOT_DATABASE, Health.DAMAGED, Health.INCONSISTENT)


_SQLITE_NOTADB = 26
_SMALLEST_DATABASE = 512  # one page of the smallest page size


def _not_a_database(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF == _SQLITE_NOTADB) or "file is not a database" in str(exc)


def readonly_uri(path: Path) -> str:
    """A ``file:`` URI that opens ``path`` read-only, whatever characters its folders contain."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def connect_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=10)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def check_file(path: str | Path, *, thorough: bool = True) -> IntegrityReport:
    """Check a database file. ``thorough`` runs ``integrity_check`` (also checks every index);
    otherwise ``quick_check``. Both add ``foreign_key_check``. Never raises for a bad file."""
    path = Path(path)
    # Never open() the file itself: on POSIX, closing any descriptor of a file drops every lock
    # this process holds on it, SQLite's included, and the next program to open the database
    # then deletes the -wal of a window that still uses it. The header is read through SQLite.
    try:
        if not path.exists():
            return IntegrityReport(path, Health.MISSING, message=f"Chưa có tệp «{path}».")
        if path.is_dir():
            return IntegrityReport(path, Health.NOT_DATABASE,
                                   message=f"«{path}» là một thư mục, không phải tệp cơ sở dữ liệu.")
        if path.stat().st_size == 0:
            return IntegrityReport(path, Health.EMPTY, message=f"Tệp «{path}» đang trống (0 byte).")
        if path.stat().st_size < _SMALLEST_DATABASE:  # SQLite would take it for an empty database
            return IntegrityReport(path, Health.NOT_DATABASE, [f"size {path.stat().st_size}"],
                                   f"Tệp «{path}» không phải là cơ sở dữ liệu của chương trình "
                                   "(hoặc phần đầu tệp đã bị ghi đè).")
        if not os.access(path, os.R_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    except OSError as exc:
        return IntegrityReport(path, Health.UNREADABLE, [str(exc)],
                               f"Không đọc được tệp «{path}»: {exc.strerror or exc}.")
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as exc:
        return IntegrityReport(path, Health.UNREADABLE, [str(exc)],
                               f"Không mở được tệp «{path}» để kiểm tra ({exc}).")
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # reads page 1: SQLite checks the header
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _not_a_database(exc):
            return IntegrityReport(path, Health.NOT_DATABASE, [str(exc)],
                                   f"Tệp «{path}» không phải là cơ sở dữ liệu của chương trình "
                                   "(hoặc phần đầu tệp đã bị ghi đè).")
        if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
            return IntegrityReport(path, Health.UNREADABLE, [str(exc)],
                                   f"Không mở được tệp «{path}» để kiểm tra ({exc}).")
        return IntegrityReport(path, Health.DAMAGED, [str(exc)],
                               f"Cơ sở dữ liệu «{path}» bị hỏng, không đọc được ({exc}).")
    try:
        try:
            pragma = "integrity_check" if thorough else "quick_check"
            lines = [row[0] for row in conn.execute(f"PRAGMA {pragma}(100)")]
        except sqlite3.DatabaseError as exc:
            return IntegrityReport(path, Health.DAMAGED, [str(exc)],
                                   f"Cơ sở dữ liệu «{path}» bị hỏng, không đọc được ({exc}).")
        if lines != ["ok"]:
            return IntegrityReport(path, Health.DAMAGED, lines,
                                   f"Cơ sở dữ liệu «{path}» bị hỏng: phát hiện {len(lines)} lỗi khi kiểm tra toàn vẹn.")
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            fk_rows = conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return IntegrityReport(path, Health.DAMAGED, [str(exc)],
                                   f"Cơ sở dữ liệu «{path}» bị hỏng, không đọc được ({exc}).")
    finally:
        conn.close()
    if tables and not _OUR_TABLES <= tables:
        return IntegrityReport(path, Health.FOREIGN, sorted(tables)[:20],
                               f"Tệp «{path}» là cơ sở dữ liệu của chương trình khác, không phải của "
                               "chương trình Theo dõi nhiệm vụ.")
    if fk_rows:
        problems = [f"{table} rowid={rowid} -> {parent}" for table, rowid, parent, _fkid in fk_rows[:100]]
        return IntegrityReport(path, Health.INCONSISTENT, problems,
                               f"Cơ sở dữ liệu «{path}» có {len(fk_rows)} bản ghi tham chiếu tới dữ liệu "
                               "không còn tồn tại.")
    return IntegrityReport(path, Health.OK, message=f"Cơ sở dữ liệu «{path}» không có lỗi.")


class IntegrityPrecheck:
    """The quick_check of a SQLite file, started on a thread of its own before the program has
    finished loading. SQLite runs the check without holding Python's lock, so reading a
    city-scale file (0.6 s for 160 MB) overlaps importing and building the window;
    ``desktop.database.open_database(..., precheck=)`` waits for its result before anything touches the file.
    Nothing to do (``path`` None) for a PostgreSQL URL."""

    def __init__(self, location: str | Path):
        self.path: Path | None = None
        self._report = None
        where = str(location).strip()
        if "://" not in where:  # a file (db.engine.database_url's rule; no SQLAlchemy needed here)
            self.path = Path(where).expanduser().resolve()
        elif where.startswith("sqlite:///"):
            self.path = Path(where.removeprefix("sqlite:///"))
        if self.path is not None:
            self._thread = threading.Thread(target=self._run, name="kiem-tra-nhanh", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        self._report = check_file(self.path, thorough=False)

    def report(self):
        """The IntegrityReport, waiting for the check to end."""
        self._thread.join()
        return self._report
