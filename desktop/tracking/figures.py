"""What every document numbers and counts the same way: the task numbers (NV1, NV2 ...).

Which reports the indicator totals come from is ``db.queries.accepted_report_ids`` (accepted
assignments only); period labels, numbers and Roman numerals are ``desktop.tracking.labels``.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

TASK_PREFIX = "NV"


def task_order_key(issued_on: date | None, directive_id: int, sort_order: int | None, task_id: int) -> tuple:
    """Tasks in the order every document lists them: older directives first (date issued, then
    id), then the task's place in its directive."""
    return (issued_on or date.min, directive_id, sort_order or 0, task_id)


def number_tasks(tasks: Iterable[tuple[int, date | None, int, int | None]]) -> dict[int, int]:
    """task id -> its number from 1, for (task id, directive issued on, directive id, sort order)."""
    ordered = sorted(tasks, key=lambda t: task_order_key(t[1], t[2], t[3], t[0]))
    return {t[0]: n for n, t in enumerate(ordered, 1)}


def task_label(number: int) -> str:
    """"NV3": how Word's section II / Phụ lục I and Excel's sheets name the third task."""
    return f"{TASK_PREFIX}{number}"
