"""Opening a database for the app and the command line: engine, migrations, session factory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from db import migrate
from db.engine import database_url, make_engine, make_session_factory, session_scope
from desktop import paths
from desktop.settings import Settings, load_settings


class DatabaseOpenError(Exception):
    """The file cannot be used as our database; ``message`` is Vietnamese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Database:
    location: str  # path or URL as given
    engine: Engine
    sessions: sessionmaker

    def session(self, context: str = ""):
        return session_scope(self.sessions, context)

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


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database before anything writes to it.

    Raises DamagedDatabaseError (a DatabaseOpenError) for a damaged, foreign or unreadable file;
    a missing or empty file is accepted (it becomes a new database)."""
    from desktop.safety.integrity import check_file

    report = check_file(path, thorough=False)
    if not report.ok:
        raise DamagedDatabaseError(report.message, report)


def open_database(location: str | Path | None = None, *, create: bool = True, user: str | None = None) -> Database:
    """Open (and create or migrate) a database. Raises DatabaseOpenError with a Vietnamese message."""
    where = str(location) if location else paths.default_database()
    url = database_url(where)
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists() and not create:
            raise DatabaseOpenError(f"Không tìm thấy cơ sở dữ liệu «{path}».")
        check_sqlite_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(f"Không tạo được thư mục dữ liệu «{path.parent}»: {exc.strerror}.") from exc
        backup_dir = paths.backups_dir(str(path))
    else:
        backup_dir = None
    engine = make_engine(url)
    try:
        migrate.upgrade(engine, backup_dir=backup_dir)
    except Exception as exc:
        engine.dispose()
        raise DatabaseOpenError(f"Không nâng cấp được cơ sở dữ liệu «{where}»: {exc}") from exc
    return Database(where, engine, make_session_factory(engine, user=user))
