"""Saving an export when the disk is full, the folder is read-only or the file is open in Word or
Excel: a clear Vietnamese message, the previous file intact, no temporary file left behind."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from desktop.infra import fileio
from desktop.infra.fileio import FileLockedError, OutputError, atomic_write, next_free_name


def _workbook_writer(rows: int = 200):
    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "Tổng hợp"
        for i in range(rows):
            ws.append([i, f"Phường số {i}", date(2024, 10, 8)])
        wb.save(tmp)
    return write


def _previous(folder: Path, name: str) -> tuple[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    wb = Workbook()
    wb.active.append(["bản trước"])
    wb.save(path)
    return path, path.read_bytes()


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_disk_full_while_writing(tmp_path):
    folder = tmp_path / "Báo cáo gửi UBND"
    target, before = _previous(folder, "Tổng hợp tháng 10.xlsx")

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError) as caught:
        atomic_write(target, write)
    assert "ổ đĩa đã đầy" in caught.value.message
    assert target.read_bytes() == before
    assert _only(folder) == [target.name]  # the half-written temporary file is gone


def test_disk_full_before_anything_is_written(tmp_path, monkeypatch):
    folder = tmp_path / "Xuất"
    folder.mkdir()

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.tempfile, "mkstemp", no_space)
    with pytest.raises(OutputError, match="ổ đĩa đã đầy"):
        atomic_write(folder / "Bảng.xlsx", _workbook_writer())
    assert _only(folder) == []


def test_read_only_folder_with_chmod(tmp_path):
    """A folder the officer may read but not write (as an ordinary user: tests.unprivileged)."""
    from tests.unprivileged import run_unprivileged

    folder = tmp_path / "Thư mục chỉ đọc"
    folder.mkdir()
    folder.chmod(0o500)

    def check():
        with pytest.raises(OutputError) as caught:
            atomic_write(folder / "Báo cáo.docx", _workbook_writer())
        assert "không có quyền ghi" in caught.value.message
        assert _only(folder) == []

    try:
        run_unprivileged(check, tmp_path)
    finally:
        folder.chmod(0o700)


def test_read_only_folder_refusing_the_rename(tmp_path, monkeypatch):
    """As root chmod is ineffective: the refusal is simulated where Windows gives it (rename)."""
    folder = tmp_path / "Thư mục chỉ đọc"
    folder.mkdir()

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Access is denied", str(dst))

    monkeypatch.setattr(fileio.os, "replace", refuse)
    with pytest.raises(OutputError) as caught:
        atomic_write(folder / "Báo cáo.xlsx", _workbook_writer())
    assert not isinstance(caught.value, FileLockedError)
    assert "không có quyền ghi" in caught.value.message
    assert _only(folder) == []


def test_file_open_in_excel(tmp_path, monkeypatch):
    """Windows refuses to replace a file another program holds open (PermissionError on
    rename, the target existing); the message says so, the old file and its name stay."""
    folder = tmp_path / "Dữ liệu phòng VH&TT"
    target, before = _previous(folder, "Tổng hợp.xlsx")
    real_replace = os.replace

    def locked(src, dst):
        if Path(dst) == target:
            raise PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", locked)
    with pytest.raises(FileLockedError) as caught:
        atomic_write(target, _workbook_writer())
    assert "đang được mở" in caught.value.message and "Excel" in caught.value.message
    assert target.read_bytes() == before
    assert _only(folder) == [target.name]

    # what the dialog offers next: save under a free name, nothing is lost
    other = atomic_write(next_free_name(target), _workbook_writer())
    assert other.name == "Tổng hợp (2).xlsx"
    wb = load_workbook(other, read_only=True)
    assert wb.sheetnames == ["Tổng hợp"]
    wb.close()
    assert target.read_bytes() == before


def test_a_writer_bug_leaves_nothing_and_passes_through(tmp_path):
    folder = tmp_path / "Xuất"
    target, before = _previous(folder, "Báo cáo.xlsx")

    def broken(tmp: Path) -> None:
        Document().save(tmp)
        raise ValueError("All strings must be XML compatible")

    with pytest.raises(ValueError):
        atomic_write(target, broken)
    assert target.read_bytes() == before
    assert _only(folder) == [target.name]


@pytest.mark.parametrize("exporter", ["workbook", "report"])
def test_real_exports_keep_the_previous_file_when_the_disk_fills(demo_db, tmp_path, monkeypatch, exporter):
    """The application's own exports go through atomic_write: a disk that fills up while the
    file is saved leaves the previous export as it was."""
    if exporter == "workbook":
        export = pytest.importorskip("desktop.workbooks.export").export_workbook
        run = lambda out: export(demo_db, out, date(2024, 10, 8))  # noqa: E731
        name = "Bảng theo dõi.xlsx"
    else:
        build = pytest.importorskip("desktop.documents.report").build_report
        run = lambda out: build(demo_db, out, today=date(2024, 10, 8))  # noqa: E731
        name = "Báo cáo kết quả.docx"
    folder = tmp_path / "Xuất báo cáo"
    target, before = _previous(folder, name)
    real_fsync = os.fsync

    def full(fd):  # the data reach the disk at fsync: that is where a full disk shows
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(OutputError) as caught:
        run(target)
    assert "ổ đĩa đã đầy" in caught.value.message
    assert target.read_bytes() == before
    assert _only(folder) == [target.name]
    monkeypatch.setattr(fileio.os, "fsync", real_fsync)
    run(target)  # space freed: the same command now replaces the file
    assert target.read_bytes() != before
