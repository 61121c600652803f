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


def connect_readonly(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A read-only connection. ``immutable``: SQLite reads the file without any lock or ``-shm``
    (only for a file nobody writes: a backup, or a database in a folder that cannot be written)."""
    uri = readonly_uri(path) + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, timeout=10)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _folder_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


_SQLITE_READONLY, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 13, 14


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if code is not None else None


def _disk_full(exc: sqlite3.Error) -> bool:
    return _code(exc) == _SQLITE_FULL or "disk is full" in str(exc)


def _cannot_open(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return _code(exc) in (_SQLITE_CANTOPEN, _SQLITE_READONLY) or "unable to open" in text or "readonly" in text


def _failure(path: Path, exc: sqlite3.Error) -> IntegrityReport:
    """What a failed read means: the real cause (a full disk, a folder that cannot be written, no
    permission) is not damage, and is never called "bị hỏng"."""
    if _not_a_database(exc):
        return IntegrityReport(path, Health.NOT_DATABASE, [str(exc)],
                               f"Tệp «{path}» không phải là cơ sở dữ liệu của chương trình "
                               "(hoặc phần đầu tệp đã bị ghi đè).")
    if _disk_full(exc):
        return IntegrityReport(path, Health.UNREADABLE, [str(exc)],
                               f"Không kiểm tra được tệp «{path}»: ổ đĩa đã đầy (SQLite cần một ít chỗ trống để "
                               "đọc). Đây không phải là lỗi của dữ liệu; hãy giải phóng dung lượng rồi mở lại.")
    if _cannot_open(exc):
        where = path.parent
        return IntegrityReport(path, Health.UNREADABLE, [str(exc)],
                               f"Không mở được tệp «{path}» để đọc: thư mục «{where}» chỉ cho phép đọc hoặc anh/chị "
                               "không có quyền truy cập (SQLite cần tạo tệp tạm bên cạnh). Đây không phải là lỗi của dữ liệu; "
                               "hãy nhờ cán bộ tin học cấp quyền ghi vào thư mục, hoặc chép tệp sang thư mục khác.")
    return IntegrityReport(path, Health.DAMAGED, [str(exc)],
                           f"Cơ sở dữ liệu «{path}» bị hỏng, không đọc được ({exc}).")


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
                               f"Không đọc được tệp «{path}» (không có quyền đọc): {exc.strerror or exc}. "
                               "Đây không phải là lỗi của dữ liệu; hãy nhờ cán bộ tin học cấp quyền đọc tệp.")
    return _check_with_sqlite(path, thorough)


def _read_as_it_is(path: Path) -> bool:
    """A database in WAL mode in a folder that cannot be written: SQLite may not create its -shm.
    Nobody can write it there either (and no -wal waits to be merged), so it is read as it is,
    without locks."""
    return not Path(str(path) + "-wal").exists() and not _folder_writable(path)


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A read-only connection that has read the file's first page (SQLite checked its header): as
    :func:`connect_readonly`, or without locks when the folder cannot be written (see
    :func:`_read_as_it_is`; never for a full disk). SQLite's error is raised as it is."""
    try:
        return _first_page_read(connect_readonly(path))
    except sqlite3.Error as exc:
        if _code(exc) == _SQLITE_FULL or not _read_as_it_is(path):
            raise
    return _first_page_read(connect_readonly(path, immutable=True))


def _first_page_read(conn: sqlite3.Connection) -> sqlite3.Connection:
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _check_with_sqlite(path: Path, thorough: bool) -> IntegrityReport:
    try:
        conn = open_for_reading(path)
    except sqlite3.Error as exc:
        return _failure(path, exc)
    try:
        try:
            pragma = "integrity_check" if thorough else "quick_check"
            lines = [row[0] for row in conn.execute(f"PRAGMA {pragma}(100)")]
        except sqlite3.DatabaseError as exc:
            return _failure(path, exc)
        if lines != ["ok"]:
            return IntegrityReport(path, Health.DAMAGED, lines,
                                   f"Cơ sở dữ liệu «{path}» bị hỏng: phát hiện {len(lines)} lỗi khi kiểm tra toàn vẹn.")
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            fk_rows = conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return _failure(path, exc)
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
    ``desktop.infra.database.open_database(..., precheck=)`` waits for its result before anything touches the file.
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
