"""Every dialog of the program opens within a 1366×768 screen with its taskbar (1366×728), even
when a larger size was saved on another screen (issue 14)."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtGui import QGuiApplication
from screen_fit import OFFICE_HEIGHT, OFFICE_WIDTH, opening_size, too_big

from desktop.services.demo import DEMO_TODAY
from desktop.ui import common


def test_the_test_screen_is_an_office_laptop(qapp):
    size = QGuiApplication.primaryScreen().geometry().size()
    assert (size.width(), size.height()) == (1366, 768)


def _all_dialogs(db, tmp_path):
    from desktop.safety.backups import BackupInfo
    from desktop.ui.dialogs.data import load_units
    from desktop.ui.dialogs.directive import DirectiveDialog
    from desktop.ui.dialogs.extension import ExtensionDialog
    from desktop.ui.dialogs.reminder import ReminderDialog
    from desktop.ui.dialogs.settings_dialog import SettingsDialog
    from desktop.ui.dialogs.unit_merge import MergeTargetDialog
    from desktop.ui.dialogs.units import UnitsDialog
    from desktop.ui.document_actions import REMINDER, REPORT, ExportOptionsDialog, ResultDialog
    from desktop.ui.first_run import FirstRunWizard
    from desktop.ui.import_dialog import ImportPreviewDialog
    from desktop.ui.intake_wizard import IntakeWizard
    from desktop.ui.reorganisation_dialog import ReorganisationDialog
    from desktop.ui.safety_actions import BackupChooser
    from desktop.ui.transfer_actions import TargetDialog
    from desktop.ui.workbook_actions import ExcelScopeDialog, ReturnDateDialog

    with db.session() as s:
        units = load_units(s)
    out = tmp_path / "báo cáo.docx"
    backups = [BackupInfo(tmp_path / f"b{i}.db", "auto", datetime(2024, 10, i + 1), 2048) for i in range(30)]
    return {
        "units": lambda: UnitsDialog(db, today=DEMO_TODAY),
        "directive-new": lambda: DirectiveDialog(db, None, today=DEMO_TODAY),
        "directive-edit": lambda: DirectiveDialog(db, 1, today=DEMO_TODAY),
        "extension": lambda: ExtensionDialog(db, 1, DEMO_TODAY),
        "reminder": lambda: ReminderDialog(db, list(range(1, 40)), DEMO_TODAY),
        "settings": lambda: SettingsDialog(db),
        "intake": lambda: IntakeWizard(db),
        "import": lambda: ImportPreviewDialog(db, [], today=DEMO_TODAY),
        "export-report": lambda: ExportOptionsDialog(None, REPORT, out, DEMO_TODAY, db=db),
        "export-reminder": lambda: ExportOptionsDialog(None, REMINDER, out, DEMO_TODAY, db=db),
        "export-excel": lambda: ExcelScopeDialog(None, db, DEMO_TODAY, None),
        "return-date": lambda: ReturnDateDialog(None, DEMO_TODAY),
        "result": lambda: ResultDialog(None, "Đã xuất báo cáo.\n\nTệp: " + str(out), out),
        "merge": lambda: MergeTargetDialog(units[0], units[1:], DEMO_TODAY),
        "backups": lambda: BackupChooser(None, backups),
        "transfer": lambda: TargetDialog(None, str(tmp_path / "a.db")),
        "first-run": lambda: FirstRunWizard(db, today=DEMO_TODAY),
        "reorganisation": lambda: ReorganisationDialog(db),
    }


DIALOGS = ["units", "directive-new", "directive-edit", "extension", "reminder", "settings", "intake", "import",
           "export-report", "export-reminder", "export-excel", "result", "merge", "backups", "transfer",
           "first-run", "reorganisation"]


@pytest.mark.parametrize("name", DIALOGS)
def test_dialog_fits_the_office_screen(qtbot, demo_db, tmp_path, messages, name):
    dialog = _all_dialogs(demo_db, tmp_path)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not too_big([dialog])
    frame = dialog.frameGeometry()
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert area.contains(frame), (frame, area)


@pytest.mark.parametrize("name", ["directive-edit", "intake", "settings", "units"])
def test_a_size_saved_on_a_larger_screen_is_fitted(qtbot, demo_db, tmp_path, messages, name):
    make = _all_dialogs(demo_db, tmp_path)[name]
    first = make()
    qtbot.addWidget(first)
    first.resize(1600, 1000)
    common.save_geometry(first, first.geometry_key)
    again = make()
    qtbot.addWidget(again)
    width, height = opening_size(again)
    assert width <= OFFICE_WIDTH and height <= OFFICE_HEIGHT


def test_a_dialog_taller_than_the_screen_scrolls_inside_and_keeps_its_buttons(qtbot, messages):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    for i in range(40):  # 40 rows of 30 px: taller than any laptop screen
        label = QLabel(f"Dòng {i + 1}")
        label.setMinimumHeight(30)
        layout.addWidget(label)
    buttons = common.button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                dialog)
    layout.addWidget(buttons)
    assert dialog.minimumSizeHint().height() > OFFICE_HEIGHT
    common.fit_to_screen(dialog, 600, 1400)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not too_big([dialog])
    area = dialog.findChild(QScrollArea, "dialogScroll")
    assert area is not None and area.verticalScrollBar().maximum() > 0
    assert buttons.parent() is dialog and not area.isAncestorOf(buttons)  # «Lưu», «Hủy» stay on screen
    assert dialog.rect().contains(buttons.geometry())
