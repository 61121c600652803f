"""Plain data for the workbooks: units in tree order, tasks, streamed assignments, summed figures.

Every query returns plain tuples/dataclasses, never ORM objects, and stays fast on 200,000
assignments (one query per kind of data, aggregation in SQL where it can be). The two big ones
(:func:`stream_assignments`, :func:`stream_figure_sums`) are iterated in batches, so a whole-database
export never holds every assignment at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator, NamedTuple, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.models import Assignment, Directive, Indicator, ReportFigure, Task, Unit, UnitReport, ValueType
from db.queries import accepted_report_ids
from desktop.tracking.figures import number_tasks


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
    """(indicator id, unit id) -> sum of the numbers in each accepted assignment's report
    (``db.queries.accepted_report_ids``: the figures Word's report sums too).

    Periodic tasks add up their periods: the total over the time covered."""
    latest = accepted_report_ids(_assignment_scope(directive_ids))
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


# ---------------------------------------------------------------- streamed whole-scope data

_BATCH = 2000


def _task_order(stmt):
    """Tasks as the workbooks list them: older directives first (date issued, then id), then the
    task's place in its directive."""
    return stmt.order_by(Directive.issued_on.nulls_first(), Directive.id, Task.sort_order, Task.id)


def _in_scope(stmt, directive_ids: Sequence[int] | None):
    return stmt if directive_ids is None else stmt.where(Task.directive_id.in_(list(directive_ids)))


@dataclass(frozen=True, slots=True)
class TaskInfo:
    id: int
    directive_id: int
    directive_number: str
    title: str


def tasks_in_scope(session: Session, directive_ids: Sequence[int] | None = None) -> dict[int, TaskInfo]:
    """task id -> its title and directive number, for the tasks of the directives given (or all)."""
    stmt = _in_scope(select(Task.id, Task.directive_id, Directive.number, Task.title)
                     .join(Directive, Directive.id == Task.directive_id), directive_ids)
    return {r[0]: TaskInfo(*r) for r in session.execute(stmt)}


def task_numbers(session: Session, directive_ids: Sequence[int] | None = None) -> dict[int, int]:
    """task id -> its number (NV1, NV2 ...) among the tasks given to someone in the scope, as
    Word's report numbers them (``desktop.tracking.figures.number_tasks``)."""
    stmt = _in_scope(select(Task.id, Directive.issued_on, Directive.id, Task.sort_order)
                     .join(Directive, Directive.id == Task.directive_id)
                     .where(select(Assignment.id).where(Assignment.task_id == Task.id).exists()), directive_ids)
    return number_tasks(tuple(r) for r in session.execute(stmt))


def scope_unit_ids(session: Session, directive_ids: Sequence[int] | None = None) -> list[int]:
    """The units given at least one assignment in the scope."""
    stmt = select(Assignment.unit_id).distinct()
    if directive_ids is not None:
        stmt = _in_scope(stmt.join(Task, Task.id == Assignment.task_id), directive_ids)
    return [r[0] for r in session.execute(stmt)]


def scope_size(session: Session, directive_ids: Sequence[int] | None = None) -> tuple[int, int]:
    """(assignments, distinct task × period lines) in the scope: the lengths of the long sheets."""
    pairs = select(Assignment.task_id, Assignment.period).distinct()
    total = select(func.count(Assignment.id))
    if directive_ids is not None:
        pairs = _in_scope(pairs.join(Task, Task.id == Assignment.task_id), directive_ids)
        total = _in_scope(total.join(Task, Task.id == Assignment.task_id), directive_ids)
    lines = session.execute(select(func.count()).select_from(pairs.subquery())).scalar_one()
    return session.execute(total).scalar_one(), lines


class AssignmentLine(NamedTuple):
    """One assignment as the detail and matrix sheets need it, with its newest report."""

    assignment_id: int
    task_id: int
    period: str
    unit_id: int
    role: str
    state: str
    own_due: date | None
    effective_due: date | None  # newest extension's deadline, else own_due
    completed_on: date | None
    report_received_on: date | None
    report_doc_number: str | None
    report_content: str | None


def stream_assignments(session: Session, directive_ids: Sequence[int] | None = None,
                       batch: int = _BATCH) -> Iterator[AssignmentLine]:
    """Every assignment of the scope in task order (see :func:`_task_order`), then by period;
    the order of units inside one task and period is left to the caller (tree order).

    Fetched ``batch`` rows at a time (a server-side cursor on PostgreSQL): memory stays flat
    however many assignments there are. The newest report (by date received, then id, as
    everywhere in the application) is a correlated subquery, one index seek per assignment; the
    deadline in force is stored on the assignment (db.derived)."""
    other = aliased(UnitReport)
    newest_report = (select(other.id).where(other.assignment_id == Assignment.id)
                     .order_by(other.received_on.desc(), other.id.desc()).limit(1)
                     .correlate(Assignment).scalar_subquery())
    stmt = (select(Assignment.id, Assignment.task_id, Assignment.period, Assignment.unit_id, Assignment.role,
                   Assignment.state, Assignment.due_date, Assignment.effective_due,
                   Assignment.completed_on, UnitReport.received_on, UnitReport.unit_doc_number,
                   UnitReport.content)
            .join(Task, Task.id == Assignment.task_id)
            .join(Directive, Directive.id == Task.directive_id)
            .outerjoin(UnitReport, UnitReport.id == newest_report))
    stmt = _task_order(_in_scope(stmt, directive_ids)).order_by(Assignment.period)
    result = session.connection().execution_options(yield_per=batch).execute(stmt)
    try:
        for r in result:
            yield AssignmentLine(*r)
    finally:
        result.close()


def numeric_indicators(session: Session, directive_ids: Sequence[int] | None = None) -> list[IndicatorInfo]:
    """The number-valued indicators of the scope's tasks, in task order, then their own order."""
    stmt = (select(Indicator.id, Indicator.task_id, Indicator.sort_order, Indicator.name, Indicator.measure,
                   Indicator.value_type)
            .join(Task, Task.id == Indicator.task_id)
            .join(Directive, Directive.id == Task.directive_id)
            .where(Indicator.value_type != ValueType.TEXT.value))
    stmt = _task_order(_in_scope(stmt, directive_ids)).order_by(Indicator.sort_order, Indicator.id)
    return [IndicatorInfo(*r) for r in session.execute(stmt)]


def assigned_unit_counts(session: Session, directive_ids: Sequence[int] | None = None) -> dict[int, int]:
    """task id -> how many units it is given to."""
    stmt = (select(Assignment.task_id, func.count(Assignment.unit_id.distinct()))
            .join(Task, Task.id == Assignment.task_id).group_by(Assignment.task_id))
    return dict(session.execute(_in_scope(stmt, directive_ids)).all())


def units_by_task(session: Session, task_ids: Sequence[int]) -> dict[int, set[int]]:
    """task id -> the units it is given to (for a few tasks)."""
    result: dict[int, set[int]] = {t: set() for t in task_ids}
    if task_ids:
        stmt = select(Assignment.task_id, Assignment.unit_id).distinct().where(Assignment.task_id.in_(list(task_ids)))
        for task_id, unit_id in session.execute(stmt):
            result[task_id].add(unit_id)
    return result


def stream_figure_sums(session: Session, directive_ids: Sequence[int] | None = None,
                       batch: int = _BATCH) -> Iterator[tuple[int, int, float]]:
    """(indicator id, unit id, sum) as :func:`figure_sums`, in the order of
    :func:`numeric_indicators` (units inside one indicator in no set order), fetched in batches."""
    latest = accepted_report_ids(_assignment_scope(directive_ids))
    stmt = (select(ReportFigure.indicator_id, Assignment.unit_id, func.sum(ReportFigure.value_number))
            .join(latest, latest.c.report_id == ReportFigure.report_id)
            .join(Assignment, Assignment.id == latest.c.assignment_id)
            .join(Indicator, Indicator.id == ReportFigure.indicator_id)
            .join(Task, Task.id == Indicator.task_id)
            .join(Directive, Directive.id == Task.directive_id)
            .where(ReportFigure.value_number.is_not(None))
            .group_by(ReportFigure.indicator_id, Assignment.unit_id, Directive.issued_on, Directive.id,
                      Task.sort_order, Task.id, Indicator.sort_order))
    stmt = _task_order(stmt).order_by(Indicator.sort_order, ReportFigure.indicator_id)
    result = session.connection().execution_options(yield_per=batch).execute(stmt)
    try:
        for r in result:
            yield r[0], r[1], float(r[2])
    finally:
        result.close()
