"""No clipped text without a way to read it (issue 14): column headers are never cut, and a cell
too narrow for its text («Đang thực hiện, trong hạn», «Thường xuyên», a long unit or group name)
shows the whole text in its tooltip. Measured with the views' own font metrics."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QStyle

from .conftest import wait_idle

DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


def _cut_headers(view) -> list[str]:
    header = view.header() if hasattr(view, "header") else view.horizontalHeader()
    metrics = header.fontMetrics()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    cut = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = header.model().headerData(section, Qt.Orientation.Horizontal, DISPLAY) or ""
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin
        if header.sectionSize(section) < needed:
            cut.append(f"{text!r}: {header.sectionSize(section)} < {needed}")
    return cut


def _cut_cells_without_tooltip(view) -> list[str]:
    model, metrics, found = view.model(), view.fontMetrics(), []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = model.data(index, DISPLAY) or ""
            if metrics.horizontalAdvance(text) + 8 > view.columnWidth(column):
                tip = model.data(index, TOOLTIP) or ""
                if text not in tip:
                    found.append(f"{text!r} in column {column}")
    return found


def _tree_names_cut_without_tooltip(tree) -> list[str]:
    model, found = tree.model(), []
    width = tree.header().sectionSize(0)
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            pending.append(index)
            font = model.data(index, Qt.ItemDataRole.FontRole) or tree.font()
            from PySide6.QtGui import QFontMetrics

            text = model.data(index, DISPLAY) or ""
            indent = tree.indentation() * (1 + _depth(index))
            if QFontMetrics(font).horizontalAdvance(text) + indent + 8 > width:
                tip = model.data(index, TOOLTIP) or ""
                if text.rstrip("…") not in tip:
                    found.append(text)
    return found


def _depth(index) -> int:
    depth = 0
    while index.parent().isValid():
        index = index.parent()
        depth += 1
    return depth


def test_headers_are_never_cut(qtbot, window):
    window.task_table.selectRow(0)
    wait_idle(qtbot, window)
    assert _cut_headers(window.task_table) == []
    assert _cut_headers(window.assignment_table) == []
    assert _cut_headers(window.unit_tree) == []


def test_headers_are_not_cut_after_restoring_narrow_saved_widths(qtbot, make_window, demo_db):
    from desktop.ui.models import TaskTableModel

    first = make_window(demo_db)
    first.task_table.setColumnWidth(TaskTableModel.C_LATE, 20)
    first.task_table.setColumnWidth(TaskTableModel.C_PROGRESS, 15)
    first.close()
    again = make_window(demo_db)
    assert _cut_headers(again.task_table) == []


def test_cut_cells_show_their_whole_text_in_a_tooltip(qtbot, window):
    window.task_table.selectRow(0)
    wait_idle(qtbot, window)
    assert window.task_model.rowCount() and window.assignment_model.rowCount()
    assert _cut_cells_without_tooltip(window.task_table) == []
    assert _cut_cells_without_tooltip(window.assignment_table) == []
    # «Thường xuyên» fits its column whole.
    metrics = window.task_table.fontMetrics()
    from desktop.ui.models import TaskTableModel

    assert window.task_table.columnWidth(TaskTableModel.C_DEADLINE) >= metrics.horizontalAdvance("Thường xuyên") + 8
    status_width = window.task_table.columnWidth(TaskTableModel.C_STATUS)
    assert status_width >= metrics.horizontalAdvance("Hoàn thành đúng hạn") + 8


def test_tree_names_cut_show_their_whole_name_in_a_tooltip(qtbot, window):
    assert window.unit_tree.header().sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    assert _tree_names_cut_without_tooltip(window.unit_tree) == []
