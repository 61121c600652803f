"""Folders with Vietnamese names, spaces and '&' for the database, backups, attachments and exports;
the command line's backup/restore/check; the menu actions."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from db.models import Unit
from desktop import safety
from desktop.cli import main as cli_main
from desktop.infra.database import open_database
from desktop.infra.fileio import atomic_write
from desktop.services import operations as ops

from .conftest import checkpoint_and_close, corrupt_pages

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = Path("Dữ liệu phòng VH&TT") / "cơ sở dữ liệu.db"


def _units(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Unit)).scalar_one()


@pytest.fixture
def vn_db(tmp_path):
    database = open_database(tmp_path / VIETNAMESE)
    with database.session("test") as s:
        ops.add_unit(s, ops.UnitInput(code="P-DK", name="UBND phường Đông Khê"))
    yield database
    database.dispose()


def test_database_backups_attachments_and_exports_in_a_vietnamese_folder(vn_db, tmp_path):
    from desktop.infra import paths

    folder = tmp_path / "Dữ liệu phòng VH&TT"
    assert Path(vn_db.location).parent == folder
    backup = safety.make_backup(vn_db.location)
    assert backup.parent == folder / "sao-luu" and backup.name.startswith("cơ sở dữ liệu-thu-cong-")
    assert [b.path for b in safety.list_backups(vn_db.location)] == [backup]

    attachment_dir = paths.attachments_dir(vn_db.location)
    assert attachment_dir.parent == folder
    from desktop.infra.attachments import attach_file, resolve

    source = tmp_path / "Tài liệu của phường" / "Biên bản họp #3 (bản ký).pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 bien ban")
    stored = attach_file(vn_db.location, source, today=date(2024, 10, 8))
    assert resolve(vn_db.location, stored).read_bytes() == source.read_bytes()
    assert resolve(vn_db.location, stored).is_relative_to(attachment_dir)
    out = atomic_write(folder / "Báo cáo tháng 10 (bản nháp).docx",
                       lambda tmp: _docx("Báo cáo kết quả thực hiện — Đông Khê", tmp))
    assert Document(str(out)).paragraphs[0].text == "Báo cáo kết quả thực hiện — Đông Khê"

    with vn_db.session("test") as s:
        ops.add_unit(s, ops.UnitInput(code="P-LL", name="UBND phường Lê Lợi"))
    result = safety.restore(vn_db.location, backup)
    assert _units(vn_db) == 1 and result.kept_aside.parent == folder / "sao-luu"
    assert safety.check_data(vn_db.location).ok


def _docx(text: str, tmp: Path) -> None:
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(tmp))


# ------------------------------------------------------------------ command line


def _cli_in_process(capsys, *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _cli(*args: str) -> tuple[int, str, str]:
    """A real process: exit code, UTF-8 arguments and output as the officer's shell sees them."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=str(ROOT))
    return proc.returncode, proc.stdout, proc.stderr


def test_command_line_backup_check_and_restore_in_a_vietnamese_folder(vn_db, tmp_path):
    location = vn_db.location
    vn_db.dispose()
    code, out, err = _cli("backup", "--db", location)
    assert code == 0, err
    assert "Đã sao lưu vào" in out
    backup = safety.list_backups(location)[0].path

    code, out, _ = _cli("backup", "--db", location, "--list")
    assert code == 0 and "Sao lưu thủ công" in out and str(backup) in out

    code, out, err = _cli("check", "--db", location)
    assert code == 0, err
    assert "Kết luận: dữ liệu tốt." in out and "1 đơn vị" in out

    db = open_database(location)
    with db.session("test") as s:
        ops.add_unit(s, ops.UnitInput(code="P-LL", name="UBND phường Lê Lợi"))
    assert _units(db) == 2
    db.dispose()
    code, out, err = _cli("restore", "--db", location, "--from", str(backup))
    assert code == 0, err
    assert "Đã khôi phục" in out and "truoc-khoi-phuc" in out
    db = open_database(location)
    assert _units(db) == 1
    db.dispose()


@pytest.mark.parametrize("command", [["check"], ["status"], ["backup"]])
def test_command_line_refuses_a_damaged_database(demo_db, command, capsys):
    location = demo_db.location
    checkpoint_and_close(demo_db)
    corrupt_pages(Path(location))
    before = Path(location).read_bytes()
    code, out, err = _cli_in_process(capsys, *command, "--db", location)
    assert code != 0
    assert "bị hỏng" in err
    assert Path(location).read_bytes() == before


@pytest.mark.parametrize("command", [["check"], ["status"]])
def test_command_line_refuses_a_file_that_is_not_a_database(tmp_path, command, capsys):
    path = tmp_path / "Danh sách đơn vị.xlsx.db"
    path.write_bytes(b"PK\x03\x04 not a database")
    code, _, err = _cli_in_process(capsys, *command, "--db", str(path))
    assert code != 0 and "không phải là cơ sở dữ liệu" in err


def test_command_line_restore_refuses_a_damaged_backup_and_a_running_program(vn_db, tmp_path, capsys):
    location = vn_db.location
    backup = safety.make_backup(location)
    vn_db.dispose()
    corrupt_copy = backup.with_name("hỏng.db")
    corrupt_copy.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    code, _, err = _cli_in_process(capsys, "restore", "--db", location, "--from", str(corrupt_copy))
    assert code != 0 and "không dùng được" in err

    from desktop.safety.locking import lock_file_for

    lock_file_for(location).write_text("12345\ntheodoi\nmay-khac\n")
    code, _, err = _cli_in_process(capsys, "restore", "--db", location, "--from", str(backup))
    assert code != 0 and "đang mở" in err
    code, _, err = _cli_in_process(capsys, "restore", "--db", location, "--from", str(backup), "--force")
    assert code == 0, err


def test_command_line_check_lists_missing_attachments(vn_db, tmp_path, capsys):
    from db.models import Assignment, Directive, Evidence, Task, UnitReport

    with vn_db.session("test") as s:
        unit = s.execute(select(Unit)).scalars().first()
        d = Directive(number="1/KH-UBND", title="Thử")
        s.add(d)
        s.flush()
        t = Task(directive_id=d.id, title="Báo cáo")
        s.add(t)
        s.flush()
        a = Assignment(task_id=t.id, unit_id=unit.id)
        s.add(a)
        s.flush()
        r = UnitReport(assignment_id=a.id, received_on=date(2024, 10, 8))
        s.add(r)
        s.flush()
        s.add(Evidence(report_id=r.id, kind="file", target="tep-dinh-kem/Biên bản.pdf"))
    assert cli_main(["check", "--db", vn_db.location]) == 1
    out = capsys.readouterr().out
    assert "Thiếu 1 tệp đính kèm" in out and "Biên bản.pdf" in out


# ------------------------------------------------------------------ menu actions


def test_menu_backup_restore_and_check(qapp, vn_db, dialogs):
    from desktop.ui import safety_actions

    made = safety_actions.backup_now(None, vn_db)
    assert made is not None and made.exists() and str(made) in dialogs.texts("info")[-1]

    with vn_db.session("test") as s:
        ops.add_unit(s, ops.UnitInput(code="P-LL", name="UBND phường Lê Lợi"))
    dialogs.ask_answer = False
    assert safety_actions.restore_backup(None, vn_db) is False  # the officer says no
    assert _units(vn_db) == 2
    dialogs.ask_answer = True
    assert safety_actions.restore_backup(None, vn_db) is True
    assert _units(vn_db) == 1
    assert "truoc-khoi-phuc" in dialogs.texts("info")[-1]

    assert safety_actions.check_data(None, vn_db) is True
    assert "dữ liệu tốt" in dialogs.texts("info")[-1]


def test_menu_restore_without_backups_and_check_of_a_damaged_file(qapp, demo_db, dialogs):
    from desktop.ui import safety_actions

    assert safety_actions.restore_backup(None, demo_db) is False
    assert "Chưa có bản sao lưu" in dialogs.texts("info")[-1]
    location = demo_db.location
    checkpoint_and_close(demo_db)
    corrupt_pages(Path(location))
    assert safety_actions.check_data(None, demo_db) is False
    assert "bị hỏng" in dialogs.texts("error")[-1] and "Khôi phục" in dialogs.texts("error")[-1]


def test_menu_actions_have_vietnamese_texts(qapp, qtbot, vn_db, dialogs):
    from PySide6.QtWidgets import QWidget

    from desktop.ui import safety_actions

    parent = QWidget()
    qtbot.addWidget(parent)
    actions = safety_actions.make_actions(parent, lambda: vn_db)
    assert [a.text() for a in actions] == ["Sao lưu…", "Khôi phục…", "Kiểm tra dữ liệu"]
    actions[0].trigger()
    assert "Đã sao lưu" in dialogs.texts("info")[-1]


def test_backup_chooser_lists_backups_newest_first(qapp, qtbot, vn_db):
    from desktop.ui.safety_actions import BackupChooser

    older = safety.make_backup(vn_db.location, now=__import__("datetime").datetime(2024, 10, 1, 9, 0))
    newer = safety.make_backup(vn_db.location, now=__import__("datetime").datetime(2024, 10, 8, 16, 30))
    dialog = BackupChooser(None, safety.list_backups(vn_db.location))
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 0).text() == "08/10/2024 16:30:00"
    assert dialog.table.item(1, 1).text() == "Sao lưu thủ công"
    assert dialog.selected().path == newer
    dialog.table.selectRow(1)
    assert dialog.selected().path == older
    dialog.resize(560, 300)
    dialog.show()
    dialog.grab().save(str(Path(vn_db.location).parent / "chon-ban-sao-luu.png"))


def test_full_check_of_a_wal_database_in_a_folder_nobody_can_write(demo_db, tmp_path, monkeypatch):
    """A database in WAL mode in a folder the user cannot write (a shared read-only copy): SQLite
    refuses the first read (it cannot create the -shm). The full check then reads it as it is, like
    the quick check does, and counts the data. (Verified by hand as an unprivileged user; root can
    write anything, so the refusal is simulated here.)"""
    import sqlite3

    from desktop.safety import integrity

    copy = tmp_path / "ban sao" / "theodoi.db"
    copy.parent.mkdir()
    source = sqlite3.connect(demo_db.location)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    assert target.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    target.close()
    assert not Path(str(copy) + "-wal").exists()
    real = integrity.connect_readonly
    opened = []

    class Refusing:  # what a connection says when SQLite cannot create the -shm beside the file
        def execute(self, *_args):
            raise sqlite3.OperationalError("attempt to write a readonly database")

        def close(self):
            pass

    def connect(path, immutable=False):
        opened.append(immutable)
        return real(path, immutable) if immutable else Refusing()

    monkeypatch.setattr(integrity, "connect_readonly", connect)
    monkeypatch.setattr(integrity, "_folder_writable", lambda _path: False)
    result = safety.check_data(copy)
    assert result.ok and result.integrity.health == safety.Health.OK
    assert dict(result.counts)["đơn vị (kể cả nhóm)"] > 0
    assert opened.count(True) == 2  # the integrity check and the counts, each read as it is
    # a -wal beside it still waits to be merged: never read without it
    Path(str(copy) + "-wal").write_bytes(b"")
    opened.clear()
    with pytest.raises(sqlite3.OperationalError):
        integrity.open_for_reading(copy)
    assert opened == [False]
