"""Cài đặt, «Cơ sở dữ liệu» and the officer of this PC: stored in the per-PC file, checked on the
worker thread, the password never shown; start-up falls back when the chosen database fails."""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import migrate
from db.engine import make_engine
from db.models import ChangeLog, Directive, Unit
from desktop.infra import local_config, paths
from desktop.infra.database import open_database
from desktop.infra.local_config import LocalConfig, load_config, save_config
from desktop.services import operations as ops
from desktop.services.settings import load_settings, save_settings
from desktop.ui import app as startup
from desktop.ui.dialogs import SettingsDialog
from desktop.ui.dialogs import settings_dialog as module

PASSWORD = "MatKhauBiMat2024"
SERVER_URL = f"postgresql://theodoi:{PASSWORD}@192.168.1.10:5432/theodoi"


def _dialog(qtbot, db) -> SettingsDialog:
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    return dialog


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens there


def _wait_for_check(qtbot, dialog, messages) -> str:
    """The whole answer of «Kiểm tra kết nối» (said in a box); the verdict beside the button agrees."""
    choice = dialog.database_choice
    qtbot.waitUntil(lambda: choice.check_button.isEnabled(), timeout=60_000)
    kind, text = messages.shown[-1]
    worked = kind == "info"
    assert kind in ("info", "warn")
    assert choice.check_result.styleSheet() == (module.OK_STYLE if worked else module.FAIL_STYLE)
    assert choice.check_result.text() in (("Kết nối được.", "Dùng được.") if worked else
                                          ("Không kết nối được.", "Không mở được."))
    assert choice.check_result.toolTip() == text
    return text


# ------------------------------------------------------------------ the section and saving


def test_section_shows_this_pc_file_by_default_and_what_is_in_use(qtbot, db, messages):
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    assert choice.title() == "Cơ sở dữ liệu"
    assert choice.file_radio.text() == "Tệp trên máy này"
    assert choice.server_radio.text() == "Máy chủ PostgreSQL dùng chung"
    assert choice.url_edit.placeholderText() == "postgresql://nguoidung:matkhau@192.168.1.10:5432/theodoi"
    assert choice.file_radio.isChecked() and choice.fields.currentIndex() == 0
    assert choice.file_edit.text() == str(paths.default_database_file())
    # the fixture's database is given like --db: the dialog says which one is really open
    assert db.location in choice.in_use.text() and "--db" in choice.in_use.text()
    choice.server_radio.setChecked(True)
    assert choice.fields.currentWidget() is choice.url_edit
    choice.file_radio.setChecked(True)
    assert dialog.save()
    assert load_config() == LocalConfig(database="", officer_name="")  # the default file: stored as ""
    assert not messages.shown  # nothing changed, nothing to restart


def test_chosen_file_is_stored_and_a_restart_is_asked(qtbot, db, messages, tmp_path, monkeypatch):
    target = tmp_path / "Dữ liệu" / "theodoi.db"
    monkeypatch.setattr(module, "choose_database_file", lambda parent, current: str(target))
    dialog = _dialog(qtbot, db)
    dialog.database_choice.browse_button.click()
    assert dialog.database_choice.file_edit.text() == str(target)
    assert dialog.save()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert load_config().database == str(target)
    assert paths.database_and_source() == (str(target), "config")
    assert messages.texts("info") == [f"Đã lưu lựa chọn cơ sở dữ liệu: {target}.\n\n{module.RESTART_TEXT}"]
    again = _dialog(qtbot, db)
    assert again.database_choice.file_edit.text() == str(target)


def test_server_url_stored_with_its_password_but_never_shown(qtbot, db, messages, caplog):
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    choice.server_radio.setChecked(True)
    choice.url_edit.setText(SERVER_URL)
    with caplog.at_level(logging.DEBUG):
        assert dialog.save()
    assert load_config().database == SERVER_URL
    assert "mở lại" in messages.texts("info")[0]
    assert PASSWORD not in " ".join(messages.texts())
    assert PASSWORD not in caplog.text
    again = _dialog(qtbot, db)
    shown = again.database_choice
    assert shown.server_radio.isChecked()
    assert shown.url_edit.text() == "postgresql://theodoi:***@192.168.1.10:5432/theodoi"
    from PySide6.QtWidgets import QLabel, QLineEdit

    texts = [w.text() for w in again.findChildren(QLineEdit) + again.findChildren(QLabel)]
    assert texts and not any(PASSWORD in t for t in texts + [again.windowTitle()])
    assert shown.location() == SERVER_URL  # the kept password is used for a check or a save
    shown.url_edit.setText(shown.url_edit.text().replace("192.168.1.10", "192.168.1.20"))
    assert again.save()
    assert load_config().database == SERVER_URL.replace("192.168.1.10", "192.168.1.20")


@pytest.mark.parametrize("server, text, words", [
    (True, "", "Chưa nhập địa chỉ máy chủ"),
    (True, "http://192.168.1.10/theodoi", "không hợp lệ"),
    (True, "postgresql://theodoi@/", "không hợp lệ"),
    (False, "", "Chưa chọn tệp"),
    (False, "theodoi.db", "đường dẫn đầy đủ"),
])
def test_bad_choice_refused_and_nothing_stored(qtbot, db, messages, server, text, words):
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    dialog.edits["place_name"].setText("Đông Khê")
    (choice.server_radio if server else choice.file_radio).setChecked(True)
    edit = choice.url_edit if server else choice.file_edit
    edit.setText(text)
    assert not dialog.save()
    assert words in dialog.error_banner.text()
    assert edit.property("invalid") is True
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert not local_config.config_path().exists()
    assert db.settings().place_name != "Đông Khê"  # all or nothing


def test_folder_instead_of_file_refused(qtbot, db, messages, tmp_path):
    dialog = _dialog(qtbot, db)
    dialog.database_choice.file_edit.setText(str(tmp_path))
    assert not dialog.save()
    assert "là một thư mục" in dialog.error_banner.text()


def test_unwritable_config_is_said_and_the_dialog_stays(qtbot, db, messages, tmp_path, monkeypatch):
    blocker = tmp_path / "vat-can"
    blocker.write_text("x")
    monkeypatch.setenv("THEODOI_CONFIG_DIR", str(blocker / "cau-hinh"))
    dialog = _dialog(qtbot, db)
    dialog.officer_edit.setText("Trần Thị Lan")
    assert not dialog.save()
    assert dialog.error_banner.text().startswith("Đã lưu cài đặt chung, nhưng chưa lưu được cài đặt của máy này")
    assert dialog.result() != SettingsDialog.DialogCode.Accepted


def test_env_variable_wins_and_the_dialog_says_so(qtbot, tmp_path, messages, monkeypatch):
    env_db = tmp_path / "bien" / "theodoi.db"
    monkeypatch.setenv("THEODOI_DB", str(env_db))
    database = open_database()
    try:
        dialog = _dialog(qtbot, database)
        assert "THEODOI_DB" in dialog.database_choice.in_use.text()
        dialog.database_choice.file_edit.setText(str(tmp_path / "khac.db"))
        assert dialog.save()
        assert "THEODOI_DB" in messages.texts("info")[0]
        assert paths.default_database() == str(env_db)
    finally:
        database.dispose()


# ------------------------------------------------------------------ officer of this PC


def test_officer_name_is_per_pc_and_names_the_change_log_at_once(qtbot, db, messages):
    dialog = _dialog(qtbot, db)
    dialog.officer_edit.setText("  Trần   Thị Lan ")
    assert dialog.save()
    assert load_config().officer_name == "Trần Thị Lan"
    assert db.settings().officer_name == ""  # not in the shared database
    assert db.user.startswith("Trần Thị Lan (")
    with db.session() as s:
        unit = ops.add_unit(s, ops.UnitInput(code="P-DK", name="UBND phường Đông Khê"))
    with db.session() as s:
        who = s.execute(select(ChangeLog.os_user).where(ChangeLog.table_name == "unit",
                                                        ChangeLog.record_id == unit.id)).scalar_one()
    assert who == db.user
    again = _dialog(qtbot, db)
    assert again.officer_edit.text() == "Trần Thị Lan"


def test_name_kept_by_an_older_version_is_shown_and_left_in_the_database(qtbot, db, messages):
    with db.session() as s:
        settings = load_settings(s)
        settings.officer_name = "Phạm Thu Hà"
        save_settings(s, settings)
    dialog = _dialog(qtbot, db)
    assert dialog.officer_edit.text() == "Phạm Thu Hà"
    dialog.officer_edit.setText("Nguyễn Văn Nam")
    assert dialog.save()
    assert load_config().officer_name == "Nguyễn Văn Nam"
    assert db.settings().officer_name == "Phạm Thu Hà"  # another PC may still read it once


# ------------------------------------------------------------------ «Kiểm tra kết nối»


def test_check_connection_on_a_real_postgresql_server_applies_the_migrations(qtbot, db, messages, pg_server):
    name = pg_server.create_database()  # empty: the check creates the tables
    try:
        dialog = _dialog(qtbot, db)
        choice = dialog.database_choice
        choice.server_radio.setChecked(True)
        choice.url_edit.setText(pg_server.url(name))
        choice.check_button.click()
        assert not choice.check_button.isEnabled()  # working on the worker thread meanwhile
        assert choice.check_result.text() == "Đang kiểm tra kết nối…"
        text = _wait_for_check(qtbot, dialog, messages)
        assert choice.check_result.text() == "Kết nối được."
        assert text.startswith("Kết nối được máy chủ: 0 đơn vị, 0 văn bản chỉ đạo.")
        assert "nâng cấp" in text
        engine = make_engine(pg_server.url(name))
        try:
            assert migrate.current_revision(engine) == migrate.head_revision()
        finally:
            engine.dispose()
        assert not local_config.config_path().exists()  # a check stores nothing
    finally:
        pg_server.drop_database(name)


def test_check_connection_failure_is_said_without_the_password(qtbot, db, messages):
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    choice.server_radio.setChecked(True)
    choice.url_edit.setText(f"postgresql://theodoi:{PASSWORD}@127.0.0.1:{_closed_port()}/theodoi")
    choice.check_button.click()
    text = _wait_for_check(qtbot, dialog, messages)
    assert choice.check_result.text() == "Không kết nối được."
    assert text.startswith("Không kết nối được cơ sở dữ liệu dùng chung")
    assert PASSWORD not in text and "***" in text


def test_check_runs_off_the_gui_thread(qtbot, db, messages, monkeypatch):
    threads = []

    def fake(location, user):
        threads.append(threading.current_thread())
        return True, "được"

    monkeypatch.setattr(module, "check_database", fake)
    dialog = _dialog(qtbot, db)
    dialog.database_choice.check_button.click()
    assert _wait_for_check(qtbot, dialog, messages) == "được"
    assert threads and threads[0] is not threading.main_thread()


def test_check_of_an_existing_file_counts_its_data(qtbot, demo_db, messages):
    dialog = _dialog(qtbot, demo_db)
    dialog.database_choice.file_edit.setText(demo_db.location)
    dialog.database_choice.check_button.click()
    text = _wait_for_check(qtbot, dialog, messages)
    with demo_db.session() as s:
        units = s.execute(select(func.count()).select_from(Unit)).scalar_one()
        directives = s.execute(select(func.count()).select_from(Directive)).scalar_one()
    assert units > 0 and directives > 0
    assert text.startswith(f"Mở được tệp: {units} đơn vị, {directives} văn bản chỉ đạo.")


def test_check_of_a_new_file_does_not_create_it(qtbot, db, messages, tmp_path):
    target = tmp_path / "moi" / "theodoi.db"
    dialog = _dialog(qtbot, db)
    dialog.database_choice.file_edit.setText(str(target))
    dialog.database_choice.check_button.click()
    assert "Tệp chưa có" in _wait_for_check(qtbot, dialog, messages)
    assert not target.exists() and not target.parent.exists()


def test_check_of_a_damaged_file_says_so(qtbot, db, messages, tmp_path):
    broken = tmp_path / "hong.db"
    broken.write_bytes(b"day khong phai co so du lieu" * 200)
    dialog = _dialog(qtbot, db)
    dialog.database_choice.file_edit.setText(str(broken))
    dialog.database_choice.check_button.click()
    text = _wait_for_check(qtbot, dialog, messages)
    assert dialog.database_choice.check_result.text() == "Không mở được."
    assert text and not text.startswith("Mở được")


# ------------------------------------------------------------------ start-up


class _Window:
    def __init__(self, db, today):
        self.db, self.today = db, today

    def show(self) -> None:
        pass


@pytest.mark.parametrize("answer", [True, False])
def test_start_falls_back_to_this_pc_file_when_the_chosen_database_fails(qtbot, messages, tmp_path, answer):
    bad = f"postgresql://theodoi:{PASSWORD}@127.0.0.1:{_closed_port()}/theodoi"
    save_config(LocalConfig(database=bad))
    messages.answer = answer
    started = startup.launch(startup.Options(), tmp_path / "nhat-ky.log", window_factory=_Window)
    try:
        assert "Không kết nối được" in messages.texts("error")[0]
        assert PASSWORD not in " ".join(messages.texts() + messages.asked)
        assert "Mở tạm tệp dữ liệu trên máy này" in messages.asked[0]
        if answer:
            assert isinstance(started, startup.Launched)
            assert Path(started.database.location) == paths.default_database_file()
        else:
            assert started == startup.EXIT_FAILED
        assert load_config().database == bad  # the choice is kept for the next start
    finally:
        if isinstance(started, startup.Launched):
            started.backup.wait(30)
            started.close()
