"""Leftovers of killed runs are removed on the next start (issue 12, item 6): partial exports,
unfinished backup copies, kept copies of an import that never committed. Young files stay (another
PC or thread may be writing them), and so does everything the database points to."""

from __future__ import annotations

import inspect
import os
import time

from sqlalchemy import select

from db.models import UnitReport
from desktop.infra import paths
from desktop.safety.leftovers import clean_leftovers

HOUR = 3600


def _file(path, age_seconds: float, data: bytes = b"x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))
    return path


def test_leftovers_are_removed_and_the_rest_kept(demo_db, tmp_path):
    db = demo_db
    data = paths.folder_for(db.location)
    attachments = data / paths.ATTACHMENTS_FOLDER
    backups = paths.backups_dir(db.location)
    documents = tmp_path / "Documents"
    with db.session() as s:  # a real kept copy, referenced by a report
        report = s.execute(select(UnitReport)).scalars().first()
        report.source_file = "tep-dinh-kem/phieu-excel/20241008-abc-phieu.xlsx"
    old = 2 * HOUR
    gone = [
        _file(documents / ".~Báo cáo-ab12.docx.tmp", old),
        _file(data / ".~tong-hop-cd34.xlsx.tmp", old),
        _file(attachments / "minh-chung" / "2024-10" / ".~anh-ef56.jpg.tmp", old),
        _file(backups / "demo-truoc-khoi-phuc-20241008-101010.db.tmp", old),
        _file(attachments / "phieu-excel" / "20241008-dead-phieu-mo-coi.xlsx", old),  # orphan kept copy
    ]
    kept = [
        _file(documents / ".~dang-ghi-1234.xlsx.tmp", 60),  # being written right now
        _file(attachments / "phieu-excel" / "20241008-abc-phieu.xlsx", old),  # referenced
        _file(attachments / "phieu-excel" / "20241008-new-phieu.xlsx", 60),  # an import in progress
        _file(documents / "Báo cáo.docx", old),  # the officer's own file
        _file(backups / "demo-thu-cong-20241008-101010.db", old),  # a real backup
        _file(attachments / "minh-chung" / "2024-10" / "anh.jpg", old),
    ]
    removed = clean_leftovers(db, documents=documents)
    assert sorted(removed) == sorted(gone)
    assert not any(p.exists() for p in gone)
    assert all(p.exists() for p in kept)
    assert clean_leftovers(db, documents=documents) == []  # nothing twice


def test_cleaning_never_stops_the_start(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "attachments_root", lambda location: 1 / 0)
    assert clean_leftovers(demo_db, documents=tmp_path) == []


def test_the_window_start_cleans_leftovers():
    from desktop.ui import app

    assert "clean_leftovers(" in inspect.getsource(app.launch)
