"""The main window on a 1366×768 office laptop (issue 14): it opens within the screen, remembers
its size, and no content (a long task title) widens it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from db.models import Task

from .conftest import wait_idle

LONG_TITLE = ("Tổ chức tuyên truyền sâu rộng trên hệ thống loa truyền thanh cơ sở, trang thông tin điện tử, "
              "bảng tin khu dân cư và các nền tảng mạng xã hội về kỷ niệm các ngày lễ lớn, sự kiện chính trị "
              "quan trọng của đất nước, của thành phố và của quận trong năm, gắn với việc thực hiện Chỉ thị "
              "05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")


def _within_screen(window) -> bool:
    area = QGuiApplication.primaryScreen().availableGeometry()
    return area.contains(window.frameGeometry())


def test_first_run_opens_maximised_within_the_screen(make_window, demo_db):
    window = make_window(demo_db, maximised=True)
    assert window.windowState() & Qt.WindowState.WindowMaximized  # asked; a window manager grants it
    assert _within_screen(window), (window.frameGeometry(), QGuiApplication.primaryScreen().availableGeometry())


def test_a_task_with_a_very_long_title_does_not_widen_the_window(qtbot, make_window, demo_db):
    with demo_db.session() as s:
        task = s.execute(select(Task).order_by(Task.id)).scalars().first()
        task.title = LONG_TITLE
        task_id = task.id
    window = make_window(demo_db)
    window.showNormal()
    window.resize(1300, 700)
    row = next(i for i, line in enumerate(window.task_model.rows()) if line.task_id == task_id)
    window.task_table.selectRow(row)
    wait_idle(qtbot, window)
    label = window.assignment_label
    assert LONG_TITLE in label.toolTip()
    assert label.text().endswith("…") and LONG_TITLE not in label.text()
    assert window.width() <= 1300 and _within_screen(window)
    assert window.minimumSizeHint().width() <= 1366


def test_the_size_is_remembered(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.showNormal()
    window.setGeometry(40, 30, 1200, 650)
    window.close()
    again = make_window(demo_db)
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (1200, 650)


def test_at_1366_the_task_title_is_the_widest_column_and_group_names_are_whole(qtbot, make_window, demo_db):
    """The officer reads the task's title: on the laptop it is not cut to «Báo cáo định…» while the
    document number and the lead take the room; the unit tree shows its groups' whole names."""
    from desktop.ui.models import TaskTableModel

    window = make_window(demo_db, maximised=True)
    window.showMaximized()
    qtbot.waitUntil(lambda: window.width() >= 1300, timeout=5000)
    wait_idle(qtbot, window)
    header = window.task_table.horizontalHeader()
    widths = {c: header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)}
    title = widths.pop(TaskTableModel.C_TITLE)
    assert title >= 170 and title > max(widths.values()), (title, widths)  # about 28 characters
    from PySide6.QtGui import QFont, QFontMetrics

    tree = window.unit_tree
    model = tree.model()
    root = model.index(0, 0)
    for r in range(model.rowCount(root)):
        index = model.index(r, 0, root)
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font if isinstance(font, QFont) else tree.font())  # groups are bold
        rect = tree.visualRect(index)
        name = index.data()
        assert metrics.horizontalAdvance(name) + 8 <= rect.width(), (name, rect.width())


def test_the_header_menu_shows_a_hidden_column_and_keeps_the_title(qtbot, make_window, demo_db):
    from PySide6.QtWidgets import QMenu

    from desktop.ui.models import TaskTableModel

    window = make_window(demo_db)
    wait_idle(qtbot, window)
    header = window.task_table.horizontalHeader()
    assert header.isSectionHidden(TaskTableModel.C_LEAD)
    header.customContextMenuRequested.emit(header.rect().center())
    menu = window.findChild(QMenu, "columnMenu")
    actions = {a.text(): a for a in menu.actions()}
    assert not actions["Nhiệm vụ"].isEnabled()
    actions["Chủ trì"].setChecked(True)
    assert not header.isSectionHidden(TaskTableModel.C_LEAD)
    assert header.sectionSize(TaskTableModel.C_LEAD) > 0
    menu.close()
    window.close()
    again = make_window(demo_db)
    assert not again.task_table.horizontalHeader().isSectionHidden(TaskTableModel.C_LEAD)  # remembered
