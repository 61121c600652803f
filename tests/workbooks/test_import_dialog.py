"""The import preview dialog and the Excel menu actions (pytest-qt, offscreen, no modal box)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from db.models import Assignment, AssignmentState, Indicator, Task, UnitReport
from db.queries import find_unit
from desktop.infra.fileio import FileLockedError
from desktop.services.demo import DEMO_TODAY
from desktop.ui import common
from desktop.ui import files as ui_files
from desktop.ui import workbook_actions as actions
from desktop.ui.import_dialog import ImportPreviewDialog
from desktop.workbooks.template import SHEET_FORM, export_template
from tests.workbooks.filling import fill, rows_by_assignment

TODAY = DEMO_TODAY


@dataclass
class Said:
    messages: list[tuple[str, str]] = field(default_factory=list)
    opened: list[Path] = field(default_factory=list)
    answer: bool = True
    return_by: date | None = None


@pytest.fixture
def said(monkeypatch, tmp_path):
    record = Said()

    def shower(kind):
        def show(parent, text, title=None, details=None):
            record.messages.append((kind, text))
        return show

    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(common, kind, shower(kind))
    monkeypatch.setattr(common, "ask", lambda parent, text, title=None, default_yes=False: record.answer)
    monkeypatch.setattr(actions, "offer_open", lambda parent, text, path: record.opened.append(Path(path)))
    monkeypatch.setattr(ui_files, "offer_open", lambda parent, text, path: record.opened.append(Path(path)))
    # The scope dialog (directive, date) answers what it offers.
    monkeypatch.setattr(actions, "ask_excel_scope", lambda parent, db, today, directive_id: (directive_id, today))
    # «Hạn gửi lại» of the unit forms: what the test sets, else the dialog's default (a week on)
    monkeypatch.setattr(actions, "ask_return_date",
                        lambda parent, today: record.return_by or today + timedelta(days=7))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    monkeypatch.setattr("desktop.infra.paths.documents_dir", lambda: tmp_path / "Documents")
    monkeypatch.setattr(actions, "documents_dir", lambda: tmp_path / "Documents")
    return record


def _blank(db, code: str, folder: Path) -> tuple[Path, dict]:
    with db.session() as s:
        uid = find_unit(s, code).id
    path = export_template(db, uid, folder / f"blank-{code}.xlsx", TODAY)
    wb = load_workbook(path)
    rows = rows_by_assignment(wb[SHEET_FORM])
    wb.close()
    with db.session() as s:
        info = {}
        for aid in rows:
            task = s.get(Task, s.get(Assignment, aid).task_id)
            inds = s.execute(select(Indicator.id).where(Indicator.task_id == task.id)).all()
            info[aid] = (task, len(inds))
    return path, info


def _done_values(task, content, figures=None):
    day = max(task.start_date, TODAY - timedelta(days=2))
    values = {"state": "Đã hoàn thành", "completed": datetime.combine(day, datetime.min.time()),
              "content": content, "doc_number": "21/BC-UBND"}
    if figures:
        values["figures"] = figures
    return values


@pytest.fixture
def files(demo_db, tmp_path):
    """A realistic pair: Máy Chai's file with one good row and one problem; Đông Khê's file, clean."""
    inbox = tmp_path / "Hộp thư"
    inbox.mkdir()
    mc, mc_info = _blank(demo_db, "P-MC", tmp_path)
    good_aid = next(a for a, (t, n) in mc_info.items() if n and t.start_date and t.start_date < TODAY)
    bad_aid = next(a for a in mc_info if a != good_aid)
    mixed = fill(mc, inbox / "Phiếu báo cáo - UBND phường Máy Chai.xlsx", {
        good_aid: _done_values(mc_info[good_aid][0], "Đã đăng 6 tin, bài trên trang thông tin điện tử phường; phát "
                               "thanh 3 buổi.", {1: 6}),
        bad_aid: {"state": "Đã hoàn thành", "completed": datetime(2024, 10, 25),
                  "content": "Đã thực hiện xong, gửi kèm báo cáo."},
    })
    dk, dk_info = _blank(demo_db, "P-DK", tmp_path)
    dk_aid = next(a for a, (t, n) in dk_info.items() if t.start_date and t.start_date < TODAY)
    clean = fill(dk, inbox / "Phiếu báo cáo - UBND phường Đông Khê.xlsx",
                 {dk_aid: _done_values(dk_info[dk_aid][0], "Đã hoàn thành đúng kế hoạch.")})
    return {"mixed": mixed, "clean": clean, "good_aid": good_aid, "bad_aid": bad_aid, "dk_aid": dk_aid}


def _dialog(qtbot, db, paths):
    dialog = ImportPreviewDialog(db, paths, today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog._busy, timeout=30000)
    return dialog


def test_preview_lists_changes_and_problems(qtbot, demo_db, files, said, tmp_path):
    dialog = _dialog(qtbot, demo_db, [files["mixed"], files["clean"]])
    assert dialog.file_list.count() == 2
    assert dialog.file_list.item(0).text().startswith("✘ Không nhận")
    assert dialog.file_list.item(1).text().startswith("✔ Nhận")
    dialog.file_list.setCurrentRow(0)
    fields = [dialog.changes.item(r, 2).text() for r in range(dialog.changes.rowCount())]
    assert "Tình trạng" in fields and "Nội dung kết quả" in fields
    problems = [(dialog.problems.item(r, 0).text(), dialog.problems.item(r, 1).text(), dialog.problems.item(r, 2).text())
                for r in range(dialog.problems.rowCount())]
    assert any(level == "Lỗi" and where.startswith(f"{SHEET_FORM}!I") and "sau ngày hôm nay" in text
               for level, where, text in problems)
    assert dialog.annotate_button.isEnabled() and dialog.import_button.isEnabled()
    dialog.file_list.setCurrentRow(1)
    assert not dialog.annotate_button.isEnabled()
    # Accepting at once shows the final state in the "Sau" column.
    before = [dialog.changes.item(r, 4).text() for r in range(dialog.changes.rowCount())]
    dialog.accept_box.setChecked(True)
    after = [dialog.changes.item(r, 4).text() for r in range(dialog.changes.rowCount())]
    assert "Đã báo cáo, chờ duyệt" in before and "Hoàn thành" in after

    shot = dialog.grab()
    assert not shot.isNull() and shot.width() > 800
    target = os.environ.get("THEODOI_SCREENSHOTS")
    dialog.file_list.setCurrentRow(0)
    dialog.accept_box.setChecked(False)
    if target:  # THEODOI_SCREENSHOTS=docs/img makes the user guide's picture
        Path(target).mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(Path(target) / "import-preview.png"))
    dialog.grab().save(str(tmp_path / "import-preview.png"))
    assert (tmp_path / "import-preview.png").stat().st_size > 10000


def test_import_applies_accepted_files_only(qtbot, demo_db, files, said):
    dialog = _dialog(qtbot, demo_db, [files["mixed"], files["clean"]])
    with qtbot.waitSignal(dialog.imported, timeout=30000) as blocker:
        dialog.import_button.click()
    result = blocker.args[0]
    assert [f.file_name for f in result.files] == [files["clean"].name] and not result.failed
    assert dialog.result() == dialog.DialogCode.Accepted
    assert said.messages and said.messages[-1][0] == "info" and "ghi nhận 1 báo cáo" in said.messages[-1][1]
    with demo_db.session() as s:
        excel = s.execute(select(UnitReport.assignment_id).where(UnitReport.channel == "excel")).scalars().all()
        assert excel == [files["dk_aid"]]
        assert s.get(Assignment, files["dk_aid"]).state == AssignmentState.REPORTED.value


def test_save_annotated_copy(qtbot, demo_db, files, said, monkeypatch, tmp_path):
    dialog = _dialog(qtbot, demo_db, [files["mixed"]])
    target = tmp_path / "gui-lai.xlsx"
    monkeypatch.setattr(common, "choose_save_file", lambda *a, **k: str(target))
    dialog.annotate_button.click()
    assert said.opened == [target] and target.exists()
    wb = load_workbook(target)
    assert wb.sheetnames[0] == "Lỗi cần sửa"
    wb.close()


def test_drop_adds_files_and_checks_again(qtbot, demo_db, files, said):
    dialog = _dialog(qtbot, demo_db, [files["mixed"]])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["clean"])), QUrl.fromLocalFile(str(files["mixed"])),
                  QUrl.fromLocalFile("/tmp/ghi-chu.txt")])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(dialog.previewReady, timeout=30000):
        dialog.dropEvent(event)
    assert [p.name for p in dialog.paths] == [files["mixed"].name, files["clean"].name]
    assert dialog.file_list.count() == 2


def test_export_excel_action_runs_off_the_gui_thread(qtbot, demo_db, said, monkeypatch, tmp_path):
    chosen = tmp_path / "Documents" / "bang"
    seen = {}

    def choose(parent, title, suggested, filter_text):
        seen["suggested"] = suggested
        return str(chosen)

    monkeypatch.setattr(common, "choose_save_file", choose)
    assert actions.export_excel(None, demo_db, TODAY) is not None
    qtbot.waitUntil(lambda: bool(said.opened), timeout=60000)
    assert said.opened == [chosen.with_name("bang.xlsx")] and said.opened[0].exists()
    assert Path(seen["suggested"]).name == "Tổng hợp kết quả thực hiện nhiệm vụ - 08-10-2024.xlsx"
    assert Path(seen["suggested"]).parent == tmp_path / "Documents"


def test_locked_file_gets_a_new_name(qtbot, demo_db, said, monkeypatch, tmp_path):
    target = tmp_path / "khoa.xlsx"
    target.write_bytes(b"old")
    calls = []

    def fake_export(db, out, today, directive_id=None, progress=None):
        calls.append(Path(out))
        if Path(out) == target:
            raise FileLockedError("Tệp đang được mở.", target)
        Path(out).write_bytes(b"new")
        return Path(out)

    monkeypatch.setattr("desktop.workbooks.export.export_workbook", fake_export)
    monkeypatch.setattr(common, "choose_save_file", lambda *a: str(target))
    actions.export_excel(None, demo_db, TODAY)
    qtbot.waitUntil(lambda: bool(said.opened), timeout=30000)
    assert said.opened == [tmp_path / "khoa (2).xlsx"] and calls == [target, tmp_path / "khoa (2).xlsx"]


def test_export_templates_for_all_units_into_a_folder(qtbot, demo_db, said, monkeypatch, tmp_path):
    monkeypatch.setattr(actions, "choose_folder", lambda *a: str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    actions.export_templates(None, demo_db, TODAY)
    qtbot.waitUntil(lambda: bool(said.opened), timeout=60000)
    folder = said.opened[0]
    assert folder.parent == tmp_path / "out" and folder.name == "Phiếu báo cáo ngày 08-10-2024"
    assert len(list(folder.glob("*.xlsx"))) > 10


def test_export_template_for_one_unit_and_failure_message(qtbot, demo_db, said, monkeypatch, tmp_path):
    with demo_db.session() as s:
        uid = find_unit(s, "P-MC").id
    monkeypatch.setattr(common, "choose_save_file", lambda parent, title, suggested, f: suggested)
    actions.export_templates(None, demo_db, TODAY, unit_ids=[uid])
    qtbot.waitUntil(lambda: bool(said.opened), timeout=30000)
    assert said.opened[0].name == "Phiếu báo cáo - UBND phường Máy Chai - 08-10-2024.xlsx"

    def broken(*a, **k):
        raise RuntimeError("đĩa hỏng")

    monkeypatch.setattr("desktop.workbooks.export.export_workbook", broken)
    monkeypatch.setattr(common, "choose_save_file", lambda *a: str(tmp_path / "x.xlsx"))
    actions.export_excel(None, demo_db, TODAY)
    qtbot.waitUntil(lambda: any(k == "error" for k, _ in said.messages), timeout=30000)
    assert "đĩa hỏng" in said.messages[-1][1]


def test_import_files_action_opens_the_dialog(qtbot, demo_db, files, said, monkeypatch):
    monkeypatch.setattr(common, "choose_open_files", lambda *a: [str(files["clean"])])
    dialog = actions.import_files(None, demo_db, today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog._busy, timeout=30000)
    assert dialog.isVisible() and dialog.file_list.count() == 1
    monkeypatch.setattr(common, "choose_open_files", lambda *a: [])
    assert actions.import_files(None, demo_db) is None
    dialog.reject()


def test_the_forms_carry_the_return_date_the_officer_chose(qtbot, demo_db, said, monkeypatch, tmp_path):
    with demo_db.session() as s:
        uid = find_unit(s, "P-MC").id
    said.return_by = date(2024, 10, 20)
    monkeypatch.setattr(common, "choose_save_file", lambda parent, title, suggested, f: str(tmp_path / "p.xlsx"))
    actions.export_templates(None, demo_db, TODAY, unit_ids=[uid])
    qtbot.waitUntil(lambda: bool(said.opened), timeout=30000)
    cells = [c.value for row in load_workbook(said.opened[0]).worksheets[0].iter_rows() for c in row]
    assert any(isinstance(v, str) and "trước ngày 20/10/2024" in v for v in cells)


def test_no_return_date_no_form(qtbot, demo_db, said, monkeypatch, tmp_path):
    monkeypatch.setattr(actions, "ask_return_date", lambda parent, today: None)
    monkeypatch.setattr(actions, "choose_folder", lambda *a: pytest.fail("no folder is asked after «Hủy»"))
    assert actions.export_templates(None, demo_db, TODAY) is None


def test_return_date_dialog_refuses_a_date_not_after_today_and_keeps_the_text(qtbot):
    dialog = actions.ReturnDateDialog(None, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.date_edit.value() == TODAY + timedelta(days=7)
    for text, message in (("", "Chưa nhập"), ("31/02/2024", "không"), (f"{TODAY:%d/%m/%Y}", "phải sau ngày lập")):
        dialog.date_edit.setText(text)
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert message.lower() in dialog.problem.text().lower(), (text, dialog.problem.text())
        assert dialog.date_edit.text() == text  # nothing the officer typed is lost
    dialog.date_edit.setText("20/10/2024")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.return_date() == date(2024, 10, 20)
