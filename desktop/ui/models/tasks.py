"""The task table, the list of a task's assignments and the dashboard's deadline list."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFontMetrics

from desktop.tracking import board, labels
from desktop.tracking.board import TaskLine
from desktop.tracking.stats import Tracked
from desktop.ui.models.base import (
    _ALIGN_CENTER,
    _ALIGNMENT,
    _BACKGROUND,
    _BOLD,
    _FONT,
    _FOREGROUND,
    _TOOLTIP,
    STATUS_ROLE,
    _date_key,
    _SortedTableModel,
    sort_key,
    status_brush,
    status_color,
)

# ---------------------------------------------------------------- task table


def task_title(line: TaskLine) -> str:
    period = labels.fmt_period(line.period)
    return f"{line.title} ({period})" if period else line.title


class TaskTableModel(_SortedTableModel):
    # Short headers where the width goes to the task's title (a 1366-pixel screen), whole in the tooltip.
    COLUMNS = ("Số văn bản", "Nhiệm vụ", "Bắt đầu", "Hạn", "Chủ trì", "Tiến độ", "Trạng thái", "Trễ (ngày)")
    C_NUMBER, C_TITLE, C_START, C_DEADLINE, C_LEAD, C_PROGRESS, C_STATUS, C_LATE = range(8)
    DEFAULT_SORT = (3, Qt.SortOrder.AscendingOrder)
    HEADER_LINES = {0: "Số\nvăn bản", 5: "Tiến\nđộ", 7: "Trễ\n(ngày)"}
    HEADER_TIPS = {3: "Hạn sớm nhất của các đơn vị (đã tính gia hạn)", 4: "Đơn vị chủ trì",
                   5: "Số đơn vị đã hoàn thành / số đơn vị được giao (trừ tạm dừng, hủy)",
                   6: "Trạng thái cần chú ý nhất trong các đơn vị được giao",
                   7: "Số ngày quá hạn (chưa xong: tính đến hôm nay; đã xong: lâu nhất)"}

    NUMBER_PADDING = 18  # item margins and the sort arrow's room

    @classmethod
    def number_width(cls, metrics: QFontMetrics, numbers: Sequence[str], at_least: int = 0) -> int:
        """Width of the «Số văn bản» column showing every number whole ("2790/UBND-VHTT", never
        "2790/UBND-…"): two directives with the same start must be told apart; capped at 260 px."""
        widest = max((metrics.horizontalAdvance(n) for n in numbers), default=0) + cls.NUMBER_PADDING
        return max(at_least, min(widest, 260))

    def key_of(self, row: TaskLine):
        return row.key

    def _cell(self, row: TaskLine, column: int):
        if column == self.C_NUMBER:
            return row.directive_number
        if column == self.C_TITLE:
            return task_title(row)
        if column == self.C_START:
            return labels.fmt_date(row.start)
        if column == self.C_DEADLINE:
            return labels.fmt_date(row.deadline) if row.deadline else "Thường xuyên"
        if column == self.C_LEAD:
            return row.lead
        if column == self.C_PROGRESS:
            return f"{row.done}/{row.total}"
        if column == self.C_STATUS:
            text = labels.STATUS.get(row.status.value, row.status.value)
            if row.waiting:
                text += f" · {row.waiting} chờ duyệt"
            return text
        if column == self.C_LATE:
            return str(row.days_late) if row.days_late else ""
        return None

    def _other(self, row: TaskLine, column: int, role: int):
        if role == STATUS_ROLE:
            return row.status.value
        if role == _BACKGROUND and column == self.C_STATUS:
            return status_brush(row.status.value)
        if role == _FOREGROUND and column in (self.C_STATUS, self.C_LATE):
            return QBrush(status_color(row.status.value).darker(120))
        if role == _ALIGNMENT and column in (self.C_START, self.C_DEADLINE, self.C_PROGRESS,
                                                                     self.C_LATE):
            return _ALIGN_CENTER
        if role == _TOOLTIP:
            if column == self.C_TITLE:
                return task_title(row)
            if column == self.C_PROGRESS:
                parts = [f"{labels.STATUS[s]}: {n}" for s, n in row.counts.items() if n]
                return "\n".join(parts)
            if column == self.C_STATUS:
                return self._cell(row, column)
        return None

    def _sort_value(self, row: TaskLine, column: int):
        tie = (row.directive_id, row.task_order, row.period)
        if column == self.C_START:
            return (_date_key(row.start), tie)
        if column == self.C_DEADLINE:
            return (_date_key(row.deadline), tie)
        if column == self.C_PROGRESS:
            return (row.done / row.total if row.total else 0.0, row.total, tie)
        if column == self.C_STATUS:
            return (board.PRESSING.index(row.status), -(row.days_late or 0), tie)
        if column == self.C_LATE:
            return (row.days_late or 0, tie)
        return (sort_key(self._cell(row, column) or ""), tie)


# ---------------------------------------------------------------- assignments of a task


def deadline_text(tracked: Tracked) -> str:
    row = tracked.row
    if row.effective_due is None:
        return "Thường xuyên"
    text = labels.fmt_date(row.effective_due)
    return f"{text} (gia hạn)" if row.extended else text


class AssignmentTableModel(_SortedTableModel):
    COLUMNS = ("Đơn vị", "Vai trò", "Hạn", "Hoàn thành", "Trạng thái", "Xử lý")
    C_UNIT, C_ROLE, C_DEADLINE, C_DONE, C_STATUS, C_STATE = range(6)
    DEFAULT_SORT = None  # the order of the read layer: deadline, then unit order

    def key_of(self, row: Tracked):
        return row.row.assignment_id

    def _cell(self, row: Tracked, column: int):
        r = row.row
        if column == self.C_UNIT:
            return r.unit_name
        if column == self.C_ROLE:
            return labels.ROLE.get(r.role, r.role)
        if column == self.C_DEADLINE:
            return deadline_text(row)
        if column == self.C_DONE:
            return labels.fmt_date(r.completed_on)
        if column == self.C_STATUS:
            return labels.status_text(row.status.value, row.result.days_late, row.result.days_left)
        if column == self.C_STATE:
            return labels.STATE.get(r.state, r.state)
        return None

    def _other(self, row: Tracked, column: int, role: int):
        if role == STATUS_ROLE:
            return row.status.value
        if role == _BACKGROUND and column == self.C_STATUS:
            return status_brush(row.status.value)
        if role == _FONT and column == self.C_UNIT and row.row.role == "chu_tri":
            return _BOLD
        if role == _ALIGNMENT and column in (self.C_DEADLINE, self.C_DONE):
            return _ALIGN_CENTER
        if role == _TOOLTIP and column == self.C_DEADLINE and row.row.extended:
            return f"Hạn ban đầu: {labels.fmt_date(row.row.own_due)}"
        return None

    def _sort_value(self, row: Tracked, column: int):
        r = row.row
        if column == self.C_DEADLINE:
            return (_date_key(r.effective_due), r.unit_id)
        if column == self.C_DONE:
            return (_date_key(r.completed_on), r.unit_id)
        if column == self.C_STATUS:
            return (row.status.value, -(row.days_late or 0))
        return (sort_key(self._cell(row, column) or ""), r.unit_id)


class DeadlineListModel(_SortedTableModel):
    """Assignments listed on the dashboard (next days' deadlines, overdue)."""

    COLUMNS = ("Hạn", "Đơn vị", "Nhiệm vụ", "Trạng thái")
    C_DEADLINE, C_UNIT, C_TASK, C_STATUS = range(4)

    def key_of(self, row: Tracked):
        return row.row.assignment_id

    def _cell(self, row: Tracked, column: int):
        r = row.row
        if column == self.C_DEADLINE:
            return labels.fmt_date(r.effective_due)
        if column == self.C_UNIT:
            return r.unit_short_name or r.unit_name
        if column == self.C_TASK:
            period = labels.fmt_period(r.period)
            return f"{r.task_title} ({period})" if period else r.task_title
        if column == self.C_STATUS:
            return labels.status_text(row.status.value, row.result.days_late, row.result.days_left)
        return None

    def _other(self, row: Tracked, column: int, role: int):
        if role == STATUS_ROLE:
            return row.status.value
        if role == _BACKGROUND and column == self.C_STATUS:
            return status_brush(row.status.value)
        if role == _TOOLTIP and column == self.C_TASK:
            return f"{row.row.directive_number}: {self._cell(row, column)}"
        return None

    def _sort_value(self, row: Tracked, column: int):
        if column == self.C_DEADLINE:
            return (_date_key(row.row.effective_due), row.row.assignment_id)
        if column == self.C_STATUS:
            return (-(row.days_late or 0), row.result.days_left or 0)
        return (sort_key(self._cell(row, column) or ""), row.row.assignment_id)
