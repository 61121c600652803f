"""A colleague's save in between: the dialog says so and reloads. Screenshots of every dialog."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QImage

from db.queries import find_directive, find_unit
from desktop.services import operations as ops
from desktop.ui.dialogs import DirectiveDialog, UnitsDialog
from scripts.dialog_screenshots import save_dialog_screenshots
from tests.conftest import DEMO_TODAY


def test_unit_edited_elsewhere_is_reported_and_reloaded(qtbot, demo_db, messages):
    with demo_db.session() as s:
        unit = find_unit(s, "P-DK")
    dialog = UnitsDialog(demo_db, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.select_unit(unit.id)
    with demo_db.session() as s:  # a colleague saves first
        data = ops.UnitInput(code=unit.code, name=unit.name, kind=unit.kind, parent_id=unit.parent_id,
                             phone="0225.111.222")
        ops.update_unit(s, unit.id, data)
    dialog.phone_edit.setText("0999")
    dialog.phone_edit.textEdited.emit("0999")
    assert not dialog.save_unit()
    assert "sau khi anh/chị mở" in messages.texts("warn")[-1]
    assert dialog.phone_edit.text() == "0225.111.222"  # reloaded: the colleague's value is shown
    with demo_db.session() as s:
        assert find_unit(s, "P-DK").phone == "0225.111.222"


def test_directive_edited_elsewhere_is_reported(qtbot, demo_db, messages):
    with demo_db.session() as s:
        directive = find_directive(s, "45/KH-UBND")
    dialog = DirectiveDialog(demo_db, directive.id, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    with demo_db.session() as s:
        ops.update_directive(s, directive.id, ops.DirectiveInput(
            number=directive.number, issued_on=directive.issued_on, issuer=directive.issuer,
            doc_type=directive.doc_type, title="Trích yếu do đồng nghiệp sửa"))
    dialog.issued_on.set_value(date(2023, 2, 21))
    assert not dialog.save()
    assert "sau khi anh/chị mở" in messages.texts("warn")[-1]
    assert dialog.title_edit.toPlainText() == "Trích yếu do đồng nghiệp sửa"
    assert dialog.issued_on.value() == directive.issued_on


@pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen plugin noise when windows are shown
def test_screenshots_of_every_dialog(qtbot, demo_db, tmp_path):
    written = save_dialog_screenshots(demo_db, tmp_path / "img", DEMO_TODAY)
    assert [p.name for p in written] == ["dlg-units.png", "dlg-directive.png", "dlg-directive-units.png",
                                         "dlg-extension.png", "dlg-reminder.png", "dlg-settings.png"]
    for path in written:
        image = QImage(str(path))
        assert image.width() >= 700 and image.height() >= 550
        # Not a blank grab: text and frames give many distinct colours.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
        assert len(colours) > 20, path.name
