"""An assignment's history of changes, in words."""

from __future__ import annotations

from datetime import date, datetime, timezone

from PySide6.QtGui import QBrush, QColor

from desktop.tracking import labels
from desktop.tracking.board import ChangeEntry, shorten
from desktop.ui.models.base import _FOREGROUND, _TOOLTIP, _SortedTableModel, sort_key

# ---------------------------------------------------------------- history


FIELD_LABELS = {
    "state": "Trạng thái",
    "completed_on": "Ngày hoàn thành",
    "accepted_on": "Ngày duyệt",
    "due_date": "Hạn",
    "role": "Vai trò",
    "note": "Ghi chú",
    "unit_id": "Đơn vị",
    "received_on": "Ngày nhận báo cáo",
    "channel": "Hình thức nhận",
    "unit_doc_number": "Số văn bản của đơn vị",
    "content": "Nội dung",
    "value_number": "Số liệu",
    "value_text": "Số liệu",
    "new_due": "Hạn mới",
    "reason": "Lý do",
    "target": "Minh chứng",
}
TABLE_LABELS = {
    "assignment": "Giao nhiệm vụ",
    "unit_report": "Báo cáo của đơn vị",
    "report_figure": "Số liệu",
    "evidence": "Minh chứng",
    "extension": "Gia hạn",
    "reminder_item": "Đôn đốc",
}
_VALUE_LABELS = {"state": labels.STATE, "role": labels.ROLE, "channel": labels.CHANNEL}


def _history_value(field_name: str, value: str | None) -> str:
    if value is None or value == "":
        return "(trống)"
    table = _VALUE_LABELS.get(field_name)
    if table and value in table:
        return table[value]
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return labels.fmt_date(date.fromisoformat(value))
        except ValueError:
            return value
    return shorten(value, 120)


def history_text(entry: ChangeEntry) -> str:
    what = TABLE_LABELS.get(entry.table, entry.table)
    if entry.action == "insert":
        return f"Thêm: {what}"
    if entry.action == "delete":
        return f"Xóa: {what}" + (f" ({entry.old})" if entry.old else "")
    label = FIELD_LABELS.get(entry.field, entry.field)
    prefix = "" if entry.table == "assignment" else f"{what} — "
    return f"{prefix}{label}: {_history_value(entry.field, entry.old)} → {_history_value(entry.field, entry.new)}"


def local_time(value: datetime) -> str:
    """A stored UTC instant as Vietnam wall-clock time (UTC+7, no daylight saving)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    from datetime import timedelta

    local = value.astimezone(timezone(timedelta(hours=7)))
    return local.strftime("%d/%m/%Y %H:%M")


class HistoryModel(_SortedTableModel):
    """Change log rows: when and who (two lines), and what changed (wrapped in the narrow form)."""

    COLUMNS = ("Thời gian", "Thay đổi")
    DEFAULT_SORT = None  # newest first, as read

    def key_of(self, row: ChangeEntry):
        return (row.table, row.record_id, row.field, row.at)

    def _who(self, row: ChangeEntry) -> str:
        return row.user + (f" ({row.context})" if row.context and row.context != "ui" else "")

    def _cell(self, row: ChangeEntry, column: int):
        if column == 0:
            return f"{local_time(row.at)}\n{self._who(row)}"
        if column == 1:
            return history_text(row)
        return None

    def _other(self, row: ChangeEntry, column: int, role: int):
        if role == _TOOLTIP:
            return f"{local_time(row.at)} — {self._who(row)}\n{history_text(row)}"
        if role == _FOREGROUND and column == 0:
            return QBrush(QColor("#606060"))
        return None

    def _sort_value(self, row: ChangeEntry, column: int):
        if column == 0:
            return row.at
        return sort_key(self._cell(row, column) or "")
