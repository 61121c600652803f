"""An import cut off by a database failure (disk full, server stopped) still ends with a per-file
result: which files got in, which were refused, which were not reached; nothing half-applied."""

from __future__ import annotations

import sqlite3

import pytest
from openpyxl import load_workbook
from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import UnitReport
from desktop.cli import main as cli_main
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.import_model import STATUS_APPLIED, STATUS_NOT_REACHED, STATUS_REFUSED
from desktop.workbooks.importer import apply_preview, preview_files
from desktop.workbooks.template import SHEET_FORM, export_templates
from tests.workbooks.filling import fill, rows_by_assignment

TODAY = DEMO_TODAY
FAIL_AT = 3  # the third file's commit fails


@pytest.fixture
def filled_forms(demo_db, tmp_path):
    """Five filled forms (one row each, five units) and one refused file."""
    blanks = export_templates(demo_db, tmp_path / "blank", TODAY)
    forms = []
    for i, blank in enumerate(blanks):
        wb = load_workbook(blank)
        rows = rows_by_assignment(wb[SHEET_FORM])
        wb.close()
        if not rows:
            continue
        aid = next(iter(rows))
        out = tmp_path / f"phieu-{len(forms) + 1}.xlsx"
        fill(blank, out, {aid: {"state": "Đang thực hiện", "content": f"Nội dung báo cáo số {len(forms) + 1}."}})
        forms.append((out, aid))
        if len(forms) == 5:
            break
    assert len(forms) == 5
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"not a workbook at all")
    return forms, bad


def _fail_commit_at(monkeypatch, k: int) -> None:
    """Every import transaction's commit counts; the k-th raises "database or disk is full"."""
    real_commit = Session.commit
    count = {"n": 0}

    def commit(self):
        if str(self.info.get("context", "")).startswith("import:"):
            count["n"] += 1
            if count["n"] == k:
                raise sa_exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", commit)


def _reported(db, aid) -> list[str]:
    with db.session() as s:
        return [r.content for r in s.execute(select(UnitReport).where(UnitReport.assignment_id == aid)).scalars()]


def test_apply_reports_each_file_when_the_database_fails_midway(demo_db, filled_forms, monkeypatch):
    forms, bad = filled_forms
    preview = preview_files(demo_db, [p for p, _ in forms] + [bad], TODAY)
    assert len(preview.accepted) == 5 and len(preview.rejected) == 1
    _fail_commit_at(monkeypatch, FAIL_AT)
    result = apply_preview(demo_db, preview, TODAY)
    monkeypatch.undo()
    statuses = {f.file_name: f.status for f in result.all_files}
    assert statuses["hong.xlsx"] == STATUS_REFUSED
    applied = [n for n, s in statuses.items() if s == STATUS_APPLIED]
    failed = [f for f in result.files if f.status == STATUS_REFUSED]
    not_reached = [n for n, s in statuses.items() if s == STATUS_NOT_REACHED]
    assert len(applied) == FAIL_AT - 1 and len(failed) == 1 and len(not_reached) == 5 - FAIL_AT
    assert "đã đầy" in failed[0].message
    assert result.stopped and "đã đầy" in result.stopped
    by_name = {p.name: aid for p, aid in forms}
    for name, aid in by_name.items():
        got = any("Nội dung báo cáo số" in c for c in _reported(demo_db, aid))
        assert got == (name in applied), name
    kept = {f.name for f in (demo_db.folder / "tep-dinh-kem" / "phieu-excel").glob("*.xlsx")}
    assert len(kept) == FAIL_AT - 1  # the failed file's kept copy is gone, the others were never made
    summary = result.summary()
    assert "Đã nhập" in summary and "Bị từ chối" in summary and "Chưa xử lý" in summary
    for name in statuses:
        assert name in summary


def test_cli_import_prints_the_per_file_result_and_exits_non_zero(demo_db, filled_forms, monkeypatch, capsys):
    forms, bad = filled_forms
    _fail_commit_at(monkeypatch, FAIL_AT)
    code = cli_main(["import", "--db", str(demo_db.location), "--today", TODAY.isoformat(),
                     *[str(p) for p, _ in forms], str(bad)])
    monkeypatch.undo()
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    assert "đã đầy" in out
    lines = out.splitlines()
    for path, _aid in forms:
        assert any(path.name in line for line in lines if line.startswith(("Đã nhập", "Bị từ chối", "Chưa xử lý"))), path
    assert sum(line.startswith("Đã nhập «") for line in lines) == FAIL_AT - 1
    assert sum(line.startswith("Chưa xử lý «") for line in lines) == 5 - FAIL_AT


def test_window_shows_the_per_file_result_when_the_database_fails(qtbot, demo_db, filled_forms, monkeypatch):
    from desktop.ui import common
    from desktop.ui.import_dialog import ImportPreviewDialog

    shown: list[tuple[str, str]] = []
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(common, kind, lambda parent, text, title=None, details=None, k=kind: shown.append((k, text)))
    monkeypatch.setattr(common, "ask", lambda *a, **k: True)
    forms, bad = filled_forms
    dialog = ImportPreviewDialog(demo_db, [p for p, _ in forms] + [bad], today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog._busy, timeout=30000)
    _fail_commit_at(monkeypatch, FAIL_AT)
    with qtbot.waitSignal(dialog.imported, timeout=30000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog._busy, timeout=30000)
    kinds = [k for k, _ in shown]
    assert "error" not in kinds and not any("Lỗi không mong đợi" in t for _, t in shown)
    text = next(t for k, t in shown if k == "warn")
    assert "đã đầy" in text
    assert text.count("Đã nhập «") == FAIL_AT - 1 and text.count("Chưa xử lý «") == 5 - FAIL_AT
    assert "Bị từ chối «hong.xlsx»" in text


def test_cli_json_gives_each_file_its_status(demo_db, filled_forms, monkeypatch, capsys):
    import json

    forms, bad = filled_forms
    _fail_commit_at(monkeypatch, FAIL_AT)
    code = cli_main(["import", "--db", str(demo_db.location), "--today", TODAY.isoformat(), "--json",
                     *[str(p) for p, _ in forms], str(bad)])
    monkeypatch.undo()
    payload = json.loads(capsys.readouterr().out)
    assert code == 1 and "đã đầy" in payload["stopped"]
    statuses = [f["applied"]["status"] for f in payload["files"]]
    assert statuses.count(STATUS_APPLIED) == FAIL_AT - 1 and statuses.count(STATUS_NOT_REACHED) == 5 - FAIL_AT
    assert statuses.count(STATUS_REFUSED) == 2
