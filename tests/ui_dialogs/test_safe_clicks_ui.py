"""Issue 13, items 4-6 through the widgets: the date field, the result form's Duyệt / Hủy duyệt /
Yêu cầu bổ sung, and a second copy of a directive refused in the dialog (Ctrl+N) and the wizard."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from sqlalchemy import func, select

from db.models import Assignment, AssignmentState, Directive, UnitReport
from desktop.services.demo import DEMO_TODAY
from desktop.ui import result_form
from desktop.ui.dialogs import DirectiveDialog
from desktop.ui.widgets import OptionalDateEdit

DIRECTIVE_TEXT = Path(__file__).resolve().parents[1] / "data" / "directives" / "2024-tb-pdf-ngat-dong.txt"

# ---------------------------------------------------------------- the date field


@pytest.fixture
def field(qtbot):
    """A date field between two other fields, shown, with the focus in it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    before, edit, after = QLineEdit(), OptionalDateEdit(default_date=date(2024, 10, 8)), QLineEdit()
    for w in (before, edit, after):
        layout.addWidget(w)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    edit.setFocus()
    box.after = after
    yield edit  # the box stays referenced (alive) while the test runs


def test_an_impossible_date_stays_as_typed_and_is_named(qtbot, field):
    qtbot.keyClicks(field, "31/02/2024")
    assert field.text() == "31/02/2024"  # never moved to 29/02
    assert field.value() is None and not field.hasAcceptableInput()
    assert field.error_message() == "Ngày 31/02/2024 không có: tháng 02/2024 chỉ có 29 ngày."
    assert field.property("invalid") is True and "29 ngày" in field.toolTip()
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert field.text() == "31/02/2024"


def test_select_all_then_typing_a_whole_date_replaces_it(qtbot, field):
    field.set_value(date(2024, 10, 8))
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "15/03/2023")
    assert field.value() == date(2023, 3, 15)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "01012024")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert field.text() == "01/01/2024"  # tidied when leaving


def test_a_whole_date_typed_into_an_empty_field(qtbot, field):
    qtbot.keyClicks(field, "31/01/2024")
    assert field.value() == date(2024, 1, 31)


def test_tab_leaves_an_empty_field_empty(qtbot, field):
    assert field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert not field.hasFocus() and field.window().focusWidget() is field.parentWidget().after
    assert field.text() == "" and field.value() is None and field.hasAcceptableInput()


def test_letters_cannot_be_typed(qtbot, field):
    qtbot.keyClicks(field, "ngay 5a")  # (QTest cannot type non-Latin-1 letters)
    assert field.text() == " 5"
    assert field.value() == date(2024, 10, 5)


def test_delete_empties_and_the_calendar_sets_a_date(qtbot, field):
    field.set_value(date(2024, 10, 8))
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert field.value() is None and field.is_empty()
    field.show_calendar()
    calendar = field._menu.actions()[0].defaultWidget()
    calendar.clicked.emit(calendar.selectedDate().addDays(2))
    assert field.value() == date(2024, 10, 10)


# ---------------------------------------------------------------- the result form


def _unreported(db) -> int:
    with db.session() as s:
        reported = select(UnitReport.assignment_id)
        return s.execute(select(Assignment.id).where(Assignment.state == AssignmentState.NOT_STARTED.value,
                                                     Assignment.id.not_in(reported), Assignment.period == "")
                         .order_by(Assignment.id)).scalars().first()


def _state(db, aid):
    with db.session() as s:
        a = s.get(Assignment, aid)
        n = s.execute(select(func.count(UnitReport.id)).where(UnitReport.assignment_id == aid)).scalar()
        return a.state, a.completed_on, a.accepted_on, n


def _form(qtbot, db, aid):
    form = result_form.ResultForm(db, DEMO_TODAY)
    qtbot.addWidget(form)
    form.resize(420, 700)
    form.show()
    form.load(aid)
    return form


def test_the_received_date_is_empty_until_given(qtbot, demo_db, messages):
    aid = _unreported(demo_db)
    form = _form(qtbot, demo_db, aid)
    assert form.received_edit.value() is None and form.received_edit.text() == ""
    before = _state(demo_db, aid)
    form.content_edit.setPlainText("Chỉ có lời nhắn qua Zalo")
    assert not form.save()
    assert messages.texts("warn") == ["Cần nhập ngày nhận báo cáo."]
    assert _state(demo_db, aid) == before  # nothing recorded as "received today"
    qtbot.mouseClick(form.received_today_button, Qt.MouseButton.LeftButton)
    assert form.received_edit.value() == DEMO_TODAY
    assert form.save()
    with demo_db.session() as s:
        report = s.execute(select(UnitReport).where(UnitReport.assignment_id == aid)).scalars().one()
        assert report.received_on == DEMO_TODAY


def test_an_impossible_date_in_the_form_is_refused_with_its_reason(qtbot, demo_db, messages):
    aid = _unreported(demo_db)
    form = _form(qtbot, demo_db, aid)
    before = _state(demo_db, aid)
    form.content_edit.setPlainText("Đã làm")
    form.received_edit.setText("31/02/2024")
    assert form.is_dirty()
    assert not form.save()
    assert messages.texts("warn") == ["Ngày nhận báo cáo: Ngày 31/02/2024 không có: tháng 02/2024 chỉ có 29 ngày."]
    assert _state(demo_db, aid) == before and form.received_edit.text() == "31/02/2024"


def test_approving_a_unit_that_reported_nothing_asks_naming_what_is_missing(qtbot, demo_db, messages):
    aid = _unreported(demo_db)
    form = _form(qtbot, demo_db, aid)
    before = _state(demo_db, aid)
    # Nothing at all: no received date, so nothing can be approved, and no "today" is assumed.
    qtbot.mouseClick(form.accept_button, Qt.MouseButton.LeftButton)
    assert messages.texts("warn") == ["Cần nhập ngày nhận báo cáo."]
    assert _state(demo_db, aid) == before
    # A received date only: asked first, naming what is missing; "Không" keeps everything as it was.
    form.received_edit.set_value(DEMO_TODAY)
    messages.answer = False
    qtbot.mouseClick(form.accept_button, Qt.MouseButton.LeftButton)
    assert len(messages.asked) == 1
    assert "chưa có: nội dung kết quả" in messages.asked[0] and "minh chứng" in messages.asked[0]
    assert _state(demo_db, aid) == before and form.is_dirty()
    # "Có": approved, completed on the day the report came, not some assumed day.
    messages.answer = True
    qtbot.mouseClick(form.accept_button, Qt.MouseButton.LeftButton)
    assert _state(demo_db, aid)[:3] == (AssignmentState.DONE.value, DEMO_TODAY, DEMO_TODAY)


def test_a_completion_before_the_period_is_refused_in_the_form(qtbot, demo_db, messages):
    with demo_db.session() as s:
        aid = s.execute(select(Assignment.id).where(Assignment.period.like("%-H2"),
                                                    Assignment.state != AssignmentState.DONE.value)
                        .order_by(Assignment.id)).scalars().first()
        period = s.get(Assignment, aid).period
    form = _form(qtbot, demo_db, aid)
    before = _state(demo_db, aid)
    year = int(period[:4])
    form.received_edit.set_value(date(year, 7, 2))
    form.completed_edit.setText(f"07/01/{year}")
    form.content_edit.setPlainText("Báo cáo 6 tháng cuối năm")
    assert not form.save()
    assert f"trước kỳ báo cáo {period} (kỳ bắt đầu ngày 01/07/{year})" in messages.texts("warn")[-1]
    assert _state(demo_db, aid) == before and form.is_dirty()  # nothing saved, nothing lost


def test_a_complete_report_is_approved_without_a_question(qtbot, demo_db, messages):
    aid = _unreported(demo_db)
    form = _form(qtbot, demo_db, aid)
    form.received_edit.set_value(DEMO_TODAY)
    form.content_edit.setPlainText("Đã tổ chức 3 buổi tuyên truyền")
    form.doc_edit.setText("45/BC-UBND")
    for _ind, edit in form._figure_edits:
        edit.setText("3")
    qtbot.mouseClick(form.accept_button, Qt.MouseButton.LeftButton)
    assert messages.asked == [] and not messages.texts("warn")
    assert _state(demo_db, aid)[0] == AssignmentState.DONE.value


def test_unaccept_takes_the_approval_back(qtbot, demo_db, messages):
    with demo_db.session() as s:
        aid = s.execute(select(Assignment.id).where(Assignment.state == AssignmentState.DONE.value)
                        .order_by(Assignment.id)).scalars().first()
    form = _form(qtbot, demo_db, aid)
    assert form.unaccept_button.isVisible() and not form.accept_button.isVisible()
    qtbot.mouseClick(form.unaccept_button, Qt.MouseButton.LeftButton)
    state, completed, accepted, reports = _state(demo_db, aid)
    assert (state, completed, accepted) == (AssignmentState.REPORTED.value, None, None) and reports >= 1
    assert form.accept_button.isVisible() and not form.unaccept_button.isVisible()
    assert form.state_combo.currentData() == AssignmentState.REPORTED.value
    history = [(e.field, e.old, e.new) for e in form.history_model.rows() if e.field == "state"]
    assert any(old == AssignmentState.DONE.value for _f, old, _n in history), history


def test_return_needs_a_reason(qtbot, demo_db, messages):
    with demo_db.session() as s:
        aid = s.execute(select(Assignment.id).where(Assignment.state == AssignmentState.REPORTED.value)
                        .order_by(Assignment.id)).scalars().first()
    form = _form(qtbot, demo_db, aid)
    before = _state(demo_db, aid)
    messages.text_answer = "   "
    assert not form.return_for_more()
    assert "Cần nêu nội dung đơn vị phải bổ sung" in messages.texts("warn")[-1]
    assert _state(demo_db, aid) == before
    messages.text_answer = "Thiếu số liệu buổi phát thanh"
    assert form.return_for_more()
    assert _state(demo_db, aid)[0] == AssignmentState.RETURNED.value


# ---------------------------------------------------------------- a directive, once


def _first(db, number):
    with db.session() as s:
        return s.execute(select(Directive).where(Directive.number == number)).scalars().one()


def _count(db):
    with db.session() as s:
        return s.execute(select(func.count(Directive.id))).scalar()


def test_ctrl_n_refuses_a_second_copy_and_opens_the_first(qtbot, demo_db, messages):
    first = _first(demo_db, "2790/UBND-VHTT")
    count = _count(demo_db)
    dialog = DirectiveDialog(demo_db, None, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.number_edit.setText("2790/ubnd-vhtt ")
    dialog.issued_on.set_value(first.issued_on)
    dialog.issuer_combo.setEditText("UBND quận Ngô Quyền")
    dialog.task_title.setText("Tuyên truyền")
    dialog.task_title.textEdited.emit("Tuyên truyền")
    messages.answer = False
    assert not dialog.save()
    banner = dialog.error_banner.text()
    assert "2790/UBND-VHTT ngày 07/10/2022 của UBND quận Ngô Quyền" in banner and "đã có" in banner
    assert "Mở văn bản đã có" in messages.asked[-1]
    assert _count(demo_db) == count and dialog.directive_id is None
    messages.answer = True
    assert not dialog.save()
    assert dialog.directive_id == first.id  # the dialog now shows the first one
    assert dialog.number_edit.text() == "2790/UBND-VHTT" and "Sửa văn bản" in dialog.windowTitle()
    assert _count(demo_db) == count


def test_a_date_typed_wrong_in_a_dialog_is_refused_with_its_reason(qtbot, demo_db, messages):
    dialog = DirectiveDialog(demo_db, None, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    count = _count(demo_db)
    dialog.number_edit.setText("99/KH-UBND")
    dialog.issued_on.check.setChecked(True)
    dialog.issued_on.edit.setText("30/02/2024")
    dialog.task_title.setText("Tuyên truyền")
    dialog.task_title.textEdited.emit("Tuyên truyền")
    assert not dialog.save()
    assert dialog.error_banner.text() == "Ngày 30/02/2024 không có: tháng 02/2024 chỉ có 29 ngày."
    assert dialog.issued_on.property("invalid") is True and _count(demo_db) == count


def test_the_reading_wizard_refuses_a_second_copy_and_opens_the_first(qtbot, demo_db, messages, monkeypatch):
    from desktop.ui import intake_wizard

    first = _first(demo_db, "128/VHTT")
    count = _count(demo_db)
    opened = []
    monkeypatch.setattr(intake_wizard.DirectiveDialog, "exec", lambda self: opened.append(self.directive_id) or 0)
    wizard = intake_wizard.IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.paste_edit.setPlainText(DIRECTIVE_TEXT.read_text(encoding="utf-8"))
    with qtbot.waitSignal(wizard.proposalReady, timeout=30000):
        qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    wizard.number_edit.setText("128/VHTT")
    wizard.issued_on.set_value(first.issued_on)
    wizard.issuer_edit.setText("PHÒNG VĂN HÓA VÀ THÔNG TIN")
    messages.answer = True
    assert not wizard.create()
    assert "128/VHTT ngày 04/10/2024" in wizard.error_banner.text()
    assert opened == [first.id] and wizard.directive_id == first.id
    assert _count(demo_db) == count


def test_the_task_table_shows_the_whole_directive_number(qtbot, demo_db, messages, tmp_path):
    from qt_messages import settings_in

    from desktop.ui.main_window import MainWindow
    from desktop.ui.models import TaskTableModel

    settings_in(tmp_path / "qs")
    window = MainWindow(demo_db, DEMO_TODAY)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(window.is_idle, timeout=30000)
    metrics = window.task_table.fontMetrics()
    needed = metrics.horizontalAdvance("2790/UBND-VHTT") + 12
    assert window.task_table.columnWidth(TaskTableModel.C_NUMBER) >= needed
    window.close()
    window.runner.shutdown()


def test_a_required_date_emptied_or_wrong_in_the_small_dialogs_is_said_not_crashed(qtbot, demo_db, messages):
    from desktop.ui.dialogs import ReminderDialog
    from desktop.ui.dialogs.data import load_units
    from desktop.ui.dialogs.unit_merge import MergeTargetDialog

    with demo_db.session() as s:
        ids = s.execute(select(Assignment.id).where(Assignment.state == AssignmentState.NOT_STARTED.value)
                        .limit(2)).scalars().all()
    dialog = ReminderDialog(demo_db, ids, DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.sent_on.edit.clear_value()
    assert not dialog.save()
    assert dialog.error_banner.text() == "Cần nhập ngày."
    dialog.sent_on.edit.setText("31/04/2024")
    assert not dialog.save()
    assert dialog.error_banner.text() == "Ngày 31/04/2024 không có: tháng 04/2024 chỉ có 30 ngày."

    with demo_db.session() as s:
        rows = [u for u in load_units(s) if not u.is_group][:2]
    chooser = MergeTargetDialog(rows[0], rows[1:], DEMO_TODAY)
    qtbot.addWidget(chooser)
    chooser.on.edit.setText("29/02/2025")
    chooser.accept()
    assert messages.texts("warn")[-1] == "Ngày sáp nhập: Ngày 29/02/2025 không có: tháng 02/2025 chỉ có 28 ngày."
    assert chooser.result() == 0
