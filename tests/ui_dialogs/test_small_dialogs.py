"""ExtensionDialog, ReminderDialog and SettingsDialog save through the operations, or refuse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Extension, Reminder, ReminderItem
from db.queries import assignment_rows
from desktop.infra.local_config import load_config
from desktop.services.editing import clean_settings
from desktop.services.operations import ValidationError
from desktop.services.settings import Settings
from desktop.tracking.stats import track
from desktop.tracking.status import Status
from desktop.ui.dialogs import ExtensionDialog, ReminderDialog, SettingsDialog
from desktop.ui.dialogs.data import reminder_counts
from tests.conftest import DEMO_TODAY


def _rows(db, **filters):
    with db.session() as s:
        return assignment_rows(s, **filters)


def _overdue(db, n):
    late = [t.row for t in track(_rows(db), DEMO_TODAY, 3) if t.status is Status.OVERDUE]
    return late[:n]


def test_extension_changes_effective_deadline_and_keeps_original(qtbot, demo_db, messages):
    row = _overdue(demo_db, 1)[0]
    assert not row.extended
    dialog = ExtensionDialog(demo_db, row.assignment_id, DEMO_TODAY)
    qtbot.addWidget(dialog)
    assert dialog.original_label.text() == row.own_due.strftime("%d/%m/%Y")
    assert "Quá hạn" in dialog.status_label.text()
    assert dialog.history_table.rowCount() == 0
    new_due = DEMO_TODAY + timedelta(days=10)
    dialog.new_due.set_value(new_due)
    dialog.reason_edit.setPlainText("Đơn vị xin thêm thời gian tổng hợp số liệu.")
    dialog.doc_edit.setText("Công văn số 215/UBND-VHTT")
    assert dialog.save()
    assert dialog.result() == ExtensionDialog.DialogCode.Accepted
    after = _rows(demo_db, assignment_ids=[row.assignment_id])[0]
    assert (after.effective_due, after.own_due, after.extended) == (new_due, row.own_due, True)
    with demo_db.session() as s:
        ext = s.execute(select(Extension).where(Extension.assignment_id == row.assignment_id)).scalar_one()
        assert (ext.old_due, ext.new_due, ext.approving_doc, ext.granted_on) == (
            row.own_due, new_due, "Công văn số 215/UBND-VHTT", DEMO_TODAY)
    # A second dialog shows the history and the extended deadline as the current one.
    again = ExtensionDialog(demo_db, row.assignment_id, DEMO_TODAY)
    qtbot.addWidget(again)
    assert again.history_table.rowCount() == 1
    assert again.history_table.item(0, 3).text() == "Đơn vị xin thêm thời gian tổng hợp số liệu."
    assert again.current_label.text() == f"{new_due:%d/%m/%Y} (đã gia hạn 1 lần)"
    assert again.original_label.text() == f"{row.own_due:%d/%m/%Y}"


def test_extension_refused_without_reason_or_with_earlier_date(qtbot, demo_db, messages):
    row = _overdue(demo_db, 1)[0]
    dialog = ExtensionDialog(demo_db, row.assignment_id, DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.new_due.set_value(DEMO_TODAY + timedelta(days=5))
    assert not dialog.save()
    assert dialog.error_banner.text() == "Lý do gia hạn không được để trống."
    assert dialog.reason_edit.property("invalid") is True
    dialog.reason_edit.setPlainText("Lý do")
    dialog.new_due.set_value(row.own_due - timedelta(days=1))
    assert not dialog.save()
    assert dialog.error_banner.text() == f"Hạn mới phải sau hạn hiện tại ({row.own_due:%d/%m/%Y})."
    assert dialog.new_due.property("invalid") is True
    with demo_db.session() as s:
        assert s.execute(select(func.count()).select_from(Extension).where(
            Extension.assignment_id == row.assignment_id)).scalar_one() == 0
    assert dialog.result() != ExtensionDialog.DialogCode.Accepted


def test_reminder_logged_for_ticked_assignments(qtbot, demo_db, messages):
    rows = _overdue(demo_db, 3)
    ids = [r.assignment_id for r in rows]
    with demo_db.session() as s:
        before = s.execute(select(func.count()).select_from(Reminder)).scalar_one()
        earlier = reminder_counts(s, ids[:1]).get(ids[0], (0, None))[0]
    dialog = ReminderDialog(demo_db, ids, DEMO_TODAY)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 3
    units = {dialog.table.item(i, 0).text() for i in range(3)}
    assert units == {r.unit_name for r in rows}
    late_texts = {dialog.table.item(i, 4).text() for i in range(3)}
    assert late_texts == {f"{(DEMO_TODAY - r.effective_due).days} ngày" for r in rows}
    dialog.set_checked(ids[2], False)
    assert "Đôn đốc 2/3 nhiệm vụ" in dialog.intro.text()
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("cong_van"))
    dialog.letter_edit.setText("131/VHTT")
    dialog.note_edit.setPlainText("Đề nghị báo cáo trước ngày 15/10/2024.")
    dialog.sent_on.set_value(DEMO_TODAY - timedelta(days=1))
    assert dialog.save()
    assert dialog.result() == ReminderDialog.DialogCode.Accepted
    with demo_db.session() as s:
        reminder = s.execute(select(Reminder).order_by(Reminder.id.desc())).scalars().first()
        items = s.execute(select(ReminderItem.assignment_id).where(ReminderItem.reminder_id == reminder.id)).scalars()
        assert sorted(items) == sorted(ids[:2])
        assert (reminder.method, reminder.letter_number, reminder.sent_on) == (
            "cong_van", "131/VHTT", DEMO_TODAY - timedelta(days=1))
        assert s.execute(select(func.count()).select_from(Reminder)).scalar_one() == before + 1
    again = ReminderDialog(demo_db, ids[:1], DEMO_TODAY)
    qtbot.addWidget(again)
    assert again.table.item(0, 5).text() == f"{earlier + 1} lần, gần nhất 07/10/2024"


def test_reminder_refuses_nothing_ticked_and_future_date(qtbot, demo_db, messages):
    ids = [r.assignment_id for r in _overdue(demo_db, 2)]
    dialog = ReminderDialog(demo_db, ids, DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.sent_on.set_value(DEMO_TODAY + timedelta(days=1))
    assert not dialog.save()
    assert dialog.error_banner.text() == "Ngày đôn đốc không được sau ngày hôm nay."
    dialog.sent_on.set_value(DEMO_TODAY)
    for aid in ids:
        dialog.set_checked(aid, False)
    assert not dialog.save()
    assert dialog.error_banner.text() == "Chưa chọn nhiệm vụ nào để đôn đốc."
    assert dialog.result() != ReminderDialog.DialogCode.Accepted


def test_settings_saved_and_reloaded(qtbot, db, messages):
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.edits["agency"].text() == Settings().agency
    dialog.edits["parent_agency"].setText("ubnd phường đông khê")
    dialog.edits["place_name"].setText("Đông Khê")
    dialog.edits["signer_authority"].setText("")  # the head signs
    dialog.edits["report_symbol"].setText("BC-VHXH")
    dialog.due_soon_spin.setValue(5)
    dialog.backup_spin.setValue(20)
    dialog.officer_edit.setText("Trần Thị Lan")
    assert "Đông Khê, ngày" in dialog.preview.text()
    assert dialog.save()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    saved = db.settings()
    assert (saved.parent_agency, saved.place_name, saved.signer_authority, saved.report_symbol) == (
        "UBND PHƯỜNG ĐÔNG KHÊ", "Đông Khê", "", "BC-VHXH")
    assert (saved.due_soon_days, saved.backup_keep) == (5, 20)
    assert load_config().officer_name == "Trần Thị Lan"  # per PC, not in the database
    again = SettingsDialog(db)
    qtbot.addWidget(again)
    assert again.values() == saved


def test_settings_refuse_empty_names_and_bad_symbols(qtbot, db, messages):
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.edits["signer_name"].setText("  ")
    assert not dialog.save()
    assert dialog.error_banner.text() == "Người ký không được để trống."
    assert dialog.edits["signer_name"].property("invalid") is True
    dialog.edits["signer_name"].setText("Nguyễn Văn A")
    dialog.edits["report_symbol"].setText("BC VHTT")
    assert not dialog.save()
    assert "không được có dấu cách" in dialog.error_banner.text()
    assert db.settings() == Settings()  # nothing stored: the defaults
    assert dialog.result() != SettingsDialog.DialogCode.Accepted


def test_settings_numbers_out_of_range_refused():
    with pytest.raises(ValidationError) as info:
        clean_settings(Settings(due_soon_days=45))
    assert info.value.field_name == "due_soon_days"
    assert "từ 0 đến 30" in info.value.message
    with pytest.raises(ValidationError):
        clean_settings(Settings(backup_keep=0))
    assert clean_settings(Settings(agency=" phòng văn hóa ")).agency == "PHÒNG VĂN HÓA"
