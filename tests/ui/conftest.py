"""Fixtures for the main window: no modal box ever opens, UI settings go to tmp_path, and the
window is built on a private copy of the demo database with the demo's fixed date."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from qt_messages import Messages, install_messages, settings_in
from screen_fit import open_dialogs, too_big

from desktop.services.demo import DEMO_TODAY
from desktop.ui import common


@pytest.fixture
def messages(monkeypatch) -> Messages:
    return install_messages(monkeypatch, common.SaveChoice.CANCEL)


@pytest.fixture(autouse=True)
def _ui_settings_in_tmp(tmp_path):
    settings_in(tmp_path / "qsettings")
    yield


@pytest.fixture(autouse=True)
def _dialogs_fit_the_screen(qtbot):
    """Every dialog a test leaves open (most tests keep theirs until qtbot closes them) must fit a
    1366×768 screen with its taskbar; checked before qtbot closes them."""
    yield
    assert not too_big(open_dialogs())


def wait_idle(qtbot, window) -> None:
    """Until every background read has come back (no timing assumption)."""
    qtbot.waitUntil(window.is_idle, timeout=30000)


@pytest.fixture
def make_window(qtbot, messages):
    """Build main windows; they are closed (unsaved edits discarded) before the patches go."""
    from desktop.ui.main_window import MainWindow

    windows = []

    def make(db, today=DEMO_TODAY, start_view=False, maximised=False):
        if not start_view:
            # Most tests look at every task; the first-run view (this year's deadlines) is tested
            # on its own (test_quick_filters.py).
            settings = common.ui_settings()
            if settings.value("main/periodFilter") is None:
                settings.setValue("main/periodFilter", "")
        w = MainWindow(db, today)
        qtbot.addWidget(w)
        if not maximised:
            # A normal window filling the 1366×768 test screen (tests/conftest.py): the offscreen
            # platform maximises a shown window only a little later, and saved pane sizes would
            # then depend on timing. The maximised first run is tested in test_screen_fit.py.
            if w.windowState() & Qt.WindowState.WindowMaximized or w._opens_maximised:
                w.setWindowState(Qt.WindowState.WindowNoState)
                common.fit_to_screen(w, 1366, 768)
        w.show()
        if w.isMaximized() and QGuiApplication.platformName() == "offscreen":
            area = w.screen().availableGeometry()
            qtbot.waitUntil(lambda: w.frameGeometry().contains(area), timeout=5000)
        wait_idle(qtbot, w)
        windows.append(w)
        return w

    yield make
    messages.save_choice = common.SaveChoice.DISCARD
    for w in windows:
        if w.isVisible():
            w.close()
        w.runner.shutdown()


@pytest.fixture
def window(make_window, demo_db):
    return make_window(demo_db)
