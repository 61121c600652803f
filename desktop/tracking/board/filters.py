"""Scope and status filters, period bounds, the SQL building blocks and counts of every read model."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from sqlalchemy import Date, case, func, literal, select, text
from sqlalchemy.orm import Session

from db.models import (
    UNDATED_DONE_SQL,
    Assignment,
    AssignmentState,
    Task,
)
from db.queries import (
    AssignmentRow,
    assignment_rows,
    not_indexed,
    open_condition,
)
from desktop.tracking.stats import Summary, Tracked
from desktop.tracking.status import (
    Status,
    StatusResult,
    open_status_case,
    open_status_counts,
    status_sql,
)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut between words with "…" (never inside a word: cutting
    Vietnamese syllables can leave a different, even improper, word)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


# ---------------------------------------------------------------- scope and status filters

# Status filter codes offered by the filter bar (labels live in the UI).
FILTER_ALL = ""
FILTER_OPEN = "open"  # not done yet: overdue, due soon, in progress, no deadline
FILTER_OVERDUE = "overdue"
FILTER_DUE_SOON = "due_soon"
FILTER_IN_PROGRESS = "in_progress"  # within time (due soon included)
FILTER_WAITING = "waiting"  # Status.PENDING_REVIEW: reported by the unit, awaiting the officer's acceptance
FILTER_DONE = "done"
FILTER_ON_TIME = "on_time"
FILTER_LATE = "late"
FILTER_NO_DEADLINE = "no_deadline"
FILTER_EXCLUDED = "excluded"  # paused or cancelled

_OPEN = frozenset({Status.OVERDUE, Status.DUE_SOON, Status.IN_PROGRESS, Status.NO_DEADLINE, Status.PENDING_REVIEW})
_FILTER_STATUSES: dict[str, frozenset[Status]] = {
    FILTER_OPEN: _OPEN,
    FILTER_WAITING: frozenset({Status.PENDING_REVIEW}),
    FILTER_OVERDUE: frozenset({Status.OVERDUE}),
    FILTER_DUE_SOON: frozenset({Status.DUE_SOON}),
    FILTER_IN_PROGRESS: frozenset({Status.IN_PROGRESS, Status.DUE_SOON}),
    FILTER_DONE: frozenset({Status.ON_TIME, Status.LATE}),
    FILTER_ON_TIME: frozenset({Status.ON_TIME}),
    FILTER_LATE: frozenset({Status.LATE}),
    FILTER_NO_DEADLINE: frozenset({Status.NO_DEADLINE}),
    FILTER_EXCLUDED: frozenset({Status.PAUSED, Status.CANCELLED}),
}
STATUS_FILTERS = (FILTER_ALL, FILTER_OPEN, FILTER_OVERDUE, FILTER_DUE_SOON, FILTER_IN_PROGRESS, FILTER_WAITING,
                  FILTER_DONE, FILTER_ON_TIME, FILTER_LATE, FILTER_NO_DEADLINE, FILTER_EXCLUDED)


def passes_filter(status_filter: str, status: Status, state: str = "") -> bool:
    """Does one assignment (its status today) pass a status filter? ``state`` is not needed any
    more (awaiting approval is a status) and kept for callers."""
    if not status_filter:
        return True
    return status in _FILTER_STATUSES[status_filter]


@dataclass(frozen=True)
class Scope:
    """What the window is filtered to. ``unit_ids`` None means every unit."""

    unit_ids: tuple[int, ...] | None = None
    directive_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    status: str = FILTER_ALL


def period_bounds(kind: str, today: date) -> tuple[date | None, date | None]:
    """Date range of a named period of the filter bar: "month", "quarter", "year" (or "" for all)."""
    if kind == "month":
        start = today.replace(day=1)
        nxt = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
        return start, nxt - timedelta(days=1)
    if kind == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        nxt = date(today.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
        return start, nxt - timedelta(days=1)
    if kind == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None, None


# ---------------------------------------------------------------- SQL building blocks


def _scope_conditions(scope: Scope, open_only: bool = False, per_unit: bool = False) -> list:
    """The conditions on the assignment table of a scope. Every column the status needs is on the
    assignment row (the deadline in force is stored), so the figures need no join and no subquery
    (see :func:`status_groups`). ``per_unit``: for counts grouped by unit, the deadline range does
    not pick the index (db.queries.not_indexed): the unit-first covering indexes are read in order."""
    due = not_indexed(Assignment.effective_due) if per_unit else Assignment.effective_due
    conditions = []
    if scope.directive_id is not None:
        conditions.append(Assignment.task_id.in_(select(Task.id).where(Task.directive_id == scope.directive_id)))
    if scope.unit_ids is not None:
        conditions.append(Assignment.unit_id.in_(scope.unit_ids))
    if open_only:
        conditions.append(open_condition())
    if scope.due_from is not None:
        conditions.append(due >= scope.due_from)
    if scope.due_to is not None:
        conditions.append(due <= scope.due_to)
    return conditions


def status_groups(session: Session, keys: Sequence, conditions: Sequence, today: date, due_soon_days: int,
                  details: bool = False) -> list[tuple]:
    """Counts of assignments per ``keys`` (assignment columns) and status, over those matching
    ``conditions``: rows ``(*keys, status value, waiting, count)``, and with ``details`` also
    ``min(deadline in force)`` and ``max(days late)`` (late completions only).

    Three parts, each read from an index alone, instead of the status CASE on every row (a third
    of the time at city scale):
    - settled assignments by their stored ``fixed_status`` (kept by db.derived: done on time or
      late, paused, cancelled; the day does not change them);
    - open assignments (partial indexes ix_assignment_open_*): awaiting approval, else by where
      their deadline falls;
    - the rare done assignment without a completion date, by the full rule (it depends on today).
    ``waiting``: reported by the unit and not yet accepted (the status pending_review).
    """
    eff, completed = Assignment.effective_due, Assignment.completed_on
    today_ = literal(today, Date)

    def extras(late):
        if not details:
            return ()
        return (func.min(eff), func.max(late))

    no_late = literal(None)
    settled = (
        select(*keys, Assignment.fixed_status.label("status"), literal(False).label("waiting"), func.count(),
               *extras(case((Assignment.fixed_status == Status.LATE.value, _days_between(session, eff, completed)))))
        .where(Assignment.fixed_status.is_not(None), *conditions)
        .group_by(*keys, Assignment.fixed_status)
    )
    conn = session.connection()
    settled_rows = [tuple(r) for r in conn.execute(settled)]
    if details:
        open_status = open_status_case(Assignment.state, eff, today, due_soon_days).label("status")
        waiting = (Assignment.state == AssignmentState.REPORTED.value).label("waiting")
        still_open = (
            select(*keys, open_status, waiting, func.count(), *extras(no_late))
            .where(open_condition(), *conditions)
            .group_by(*keys, open_status, waiting)
        )
        open_rows = [tuple(r) for r in conn.execute(still_open)]
    else:  # one row per key with a count per status (no sort by status), spread back into rows
        columns = open_status_counts(Assignment.state, eff, today, due_soon_days)
        still_open = select(*keys, *(n for _s, _w, n in columns)).where(open_condition(), *conditions)
        if keys:
            still_open = still_open.group_by(*keys)
        width = len(keys)
        open_rows = [(*r[:width], status.value, waiting, n)
                     for r in conn.execute(still_open)
                     for (status, waiting, _n), n in zip(columns, r[width:]) if n]
    undated_status = status_sql(eff, today, due_soon_days).label("status")
    undated = (
        select(*keys, undated_status, literal(False).label("waiting"), func.count(),
               *extras(case((today_ > eff, _days_between(session, eff, today_)))))  # done "today" by the rule
        .where(text(UNDATED_DONE_SQL), *conditions)  # literal, as the partial index (one table: unqualified)
        .group_by(*keys, undated_status)
    )
    return settled_rows + open_rows + [tuple(r) for r in conn.execute(undated)]


def fetch_rows(session: Session, **filters) -> list[AssignmentRow]:
    """The rows of ``db.queries.assignment_rows`` for bounded lists (same filters)."""
    return assignment_rows(session, **filters)




def _contribution(status_value: str) -> dict[str, int]:
    """What one assignment of a status adds to each counter of a stats.Summary (Summary.add decides)."""
    one = Summary()
    one.add(Tracked(None, StatusResult(Status(status_value), None, None)))  # type: ignore[arg-type]
    return {f.name: getattr(one, f.name) for f in dataclasses.fields(Summary) if f.name != "counts"}


_CONTRIBUTIONS = {s.value: _contribution(s.value) for s in Status}
# Only the counters a status moves, as (name, amount) pairs: 1,000 unit bars per dashboard.
_MOVES = {value: tuple((name, per_one) for name, per_one in c.items() if per_one)
          for value, c in _CONTRIBUTIONS.items()}
_ZERO = dict.fromkeys(_CONTRIBUTIONS[Status.ON_TIME.value], 0)


def summary_from_counts(counts: dict[str, int]) -> Summary:
    """A stats.Summary from counts per status value, classified by Summary.add itself."""
    totals = dict(_ZERO)
    kept = {}
    for status_value, n in counts.items():
        if not n:
            continue
        kept[status_value] = n
        for name, per_one in _MOVES[status_value]:
            totals[name] += per_one * n
    return Summary(counts=kept, **totals)

def _days_between(session: Session, start, end):
    """SQL for whole days from ``start`` to ``end`` (dates), on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return end - start
