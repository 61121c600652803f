"""Extensions of a deadline: the assignment and its earlier extensions; granting one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from db.queries import AssignmentRow, assignment_rows, extension_history


@dataclass(frozen=True)
class ExtensionRow:
    granted_on: date
    old_due: date | None
    new_due: date
    reason: str
    approving_doc: str


def assignment_row(session: Session, assignment_id: int) -> AssignmentRow:
    rows = assignment_rows(session, assignment_ids=[assignment_id])
    if not rows:
        raise LookupError(assignment_id)
    return rows[0]


def extensions_of(session: Session, assignment_id: int) -> list[ExtensionRow]:
    return [ExtensionRow(e.granted_on, e.old_due, e.new_due, e.reason, e.approving_doc)
            for e in extension_history(session, [assignment_id])[assignment_id]]


def extension_view(db, assignment_id: int) -> tuple[AssignmentRow, list[ExtensionRow]]:
    """The assignment's row and its extensions so far (oldest first)."""
    with db.session() as session:
        return assignment_row(session, assignment_id), extensions_of(session, assignment_id)
