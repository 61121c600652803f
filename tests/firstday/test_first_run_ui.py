"""The first-run assistant walked as a new office would: a database file that does not exist yet,
the ward preset named, its own list of units from Excel's CSV, then the first directive; the demo;
the empty states; the same import from the units dialog."""

from __future__ import annotations

from datetime import date

import pytest
from lists import bad_rows, ward_rows, write_csv, write_xlsx
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QWizard
from sqlalchemy import func, select

from db.models import Directive, Unit
from desktop.services.settings import load_settings
from desktop.ui import app as startup
from desktop.ui import empty_state, first_run

TODAY = date(2026, 3, 2)


@pytest.fixture
def started(tmp_path, qtbot, messages, ui_settings):
    """The real start-up path on a database file that does not exist yet."""
    location = tmp_path / "moi" / "theodoi.db"
    location.parent.mkdir()
    assert not location.exists()
    result = startup.launch(startup.Options(db=str(location), today=TODAY), tmp_path / "nhat-ky" / "log.txt")
    assert not isinstance(result, int)
    qtbot.addWidget(result.window)
    yield result
    result.window.runner.shutdown()
    result.window.close()
    result.close()


def _wizard(qtbot, window) -> first_run.FirstRunWizard:
    qtbot.waitUntil(lambda: first_run.current_wizard(window) is not None and first_run.current_wizard(window).isVisible())
    return first_run.current_wizard(window)


def _units(db) -> dict[str, Unit]:
    with db.session() as s:
        return {u.code: u for u in s.execute(select(Unit)).scalars()}


def test_new_database_walks_to_a_working_window_with_imported_units(started, qtbot, tmp_path, monkeypatch):
    window = started.window
    wizard = _wizard(qtbot, window)
    assert wizard.objectName() == "firstRunWizard"
    assert window.empty_state.state == empty_state.NO_UNITS and window.empty_state.isVisible()
    # 1. kind of office: the ward's Phòng Văn hóa - Xã hội is offered first
    assert wizard.kind_page.buttons["phuong"].isChecked()
    wizard.next()
    # 2. the header: «…» until the ward is named; the preview follows the typing
    page = wizard.header_page
    assert page.edits["parent_agency"].text() == "ỦY BAN NHÂN DÂN PHƯỜNG …"
    assert "PHÒNG VĂN HÓA - XÃ HỘI" in page.preview.texts()
    page.place_edit.setText("Gia Viên")
    assert page.edits["parent_agency"].text() == "ỦY BAN NHÂN DÂN PHƯỜNG GIA VIÊN"
    assert page.preview.texts()[0] == "ỦY BAN NHÂN DÂN PHƯỜNG GIA VIÊN"
    assert page.preview.texts()[-1].startswith("Gia Viên, ngày")
    page.edits["signer_name"].setText("Trần Thị Hoa")
    wizard.next()
    # 3. units: the officer's list from Excel's CSV, bad rows shown, nothing written yet
    path = write_csv(tmp_path / "danh-sach-don-vi.csv", ward_rows() + bad_rows())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    wizard.units_page.import_button.click()
    assert wizard.unit_list is not None and len(wizard.unit_list.good_rows) == 46
    table = wizard.units_page.table
    assert table.rowCount() == 49 and "trùng" in " ".join(table.item(r, 6).text() for r in range(table.rowCount()))
    assert not wizard.units_page.preset_units.isChecked()  # the office's list replaces the sample units
    assert _units(started.database) == {}
    wizard.next()
    # 4. the first directive: «Để sau» here (the intake wizard has its own tests)
    wizard.first_page.later.setChecked(True)
    wizard.accept()
    qtbot.waitUntil(window.is_idle)
    units = _units(started.database)
    assert units["TDP40"].name == "Tổ dân phố số 40" and units["CLB-DSVH"].name == "Câu lạc bộ Dân số - Văn hóa"
    with started.database.session() as s:
        settings = load_settings(s)
    assert settings.parent_agency == "ỦY BAN NHÂN DÂN PHƯỜNG GIA VIÊN" and settings.signer_name == "Trần Thị Hoa"
    # a working main window: its tree holds the imported units; the bar now asks for a directive
    qtbot.waitUntil(lambda: sum(1 for n in window._nodes if not n.is_group) == 46)
    assert window.empty_state.state == empty_state.NO_DIRECTIVES
    assert window.empty_state.buttons["emptyIntake"].isVisibleTo(window.empty_state)


def test_first_directive_choice_opens_the_intake(started, qtbot, monkeypatch):
    window = started.window
    opened = []
    monkeypatch.setattr(type(window), "intake_directive", lambda self: opened.append("intake"))
    wizard = _wizard(qtbot, window)
    wizard.next()
    wizard.next()
    wizard.next()
    assert wizard.first_page.intake.isChecked()  # «Đọc văn bản chỉ đạo…» is the default
    wizard.accept()
    qtbot.waitUntil(lambda: opened == ["intake"])
    assert len(_units(started.database)) > 0  # the preset's groups and sample units


def test_new_database_walks_to_the_demo(started, qtbot):
    window = started.window
    wizard = _wizard(qtbot, window)
    wizard.kind_page.buttons["demo"].setChecked(True)
    assert wizard.kind_page.isFinalPage() and wizard.kind_page.nextId() == -1
    wizard.accept()
    qtbot.waitUntil(window.is_idle)
    with started.database.session() as s:
        assert s.execute(select(func.count()).select_from(Directive)).scalar_one() == 3
    qtbot.waitUntil(lambda: window.task_model.rowCount() > 0)
    assert window.today == date(2024, 10, 8)
    assert window.empty_state.state == empty_state.FILLED and not window.empty_state.isVisible()


def test_a_database_with_data_opens_without_the_assistant(demo_db, tmp_path, qtbot, messages, ui_settings):
    location = demo_db.location
    demo_db.dispose()
    result = startup.launch(startup.Options(db=str(location), today=TODAY), tmp_path / "log.txt")
    try:
        assert first_run.current_wizard(result.window) is None
        assert not result.window.empty_state.isVisible()
    finally:
        result.window.runner.shutdown()
        result.window.close()
        result.close()


def test_the_menu_opens_it_on_a_working_database(demo_db, qtbot, messages, ui_settings):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(demo_db, date(2024, 10, 8))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_idle)
    window.findChild(QAction, "actFirstRun").trigger()
    wizard = _wizard(qtbot, window)
    assert not wizard.kind_page.buttons["demo"].isEnabled()  # no demo over real data
    assert wizard.header_page.edits["parent_agency"].text() == "UBND QUẬN NGÔ QUYỀN"  # its own header, kept
    wizard.reject()
    window.runner.shutdown()


def test_units_dialog_imports_an_excel_list_after_a_preview(demo_db, qtbot, tmp_path, monkeypatch, messages,
                                                          ui_settings):
    from desktop.ui.dialogs import UnitsDialog

    path = write_xlsx(tmp_path / "ds.xlsx", ward_rows() + bad_rows())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    seen = {}

    def fake_exec(dialog):
        seen["summary"] = dialog.summary.text()
        seen["rows"] = dialog.table.rowCount()
        seen["before"] = len(_units(demo_db))
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(first_run.UnitListImportDialog, "exec", fake_exec)
    dialog = UnitsDialog(demo_db, None, today=date(2024, 10, 8))
    qtbot.addWidget(dialog)
    before = len(_units(demo_db))
    dialog.import_button.click()
    assert seen["before"] == before  # nothing written while the preview is shown
    assert seen["rows"] == 50 and "47 đơn vị sẽ được thêm" in seen["summary"]
    after = _units(demo_db)
    assert len(after) == before + 47 + 3  # the demo has «Trường học» and «Mặt trận và đoàn thể» already
    assert {u.name for u in after.values() if u.is_group} >= {"Tổ dân phố", "Công an, quân sự", "Câu lạc bộ"}
    assert dialog.saved


def test_empty_state_bar_follows_the_data(db, qtbot, messages, ui_settings):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(db, TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_idle)
    bar = window.empty_state
    assert bar.state == empty_state.NO_UNITS and "Chưa có đơn vị nào" in bar.label.text()
    assert bar.buttons["emptyImportUnits"].isVisibleTo(bar) and not bar.buttons["emptyIntake"].isVisibleTo(bar)
    from desktop.services import office_setup

    with db.session() as s:
        office_setup.add_preset_units(s, office_setup.load_preset("phuong"))
    window.reload_all()
    assert bar.state == empty_state.NO_DIRECTIVES and "Chưa có văn bản chỉ đạo" in bar.label.text()
    window.runner.shutdown()


def test_wizard_header_page_names_the_ward_in_every_field(db, qtbot, ui_settings):
    wizard = first_run.FirstRunWizard(db, None, today=TODAY)
    qtbot.addWidget(wizard)
    wizard.kind_page.buttons["so"].setChecked(True)
    assert wizard.header_page.edits["parent_agency"].text() == "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
    wizard.kind_page.buttons["phuong"].setChecked(True)
    assert wizard.header_page.place_edit.text() == ""
    assert wizard.header_page.edits["superior_name"].text() == "Ủy ban nhân dân phường …"
    assert isinstance(wizard, QWizard)


def test_reorganisation_dialog_previews_then_merges(demo_db, qtbot, tmp_path, monkeypatch, messages, ui_settings):
    from desktop.ui.reorganisation_dialog import ReorganisationDialog

    mapping = tmp_path / "chuyen-doi.csv"
    mapping.write_text("\ufeffĐơn vị cũ,Đơn vị mới\r\nP-CD,UBND phường Gia Viên\r\nP-GV,UBND phường Gia Viên\r\n"
                       "P-XX,UBND phường Ngô Quyền\r\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(mapping), ""))
    dialog = ReorganisationDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    assert dialog.table.rowCount() == 3 and "Không tìm thấy" in dialog.table.item(0, 4).text()  # errors first
    assert not dialog.ok_button.isEnabled()
    mapping.write_text("Đơn vị cũ,Đơn vị mới\nP-CD,UBND phường Gia Viên\nP-GV,UBND phường Gia Viên\n", encoding="utf-8")
    dialog.load_file(str(mapping))
    assert dialog.ok_button.isEnabled() and "01/07/2025" in dialog.summary.text()
    assert all(u.active for u in _units(demo_db).values())  # nothing written during the preview
    dialog.accept()
    units = _units(demo_db)
    assert not units["P-CD"].active and units["P-CD"].merged_into_id == units["P-GV"].merged_into_id
    assert units["P-GV"].merged_on == date(2025, 7, 1)


def test_city_department_gets_the_114_communes(db, qtbot, ui_settings, messages):
    wizard = first_run.FirstRunWizard(db, None, today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.kind_page.buttons["so"].setChecked(True)
    wizard.next()
    wizard.next()
    assert wizard.units_page.preset_units.isChecked()
    assert "1669/NQ-UBTVQH15" in wizard.units_page.preset_units.text()
    wizard.next()
    wizard.first_page.later.setChecked(True)
    wizard.accept()
    units = _units(db)
    wards = [u for u in units.values() if not u.is_group and u.kind == "phuong"]
    assert len(wards) == 114 and units["DK-BACHLONGVI"].name == "UBND đặc khu Bạch Long Vĩ"
    with db.session() as s:
        assert load_settings(s).parent_agency == "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
