"""Kill the process (SIGKILL / TerminateProcess) in the middle of a large import and of a large
export: the database passes integrity_check and holds all of the import or none of it; no
half-written file is left under the export's final name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from db.models import UnitReport
from desktop import safety
from desktop.cli.core import status_payload
from desktop.infra.database import open_database
from desktop.services.demo import DEMO_TODAY

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env=env, cwd=str(ROOT))


def _wait_for(proc: subprocess.Popen, word: str) -> None:
    line = proc.stdout.readline().strip()
    if line != word:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"child said {line!r} instead of {word!r}: {err[-2000:]}")


def _kill(proc: subprocess.Popen) -> None:
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no cleanup code runs
    proc.communicate()
    assert proc.returncode != 0


def _counts(path: Path) -> tuple[int, dict]:
    db = open_database(path)
    try:
        with db.session() as s:
            reports = s.execute(select(func.count()).select_from(UnitReport)).scalar_one()
        return reports, status_payload(db, None, None, DEMO_TODAY)
    finally:
        db.dispose()


@pytest.fixture
def demo_file(demo_db) -> Path:
    path = Path(demo_db.location)
    demo_db.dispose()
    return path


def test_kill_in_the_middle_of_a_large_import_leaves_none_of_it(demo_file):
    reports_before, status_before = _counts(demo_file)
    wal = Path(str(demo_file) + "-wal")
    proc = _start("import", str(demo_file), "0", "100000000")
    _wait_for(proc, "HALF")
    wal_at_kill = wal.stat().st_size if wal.exists() else 0
    _kill(proc)

    # The child waited until the reports and their change-log rows no longer fitted in SQLite's
    # page cache: pages of the unfinished transaction were in the -wal file when it died.
    assert wal_at_kill > 0
    report = safety.check_file(demo_file)
    assert report.health == safety.Health.OK, report.problems
    reports_after, status_after = _counts(demo_file)
    assert reports_after == reports_before  # none of the import
    assert status_after == status_before


def test_an_import_that_completes_is_all_there(demo_file):
    reports_before, _ = _counts(demo_file)
    proc = _start("import", str(demo_file), "100", "200")
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert out.split() == ["HALF", "COMMITTING", "COMMITTED"]
    reports_after, status = _counts(demo_file)
    assert reports_after == reports_before + 200  # all of it
    assert safety.check_file(demo_file).health == safety.Health.OK


def _old_workbook(path: Path) -> bytes:
    wb = Workbook()
    wb.active.append(["Bản xuất hôm trước", 1])
    wb.save(path)
    return path.read_bytes()


def _leftovers(folder: Path, final: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p != final]


@pytest.mark.parametrize("mode", ["export-bytes", "export-xlsx"])
def test_kill_in_the_middle_of_a_large_export_leaves_the_previous_file(tmp_path, mode):
    folder = tmp_path / "Xuất báo cáo"
    folder.mkdir()
    final = folder / "Bảng theo dõi tháng 10.xlsx"
    old = _old_workbook(final)
    proc = _start(mode, str(final), "20000000" if mode == "export-bytes" else "60000")
    _wait_for(proc, "HALF")
    temp_files = _leftovers(folder, final)
    assert len(temp_files) == 1 and temp_files[0].name.startswith(".~")  # the export is being written aside
    _kill(proc)

    assert final.read_bytes() == old  # the final name still holds the complete previous file
    wb = load_workbook(final, read_only=True)
    assert next(wb.active.iter_rows(values_only=True)) == ("Bản xuất hôm trước", 1)
    wb.close()
    for leftover in _leftovers(folder, final):  # only a hidden temporary name may remain
        assert leftover.name.startswith(".~") and leftover.suffix == ".tmp"


def test_kill_during_a_first_export_leaves_no_file_under_the_final_name(tmp_path):
    final = tmp_path / "Báo cáo mới.docx"
    proc = _start("export-bytes", str(final), "5000000")
    _wait_for(proc, "HALF")
    _kill(proc)
    assert not final.exists()
