"""Change log written for every change made through an ORM session, and search keys kept current.

Installed on a sessionmaker by ``db.engine.make_session_factory``. Bulk SQL that bypasses the ORM
must write its own log rows with ``log_rows``.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import Enum

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from db.models import ChangeLog, Directive, Task, Unit, UnitReport
from db.textkey import directive_identity, search_key

_SKIPPED_FIELDS = {"search_key", "identity_key", "version", "effective_due", "fixed_status"}  # derived values are not history
_UNLOGGED = {ChangeLog}
# The log rows are inserted with Core (no length check on the way): cut to the columns' sizes, so
# a long file name in the context never fails a save on PostgreSQL.
_CONTEXT_MAX = ChangeLog.__table__.c.context.type.length
_OS_USER_MAX = ChangeLog.__table__.c.os_user.type.length


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def refresh_search_key(obj) -> None:
    if isinstance(obj, Unit):
        obj.search_key = search_key(obj.name, obj.short_name, obj.code, obj.aliases)
    elif isinstance(obj, Directive):
        obj.search_key = search_key(obj.number, obj.issuer, obj.title)
    elif isinstance(obj, Task):
        obj.search_key = search_key(obj.title, (obj.content or "")[:600])
    elif isinstance(obj, UnitReport):
        obj.search_key = search_key(obj.unit_doc_number, (obj.content or "")[:1000])


_IDENTITY_FIELDS = ("number", "issuer", "issued_on")


def refresh_identity_key(obj, is_new: bool) -> None:
    """A new directive, or one whose number, issuer or date changed, gets its identity key; an old
    duplicate left without one (see revision 0009) keeps none while those stay as they were."""
    if not isinstance(obj, Directive):
        return
    if not is_new:
        state = inspect(obj)
        if not any(state.attrs[name].history.has_changes() for name in _IDENTITY_FIELDS):
            return
    obj.identity_key = directive_identity(obj.number, obj.issuer, obj.issued_on)


def _before_flush(session: Session, _ctx, _instances) -> None:
    for obj in session.new:
        refresh_search_key(obj)
        refresh_identity_key(obj, True)
    for obj in session.dirty:
        refresh_search_key(obj)
        refresh_identity_key(obj, False)


def _row(session: Session, table: str, record_id, action: str, field="", old=None, new=None) -> dict:
    return {
        "at": datetime.now(timezone.utc),
        "os_user": str(session.info.get("user", ""))[:_OS_USER_MAX],
        "table_name": table,
        "record_id": record_id,
        "action": action,
        "field": field,
        "old_value": old,
        "new_value": new,
        "context": str(session.info.get("context", ""))[:_CONTEXT_MAX],  # e.g. a 254-character file name
    }


def _record_id(obj) -> int | None:
    # Not ``state.identity``: in after_flush new objects have their primary key but no identity yet.
    state = inspect(obj)
    key = state.identity or state.mapper.primary_key_from_instance(obj)
    value = key[0] if len(key) == 1 else None
    return value if isinstance(value, int) else None  # record_id is an integer column (PostgreSQL checks)


def _after_flush(session: Session, _ctx) -> None:
    rows: list[dict] = []
    for obj in session.new:
        if type(obj) in _UNLOGGED or not hasattr(obj, "__tablename__"):
            continue
        rows.append(_row(session, obj.__tablename__, _record_id(obj), "insert"))
    for obj in session.dirty:
        if type(obj) in _UNLOGGED or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        record_id = _record_id(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in _SKIPPED_FIELDS:
                continue
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = _text(hist.deleted[0]) if hist.deleted else None
            new = _text(hist.added[0]) if hist.added else None
            if old != new:
                rows.append(_row(session, obj.__tablename__, record_id, "update", attr.key, old, new))
    for obj in session.deleted:
        if type(obj) in _UNLOGGED:
            continue
        record_id = _record_id(obj)
        summary = getattr(obj, "name", None) or getattr(obj, "title", None) or getattr(obj, "number", None)
        rows.append(_row(session, obj.__tablename__, record_id, "delete", old=_text(summary)))
    if rows:
        session.connection().execute(insert(ChangeLog.__table__), rows)


def log_rows(session: Session, table: str, changes: list[tuple[int | None, str, str, object, object]]) -> None:
    """Log changes made with bulk SQL: (record_id, action, field, old, new) tuples."""
    rows = [_row(session, table, rid, action, field, _text(old), _text(new)) for rid, action, field, old, new in changes]
    if rows:
        session.connection().execute(insert(ChangeLog.__table__), rows)


def install(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
