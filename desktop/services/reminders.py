"""Reminders: the assignments to remind and how often each was reminded already."""

from __future__ import annotations

from datetime import date

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
