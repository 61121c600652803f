import errno
import os
import time

import pytest

from desktop.infra import fileio


def test_written_under_a_temporary_name_then_renamed(tmp_path):
    target = tmp_path / "Báo cáo tháng 10.docx"
    seen = []

    def write(tmp):
        seen.append(tmp)
        assert not target.exists()
        tmp.write_bytes(b"abc")

    fileio.atomic_write(target, write)
    assert target.read_bytes() == b"abc" and not seen[0].exists()


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "kq.xlsx"
    target.write_bytes(b"old")

    def write(tmp):
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(fileio.OutputError, match="ổ đĩa đã đầy"):
        fileio.atomic_write(target, write)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["kq.xlsx"]


def test_locked_target_is_reported_as_open_elsewhere(tmp_path, monkeypatch):
    target = tmp_path / "kq.docx"
    target.write_bytes(b"old")
    monkeypatch.setattr(fileio.os, "replace", lambda a, b: (_ for _ in ()).throw(PermissionError(13, "denied")))
    with pytest.raises(fileio.FileLockedError, match="đang được mở"):
        fileio.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert fileio.next_free_name(target).name == "kq (2).docx"


def test_unwritable_folder_is_not_mistaken_for_a_locked_file(tmp_path, monkeypatch):
    target = tmp_path / "kq.docx"
    target.write_bytes(b"old")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "denied")

    monkeypatch.setattr(fileio.tempfile, "mkstemp", refuse)
    with pytest.raises(fileio.OutputError) as info:
        fileio.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert not isinstance(info.value, fileio.FileLockedError)
    assert "không có quyền ghi" in info.value.message


def test_stale_temporaries_of_a_killed_run_are_cleaned(tmp_path):
    target = tmp_path / "kq.xlsx"
    stale = tmp_path / ".~kq-abc.xlsx.tmp"
    fresh = tmp_path / ".~kq-def.xlsx.tmp"
    other = tmp_path / ".~khac-abc.xlsx.tmp"
    for p in (stale, fresh, other):
        p.write_bytes(b"x")
    old = time.time() - 2 * fileio.STALE_AFTER_SECONDS
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    fileio.atomic_write(target, lambda tmp: tmp.write_bytes(b"ok"))
    assert not stale.exists() and fresh.exists() and other.exists()


def test_sqlite_files_and_their_removal(tmp_path):
    from desktop.infra.fileio import remove_sqlite_files, sqlite_files

    db = tmp_path / "theo dõi.db"
    files = sqlite_files(db)
    assert [f.name for f in files] == ["theo dõi.db", "theo dõi.db-wal", "theo dõi.db-shm", "theo dõi.db-journal"]
    for f in files:
        f.write_bytes(b"x")
    other = tmp_path / "theo dõi.db-backup"
    other.write_bytes(b"x")
    remove_sqlite_files(db, main=False)  # a restore: the file stays, nothing of the old log is replayed
    assert [f.exists() for f in files] == [True, False, False, False]
    remove_sqlite_files(db)
    assert not any(f.exists() for f in files) and other.exists()
