"""Opening a database for the app and the command line: engine, migrations, session factory."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db import migrate
from db.engine import current_os_user, database_url, make_engine, make_session_factory, session_scope
from desktop.infra import local_config, paths
from desktop.infra.fileio import make_private, private_folder, sqlite_files
from desktop.infra.redact import hide_password, redact_text
from desktop.safety.integrity import IntegrityPrecheck
from desktop.services.operations import ConflictError, check_lengths_before_flush
from desktop.services.settings import Settings, load_settings

T = TypeVar("T")

STALE_MESSAGE = ("Bản ghi vừa được người khác sửa trong lúc anh/chị lưu; thay đổi của anh/chị chưa được ghi. "
                 "Dữ liệu mới nhất đã được tải lại; vui lòng kiểm tra và nhập lại thay đổi.")
BUSY_MESSAGE = ("Cơ sở dữ liệu đang được người khác ghi nên thay đổi của anh/chị chưa được lưu. "
                "Dữ liệu mới nhất đã được tải lại; vui lòng kiểm tra và lưu lại.")


class DatabaseOpenError(Exception):
    """The file cannot be used as our database; ``message`` is Vietnamese, for the user."""

    def __init__(self, message: str):
        message = redact_text(message)  # a driver's error may quote the address it was given
        super().__init__(message)
        self.message = message


@dataclass
class Database:
    location: str  # path or URL as given
    engine: Engine
    sessions: sessionmaker
    read_only: bool = False  # a SQLite file that may not be written: opened with mode=ro on purpose

    @contextmanager
    def session(self, context: str = ""):
        """One transaction. A save that lost a race with another officer (the row's version
        changed under it) is rolled back and raised as ``ConflictError``: no lost update."""
        try:
            with session_scope(self.sessions, context) as s:
                yield s
        except StaleDataError as exc:
            raise ConflictError(STALE_MESSAGE) from exc
        except sa_exc.OperationalError as exc:
            # SQLite in WAL mode refuses to write from a read snapshot that another connection
            # has since changed (SQLITE_BUSY_SNAPSHOT), or when the writer lock stays taken.
            if self.engine.dialect.name == "sqlite" and "locked" in str(exc.orig).lower():
                raise ConflictError(BUSY_MESSAGE) from exc
            if self.engine.dialect.name == "sqlite" and "readonly" in str(exc.orig).lower():
                raise ReadOnlyDatabaseError(READ_ONLY_SAVE.format(path=self.location)) from exc
            raise

    def in_transaction(self, work: Callable[[Session], T], context: str = "") -> T:
        """``work(session)`` in one transaction (:meth:`session`); returns its value. The editing dialogs
        hand this to the writer thread."""
        with self.session(context) as s:
            return work(s)

    @property
    def user(self) -> str:
        """The name written in the change log for this connection's changes."""
        return self.sessions.kw["info"]["user"]

    def set_user(self, user: str) -> None:
        self.sessions.kw["info"]["user"] = user

    @property
    def display_location(self) -> str:
        return display_location(self.location)

    def settings(self) -> Settings:
        with self.session() as s:
            return load_settings(s)

    @property
    def folder(self) -> Path:
        return paths.folder_for(self.location)

    def dispose(self) -> None:
        self.engine.dispose()


class DamagedDatabaseError(DatabaseOpenError):
    """The file exists but is not a healthy database of ours; ``report`` says why
    (a ``desktop.safety.IntegrityReport``). The app offers the newest good backup."""

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class LostDatabaseError(DamagedDatabaseError):
    """The file is empty, missing or unreadable (a sync tool, a crash, a copy gone wrong) while
    good backups of it exist: it is never taken for a new database. ``backup``: the newest good
    one (a ``desktop.safety.BackupInfo``), which the window offers to restore."""

    def __init__(self, message: str, report=None, backup=None):
        super().__init__(message, report)
        self.backup = backup


class ReadOnlyDatabaseError(ConflictError):
    """A save into a database opened read-only on purpose; nothing was written."""


READ_ONLY_NOTICE = ("Tệp cơ sở dữ liệu «{path}» chỉ cho phép đọc (thuộc tính chỉ đọc, hoặc anh/chị không có quyền "
                    "ghi), nên chương trình mở ở chế độ CHỈ ĐỌC: xem, in và xuất được, nhưng không lưu được thay đổi. "
                    "Muốn sửa dữ liệu, hãy bỏ thuộc tính chỉ đọc của tệp (hoặc nhờ cán bộ tin học cấp quyền ghi) "
                    "rồi mở lại chương trình.")
READ_ONLY_SAVE = ("Cơ sở dữ liệu đang mở ở chế độ chỉ đọc (tệp «{path}» không cho phép ghi), nên thay đổi này "
                  "chưa được lưu. Hãy bỏ thuộc tính chỉ đọc của tệp rồi mở lại chương trình.")


def lost_message(path: Path, report, backup) -> str:
    """Vietnamese: the file is empty/missing/unreadable, the newest good backup, how to restore it."""
    from desktop.safety.integrity import Health

    if report.health == Health.EMPTY:
        what = f"Tệp cơ sở dữ liệu «{path}» đang trống (0 byte)."
    elif report.health == Health.MISSING:
        what = f"Không tìm thấy tệp cơ sở dữ liệu «{path}»."
    else:
        what = report.message
    return (f"{what} Dữ liệu vẫn còn trong bản sao lưu: bản sao lưu tốt mới nhất là «{backup.path.name}» "
            f"(lúc {backup.taken_at:%H:%M ngày %d/%m/%Y}, trong thư mục «{backup.path.parent}»). Chương trình không "
            "tạo cơ sở dữ liệu mới đè lên. Để khôi phục: mở chương trình và chọn «Khôi phục», hoặc chạy lệnh\n"
            f"    python -m desktop restore --db \"{path}\" --from \"{backup.path}\"")


def check_sqlite_file(path: Path, precheck: "IntegrityPrecheck | None" = None, *,
                      new_if_missing: bool = True) -> None:
    """Refuse a file that is not a healthy SQLite database before anything writes to it.

    Raises DamagedDatabaseError (a DatabaseOpenError) for a damaged, foreign or unreadable file.
    An empty file is a new database only when no good backup of it exists (else
    LostDatabaseError, naming the newest); with ``new_if_missing`` False the same goes for a
    missing file. ``precheck``: the same check already started on a thread for this file (its
    result is awaited here)."""
    from desktop.safety.integrity import Health

    if precheck is not None and precheck.path == path:
        report = precheck.report()
    else:
        from desktop.safety.integrity import check_file

        report = check_file(path, thorough=False)
    lost = report.health in (Health.EMPTY, Health.UNREADABLE) or \
        report.health == Health.MISSING and not new_if_missing
    if lost and paths.backups_dir(str(path)).is_dir():
        from desktop.safety.backups import newest_good_backup

        backup = newest_good_backup(path)
        if backup is not None:
            raise LostDatabaseError(lost_message(path, report, backup), report, backup)
    if not report.ok:
        raise DamagedDatabaseError(report.message, report)


def writable(path: Path) -> bool:
    """May this program write the database file (a read-only attribute or permission says no; in
    a folder that cannot be written SQLite cannot create its -wal either)?"""
    if not path.exists():
        return True
    folder_ok = os.access(path.parent, os.W_OK) or Path(str(path) + "-wal").exists()
    return os.access(path, os.W_OK) and folder_ok


def display_location(location: str) -> str:
    """The database's path or URL for messages and titles: never the password
    (``desktop.infra.redact.hide_password``, the one function every place uses)."""
    return hide_password(str(location))


_SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_URL_SHAPE = ("Địa chỉ máy chủ viết đúng dạng: postgresql://người-dùng:mật-khẩu@máy-chủ:5432/tên-csdl "
              "(ví dụ postgresql://canbo:matkhau@192.168.1.10:5432/theodoi).")
_URL_LIKE = re.compile(r"^[A-Za-z][\w+.-]*(:/{0,2}|/{2})")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def check_address(location: str | Path) -> None:
    """Refuse a malformed database address before anything touches the disk or the network:
    ``postgres//u:p@h/db`` (colon missing) must not become a folder ``postgres/u:p@h/``, a port
    that is not a number must not raise ValueError. Raises DatabaseOpenError (Vietnamese, the
    password hidden); a file path or a well-formed URL passes."""
    text = str(location).strip()
    if not text:
        raise DatabaseOpenError("Địa chỉ cơ sở dữ liệu đang trống.")
    shown = display_location(text)
    if "://" not in text:
        if _DRIVE.match(text) or text.startswith(("\\\\", "//")) and "@" not in text:
            return  # C:\…, \\máy\chia-sẻ\…: a file
        if text.lower().startswith("postgres") and any(c in text for c in ("@", "//", ":")) \
                or _URL_LIKE.match(text) and "@" in text:
            raise DatabaseOpenError(f"Địa chỉ «{shown}» không hợp lệ: không đúng dạng (thiếu dấu «:» hoặc «//» sau "
                                    f"«postgresql»?). {_URL_SHAPE}")
        return
    scheme, rest = text.split("://", 1)
    if scheme.lower() == "sqlite":
        return
    if scheme.lower() not in _SERVER_SCHEMES:
        raise DatabaseOpenError(f"Địa chỉ «{shown}» không hợp lệ: không phải của máy chủ PostgreSQL (chương trình chỉ dùng "
                                f"tệp SQLite hoặc máy chủ PostgreSQL). {_URL_SHAPE}")
    authority = rest.split("/", 1)[0]
    host_port = authority.rsplit("@", 1)[-1]
    has_port = ":" in host_port and not host_port.endswith("]")  # [::1] is an IPv6 host without a port
    host, port = host_port.rsplit(":", 1) if has_port else (host_port, "")
    if not host.strip() and "host=" not in rest:  # postgresql://u@/db?host=/run/postgresql: a local socket
        raise DatabaseOpenError(f"Địa chỉ «{shown}» không hợp lệ: thiếu tên hoặc địa chỉ IP của máy chủ. {_URL_SHAPE}")
    if has_port and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise DatabaseOpenError(f"Địa chỉ «{shown}» không hợp lệ: số cổng (port) «{port}» không hợp lệ; cổng phải là một số "
                                f"từ 1 đến 65535 (PostgreSQL thường dùng 5432). {_URL_SHAPE}")
    if "/" not in rest or not rest.split("/", 1)[1].split("?", 1)[0].strip():
        raise DatabaseOpenError(f"Địa chỉ «{shown}» không hợp lệ: thiếu tên cơ sở dữ liệu sau dấu «/». {_URL_SHAPE}")
    try:
        make_url(database_url(text)).port
    except Exception as exc:  # noqa: BLE001 - whatever SQLAlchemy cannot read
        raise DatabaseOpenError(f"Địa chỉ «{shown}» không hợp lệ. {_URL_SHAPE}") from exc


def newer_message(where: str, revision: str) -> str:
    return (f"Cơ sở dữ liệu «{display_location(where)}» được tạo bằng một phiên bản MỚI HƠN của chương trình "
            f"(cấu trúc dữ liệu số {revision}; phiên bản này chỉ biết đến số {migrate.SCHEMA_HEAD}). Hãy cài phiên "
            "bản mới nhất của chương trình Theo dõi nhiệm vụ rồi mở lại. Tệp được giữ nguyên, không có gì bị ghi.")


def _check_read_only_schema(engine: Engine, where: str) -> None:
    """A read-only file cannot be upgraded: it must already be at this program's schema."""
    try:
        stored = migrate.stored_revision(engine)
    except sa_exc.DBAPIError as exc:
        raise DatabaseOpenError(f"Không đọc được cơ sở dữ liệu chỉ đọc «{display_location(where)}»: {exc.orig}") \
            from exc
    if stored == migrate.SCHEMA_HEAD:
        return
    if stored is not None and stored not in migrate.known_revisions():
        raise DatabaseOpenError(newer_message(where, stored))
    raise DatabaseOpenError(f"Tệp «{display_location(where)}» chỉ cho phép đọc, nhưng cần được nâng cấp lên "
                            "phiên bản mới của chương trình (việc này phải ghi vào tệp). Hãy bỏ thuộc tính chỉ đọc "
                            "của tệp rồi mở lại.")


def officer_label(officer_name: str = "", os_user: str | None = None) -> str:
    """Who the change log names: the officer's name from the settings when set, with the
    Windows login (several officers may share a database, and a name may be mistyped)."""
    login = os_user or current_os_user()
    name = (officer_name or "").strip()
    if not name or name == login:
        return login[:120]
    return f"{name} ({login})"[:120]


def _check_server(engine: Engine, where: str) -> None:
    try:
        with engine.connect():
            pass
    except sa_exc.OperationalError as exc:
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(getattr(exc, "orig", exc)).strip() else ""
        raise DatabaseOpenError(
            f"Không kết nối được cơ sở dữ liệu dùng chung «{display_location(where)}». Kiểm tra máy chủ "
            f"PostgreSQL đã bật, mạng nội bộ, tên người dùng và mật khẩu. Chi tiết: {detail}") from exc
    except sa_exc.ArgumentError as exc:
        raise DatabaseOpenError(f"Địa chỉ cơ sở dữ liệu «{display_location(where)}» không hợp lệ.") from exc


def open_database(location: str | Path | None = None, *, create: bool = True, user: str | None = None,
                  precheck: IntegrityPrecheck | None = None, new_if_missing: bool = True,
                  on_upgrade: Callable[[str | None], None] | None = None) -> Database:
    """Open (and create or migrate) a database. Raises DatabaseOpenError with a Vietnamese message.

    ``location`` is a SQLite file path or a ``postgresql://user:password@host/dbname`` URL.
    ``user`` names the officer in the change log; by default the officer name of this PC
    (``desktop.infra.local_config``, with the login), else the login. ``on_upgrade(revision)`` is called
    before an existing database is migrated (``revision`` None: a new one is being created)."""
    where = str(location) if location else paths.default_database()
    check_address(where)
    try:
        url = database_url(where)
    except Exception as exc:
        raise DatabaseOpenError(f"Địa chỉ cơ sở dữ liệu «{display_location(where)}» không hợp lệ.") from exc
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        new_file = not path.exists() or path.stat().st_size == 0
        check_sqlite_file(path, precheck, new_if_missing=create and new_if_missing)
        if not path.exists() and not create:
            raise DatabaseOpenError(f"Không tìm thấy cơ sở dữ liệu «{path}».")
        read_only = not writable(path)
        try:
            if path.parent == paths.data_dir().expanduser().resolve():
                private_folder(path.parent)  # the program's own data folder: this user only
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(f"Không tạo được thư mục dữ liệu «{path.parent}»: {exc.strerror}.") from exc
        backup_dir = paths.backups_dir(str(path))
    else:
        backup_dir = None
        read_only = False
        path = None
    try:
        immutable = read_only and not os.access(path.parent, os.W_OK) and not Path(str(path) + "-wal").exists()
        engine = make_engine(url, read_only=read_only, immutable=immutable)
    except (sa_exc.ArgumentError, ImportError) as exc:  # a malformed URL, or the driver missing
        raise DatabaseOpenError(f"Không mở được cơ sở dữ liệu «{display_location(where)}»: {exc}") from exc
    if not url.startswith("sqlite"):
        try:
            _check_server(engine, where)
        except DatabaseOpenError:
            engine.dispose()
            raise
    try:
        if read_only:
            _check_read_only_schema(engine, where)
        else:
            migrate.upgrade(engine, backup_dir=backup_dir, before=on_upgrade)
    except DatabaseOpenError:
        engine.dispose()
        raise
    except migrate.NewerDatabaseError as exc:
        engine.dispose()
        raise DatabaseOpenError(newer_message(where, exc.revision)) from exc
    except Exception as exc:
        engine.dispose()
        raise DatabaseOpenError(f"Không nâng cấp được cơ sở dữ liệu «{display_location(where)}»: {exc}") from exc
    if backup_dir is not None and new_file:  # a database the program created: this user only
        for file in sqlite_files(path):
            if file.exists():
                make_private(file)
    sessions = make_session_factory(engine, user=user or current_os_user())
    # Text longer than a column allows is refused with a Vietnamese message on every write path.
    event.listen(sessions, "before_flush", check_lengths_before_flush)
    database = Database(where, engine, sessions, read_only=read_only)
    if user is None:
        # the name belongs to this PC; the one older versions kept in the database is read once
        database.set_user(officer_label(local_config.officer_name(legacy=lambda: database.settings().officer_name)))
    return database
