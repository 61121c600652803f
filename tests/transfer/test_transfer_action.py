"""The menu action «Chuyển dữ liệu sang máy chủ…»: asks, confirms, copies on its own thread behind a
progress dialog that never blocks, tells the result and can make the new database this PC's."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton
from qt_messages import install_messages, settings_in

from desktop.infra import local_config
from desktop.services.demo import DEMO_TODAY
from desktop.ui import common, transfer_actions
from desktop.ui.dialogs.settings_dialog import RESTART_TEXT
from desktop.ui.transfer_actions import TargetDialog


@pytest.fixture
def messages(monkeypatch, tmp_path):
    settings_in(tmp_path / "qsettings")
    return install_messages(monkeypatch, common.SaveChoice.CANCEL)


def _wait(qtbot, job):
    assert job is not None
    if job.result is None and job.message is None:
        with qtbot.waitSignal(job.finished, timeout=120000):
            pass
    return job.result, job.message


def test_copy_to_a_new_file_and_use_it_on_this_pc(qtbot, messages, monkeypatch, demo_db, tmp_path):
    target = tmp_path / "ban-sao" / "theodoi.db"
    monkeypatch.setattr(transfer_actions, "ask_target", lambda parent, source: str(target))
    job = transfer_actions.transfer_data(None, demo_db)
    assert job.dialog.isVisible() and job.dialog.labelText()  # shown, not exec'd: the test goes on
    result, message = _wait(qtbot, job)
    assert message is None and result.count("assignment") == 345
    assert target.exists()
    confirm, question = messages.asked
    assert "Chuyển toàn bộ dữ liệu từ" in confirm and str(target) in confirm
    assert "lượt giao nhiệm vụ: 345" in question and "Dùng tệp mới này trên máy này" in question
    assert local_config.load_config().database == str(target)
    assert messages.texts("info") == [f"Đã lưu lựa chọn cơ sở dữ liệu: {target}.\n\n{RESTART_TEXT}"]
    assert not job.dialog.isVisible() if _alive(job.dialog) else True


def _alive(widget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def test_not_used_on_this_pc_when_the_officer_says_no(qtbot, messages, monkeypatch, demo_db, tmp_path):
    target = tmp_path / "ban-sao.db"
    monkeypatch.setattr(transfer_actions, "ask_target", lambda parent, source: str(target))
    answers = iter([True, False])  # yes, copy; no, do not switch
    monkeypatch.setattr(common, "ask", lambda *a, **k: next(answers))
    result, _message = _wait(qtbot, transfer_actions.transfer_data(None, demo_db))
    assert result is not None and target.exists()
    assert local_config.load_config().database == ""
    assert messages.texts() == []


def test_a_target_with_data_is_refused_and_nothing_changes(qtbot, messages, monkeypatch, demo_db, tmp_path):
    import shutil

    target = tmp_path / "co-du-lieu.db"
    shutil.copyfile(demo_db.location, target)
    size = target.stat().st_size
    monkeypatch.setattr(transfer_actions, "ask_target", lambda parent, source: str(target))
    result, message = _wait(qtbot, transfer_actions.transfer_data(None, demo_db))
    assert result is None and "đã có dữ liệu" in message
    assert messages.texts("error") == [message]
    assert len(messages.asked) == 1  # only the confirmation: no offer to switch
    assert target.stat().st_size == size


def test_stop_undoes_the_copy(qtbot, messages, monkeypatch, demo_db, tmp_path):
    """«Dừng» in the progress dialog: the copy stops at its next step and the new file goes away.
    The copy waits at each step until the GUI has seen the step, so the click always lands mid-way."""
    target = tmp_path / "dung.db"
    monkeypatch.setattr(transfer_actions, "ask_target", lambda parent, source: str(target))
    real = transfer_actions.copy_database
    step_seen = threading.Event()

    def gated(source, target_, progress):
        def step(done, total, message):
            progress(done, total, message)
            assert step_seen.wait(60)
        return real(source, target_, step)

    monkeypatch.setattr(transfer_actions, "copy_database", gated)
    job = transfer_actions.transfer_data(None, demo_db)

    def click_stop(*_args):
        buttons = [b for b in job.dialog.findChildren(QPushButton) if b.text() == "Dừng"]
        buttons[0].click()
        step_seen.set()

    job.job.progress.connect(click_stop)
    result, message = _wait(qtbot, job)
    assert result is None and "Đã dừng" in message
    assert messages.texts("info") == [message]
    assert not target.exists()


def test_a_second_copy_waits_for_the_first(qtbot, messages, monkeypatch, demo_db, tmp_path):
    monkeypatch.setattr(transfer_actions, "ask_target", lambda parent, source: str(tmp_path / "a.db"))
    first = transfer_actions.transfer_data(None, demo_db)
    assert transfer_actions.transfer_data(None, demo_db) is None
    assert "Đang chuyển dữ liệu" in messages.texts("info")[0]
    _wait(qtbot, first)


def test_menu_action_of_the_main_window(qtbot, messages, monkeypatch, demo_db, tmp_path):
    from desktop.ui.main_window import MainWindow

    target = tmp_path / "tu-menu.db"
    asked_for = []
    monkeypatch.setattr(transfer_actions, "ask_target",
                        lambda parent, source: asked_for.append((parent, source)) or str(target))
    window = MainWindow(demo_db, DEMO_TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_idle, timeout=30000)
    try:
        action = window.findChild(QAction, "actTransfer")
        assert action.text() == "Chuyển &dữ liệu sang máy chủ…"
        file_menu = window.menuBar().actions()[0].menu()
        assert action in file_menu.actions()
        action.trigger()
        job = transfer_actions._running
        assert asked_for == [(window, demo_db.location)]
        result, _message = _wait(qtbot, job)
        assert result is not None and target.exists()
    finally:
        window.close()
        window.runner.shutdown()


# ------------------------------------------------------------------ the dialog


def test_dialog_prefills_the_server_of_the_settings_without_showing_its_password(qtbot, demo_db):
    url = "postgresql://theodoi:MatKhau123@192.168.1.10:5432/theodoi"
    local_config.save_config(local_config.LocalConfig(database=url))
    dialog = TargetDialog(None, demo_db.location, transfer_actions.suggested_target(demo_db.location))
    qtbot.addWidget(dialog)
    shown = dialog.target_edit.text()
    assert "MatKhau123" not in shown and "***" in shown
    assert dialog.target() == url
    dialog.target_edit.setText(shown.replace("192.168.1.10", "192.168.1.20"))
    assert dialog.target() == url.replace("192.168.1.10", "192.168.1.20")  # the kept password goes along


def test_no_suggestion_when_the_settings_name_a_file_or_the_database_in_use(demo_db):
    local_config.save_config(local_config.LocalConfig(database="/tmp/x.db"))
    assert transfer_actions.suggested_target(demo_db.location) == ""
    url = "postgresql://u@h/db"
    local_config.save_config(local_config.LocalConfig(database=url))
    assert transfer_actions.suggested_target(url) == ""
    assert transfer_actions.suggested_target(demo_db.location) == url


@pytest.mark.parametrize("typed, expected", [
    ("", "Chưa nhập nơi nhận"),
    ("ban-sao.db", "đường dẫn đầy đủ"),
    ("mysql://u@h/db", "Địa chỉ máy chủ không hợp lệ"),
])
def test_dialog_refuses_a_target_it_cannot_use(qtbot, demo_db, typed, expected):
    dialog = TargetDialog(None, demo_db.location)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.target_edit.setText(typed)
    dialog.accept()
    assert dialog.result() != TargetDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible() and expected in dialog.error_label.text()
    dialog.target_edit.setText("postgresql://u@h/db")
    assert not dialog.error_label.isVisible()


def test_dialog_takes_a_folder_is_refused_and_a_new_file_accepted(qtbot, demo_db, tmp_path, monkeypatch):
    dialog = TargetDialog(None, demo_db.location)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.target_edit.setText(str(tmp_path))
    dialog.accept()
    assert "là một thư mục" in dialog.error_label.text()
    monkeypatch.setattr(transfer_actions, "choose_database_file", lambda parent, current: str(tmp_path / "moi.db"))
    dialog.browse()
    assert dialog.target_edit.text() == str(tmp_path / "moi.db")
    dialog.accept()
    assert dialog.result() == TargetDialog.DialogCode.Accepted


@pytest.mark.postgres
def test_copy_to_the_server_and_use_it_on_this_pc(qtbot, messages, monkeypatch, demo_db, pg_db):
    url = pg_db.location.replace("postgres@", "postgres:MatKhau42@", 1)  # the test server ignores it
    pg_db.dispose()
    local_config.save_config(local_config.LocalConfig(database=url, officer_name="Nguyễn Thị Lan"))
    shown_in_dialog = []

    def ask_target(parent, source):
        dialog = TargetDialog(parent, source, transfer_actions.suggested_target(source))
        shown_in_dialog.append(dialog.target_edit.text())
        return dialog.target()

    monkeypatch.setattr(transfer_actions, "ask_target", ask_target)
    result, message = _wait(qtbot, transfer_actions.transfer_data(None, demo_db))
    assert message is None and result.target_is_server and result.count("unit") == 40
    assert "MatKhau42" not in shown_in_dialog[0]
    confirm, question = messages.asked
    assert "MatKhau42" not in confirm + question + "".join(messages.texts())
    assert "Dùng cơ sở dữ liệu mới này trên máy này" in question
    saved = local_config.load_config()
    assert saved.database == url and saved.officer_name == "Nguyễn Thị Lan"  # the rest of the file kept
