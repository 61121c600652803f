"""«Mở», «In» where no program opens the file, and «Xuất PDF» from the result dialog (issue 14)."""

from __future__ import annotations

import pypdf
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop.documents import build_report
from desktop.documents import pdf as pdf_module
from desktop.services.demo import DEMO_TODAY
from desktop.ui import document_actions as actions


def _no_docx_program(monkeypatch):
    """Nothing is associated with .docx; folders still open in the file manager."""
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        path = url.toLocalFile()
        opened.append(path)
        return not path.endswith(".docx")

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return opened


def test_open_without_a_program_says_so_and_offers_the_folder(qtbot, monkeypatch, tmp_path, messages):
    opened = _no_docx_program(monkeypatch)
    path = tmp_path / "Báo cáo 128.docx"
    path.write_bytes(b"x")
    dialog = actions.ResultDialog(None, "Đã xuất", path)
    qtbot.addWidget(dialog)
    messages.answer = True
    dialog.open_button.click()
    assert len(messages.asked) == 1 and "chưa có chương trình nào mở được văn bản Word" in messages.asked[0]
    assert str(tmp_path) in messages.asked[0]
    assert opened == [str(path), str(tmp_path)]  # the file, then its folder
    # «Không»: the folder is not opened.
    messages.answer = False
    dialog = actions.ResultDialog(None, "Đã xuất", path)
    qtbot.addWidget(dialog)
    dialog.open_button.click()
    assert len(messages.asked) == 2 and opened[-1] == str(path)


def test_print_without_a_program_says_so(qtbot, monkeypatch, tmp_path, messages):
    opened = _no_docx_program(monkeypatch)
    monkeypatch.setattr(actions.sys, "platform", "win32")

    def no_verb(p, verb="open"):
        raise OSError(1155, "No application is associated with the specified file for this operation")

    monkeypatch.setattr(actions.os, "startfile", no_verb, raising=False)
    path = tmp_path / "Công văn đôn đốc.docx"
    path.write_bytes(b"x")
    assert actions.print_document(path) == ""
    dialog = actions.ResultDialog(None, "Đã xuất", path)
    qtbot.addWidget(dialog)
    messages.answer = True
    dialog.print_button.click()
    assert messages.asked and "không mở hoặc in được" in messages.asked[-1]
    assert opened[-1] == str(tmp_path)


def test_export_pdf_from_the_result_dialog_with_libreoffice(qtbot, monkeypatch, demo_db, tmp_path, messages):
    docx = tmp_path / "Báo cáo 2790.docx"
    build_report(demo_db, docx, today=DEMO_TODAY)
    results = []
    monkeypatch.setattr(actions, "show_result", lambda parent, text, path: results.append((text, path)))
    dialog = actions.ResultDialog(None, "Đã xuất", docx)
    qtbot.addWidget(dialog)
    assert dialog.pdf_button.text() == "Xuất PDF" and not dialog.pdf_button.isHidden()
    dialog.pdf_button.click()
    with qtbot.waitSignal(dialog.pdf_export.finished, timeout=120000) as blocker:
        pass
    written = blocker.args[0]
    assert written == docx.with_suffix(".pdf") and written.is_file()
    assert len(pypdf.PdfReader(str(written)).pages) >= 1
    assert results and "Đã xuất bản PDF" in results[0][0] and results[0][1] == written
    # The result dialog of a PDF offers no second PDF.
    again = actions.ResultDialog(None, "Đã xuất", written)
    qtbot.addWidget(again)
    assert again.pdf_button.isHidden()


def test_export_pdf_without_converter_is_a_clear_message(qtbot, monkeypatch, tmp_path, messages):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf_module, "word_available", lambda: False)
    docx = tmp_path / "x.docx"
    docx.write_bytes(b"x")
    export = actions.export_pdf(None, docx)
    with qtbot.waitSignal(export.finished, timeout=30000) as blocker:
        pass
    assert blocker.args[0] is None and not docx.with_suffix(".pdf").exists()
    assert messages.texts("warn") == [pdf_module.NO_CONVERTER]
