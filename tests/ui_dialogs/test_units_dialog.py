"""UnitsDialog: add, duplicate code refused, rename keeps history, archive, merge moves open work."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Assignment, Unit, UnitNameHistory
from db.queries import find_unit
from desktop.services import operations as ops
from desktop.ui.dialogs import UnitsDialog
from tests.conftest import DEMO_TODAY


def _dialog(qtbot, db):
    dialog = UnitsDialog(db, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    return dialog


def _unit_id(db, code):
    with db.session() as s:
        return find_unit(s, code).id


def _fill(dialog, code, name, **extra):
    dialog.code_edit.setText(code)
    dialog.name_edit.setText(name)
    for attr, value in extra.items():
        getattr(dialog, attr).setText(value)


def test_add_group_then_unit_under_it(qtbot, db, messages):
    dialog = _dialog(qtbot, db)
    dialog.start_new(is_group=True)
    _fill(dialog, "nhom-p", "UBND các phường")
    assert dialog.save_unit()
    group_id = _unit_id(db, "NHOM-P")
    assert dialog.current.id == group_id and dialog.current.is_group
    dialog.start_new(is_group=False)
    assert dialog.parent_combo.currentData() == group_id  # new unit goes under the selected group
    _fill(dialog, "P-DK", "UBND phường Đông Khê", email_edit="ubnd.dk@haiphong.gov.vn")
    assert dialog.save_unit()
    with db.session() as s:
        unit = find_unit(s, "P-DK")
        assert (unit.parent_id, unit.is_group, unit.email) == (group_id, False, "ubnd.dk@haiphong.gov.vn")
    assert dialog.items[unit.id].parent() is dialog.items[group_id]
    assert dialog.saved
    dialog.reject()
    assert dialog.result() == UnitsDialog.DialogCode.Accepted


def test_duplicate_code_and_empty_name_refused(qtbot, db, messages):
    with db.session() as s:
        ops.add_unit(s, ops.UnitInput(code="VHTT", name="Phòng Văn hóa và Thông tin"))
    dialog = _dialog(qtbot, db)
    dialog.start_new(is_group=False)
    _fill(dialog, "vhtt", "Phòng khác")
    assert not dialog.save_unit()
    assert "VHTT" in dialog.error_banner.text() and "đã được dùng" in dialog.error_banner.text()
    assert dialog.code_edit.property("invalid") is True
    _fill(dialog, "MOI", "   ")
    assert not dialog.save_unit()
    assert dialog.error_banner.text() == "Tên đơn vị không được để trống."
    assert dialog.name_edit.property("invalid") is True
    assert dialog.code_edit.property("invalid") is False
    with db.session() as s:
        assert [u.code for u in s.execute(select(Unit)).scalars()] == ["VHTT"]
    assert not dialog.saved
    dialog.reject()
    assert dialog.result() == UnitsDialog.DialogCode.Rejected


def test_rename_keeps_history_and_shows_it(qtbot, demo_db, messages):
    uid = _unit_id(demo_db, "P-DK")
    dialog = _dialog(qtbot, demo_db)
    dialog.select_unit(uid)
    assert dialog.name_edit.text() == "UBND phường Đông Khê"
    assert dialog.history_table.rowCount() == 0
    dialog.name_edit.setText("UBND phường Đông Khê mới")
    dialog.name_edit.textEdited.emit("UBND phường Đông Khê mới")  # as typing does
    assert dialog.renamed_on.isVisibleTo(dialog)
    assert dialog.save_unit()
    with demo_db.session() as s:
        history = s.execute(select(UnitNameHistory).where(UnitNameHistory.unit_id == uid)).scalars().all()
        assert [(h.old_name, h.new_name, h.changed_on) for h in history] == [
            ("UBND phường Đông Khê", "UBND phường Đông Khê mới", DEMO_TODAY)]
    assert dialog.history_table.rowCount() == 1
    assert dialog.history_table.item(0, 1).text() == "UBND phường Đông Khê"
    assert dialog.history_table.item(0, 0).text() == "08/10/2024"


def test_unsaved_changes_are_asked_about_when_switching(qtbot, demo_db, messages):
    dialog = _dialog(qtbot, demo_db)
    dialog.select_unit(_unit_id(demo_db, "P-DK"))
    dialog.phone_edit.setText("0900")
    dialog.phone_edit.textEdited.emit("0900")
    messages.save_choice = messages.save_choice.SAVE
    dialog.select_unit(_unit_id(demo_db, "P-MC"))
    qtbot.waitUntil(lambda: dialog.current.code == "P-MC")
    assert messages.asked and "chưa lưu" in messages.asked[0]
    with demo_db.session() as s:
        assert find_unit(s, "P-DK").phone == "0900"
    assert dialog.current.code == "P-MC"


def test_move_to_another_group(qtbot, demo_db, messages):
    uid, target_group = _unit_id(demo_db, "TTVH"), _unit_id(demo_db, "NHOM-PHONG")
    dialog = _dialog(qtbot, demo_db)
    dialog.select_unit(uid)
    dialog.parent_combo.setCurrentIndex(dialog.parent_combo.findData(target_group))
    assert dialog.save_unit()
    with demo_db.session() as s:
        assert s.get(Unit, uid).parent_id == target_group
    assert dialog.items[uid].parent() is dialog.items[target_group]


def test_archive_and_restore(qtbot, demo_db, messages):
    uid = _unit_id(demo_db, "P-MC")
    dialog = _dialog(qtbot, demo_db)
    dialog.select_unit(uid)
    assert dialog.toggle_archive()
    assert "Lưu trữ «UBND phường Máy Chai»" in messages.asked[-1]
    with demo_db.session() as s:
        unit = s.get(Unit, uid)
        assert (unit.active, unit.archived_on) == (False, DEMO_TODAY)
    assert "(đã lưu trữ)" in dialog.items[uid].text(0)
    assert dialog.archive_button.text() == "Khôi phục"
    assert dialog.toggle_archive()
    with demo_db.session() as s:
        assert s.get(Unit, uid).active


def test_archiving_a_group_with_active_units_is_refused(qtbot, demo_db, messages):
    gid = _unit_id(demo_db, "NHOM-PHUONG")
    dialog = _dialog(qtbot, demo_db)
    dialog.select_unit(gid)
    assert not dialog.toggle_archive()
    assert "còn 12 đơn vị" in dialog.error_banner.text()
    with demo_db.session() as s:
        assert s.get(Unit, gid).active


def _assignments(db, unit_id, states=None):
    with db.session() as s:
        stmt = select(Assignment).where(Assignment.unit_id == unit_id)
        if states:
            stmt = stmt.where(Assignment.state.in_(states))
        return {a.id: (a.task_id, a.period) for a in s.execute(stmt).scalars()}


def test_merge_moves_open_assignments_after_confirmation(qtbot, demo_db, messages):
    """2025: wards Máy Tơ and Máy Chai are merged into a new ward."""
    open_states = ("chua_thuc_hien", "dang_thuc_hien", "tra_lai")
    first, second = _unit_id(demo_db, "P-MT"), _unit_id(demo_db, "P-MC")
    with demo_db.session() as s:
        new_ward = ops.add_unit(s, ops.UnitInput(code="P-MOI", name="UBND phường Máy Chai (mới)", kind="phuong",
                                                 parent_id=_unit_id(demo_db, "NHOM-PHUONG"))).id
    first_all, first_open = _assignments(demo_db, first), _assignments(demo_db, first, open_states)
    first_rest = {aid: key for aid, key in first_all.items() if aid not in first_open}
    assert first_open and first_rest
    dialog = _dialog(qtbot, demo_db)
    dialog.select_unit(first)
    messages.answer = False  # the officer says no: nothing changes
    assert not dialog.merge_into(new_ward)
    assert f"{len(first_open)} nhiệm vụ chưa hoàn thành của «UBND phường Máy Tơ»" in messages.asked[-1]
    with demo_db.session() as s:
        assert s.get(Unit, first).active
    assert _assignments(demo_db, new_ward) == {}

    messages.answer = True
    assert dialog.merge_into(new_ward)
    with demo_db.session() as s:
        unit = s.get(Unit, first)
        assert (unit.active, unit.merged_into_id, unit.merged_on) == (False, new_ward, DEMO_TODAY)
    assert _assignments(demo_db, new_ward) == first_open  # open work moved
    assert _assignments(demo_db, first) == first_rest  # reported and finished work stays with who did it
    assert f"đã chuyển {len(first_open)} nhiệm vụ" in messages.texts("info")[-1]
    assert "đã sáp nhập vào UBND phường Máy Chai (mới)" in dialog.items[first].text(0)

    # The second ward had the same tasks: the ones the new ward already holds stay where they are.
    second_open = _assignments(demo_db, second, open_states)
    clashing = {aid for aid, key in second_open.items() if key in set(first_open.values())}
    assert clashing
    dialog.select_unit(second)
    assert dialog.merge_into(new_ward)
    assert f"{len(second_open) - len(clashing)} nhiệm vụ chưa hoàn thành" in messages.asked[-1]
    assert f"{len(clashing)} nhiệm vụ khác «UBND phường Máy Chai (mới)» cũng được giao" in messages.asked[-1]
    assert set(_assignments(demo_db, second, open_states)) == clashing


def test_merge_into_itself_is_refused(qtbot, demo_db, messages):
    uid = _unit_id(demo_db, "P-MT")
    dialog = _dialog(qtbot, demo_db)
    dialog.select_unit(uid)
    assert not dialog.merge_into(uid)
    assert "chính nó" in dialog.error_banner.text()
    assert not messages.asked


def test_filter_without_diacritics(qtbot, demo_db, messages):
    dialog = _dialog(qtbot, demo_db)
    dialog.filter_edit.setText("dong khe")
    visible = [uid for uid, item in dialog.items.items() if not item.isHidden()]
    names = {dialog.by_id[uid].name for uid in visible}
    assert "UBND phường Đông Khê" in names and "UBND các phường" in names  # the match and its group
    assert "UBND phường Máy Chai" not in names
