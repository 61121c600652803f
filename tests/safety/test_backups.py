"""Integrity check, backups with rotation, restore (Qt-free)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import Unit
from desktop import safety
from desktop.infra.database import DamagedDatabaseError, DatabaseOpenError, open_database
from desktop.safety import Health
from desktop.safety.backups import AUTO, MANUAL
from desktop.services import operations as ops

from .conftest import checkpoint_and_close, corrupt_pages


def _add_units(db, prefix: str, n: int) -> None:
    with db.session("test") as s:
        for i in range(n):
            ops.add_unit(s, ops.UnitInput(code=f"{prefix}{i}", name=f"Đơn vị {prefix} {i}"))


def _unit_count(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Unit)).scalar_one()


def _db_path(db) -> Path:
    return Path(db.location)


# ------------------------------------------------------------------ integrity


def test_healthy_missing_and_empty_files_are_accepted(db, tmp_path):
    assert safety.check_file(_db_path(db)).health == Health.OK
    assert safety.check_file(tmp_path / "chưa có.db").health == Health.MISSING
    empty = tmp_path / "trống.db"
    empty.write_bytes(b"")
    report = safety.check_file(empty)
    assert report.health == Health.EMPTY and report.ok


def test_text_file_directory_and_foreign_database_are_refused(tmp_path):
    text = tmp_path / "ghi chú.db"
    text.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    report = safety.check_file(text)
    assert report.health == Health.NOT_DATABASE and report.damaged
    assert "không phải là cơ sở dữ liệu" in report.message

    folder = tmp_path / "thư mục.db"
    folder.mkdir()
    assert safety.check_file(folder).health == Health.NOT_DATABASE

    other = tmp_path / "chương trình khác.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    report = safety.check_file(other)
    assert report.health == Health.FOREIGN and not report.ok
    assert "chương trình khác" in report.message


def test_overwritten_pages_are_detected_and_the_file_is_not_touched(demo_db):
    path = _db_path(demo_db)
    checkpoint_and_close(demo_db)
    corrupt_pages(path)
    before = path.read_bytes()
    report = safety.check_file(path)
    assert report.health == Health.DAMAGED and report.damaged
    assert "bị hỏng" in report.message
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(path)
    assert isinstance(caught.value, DatabaseOpenError) and "bị hỏng" in caught.value.message
    assert path.read_bytes() == before  # refused before anything wrote to it


def test_dangling_references_are_reported(db):
    path = _db_path(db)
    checkpoint_and_close(db)
    conn = sqlite3.connect(path)  # foreign keys are off in a plain connection: an outside tool's edit
    conn.execute("INSERT INTO unit (id, parent_id, kind, code, name, short_name, is_group, sort_order, contact_person,"
                 " phone, email, aliases, active, search_key, version) VALUES (1, 999, 'other', 'X', 'X', '', 0, 0, '',"
                 " '', '', '', 1, '', 1)")
    conn.commit()
    conn.close()
    report = safety.check_file(path)
    assert report.health == Health.INCONSISTENT
    assert any("unit" in p for p in report.problems)


@pytest.mark.parametrize("folder", ["a #1 100%", "Dữ liệu phòng VH&TT", "x?y=1"])
def test_damage_is_found_whatever_the_folder_name(demo_db, tmp_path, folder):
    """The first version opened ``file:{path}?mode=ro``: a '#' or '?' cut the path and it checked
    an empty file that did not exist, so a damaged database passed."""
    source = _db_path(demo_db)
    checkpoint_and_close(demo_db)
    target = tmp_path / folder / "cơ sở dữ liệu.db"
    target.parent.mkdir()
    target.write_bytes(source.read_bytes())
    assert safety.check_file(target).health == Health.OK
    corrupt_pages(target)
    assert safety.check_file(target).health == Health.DAMAGED
    with pytest.raises(DamagedDatabaseError):
        open_database(target)


# ------------------------------------------------------------------ backups


def test_backup_includes_what_is_still_in_the_wal_file(db):
    _add_units(db, "W", 30)  # committed, but the engine keeps the -wal file open
    assert Path(str(_db_path(db)) + "-wal").stat().st_size > 0
    backup = safety.make_backup(db.location)
    assert backup.parent == _db_path(db).parent / "sao-luu"
    assert safety.check_file(backup).health == Health.OK
    copy = open_database(backup)
    try:
        assert _unit_count(copy) == 30
    finally:
        copy.dispose()


def test_daily_backup_once_a_day(db):
    first = safety.daily_backup(db.location, keep=5, now=datetime(2024, 10, 8, 8, 0))
    assert first is not None and AUTO in first.name
    assert safety.daily_backup(db.location, keep=5, now=datetime(2024, 10, 8, 16, 30)) is None
    second = safety.daily_backup(db.location, keep=5, now=datetime(2024, 10, 9, 7, 45))
    assert second is not None and second != first
    assert [b.path for b in safety.list_backups(db.location)] == [second, first]  # newest first


def test_rotation_keeps_last_n_plus_one_per_month_and_never_manual_ones(db):
    manual = safety.make_backup(db.location, MANUAL, now=datetime(2024, 1, 1, 9, 0))
    day = datetime(2024, 1, 10, 8, 0)
    for _ in range(80):  # 80 days of use: 10/01 .. 29/03
        safety.daily_backup(db.location, keep=5, now=day)
        day += timedelta(days=1)
    autos = [b for b in safety.list_backups(db.location) if b.kind == AUTO]
    days = sorted(b.taken_at.date() for b in autos)
    newest = [date(2024, 3, 29) - timedelta(days=i) for i in range(5)]
    assert set(newest) <= set(days)
    # the oldest of each month survives: 10/01, 01/02, 01/03 (01/03 is not among the newest five)
    assert date(2024, 1, 10) in days and date(2024, 2, 1) in days and date(2024, 3, 1) in days
    assert len(days) == 5 + 3
    assert manual.exists()


def test_backups_of_other_databases_in_the_same_folder_are_not_listed(db, tmp_path):
    other = open_database(_db_path(db).with_name("khác.db"))
    try:
        safety.make_backup(other.location)
    finally:
        other.dispose()
    mine = safety.make_backup(db.location)
    assert [b.path for b in safety.list_backups(db.location)] == [mine]


def test_newest_good_backup_skips_a_damaged_one(demo_db):
    good = safety.make_backup(demo_db.location, now=datetime(2024, 10, 1, 9, 0))
    bad = safety.make_backup(demo_db.location, now=datetime(2024, 10, 2, 9, 0))
    corrupt_pages(bad)
    assert safety.list_backups(demo_db.location)[0].path == bad
    assert safety.newest_good_backup(demo_db.location).path == good


def test_backup_of_a_damaged_file_is_refused(demo_db):
    path = _db_path(demo_db)
    checkpoint_and_close(demo_db)
    corrupt_pages(path)
    with pytest.raises(safety.SafetyError, match="bị hỏng"):
        safety.make_backup(path)
    assert safety.list_backups(path) == []


def test_an_interrupted_backup_is_never_offered_and_is_cleaned_up(db):
    """A power cut during a copy leaves only ``….db.tmp`` (written aside, renamed when checked)."""
    import os

    good = safety.make_backup(db.location, now=datetime(2024, 10, 7, 8, 0))
    half = good.parent / f"{Path(db.location).stem}-tu-dong-20241008-080000.db.tmp"
    half.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert [b.path for b in safety.list_backups(db.location)] == [good]
    assert safety.newest_good_backup(db.location).path == good
    os.utime(half, (0, 0))  # hours old: no copy is still running
    made = safety.daily_backup(db.location, keep=5)
    assert made is not None and not half.exists()


def test_backup_on_a_full_disk_says_so_and_leaves_nothing(db, monkeypatch):
    from desktop.safety import backups

    def full(source, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.with_name(target.name + ".tmp").write_bytes(b"half")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backups, "backup_file", full)
    with pytest.raises(safety.SafetyError) as caught:
        safety.make_backup(db.location)
    assert "ổ đĩa đã đầy" in caught.value.message
    assert list((_db_path(db).parent / "sao-luu").iterdir()) == []


# ------------------------------------------------------------------ restore


def test_restore_brings_back_the_backup_and_keeps_the_current_data_aside(db):
    _add_units(db, "A", 3)
    backup = safety.make_backup(db.location)
    _add_units(db, "B", 4)
    assert _unit_count(db) == 7

    result = safety.restore(db.location, backup)

    assert _unit_count(db) == 3  # the open Database object sees the restored content
    assert result.kept_aside is not None and "truoc-khoi-phuc" in result.kept_aside.name
    aside = open_database(result.kept_aside)
    try:
        assert _unit_count(aside) == 7
    finally:
        aside.dispose()
    _add_units(db, "C", 1)  # and keeps working
    assert _unit_count(db) == 4
    assert safety.check_file(_db_path(db)).health == Health.OK


def test_restore_refuses_a_damaged_backup_and_changes_nothing(demo_db):
    backup = safety.make_backup(demo_db.location)
    corrupt_pages(backup)
    before = _unit_count(demo_db)
    with pytest.raises(safety.SafetyError, match="không dùng được"):
        safety.restore(demo_db.location, backup)
    assert _unit_count(demo_db) == before
    assert not any("truoc-khoi-phuc" in b.path.name for b in safety.list_backups(demo_db.location))


def test_restore_over_a_damaged_file_keeps_the_damaged_bytes(demo_db):
    path = _db_path(demo_db)
    units = _unit_count(demo_db)
    backup = safety.make_backup(demo_db.location)
    checkpoint_and_close(demo_db)
    corrupt_pages(path)
    damaged = path.read_bytes()

    result = safety.restore(path, backup)

    assert result.previous.health == Health.DAMAGED
    assert result.kept_aside.read_bytes() == damaged and "-hong-" in result.kept_aside.name
    reopened = open_database(path)
    try:
        assert _unit_count(reopened) == units
    finally:
        reopened.dispose()


def test_safety_core_and_its_command_line_import_without_qt():
    """desktop.safety and desktop.cli.safety are Qt-free (the import-linter contract in
    pyproject.toml should list desktop.safety too)."""
    import subprocess
    import sys

    code = ("import sys; import desktop.safety, desktop.safety.maintenance, desktop.safety.locking, "
            "desktop.cli.safety, desktop.infra.startup; "
            "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide6' in m)")
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=True)
