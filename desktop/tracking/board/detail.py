"""What the result form shows of one assignment, and its change history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    ChangeLog,
    Evidence,
    Extension,
    Indicator,
    Reminder,
    ReminderItem,
    ReportFigure,
    Task,
    UnitReport,
)
from db.queries import (
    AssignmentRow,
)
from desktop.tracking.board.filters import (
    fetch_rows,
)
from desktop.tracking.stats import Tracked
from desktop.tracking.status import (
    compute_status,
)

# ---------------------------------------------------------------- the result form


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    name: str
    measure: str
    value_type: str


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    report_id: int
    kind: str  # "file" | "link"
    target: str  # relative to the data folder for files
    label: str


@dataclass(frozen=True)
class ReportInfo:
    id: int
    received_on: date
    channel: str
    unit_doc_number: str
    content: str
    completed_on: date | None
    source_file: str
    figures: dict[int, tuple[float | None, str]]  # indicator id -> (number, text)


@dataclass(frozen=True)
class ExtensionInfo:
    old_due: date | None
    new_due: date
    reason: str
    approving_doc: str
    granted_on: date


@dataclass(frozen=True)
class ReminderInfo:
    sent_on: date
    method: str
    letter_number: str
    note: str


@dataclass(frozen=True)
class AssignmentDetail:
    row: AssignmentRow
    tracked: Tracked
    note: str
    task_content: str
    task_due: date | None
    indicators: list[IndicatorInfo]
    reports: list[ReportInfo]  # oldest first; the last one is the current report
    evidence: list[EvidenceInfo]  # of every report
    extensions: list[ExtensionInfo]
    reminders: list[ReminderInfo]

    @property
    def latest(self) -> ReportInfo | None:
        return self.reports[-1] if self.reports else None


def assignment_detail(session: Session, assignment_id: int, today: date, due_soon_days: int) -> AssignmentDetail | None:
    rows = fetch_rows(session, assignment_ids=[assignment_id])
    if not rows:
        return None
    row = rows[0]
    assignment = session.get(Assignment, assignment_id)
    task = session.get(Task, row.task_id)
    indicators = [IndicatorInfo(i.id, i.name, i.measure, i.value_type) for i in session.execute(
        select(Indicator).where(Indicator.task_id == row.task_id).order_by(Indicator.sort_order, Indicator.id)
    ).scalars()]
    report_objs = session.execute(
        select(UnitReport).where(UnitReport.assignment_id == assignment_id).order_by(UnitReport.id)).scalars().all()
    report_ids = [r.id for r in report_objs]
    figures: dict[int, dict[int, tuple[float | None, str]]] = defaultdict(dict)
    evidence: list[EvidenceInfo] = []
    if report_ids:
        for f in session.execute(select(ReportFigure).where(ReportFigure.report_id.in_(report_ids))).scalars():
            figures[f.report_id][f.indicator_id] = (f.value_number, f.value_text)
        for e in session.execute(
                select(Evidence).where(Evidence.report_id.in_(report_ids)).order_by(Evidence.id)).scalars():
            evidence.append(EvidenceInfo(e.id, e.report_id, e.kind, e.target, e.label))
    reports = [ReportInfo(r.id, r.received_on, r.channel, r.unit_doc_number, r.content, r.completed_on, r.source_file,
                          dict(figures.get(r.id, {}))) for r in report_objs]
    extensions = [ExtensionInfo(e.old_due, e.new_due, e.reason, e.approving_doc, e.granted_on) for e in session.execute(
        select(Extension).where(Extension.assignment_id == assignment_id).order_by(Extension.id)).scalars()]
    reminders = [ReminderInfo(r.sent_on, r.method, r.letter_number, r.note) for r in session.execute(
        select(Reminder).join(ReminderItem, ReminderItem.reminder_id == Reminder.id)
        .where(ReminderItem.assignment_id == assignment_id).order_by(Reminder.sent_on, Reminder.id)).scalars()]
    tracked = Tracked(row, compute_status(row.state, row.effective_due, row.completed_on, today, due_soon_days,
                                          row.reported_on))
    return AssignmentDetail(
        row=row, tracked=tracked, note=assignment.note if assignment else "", task_content=task.content if task else "",
        task_due=task.due_date if task else None, indicators=indicators, reports=reports, evidence=evidence,
        extensions=extensions, reminders=reminders,
    )


@dataclass(frozen=True)
class ChangeEntry:
    at: datetime
    user: str
    table: str
    record_id: int | None
    action: str
    field: str
    old: str | None
    new: str | None
    context: str


def history(session: Session, assignment_id: int) -> list[ChangeEntry]:
    """The change log of an assignment, its reports (with their figures and evidence), its
    extensions and reminders, newest first."""
    report_ids = list(session.execute(
        select(UnitReport.id).where(UnitReport.assignment_id == assignment_id)).scalars())
    ext_ids = list(session.execute(select(Extension.id).where(Extension.assignment_id == assignment_id)).scalars())
    conditions = [and_(ChangeLog.table_name == "assignment", ChangeLog.record_id == assignment_id)]
    if report_ids:
        conditions.append(and_(ChangeLog.table_name == "unit_report", ChangeLog.record_id.in_(report_ids)))
        figure_ids = list(session.execute(
            select(ReportFigure.id).where(ReportFigure.report_id.in_(report_ids))).scalars())
        evidence_ids = list(session.execute(select(Evidence.id).where(Evidence.report_id.in_(report_ids))).scalars())
        if figure_ids:
            conditions.append(and_(ChangeLog.table_name == "report_figure", ChangeLog.record_id.in_(figure_ids)))
        if evidence_ids:
            conditions.append(and_(ChangeLog.table_name == "evidence", ChangeLog.record_id.in_(evidence_ids)))
    if ext_ids:
        conditions.append(and_(ChangeLog.table_name == "extension", ChangeLog.record_id.in_(ext_ids)))
    item_ids = list(session.execute(
        select(ReminderItem.id).where(ReminderItem.assignment_id == assignment_id)).scalars())
    if item_ids:
        conditions.append(and_(ChangeLog.table_name == "reminder_item", ChangeLog.record_id.in_(item_ids)))
    stmt = select(ChangeLog).where(or_(*conditions)).order_by(ChangeLog.id.desc())
    return [ChangeEntry(c.at, c.os_user, c.table_name, c.record_id, c.action, c.field, c.old_value, c.new_value,
                        c.context) for c in session.execute(stmt).scalars()]
