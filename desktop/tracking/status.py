"""The status rule of product.md, in one function, with ``today`` as a parameter.

Only an accepted report completes an assignment (state ``hoan_thanh``); the completion date is the
assignment's ``completed_on``. The effective deadline is the newest extension's, else the
assignment's own. Paused and cancelled assignments are outside every lateness figure.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from db.models import AssignmentState

DEFAULT_DUE_SOON_DAYS = 3


class Status(str, enum.Enum):
    ON_TIME = "on_time"  # Hoàn thành đúng hạn
    LATE = "late"  # Hoàn thành quá hạn
    IN_PROGRESS = "in_progress"  # Đang thực hiện, trong hạn
    DUE_SOON = "due_soon"  # Sắp đến hạn
    OVERDUE = "overdue"  # Quá hạn
    NO_DEADLINE = "no_deadline"  # Không có hạn (thường xuyên)
    PAUSED = "paused"
    CANCELLED = "cancelled"


DONE_STATUSES = frozenset({Status.ON_TIME, Status.LATE})
EXCLUDED_STATUSES = frozenset({Status.PAUSED, Status.CANCELLED})


@dataclass(frozen=True)
class StatusResult:
    status: Status
    days_late: int | None  # late completion or overdue: whole calendar days past the deadline
    days_left: int | None  # not done with a deadline not yet passed: days until it


def effective_deadline(own_due: date | None, extensions: list[date] | tuple[date, ...] = ()) -> date | None:
    """The deadline in force: the last extension granted (in the order given), else the original."""
    return extensions[-1] if extensions else own_due


def compute_status(
    state: str,
    deadline: date | None,
    completed_on: date | None,
    today: date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> StatusResult:
    """Status of one assignment. ``deadline`` is the effective one (extensions applied)."""
    if state == AssignmentState.PAUSED.value:
        return StatusResult(Status.PAUSED, None, None)
    if state == AssignmentState.CANCELLED.value:
        return StatusResult(Status.CANCELLED, None, None)
    if state == AssignmentState.DONE.value:
        done_on = completed_on or today
        if deadline is None or done_on <= deadline:
            return StatusResult(Status.ON_TIME, None, None)
        return StatusResult(Status.LATE, (done_on - deadline).days, None)
    if deadline is None:
        return StatusResult(Status.NO_DEADLINE, None, None)
    if today > deadline:
        return StatusResult(Status.OVERDUE, (today - deadline).days, None)
    left = (deadline - today).days
    if left <= due_soon_days:
        return StatusResult(Status.DUE_SOON, None, left)
    return StatusResult(Status.IN_PROGRESS, None, left)


def is_due(result: StatusResult) -> bool:
    """Counted in the rates: done (either way) or overdue; not what is still within its time."""
    return result.status in DONE_STATUSES or result.status is Status.OVERDUE
