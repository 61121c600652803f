"""Saves run on the writer thread (issue 18): the window keeps painting and the officer's clicks wait;
what the save says (saved, refused, conflict) comes back to the same place as before."""

from __future__ import annotations

import threading
from datetime import date

from PySide6.QtCore import Qt, QTimer
from sqlalchemy import func, select

from db.models import Assignment, AssignmentState, Unit, UnitReport
from desktop.infra.database import Database
from desktop.services.demo import DEMO_TODAY
from desktop.services.operations import results

from .test_main_window import _overdue_without_report


def _state(db, assignment_id):
    with db.session() as s:
        reports = s.execute(select(func.count(UnitReport.id)).where(UnitReport.assignment_id == assignment_id))
        return s.get(Assignment, assignment_id).state, reports.scalar_one()


def _report_typed(window, demo_db):
    """An overdue assignment without report, shown in the form with a report typed in (not saved)."""
    row = _overdue_without_report(demo_db)
    window.show_assignment(row.assignment_id)
    form = window.form
    form.received_edit.set_value(DEMO_TODAY)
    form.content_edit.setPlainText("Đã tổ chức tuyên truyền tại trụ sở.")
    return row, form


def test_a_result_is_saved_on_the_writer_thread_while_the_window_stays_alive(qtbot, window, demo_db, monkeypatch,
                                                                             messages):
    row, form = _report_typed(window, demo_db)
    release = threading.Event()
    seen: dict[str, object] = {}
    original = results.save_result

    def slow_save(*args, **kwargs):
        seen["thread"] = threading.current_thread()
        assert release.wait(30), "the GUI thread never let the save go on"
        return original(*args, **kwargs)

    def while_saving():  # on the GUI thread, while the save waits on the writer thread
        if "thread" not in seen:
            QTimer.singleShot(5, while_saving)
            return
        seen["gui_ran"] = True
        seen["closed"] = window.close()  # refused: the window does not close halfway through a save
        qtbot.mouseClick(form.accept_button, Qt.MouseButton.LeftButton)  # dropped: no second change
        release.set()

    monkeypatch.setattr(results, "save_result", slow_save)
    QTimer.singleShot(0, while_saving)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert seen["thread"] is not threading.main_thread()
    assert seen["gui_ran"] is True and seen["closed"] is False
    assert window.isVisible()
    assert _state(demo_db, row.assignment_id) == (AssignmentState.REPORTED.value, 1), "saved once, not accepted"
    assert not form.is_dirty() and messages.texts("warn") == [] and messages.texts("error") == []


def test_a_refusal_on_the_writer_thread_is_shown_in_the_form_and_nothing_is_saved(qtbot, window, demo_db,
                                                                                monkeypatch, messages):
    row = _overdue_without_report(demo_db)
    window.show_assignment(row.assignment_id)
    form = window.form
    form.received_edit.set_value(DEMO_TODAY)
    form.content_edit.setPlainText("Đã xong")
    before = _state(demo_db, row.assignment_id)
    threads = []
    original = results.record_report

    def refused(session, *args, **kwargs):
        threads.append(threading.current_thread())
        original(session, *args, **kwargs)  # written, then refused: the transaction must roll back
        raise results.ValidationError("Số văn bản của đơn vị không hợp lệ.", "doc")

    monkeypatch.setattr(results, "record_report", refused)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert threads and threads[0] is not threading.main_thread()
    assert messages.texts("warn") == ["Số văn bản của đơn vị không hợp lệ."]
    assert _state(demo_db, row.assignment_id) == before
    assert form.is_dirty(), "the officer's input stays on screen"


def test_edit_dialogs_save_on_the_writer_thread(demo_db, qtbot, monkeypatch, messages):
    from desktop.ui.dialogs import UnitsDialog

    threads = []
    original = Database.in_transaction

    def recorded(self, work, context=""):
        threads.append(threading.current_thread())
        return original(self, work, context)

    monkeypatch.setattr(Database, "in_transaction", recorded)
    dialog = UnitsDialog(demo_db, None, today=date(2024, 10, 8))
    qtbot.addWidget(dialog)
    dialog.start_new(is_group=False)
    dialog.code_edit.setText("TDP-99")
    dialog.name_edit.setText("Tổ dân phố số 99")
    assert dialog.save_unit()
    assert threads and all(t is not threading.main_thread() for t in threads)
    with demo_db.session() as s:
        assert s.execute(select(Unit).where(Unit.code == "TDP-99")).scalar_one().name == "Tổ dân phố số 99"
    # a refusal raised on the writer thread comes back to the dialog's banner; nothing is added
    dialog.start_new(is_group=False)
    dialog.code_edit.setText("TDP-99")
    dialog.name_edit.setText("Tổ dân phố khác")
    assert not dialog.save_unit()
    assert "TDP-99" in dialog.error_banner.text()
    with demo_db.session() as s:
        assert s.execute(select(func.count()).select_from(Unit).where(Unit.code == "TDP-99")).scalar_one() == 1


def test_a_long_save_shows_dang_luu(qtbot, window, demo_db, monkeypatch, messages):
    """A save that outlasts a moment shows «Đang lưu…» over the window (it used to wait for a
    progress value that never came); it closes when the save ends."""
    from desktop.ui import background

    row, form = _report_typed(window, demo_db)
    release = threading.Event()
    made = []  # the dialogs this save makes (not those other tests left behind)
    seen: list[str] = []
    clocks: list[bool] = []
    original_save, original_dialog = results.save_result, background.progress_dialog

    def held(*args, **kwargs):
        assert release.wait(30)
        return original_save(*args, **kwargs)

    def recorded(*args, **kwargs):
        dialog = original_dialog(*args, **kwargs)
        made.append(dialog)
        return dialog

    def watch():  # on the GUI thread while the save is held: until the dialog shows (no time limit asserted)
        shown = [d for d in made if d.isVisible()]
        if shown:
            seen.append(shown[0].labelText())
            release.set()
            return
        # Qt starts the dialog's minimum-duration clock only at a value equal to its minimum;
        # otherwise it waits its default 4 s whatever minimumDuration says
        clocks.extend(d.value() == d.minimum() for d in made)
        QTimer.singleShot(20, watch)

    monkeypatch.setattr(results, "save_result", held)
    monkeypatch.setattr(background, "progress_dialog", recorded)
    QTimer.singleShot(0, watch)
    QTimer.singleShot(20_000, release.set)  # never hang the suite
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert len(made) == 1 and seen == ["Đang lưu…"]
    assert clocks and all(clocks), "the dialog's clock runs from the start of the save"
    assert not made[0].isVisible()
    assert _state(demo_db, row.assignment_id) == (AssignmentState.REPORTED.value, 1)
