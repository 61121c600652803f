"""GUI start-up: arguments, log, one running copy per database, the damaged-database path, the
daily backup, the unexpected-error dialog. The real main window is replaced by a placeholder."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import Unit
from desktop import safety
from desktop.__main__ import is_gui_call
from desktop.infra import startup as boot
from desktop.services.demo import DEMO_TODAY
from desktop.ui import app as startup

from .conftest import checkpoint_and_close, corrupt_pages

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_path(tmp_path) -> Path:
    return tmp_path / "nhat-ky" / "theodoi.log"


def _units(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Unit)).scalar_one()


def _launch(opts, log_path, window_class):
    return startup.launch(opts, log_path, window_factory=window_class)


# ------------------------------------------------------------------ arguments and routing


def test_options():
    opts = startup.parse_options(["--db", "D:/Dữ liệu/cơ sở dữ liệu.db", "--today", "08/10/2024", "--demo"])
    assert opts.db == "D:/Dữ liệu/cơ sở dữ liệu.db" and opts.today == date(2024, 10, 8) and opts.demo
    assert startup.parse_options(["--today=2024-10-08", "--self-test"]).self_test


@pytest.mark.parametrize("argv, words", [
    (["--today", "31/02/2024"], "Ngày không hợp lệ"),
    (["--db"], "Thiếu giá trị"),
    (["--db", "  "], "đang trống"),
    (["--fast"], "Không hiểu tham số"),
])
def test_bad_options_get_a_vietnamese_message(argv, words):
    with pytest.raises(startup.ArgumentError) as caught:
        startup.parse_options(argv)
    assert words in caught.value.message


def test_bad_options_from_a_shortcut_are_shown_in_a_dialog(dialogs, monkeypatch):
    monkeypatch.setattr(startup, "setup_logging", lambda folder: folder / "theodoi.log")
    assert startup.run_gui(["--today", "hôm qua"]) == startup.EXIT_BAD_ARGS
    assert "Ngày không hợp lệ" in dialogs.texts("error")[0]


@pytest.mark.parametrize("argv, gui", [
    ([], True), (["--demo"], True), (["--db=x.db"], True), (["--today", "08/10/2024"], True),
    (["C:/Dữ liệu/theodoi.db"], True), (["status", "--db", "x.db"], False), (["check", "--db", "x.db"], False),
    (["--help"], False),
])
def test_main_routes_gui_and_command_line(argv, gui):
    assert is_gui_call(argv) is gui


# ------------------------------------------------------------------ streams, log, settings


def test_missing_console_streams_are_replaced(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    startup.guard_streams()
    print("Không có cửa sổ dòng lệnh")  # would raise AttributeError on None
    print("lỗi", file=sys.stderr)


def test_rotating_log_in_the_data_folder(tmp_path):
    folder = tmp_path / "Dữ liệu" / "nhat-ky"
    try:
        path = startup.setup_logging(folder)
        logging.getLogger("desktop.test").warning("Đã mở cơ sở dữ liệu «Phòng VH&TT»")
        handler = boot._log_handler
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        assert handler.maxBytes == boot.LOG_MAX_BYTES and handler.backupCount == boot.LOG_BACKUPS
        handler.flush()
        assert path == folder / "theodoi.log"
        assert "Đã mở cơ sở dữ liệu «Phòng VH&TT»" in path.read_text(encoding="utf-8")
    finally:
        boot.shutdown_logging()


def test_log_falls_back_to_the_temp_folder(tmp_path):
    blocker = tmp_path / "tệp"
    blocker.write_text("x")
    try:
        path = startup.setup_logging(blocker / "nhat-ky")  # a folder under a file cannot exist
        assert path.parent.name == f"{boot.APPLICATION_NAME}-nhat-ky"
    finally:
        boot.shutdown_logging()


def test_settings_are_an_ini_file_in_the_data_folder(qapp, tmp_path):
    from PySide6.QtCore import QSettings

    startup.make_application()
    settings = QSettings()
    assert settings.format() == QSettings.Format.IniFormat
    assert Path(settings.fileName()).is_relative_to(Path(os.environ["THEODOI_DATA_DIR"]))
    assert qapp.organizationName() == boot.ORGANIZATION_NAME
    assert not qapp.windowIcon().isNull()


# ------------------------------------------------------------------ one running copy


def test_second_lock_on_the_same_database_is_refused(qapp, tmp_path):
    database = str(tmp_path / "Dữ liệu phòng VH&TT" / "cơ sở dữ liệu.db")
    first, second = startup.InstanceLock(database), startup.InstanceLock(database)
    assert first.acquire() is None
    message = second.acquire()
    assert message and "đang mở cơ sở dữ liệu này" in message
    other = startup.InstanceLock(str(tmp_path / "khác.db"))
    assert other.acquire() is None  # one copy per database, not per PC
    first.release()
    assert second.acquire() is None
    second.release()
    other.release()


HOLDER = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
print("LOCKED" if lock.tryLock(0) else "REFUSED", flush=True)
sys.stdin.readline()
"""


def test_lock_of_another_process_and_of_a_crashed_one(qapp, tmp_path):
    database = str(tmp_path / "cơ sở dữ liệu.db")
    lock_path = startup.InstanceLock(database).path
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        lock = startup.InstanceLock(database)
        assert "đang mở" in (lock.acquire() or "")
    finally:
        holder.kill()  # the other copy crashes: its lock file stays behind
        holder.communicate()
    assert lock_path.exists()
    lock = startup.InstanceLock(database)
    assert lock.acquire() is None  # Qt sees the owner is gone and takes the lock over
    lock.release()


def test_second_launch_says_so_and_exits(qapp, db, dialogs, log_path, placeholder_window_class):
    opts = startup.Options(db=db.location)
    first = _launch(opts, log_path, placeholder_window_class)
    try:
        assert isinstance(first, startup.Launched)
        assert _launch(opts, log_path, placeholder_window_class) == startup.EXIT_ALREADY_RUNNING
        assert "đang mở cơ sở dữ liệu này" in dialogs.texts("warn")[0]
        assert len(placeholder_window_class.instances) == 1
    finally:
        first.close()


# ------------------------------------------------------------------ normal start and demo


def test_a_failed_backup_of_the_day_is_told_on_the_gui_thread(qapp, qtbot, db, dialogs, log_path,
                                                              placeholder_window_class, monkeypatch):
    from PySide6.QtCore import QThread

    from desktop.safety import backups

    def full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "backup_file", full)
    threads = []
    real_warn = startup.BackgroundBackup._tell
    monkeypatch.setattr(startup.BackgroundBackup, "_tell",
                        lambda self, m: (threads.append(QThread.currentThread()), real_warn(self, m)))
    started = _launch(startup.Options(db=db.location), log_path, placeholder_window_class)
    try:
        assert started.window.isVisible()  # the window does not wait for the backup
        started.backup.wait()
        qtbot.waitUntil(lambda: bool(dialogs.texts("warn")))
    finally:
        started.close()
    assert threads == [qapp.thread()]
    text = dialogs.texts("warn")[0]
    assert "Chưa sao lưu tự động được hôm nay" in text and "ổ đĩa đã đầy" in text


def test_start_opens_the_window_and_makes_the_backup_of_the_day(qapp, db, dialogs, log_path,
                                                               placeholder_window_class):
    location = db.location
    db.dispose()
    started = _launch(startup.Options(db=location, today=date(2024, 10, 8)), log_path, placeholder_window_class)
    try:
        window = started.window
        assert window.isVisible() and window.today == date(2024, 10, 8)
        assert started.crash_handler.window is window
        started.backup.wait()  # the backup of the day runs beside the open window
        assert started.backup.result is not None and started.backup.error is None
        backups = safety.list_backups(location)
        assert [b.kind for b in backups] == [safety.AUTO]
        assert dialogs.calls == []
    finally:
        started.close()
    assert not startup.InstanceLock(location).path.exists()  # released at close
    again = _launch(startup.Options(db=location), log_path, placeholder_window_class)
    again.close()
    assert len(safety.list_backups(location)) == 1  # once a day


def test_demo_is_built_in_the_data_folder_and_opened_on_the_demo_date(qapp, dialogs, log_path,
                                                                    placeholder_window_class):
    started = _launch(startup.Options(demo=True), log_path, placeholder_window_class)
    try:
        expected = Path(os.environ["THEODOI_DATA_DIR"]) / boot.DEMO_FILE_NAME
        assert Path(started.database.location) == expected
        assert started.today == DEMO_TODAY and started.window.today == DEMO_TODAY
        assert _units(started.database) > 30
        assert not list(expected.parent.glob(".~*"))  # built under a temporary name, then renamed
    finally:
        started.close()


# ------------------------------------------------------------------ damaged database at start


def _damaged_with_backup(demo_db) -> tuple[str, int, Path]:
    location, units = demo_db.location, _units(demo_db)
    backup = safety.make_backup(location)
    checkpoint_and_close(demo_db)
    corrupt_pages(Path(location))
    return location, units, backup


def test_damaged_database_offers_the_newest_good_backup(qapp, demo_db, dialogs, log_path,
                                                       placeholder_window_class):
    location, units, backup = _damaged_with_backup(demo_db)
    damaged = Path(location).read_bytes()
    started = _launch(startup.Options(db=location), log_path, placeholder_window_class)
    try:
        assert isinstance(started, startup.Launched)
        kind, text = dialogs.calls[0]
        assert kind == "offer_restore" and "bị hỏng" in text and backup.name in text
        assert _units(started.window.db) == units
        kept = [b for b in safety.list_backups(location) if b.kind == "hong"]
        assert len(kept) == 1 and kept[0].path.read_bytes() == damaged
        assert str(kept[0].path) in dialogs.texts("info")[0]
    finally:
        started.close()


def test_declining_the_restore_leaves_the_file_as_it_is(qapp, demo_db, dialogs, log_path,
                                                       placeholder_window_class):
    location, _, _ = _damaged_with_backup(demo_db)
    before = Path(location).read_bytes()
    dialogs.offer_answer = False
    assert _launch(startup.Options(db=location), log_path, placeholder_window_class) == startup.EXIT_FAILED
    assert Path(location).read_bytes() == before
    assert placeholder_window_class.instances == []
    assert not startup.InstanceLock(location).path.exists()


@pytest.mark.parametrize("content", ["corrupt", "text"])
def test_damaged_database_without_backup_is_never_opened(qapp, demo_db, dialogs, log_path,
                                                        placeholder_window_class, content):
    location = demo_db.location
    checkpoint_and_close(demo_db)
    if content == "corrupt":
        corrupt_pages(Path(location))
    else:
        Path(location).write_text("Danh sách đơn vị (nhầm tệp)", encoding="utf-8")
    before = Path(location).read_bytes()
    assert _launch(startup.Options(db=location), log_path, placeholder_window_class) == startup.EXIT_FAILED
    assert "Chưa có bản sao lưu tốt" in dialogs.texts("error")[0]
    assert Path(location).read_bytes() == before
    assert placeholder_window_class.instances == []


def test_another_programs_database_is_refused_without_offering_a_restore(qapp, tmp_path, dialogs, log_path,
                                                                         placeholder_window_class):
    import sqlite3

    path = tmp_path / "danh bạ.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert _launch(startup.Options(db=str(path)), log_path, placeholder_window_class) == startup.EXIT_FAILED
    assert [k for k, _ in dialogs.calls] == ["error"] and "chương trình khác" in dialogs.texts("error")[0]
    assert path.read_bytes() == before


# ------------------------------------------------------------------ unexpected errors


def _crash_handler(log_path, window) -> startup.CrashHandler:
    handler = startup.CrashHandler(log_path)
    handler.install()
    handler.window = window
    return handler


def test_unexpected_error_shows_the_log_path_and_keeps_the_draft(qapp, db, dialogs, tmp_path,
                                                                placeholder_window_class):
    try:
        log_path = startup.setup_logging(tmp_path / "nhat-ky")
        window = placeholder_window_class(db, date(2024, 10, 8))
        handler = _crash_handler(log_path, window)
        try:
            try:
                1 / 0
            except ZeroDivisionError:
                sys.excepthook(*sys.exc_info())
        finally:
            handler.uninstall()
        assert sys.excepthook is not handler
        kind, text = dialogs.calls[0]
        assert kind == "unexpected_error" and str(log_path) in text and "draft=True" in text
        assert window.drafts_saved == 1
        boot._log_handler.flush()
        assert "ZeroDivisionError" in log_path.read_text(encoding="utf-8")
    finally:
        boot.shutdown_logging()


@pytest.mark.qt_no_exception_capture
def test_error_in_a_qt_slot_reaches_the_dialog(qapp, qtbot, db, dialogs, log_path, placeholder_window_class):
    from PySide6.QtCore import QTimer

    window = placeholder_window_class(db, date(2024, 10, 8))
    handler = _crash_handler(log_path, window)
    try:
        def broken_slot():
            raise KeyError("Đơn vị không tồn tại")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(dialogs.calls))
    finally:
        handler.uninstall()
    assert "KeyError" in dialogs.calls[0][1] and window.drafts_saved == 1


def test_error_in_a_worker_thread_is_shown_on_the_gui_thread(qapp, qtbot, db, dialogs, log_path,
                                                             placeholder_window_class, monkeypatch):
    from PySide6.QtCore import QThread

    window = placeholder_window_class(db, date(2024, 10, 8))
    handler = _crash_handler(log_path, window)
    shown_on = []
    real_show = handler._show
    monkeypatch.setattr(handler, "_show", lambda *a: (shown_on.append(QThread.currentThread()), real_show(*a)))
    handler._relay.raised.disconnect()
    handler._relay.raised.connect(handler._show)
    try:
        worker = threading.Thread(target=lambda: {}["khóa"], name="xuat-bao-cao")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(dialogs.calls))
    finally:
        handler.uninstall()
    assert shown_on == [qapp.thread()]
    assert "KeyError" in dialogs.calls[0][1]


# ------------------------------------------------------------------ self-test


def test_self_test_passes_from_source(qapp, monkeypatch, placeholder_window_class, capsys):
    from desktop.ui.selftest import run_self_test

    assert run_self_test(qapp, None, startup._main_window_class) == 0
    out = capsys.readouterr().out
    assert "KẾT QUẢ: ĐẠT" in out and "LỖI" not in out


def test_real_window_keeps_the_typed_result_when_an_error_strikes(qapp, qtbot, demo_db, dialogs, log_path,
                                                                  monkeypatch):
    """With the real main window: text typed in the result form is written as a draft by the
    crash handler and found again beside the database."""
    main_window = pytest.importorskip("desktop.ui.main_window")
    import json

    from db.models import Assignment
    from desktop.ui import common
    from desktop.ui.result_form import draft_path

    monkeypatch.setattr(common, "ask_save", lambda *a, **k: common.SaveChoice.DISCARD)
    location = demo_db.location
    with demo_db.session() as s:
        assignment_id = s.execute(select(Assignment.id).where(Assignment.state == "chua_thuc_hien")).scalars().first()
    demo_db.dispose()
    started = _launch(startup.Options(db=location, today=DEMO_TODAY), log_path, main_window.MainWindow)
    window = started.window
    try:
        qtbot.waitUntil(lambda: window.task_model.rowCount() > 0, timeout=60000)
        window.form.load(assignment_id)
        window.form.content_edit.setPlainText("Đã treo 12 băng rôn tại các tuyến phố chính")
        try:
            raise RuntimeError("lỗi giả lập")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        assert "draft=True" in dialogs.texts("unexpected_error")[0]
        draft = json.loads(draft_path(location, assignment_id).read_text(encoding="utf-8"))
        assert draft["content"] == "Đã treo 12 băng rôn tại các tuyến phố chính"
    finally:
        window.close()
        started.close()


def test_precheck_runs_on_its_own_thread_and_its_verdict_refuses_a_damaged_file(tmp_path):
    from desktop.infra.database import DamagedDatabaseError, open_database
    from desktop.safety.integrity import IntegrityPrecheck

    good = open_database(tmp_path / "tot.db")
    good.dispose()
    check = IntegrityPrecheck(tmp_path / "tot.db")
    assert check.path == tmp_path / "tot.db"
    opened = open_database(tmp_path / "tot.db", precheck=check)  # waits for the verdict, then opens
    assert check.report().ok
    opened.dispose()

    bad = tmp_path / "hong.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)  # right header, garbage after it
    check = IntegrityPrecheck(bad)
    with pytest.raises(DamagedDatabaseError):
        open_database(bad, precheck=check)
    assert not check.report().ok
    assert bad.read_bytes()[16:32] == b"\xff" * 16  # nothing was written to the damaged file

    assert IntegrityPrecheck("postgresql://u:p@localhost/theodoi").path is None  # nothing to check on a server


def test_the_file_check_can_start_before_sqlalchemy_and_qt_are_loaded():
    """run_gui starts the check first; it must not drag the heavy libraries in with it."""
    import subprocess
    import sys

    code = ("import sys; import desktop.infra.startup as a; p = a.start_precheck('khong-co.db'); p.report(); "
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'PySide6', 'alembic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_an_old_database_is_upgraded_behind_a_notice_that_closes(qapp, tmp_path, monkeypatch):
    """A file from an older version shows «đang nâng cấp» while it migrates; a new one does not."""
    from alembic import command

    from db.engine import make_engine
    from db.migrate import SCHEMA_HEAD, alembic_config, stored_revision

    old = tmp_path / "cu.db"
    engine = make_engine(old)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    engine.dispose()
    shown = []
    real_show = startup.UpgradeNotice.show

    def spy(self, revision):
        real_show(self, revision)
        shown.append((revision, self.widget is not None and self.widget.isVisible(),
                      self.widget.text() if self.widget else ""))

    monkeypatch.setattr(startup.UpgradeNotice, "show", spy)
    db = startup.open_checked(str(old))
    assert db is not None and stored_revision(db.engine) == SCHEMA_HEAD
    db.dispose()
    assert shown and shown[0][0] == "0003" and shown[0][1] and "nâng cấp" in shown[0][2]
    assert not [w for w in qapp.topLevelWidgets() if w.objectName() == "upgradeNotice" and w.isVisible()]
    shown.clear()
    fresh = startup.open_checked(str(tmp_path / "moi.db"))
    fresh.dispose()
    assert shown == [(None, False, "")]  # a new database is created without a notice


def test_start_up_objects_are_frozen_before_the_window_is_made(qapp, db, dialogs, log_path,
                                                                placeholder_window_class, monkeypatch):
    """The modules and the opened database are moved out of the collector's reach before the window
    loads its data (gc.freeze): the worker threads' allocations then do not rescan them."""
    import gc

    events = []
    monkeypatch.setattr(gc, "freeze", lambda: events.append("freeze"))

    class Recording(placeholder_window_class):
        def __init__(self, *args, **kwargs):
            events.append("window")
            super().__init__(*args, **kwargs)

    location = db.location
    db.dispose()
    started = _launch(startup.Options(db=location), log_path, Recording)
    try:
        assert events == ["freeze", "window"]
    finally:
        started.backup.wait()
        started.close()
