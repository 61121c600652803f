"""Item models of the main window. They hold plain rows from ``desktop.tracking.board`` (never
ORM objects), sort in the model itself with a Vietnamese collation (Đ after D, "Phường 2" before
"Phường 10") and answer ``data()`` from precomputed values.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Sequence

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QCollator, QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics

from desktop import labels
from desktop.tracking import board
from desktop.tracking.board import ChangeEntry, GridData, SearchHit, SearchResults, TaskLine, UnitNode, shorten
from desktop.tracking.stats import Tracked
from desktop.tracking.status import Status

# Plain ints: looking up ``Qt.ItemDataRole.X`` costs ~20 µs in PySide6 and data() runs thousands of
# times per repaint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_USER = int(Qt.ItemDataRole.UserRole)
_HORIZONTAL = Qt.Orientation.Horizontal
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ENABLED = Qt.ItemFlag.ItemIsEnabled
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_DESCENDING = Qt.SortOrder.DescendingOrder

ID_ROLE = _USER + 1  # the row's key (unit id, task key, assignment id ...)
STATUS_ROLE = _USER + 2  # the row's Status value

_collator: QCollator | None = None


def collator() -> QCollator:
    """Vietnamese collation, numbers compared as numbers, case ignored."""
    global _collator
    if _collator is None:
        _collator = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        _collator.setNumericMode(True)
        _collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return _collator


def sort_key(text: str | None):
    return collator().sortKey(text or "")


def status_brush(status: str) -> QBrush:
    return QBrush(QColor(labels.STATUS_FILL.get(status, "#FFFFFF")))


def status_color(status: str) -> QColor:
    return QColor(labels.STATUS_COLOR.get(status, "#000000"))


_BOLD = QFont()
_BOLD.setBold(True)

_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class _SortedTableModel(QAbstractTableModel):
    """Base of the flat tables: a list of rows, a list of columns, sorting in the model.

    Subclasses define ``COLUMNS`` (header texts) and ``_cell(row, column)`` returning display text,
    and ``_sort_value(row, column)`` returning something comparable (collation keys for text).
    """

    COLUMNS: tuple[str, ...] = ()
    DEFAULT_SORT: tuple[int, Qt.SortOrder] | None = None

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list = []
        self._texts: dict[int, tuple] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = self.DEFAULT_SORT

    # -- data access
    def rows(self) -> list:
        return list(self._rows)

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def key_of(self, row_obj) -> Any:
        raise NotImplementedError

    def row_of_key(self, key) -> int:
        for i, r in enumerate(self._rows):
            if self.key_of(r) == key:
                return i
        return -1

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts: dict[int, tuple] = {}
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def _texts_of(self, row) -> tuple:
        """Display texts of a row, made once (rows are immutable)."""
        key = id(row)
        texts = self._texts.get(key)
        if texts is None:
            texts = tuple(self._cell(row, c) for c in range(len(self.COLUMNS)))
            self._texts[key] = texts
        return texts

    # -- Qt interface
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    HEADER_TIPS: dict[int, str] = {}
    HEADER_LINES: dict[int, str] = {}  # headers shown on two lines on screen (COLUMNS stays the name)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation == _HORIZONTAL and 0 <= section < len(self.COLUMNS):
            if role == _DISPLAY:
                return self.HEADER_LINES.get(section, self.COLUMNS[section])
            if role == _TOOLTIP:
                return self.HEADER_TIPS.get(section, self.COLUMNS[section])
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return _SELECTABLE

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == _DISPLAY:
            return self._texts_of(row)[index.column()]
        if role == ID_ROLE:
            return self.key_of(row)
        if role == _TOOLTIP:
            # Every cell shows its whole text on hover: a narrow column cuts «Đang thực hiện, trong
            # hạn» or a long unit name, and the officer must be able to read it without resizing.
            tip = self._other(row, index.column(), role)
            return tip if tip is not None else (self._texts_of(row)[index.column()] or None)
        return self._other(row, index.column(), role)

    def _cell(self, row, column: int) -> str | None:
        raise NotImplementedError

    def _other(self, row, column: int, role: int):
        return None

    def _sort_value(self, row, column: int):
        return sort_key(self._cell(row, column) or "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._apply_sort(column, order)
        # Keep persistent indexes (the current selection) on the same rows.
        new_pos = {id(r): i for i, r in enumerate(self._rows)}
        from_list, to_list = [], []
        for idx in self.persistentIndexList():
            if idx.isValid() and idx.row() < len(old):
                from_list.append(idx)
                to_list.append(self.index(new_pos[id(old[idx.row()])], idx.column()))
        self.changePersistentIndexList(from_list, to_list)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        self._sort = (column, order)
        self._rows.sort(key=lambda r: self._sort_value(r, column),
                        reverse=order == _DESCENDING)


def _date_key(value: date | None, missing_last: bool = True):
    """Sort dates with missing ones at the end."""
    return (value is None, value or date.min) if missing_last else (value is not None, value or date.min)


# ---------------------------------------------------------------- unit tree


class _TreeItem:
    __slots__ = ("node", "parent", "children", "row")

    def __init__(self, node: UnitNode | None, parent: "_TreeItem | None"):
        self.node = node
        self.parent = parent
        self.children: list[_TreeItem] = []
        self.row = 0


class UnitTreeModel(QAbstractItemModel):
    """Groups and units with their overdue counts; a first row "Tất cả đơn vị" (id None).

    Column 0: name; column 1: overdue count (red when > 0). Children sorted by their sort order,
    then by Vietnamese collation of the name.
    """

    ALL_LABEL = "Tất cả đơn vị"
    COLUMNS = ("Đơn vị", "Quá hạn")

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._root = _TreeItem(None, None)
        self._all = _TreeItem(None, self._root)
        self._root.children = [self._all]
        self._by_id: dict[int, _TreeItem] = {}
        self._total_overdue = 0
        self._show_archived = False
        self._nodes: list[UnitNode] = []

    def nodes(self) -> list[UnitNode]:
        return list(self._nodes)

    def node(self, unit_id: int) -> UnitNode | None:
        item = self._by_id.get(unit_id)
        return item.node if item else None

    def set_show_archived(self, show: bool) -> None:
        if show != self._show_archived:
            self._show_archived = show
            self.set_nodes(self._nodes)

    def set_nodes(self, nodes: Sequence[UnitNode]) -> None:
        self.beginResetModel()
        self._nodes = list(nodes)
        self._root = _TreeItem(None, None)
        self._all = _TreeItem(None, self._root)
        self._root.children = [self._all]
        visible = [n for n in nodes if n.active or self._show_archived]
        items = {n.id: _TreeItem(n, None) for n in visible}
        for n in visible:
            parent = items.get(n.parent_id) if n.parent_id is not None else None
            item = items[n.id]
            item.parent = parent or self._all
            item.parent.children.append(item)
        stack = [self._all]
        while stack:
            item = stack.pop()
            item.children.sort(key=lambda c: (not c.node.is_group, c.node.sort_order, sort_key(c.node.name)))
            for i, c in enumerate(item.children):
                c.row = i
            stack.extend(item.children)
        self._by_id = items
        self._total_overdue = sum(n.overdue for n in nodes)
        self.endResetModel()

    def index_of(self, unit_id: int | None) -> QModelIndex:
        item = self._all if unit_id is None else self._by_id.get(unit_id)
        if item is None:
            return QModelIndex()
        return self.createIndex(item.row, 0, item)

    def unit_id(self, index: QModelIndex) -> int | None:
        if not index.isValid():
            return None
        item: _TreeItem = index.internalPointer()
        return item.node.id if item.node else None

    # -- Qt interface
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        parent_item = parent.internalPointer() if parent.isValid() else self._root
        return self.createIndex(row, column, parent_item.children[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        item: _TreeItem = index.internalPointer()
        parent = item.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid():
            if parent.column() != 0:
                return 0
            return len(parent.internalPointer().children)
        return len(self._root.children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation == _HORIZONTAL and 0 <= section < len(self.COLUMNS):
            if role == _DISPLAY:
                # «Quá hạn» on two lines: the narrow number column leaves the groups' names whole
                return "Quá\nhạn" if section == 1 else self.COLUMNS[section]
            if role == _TOOLTIP and section == 1:
                return "Số lượt nhiệm vụ quá hạn của đơn vị"
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return _SELECTABLE

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid():
            return None
        item: _TreeItem = index.internalPointer()
        node = item.node
        column = index.column()
        overdue = self._total_overdue if node is None else node.overdue_total
        if role == _DISPLAY:
            if column == 0:
                if node is None:
                    return self.ALL_LABEL
                # Units by their short name ("P. Đông Khê"), groups by their name; full name in the tooltip.
                name = node.name if node.is_group else (node.short_name or node.name)
                return name if node.active else f"{name} (đã lưu trữ)"
            return labels.fmt_int(overdue) if overdue else ""
        if role == ID_ROLE:
            return None if node is None else node.id
        if role == _FOREGROUND:
            if column == 1 and overdue:
                return QBrush(QColor(labels.STATUS_COLOR[Status.OVERDUE.value]))
            if node is not None and not node.active:
                return QBrush(QColor("#808080"))
            return None
        if role == _FONT:
            if node is None or node.is_group or (column == 1 and overdue):
                return _BOLD
            return None
        if role == _ALIGNMENT and column == 1:
            return _ALIGN_RIGHT
        if role == _TOOLTIP:
            name = self.ALL_LABEL if node is None else node.name
            return f"{name}: {overdue} nhiệm vụ quá hạn" if overdue else f"{name}: không có nhiệm vụ quá hạn"
        return None


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


# ---------------------------------------------------------------- search results


_KIND_LABELS = {"unit": "Đơn vị", "directive": "Văn bản", "task": "Nhiệm vụ", "result": "Kết quả"}


class SearchResultsModel(_SortedTableModel):
    """Flat list of hits, in the order units, directives, tasks, results; no sorting by header."""

    COLUMNS = ("Kết quả tìm kiếm",)

    def key_of(self, row: SearchHit):
        return (row.kind, row.id, row.report_id)

    def set_results(self, results: SearchResults) -> None:
        self.set_rows(results.all())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        return  # grouped order is meaningful; not sortable

    def _cell(self, row: SearchHit, column: int):
        return f"{_KIND_LABELS.get(row.kind, row.kind)}: {row.title}"

    def _other(self, row: SearchHit, column: int, role: int):
        if role == _TOOLTIP:
            return f"{row.title}\n{row.detail}" if row.detail else row.title
        if role == _USER:
            return row
        return None
