"""The task board (one line per task × period), quick filter counts, lead names, assignment lists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.models import (
    LEAD_ROLE_SQL,
    Assignment,
    AssignmentState,
    Directive,
    Task,
    Unit,
)
from db.queries import (
    assignment_rows,
    id_chunks,
)
from desktop.tracking.board.filters import (
    FILTER_ALL,
    FILTER_DUE_SOON,
    FILTER_OVERDUE,
    FILTER_WAITING,
    Scope,
    _scope_conditions,
    fetch_rows,
    passes_filter,
    status_groups,
)
from desktop.tracking.stats import Tracked, track
from desktop.tracking.status import (
    Status,
)

# ---------------------------------------------------------------- task board


@dataclass(frozen=True)
class TaskLine:
    """One row of the task table: a task (for periodic tasks: one period of it) within the scope."""

    task_id: int
    period: str
    directive_id: int
    directive_number: str
    task_order: int
    title: str
    kind: str
    start: date | None
    deadline: date | None  # the earliest effective deadline among its assignments in scope
    lead: str  # name(s) of the lead unit(s), whatever the scope
    done: int  # on time + late
    total: int  # assigned in scope, paused and cancelled left out
    status: Status  # the most pressing status among its assignments in scope
    days_late: int | None  # overdue: days past the earliest missed deadline; else the longest late completion
    counts: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    waiting: int = 0  # reports waiting for acceptance

    @property
    def key(self) -> tuple[int, str]:
        return (self.task_id, self.period)


# Order in which a task's assignments colour the task: what needs attention first.
PRESSING = (Status.OVERDUE, Status.DUE_SOON, Status.PENDING_REVIEW, Status.IN_PROGRESS, Status.NO_DEADLINE,
            Status.LATE, Status.ON_TIME, Status.PAUSED, Status.CANCELLED)


_PRESSING_VALUES = tuple((s.value, s) for s in PRESSING)


def task_status(counts: dict[str, int]) -> Status:
    """The colour of a task from its assignments' statuses: the first present in PRESSING."""
    for value, status in _PRESSING_VALUES:
        if counts.get(value):
            return status
    return Status.NO_DEADLINE


_STATUS_OF = {s.value: s for s in Status}
_OVERDUE_V, _LATE_V, _ON_TIME_V = Status.OVERDUE.value, Status.LATE.value, Status.ON_TIME.value
_PAUSED_V, _CANCELLED_V = Status.PAUSED.value, Status.CANCELLED.value


def task_board(session: Session, scope: Scope, today: date, due_soon_days: int,
               leads: dict[int, str] | None = None) -> list[TaskLine]:
    """The task table: one line per (task, period) with assignments in scope, ordered by deadline.

    Progress and colour count every assignment in the scope; the status filter only decides which
    lines appear (those with at least one assignment passing it). ``leads`` is a cache of
    lead_names (task id -> names) kept by the caller between calls; missing tasks are looked up
    and added to it.
    """
    conditions = _scope_conditions(scope)
    rows = status_groups(session, (Assignment.task_id, Assignment.period), conditions, today, due_soon_days,
                         details=True)
    # Per line: [counts by status, waiting, earliest deadline, earliest overdue deadline, longest late
    # completion, passes the status filter]. Plain lists: 17,000 group rows at the city root.
    groups: dict[tuple[int, str], list] = {}
    everything = not scope.status
    reported = AssignmentState.REPORTED.value
    for task_id, period, status_value, is_waiting, n, min_due, max_late in rows:
        g = groups.get((task_id, period))
        if g is None:
            g = groups[(task_id, period)] = [{}, 0, None, None, None, everything]
        counts = g[0]
        counts[status_value] = counts.get(status_value, 0) + n
        if is_waiting:
            g[1] += n
        if min_due is not None:
            if g[2] is None or min_due < g[2]:
                g[2] = min_due
            if status_value == _OVERDUE_V and (g[3] is None or min_due < g[3]):
                g[3] = min_due
        if max_late is not None and status_value == _LATE_V:
            g[4] = max(int(round(max_late)), g[4] or 0)
        if not g[5] and passes_filter(scope.status, _STATUS_OF[status_value], reported if is_waiting else ""):
            g[5] = True
    keys = [k for k, g in groups.items() if g[5]]
    if not keys:
        return []
    task_ids = sorted({k[0] for k in keys})
    info = {}
    task_stmt = (select(Task.id, Task.directive_id, Directive.number, Task.sort_order, Task.title, Task.kind,
                        Task.start_date).join(Directive, Directive.id == Task.directive_id))
    for chunk in _id_chunks(task_ids):
        for row in session.connection().execute(task_stmt if chunk is None else task_stmt.where(Task.id.in_(chunk))):
            info[row[0]] = row
    if leads is None:
        leads = {}
    missing = [t for t in task_ids if t not in leads]
    if missing:
        found = lead_names(session, missing)
        for t in missing:
            leads[t] = found.get(t, "")
    lines = []
    for task_id, period in keys:
        counts, waiting, min_due, overdue_due, late_days, _ = groups[(task_id, period)]
        t = info[task_id]
        days_late = (today - _as_date(overdue_due)).days if overdue_due is not None else late_days
        done = counts.get(_ON_TIME_V, 0) + counts.get(_LATE_V, 0)
        total = sum(counts.values()) - counts.get(_PAUSED_V, 0) - counts.get(_CANCELLED_V, 0)
        lines.append(TaskLine(
            task_id=task_id, period=period, directive_id=t[1], directive_number=t[2], task_order=t[3], title=t[4],
            kind=t[5], start=t[6], deadline=_as_date(min_due), lead=leads.get(task_id, ""), done=done,
            total=total, status=task_status(counts), days_late=days_late, counts=counts, waiting=waiting,
        ))
    lines.sort(key=lambda x: (x.deadline is None, x.deadline or date.max, x.directive_id, x.task_order, x.period))
    return lines


QUICK_FILTERS = (FILTER_OVERDUE, FILTER_DUE_SOON, FILTER_WAITING, FILTER_ALL)


def quick_filter_counts(lines: Sequence[TaskLine]) -> dict[str, int]:
    """How many lines each one-click filter would show, from the unfiltered lines of a scope: a
    line passes a filter when one of its assignments does (as in :func:`task_board`)."""
    return {
        FILTER_OVERDUE: sum(1 for line in lines if line.counts.get(_OVERDUE_V)),
        FILTER_DUE_SOON: sum(1 for line in lines if line.counts.get(Status.DUE_SOON.value)),
        FILTER_WAITING: sum(1 for line in lines if line.waiting),
        FILTER_ALL: len(lines),
    }




def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _id_chunks(ids: Sequence[int], whole_table_from: int = 2000):
    """Chunks of ids for ``IN (...)`` lists, or a single None ("read the whole table, keep what you
    need") when there are so many that one scan beats many index lookups (the root task board)."""
    if len(ids) >= whole_table_from:
        yield None
        return
    yield from id_chunks(ids)


def lead_names(session: Session, task_ids: Sequence[int]) -> dict[int, str]:
    """Short names of each task's lead unit(s), "; "-joined."""
    names: dict[int, list[str]] = defaultdict(list)
    wanted = set(task_ids)
    for chunk in _id_chunks(list(task_ids)):
        stmt = (
            select(Assignment.task_id, Unit.short_name, Unit.name)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(text("assignment." + LEAD_ROLE_SQL))  # literal: the partial index ix_assignment_lead
            .order_by(Assignment.task_id, Unit.sort_order, Unit.id)  # periods repeat a lead: deduplicated below
        )
        if chunk is not None:
            stmt = stmt.where(Assignment.task_id.in_(chunk))
        for task_id, short, name in session.connection().execute(stmt):
            if task_id not in wanted:
                continue
            label = short or name
            if label not in names[task_id]:
                names[task_id].append(label)
    return {k: "; ".join(v) for k, v in names.items()}


# ---------------------------------------------------------------- assignment list


def assignment_lines(session: Session, task_id: int, period: str, scope: Scope, today: date,
                     due_soon_days: int) -> list[Tracked]:
    """The assignments of one task line in the scope, status filter applied, ordered by deadline."""
    rows = fetch_rows(session, task_ids=[task_id], periods=[period], unit_ids=scope.unit_ids,
                      due_from=scope.due_from, due_to=scope.due_to)
    return [t for t in track(rows, today, due_soon_days) if passes_filter(scope.status, t.status, t.row.state)]


def unit_history(session: Session, unit_id: int, today: date, due_soon_days: int) -> list[Tracked]:
    """Every assignment of one unit (all directives, all periods) with its status on ``today``:
    the «Phiếu theo dõi của đơn vị» printout."""
    return track(assignment_rows(session, unit_ids=[unit_id]), today, due_soon_days)
