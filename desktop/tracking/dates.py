"""Parsing and formatting dates as the officer types and reads them (dd/mm/yyyy)."""

from __future__ import annotations

import re
from datetime import date, datetime

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_user_date(text: str | None) -> date | None:
    """dd/mm/yyyy (also with "." or "-") or YYYY-MM-DD; None when empty or not a real date."""
    if text is None:
        return None
    m = _ISO.match(text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DMY.match(text)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def coerce_date(value: object) -> date | None:
    """A date from what a spreadsheet cell may hold: date, datetime, Excel serial, or text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's 1900 system, 1900-01-01 .. 9999-12-31
            from openpyxl.utils.datetime import from_excel

            result = from_excel(value)
            return result.date() if isinstance(result, datetime) else result
        return None
    if isinstance(value, str):
        return parse_user_date(value)
    return None
