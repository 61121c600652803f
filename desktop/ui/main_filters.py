"""The main window's filter bar: status, deadline period (with its own dates), directive, and
the quick filter chips under it (Quá hạn, Sắp đến hạn, Chờ duyệt, Tất cả, with their counts).
Together with the unit chosen in the tree they make the ``board.Scope`` every list reads.

``FiltersMixin`` is mixed into ``desktop.ui.main_window.MainWindow``.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from desktop.services import tracking
from desktop.tracking import board, labels
from desktop.ui.main_layout import TAB_DASHBOARD, TAB_GRID
from desktop.ui.models import TaskTableModel
from desktop.ui.widgets import OptionalDateEdit

STATUS_FILTER_LABELS = {
    board.FILTER_ALL: "Tất cả trạng thái",
    board.FILTER_OPEN: "Chưa hoàn thành",
    board.FILTER_OVERDUE: "Quá hạn",
    board.FILTER_DUE_SOON: "Sắp đến hạn",
    board.FILTER_IN_PROGRESS: "Đang thực hiện, trong hạn",
    board.FILTER_WAITING: "Chờ duyệt",
    board.FILTER_DONE: "Đã hoàn thành",
    board.FILTER_ON_TIME: "Hoàn thành đúng hạn",
    board.FILTER_LATE: "Hoàn thành quá hạn",
    board.FILTER_NO_DEADLINE: "Không có hạn (thường xuyên)",
    board.FILTER_EXCLUDED: "Tạm dừng, hủy",
}
PERIOD_LABELS = {"": "Mọi thời hạn", "month": "Tháng này", "quarter": "Quý này", "year": "Năm nay",
                 "custom": "Tùy chọn…"}


class FiltersMixin:
    """The filter bar, the quick filter chips and the scope they make."""

    QUICK_FILTER_TEXT = {board.FILTER_OVERDUE: "Quá hạn", board.FILTER_DUE_SOON: "Sắp đến hạn",
                         board.FILTER_WAITING: "Chờ duyệt", board.FILTER_ALL: "Tất cả"}
    QUICK_FILTER_NAMES = {board.FILTER_OVERDUE: "chipOverdue", board.FILTER_DUE_SOON: "chipDueSoon",
                          board.FILTER_WAITING: "chipWaiting", board.FILTER_ALL: "chipAll"}

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        for code, text in STATUS_FILTER_LABELS.items():
            self.status_filter.addItem(text, code)
        self.period_filter = QComboBox()
        self.period_filter.setObjectName("periodFilter")
        for code, text in PERIOD_LABELS.items():
            self.period_filter.addItem(text, code)
        self.period_from = OptionalDateEdit(default_date=self.today)
        self.period_from.setObjectName("periodFrom")
        self.period_to = OptionalDateEdit(default_date=self.today)
        self.period_to.setObjectName("periodTo")
        self.period_dash = QLabel("–")
        self.directive_filter = QComboBox()
        self.directive_filter.setObjectName("directiveFilter")
        self.directive_filter.setMinimumContentsLength(12)
        # Combos sized by their longest entry would set the window's minimum width beyond a laptop's.
        for combo in (self.status_filter, self.period_filter):
            combo.setMinimumContentsLength(10)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.directive_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        bar.addWidget(QLabel("Trạng thái:"))
        bar.addWidget(self.status_filter)
        bar.addWidget(QLabel("Hạn:"))
        bar.addWidget(self.period_filter)
        bar.addWidget(self.period_from)
        bar.addWidget(self.period_dash)
        bar.addWidget(self.period_to)
        bar.addWidget(QLabel("Văn bản:"))
        bar.addWidget(self.directive_filter, 1)
        for w in (self.period_from, self.period_dash, self.period_to):
            w.hide()
        return bar

    def _build_quick_filters(self) -> QWidget:
        """One click to what needs doing, with how many tasks each shows (in the unit, directive
        and period chosen): Quá hạn, Sắp đến hạn, Chờ duyệt, Tất cả. They set the status filter."""
        row = QWidget()
        row.setObjectName("quickFilters")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(6)
        self.quick_filter_buttons: dict[str, QToolButton] = {}
        self.quick_filter_counts: dict[str, int] = {}
        for code in board.QUICK_FILTERS:
            button = QToolButton()
            button.setObjectName(self.QUICK_FILTER_NAMES[code])
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setText(self.QUICK_FILTER_TEXT[code])
            button.clicked.connect(lambda _checked=False, c=code: self.set_status_filter(c))
            layout.addWidget(button)
            self.quick_filter_buttons[code] = button
        layout.addStretch(1)
        return row

    def set_status_filter(self, code: str) -> None:
        index = self.status_filter.findData(code)
        if index >= 0 and index != self.status_filter.currentIndex():
            self.status_filter.setCurrentIndex(index)
        self._sync_quick_filters()

    def _sync_quick_filters(self) -> None:
        current = self.status_filter.currentData() or board.FILTER_ALL
        for code, button in self.quick_filter_buttons.items():
            button.setChecked(code == current)
            count = self.quick_filter_counts.get(code)
            text = self.QUICK_FILTER_TEXT[code]
            button.setText(text if count is None else f"{text} ({labels.fmt_int(count)})")

    def _load_quick_filter_counts(self, lines: list[board.TaskLine]) -> None:
        """The chips' counts: from the lines shown when nothing is filtered by status, else from an
        unfiltered read of the same scope."""
        if not (self.status_filter.currentData() or ""):
            self._on_quick_counts(board.quick_filter_counts(lines))
            return
        scope = dataclasses.replace(self.scope(), status=board.FILTER_ALL)
        today, soon, leads = self.today, self.due_soon_days, self._leads
        self.runner.submit("quickCounts", lambda s: board.quick_filter_counts(
            board.task_board(s, scope, today, soon, leads)), self._on_quick_counts)

    def _on_quick_counts(self, counts: dict[str, int]) -> None:
        self.quick_filter_counts = counts
        self._sync_quick_filters()

    def scope(self, with_status: bool = True) -> board.Scope:
        unit_ids = None
        if self._scope_unit is not None:
            unit_ids = board.subtree_ids(self._nodes, self._scope_unit)
        due_from, due_to = self._period_range()
        return board.Scope(unit_ids=unit_ids, directive_id=self.directive_filter_value(), due_from=due_from,
                           due_to=due_to, status=self.status_filter.currentData() if with_status else "")

    def _period_range(self) -> tuple[date | None, date | None]:
        kind = self.period_filter.currentData()
        if kind == "custom":
            return self.period_from.value(), self.period_to.value()
        return board.period_bounds(kind or "", self.today)

    def _load_directives(self) -> None:
        self._directives = tracking.directive_list(self.db)
        current = self.directive_filter_value()
        self.directive_filter.blockSignals(True)
        self.directive_filter.clear()
        self.directive_filter.addItem("Tất cả văn bản", 0)  # never None: PySide6 6.12 crashes on None item data
        for did, number, title, issued in self._directives:
            text = number + (f" ngày {labels.fmt_date(issued)}" if issued else "")
            self.directive_filter.addItem(text, did)
            self.directive_filter.setItemData(self.directive_filter.count() - 1, f"{number}: {title}",
                                              Qt.ItemDataRole.ToolTipRole)
        index = self.directive_filter.findData(current or 0)
        self.directive_filter.setCurrentIndex(max(0, index))
        self.directive_filter.blockSignals(False)
        grid_current = self.matrix.current_directive() or current
        self.matrix.set_directives(self._directives, grid_current)
        self.task_table.setColumnWidth(TaskTableModel.C_NUMBER, TaskTableModel.number_width(
            self.task_table.fontMetrics(), [d[1] for d in self._directives],
            self.task_table.columnWidth(TaskTableModel.C_NUMBER)))

    def _scope_text(self) -> str:
        parts = []
        if self._scope_unit is None:
            parts.append("Tất cả đơn vị")
        else:
            node = self.tree_model.node(self._scope_unit)
            parts.append(node.name if node else "")
        if self.directive_filter_value() is not None:
            parts.append(f"văn bản {self.directive_filter.currentText()}")
        due_from, due_to = self._period_range()
        if due_from or due_to:
            parts.append(f"hạn từ {labels.fmt_date(due_from) or '…'} đến {labels.fmt_date(due_to) or '…'}")
        return " · ".join(parts) + f" — tính đến ngày {labels.fmt_date(self.today)}"

    def _on_filter_changed(self, *_args) -> None:
        self._sync_quick_filters()
        self._stale = {TAB_GRID: True, TAB_DASHBOARD: True}
        self._load_tasks()
        self._load_visible_tab()

    def _on_period_changed(self, index: int) -> None:
        custom = self.period_filter.currentData() == "custom"
        for w in (self.period_from, self.period_to, self.period_dash):
            w.setVisible(custom)
        if custom and self.period_from.is_empty() and self.period_to.is_empty():
            start, end = board.period_bounds("month", self.today)
            for w, value in ((self.period_from, start), (self.period_to, end)):
                w.blockSignals(True)
                w.set_value(value)
                w.blockSignals(False)
        self._on_filter_changed()

    def directive_filter_value(self) -> int | None:
        value = self.directive_filter.currentData()
        return int(value) if value else None

    def _on_directive_filter(self, _index: int) -> None:
        directive_id = self.directive_filter_value()
        if directive_id is not None:
            self.matrix.select_directive(directive_id)
        self._on_filter_changed()

    def set_directive_filter(self, directive_id: int | None) -> None:
        index = self.directive_filter.findData(directive_id or 0)
        if index >= 0 and index != self.directive_filter.currentIndex():
            self.directive_filter.setCurrentIndex(index)

    def _reset_filters(self, directive_id: int | None) -> None:
        """Show everything of a directive (used when jumping to a task or a result)."""
        for combo, value in ((self.status_filter, ""), (self.period_filter, "")):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(value))
            combo.blockSignals(False)
        for w in (self.period_from, self.period_to, self.period_dash):
            w.hide()
        self.directive_filter.blockSignals(True)
        self.directive_filter.setCurrentIndex(max(0, self.directive_filter.findData(directive_id or 0)))
        self.directive_filter.blockSignals(False)
        if directive_id is not None:
            self.matrix.select_directive(directive_id)
