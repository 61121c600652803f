"""Shared by the UI test packages: every message box of desktop.ui.common is replaced by a
recorder, so no modal dialog can block a headless run, and UI settings go to a temp folder."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings

from desktop.ui import common


@dataclass
class Messages:
    """What the UI said through desktop.ui.common, and what the "user" answers."""

    answer: bool = True
    save_choice: common.SaveChoice = common.SaveChoice.CANCEL
    text_answer: str | None = "Đề nghị bổ sung số liệu"
    asked: list[str] = field(default_factory=list)
    shown: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.shown if kind is None or k == kind]


def install_messages(monkeypatch, save_choice: common.SaveChoice) -> Messages:
    record = Messages(save_choice=save_choice)

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


def settings_in(folder) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
