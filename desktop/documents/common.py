"""Plain data shared by the report and the reminder letter: units in tree order, directive
references, periods, lateness reasons, latest reports and figures. Read inside one session."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    Directive,
    Extension,
    Indicator,
    Reminder,
    ReminderItem,
    ReportFigure,
    Task,
    Unit,
    UnitReport,
    ValueType,
)
from db.queries import accepted_report_ids, id_chunks
from db.textkey import fold
from desktop.documents.text import inline, lower_first, vn_number
from desktop.tracking.labels import DIRECTIVE_TYPE, REMINDER_METHOD, fmt_date, fmt_period_inline

# The one period label (desktop.tracking.labels), lower-cased inside a sentence: "tháng 10/2024".
period_label = fmt_period_inline


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    parent_id: int | None
    sort_order: int
    is_group: bool


class UnitTree:
    """Names and tree order of every unit (groups first by their order, then members)."""

    def __init__(self, session: Session):
        rows = session.execute(select(Unit.id, Unit.name, Unit.parent_id, Unit.sort_order, Unit.is_group)).all()
        self.units = {r[0]: UnitInfo(r[0], inline(r[1]), r[2], r[3] or 0, bool(r[4])) for r in rows}
        self._keys: dict[int, tuple] = {}
        self._groups: dict[int, int | None] = {}

    def name(self, unit_id: int) -> str:
        info = self.units.get(unit_id)
        return info.name if info else f"Đơn vị #{unit_id}"

    def _path(self, unit_id: int) -> tuple:
        chain = []
        seen = set()
        current = self.units.get(unit_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            chain.append((current.sort_order, current.name.casefold(), current.id))
            current = self.units.get(current.parent_id) if current.parent_id else None
        return tuple(reversed(chain))

    def order_key(self, unit_id: int) -> tuple:
        key = self._keys.get(unit_id)
        if key is None:
            key = self._keys[unit_id] = self._path(unit_id)
        return key

    def group_of(self, unit_id: int) -> int | None:
        """The top-level group holding the unit (None for a unit at the top)."""
        if unit_id not in self._groups:
            self._groups[unit_id] = self._group_of(unit_id)
        return self._groups[unit_id]

    def _group_of(self, unit_id: int) -> int | None:
        current = self.units.get(unit_id)
        seen = set()
        top = None
        while current is not None and current.parent_id and current.id not in seen:
            seen.add(current.id)
            parent = self.units.get(current.parent_id)
            if parent is None:
                break
            top = parent.id
            current = parent
        return top

    def sorted_ids(self, unit_ids: Iterable[int]) -> list[int]:
        return sorted(set(unit_ids), key=self.order_key)


@dataclass(frozen=True)
class DirectiveInfo:
    id: int
    number: str
    issued_on: date | None
    issuer: str
    doc_type: str
    title: str

    @property
    def type_label(self) -> str:
        label = DIRECTIVE_TYPE.get(self.doc_type, "Văn bản")
        return "Văn bản" if label == "Khác" else label

    @property
    def about(self) -> str:
        """The trích yếu as a "về ..." phrase ("V/v triển khai ..." -> "về triển khai ...")."""
        title = inline(self.title)
        title = re.sub(r"^(V/v|về việc|về)\s+", "", title, flags=re.IGNORECASE)
        return f"về {lower_first(title)}" if title else ""

    def short_ref(self) -> str:
        """``Công văn số 128/VHTT ngày 04/10/2024``."""
        when = f" ngày {fmt_date(self.issued_on)}" if self.issued_on else ""
        return f"{self.type_label} số {inline(self.number)}{when}"

    def full_ref(self, own_agency: str = "") -> str:
        """``Công văn số 128/VHTT ngày 04/10/2024 của <issuer> về <trích yếu>``; the issuer is left out
        when it is ``own_agency`` (a report on the office's own letter does not cite itself)."""
        own = bool(own_agency) and fold(self.issuer).startswith(fold(own_agency))
        issuer = f" của {inline(self.issuer)}" if inline(self.issuer) and not own else ""
        about = f" {self.about}" if self.about else ""
        return f"{self.short_ref()}{issuer}{about}"


def load_directives(session: Session, ids: Iterable[int]) -> dict[int, DirectiveInfo]:
    ids = list(set(ids))
    if not ids:
        return {}
    rows = session.execute(select(Directive.id, Directive.number, Directive.issued_on, Directive.issuer,
                                  Directive.doc_type, Directive.title).where(Directive.id.in_(ids))).all()
    return {r[0]: DirectiveInfo(*r) for r in rows}


@dataclass(frozen=True)
class TaskInfo:
    id: int
    directive_id: int
    sort_order: int
    title: str
    kind: str
    start_date: date | None
    due_date: date | None


def load_tasks(session: Session, ids: Iterable[int]) -> dict[int, TaskInfo]:
    ids = list(set(ids))
    if not ids:
        return {}
    rows = session.execute(select(Task.id, Task.directive_id, Task.sort_order, Task.title, Task.kind,
                                  Task.start_date, Task.due_date).where(Task.id.in_(ids))).all()
    return {r[0]: TaskInfo(*r) for r in rows}


def _scope(id_column, ids: Sequence[int], task_ids: Sequence[int] | None, task_column=None):
    """WHERE clauses covering ``ids``: by task when ``task_ids`` is given (``task_column``, the
    assignment's task by default, the query joining it), else by id in slices of 900. Callers
    keep only the rows of ``ids``."""
    if task_ids is None:
        return [id_column.in_(chunk) for chunk in id_chunks(ids)]
    column = task_column if task_column is not None else Assignment.task_id
    return [column.in_(chunk) for chunk in id_chunks(sorted(set(task_ids)))]


@dataclass
class Lateness:
    """What the file says about an assignment's delay: extensions granted and notes."""

    extensions: list[tuple[date | None, date, str, str]] = field(default_factory=list)  # old, new, reason, doc
    notes: list[str] = field(default_factory=list)

    def reasons(self) -> list[str]:
        out = [inline(r) for _, _, r, _ in self.extensions if inline(r)]
        out += [inline(n) for n in self.notes if inline(n)]
        return list(dict.fromkeys(out))


def load_lateness(session: Session, assignment_ids: Sequence[int],
                  task_ids: Sequence[int] | None = None) -> dict[int, Lateness]:
    """Extensions and notes of the given assignments. With ``task_ids`` (every assignment's task
    among them) the rows are read by task, a few queries instead of one per 900 assignments."""
    result: dict[int, Lateness] = defaultdict(Lateness)
    wanted = set(assignment_ids)
    for where in _scope(Extension.assignment_id, assignment_ids, task_ids):
        for aid, old, new, reason, doc in session.execute(
                select(Extension.assignment_id, Extension.old_due, Extension.new_due, Extension.reason,
                       Extension.approving_doc).join(Assignment, Assignment.id == Extension.assignment_id)
                .where(where).order_by(Extension.id)):
            if aid in wanted:
                result[aid].extensions.append((old, new, reason or "", doc or ""))
    for where in _scope(Assignment.id, assignment_ids, task_ids):
        for aid, note in session.execute(select(Assignment.id, Assignment.note).where(where, Assignment.note != "")):
            if aid not in wanted:
                continue
            for line in (note or "").splitlines():
                if line.strip():
                    result[aid].notes.append(line)
    return result


@dataclass(frozen=True)
class LatestReport:
    assignment_id: int
    report_id: int
    content: str
    unit_doc_number: str
    received_on: date


def load_latest_reports(session: Session, assignment_ids: Sequence[int],
                        task_ids: Sequence[int] | None = None) -> dict[int, LatestReport]:
    """The accepted report of each accepted assignment among the given ones
    (``db.queries.accepted_report_ids``, the reports Excel's figures come from too); ``task_ids``
    as in :func:`load_lateness`."""
    result: dict[int, LatestReport] = {}
    wanted = set(assignment_ids)
    accepted = accepted_report_ids()
    for where in _scope(accepted.c.assignment_id, assignment_ids, task_ids):
        for rid, aid, content, doc, received in session.execute(
                select(UnitReport.id, UnitReport.assignment_id, UnitReport.content, UnitReport.unit_doc_number,
                       UnitReport.received_on).join(accepted, accepted.c.report_id == UnitReport.id)
                .join(Assignment, Assignment.id == UnitReport.assignment_id).where(where)):
            if aid in wanted:
                result[aid] = LatestReport(aid, rid, content or "", doc or "", received)
    return result


@dataclass
class FigureTotal:
    indicator_id: int
    task_id: int
    sort_order: int
    name: str
    measure: str
    value_type: str
    total: float = 0.0
    units: int = 0  # reports that gave this figure

    def text(self) -> str:
        if not self.units:
            return f"{inline(self.name)}: chưa có báo cáo"
        if self.value_type == ValueType.TEXT.value:
            return f"{inline(self.name)}: {self.units} đơn vị báo cáo"
        measure = f" {inline(self.measure)}" if inline(self.measure) else ""
        return f"{inline(self.name)}: {vn_number(self.total)}{measure}"


def load_figure_totals(session: Session, task_ids: Sequence[int],
                       report_ids: Sequence[int]) -> dict[int, list[FigureTotal]]:
    """Per task, every indicator with the sum of the figures in the given reports."""
    totals: dict[int, FigureTotal] = {}
    for chunk in id_chunks(task_ids):
        for iid, tid, order, name, measure, vt in session.execute(
                select(Indicator.id, Indicator.task_id, Indicator.sort_order, Indicator.name, Indicator.measure,
                       Indicator.value_type).where(Indicator.task_id.in_(chunk))):
            totals[iid] = FigureTotal(iid, tid, order or 0, name, measure or "", vt)
    wanted = set(report_ids)
    # Read by the indicators' tasks (a few queries), keep the given reports' figures.
    for where in _scope(ReportFigure.report_id, report_ids, task_ids, task_column=Indicator.task_id):
        for rid, iid, number, text in session.execute(
                select(ReportFigure.report_id, ReportFigure.indicator_id, ReportFigure.value_number,
                       ReportFigure.value_text).join(Indicator, Indicator.id == ReportFigure.indicator_id)
                .where(where)):
            total = totals.get(iid)
            if total is None or rid not in wanted:
                continue
            if number is not None:
                total.total += number
                total.units += 1
            elif inline(text):
                total.units += 1
    by_task: dict[int, list[FigureTotal]] = defaultdict(list)
    for t in sorted(totals.values(), key=lambda t: (t.sort_order, t.indicator_id)):
        by_task[t.task_id].append(t)
    return by_task


@dataclass(frozen=True)
class ReminderSeen:
    sent_on: date
    method: str


def load_reminders(session: Session, assignment_ids: Sequence[int],
                   task_ids: Sequence[int] | None = None) -> dict[int, list[ReminderSeen]]:
    result: dict[int, list[ReminderSeen]] = defaultdict(list)
    wanted = set(assignment_ids)
    for where in _scope(ReminderItem.assignment_id, assignment_ids, task_ids):
        for aid, sent, method in session.execute(
                select(ReminderItem.assignment_id, Reminder.sent_on, Reminder.method)
                .join(Reminder, Reminder.id == ReminderItem.reminder_id)
                .join(Assignment, Assignment.id == ReminderItem.assignment_id)
                .where(where).order_by(Reminder.sent_on, Reminder.id)):
            if aid in wanted:
                result[aid].append(ReminderSeen(sent, method))
    return result


def reminder_summary(reminders: dict[int, list[ReminderSeen]]) -> str:
    """"5 lượt (Công văn đôn đốc: 3; Điện thoại: 2)" over all assignments."""
    counts: dict[str, int] = defaultdict(int)
    for items in reminders.values():
        for r in items:
            counts[r.method] += 1
    total = sum(counts.values())
    if not total:
        return ""
    detail = "; ".join(f"{REMINDER_METHOD.get(m, m).lower()}: {vn_number(n)}" for m, n in sorted(counts.items()))
    return f"{vn_number(total)} lượt ({detail})"


def is_issuing_office(settings, unit_name: str) -> bool:
    """Is this unit the office issuing the documents? It may hold assignments itself; it is not
    chased by its own letter, and the report says so apart."""
    return bool(inline(settings.agency_name)) and fold(unit_name) == fold(settings.agency_name)
