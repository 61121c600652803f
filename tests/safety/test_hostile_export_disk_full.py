"""A full disk during an export: the right Vietnamese message and nothing else — no "Exception
ignored" traceback from half-written sheets collected later, no file left behind (issue 12, item 4)."""

from __future__ import annotations

import gc
import os
import sys
import tempfile

import pytest

from desktop.cli import main as cli_main
from desktop.infra import fileio
from desktop.infra.fileio import OutputError
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.export import export_workbook


@pytest.fixture
def disk_full(monkeypatch):
    """Every output written through atomic_write lands on /dev/full: each write fails with ENOSPC."""
    real = tempfile.mkstemp

    def full_mkstemp(prefix="", suffix="", dir=None):
        fd, name = real(prefix=prefix, suffix=suffix, dir=dir)
        os.close(fd)
        os.unlink(name)
        os.symlink("/dev/full", name)
        return os.open(name, os.O_WRONLY), name

    monkeypatch.setattr(fileio.tempfile, "mkstemp", full_mkstemp)


@pytest.fixture
def unraisable(monkeypatch):
    caught: list = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: caught.append(info))
    return caught


def test_export_on_a_full_disk_says_so_and_nothing_more(demo_db, tmp_path, disk_full, unraisable, capsys):
    out = tmp_path / "tong-hop.xlsx"
    with pytest.raises(OutputError) as caught:
        export_workbook(demo_db, out, DEMO_TODAY)
    assert "ổ đĩa đã đầy" in caught.value.message
    gc.collect()
    gc.collect()
    assert unraisable == [], [(u.exc_type, u.exc_value, u.object) for u in unraisable]
    captured = capsys.readouterr()
    assert "Exception ignored" not in captured.err and "Traceback" not in captured.err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".tmp")) == []


def test_cli_excel_on_a_full_disk(demo_db, tmp_path, disk_full, unraisable, capsys):
    out = tmp_path / "tong-hop.xlsx"
    code = cli_main(["excel", "--db", str(demo_db.location), "--out", str(out), "--today", DEMO_TODAY.isoformat()])
    gc.collect()
    captured = capsys.readouterr()
    assert code == 1 and "ổ đĩa đã đầy" in captured.err
    assert "Exception ignored" not in captured.err and "Traceback" not in captured.err
    assert unraisable == []


def test_unit_forms_on_a_full_disk(demo_db, tmp_path, disk_full, unraisable, capsys):
    from desktop.workbooks.template import export_templates

    with pytest.raises(OutputError) as caught:
        export_templates(demo_db, tmp_path / "phieu", DEMO_TODAY)
    assert "ổ đĩa đã đầy" in caught.value.message
    gc.collect()
    assert unraisable == [], [(u.exc_type, u.exc_value, u.object) for u in unraisable]
    assert "Exception ignored" not in capsys.readouterr().err
    assert list((tmp_path / "phieu").iterdir()) == []
