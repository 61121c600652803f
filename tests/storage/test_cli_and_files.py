"""The command line, Word reports, Excel workbooks and the template import on both backends.
These call the public functions of desktop.documents / desktop.workbooks; their own detailed
tests live beside that code."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from docx import Document
from sqlalchemy import func, select

from db.models import Assignment, ChangeLog, UnitReport
from db.queries import assignment_rows, find_directive, find_unit
from desktop.cli import main as cli_main
from desktop.cli.core import status_payload
from desktop.documents import build_report
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.export import export_workbook
from desktop.workbooks.importer import apply_preview, preview_files
from desktop.workbooks.template import CHOICE_DONE, SHEET_FORM, SHEET_META, Layout, export_template, read_meta_rows


def _run(capsys, *args):
    code = cli_main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.postgres
def test_every_command_takes_a_postgres_url(pg_db, pg_demo_db, tmp_path, capsys):
    fresh, url = pg_db.location, pg_demo_db.location
    assert url.startswith("postgresql://")  # as a user types it, without the driver
    pg_db.dispose()
    code, out, err = _run(capsys, "demo", "--db", fresh)
    assert code == 0, err
    code, out, err = _run(capsys, "status", "--db", fresh, "--today", "2024-10-08", "--json")
    assert code == 0, err
    assert json.loads(out) == status_payload(pg_demo_db, None, None, DEMO_TODAY)

    code, out, err = _run(capsys, "report", "--db", url, "--directive", "128/VHTT", "--today", "2024-10-08",
                          "--out", tmp_path / "bao-cao.docx")
    assert code == 0, err
    assert (tmp_path / "bao-cao.docx").stat().st_size > 0
    code, out, err = _run(capsys, "reminder", "--db", url, "--today", "2024-10-08", "--out", tmp_path / "dd.docx")
    assert code == 0, err
    code, out, err = _run(capsys, "excel", "--db", url, "--today", "2024-10-08", "--out", tmp_path / "th.xlsx")
    assert code == 0, err
    code, out, err = _run(capsys, "template", "--db", url, "--unit", "P-MC", "--today", "2024-10-08",
                          "--out", tmp_path / "phieu.xlsx")
    assert code == 0, err
    code, out, err = _run(capsys, "import", "--db", url, "--dry-run", "--json", "--today", "2024-10-08",
                          tmp_path / "phieu.xlsx")
    assert code == 0, err
    assert json.loads(out)["files"][0]["accepted"] is True
    directive = tmp_path / "cv.txt"
    directive.write_text("UBND QUẬN NGÔ QUYỀN\nSố: 99/UBND-VHTT\nV/v tuyên truyền\n"
                         "1. Giao UBND phường Máy Chai chủ trì treo băng rôn, hoàn thành trước ngày 15/10/2024.\n",
                         encoding="utf-8")
    code, out, err = _run(capsys, "read-directive", directive, "--db", url, "--json")
    assert code == 0, err
    assert "Máy Chai" in out
    for command in ("backup", "check"):  # file-level safety commands: done, or told what to use instead
        code, out, err = _run(capsys, command, "--db", url)
        assert code == 0 or (code == 2 and "PostgreSQL" in err), (command, err)


@pytest.mark.postgres
def test_theodoi_db_may_name_the_server(pg_demo_db, monkeypatch, capsys):
    monkeypatch.setenv("THEODOI_DB", pg_demo_db.location)
    code, out, err = _run(capsys, "status", "--directive", "45/KH-UBND", "--today", "2024-10-08", "--json")
    assert code == 0, err
    assert json.loads(out) == status_payload(pg_demo_db, "45/KH-UBND", None, DEMO_TODAY)


def test_cli_reports_an_unreachable_server_in_vietnamese(capsys):
    code, out, err = _run(capsys, "status", "--db", "postgresql://lan:bimat@127.0.0.1:1/theodoi")
    assert code == 1 and "Không kết nối được" in err and "bimat" not in err


def test_word_report_on_any_backend(any_demo_db, tmp_path):
    with any_demo_db.session() as s:
        directive_id = find_directive(s, "45/KH-UBND").id
        units = {r.unit_name for r in assignment_rows(s, directive_ids=[directive_id])}
    result = build_report(any_demo_db, tmp_path / "bc.docx", today=DEMO_TODAY, directive_ids=[directive_id])
    text = "\n".join(p.text for p in Document(result.path).paragraphs)
    cells = {c.text for t in Document(result.path).tables for row in t.rows for c in row.cells}
    assert "45/KH-UBND" in text
    assert result.units == len(units)
    assert any(name in cell for cell in cells for name in units)


def test_excel_workbook_on_any_backend(any_demo_db, tmp_path):
    path = export_workbook(any_demo_db, tmp_path / "th.xlsx", DEMO_TODAY)
    with any_demo_db.session() as s:
        total = s.execute(select(func.count()).select_from(Assignment)).scalar()
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert len(wb.sheetnames) >= 3
        cells = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    finally:
        wb.close()
    assert any("UBND phường Máy Chai" in str(v) for v in cells)
    assert total > 300


def _fill_first_row(path, completed: date, content: str) -> int:
    wb = openpyxl.load_workbook(path)
    meta, _ = read_meta_rows(wb[SHEET_META].iter_rows(values_only=True))
    layout = Layout.from_meta(meta["layout"])
    excel_row, assignment_id, _ = meta["rows"][0]
    ws = wb[SHEET_FORM]
    ws.cell(excel_row, layout.columns["state"]).value = CHOICE_DONE
    ws.cell(excel_row, layout.columns["completed"]).value = completed.strftime("%d/%m/%Y")
    ws.cell(excel_row, layout.columns["content"]).value = content
    ws.cell(excel_row, layout.columns["doc_number"]).value = "77/BC-UBND"
    wb.save(path)
    return assignment_id


def test_template_import_on_any_backend(any_demo_db, tmp_path):
    with any_demo_db.session() as s:
        unit_id = find_unit(s, "P-MC").id
    path = export_template(any_demo_db, unit_id, tmp_path / "phieu.xlsx", DEMO_TODAY)
    aid = _fill_first_row(path, date(2024, 10, 7), "Đã tổ chức tuyên truyền trên loa phát thanh phường")
    preview = preview_files(any_demo_db, [path], DEMO_TODAY)
    assert [f.accepted for f in preview.files] == [True]
    result = apply_preview(any_demo_db, preview, DEMO_TODAY)
    assert result.reports == 1 and not result.failed
    with any_demo_db.session() as s:
        a = s.get(Assignment, aid)
        assert a.state == "cho_duyet" and a.completed_on == date(2024, 10, 7)
        report = s.execute(select(UnitReport).where(UnitReport.assignment_id == aid)
                           .order_by(UnitReport.id.desc())).scalars().first()
        assert report.unit_doc_number == "77/BC-UBND" and "loa phát thanh" in report.content
        who = s.execute(select(ChangeLog.os_user, ChangeLog.context).where(
            ChangeLog.table_name == "assignment", ChangeLog.record_id == aid, ChangeLog.field == "state")).all()
    assert who and all(user == any_demo_db.user for user, _ in who)
    assert all(context for _, context in who)
    again = preview_files(any_demo_db, [path], DEMO_TODAY)  # the same file twice changes nothing more
    assert apply_preview(any_demo_db, again, DEMO_TODAY).reports == 0
