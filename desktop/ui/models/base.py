"""What every item model of the main window shares: the roles as plain ints, the Vietnamese
collation, the status colours, and the sorted table model the lists are built on."""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.tracking import labels

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
