"""Recurring report deadlines ("chậm nhất ngày 07 hằng tháng", "định kỳ 6 tháng").

A rule is a short string stored on the task:
- ``monthly:D``    day D of every month (clamped to the month's last day), period "YYYY-MM"
- ``quarterly:D``  day D of the month after each quarter, period "YYYY-Qn"
- ``semiannual:D`` day D of the month after each half year (July, January), period "YYYY-Hn"
- ``yearly:M-D``   month M day D of the year after, period "YYYY"

Each occurrence reports on a period and is due after it; ``occurrences`` lists those whose
period starts inside [start, end].
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_RULE = re.compile(r"^(monthly|quarterly|semiannual|yearly):(\d{1,2})(?:-(\d{1,2}))?$")


class RecurrenceError(ValueError):
    pass


@dataclass(frozen=True)
class Occurrence:
    period: str
    period_start: date
    due: date


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def parse_rule(rule: str) -> tuple[str, int, int | None]:
    m = _RULE.match(rule.strip())
    if not m:
        raise RecurrenceError(f"unknown recurrence rule: {rule!r}")
    kind, first, second = m.group(1), int(m.group(2)), m.group(3)
    if kind == "yearly":
        if second is None or not (1 <= first <= 12 and 1 <= int(second) <= 31):
            raise RecurrenceError(f"yearly rule needs month-day: {rule!r}")
        return kind, first, int(second)
    if second is not None or not 1 <= first <= 31:
        raise RecurrenceError(f"bad day in rule: {rule!r}")
    return kind, first, None


def occurrences(rule: str, start: date, end: date) -> list[Occurrence]:
    kind, a, b = parse_rule(rule)
    result: list[Occurrence] = []
    if kind == "monthly":
        year, month = start.year, start.month
        while date(year, month, 1) <= end:
            ny, nm = _next_month(year, month)
            result.append(Occurrence(f"{year:04d}-{month:02d}", date(year, month, 1), _clamped(ny, nm, a)))
            year, month = ny, nm
        return result
    span = {"quarterly": 3, "semiannual": 6, "yearly": 12}[kind]
    year, month = start.year, ((start.month - 1) // span) * span + 1
    while date(year, month, 1) <= end:
        index = (month - 1) // span + 1
        end_year, end_month = (year, month + span - 1)
        ny, nm = _next_month(end_year, end_month)
        if kind == "yearly":
            label, due = f"{year:04d}", _clamped(year + 1, a, b or 1)
        else:
            label = f"{year:04d}-{'Q' if kind == 'quarterly' else 'H'}{index}"
            due = _clamped(ny, nm, a)
        result.append(Occurrence(label, date(year, month, 1), due))
        year, month = ny, nm
    return result


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?$")


def period_start(period: str) -> date | None:
    """First day of a period code made by :func:`occurrences` ("2024-10", "2024-Q3", "2024-H2",
    "2024"); None for the empty code of a one-off task or an unknown code."""
    m = _PERIOD.match((period or "").strip())
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        return date(year, month, 1) if 1 <= month <= 12 else None
    if m.group(3):
        return date(year, (int(m.group(3)) - 1) * 3 + 1, 1)
    if m.group(4):
        return date(year, 1 if m.group(4) == "1" else 7, 1)
    return date(year, 1, 1)
