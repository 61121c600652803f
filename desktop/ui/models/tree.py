"""The unit tree: groups and units with their overdue counts."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.tracking import labels
from desktop.tracking.board import UnitNode
from desktop.tracking.status import Status
from desktop.ui.models.base import (
    _ALIGN_RIGHT,
    _ALIGNMENT,
    _BOLD,
    _DISPLAY,
    _FONT,
    _FOREGROUND,
    _HORIZONTAL,
    _NO_FLAGS,
    _SELECTABLE,
    _TOOLTIP,
    ID_ROLE,
    sort_key,
)

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
                return "Số lượt nhiệm vụ quá hạn chưa hoàn thành của đơn vị, mọi thời hạn (không theo bộ lọc «Hạn»)"
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
