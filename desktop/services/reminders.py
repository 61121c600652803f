"""Reminders: the assignments to remind and how often each was reminded already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Reminder, ReminderItem
from db.queries import AssignmentRow, assignment_rows


def reminder_counts(session: Session, assignment_ids: list[int]) -> dict[int, tuple[int, date | None]]:
    """Per assignment: how many reminders were logged, and the date of the last one."""
    stmt = (select(ReminderItem.assignment_id, func.count(), func.max(Reminder.sent_on))
            .join(Reminder, Reminder.id == ReminderItem.reminder_id)
            .where(ReminderItem.assignment_id.in_(assignment_ids))
            .group_by(ReminderItem.assignment_id))
    return {aid: (n, last) for aid, n, last in session.execute(stmt)}


def reminder_view(db, assignment_ids: list[int]) -> tuple[list[AssignmentRow], dict[int, tuple[int, date | None]]]:
    """The rows of ``assignment_ids`` (unsorted) and their reminder counts."""
    if not assignment_ids:
        return [], {}
    with db.session() as session:
        return assignment_rows(session, assignment_ids=assignment_ids), reminder_counts(session, assignment_ids)


@dataclass(frozen=True)
class Recipient:
    unit_id: int
    name: str
    overdue: int


def recipients(db, today: date, directive_id: int | None, unit_ids: Sequence[int] | None) -> list[Recipient]:
    """Who a reminder would go to: the units with overdue assignments (of ``directive_id``, or of
    every directive; among ``unit_ids`` and their members), in tree order, with how many."""
    from desktop.documents import DocumentError
    from desktop.documents.reminder import collect_reminder

    try:
        with db.session() as s:
            data = collect_reminder(s, today, directive_ids=[directive_id] if directive_id is not None else None,
                                    unit_ids=list(unit_ids) if unit_ids else None)
    except DocumentError:
        return []
    return [Recipient(u.unit_id, u.name, len(u.items)) for u in data.units]
