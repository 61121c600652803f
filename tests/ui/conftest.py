"""Fixtures for the main window: no modal box ever opens, UI settings go to tmp_path, and the
window is built on a private copy of the demo database with the demo's fixed date."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QSettings

from desktop.demo import DEMO_TODAY
from desktop.ui import common


@dataclass
class Messages:
    """What the window said through desktop.ui.common, and what the "user" answers."""

    answer: bool = True
    save_choice: common.SaveChoice = common.SaveChoice.CANCEL
    text_answer: str | None = "Đề nghị bổ sung số liệu"
    asked: list[str] = field(default_factory=list)
    shown: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.shown if kind is None or k == kind]


@pytest.fixture
def messages(monkeypatch) -> Messages:
    record = Messages()

    def ask(parent, text, title=None, default_yes=False):
        record.asked.append(text)
        return record.answer

    def ask_save(parent, text, title=None):
        record.asked.append(text)
        return record.save_choice

    def ask_text(parent, label, title=None, text=""):
        record.asked.append(label)
        return record.text_answer

    def shower(kind):
        def show(parent, text, title=None, details=None):
            record.shown.append((kind, text))
        return show

    monkeypatch.setattr(common, "ask", ask)
    monkeypatch.setattr(common, "ask_save", ask_save)
    monkeypatch.setattr(common, "ask_text", ask_text)
    monkeypatch.setattr(common, "choose_open_files", lambda *a, **k: [])
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(common, kind, shower(kind))
    return record


@pytest.fixture(autouse=True)
def _ui_settings_in_tmp(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield


def wait_idle(qtbot, window) -> None:
    """Until every background read has come back (no timing assumption)."""
    qtbot.waitUntil(window.is_idle, timeout=30000)


@pytest.fixture
def make_window(qtbot, messages):
    """Build main windows; they are closed (unsaved edits discarded) before the patches go."""
    from desktop.ui.main_window import MainWindow

    windows = []

    def make(db, today=DEMO_TODAY):
        w = MainWindow(db, today)
        qtbot.addWidget(w)
        w.resize(1440, 860)
        w.show()
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
