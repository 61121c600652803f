"""Engine and sessions. SQLite by default (WAL, foreign keys, busy timeout on every connection);
a ``postgresql://`` URL works with the same code.

Threading: an engine may be shared; a Session belongs to one thread and one unit of work.
"""

from __future__ import annotations

import getpass
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

from db import audit, derived

_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg2://", "postgresql+psycopg://")


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a file path or an URL given by the user.

    A PostgreSQL URL as users and libpq write it (``postgresql://`` or ``postgres://``) is given
    the psycopg 3 driver, the one the app ships; SQLAlchemy would otherwise pick psycopg2.
    """
    text = str(target).strip()
    for scheme in _POSTGRES_SCHEMES:
        if text.lower().startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme):]
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def is_postgres_url(target: str | Path) -> bool:
    return database_url(target).startswith("postgresql")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_path(engine: Engine) -> Path | None:
    if not is_sqlite(engine):
        return None
    db = make_url(str(engine.url)).database
    return Path(db) if db and db != ":memory:" else None


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # Python 3.11 recipe: let SQLAlchemy emit BEGIN itself (see pitfalls.md §3), so pragmas run
    # outside any transaction and SAVEPOINTs work.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _on_sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN")


def _on_sqlite_connect_read_only(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(target: str | Path, echo: bool = False, read_only: bool = False, immutable: bool = False) -> Engine:
    """``read_only``: a SQLite file opened with ``mode=ro`` (SQLite itself refuses every write);
    ``immutable`` too: read without locks or ``-shm`` (a file in a folder nobody can write)."""
    url = database_url(target)
    if url.startswith("sqlite") and read_only:
        import sqlite3

        uri = Path(url.removeprefix("sqlite:///")).as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
        engine = create_engine("sqlite://", echo=echo, creator=lambda: sqlite3.connect(
            uri, uri=True, check_same_thread=False))
        event.listen(engine, "connect", _on_sqlite_connect_read_only)
        event.listen(engine, "begin", _on_sqlite_begin)
    elif url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    else:
        # pre_ping: a LAN server restarted overnight must not break the first click of the day.
        engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5,
                               connect_args={"connect_timeout": 10, "application_name": "theodoi"})
    return engine


def make_session_factory(engine: Engine, user: str | None = None) -> sessionmaker:
    """Sessions that keep loaded values after commit and write the change log on every flush."""
    factory = sessionmaker(engine, class_=Session, expire_on_commit=False)
    factory.kw["info"] = {"user": user or current_os_user()}
    derived.install(factory)  # before audit: the derived values are set before the log is written
    audit.install(factory)
    return factory


def current_os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (services, some containers)
        return "unknown"


@contextmanager
def session_scope(factory: sessionmaker, context: str = "") -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception."""
    session: Session = factory()
    if context:
        session.info["context"] = context
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
