"""Never take a damaged, empty, missing or newer database for a new one (issue 12 §3)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import Unit
from desktop import safety
from desktop.cli import main as cli_main
from desktop.infra import database as database_module
from desktop.infra.database import open_database
from desktop.services.demo import DEMO_TODAY
from desktop.ui import app as startup

from .conftest import checkpoint_and_close


@pytest.fixture
def emptied(demo_db) -> tuple[Path, Path]:
    """The demo file with a good backup beside it, then emptied (a sync tool, a bad copy)."""
    path = Path(demo_db.location)
    backup = safety.make_backup(path)
    checkpoint_and_close(demo_db)
    path.write_bytes(b"")
    return path, backup


def _units(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Unit)).scalar_one()


def test_status_on_an_emptied_file_names_the_backup_and_creates_nothing(emptied, capsys):
    path, backup = emptied
    code = cli_main(["status", "--db", str(path), "--today", DEMO_TODAY.isoformat()])
    err = capsys.readouterr().err
    assert code != 0
    assert "trống" in err and "sao lưu" in err and backup.name in err
    assert f'restore --db "{path}" --from "{backup}"' in err
    assert path.stat().st_size == 0  # not re-created as a new, empty database
    assert not Path(str(path) + "-wal").exists()


def test_status_on_a_missing_file_names_the_backup(emptied, capsys):
    path, backup = emptied
    path.unlink()
    assert cli_main(["status", "--db", str(path)]) != 0
    err = capsys.readouterr().err
    assert "Không tìm thấy" in err and backup.name in err
    assert not path.exists()


def test_check_says_the_file_is_empty(emptied, capsys):
    path, backup = emptied
    assert cli_main(["check", "--db", str(path)]) != 0
    out = capsys.readouterr()
    assert "trống (0 byte)" in out.err and backup.name in out.err
    assert "dữ liệu tốt" not in out.out + out.err


def test_an_empty_file_without_backups_is_still_a_new_database(tmp_path):
    path = tmp_path / "moi.db"
    path.write_bytes(b"")
    db = open_database(path)
    try:
        assert _units(db) == 0
    finally:
        db.dispose()


def test_window_offers_the_backup_of_an_emptied_file(qapp, emptied, dialogs, placeholder_window_class, tmp_path):
    path, backup = emptied
    started = startup.launch(startup.Options(db=str(path)), tmp_path / "nhat-ky" / "theodoi.log",
                             window_factory=placeholder_window_class)
    try:
        assert not isinstance(started, int)
        offered = [t for k, t in dialogs.calls if k == "offer_restore"]
        assert len(offered) == 1 and backup.name in offered[0] and "trống" in offered[0]
        assert _units(started.database) > 0  # restored
    finally:
        if not isinstance(started, int):
            started.close()


def test_window_declined_keeps_the_empty_file_and_the_backup(qapp, emptied, dialogs, placeholder_window_class,
                                                             tmp_path):
    path, backup = emptied
    dialogs.offer_answer = False
    code = startup.launch(startup.Options(db=str(path)), tmp_path / "nhat-ky" / "theodoi.log",
                          window_factory=placeholder_window_class)
    assert code == startup.EXIT_FAILED
    assert path.stat().st_size == 0 and backup.exists()


# ------------------------------------------------------------------ a newer version's database


def _from_a_newer_version(db) -> Path:
    path = Path(db.location)
    checkpoint_and_close(db)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    return path


def test_a_database_of_a_newer_version_is_told_in_vietnamese_without_a_copy(demo_db, capsys):
    path = _from_a_newer_version(demo_db)
    folder = safety.backups.backups_folder(path)
    before = sorted(folder.iterdir()) if folder.is_dir() else []
    for _ in range(2):
        assert cli_main(["status", "--db", str(path)]) != 0
        err = capsys.readouterr().err
        assert "phiên bản MỚI HƠN" in err and "0099" in err
        assert "Can't locate" not in err
    after = sorted(folder.iterdir()) if folder.is_dir() else []
    assert after == before


# ------------------------------------------------------------------ a read-only file


@pytest.fixture
def read_only_file(demo_db, monkeypatch) -> Path:
    """The demo file as the program sees a file with the read-only attribute (root, who runs the
    CI, may write any file: the program's own test of the file is what is replaced)."""
    path = Path(demo_db.location)
    checkpoint_and_close(demo_db)
    monkeypatch.setattr(database_module, "writable", lambda p: Path(p) != path)
    return path


def test_a_read_only_file_is_opened_read_only_and_saves_are_refused_clearly(read_only_file):
    from desktop.infra.database import ReadOnlyDatabaseError

    db = open_database(read_only_file)
    try:
        assert db.read_only
        assert _units(db) > 0
        with pytest.raises(ReadOnlyDatabaseError) as caught:
            with db.session() as s:
                s.execute(select(Unit)).scalars().first().name = "Đổi tên"
        assert "chỉ đọc" in caught.value.message
        assert _units(db) > 0
    finally:
        db.dispose()
    # nothing was written: still the same content for a normal open
    assert not Path(str(read_only_file) + "-wal").exists() or Path(str(read_only_file) + "-wal").stat().st_size == 0


def test_the_window_says_at_open_that_the_file_is_read_only(qapp, read_only_file, dialogs, tmp_path):
    from desktop.ui.main_window import MainWindow

    started = startup.launch(startup.Options(db=str(read_only_file), today=DEMO_TODAY),
                             tmp_path / "nhat-ky" / "theodoi.log", window_factory=MainWindow)
    try:
        assert not isinstance(started, int)
        assert any("CHỈ ĐỌC" in t for t in dialogs.texts("info"))
        assert "(chỉ đọc)" in started.window.windowTitle()
        from PySide6.QtWidgets import QLabel

        label = started.window.findChild(QLabel, "readOnlyLabel")
        assert label is not None and "CHỈ ĐỌC" in label.text()
        # a save reaching the unexpected-error hook is told plainly, no traceback dialog
        from desktop.infra.database import READ_ONLY_SAVE, ReadOnlyDatabaseError

        exc = ReadOnlyDatabaseError(READ_ONLY_SAVE.format(path=read_only_file))
        started.crash_handler(type(exc), exc, None)
        assert any("chỉ đọc" in t for t in dialogs.texts("error"))
        assert dialogs.texts("unexpected_error") == []
    finally:
        if not isinstance(started, int):
            started.window.close()
            started.close()


# ------------------------------------------------------------------ the real cause


def test_an_unreadable_file_gives_the_real_cause_and_names_the_backup(emptied, monkeypatch, capsys):
    """A file the file system refuses to read (no permission) is not "bị hỏng"."""
    import os

    path, backup = emptied
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == path and mode == os.R_OK
                        else real_access(p, mode, **kw))
    path.write_bytes(backup.read_bytes())
    assert cli_main(["status", "--db", str(path)]) != 0
    err = capsys.readouterr().err
    assert "Không đọc được" in err and backup.name in err
    assert "bị hỏng" not in err and "Chưa có bản sao lưu tốt" not in err


def test_a_full_disk_during_the_check_is_not_called_damage(demo_db, monkeypatch):
    from desktop.safety import integrity

    path = Path(demo_db.location)
    checkpoint_and_close(demo_db)
    real = integrity.connect_readonly

    class FullDisk:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            raise sqlite3.OperationalError("database or disk is full")

        def close(self):
            self.conn.close()

    monkeypatch.setattr(integrity, "connect_readonly", lambda p, *a: FullDisk(real(p, *a)))
    report = integrity.check_file(path)
    assert not report.damaged
    assert "ổ đĩa đã đầy" in report.message and "bị hỏng" not in report.message


def test_a_wal_backup_in_a_read_only_folder_is_still_a_good_backup(demo_db, monkeypatch):
    """SQLite cannot open a WAL file read-only when it may not create its -shm (a read-only
    folder): such a backup is still good, and is checked with the file left untouched."""
    from desktop.safety import integrity

    path = Path(demo_db.location)
    backup = safety.make_backup(path)
    checkpoint_and_close(demo_db)
    real = integrity.sqlite3.connect

    def no_shm(database, *args, **kwargs):  # what a read-only folder does to a WAL database
        if "immutable=1" not in str(database):
            raise sqlite3.OperationalError("unable to open database file")
        return real(database, *args, **kwargs)

    monkeypatch.setattr(integrity.sqlite3, "connect", no_shm)
    monkeypatch.setattr(integrity, "_folder_writable", lambda p: False)
    assert integrity.check_file(backup).health == integrity.Health.OK


def test_a_file_in_a_read_only_folder_is_opened_read_only(demo_db, monkeypatch):
    """SQLite could write neither its -wal nor its -shm there: read-only on purpose, without locks."""
    import os

    path = Path(demo_db.location)
    checkpoint_and_close(demo_db)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == path.parent and mode == os.W_OK
                        else real_access(p, mode, **kw))
    real_check = database_module.check_sqlite_file

    def check_without_leftovers(*args, **kwargs):  # a read-only folder would never get a -wal/-shm
        real_check(*args, **kwargs)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    monkeypatch.setattr(database_module, "check_sqlite_file", check_without_leftovers)
    db = open_database(path)
    try:
        assert db.read_only
        assert _units(db) > 0
    finally:
        db.dispose()
    assert not Path(str(path) + "-shm").exists()  # immutable: nothing created beside the file
