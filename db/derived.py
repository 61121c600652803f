"""Values stored for speed but derived from others, kept current on every ORM flush.

- ``assignment.effective_due``: the deadline in force, the newest extension's ``new_due``, else the
  assignment's own ``due_date``.
- ``assignment.fixed_status``: the status once it no longer depends on the day (done on time or
  late, paused, cancelled; a Status value), NULL while the assignment is open: the rule of
  ``db.status_rule`` (its Python form on flush, its SQL form for bulk refreshes).

Stored, the status figures of a 200,000-assignment database are index-only scans instead of a
subquery and a CASE on every row (see docs/benchmark.md). Neither is history (not in the change log).

Installed on a sessionmaker by ``db.engine.make_session_factory``. Bulk SQL that inserts or edits
assignments or extensions without the ORM must call :func:`refresh_derived` afterwards.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from db.models import Assignment, Extension
from db.queries import id_chunks
from db.status_rule import FIXED_STATUS_SQL, fixed_status

_REFRESH_SQL = (
    "UPDATE assignment SET effective_due = COALESCE("
    "(SELECT e.new_due FROM extension e WHERE e.assignment_id = assignment.id ORDER BY e.id DESC LIMIT 1),"
    " due_date)",
    f"UPDATE assignment SET fixed_status = {FIXED_STATUS_SQL}",  # after the deadline it reads
)

def refresh_derived(connection: Connection | Session, assignment_ids: Iterable[int] | None = None) -> None:
    """Recompute the stored derived values (every assignment, or the ids given) in SQL."""
    if assignment_ids is None:
        for sql in _REFRESH_SQL:
            connection.execute(text(sql))
        return
    for chunk in id_chunks(sorted(set(assignment_ids))):
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        for sql in _REFRESH_SQL:
            connection.execute(text(f"{sql} WHERE id IN ({marks})"), {f"i{n}": v for n, v in enumerate(chunk)})


def _newest_extension_due(session: Session, assignment_id: int, skip: set[int]) -> object:
    stmt = (select(Extension.id, Extension.new_due).where(Extension.assignment_id == assignment_id)
            .order_by(Extension.id.desc()))
    for ext_id, new_due in session.execute(stmt):
        if ext_id not in skip:
            return new_due
    return None


def _before_flush(session: Session, _ctx, _instances) -> None:
    touched: dict[int, Assignment] = {}
    new_extensions: dict[int, Extension] = {}
    deleted_extensions: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Assignment):
            if obj.id is None:
                obj.effective_due = obj.due_date  # no extension can exist before the assignment
            else:
                touched[obj.id] = obj
        elif isinstance(obj, Extension):
            # The newest one added in this flush wins (ids grow in insertion order).
            new_extensions[obj.assignment_id] = obj
    for obj in session.dirty:
        if isinstance(obj, Assignment) and obj.id is not None:
            # A changed own deadline, or a row written by bulk SQL that was never derived.
            if _changed(obj, "due_date") or (obj.effective_due is None and obj.due_date is not None):
                touched[obj.id] = obj
    for obj in session.deleted:
        if isinstance(obj, Extension) and obj.id is not None:
            deleted_extensions.add(obj.id)
            assignment = session.get(Assignment, obj.assignment_id)
            if assignment is not None:
                touched[assignment.id] = assignment
    with session.no_autoflush:
        for assignment_id, ext in new_extensions.items():
            assignment = session.get(Assignment, assignment_id)
            if assignment is not None and assignment.effective_due != ext.new_due:
                assignment.effective_due = ext.new_due
            touched.pop(assignment_id, None)
        for assignment_id, assignment in touched.items():
            newest = _newest_extension_due(session, assignment_id, deleted_extensions)
            wanted = newest if newest is not None else assignment.due_date
            if assignment.effective_due != wanted:
                assignment.effective_due = wanted
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Assignment):
            settled = fixed_status(obj.state, obj.completed_on, obj.effective_due)
            if obj.fixed_status != settled:
                obj.fixed_status = settled


def _changed(obj, key: str) -> bool:
    return inspect(obj).attrs[key].history.has_changes()


def install(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _before_flush)
