"""The grid's group band: a group wider than the window keeps its name on screen while scrolling."""

from __future__ import annotations

from PySide6.QtGui import QColor

from desktop.services.demo import DEMO_TODAY
from desktop.tracking import board
from desktop.ui.grid_view import MatrixView


def _dark_pixels_in_band(view: MatrixView) -> int:
    header = view.header
    image = header.grab().toImage()
    dark = 0
    for x in range(0, image.width(), 2):
        for y in range(2, header.GROUP_BAND - 2):
            if QColor(image.pixel(x, y)).lightness() < 90:  # text, not the band's light fill
                dark += 1
    return dark


def test_wide_group_name_stays_visible_when_scrolled(qtbot, demo_db):
    with demo_db.session() as s:
        directive_id = next(d[0] for d in board.directive_list(s) if d[1] == "45/KH-UBND")
        grid = board.grid(s, directive_id, DEMO_TODAY, 3)
    view = MatrixView()
    qtbot.addWidget(view)
    view.resize(260, 500)  # narrower than the twelve wards of the first group
    view.show()
    view.set_grid(grid)
    qtbot.waitExposed(view)
    first_group = [c for c in grid.columns if c.group_id == grid.columns[0].group_id]
    width = sum(view.header.sectionSize(i) for i in range(len(first_group)))
    assert width > view.header.viewport().width() * 1.5, "the test needs a group wider than the window"
    for column in (0, len(first_group) // 2, len(first_group) - 1):
        view.table.scrollTo(view.model.index(0, column))
        qtbot.wait(20)
        # only part of the group is on screen: its name must still be drawn there
        assert _dark_pixels_in_band(view) > 20, column
