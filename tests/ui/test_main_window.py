"""The main window driven like the officer does, on the demo database (DEMO_TODAY)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QTableView, QTreeView, QWidget
from sqlalchemy import func, select

from db.models import Assignment, AssignmentState, UnitReport
from db.queries import assignment_rows, find_unit
from desktop.cli.core import status_payload
from desktop.infra.database import open_database
from desktop.services.demo import DEMO_TODAY
from desktop.tracking import board, labels
from desktop.tracking.status import Status
from desktop.ui import common
from desktop.ui.models import STATUS_ROLE, TaskTableModel

from .conftest import wait_idle


def _payload_by_id(db):
    payload = status_payload(db, None, None, DEMO_TODAY)
    with db.session() as s:
        rows = assignment_rows(s)
    return payload, {r.assignment_id: a for r, a in zip(rows, payload["assignments"])}


def _select_unit(qtbot, window, code: str) -> int:
    with window.db.session() as s:
        unit_id = find_unit(s, code).id
    window.unit_tree.setCurrentIndex(window.tree_model.index_of(unit_id))
    wait_idle(qtbot, window)
    return unit_id


def test_stable_object_names(window):
    for name, cls in (("unitTree", QTreeView), ("taskTable", QTableView), ("assignmentTable", QTableView),
                      ("resultForm", QWidget), ("matrixView", QWidget), ("dashboard", QWidget),
                      ("searchBox", QWidget)):
        assert window.findChild(cls, name) is not None, name


def test_selecting_dong_khe_shows_only_its_assignments(qtbot, window, demo_db):
    assert window.task_model.rowCount() == len({(r.task_id, r.period) for r in _all_rows(demo_db)})
    unit_id = _select_unit(qtbot, window, "P-DK")
    with demo_db.session() as s:
        rows = assignment_rows(s, unit_ids=[unit_id])
    lines = window.task_model.rows()
    assert lines and {line.key for line in lines} == {(r.task_id, r.period) for r in rows}
    seen = 0
    for row in range(window.task_model.rowCount()):
        window.task_table.selectRow(row)
        units = {t.row.unit_id for t in window.assignment_model.rows()}
        assert units == {unit_id}
        seen += window.assignment_model.rowCount()
    assert seen == len(rows)
    window.tabs.setCurrentIndex(2)
    wait_idle(qtbot, window)
    assert [b.unit_id for b in window.dashboard.data().units] == [unit_id]
    window.tabs.setCurrentIndex(1)
    wait_idle(qtbot, window)
    grid = window.matrix.model.grid()
    assert [c.unit_id for c in grid.columns] == [unit_id]
    assert "Đông Khê" in window.status_label.text()


def _all_rows(db):
    with db.session() as s:
        return assignment_rows(s)


def _overdue_without_report(db):
    payload, by_id = _payload_by_id(db)
    with db.session() as s:
        reported = set(s.execute(select(UnitReport.assignment_id)).scalars())
        for r in assignment_rows(s):
            if (by_id[r.assignment_id]["status"] == "overdue" and r.assignment_id not in reported
                    and r.effective_due - timedelta(days=1) >= (r.task_start or r.effective_due)):
                return r
    raise AssertionError("the demo has an overdue assignment without report")


def test_completion_before_deadline_and_accept_turns_green_and_survives_restart(qtbot, make_window, any_demo_db,
                                                                                messages):
    demo_db = any_demo_db
    window = make_window(demo_db)
    row = _overdue_without_report(demo_db)
    assert window.show_assignment(row.assignment_id)
    form = window.form
    assert form.chip.property("status") == Status.OVERDUE.value
    done_on = row.effective_due - timedelta(days=1)
    form.completed_edit.set_value(done_on)
    assert form.is_dirty() and window.isWindowModified()
    form.received_edit.set_value(done_on)  # the received date is never assumed (empty until given)
    qtbot.mouseClick(form.accept_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not messages.texts("warn") and not messages.texts("error")
    assert form.chip.property("status") == Status.ON_TIME.value
    assert form.chip.text() == labels.STATUS[Status.ON_TIME.value]
    assert not form.is_dirty()
    # The assignment list shows it green too.
    arow = window.assignment_model.row_of_key(row.assignment_id)
    assert arow >= 0
    index = window.assignment_model.index(arow, window.assignment_model.C_STATUS)
    assert window.assignment_model.data(index, STATUS_ROLE) == Status.ON_TIME.value
    brush = window.assignment_model.data(index, Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name().upper() == labels.STATUS_FILL[Status.ON_TIME.value].upper()
    assert any(e.table == "assignment" and e.field == "state" for e in form.history_model.rows())
    window.close()
    # A restart: a new connection to the same file, a new window.
    again = open_database(demo_db.location)
    try:
        second = make_window(again)
        assert second.show_assignment(row.assignment_id)
        assert second.form.chip.property("status") == Status.ON_TIME.value
        assert second.form.completed_edit.value() == done_on
        with again.session() as s:
            a = s.get(Assignment, row.assignment_id)
            assert (a.state, a.completed_on, a.accepted_on) == (AssignmentState.DONE.value, done_on, DEMO_TODAY)
        second.close()
    finally:
        again.dispose()


def _db_state(db, assignment_id):
    with db.session() as s:
        a = s.get(Assignment, assignment_id)
        reports = s.execute(select(func.count(UnitReport.id)).where(UnitReport.assignment_id == assignment_id)).scalar()
        return (a.state, a.completed_on, a.version, reports)


def test_invalid_date_is_refused_with_a_message_and_nothing_saved(qtbot, window, demo_db, messages):
    row = _overdue_without_report(demo_db)
    before = _db_state(demo_db, row.assignment_id)
    window.show_assignment(row.assignment_id)
    form = window.form
    # A completion date after today.
    form.completed_edit.set_value(DEMO_TODAY + timedelta(days=3))
    form.content_edit.setPlainText("Đã thực hiện")
    form.received_edit.set_value(DEMO_TODAY)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert messages.texts("warn") == ["Ngày hoàn thành không được sau ngày hôm nay."]
    assert _db_state(demo_db, row.assignment_id) == before
    assert form.is_dirty(), "the officer's input stays on screen"
    # A completion date before the task started.
    form.completed_edit.set_value(row.task_start - timedelta(days=1))
    qtbot.mouseClick(form.accept_button, Qt.MouseButton.LeftButton)
    assert "trước ngày bắt đầu nhiệm vụ" in messages.texts("warn")[-1]
    assert _db_state(demo_db, row.assignment_id) == before
    # Typing in an empty field starts from today's date (the calendar does not open in 1900).
    form.received_edit.clear_value()
    form.received_edit.setFocus()
    qtbot.keyClicks(form.received_edit, "05")
    assert form.received_edit.value() == DEMO_TODAY.replace(day=5)
    form.received_edit.clear_value()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert messages.texts("warn")[-1] == "Cần nhập ngày nhận báo cáo."
    assert _db_state(demo_db, row.assignment_id) == before
    form.received_edit.set_value(DEMO_TODAY)
    # A figure of the wrong type.
    with demo_db.session() as s:
        detail = board.assignment_detail(s, row.assignment_id, DEMO_TODAY, 3)
    if detail.indicators:
        form.completed_edit.set_value(row.effective_due)
        edit = form._figure_edits[0][1]
        edit.setText("mười hai")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        assert "phải là số" in messages.texts("warn")[-1]
        assert _db_state(demo_db, row.assignment_id) == before


def test_grid_agrees_with_status_json(qtbot, make_window, any_demo_db):
    demo_db = any_demo_db
    window = make_window(demo_db)
    payload, by_id = _payload_by_id(demo_db)
    window.tabs.setCurrentIndex(1)
    wait_idle(qtbot, window)
    combo = window.matrix.directive_combo
    cells = 0
    for i in range(combo.count()):
        combo.setCurrentIndex(i)
        combo.activated.emit(i)
        wait_idle(qtbot, window)
        model = window.matrix.model
        grid = model.grid()
        assert grid.directive_id == combo.itemData(i)
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                t = model.tracked_at(model.index(r, c))
                if t is None:
                    continue
                cells += 1
                expected = by_id[t.row.assignment_id]["status"]
                assert model.data(model.index(r, c), STATUS_ROLE) == expected
                assert model.data(model.index(r, c)) == labels.STATUS_MARK[expected]
        count = Counter(a["directive"] for a in payload["assignments"])[grid.directive_number]
        assert len(grid.cells) == count
    assert cells == len(payload["assignments"])


def test_clicking_a_grid_cell_opens_its_result(qtbot, window):
    window.tabs.setCurrentIndex(1)
    wait_idle(qtbot, window)
    view = window.matrix.table
    model = window.matrix.model
    index = next(model.index(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())
                 if model.tracked_at(model.index(r, c)) is not None)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.form.assignment_id == model.tracked_at(index).row.assignment_id


def test_dashboard_agrees_with_status_json(qtbot, make_window, any_demo_db):
    demo_db = any_demo_db
    window = make_window(demo_db)
    payload, _ = _payload_by_id(demo_db)
    window.tabs.setCurrentIndex(2)
    wait_idle(qtbot, window)
    data = window.dashboard.data()
    assert data.overall.as_dict() == payload["summary"]
    s = payload["summary"]
    rate = labels.fmt_percent(s["on_time_rate"])
    assert window.dashboard.card_on_time.value.text() == f"{s['on_time']} ({rate})"
    assert window.dashboard.card_pending.value.text() == str(s["pending_review"]) and s["pending_review"]
    assert window.dashboard.card_overdue.value.text().startswith(f"{s['overdue']} (")
    assert window.dashboard.overdue_model.rowCount() == s["overdue"]
    per_unit = defaultdict(Counter)
    for a in payload["assignments"]:
        per_unit[a["unit"]][a["status"]] += 1
    with demo_db.session() as sess:
        names = {n.id: n.name for n in board.unit_tree(sess, DEMO_TODAY)}
    for bar in window.dashboard.bars.bars():
        counts = per_unit[names[bar.unit_id]]
        assert (bar.summary.on_time, bar.summary.late, bar.summary.overdue) == (
            counts["on_time"], counts["late"], counts["overdue"])
    window.dashboard.overdue_view.selectRow(0)
    first = window.dashboard.overdue_model.row_at(0)
    window.dashboard.overdue_view.clicked.emit(window.dashboard.overdue_model.index(0, 0))
    assert window.form.assignment_id == first.row.assignment_id


def test_status_filter_and_period(qtbot, window, demo_db):
    payload, by_id = _payload_by_id(demo_db)
    combo = window.status_filter
    combo.setCurrentIndex(combo.findData(board.FILTER_OVERDUE))
    wait_idle(qtbot, window)
    overdue_keys = {(r.task_id, r.period) for r in _all_rows(demo_db) if by_id[r.assignment_id]["status"] == "overdue"}
    assert {line.key for line in window.task_model.rows()} == overdue_keys
    window.task_table.selectRow(0)
    assert window.assignment_model.rowCount() > 0
    assert all(t.status is Status.OVERDUE for t in window.assignment_model.rows())
    combo.setCurrentIndex(combo.findData(board.FILTER_ALL))
    window.period_filter.setCurrentIndex(window.period_filter.findData("month"))
    wait_idle(qtbot, window)
    for line in window.task_model.rows():
        assert line.deadline and line.deadline.year == 2024 and line.deadline.month == 10
    window.period_filter.setCurrentIndex(window.period_filter.findData("custom"))
    wait_idle(qtbot, window)
    assert window.period_from.isVisible() and window.period_from.value().month == 10
    window.period_from.set_value(DEMO_TODAY.replace(year=2022, month=1, day=1))
    window.period_to.set_value(DEMO_TODAY.replace(year=2022, month=12, day=31))
    wait_idle(qtbot, window)
    assert window.task_model.rows() and all(line.deadline.year == 2022 for line in window.task_model.rows())


def test_unsaved_changes_prompt_when_switching(qtbot, window, demo_db, messages):
    window.task_table.selectRow(1)
    assert window.assignment_model.rowCount() >= 2
    window.assignment_table.selectRow(0)
    first = window.form.assignment_id
    before = _db_state(demo_db, first)
    window.form.content_edit.setPlainText("Nội dung đang nhập dở")
    assert window.form.is_dirty()
    # Hủy: stay on the first one, nothing lost.
    messages.save_choice = common.SaveChoice.CANCEL
    window.assignment_table.selectRow(1)
    assert len(messages.asked) == 1
    assert window.form.assignment_id == first
    assert window.form.content_edit.toPlainText() == "Nội dung đang nhập dở"
    assert window.assignment_table.currentIndex().row() == window.assignment_model.row_of_key(first)
    # Không lưu: move on, the database is untouched.
    messages.save_choice = common.SaveChoice.DISCARD
    window.assignment_table.selectRow(1)
    second = window.form.assignment_id
    assert second != first and _db_state(demo_db, first) == before
    # Lưu: the edit is saved before moving on.
    window.form.content_edit.setPlainText("Báo cáo bổ sung của đơn vị")
    window.form.received_edit.set_value(DEMO_TODAY)
    messages.save_choice = common.SaveChoice.SAVE
    window.assignment_table.selectRow(0)
    wait_idle(qtbot, window)
    assert window.form.assignment_id == first
    with demo_db.session() as s:
        latest = s.execute(select(UnitReport).where(UnitReport.assignment_id == second)
                           .order_by(UnitReport.id.desc())).scalars().first()
    assert latest.content == "Báo cáo bổ sung của đơn vị"


def test_closing_with_unsaved_changes_asks(qtbot, window, messages):
    window.task_table.selectRow(0)
    window.assignment_table.selectRow(0)
    window.form.doc_edit.setText("99/BC-UBND")
    messages.save_choice = common.SaveChoice.CANCEL
    assert not window.close()
    assert window.isVisible() and messages.asked
    messages.save_choice = common.SaveChoice.DISCARD
    assert window.close()


def test_conflict_shows_message_and_reloads(qtbot, window, demo_db, messages):
    row = _overdue_without_report(demo_db)
    window.show_assignment(row.assignment_id)
    window.form.content_edit.setPlainText("Bản của tôi")
    window.form.received_edit.set_value(DEMO_TODAY)
    from desktop.services import operations as ops

    with demo_db.session() as s:  # a colleague changes it meanwhile
        ops.set_state(s, row.assignment_id, AssignmentState.IN_PROGRESS.value, DEMO_TODAY)
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert messages.texts("error") and "sau khi anh/chị mở" in messages.texts("error")[0]
    assert window.form.state_combo.currentData() == AssignmentState.IN_PROGRESS.value
    assert not window.form.is_dirty()


def test_return_for_more(qtbot, window, demo_db, messages):
    with demo_db.session() as s:
        aid = s.execute(select(Assignment.id).where(Assignment.state == AssignmentState.REPORTED.value)).scalar()
    window.show_assignment(aid)
    qtbot.mouseClick(window.form.return_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    with demo_db.session() as s:
        a = s.get(Assignment, aid)
        assert a.state == AssignmentState.RETURNED.value
        assert "Đề nghị bổ sung số liệu" in a.note
    assert window.form.state_combo.currentData() == AssignmentState.RETURNED.value


def test_ui_state_is_remembered_in_an_ini_file(qtbot, make_window, demo_db, tmp_path):
    first = make_window(demo_db)
    first.main_splitter.setSizes([260, 700, 380])  # within the 1366-pixel test screen, each pane above its minimum
    first.task_table.setColumnWidth(TaskTableModel.C_NUMBER, 177)
    first.tabs.setCurrentIndex(2)
    wait_idle(qtbot, first)
    sizes = first.main_splitter.sizes()
    first.close()
    ini = list((tmp_path / "qsettings").rglob("*.ini"))
    assert ini, "QSettings writes an INI file"
    assert QSettings.defaultFormat() is not None
    second = make_window(demo_db)
    assert second.main_splitter.sizes() == sizes
    assert second.task_table.columnWidth(TaskTableModel.C_NUMBER) == 177
    assert second.tabs.currentIndex() == 2
    assert isinstance(common.ui_settings().value("main/geometry"), QByteArray)


def test_menus_are_vietnamese_with_windows_shortcuts(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["Tệp", "Sửa", "Xem", "Báo cáo", "Công cụ", "Trợ giúp"]
    shortcuts = {a.objectName(): a.shortcut().toString() for a in window.findChildren(type(window.act_save))}
    assert shortcuts["actSave"] == "Ctrl+S"
    assert shortcuts["actFind"] == "Ctrl+F"
    assert shortcuts["actReload"] == "F5"
    assert shortcuts["actNewDirective"] == "Ctrl+N"


def test_tool_menu_reaches_its_modules_by_plain_imports(window, monkeypatch):
    """The menu entries without a method of their own call their module's entry point with the
    window and the database (no string imports: the modules are found by PyInstaller's analysis)."""
    import desktop.ui.first_run as first_run
    import desktop.ui.reorganisation_dialog as reorganisation
    import desktop.ui.transfer_actions as transfer

    calls = []
    for module, name in ((transfer, "transfer_data"), (first_run, "run_first_run"),
                         (reorganisation, "reorganise_units")):
        monkeypatch.setattr(module, name, lambda parent, db, _n=name: calls.append((_n, parent, db)))
    for action_name in ("actTransfer", "actFirstRun", "actReorganise"):
        window.findChild(QAction, action_name).trigger()
    assert calls == [(name, window, window.db) for name in ("transfer_data", "run_first_run", "reorganise_units")]


@pytest.mark.parametrize("method,module,name", [
    ("new_directive", "desktop.ui.dialogs", "DirectiveDialog"),
    ("edit_directive", "desktop.ui.dialogs", "DirectiveDialog"),
    ("edit_units", "desktop.ui.dialogs", "UnitsDialog"),
    ("edit_settings", "desktop.ui.dialogs", "SettingsDialog"),
    ("extend_deadline", "desktop.ui.dialogs", "ExtensionDialog"),
    ("log_reminder", "desktop.ui.dialogs", "ReminderDialog"),
    ("intake_directive", "desktop.ui.intake_wizard", "IntakeWizard"),
])
def test_dialogs_are_built_with_their_real_signatures(qtbot, window, monkeypatch, method, module, name):
    """The real dialog classes, built by the menu actions; exec() answers Accepted so the window reloads."""
    import importlib

    cls = getattr(importlib.import_module(module), name)
    built = []
    monkeypatch.setattr(cls, "exec", lambda self: (built.append((type(self), self.parent())),
                                                   QDialog.DialogCode.Accepted)[1])
    window.task_table.selectRow(0)
    window.assignment_table.selectRow(0)
    reloaded = []
    window.refreshed.connect(lambda: reloaded.append(True))
    getattr(window, method)()
    wait_idle(qtbot, window)
    assert built == [(cls, window)]
    assert reloaded


def test_exports_are_called_with_their_signatures(window, monkeypatch):
    """The menu calls the other modules' real entry points the way their signatures allow."""
    import inspect

    import desktop.ui.document_actions as docs
    import desktop.ui.safety_actions as safety
    import desktop.ui.workbook_actions as books

    calls = []

    def recorder(module, name):
        signature = inspect.signature(getattr(module, name))

        def fake(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)  # TypeError if the window calls it wrongly
            calls.append((name, dict(bound.arguments)))
        monkeypatch.setattr(module, name, fake)

    for module, name in ((docs, "export_report"), (docs, "export_reminder"), (books, "export_excel"),
                         (books, "export_templates"), (books, "import_files"), (safety, "backup_now"),
                         (safety, "restore_backup"), (safety, "check_data")):
        recorder(module, name)
    window.set_directive_filter(window.directive_filter.itemData(1))
    directive_id = window.directive_filter_value()
    window.export_report()
    window.export_reminder()
    window.export_excel()
    window.export_templates()
    window.import_results()
    window.backup_now()
    window.restore_backup()
    window.check_data()
    names = [name for name, _ in calls]
    assert names == ["export_report", "export_reminder", "export_excel", "export_templates", "import_files",
                     "backup_now", "restore_backup", "check_data"]
    args = dict(calls)
    assert args["export_report"]["directive_id"] == directive_id and args["export_report"]["today"] == DEMO_TODAY
    assert args["export_reminder"]["directive_id"] == directive_id
    assert args["export_excel"]["directive_id"] == directive_id
    assert args["export_templates"].get("unit_ids") is None
    assert args["import_files"]["today"] == DEMO_TODAY
    assert all(a["parent"] is window for _, a in calls)



def test_accepting_a_waiting_report_keeps_its_completion_date(qtbot, window, demo_db, messages):
    with demo_db.session() as s:
        a = s.execute(select(Assignment).where(Assignment.state == AssignmentState.REPORTED.value)).scalars().first()
        aid, done_on = a.id, a.completed_on
        reports = s.execute(select(func.count(UnitReport.id)).where(UnitReport.assignment_id == aid)).scalar()
    window.show_assignment(aid)
    assert window.form.completed_edit.value() == done_on
    qtbot.mouseClick(window.form.accept_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    state, completed, _version, count = _db_state(demo_db, aid)
    assert (state, completed, count) == (AssignmentState.DONE.value, done_on, reports), "no second report"
    assert window.form.chip.property("status") in (Status.ON_TIME.value, Status.LATE.value)


def test_changing_only_the_state_pauses_the_assignment(qtbot, window, demo_db, messages):
    row = _overdue_without_report(demo_db)
    window.show_assignment(row.assignment_id)
    window.form.state_combo.setCurrentIndex(window.form.state_combo.findData(AssignmentState.PAUSED.value))
    window.act_save.trigger()  # Ctrl+S
    wait_idle(qtbot, window)
    state, _completed, _version, count = _db_state(demo_db, row.assignment_id)
    assert (state, count) == (AssignmentState.PAUSED.value, 0)
    assert window.form.chip.property("status") == Status.PAUSED.value
    assert not window.form.accept_button.isEnabled()
    # The tree's overdue count went down by one.
    with demo_db.session() as s:
        expected = sum(n.overdue for n in board.unit_tree(s, DEMO_TODAY))
    root = window.tree_model.index(0, 1)
    assert window.tree_model.data(root) == str(expected)


def test_window_title_and_about_never_show_a_server_password(make_window, demo_db, messages, monkeypatch):
    w = make_window(demo_db)
    monkeypatch.setattr(w.db, "location", "postgresql://vhtt:MatKhau123@192.168.1.10:5432/theodoi")
    assert "MatKhau123" not in w._db_label() and "192.168.1.10" in w._db_label()
    w.show_about()
    assert messages.shown and not any("MatKhau123" in text for text in messages.texts())


def test_remembered_dashboard_tab_loads_once_after_the_tree_and_tasks(make_window, demo_db, monkeypatch):
    from desktop.ui import common, worker
    from desktop.ui.main_window import TAB_DASHBOARD

    settings = common.ui_settings()
    settings.setValue("main/tab", TAB_DASHBOARD)
    settings.sync()
    channels = []
    submit = worker.Runner.submit

    def recording(self, channel, fn, on_done):
        channels.append(channel)
        return submit(self, channel, fn, on_done)

    monkeypatch.setattr(worker.Runner, "submit", recording)
    window = make_window(demo_db)
    assert window.tabs.currentIndex() == TAB_DASHBOARD
    assert channels.count("dashboard") == 1  # not once for the restored tab and again on reload
    assert channels.index("tree") < channels.index("tasks") < channels.index("dashboard")
    assert window.dashboard.card_assigned.value.text() == "330"  # the demo's 345 less 15 paused or cancelled
