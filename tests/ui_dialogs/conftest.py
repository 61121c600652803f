"""Fixtures for the editing dialogs: no modal box ever opens, UI settings go to tmp_path."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QSettings

from desktop.ui import common


@dataclass
class Messages:
    """What the dialogs said through desktop.ui.common, and what the "user" answers."""

    answer: bool = True
    save_choice: common.SaveChoice = common.SaveChoice.DISCARD
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

    def shower(kind):
        def show(parent, text, title=None, details=None):
            record.shown.append((kind, text))
        return show

    monkeypatch.setattr(common, "ask", ask)
    monkeypatch.setattr(common, "ask_save", ask_save)
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(common, kind, shower(kind))
    return record


@pytest.fixture(autouse=True)
def _ui_settings_in_tmp(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield
