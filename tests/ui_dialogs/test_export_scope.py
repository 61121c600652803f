"""The Word report, the reminder and the Excel export let the officer choose the directive (or
all of them), the date, and for a reminder the units, with a preview of who receives it (issue 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from db.queries import find_directive
from desktop.services.demo import DEMO_TODAY
from desktop.ui import document_actions as actions
from desktop.ui import workbook_actions as books
from desktop.ui.main_window import MainWindow


def _directive(db, number: str) -> int:
    with db.session() as s:
        return find_directive(s, number).id


def test_report_dialog_offers_every_directive_and_the_date(qtbot, demo_db, tmp_path, messages):
    dialog = actions.ExportOptionsDialog(None, actions.REPORT, tmp_path / "bc.docx", DEMO_TODAY, db=demo_db,
                                         directive_id=None)
    qtbot.addWidget(dialog)
    combo = dialog.scope_box.directive_combo
    assert combo.currentText() == "Tất cả văn bản" and combo.count() >= 4
    combo.setCurrentIndex(combo.findData(_directive(demo_db, "128/VHTT")))
    dialog.scope_box.date_edit.setDate(QDate(2024, 9, 30))
    options = dialog.options()
    assert options.directive_id == _directive(demo_db, "128/VHTT") and options.as_of == date(2024, 9, 30)
    assert "128-VHTT" in Path(dialog.path_edit.text()).name  # the suggested name follows the directive
    combo.setCurrentIndex(0)
    assert dialog.options().directive_id is None


def test_reminder_dialog_previews_its_recipients_and_lets_units_be_left_out(qtbot, demo_db, tmp_path, messages):
    directive = _directive(demo_db, "2790/UBND-VHTT")
    dialog = actions.ExportOptionsDialog(None, actions.REMINDER, tmp_path / "dd.docx", DEMO_TODAY,
                                         date(2024, 10, 15), db=demo_db, directive_id=directive)
    qtbot.addWidget(dialog)
    box = dialog.scope_box
    expected = actions.reminder_recipients(demo_db, DEMO_TODAY, directive, None)
    assert expected and box.unit_list.count() == len(expected)
    assert f"gửi {len(expected)} đơn vị" in box.preview_label.text()
    assert expected[0].name in box.preview_label.text()
    box.unit_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert f"gửi {len(expected) - 1} đơn vị" in box.preview_label.text()
    assert dialog.options().unit_ids == tuple(r.unit_id for r in expected[1:])
    # All directives: more units late.
    box.directive_combo.setCurrentIndex(0)
    assert box.unit_list.count() >= len(expected)
    # A date before anything was late: nobody, and the dialog says so.
    box.date_edit.setDate(QDate(2020, 1, 1))
    assert box.unit_list.count() == 0 and "không có nhiệm vụ quá hạn" in box.preview_label.text()
    dialog.accept()
    assert messages.texts("warn") and dialog.result() != actions.QDialog.DialogCode.Accepted


def test_the_reminder_goes_to_the_units_chosen(qtbot, demo_db, tmp_path, monkeypatch, messages):
    directive = _directive(demo_db, "2790/UBND-VHTT")
    recipients = actions.reminder_recipients(demo_db, DEMO_TODAY, directive, None)
    keep = recipients[0].unit_id
    target = tmp_path / "đôn đốc.docx"
    monkeypatch.setattr(actions, "ask_options", lambda *a, **k: actions.ExportOptions(
        target, respond_by=date(2024, 10, 18), directive_id=directive, as_of=DEMO_TODAY, unit_ids=(keep,)))
    results = []
    monkeypatch.setattr(actions, "show_result", lambda parent, text, path: results.append(text))
    export = actions.export_reminder(None, demo_db, DEMO_TODAY, directive_id=None)
    with qtbot.waitSignal(export.finished, timeout=60000):
        pass
    assert results and "gửi 1 đơn vị" in results[0]


def test_the_window_offers_all_directives_when_the_filter_says_so(qtbot, demo_db, monkeypatch, messages):
    window = MainWindow(demo_db, DEMO_TODAY)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.is_idle, timeout=30000)
    window.task_table.selectRow(0)  # a task of one directive is selected ...
    assert window.task_model.row_at(0).directive_id is not None
    offered = {}
    monkeypatch.setattr(actions, "ask_options", lambda parent, kind, suggested, today, respond_by=None, **scope:
                        offered.setdefault(kind, scope) and None)
    monkeypatch.setattr(books, "ask_excel_scope", lambda parent, db, today, directive_id:
                        offered.setdefault("excel", {"directive_id": directive_id}) and None)
    window.export_report()
    window.export_reminder()
    window.export_excel()
    # ... but the filter says «Tất cả văn bản»: every export offers all of them.
    assert offered[actions.REPORT]["directive_id"] is None
    assert offered[actions.REMINDER]["directive_id"] is None
    assert offered["excel"]["directive_id"] is None
    window.runner.shutdown()


def test_excel_scope_dialog(qtbot, demo_db, messages):
    dialog = books.ExcelScopeDialog(None, demo_db, DEMO_TODAY, _directive(demo_db, "128/VHTT"))
    qtbot.addWidget(dialog)
    assert dialog.scope() == (_directive(demo_db, "128/VHTT"), DEMO_TODAY)
    dialog.scope_box.directive_combo.setCurrentIndex(0)
    dialog.scope_box.date_edit.setDate(QDate(2024, 6, 30))
    assert dialog.scope() == (None, date(2024, 6, 30))
