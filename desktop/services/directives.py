"""Directives as the directive dialog edits them: drafts loaded from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Assignment, AssignmentState, Directive, Indicator, ReportFigure, Task, UnitReport
from desktop.services.units import UnitRow, load_units


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



@dataclass
class EditorData:
    units: list[UnitRow]
    issuers: list[str]
    draft: DirectiveDraft


def editor_data(db, directive_id: int | None, new_doc_type: str) -> EditorData:
    """What the directive dialog shows: the units, the issuers already typed, and the directive
    (a new draft of ``new_doc_type`` when ``directive_id`` is None)."""
    with db.session() as session:
        return EditorData(load_units(session), known_issuers(session),
                          load_directive(session, directive_id) if directive_id is not None
                          else DirectiveDraft(doc_type=new_doc_type))
