"""Where to start (issue 14): the window opens on this year's deadlines, not on 2022's 700-day-late
backlog, with one-click filters and their counts: Quá hạn, Sắp đến hạn, Chờ duyệt, Tất cả."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.tracking import board
from desktop.tracking.status import Status

from .conftest import wait_idle

CHIPS = {board.FILTER_OVERDUE: "Quá hạn", board.FILTER_DUE_SOON: "Sắp đến hạn", board.FILTER_WAITING: "Chờ duyệt",
         board.FILTER_ALL: "Tất cả"}


def _count(button) -> int:
    text = button.text()
    assert text.endswith(")"), text
    return int(text.rsplit("(", 1)[1].rstrip(")").replace(".", ""))


def test_first_run_opens_on_this_years_deadlines(qtbot, make_window, demo_db):
    window = make_window(demo_db, start_view=True)
    assert window.period_filter.currentData() == "year"
    lines = window.task_model.rows()
    assert lines
    assert all(line.deadline is None or line.deadline.year == window.today.year for line in lines)
    top = window.task_model.row_at(0)
    assert top.days_late is None or top.days_late < 365
    # The choice the officer leaves is where the next start begins.
    window.period_filter.setCurrentIndex(window.period_filter.findData("quarter"))
    window.close()
    again = make_window(demo_db, start_view=True)
    assert again.period_filter.currentData() == "quarter"


def test_chips_show_their_counts_and_filter_in_one_click(qtbot, window):
    buttons = window.quick_filter_buttons
    assert [buttons[c].text().split(" (")[0] for c in board.QUICK_FILTERS] == list(CHIPS.values())
    assert buttons[board.FILTER_ALL].isChecked()
    counts = {code: _count(buttons[code]) for code in board.QUICK_FILTERS}
    assert counts[board.FILTER_ALL] == window.task_model.rowCount()
    assert counts[board.FILTER_OVERDUE] > 0 and counts[board.FILTER_WAITING] > 0
    for code in (board.FILTER_OVERDUE, board.FILTER_DUE_SOON, board.FILTER_WAITING, board.FILTER_ALL):
        qtbot.mouseClick(buttons[code], Qt.MouseButton.LeftButton)
        wait_idle(qtbot, window)
        assert window.status_filter.currentData() == code
        assert buttons[code].isChecked() and sum(b.isChecked() for b in buttons.values()) == 1
        assert window.task_model.rowCount() == counts[code], code
        # the counts stay those of the whole scope while a chip filters
        assert {c: _count(buttons[c]) for c in board.QUICK_FILTERS} == counts
    qtbot.mouseClick(buttons[board.FILTER_OVERDUE], Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert all(line.counts.get(Status.OVERDUE.value) for line in window.task_model.rows())
    # Another status in the full list: no chip is lit.
    window.status_filter.setCurrentIndex(window.status_filter.findData(board.FILTER_DONE))
    wait_idle(qtbot, window)
    assert not any(b.isChecked() for b in buttons.values())


def test_chip_counts_follow_the_unit(qtbot, window, demo_db):
    from db.queries import find_unit

    total = _count(window.quick_filter_buttons[board.FILTER_ALL])
    with demo_db.session() as s:
        ward = find_unit(s, "P-DK").id
    window.unit_tree.setCurrentIndex(window.tree_model.index_of(ward))
    wait_idle(qtbot, window)
    shown = _count(window.quick_filter_buttons[board.FILTER_ALL])
    assert shown == window.task_model.rowCount() < total
