"""The status rule of product.md, with ``today`` as a parameter.

The rule itself, its Python form and its SQL form side by side, is ``db.status_rule`` (the
storage layer stores the settled status and may not import ``desktop``); this module is where the
application takes it from, with what the figures add to it (which statuses count as due).
"""

from __future__ import annotations

from datetime import date

from db.status_rule import (
    DEFAULT_DUE_SOON_DAYS,
    FIXED_STATUS_SQL,
    Status,
    StatusResult,
    compute_status,
    fixed_status,
    open_status_case,
    open_status_counts,
    overdue_condition,
    status_case,
    status_sql,
)

__all__ = ["DEFAULT_DUE_SOON_DAYS", "DONE_STATUSES", "EXCLUDED_STATUSES", "FIXED_STATUS_SQL", "Status", "StatusResult",
           "compute_status", "effective_deadline", "fixed_status", "is_due", "open_status_case", "open_status_counts",
           "overdue_condition",
           "status_case", "status_sql"]

DONE_STATUSES = frozenset({Status.ON_TIME, Status.LATE})
EXCLUDED_STATUSES = frozenset({Status.PAUSED, Status.CANCELLED})


def effective_deadline(own_due: date | None, extensions: list[date] | tuple[date, ...] = ()) -> date | None:
    """The deadline in force: the last extension granted (in the order given), else the original."""
    return extensions[-1] if extensions else own_due


def is_due(result: StatusResult) -> bool:
    """Counted in the rates: done (either way) or overdue; not what is still within its time, nor
    a report awaiting approval (neither done, since only acceptance completes, nor unreported)."""
    return result.status in DONE_STATUSES or result.status is Status.OVERDUE
