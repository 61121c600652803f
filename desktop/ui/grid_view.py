"""The task × unit grid of one directive: rows tasks, columns units grouped as in the tree,
cells coloured by status with a short mark; clicking a cell opens that assignment's result."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.tracking import labels
from desktop.tracking.board import GridData, shorten
from desktop.tracking.status import Status
from desktop.ui.models import GridModel
from desktop.ui.widgets import elide_words

_LEGEND_ORDER = (Status.ON_TIME, Status.LATE, Status.PENDING_REVIEW, Status.IN_PROGRESS, Status.DUE_SOON, Status.OVERDUE,
                 Status.NO_DEADLINE, Status.PAUSED, Status.CANCELLED)


_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_SELECTED = QStyle.StateFlag.State_Selected


class CellDelegate(QStyledItemDelegate):
    """Keeps the status colour of a selected cell and marks the selection with a dark frame."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._frame = QPen(QColor("#0D47A1"), 3)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        model = index.model()
        brush = model.data(index, _BACKGROUND)
        painter.save()
        if isinstance(brush, QBrush):
            painter.fillRect(option.rect, brush)
        text = model.data(index, _DISPLAY)
        if text:
            color = model.data(index, _FOREGROUND)
            painter.setPen(color.color() if isinstance(color, QBrush) else option.palette.text().color())
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(option.rect, _CENTER, text)
        if option.state & _SELECTED:
            painter.setPen(self._frame)
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
        painter.restore()


class GroupedHeader(QHeaderView):
    """Horizontal header with two bands: the group name spanning its units, and each unit's
    short name written bottom-to-top so that 40 units fit on a screen."""

    GROUP_BAND = 22

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setDefaultSectionSize(30)
        self.setMinimumSectionSize(24)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._unit_band = 150

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.GROUP_BAND + self._unit_band)

    def set_unit_band(self, height: int) -> None:
        self._unit_band = max(60, min(height, 220))
        self.updateGeometry()

    def _group_of(self, section: int) -> str:
        model = self.model()
        if model is None:
            return ""
        from desktop.ui.models import ID_ROLE

        return model.headerData(section, Qt.Orientation.Horizontal, ID_ROLE) or ""

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:
        if not rect.isValid():
            return
        painter.save()
        palette = self.palette()
        unit_rect = QRect(rect.left(), rect.top() + self.GROUP_BAND, rect.width(), rect.height() - self.GROUP_BAND)
        painter.fillRect(unit_rect, palette.button())
        painter.setPen(QPen(palette.mid().color()))
        painter.drawRect(unit_rect.adjusted(0, 0, -1, -1))
        text = self.model().headerData(logical_index, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or ""
        painter.setPen(palette.buttonText().color())
        painter.translate(unit_rect.left() + unit_rect.width() / 2, unit_rect.bottom() - 4)
        painter.rotate(-90)
        metrics = painter.fontMetrics()
        elided = elide_words(text, metrics, unit_rect.height() - 8)
        painter.drawText(QRect(0, -unit_rect.width() // 2, unit_rect.height() - 8, unit_rect.width()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.restore()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is None or model.columnCount() == 0:
            return
        painter = QPainter(self.viewport())
        palette = self.palette()
        band = QRect(0, 0, self.viewport().width(), self.GROUP_BAND)
        painter.fillRect(band, palette.window())
        count = model.columnCount()
        start = 0
        while start < count:
            group = self._group_of(start)
            end = start
            while end + 1 < count and self._group_of(end + 1) == group:
                end += 1
            left = self.sectionViewportPosition(start)
            right = self.sectionViewportPosition(end) + self.sectionSize(end)
            rect = QRect(left, 0, right - left, self.GROUP_BAND)
            if rect.right() >= 0 and rect.left() <= self.viewport().width():
                painter.fillRect(rect.adjusted(1, 1, -1, -1), QColor("#E3EAF3"))
                painter.setPen(QPen(palette.mid().color()))
                painter.drawRect(rect.adjusted(0, 0, -1, -1))
                painter.setPen(palette.windowText().color())
                font = painter.font()
                font.setBold(True)
                painter.setFont(font)
                # The name centred in the part of the group on screen: a group of 300 units is wider
                # than the window, and its centre may be far off to the side.
                shown = rect.intersected(band)
                elided = elide_words(group or "Khác", painter.fontMetrics(), max(0, shown.width() - 6))
                painter.drawText(shown.adjusted(3, 0, -3, 0), int(Qt.AlignmentFlag.AlignCenter), elided)
            start = end + 1
        painter.end()


class MatrixView(QWidget):
    """Grid of one directive. Emits ``assignmentActivated(id)`` when a cell is clicked and
    ``directiveChosen(id)`` when the user picks another directive."""

    assignmentActivated = Signal(int)
    directiveChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("matrixView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(QLabel("Văn bản:"))
        self.directive_combo = QComboBox()
        self.directive_combo.setObjectName("gridDirective")
        self.directive_combo.setMinimumContentsLength(30)
        self.directive_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        top.addWidget(self.directive_combo, 1)
        layout.addLayout(top)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("gridSummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.model = GridModel(self)
        self.table = QTableView()
        self.table.setObjectName("matrixTable")
        self.header = GroupedHeader(self.table)
        self.table.setHorizontalHeader(self.header)
        # Scrolling shifts the header's pixels; the group names follow the visible part: repaint it all.
        self.table.horizontalScrollBar().valueChanged.connect(lambda _value: self.header.viewport().update())
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMouseTracking(True)
        self.table.setCornerButtonEnabled(False)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(28)
        vertical.setMaximumWidth(300)
        vertical.setHighlightSections(False)  # a bold title would overflow and be cut mid-word
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.table, 1)

        legend_parts = []
        for status in _LEGEND_ORDER:
            mark = labels.STATUS_MARK[status.value]
            legend_parts.append(
                f'<span style="background:{labels.STATUS_FILL[status.value]}; '
                f'color:{labels.STATUS_COLOR[status.value]};">&nbsp;{mark}&nbsp;</span>&nbsp;'
                f'{labels.STATUS[status.value]}')
        self.legend = QLabel("&nbsp;&nbsp; ".join(legend_parts))
        self.legend.setObjectName("gridLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.empty_label = QLabel("Chọn một văn bản để xem bảng tổng hợp nhiệm vụ × đơn vị.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_label)
        self.empty_label.hide()

        self.table.clicked.connect(self._on_clicked)
        self.table.activated.connect(self._on_clicked)
        self.directive_combo.activated.connect(self._on_directive)

    def set_directives(self, directives: list[tuple[int, str, str, object]], current: int | None) -> None:
        self.directive_combo.blockSignals(True)
        self.directive_combo.clear()
        for did, number, title, _issued in directives:
            text = f"{number} — {title}" if title else number
            self.directive_combo.addItem(shorten(text, 110), did)
            self.directive_combo.setItemData(self.directive_combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        index = self.directive_combo.findData(current) if current is not None else -1
        self.directive_combo.setCurrentIndex(index if index >= 0 else (0 if directives else -1))
        self.directive_combo.blockSignals(False)

    def current_directive(self) -> int | None:
        value = self.directive_combo.currentData()
        return int(value) if value is not None else None

    def select_directive(self, directive_id: int | None) -> None:
        index = self.directive_combo.findData(directive_id)
        if index >= 0:
            self.directive_combo.blockSignals(True)
            self.directive_combo.setCurrentIndex(index)
            self.directive_combo.blockSignals(False)

    def set_grid(self, grid: GridData | None) -> None:
        self.model.set_grid(grid)
        has = grid is not None and bool(grid.rows)
        self.table.setVisible(has)
        self.empty_label.setVisible(not has)
        if grid is None:
            self.summary_label.setText("")
            return
        if not grid.rows:
            self.empty_label.setText("Văn bản này chưa giao nhiệm vụ cho đơn vị nào trong phạm vi đang chọn.")
        s = grid.summary()
        rate = labels.fmt_percent(s.on_time_rate)
        self.summary_label.setText(
            f"{len(grid.rows)} nhiệm vụ × {labels.fmt_int(len(grid.columns))} đơn vị · đúng hạn "
            f"{labels.fmt_int(s.on_time)} · quá hạn đã xong {labels.fmt_int(s.late)} · quá hạn chưa xong "
            f"{labels.fmt_int(s.overdue)} · chờ duyệt {labels.fmt_int(s.pending_review)} · tỷ lệ đúng hạn {rate}")
        metrics = self.header.fontMetrics()
        longest = max((metrics.horizontalAdvance(c.short_name) for c in grid.columns), default=60)
        self.header.set_unit_band(longest + 14)
        self.header.resizeSections(QHeaderView.ResizeMode.Fixed)

    def select_assignment(self, assignment_id: int | None) -> None:
        if assignment_id is None:
            self.table.clearSelection()
            return
        index = self.model.cell_of(assignment_id)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def _on_clicked(self, index: QModelIndex) -> None:
        t = self.model.tracked_at(index)
        if t is not None:
            self.assignmentActivated.emit(t.row.assignment_id)

    def _on_directive(self, _index: int) -> None:
        self.directiveChosen.emit(self.current_directive())
