"""Bring a database to the newest schema with Alembic, safely.

SQLite: the file is backed up (online backup API) before any pending migration, and foreign keys
are switched off around the run because batch migrations recreate tables with DROP TABLE, which
would cascade-delete child rows; ``PRAGMA foreign_key_check`` must be clean before commit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Engine

from db.engine import is_sqlite, sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# The newest revision, so that opening an up-to-date database needs no Alembic import (0.3 s of
# every start). tests/foundation/test_migrations.py checks it is Alembic's own head.
SCHEMA_HEAD = "0009"


class MigrationError(RuntimeError):
    pass


class NewerDatabaseError(MigrationError):
    """The database records a revision this program does not know: a newer version of the
    program made it. Nothing was copied or changed."""

    def __init__(self, revision: str):
        super().__init__(f"unknown revision {revision!r} (newer program)")
        self.revision = revision


def known_revisions() -> set[str]:
    """Every revision of this program's migrations (the file names start with it)."""
    return {p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("*.py")
            if not p.name.startswith("_")}


def alembic_config(url: str | None = None) -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (None for a new one), read without Alembic."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except sa_exc.DBAPIError:  # no table yet: a new database
            return None


def upgrade(engine: Engine, backup_dir: Path | None = None,
            before: Callable[[str | None], None] | None = None) -> Path | None:
    """Migrate to head. Returns the pre-migration backup's path, if one was made. ``before`` is
    called with the stored revision (None for a new database) when there is something to do,
    before the backup and the migration (a program can say it may take a while)."""
    stored = stored_revision(engine)
    if stored == SCHEMA_HEAD:
        return None
    if stored is not None and stored not in known_revisions():
        raise NewerDatabaseError(stored)  # before the pre-upgrade copy: one per try otherwise
    from alembic import command

    current = current_revision(engine)
    if current == head_revision():
        return None
    if before is not None:
        before(current)
    backup = None
    path = sqlite_path(engine)
    if path is not None and current is not None and path.exists():
        from db.backup import online_backup

        folder = backup_dir or path.parent / "backups"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = online_backup(engine, folder / f"truoc-nang-cap-{current}-{stamp}.db")
    cfg = alembic_config()
    if is_sqlite(engine):
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise MigrationError(f"foreign_key_check failed after migration: {problems[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")
    else:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return backup
