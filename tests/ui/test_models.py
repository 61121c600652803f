"""Every item model through pytest-qt's model tester, and the Vietnamese collation."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt

from desktop.services.demo import DEMO_TODAY
from desktop.tracking import board
from desktop.tracking.stats import track
from desktop.ui.models import (
    ID_ROLE,
    STATUS_ROLE,
    AssignmentTableModel,
    DeadlineListModel,
    GridModel,
    HistoryModel,
    SearchResultsModel,
    TaskTableModel,
    UnitTreeModel,
    history_text,
    local_time,
)


def _check_sorted(qtmodeltester, model, columns):
    for column in range(columns):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            qtmodeltester.check(model)


def test_unit_tree_model(qtmodeltester, demo_db):
    with demo_db.session() as s:
        nodes = board.unit_tree(s, DEMO_TODAY)
    model = UnitTreeModel()
    model.set_nodes(nodes)
    qtmodeltester.check(model)
    root = model.index(0, 0)
    assert model.data(root) == "Tất cả đơn vị"
    assert model.data(model.index(0, 1)) == str(sum(n.overdue for n in nodes))
    groups = [model.data(model.index(r, 0, root)) for r in range(model.rowCount(root))]
    assert groups[0] == "UBND các phường"  # groups in their sort order
    dong_khe = next(n for n in nodes if n.code == "P-DK")
    index = model.index_of(dong_khe.id)
    assert model.unit_id(index) == dong_khe.id
    assert model.data(index) == "P. Đông Khê"
    assert "UBND phường Đông Khê" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    model.set_show_archived(True)
    qtmodeltester.check(model)


def test_tree_sorts_with_vietnamese_collation(qtmodeltester):
    names = ["Phường 10", "Đằng Giang", "Dư Hàng", "Phường 2", "An Biên", "Ân Thi", "Zeta"]
    nodes = [board.UnitNode(i + 1, None, f"C{i}", n, "", False, True, 0, 0, 0, "") for i, n in enumerate(names)]
    model = UnitTreeModel()
    model.set_nodes(nodes)
    qtmodeltester.check(model)
    root = model.index(0, 0)
    shown = [model.data(model.index(r, 0, root)) for r in range(model.rowCount(root))]
    assert shown == ["An Biên", "Ân Thi", "Dư Hàng", "Đằng Giang", "Phường 2", "Phường 10", "Zeta"]


def test_task_table_model(qtmodeltester, demo_db):
    with demo_db.session() as s:
        lines = board.task_board(s, board.Scope(), DEMO_TODAY, 3)
    model = TaskTableModel()
    model.set_rows(lines)
    qtmodeltester.check(model)
    deadlines = [model.row_at(r).deadline for r in range(model.rowCount())]
    assert deadlines == sorted(deadlines, key=lambda d: (d is None, d))
    first = model.index(0, TaskTableModel.C_STATUS)
    assert model.data(first, STATUS_ROLE) == model.row_at(0).status.value
    progress = model.data(model.index(0, TaskTableModel.C_PROGRESS))
    assert progress == f"{model.row_at(0).done}/{model.row_at(0).total}"
    _check_sorted(qtmodeltester, model, model.columnCount())
    model.sort(TaskTableModel.C_NUMBER, Qt.SortOrder.AscendingOrder)
    numbers = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    # "128/VHTT" < "2790/..." < "45/..." with numbers compared as numbers: 45 < 128 < 2790
    assert numbers.index("45/KH-UBND") < numbers.index("128/VHTT") < numbers.index("2790/UBND-VHTT")


def test_assignment_and_deadline_models(qtmodeltester, demo_db):
    with demo_db.session() as s:
        line = board.task_board(s, board.Scope(), DEMO_TODAY, 3)[1]
        tracked = board.assignment_lines(s, line.task_id, line.period, board.Scope(), DEMO_TODAY, 3)
        dash = board.dashboard(s, board.Scope(), DEMO_TODAY, 3)
    model = AssignmentTableModel()
    model.set_rows(tracked)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0), ID_ROLE) == tracked[0].row.assignment_id
    _check_sorted(qtmodeltester, model, model.columnCount())
    for rows in (dash.upcoming, dash.overdue):
        m = DeadlineListModel()
        m.set_rows(rows)
        qtmodeltester.check(m)
        _check_sorted(qtmodeltester, m, m.columnCount())


def test_grid_model(qtmodeltester, demo_db):
    with demo_db.session() as s:
        directive_id = board.directive_list(s)[0][0]
        grid = board.grid(s, directive_id, DEMO_TODAY, 3)
    model = GridModel()
    qtmodeltester.check(model)
    model.set_grid(grid)
    qtmodeltester.check(model)
    (r, c), t = next(iter(grid.cells.items()))
    index = model.index(r, c)
    assert model.data(index, ID_ROLE) == t.row.assignment_id
    assert t.row.unit_name in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.cell_of(t.row.assignment_id) == index


def test_history_and_search_models(qtmodeltester, demo_db):
    with demo_db.session() as s:
        row = board.fetch_rows(s)[0]
        entries = board.history(s, row.assignment_id)
        results = board.search(s, "ubnd", board.ReportIndex())
    model = HistoryModel()
    model.set_rows(entries)
    qtmodeltester.check(model)
    _check_sorted(qtmodeltester, model, model.columnCount())
    search = SearchResultsModel()
    search.set_results(results)
    qtmodeltester.check(search)
    assert search.data(search.index(0, 0)).startswith("Đơn vị: ")


def test_history_texts_are_vietnamese():
    entry = board.ChangeEntry(datetime(2024, 10, 8, 2, 30, tzinfo=timezone.utc), "canbo", "assignment", 1, "update",
                              "state", "chua_thuc_hien", "hoan_thanh", "ui")
    assert history_text(entry) == "Trạng thái: Chưa thực hiện → Hoàn thành"
    assert local_time(entry.at) == "08/10/2024 09:30"
    entry = board.ChangeEntry(entry.at, "canbo", "assignment", 1, "update", "completed_on", None, "2024-10-05", "")
    assert history_text(entry) == "Ngày hoàn thành: (trống) → 05/10/2024"
    entry = board.ChangeEntry(entry.at, "canbo", "unit_report", 4, "insert", "", None, None, "")
    assert history_text(entry) == "Thêm: Báo cáo của đơn vị"


def test_models_keep_selection_rows_when_sorting(demo_db):
    with demo_db.session() as s:
        tracked = track(board.fetch_rows(s), DEMO_TODAY, 3)
    model = AssignmentTableModel()
    model.set_rows(tracked[:30])
    from PySide6.QtCore import QPersistentModelIndex

    persistent = QPersistentModelIndex(model.index(5, 0))
    wanted = model.row_at(5).row.assignment_id
    model.sort(AssignmentTableModel.C_UNIT, Qt.SortOrder.DescendingOrder)
    assert model.row_at(persistent.row()).row.assignment_id == wanted


def test_singletons_shielded_where_pyside_loses_references(qapp):
    """PySide6 6.12 on Python < 3.12 drops a reference to None per void call: the package shields
    None/True/False there (see desktop.ui.shield_singletons); elsewhere it leaves them alone."""
    import sys

    import PySide6
    from PySide6.QtWidgets import QLabel

    import desktop.ui

    needed = sys.version_info < (3, 12) and PySide6.__version__.startswith("6.12.")
    assert desktop.ui.SINGLETONS_SHIELDED == needed
    if needed:
        assert sys.getrefcount(None) > 1 << 39
    label = QLabel()
    for _ in range(20000):  # far more than None's own references on an unshielded 3.11
        label.setText("x")
    assert label.text() == "x"
