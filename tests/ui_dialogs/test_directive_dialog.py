"""DirectiveDialog: a directive with tasks and units, validation, editing a saved one."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from db.models import Assignment, ChangeLog, Directive, Extension, Indicator, Task, UnitReport
from db.queries import find_directive, find_unit
from desktop.services import operations as ops
from desktop.ui.dialogs import DirectiveDialog
from tests.conftest import DEMO_TODAY


def _dialog(qtbot, db, directive_id=None):
    dialog = DirectiveDialog(db, directive_id, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    return dialog


def _ids(db, *codes):
    with db.session() as s:
        return [find_unit(s, c).id for c in codes]


def _count(db, model):
    with db.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def _fill_header(dialog, number="15/KH-UBND"):
    dialog.number_edit.setText(number)
    dialog.issued_on.set_value(date(2024, 10, 1))
    dialog.issuer_combo.setEditText("UBND quận Ngô Quyền")
    dialog.title_edit.setPlainText("Kế hoạch tuyên truyền Ngày Pháp luật năm 2024")


def _fill_task(dialog, title, start, due):
    dialog.task_title.setText(title)
    dialog.task_title.textEdited.emit(title)
    dialog.start_field.set_value(start)
    dialog.due_field.set_value(due)


def test_ticking_a_group_assigns_all_its_units_with_one_lead(qtbot, demo_db, messages):
    wards_group, ward_a, ward_b, centre = _ids(demo_db, "NHOM-PHUONG", "P-DK", "P-MC", "TTVH")
    with demo_db.session() as s:  # an archived ward is not ticked with its group
        ops.archive_unit(s, ward_b, DEMO_TODAY)
    dialog = _dialog(qtbot, demo_db)
    _fill_header(dialog)
    _fill_task(dialog, "Tuyên truyền trên hệ thống truyền thanh phường", date(2024, 10, 10), date(2024, 11, 9))
    checklist = dialog.unit_checklist
    checklist.set_checked(wards_group, True)
    assert ward_b not in checklist.roles()
    assert len(checklist.roles()) == 11 and set(checklist.roles().values()) == {"thuc_hien"}
    checklist.set_checked(centre, True)
    checklist.set_lead(ward_a)
    checklist.set_lead(centre)  # changing the lead: only one, the former one gets its role back
    assert checklist.lead_id() == centre and checklist.roles()[ward_a] == "thuc_hien"
    assert "12 đơn vị" in checklist.summary.text()
    assert dialog.tabs.tabText(2) == "Đơn vị thực hiện (12)"
    assert dialog.save()
    assert dialog.result() == DirectiveDialog.DialogCode.Accepted
    with demo_db.session() as s:
        directive = find_directive(s, "15/KH-UBND")
        assert dialog.directive_id == directive.id
        task = s.execute(select(Task).where(Task.directive_id == directive.id)).scalar_one()
        assigned = s.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars()
        roles = {a.unit_id: a.role for a in assigned}
        wards = [u for u in ops.group_members(s, wards_group)]
    assert set(roles) == set(wards) | {centre}
    assert [u for u, r in roles.items() if r == "chu_tri"] == [centre]
    assert ward_b not in roles


def test_deadline_before_start_is_refused_and_nothing_saved(qtbot, demo_db, messages):
    before = (_count(demo_db, Directive), _count(demo_db, Task), _count(demo_db, Assignment))
    dialog = _dialog(qtbot, demo_db)
    _fill_header(dialog)
    _fill_task(dialog, "Nhiệm vụ một", date(2024, 10, 10), date(2024, 10, 31))
    dialog.unit_checklist.set_checked(_ids(demo_db, "NHOM-PHUONG")[0], True)
    dialog.add_task()
    _fill_task(dialog, "Nhiệm vụ hai", date(2024, 10, 20), date(2024, 10, 15))
    dialog.select_task(0)  # the officer looks elsewhere before saving
    assert not dialog.save()
    assert dialog.error_banner.text() == (
        "Hạn hoàn thành (15/10/2024) trước ngày bắt đầu (20/10/2024) (nhiệm vụ 2).")
    assert dialog.current_index == 1 and dialog.tabs.currentIndex() == 0  # the faulty task is shown
    assert dialog.due_field.property("invalid") is True
    assert (_count(demo_db, Directive), _count(demo_db, Task), _count(demo_db, Assignment)) == before
    assert dialog.result() != DirectiveDialog.DialogCode.Accepted
    # Fixing the date saves both tasks.
    dialog.due_field.set_value(date(2024, 10, 25))
    assert dialog.save()
    assert _count(demo_db, Task) == before[1] + 2


def test_empty_names_are_refused(qtbot, db, messages):
    dialog = _dialog(qtbot, db)
    _fill_task(dialog, "Nhiệm vụ", None, None)
    assert not dialog.save()
    assert dialog.error_banner.text() == "Số ký hiệu văn bản không được để trống."
    assert dialog.number_edit.property("invalid") is True
    _fill_header(dialog)
    _fill_task(dialog, "   ", None, None)
    assert not dialog.save()
    assert dialog.error_banner.text() == "Tên nhiệm vụ (nhiệm vụ 1) không được để trống."
    dialog.task_title.setText("Nhiệm vụ")
    dialog.tabs.setCurrentIndex(1)
    dialog.add_indicator()
    dialog.indicator_table.item(0, 1).setText("buổi")  # a measure without a name
    assert not dialog.save()
    assert dialog.error_banner.text() == "Tên chỉ tiêu (nhiệm vụ 1) không được để trống."
    assert dialog.tabs.currentIndex() == 1
    assert _count(db, Directive) == 0


def test_periodic_task_with_indicators_and_file(qtbot, demo_db, messages, tmp_path):
    source = tmp_path / "Kế hoạch 15.pdf"
    source.write_bytes(b"%PDF-1.4 demo")
    ward = _ids(demo_db, "P-DK")[0]
    dialog = _dialog(qtbot, demo_db)
    _fill_header(dialog)
    dialog.set_attachment(source)
    _fill_task(dialog, "Báo cáo hằng tháng", date(2024, 10, 1), date(2024, 12, 31))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("dinh_ky"))
    dialog.recurrence.kind.setCurrentIndex(dialog.recurrence.kind.findData("monthly"))
    dialog.recurrence.day.setValue(5)
    assert "Chậm nhất ngày 05 hằng tháng" in dialog.recurrence_text.text()
    dialog.add_indicator()
    dialog.indicator_table.item(0, 0).setText("Số tin, bài")
    dialog.indicator_table.item(0, 1).setText("tin, bài")
    dialog.add_indicator()
    dialog.indicator_table.item(1, 0).setText("Kinh phí")
    dialog.indicator_table.cellWidget(1, 2).setCurrentIndex(1)  # số thập phân
    dialog.unit_checklist.set_checked(ward, True)
    assert dialog.save()
    with demo_db.session() as s:
        directive = find_directive(s, "15/KH-UBND")
        task = s.execute(select(Task).where(Task.directive_id == directive.id)).scalar_one()
        assert (task.kind, task.recurrence) == ("dinh_ky", "monthly:5")
        dues = sorted((a.period, a.due_date) for a in s.execute(
            select(Assignment).where(Assignment.task_id == task.id)).scalars())
        indicators = [(i.name, i.measure, i.value_type) for i in s.execute(
            select(Indicator).where(Indicator.task_id == task.id).order_by(Indicator.sort_order)).scalars()]
    assert dues == [("2024-10", date(2024, 11, 5)), ("2024-11", date(2024, 12, 5)), ("2024-12", date(2025, 1, 5))]
    assert indicators == [("Số tin, bài", "tin, bài", "integer"), ("Kinh phí", "", "decimal")]
    assert directive.file_path == "tep-dinh-kem/van-ban/Kế hoạch 15.pdf"
    assert (demo_db.folder / directive.file_path).read_bytes() == b"%PDF-1.4 demo"


def _task_of(db, number, order):
    with db.session() as s:
        d = find_directive(s, number)
        return s.execute(select(Task).where(Task.directive_id == d.id, Task.sort_order == order)).scalar_one()


def test_edit_saved_directive_units_dates_and_new_task(qtbot, demo_db, messages):
    task = _task_of(demo_db, "128/VHTT", 4)  # wards only, deadline 20/10/2024
    with demo_db.session() as s:
        assignments = s.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars().all()
        reported = {r for r in s.execute(select(UnitReport.assignment_id)).scalars()}
        extended = {e for e in s.execute(select(Extension.assignment_id)).scalars()}
    with_report = next(a for a in assignments if a.id in reported)
    untouched = next(a for a in assignments if a.id not in reported and a.state == "chua_thuc_hien"
                     and a.id not in extended)
    directive_id = task.directive_id
    dialog = _dialog(qtbot, demo_db, directive_id)
    assert dialog.windowTitle() == "Sửa văn bản chỉ đạo 128/VHTT"
    dialog.select_task(3)
    assert dialog.task_title.text() == task.title
    assert not dialog.kind_combo.isEnabled()  # assigned already
    checklist = dialog.unit_checklist
    checklist.set_checked(with_report.unit_id, False)  # refused at once, with the reason
    assert with_report.unit_id in checklist.roles()
    assert "đã báo cáo hoặc đã thực hiện" in messages.texts("warn")[-1]
    checklist.set_checked(untouched.unit_id, False)
    assert untouched.unit_id not in checklist.roles()
    dialog.due_field.set_value(date(2024, 10, 25))
    dialog.add_task()
    _fill_task(dialog, "Tổng kết, báo cáo kết quả", date(2024, 10, 4), date(2024, 11, 30))
    checklist.set_checked(_ids(demo_db, "VHTT")[0], True)
    assert dialog.save()
    with demo_db.session() as s:
        assert s.get(Assignment, untouched.id) is None
        kept = s.get(Assignment, with_report.id)
        assert kept is not None
        same_deadline = [a for a in s.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars()]
        assert {a.due_date for a in same_deadline} == {date(2024, 10, 25)}
        assert s.get(Task, task.id).due_date == date(2024, 10, 25)
        tasks = s.execute(select(Task).where(Task.directive_id == directive_id)
                          .order_by(Task.sort_order)).scalars().all()
        assert [t.title for t in tasks][-1] == "Tổng kết, báo cáo kết quả" and tasks[-1].sort_order == 8
        assert s.execute(select(Assignment.unit_id).where(Assignment.task_id == tasks[-1].id)).scalars().all() == \
            _ids(demo_db, "VHTT")


def test_remove_assignment_refusal_is_shown_and_nothing_saved(qtbot, demo_db, messages):
    """The backstop: if a report arrived after the dialog opened, saving the removal is refused."""
    task = _task_of(demo_db, "128/VHTT", 4)
    with demo_db.session() as s:
        reported = {r for r in s.execute(select(UnitReport.assignment_id)).scalars()}
        target = next(a for a in s.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars()
                      if a.id not in reported and a.state == "chua_thuc_hien")
    dialog = _dialog(qtbot, demo_db, task.directive_id)
    dialog.select_task(3)
    dialog.unit_checklist.set_checked(target.unit_id, False)
    dialog.task_title.setText("Ra quân Tổ Công nghệ số cộng đồng (sửa)")
    with demo_db.session() as s:  # meanwhile the unit's report is entered elsewhere
        ops.record_report(s, target.id, ops.ReportInput(received_on=DEMO_TODAY, content="Đã làm"), DEMO_TODAY)
    assert not dialog.save()
    assert "hãy chuyển sang «Hủy» thay vì xóa" in dialog.error_banner.text()
    with demo_db.session() as s:
        assert s.get(Assignment, target.id) is not None
        assert s.get(Task, task.id).title == task.title  # the whole save was rolled back
    assert dialog.result() != DirectiveDialog.DialogCode.Accepted


def test_cancel_with_changes_asks_and_discards(qtbot, demo_db, messages, monkeypatch):
    task = _task_of(demo_db, "128/VHTT", 1)
    dialog = _dialog(qtbot, demo_db, task.directive_id)
    assert not dialog.has_unsaved_changes()
    dialog.notes_edit.setText("Ghi chú mới")
    assert dialog.has_unsaved_changes()
    closed = []
    monkeypatch.setattr(dialog, "finish", lambda: closed.append(True))
    messages.save_choice = messages.save_choice.CANCEL
    dialog.reject()
    assert messages.asked and closed == []  # "Hủy": stay in the dialog
    messages.save_choice = messages.save_choice.DISCARD
    dialog.reject()
    assert closed == [True]
    with demo_db.session() as s:
        assert "Ghi chú mới" not in s.get(Directive, task.directive_id).notes


def test_saving_header_only_leaves_tasks_and_assignments_untouched(qtbot, demo_db, messages):
    task = _task_of(demo_db, "128/VHTT", 1)
    with demo_db.session() as s:
        versions = {t.id: t.version for t in s.execute(select(Task).where(Task.directive_id == task.directive_id))
                    .scalars()}
        last_log = s.execute(select(func.max(ChangeLog.id))).scalar_one()
    dialog = _dialog(qtbot, demo_db, task.directive_id)
    dialog.select_task(2)  # looking at tasks changes nothing
    dialog.notes_edit.setText("Đã trình lãnh đạo Phòng.")
    assert dialog.save()
    with demo_db.session() as s:
        assert {t.id: t.version for t in s.execute(select(Task).where(
            Task.directive_id == task.directive_id)).scalars()} == versions
        changed = s.execute(select(ChangeLog.table_name, ChangeLog.field).where(ChangeLog.id > last_log)).all()
    assert set(changed) == {("directive", "notes")}


def test_received_date_round_trips_through_the_dialog(qtbot, demo_db, messages):
    from datetime import date as _date

    from sqlalchemy import select as _select

    from db.models import Directive
    from desktop.ui.dialogs import DirectiveDialog

    with demo_db.session() as s:
        did = s.execute(_select(Directive.id).where(Directive.number == "128/VHTT")).scalar_one()
    dlg = DirectiveDialog(demo_db, did, today=_date(2024, 10, 8))
    qtbot.addWidget(dlg)
    dlg.received_on.set_value(_date(2024, 10, 5))
    assert dlg.save()
    with demo_db.session() as s:
        assert s.get(Directive, did).received_on == _date(2024, 10, 5)
    again = DirectiveDialog(demo_db, did, today=_date(2024, 10, 8))
    qtbot.addWidget(again)
    assert again.received_on.value() == _date(2024, 10, 5)
