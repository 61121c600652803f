"""Default file names for the documents, Vietnamese and safe on Windows."""

from __future__ import annotations

import re
from datetime import date

from desktop.documents.text import inline

_UNSAFE = re.compile(r'[\\/:*?"<>|]+')


def safe_part(text: str) -> str:
    """``128/VHTT`` -> ``128-VHTT``: characters Windows refuses in file names become "-"."""
    return _UNSAFE.sub("-", inline(text)).strip(" .-")


def report_file_name(today: date, directive_number: str | None = None) -> str:
    """``Báo cáo kết quả 128-VHTT 08-10-2024.docx``."""
    middle = f" {safe_part(directive_number)}" if directive_number and safe_part(directive_number) else ""
    return f"Báo cáo kết quả{middle} {today:%d-%m-%Y}.docx"


def reminder_file_name(today: date, directive_number: str | None = None) -> str:
    """``Công văn đôn đốc 2790-UBND-VHTT 08-10-2024.docx``."""
    middle = f" {safe_part(directive_number)}" if directive_number and safe_part(directive_number) else ""
    return f"Công văn đôn đốc{middle} {today:%d-%m-%Y}.docx"


def directive_number(db, directive_id: int | None) -> str | None:
    """The số ký hiệu of a directive (None when not given or gone)."""
    if directive_id is None:
        return None
    from db.models import Directive

    with db.session() as s:
        found = s.get(Directive, directive_id)
        return found.number if found else None
