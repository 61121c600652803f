"""The status rule of product.md, once: its Python form (:func:`compute_status`) and its SQL form
(:func:`status_case`) side by side, so a change to one is made next to the other.

It lives in ``db`` because the storage layer needs it too (the settled status stored on every
assignment, :func:`fixed_status` and :data:`FIXED_STATUS_SQL`), and ``db`` never imports
``desktop``; ``desktop.tracking.status`` re-exports it for the rest of the application.

- Only an accepted report completes an assignment (state ``hoan_thanh``); its completion date is
  the assignment's ``completed_on``: on time when on or before the deadline in force, else late.
- A report received but not yet accepted or returned (state ``cho_duyet``) is *awaiting approval*
  (``pending_review``), whatever the day; its days late, if any, count to the day the report was
  received, not to the office's review.
- Otherwise, by the deadline in force: none -> no deadline (an ongoing duty); passed -> overdue;
  within ``due_soon_days`` -> due soon; else in progress.
- Paused and cancelled assignments are outside every lateness figure.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, column, func, literal, not_, null, or_

from db.models import AssignmentState

DEFAULT_DUE_SOON_DAYS = 3

_PAUSED = AssignmentState.PAUSED.value
_CANCELLED = AssignmentState.CANCELLED.value
_DONE = AssignmentState.DONE.value
_REPORTED = AssignmentState.REPORTED.value


class Status(str, enum.Enum):
    ON_TIME = "on_time"  # Hoàn thành đúng hạn
    LATE = "late"  # Hoàn thành quá hạn
    PENDING_REVIEW = "pending_review"  # Đã báo cáo, chờ duyệt
    IN_PROGRESS = "in_progress"  # Đang thực hiện, trong hạn
    DUE_SOON = "due_soon"  # Sắp đến hạn
    OVERDUE = "overdue"  # Quá hạn
    NO_DEADLINE = "no_deadline"  # Không có hạn (thường xuyên)
    PAUSED = "paused"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class StatusResult:
    status: Status
    # Late completion, overdue, or a report received after the deadline: whole calendar days past it.
    days_late: int | None
    days_left: int | None  # not done with a deadline not yet passed: days until it


# ---------------------------------------------------------------- the rule in Python


def compute_status(
    state: str,
    deadline: date | None,
    completed_on: date | None,
    today: date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
    reported_on: date | None = None,
) -> StatusResult:
    """Status of one assignment. ``deadline`` is the effective one (extensions applied);
    ``reported_on`` the day its newest report was received (read only while it awaits approval)."""
    if state == _PAUSED:
        return StatusResult(Status.PAUSED, None, None)
    if state == _CANCELLED:
        return StatusResult(Status.CANCELLED, None, None)
    if state == _DONE:
        done_on = completed_on or today
        if deadline is None or done_on <= deadline:
            return StatusResult(Status.ON_TIME, None, None)
        return StatusResult(Status.LATE, (done_on - deadline).days, None)
    if state == _REPORTED:
        late = (reported_on - deadline).days if deadline and reported_on and reported_on > deadline else None
        return StatusResult(Status.PENDING_REVIEW, late, None)
    if deadline is None:
        return StatusResult(Status.NO_DEADLINE, None, None)
    if today > deadline:
        return StatusResult(Status.OVERDUE, (today - deadline).days, None)
    left = (deadline - today).days
    if left <= due_soon_days:
        return StatusResult(Status.DUE_SOON, None, left)
    return StatusResult(Status.IN_PROGRESS, None, left)


def fixed_status(state: str, completed_on: date | None, effective_due: date | None) -> str | None:
    """The settled status (a Status value) when :func:`compute_status` does not depend on the
    day: paused, cancelled, done with a completion date (or without a deadline); else None."""
    settled = state in (_PAUSED, _CANCELLED) or (state == _DONE and (completed_on is not None or effective_due is None))
    if not settled:
        return None
    return compute_status(state, effective_due, completed_on, date.min).status.value


# ---------------------------------------------------------------- the same rule in SQL


def _open_tests(state, effective, today: date, due_soon_days: int) -> list[tuple[object, Status]]:
    """The rule for an assignment not done, paused or cancelled, in order (the first test that
    holds decides; none: in progress): awaiting approval, else by where its deadline falls."""
    return [
        (state == _REPORTED, Status.PENDING_REVIEW),
        (effective.is_(None), Status.NO_DEADLINE),
        (effective < literal(today, Date), Status.OVERDUE),
        (effective <= literal(today + timedelta(days=due_soon_days), Date), Status.DUE_SOON),
    ]


def open_status_case(state, effective, today: date, due_soon_days: int):
    """SQL of :func:`_open_tests` (the tail of :func:`status_case`) as a CASE giving Status values."""
    return case(*((test, status.value) for test, status in _open_tests(state, effective, today, due_soon_days)),
                else_=Status.IN_PROGRESS.value)


def open_status_counts(state, effective, today: date, due_soon_days: int) -> list[tuple[Status, bool, object]]:
    """:func:`_open_tests` as counts, one ``count(*) FILTER (WHERE …)`` per status: ``(status,
    waiting, aggregate)``, each test made exclusive of those before it. Grouped by the open index's
    leading column the query needs no sort of the rows by status (half the time of grouping by the
    CASE at city scale)."""
    counts = []
    earlier: list = []
    for test, status in _open_tests(state, effective, today, due_soon_days):
        counts.append((status, status is Status.PENDING_REVIEW, func.count().filter(and_(*earlier, test))))
        earlier.append(not_(test))
    counts.append((Status.IN_PROGRESS, False, func.count().filter(and_(*earlier))))
    return counts


def overdue_condition(state, effective, today: date):
    """SQL: the assignment is overdue on ``today`` (to be combined with the open-state condition of
    the query, db.queries.open_condition): its deadline has passed and no report awaits approval."""
    return and_(state != _REPORTED, effective < literal(today, Date))


def status_case(state, effective, completed_on, today: date | None = None,
                due_soon_days: int = DEFAULT_DUE_SOON_DAYS):
    """:func:`compute_status` as a SQL expression giving Status values, over the given columns.

    With ``today`` None it is :func:`fixed_status` (NULL where the status depends on the day)."""
    done_on = completed_on if today is None else func.coalesce(completed_on, literal(today, Date))
    settled = [
        (state == _PAUSED, Status.PAUSED.value),
        (state == _CANCELLED, Status.CANCELLED.value),
        (state == _DONE, case((or_(effective.is_(None), done_on <= effective), Status.ON_TIME.value),
                              (done_on.is_not(None), Status.LATE.value), else_=null())),
    ]
    if today is None:
        return case(*settled, else_=null())
    return case(*settled, else_=open_status_case(state, effective, today, due_soon_days))


def status_sql(effective, today: date, due_soon_days: int, state=None, completed_on=None):
    """:func:`status_case` on the assignment table's columns (``state``, ``completed_on`` unless
    given) and the deadline ``effective``."""
    from db.models import Assignment

    return status_case(Assignment.state if state is None else state, effective,
                       Assignment.completed_on if completed_on is None else completed_on, today, due_soon_days)


def _fixed_status_text() -> str:
    expr = status_case(column("state"), column("effective_due"), column("completed_on"))
    return str(expr.compile(compile_kwargs={"literal_binds": True}))


# Unqualified columns of the assignment table, for the bulk refresh of db.derived.
FIXED_STATUS_SQL = _fixed_status_text()
