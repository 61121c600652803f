"""Qt-free reads for the editing dialogs: plain rows loaded inside a short session.

The dialogs keep these rows (never ORM objects) and hand them back to ``desktop.operations``
(or to :mod:`desktop.editing`) when they save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    AssignmentState,
    Directive,
    Indicator,
    Reminder,
    ReminderItem,
    ReportFigure,
    Task,
    Unit,
    UnitNameHistory,
    UnitReport,
)
from db.queries import AssignmentRow, assignment_rows, extension_history

T = TypeVar("T")


def dry_run(db, work: Callable[[Session], T]) -> T:
    """Run ``work`` in a transaction that is always rolled back: "what would happen if ...".

    Used to count what an operation would change (e.g. assignments moved by a merge) with the
    operation's own rules instead of a copy of them."""
    session = db.sessions()
    try:
        return work(session)
    finally:
        session.rollback()
        session.close()


# ---------------------------------------------------------------- units


@dataclass(frozen=True)
class UnitRow:
    id: int
    parent_id: int | None
    is_group: bool
    kind: str
    code: str
    name: str
    short_name: str
    sort_order: int
    contact_person: str
    phone: str
    email: str
    aliases: str
    active: bool
    archived_on: date | None
    merged_into_id: int | None
    merged_on: date | None
    version: int
    key: str  # accent-free search key, kept up to date by db.audit on every save


@dataclass(frozen=True)
class NameChange:
    changed_on: date
    old_name: str
    new_name: str


def load_units(session: Session) -> list[UnitRow]:
    """Every unit and group (archived ones too), in tree order: sort order, then name."""
    columns = (Unit.id, Unit.parent_id, Unit.is_group, Unit.kind, Unit.code, Unit.name, Unit.short_name,
               Unit.sort_order, Unit.contact_person, Unit.phone, Unit.email, Unit.aliases, Unit.active,
               Unit.archived_on, Unit.merged_into_id, Unit.merged_on, Unit.version, Unit.search_key)
    rows = session.execute(select(*columns).order_by(Unit.sort_order, Unit.name, Unit.id))
    return [UnitRow(*row) for row in rows]


def name_history(session: Session, unit_id: int) -> list[NameChange]:
    stmt = (select(UnitNameHistory).where(UnitNameHistory.unit_id == unit_id)
            .order_by(UnitNameHistory.changed_on, UnitNameHistory.id))
    return [NameChange(h.changed_on, h.old_name, h.new_name) for h in session.execute(stmt).scalars()]


OPEN_STATES = (AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value,
               AssignmentState.RETURNED.value)


def open_assignment_count(session: Session, unit_id: int) -> int:
    stmt = select(func.count()).select_from(Assignment).where(
        Assignment.unit_id == unit_id, Assignment.state.in_(OPEN_STATES))
    return session.execute(stmt).scalar_one()


# ---------------------------------------------------------------- directives


@dataclass
class IndicatorDraft:
    name: str
    measure: str = ""
    value_type: str = "integer"
    id: int | None = None


@dataclass
class TaskDraft:
    """A task as the dialog edits it; ``id`` is None for a task not saved yet."""

    title: str = ""
    content: str = ""
    kind: str = "mot_lan"
    start_date: date | None = None
    due_date: date | None = None
    report_due_date: date | None = None
    recurrence: str = ""
    indicators: list[IndicatorDraft] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)  # unit id -> role code
    id: int | None = None
    version: int | None = None
    has_assignments: bool = False
    # Units whose assignment cannot be removed any more (a report exists or work has started).
    locked_units: set[int] = field(default_factory=set)
    # Indicators that already have figures (their type cannot change, they cannot be removed).
    used_indicators: set[int] = field(default_factory=set)


@dataclass
class DirectiveDraft:
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    doc_type: str = "khac"
    title: str = ""
    notes: str = ""
    file_path: str = ""
    tasks: list[TaskDraft] = field(default_factory=list)
    id: int | None = None
    version: int | None = None
    received_on: date | None = None


def load_directive(session: Session, directive_id: int) -> DirectiveDraft:
    d = session.get(Directive, directive_id)
    if d is None:
        raise LookupError(directive_id)
    draft = DirectiveDraft(d.number, d.issued_on, d.issuer, d.doc_type, d.title, d.notes, d.file_path,
                           id=d.id, version=d.version, received_on=d.received_on)
    tasks = session.execute(select(Task).where(Task.directive_id == d.id)
                            .order_by(Task.sort_order, Task.id)).scalars().all()
    task_ids = [t.id for t in tasks]
    indicators: dict[int, list[Indicator]] = {}
    for ind in session.execute(select(Indicator).where(Indicator.task_id.in_(task_ids))
                               .order_by(Indicator.sort_order, Indicator.id)).scalars():
        indicators.setdefault(ind.task_id, []).append(ind)
    used = set(session.execute(select(ReportFigure.indicator_id).where(
        ReportFigure.indicator_id.in_([i.id for lst in indicators.values() for i in lst]))).scalars())
    reported = set(session.execute(select(UnitReport.assignment_id).join(
        Assignment, Assignment.id == UnitReport.assignment_id).where(Assignment.task_id.in_(task_ids))).scalars())
    by_task: dict[int, list[Assignment]] = {}
    for a in session.execute(select(Assignment).where(Assignment.task_id.in_(task_ids))).scalars():
        by_task.setdefault(a.task_id, []).append(a)
    for t in tasks:
        assignments = by_task.get(t.id, [])
        roles: dict[int, str] = {}
        locked: set[int] = set()
        for a in assignments:
            roles.setdefault(a.unit_id, a.role)
            if a.id in reported or a.state != AssignmentState.NOT_STARTED.value:
                locked.add(a.unit_id)
        draft.tasks.append(TaskDraft(
            t.title, t.content, t.kind, t.start_date, t.due_date, t.report_due_date, t.recurrence,
            [IndicatorDraft(i.name, i.measure, i.value_type, i.id) for i in indicators.get(t.id, [])],
            roles, id=t.id, version=t.version, has_assignments=bool(assignments), locked_units=locked,
            used_indicators={i.id for i in indicators.get(t.id, []) if i.id in used}))
    return draft


def known_issuers(session: Session) -> list[str]:
    """Issuers already typed, most used first, to offer in the issuer box."""
    stmt = (select(Directive.issuer, func.count()).where(Directive.issuer != "")
            .group_by(Directive.issuer).order_by(func.count().desc(), Directive.issuer))
    return [issuer for issuer, _ in session.execute(stmt)]


# ---------------------------------------------------------------- extensions and reminders


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


def reminder_counts(session: Session, assignment_ids: list[int]) -> dict[int, tuple[int, date | None]]:
    """Per assignment: how many reminders were logged, and the date of the last one."""
    stmt = (select(ReminderItem.assignment_id, func.count(), func.max(Reminder.sent_on))
            .join(Reminder, Reminder.id == ReminderItem.reminder_id)
            .where(ReminderItem.assignment_id.in_(assignment_ids))
            .group_by(ReminderItem.assignment_id))
    return {aid: (n, last) for aid, n, last in session.execute(stmt)}
