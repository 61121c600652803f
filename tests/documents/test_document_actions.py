"""The Qt side: options dialog, export off the GUI thread with progress, a locked file renamed,
the result dialog's "Mở" and "In". No modal dialog ever opens: the module's hooks are patched."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from sqlalchemy import func, select

from db.models import Reminder
from desktop.documents import Issue
from desktop.documents.naming import reminder_file_name, report_file_name
from desktop.services.demo import DEMO_TODAY
from desktop.ui import common
from desktop.ui import document_actions as actions

from .conftest import directive_id
from .form_check import Doc


class Said:
    def __init__(self):
        self.messages: list[tuple[str, str]] = []
        self.results: list[tuple[str, Path]] = []
        self.asked: list[tuple[str, Path, date | None]] = []


@pytest.fixture
def said(monkeypatch) -> Said:
    record = Said()
    for kind in ("warn", "error", "info"):
        monkeypatch.setattr(common, kind, lambda parent, text, title=None, details=None, _k=kind:
                            record.messages.append((_k, text)))
    monkeypatch.setattr(actions, "show_result", lambda parent, text, path: record.results.append((text, path)))
    return record


def _answer(monkeypatch, said: Said, path: Path | None, issue: Issue = Issue(), respond_by: date | None = None):
    def ask(parent, kind, suggested, today, respond_by_default=None, **scope):
        said.asked.append((kind, suggested, respond_by_default))
        if path is None:
            return None
        return actions.ExportOptions(path, issue, respond_by or respond_by_default)

    monkeypatch.setattr(actions, "ask_options", ask)


def _wait(qtbot, export) -> Path | None:
    with qtbot.waitSignal(export.finished, timeout=60000) as blocker:
        pass
    return blocker.args[0]


def test_default_vietnamese_file_names():
    assert report_file_name(date(2024, 10, 8), "128/VHTT") == "Báo cáo kết quả 128-VHTT 08-10-2024.docx"
    assert reminder_file_name(date(2024, 10, 8), "2790/UBND-VHTT") == \
        "Công văn đôn đốc 2790-UBND-VHTT 08-10-2024.docx"
    assert reminder_file_name(date(2024, 10, 8)) == "Công văn đôn đốc 08-10-2024.docx"
    assert report_file_name(date(2024, 1, 2), 'a:b*c?"d') == "Báo cáo kết quả a-b-c-d 02-01-2024.docx"


def test_export_report_off_the_gui_thread_with_progress(qtbot, demo_db, tmp_path, monkeypatch, said):
    threads = []
    real = actions.build_report

    def spy(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "build_report", spy)
    target = tmp_path / "Báo cáo kết quả 128-VHTT 08-10-2024.docx"
    _answer(monkeypatch, said, target)
    export = actions.export_report(None, demo_db, directive_id(demo_db, "128/VHTT"), DEMO_TODAY)
    path = _wait(qtbot, export)
    assert path == target and target.exists()
    assert threads == [False]  # built on a pool thread
    assert export.progress_values and export.progress_values[-1] == 100
    assert export.progress_values == sorted(export.progress_values)
    kind, suggested, _ = said.asked[0]
    assert kind == "report" and suggested.name == "Báo cáo kết quả 128-VHTT 08-10-2024.docx"
    assert suggested.parent == actions.documents_dir()
    text, shown = said.results[0]
    assert shown == target and "dự thảo" in text and "158 lượt giao" in text
    assert Doc(target, "report", "Ngô Quyền").appendix[0].text == "Phụ lục I"


def test_cancelled_options_write_nothing(qtbot, demo_db, monkeypatch, said):
    _answer(monkeypatch, said, None)
    assert actions.export_report(None, demo_db, directive_id(demo_db, "128/VHTT"), DEMO_TODAY) is None
    assert said.results == []


def test_a_file_open_in_word_gets_a_message_and_a_new_name(qtbot, demo_db, tmp_path, monkeypatch, said):
    target = tmp_path / "Báo cáo.docx"
    target.write_bytes(b"open in Word")
    import os as real_os

    original_replace = real_os.replace

    def replace(src, dst):
        if Path(dst) == target:
            raise PermissionError(13, "being used by another process")
        return original_replace(src, dst)

    monkeypatch.setattr("desktop.infra.fileio.os.replace", replace)
    _answer(monkeypatch, said, target, Issue(True, "5", date(2024, 10, 9)))
    export = actions.export_report(None, demo_db, directive_id(demo_db, "128/VHTT"), DEMO_TODAY)
    path = _wait(qtbot, export)
    assert path == tmp_path / "Báo cáo (2).docx" and path.exists()
    assert target.read_bytes() == b"open in Word"
    kind, text = said.messages[0]
    assert kind == "warn" and "đang được mở" in text and "Báo cáo (2).docx" in text
    result_text, _ = said.results[0]
    assert "bản chính thức" in result_text and "tên mới" in result_text


def test_export_reminder_logs_and_reports(qtbot, demo_db, tmp_path, monkeypatch, said):
    def reminders() -> int:
        with demo_db.session() as s:
            return s.execute(select(func.count()).select_from(Reminder)).scalar_one()

    before = reminders()
    target = tmp_path / "đôn đốc.docx"
    _answer(monkeypatch, said, target, issue=Issue(final=True, number="12", issued_on=DEMO_TODAY),
            respond_by=date(2024, 10, 18))
    export = actions.export_reminder(None, demo_db, DEMO_TODAY, directive_id=directive_id(demo_db, "2790/UBND-VHTT"))
    assert _wait(qtbot, export) == target
    assert reminders() == before + 1  # the final letter, numbered and dated, is recorded
    kind, suggested, respond_default = said.asked[0]
    assert kind == "reminder" and suggested.name == "Công văn đôn đốc 2790-UBND-VHTT 08-10-2024.docx"
    assert respond_default == date(2024, 10, 15)  # 5 working days after Tuesday 08/10/2024
    assert "đã ghi nhận đôn đốc" in said.results[0][0]
    # A draft records nothing, and says so.
    _answer(monkeypatch, said, tmp_path / "dự thảo.docx")
    export = actions.export_reminder(None, demo_db, DEMO_TODAY, directive_id=directive_id(demo_db, "2790/UBND-VHTT"))
    assert _wait(qtbot, export) == tmp_path / "dự thảo.docx"
    assert reminders() == before + 1 and "dự thảo chưa được ghi nhận" in said.results[1][0]
    texts = [p.text for p in Doc(target, "letter", "Ngô Quyền").doc.paragraphs]
    assert any("trước ngày 18/10/2024" in t for t in texts)


def test_nothing_overdue_is_a_message_not_a_crash(qtbot, demo_db, tmp_path, monkeypatch, said):
    target = tmp_path / "none.docx"
    _answer(monkeypatch, said, target)
    export = actions.export_reminder(None, demo_db, DEMO_TODAY, directive_id=directive_id(demo_db, "128/VHTT"))
    assert _wait(qtbot, export) is None
    assert said.messages and said.messages[0][0] == "warn" and "không có nhiệm vụ quá hạn" in said.messages[0][1]
    assert not target.exists() and said.results == []


def test_an_unexpected_fault_is_shown_not_raised(qtbot, demo_db, tmp_path, monkeypatch, said):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "build_report", broken)
    _answer(monkeypatch, said, tmp_path / "x.docx")
    export = actions.export_report(None, demo_db, directive_id(demo_db, "128/VHTT"), DEMO_TODAY)
    assert _wait(qtbot, export) is None
    kind, text = said.messages[0]
    assert kind == "error" and "disk on fire" in text


def test_options_dialog_draft_final_and_respond_by(qtbot, monkeypatch, tmp_path):
    warned = []
    monkeypatch.setattr(common, "warn", lambda parent, text, title=None: warned.append(text))
    dialog = actions.ExportOptionsDialog(None, actions.REMINDER, tmp_path / "Công văn", DEMO_TODAY,
                                         date(2024, 10, 15))
    qtbot.addWidget(dialog)
    options = dialog.options()
    assert options.path == tmp_path / "Công văn.docx" and not options.issue.final
    assert options.respond_by == date(2024, 10, 15)
    assert not dialog.number_edit.isEnabled()
    dialog.final_radio.setChecked(True)
    assert dialog.number_edit.isEnabled()
    dialog.accept()  # final without a number: refused, the dialog stays
    assert warned and "số văn bản" in warned[-1] and dialog.result() != actions.QDialog.DialogCode.Accepted
    dialog.number_edit.setText("7")
    dialog.accept()
    assert dialog.result() == actions.QDialog.DialogCode.Accepted
    assert dialog.options().issue == Issue(True, "7", DEMO_TODAY)


def test_result_dialog_open_and_print(qtbot, monkeypatch, tmp_path):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    path = tmp_path / "Báo cáo kết quả 128-VHTT 08-10-2024.docx"
    path.write_bytes(b"x")

    dialog = actions.ResultDialog(None, "Đã xuất", path)
    qtbot.addWidget(dialog)
    assert [b.text() for b in (dialog.open_button, dialog.print_button, dialog.close_button)] == ["Mở", "In", "Đóng"]
    dialog.open_button.click()
    assert opened[-1] == QUrl.fromLocalFile(str(path)) and opened[-1].toLocalFile() == str(path)

    # Windows: the "print" verb; without one (WinError 1155), open instead.
    printed = []
    monkeypatch.setattr(actions.sys, "platform", "win32")
    monkeypatch.setattr(actions.os, "startfile", lambda p, verb="open": printed.append((p, verb)), raising=False)
    assert actions.print_document(path) == "print" and printed == [(str(path), "print")]

    def no_verb(p, verb="open"):
        raise OSError(1155, "No application is associated with the specified file for this operation")

    monkeypatch.setattr(actions.os, "startfile", no_verb, raising=False)
    count = len(opened)
    dialog = actions.ResultDialog(None, "Đã xuất", path)
    qtbot.addWidget(dialog)
    dialog.print_button.click()
    assert len(opened) == count + 1 and opened[-1] == QUrl.fromLocalFile(str(path))

    monkeypatch.setattr(actions.sys, "platform", "linux")
    assert actions.print_document(path) == "open"
