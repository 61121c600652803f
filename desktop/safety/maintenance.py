""""Kiểm tra dữ liệu": a full check the officer (or IT) can run any time. Qt-free.

Beyond SQLite's own integrity_check and foreign_key_check it looks for rows that are sound on
disk but do not make sense to the program (a finished assignment without a completion date, a
unit merged into itself, an attached file that is no longer in the attachments folder).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from db.models import AssignmentState
from desktop.infra import attachments
from desktop.safety.backups import list_backups, sqlite_file
from desktop.safety.integrity import Health, IntegrityReport, check_file, open_for_reading

_COUNTED = [
    ("unit", "đơn vị (kể cả nhóm)"),
    ("directive", "văn bản chỉ đạo"),
    ("task", "nhiệm vụ"),
    ("assignment", "lượt giao nhiệm vụ"),
    ("unit_report", "báo cáo kết quả"),
    ("change_log", "dòng lịch sử thay đổi"),
]

# (sql returning offending ids, Vietnamese description)
_RULES = [
    (f"SELECT id FROM assignment WHERE state = '{AssignmentState.DONE.value}' AND completed_on IS NULL",
     "lượt giao đã hoàn thành nhưng thiếu ngày hoàn thành"),
    ("SELECT id FROM unit WHERE merged_into_id = id",
     "đơn vị được ghi là sáp nhập vào chính nó"),
    ("SELECT id FROM unit WHERE parent_id = id",
     "đơn vị nằm trong chính nó"),
    ("SELECT id FROM task WHERE start_date IS NOT NULL AND due_date IS NOT NULL AND due_date < start_date",
     "nhiệm vụ có hạn hoàn thành trước ngày bắt đầu"),
]


@dataclass
class DataCheck:
    database: Path
    integrity: IntegrityReport
    counts: list[tuple[str, int]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)  # Vietnamese, one per kind of problem
    missing_files: list[str] = field(default_factory=list)
    backups: int = 0
    newest_backup: str = ""

    @property
    def ok(self) -> bool:
        return self.integrity.health == Health.OK and not self.issues and not self.missing_files

    def summary(self) -> str:
        """Vietnamese text for a message box or the command line."""
        lines = []
        if self.integrity.health == Health.OK:
            lines.append("Tệp cơ sở dữ liệu nguyên vẹn (kiểm tra toàn vẹn và ràng buộc: không có lỗi).")
        else:
            lines.append(self.integrity.message)
        if self.counts:
            lines.append("Dữ liệu: " + "; ".join(f"{n:,} {label}".replace(",", ".") for label, n in self.counts) + ".")
        lines.extend("Cần xem lại: " + issue + "." for issue in self.issues)
        if self.missing_files:
            shown = ", ".join(self.missing_files[:5]) + (" …" if len(self.missing_files) > 5 else "")
            lines.append(f"Thiếu {len(self.missing_files)} tệp đính kèm trong thư mục dữ liệu: {shown}.")
        if self.backups:
            lines.append(f"Có {self.backups} bản sao lưu; mới nhất: {self.newest_backup}.")
        else:
            lines.append("Chưa có bản sao lưu nào.")
        if self.ok:
            lines.append("Kết luận: dữ liệu tốt.")
        return "\n".join(lines)


def check_data(database: str | Path) -> DataCheck:
    """Run every check on a SQLite database (safe while the program has it open)."""
    path = sqlite_file(database)
    if path is None:
        raise ValueError("check_data needs a SQLite file")
    result = DataCheck(path, check_file(path, thorough=True))
    backups = [b for b in list_backups(path) if b.restorable]
    result.backups = len(backups)
    if backups:
        result.newest_backup = f"{backups[0].taken_at:%d/%m/%Y %H:%M} ({backups[0].path.name})"
    if result.integrity.health != Health.OK:
        return result
    conn = open_for_reading(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, label in _COUNTED:
            if table in tables:
                result.counts.append((label, conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]))
        for sql, description in _RULES:
            try:
                ids = [r[0] for r in conn.execute(sql)]
            except sqlite3.OperationalError:  # an older schema without that column
                continue
            if ids:
                shown = ", ".join(str(i) for i in ids[:10]) + (" …" if len(ids) > 10 else "")
                result.issues.append(f"{len(ids)} {description} (mã {shown})")
        if "evidence" in tables:
            for (target,) in conn.execute("SELECT target FROM evidence WHERE kind = 'file'"):
                if target and attachments.find(str(path), target) is None:
                    result.missing_files.append(target)
    finally:
        conn.close()
    return result

