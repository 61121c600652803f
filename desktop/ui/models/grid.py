"""The task × unit grid."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush

from desktop.tracking import labels
from desktop.tracking.board import GridData, shorten
from desktop.tracking.stats import Tracked
from desktop.ui.models.base import (
    _ALIGN_CENTER,
    _ALIGNMENT,
    _BACKGROUND,
    _DISPLAY,
    _ENABLED,
    _FOREGROUND,
    _HORIZONTAL,
    _NO_FLAGS,
    _SELECTABLE,
    _TOOLTIP,
    ID_ROLE,
    STATUS_ROLE,
    status_brush,
    status_color,
)

# ---------------------------------------------------------------- task × unit grid


class GridModel(QAbstractTableModel):
    """Rows: tasks; columns: units; a cell is one assignment (or empty when not assigned)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._data: GridData | None = None

    def grid(self) -> GridData | None:
        return self._data

    def set_grid(self, grid: GridData | None) -> None:
        self.beginResetModel()
        self._data = grid
        self.endResetModel()

    def tracked_at(self, index: QModelIndex) -> Tracked | None:
        if self._data is None or not index.isValid():
            return None
        return self._data.cells.get((index.row(), index.column()))

    def cell_of(self, assignment_id: int) -> QModelIndex:
        if self._data is not None:
            found = self._data.cells.position_of(assignment_id)
            if found is not None:
                return self.index(*found)
        return QModelIndex()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._data is None else len(self._data.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._data is None else len(self._data.columns)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        if self.tracked_at(index) is None:
            return _ENABLED
        return _SELECTABLE

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if self._data is None:
            return None
        if orientation == _HORIZONTAL:
            if not 0 <= section < len(self._data.columns):
                return None
            col = self._data.columns[section]
            if role == _DISPLAY:
                return col.short_name
            if role == _TOOLTIP:
                return f"{col.name}\n{col.group_name}" if col.group_name else col.name
            if role == ID_ROLE:
                return col.group_name
            return None
        if not 0 <= section < len(self._data.rows):
            return None
        row = self._data.rows[section]
        period = labels.fmt_period(row.period)
        if role == _DISPLAY:
            # The period must stay readable: shorten the title, never the period.
            room = max(14, 44 - (len(period) + 3 if period else 0))
            title = shorten(f"{row.task_order}. {row.title}", room)
            return f"{title} · {period}" if period else title
        if role == _TOOLTIP:
            return f"{row.task_order}. {row.title}" + (f" ({period})" if period else "")
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        t = self.tracked_at(index)
        if t is None:
            if role == _TOOLTIP and index.isValid():
                return "Không giao cho đơn vị này"
            return None
        status = t.status.value
        if role == _DISPLAY:
            return labels.STATUS_MARK.get(status, "")
        if role == _BACKGROUND:
            return status_brush(status)
        if role == _FOREGROUND:
            return QBrush(status_color(status).darker(130))
        if role == _ALIGNMENT:
            return _ALIGN_CENTER
        if role == ID_ROLE:
            return t.row.assignment_id
        if role == STATUS_ROLE:
            return status
        if role == _TOOLTIP:
            return grid_tooltip(t)
        return None


def grid_tooltip(t: Tracked) -> str:
    r = t.row
    lines = [r.unit_name, r.task_title]
    period = labels.fmt_period(r.period)
    if period:
        lines.append(f"Kỳ báo cáo: {period}")
    if r.effective_due:
        due = f"Hạn: {labels.fmt_date(r.effective_due)}"
        if r.extended:
            due += f" (gia hạn; hạn ban đầu {labels.fmt_date(r.own_due)})"
        lines.append(due)
    else:
        lines.append("Hạn: thường xuyên")
    if r.completed_on:
        lines.append(f"Hoàn thành: {labels.fmt_date(r.completed_on)}")
    lines.append(f"Trạng thái: {labels.status_text(t.status.value, t.result.days_late, t.result.days_left)}")
    return "\n".join(lines)
