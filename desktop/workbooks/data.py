"""Plain data read once for the workbooks: units in tree order, latest reports, summed figures.

Every query returns plain tuples/dataclasses, never ORM objects, and stays fast on 200,000
assignments (one query per kind of data, aggregation in SQL where it can be).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Assignment, Directive, Indicator, ReportFigure, Task, Unit, UnitReport, ValueType


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    code: str
    name: str
    short_name: str
    group_name: str
    order: tuple


def units_in_order(session: Session) -> dict[int, UnitInfo]:
    """Every unit (groups included) keyed by id; ``order`` sorts them as the tree shows them."""
    rows = session.execute(
        select(Unit.id, Unit.parent_id, Unit.sort_order, Unit.code, Unit.name, Unit.short_name, Unit.is_group)
    ).all()
    by_id = {r[0]: r for r in rows}
    cache: dict[int, tuple] = {}

    def path(uid: int, depth: int = 0) -> tuple:
        if uid in cache:
            return cache[uid]
        r = by_id[uid]
        own = ((r[2], r[4].casefold(), r[0]),)
        parent = r[1]
        result = own if parent is None or parent not in by_id or depth > 50 else path(parent, depth + 1) + own
        cache[uid] = result
        return result

    result: dict[int, UnitInfo] = {}
    for r in rows:
        parent = by_id.get(r[1]) if r[1] is not None else None
        group_name = parent[4] if parent is not None and parent[6] else ""
        result[r[0]] = UnitInfo(r[0], r[3], r[4], r[5] or r[4], group_name, path(r[0]))
    return result


@dataclass(frozen=True, slots=True)
class LatestReport:
    report_id: int
    received_on: date
    unit_doc_number: str
    content: str
    completed_on: date | None
    channel: str


def _latest_report_ids(assignment_filter=None):
    """Subquery (report id, assignment id) of the newest report of each assignment.

    "Newest" is by date received, then by id, as everywhere in the application."""
    rank = func.row_number().over(partition_by=UnitReport.assignment_id,
                                  order_by=(UnitReport.received_on.desc(), UnitReport.id.desc()))
    stmt = select(UnitReport.id.label("report_id"), UnitReport.assignment_id.label("assignment_id"),
                  rank.label("rank"))
    if assignment_filter is not None:
        stmt = stmt.where(UnitReport.assignment_id.in_(assignment_filter))
    ranked = stmt.subquery()
    return select(ranked.c.report_id, ranked.c.assignment_id).where(ranked.c.rank == 1).subquery()


def _assignment_scope(directive_ids: Sequence[int] | None):
    if directive_ids is None:
        return None
    return (select(Assignment.id).join(Task, Task.id == Assignment.task_id)
            .where(Task.directive_id.in_(list(directive_ids))))


def latest_reports(session: Session, directive_ids: Sequence[int] | None = None) -> dict[int, LatestReport]:
    """assignment id -> its newest report."""
    latest = _latest_report_ids(_assignment_scope(directive_ids))
    stmt = (select(latest.c.assignment_id, UnitReport.id, UnitReport.received_on, UnitReport.unit_doc_number,
                   UnitReport.content, UnitReport.completed_on, UnitReport.channel)
            .join(UnitReport, UnitReport.id == latest.c.report_id))
    return {r[0]: LatestReport(*r[1:]) for r in session.execute(stmt)}


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    id: int
    task_id: int
    order: int
    name: str
    measure: str
    value_type: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.measure})" if self.measure else self.name

    @property
    def numeric(self) -> bool:
        return self.value_type != ValueType.TEXT.value


def indicators_by_task(session: Session, task_ids: Sequence[int] | None = None) -> dict[int, list[IndicatorInfo]]:
    stmt = select(Indicator.id, Indicator.task_id, Indicator.sort_order, Indicator.name, Indicator.measure,
                  Indicator.value_type).order_by(Indicator.task_id, Indicator.sort_order, Indicator.id)
    if task_ids is not None:
        stmt = stmt.where(Indicator.task_id.in_(list(task_ids)))
    result: dict[int, list[IndicatorInfo]] = {}
    for r in session.execute(stmt):
        result.setdefault(r[1], []).append(IndicatorInfo(*r))
    return result


def figure_sums(session: Session, directive_ids: Sequence[int] | None = None) -> dict[tuple[int, int], float]:
    """(indicator id, unit id) -> sum of the numbers in each assignment's newest report.

    Periodic tasks add up their periods: the total over the time covered."""
    latest = _latest_report_ids(_assignment_scope(directive_ids))
    stmt = (select(ReportFigure.indicator_id, Assignment.unit_id, func.sum(ReportFigure.value_number))
            .join(latest, latest.c.report_id == ReportFigure.report_id)
            .join(Assignment, Assignment.id == latest.c.assignment_id)
            .where(ReportFigure.value_number.is_not(None))
            .group_by(ReportFigure.indicator_id, Assignment.unit_id))
    return {(r[0], r[1]): float(r[2]) for r in session.execute(stmt)}


@dataclass(frozen=True, slots=True)
class DirectiveInfo:
    id: int
    number: str
    issued_on: date | None
    issuer: str
    title: str


def directive_info(session: Session, directive_id: int) -> DirectiveInfo | None:
    r = session.execute(select(Directive.id, Directive.number, Directive.issued_on, Directive.issuer,
                               Directive.title).where(Directive.id == directive_id)).first()
    return DirectiveInfo(*r) if r else None


def directive_order(session: Session) -> dict[int, tuple]:
    """directive id -> sort key (date issued, then id): older directives first."""
    return {r[0]: (r[1] or date.min, r[0]) for r in session.execute(select(Directive.id, Directive.issued_on))}
