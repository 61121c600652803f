"""What the officer was looking at survives a save, a «Hủy» and closing (issue 14): the tree keeps
its open branches and its selection, «Hủy» leaves the highlight where it was, and closing the
program asks the closing question."""

from __future__ import annotations

from db.queries import find_unit
from desktop.ui import common

from .conftest import wait_idle


def _unit_id(db, code: str) -> int:
    with db.session() as s:
        return find_unit(s, code).id


def _edit_first_result(qtbot, window, text="Đã triển khai, có báo cáo kèm theo"):
    window.task_table.selectRow(0)
    window.assignment_table.selectRow(0)
    assert window.form.assignment_id is not None
    window.form.content_edit.setPlainText(text)
    assert window.form.is_dirty()
    return window.form.assignment_id


def test_a_save_keeps_the_open_branches_and_the_selected_unit(qtbot, window, demo_db, messages):
    tree, model = window.unit_tree, window.tree_model
    groups = [model.index(r, 0, model.index_of(None)) for r in range(model.rowCount(model.index_of(None)))]
    assert len(groups) >= 3 and all(tree.isExpanded(g) for g in groups)
    closed = model.unit_id(groups[1])
    tree.setExpanded(groups[1], False)
    ward = _unit_id(demo_db, "P-DK")
    tree.setCurrentIndex(model.index_of(ward))
    wait_idle(qtbot, window)
    before = window._expanded_units()
    assert closed not in before and len(before) >= 3
    aid = _edit_first_result(qtbot, window)
    task_key = window.task_model.row_at(window.task_table.currentIndex().row()).key
    assert window.form.save()
    wait_idle(qtbot, window)
    assert window._expanded_units() == before
    assert model.unit_id(tree.currentIndex()) == ward
    assert tree.selectionModel().isSelected(model.index_of(ward))
    # the task and the unit's row stay highlighted too
    assert window.task_model.row_at(window.task_table.currentIndex().row()).key == task_key
    assert window.assignment_model.row_at(window.assignment_table.currentIndex().row()).row.assignment_id == aid
    assert window.form.assignment_id == aid


def test_cancel_keeps_the_task_row_highlighted(qtbot, window, messages):
    first = _edit_first_result(qtbot, window)
    key = window.task_model.row_at(0).key
    units_before = [t.row.assignment_id for t in window.assignment_model.rows()]
    messages.save_choice = common.SaveChoice.CANCEL
    window.task_table.selectRow(1)
    qtbot.waitUntil(lambda: window.task_table.selectionModel().isRowSelected(0))
    wait_idle(qtbot, window)
    assert len(messages.asked) == 1
    assert window.task_table.currentIndex().row() == window.task_model.row_of_key(key)
    assert [i.row() for i in window.task_table.selectionModel().selectedRows()] == [0]
    assert [t.row.assignment_id for t in window.assignment_model.rows()] == units_before
    assert window.form.assignment_id == first and window.form.is_dirty()


def test_cancel_keeps_the_unit_highlighted(qtbot, window, demo_db, messages):
    ward = _unit_id(demo_db, "P-DK")
    window.unit_tree.setCurrentIndex(window.tree_model.index_of(ward))
    wait_idle(qtbot, window)
    tasks = [line.key for line in window.task_model.rows()]
    first = _edit_first_result(qtbot, window)
    messages.save_choice = common.SaveChoice.CANCEL
    window.unit_tree.setCurrentIndex(window.tree_model.index_of(_unit_id(demo_db, "P-MC")))
    qtbot.waitUntil(lambda: window.unit_tree.selectionModel().isSelected(window.tree_model.index_of(ward)))
    wait_idle(qtbot, window)
    assert len(messages.asked) == 1
    assert window.tree_model.unit_id(window.unit_tree.currentIndex()) == ward
    assert [line.key for line in window.task_model.rows()] == tasks
    assert window.form.assignment_id == first


def test_closing_asks_the_closing_question(qtbot, window, messages):
    _edit_first_result(qtbot, window)
    messages.save_choice = common.SaveChoice.CANCEL
    assert not window.close()
    assert len(messages.asked) == 1
    assert "thoát chương trình" in messages.asked[0] and "chuyển" not in messages.asked[0]
    messages.save_choice = common.SaveChoice.DISCARD
    assert window.close()


def test_closing_with_nothing_unsaved_asks_nothing(qtbot, window, messages):
    window.task_table.selectRow(0)
    assert window.close() and messages.asked == []
