"""The unit's form says what the office knows (issue 14): the real status with days late, a returned
report with its reason, a date to send the form back by, the reporting unit in the header, and
room to write by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Assignment, AssignmentState
from db.queries import find_unit
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.tracking.labels import fmt_date
from desktop.tracking.status import Status, compute_status
from desktop.workbooks.template import SHEET_FORM, export_template
from tests.workbooks.filling import columns, rows_by_assignment

REASON = "Thiếu ảnh minh chứng buổi tuyên truyền"


@pytest.fixture
def form(demo_db, tmp_path):
    with demo_db.session() as s:
        unit = find_unit(s, "P-MC")
        open_rows = s.execute(select(Assignment).where(
            Assignment.unit_id == unit.id,
            Assignment.state.in_([AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value]))
            .order_by(Assignment.id)).scalars().all()
        returned = open_rows[-1]
        ops.return_for_more(s, returned.id, REASON)
        unit_id, returned_id, unit_name = unit.id, returned.id, unit.name
    path = export_template(demo_db, unit_id, tmp_path / "phieu.xlsx", DEMO_TODAY)
    wb = load_workbook(path)
    yield demo_db, unit_id, unit_name, returned_id, wb
    wb.close()


def test_current_status_is_the_status_rule_with_days_late(form):
    db, unit_id, _name, returned_id, wb = form
    ws = wb[SHEET_FORM]
    cols = columns(ws)
    rows = rows_by_assignment(ws)
    soon = db.settings().due_soon_days
    with db.session() as s:
        assignments = {a.id: a for a in s.execute(select(Assignment).where(Assignment.id.in_(list(rows)))).scalars()}
    overdue = 0
    for aid, r in rows.items():
        a = assignments[aid]
        text = ws.cell(row=r, column=cols["Tình trạng hiện tại"]).value
        result = compute_status(a.state, a.effective_due, a.completed_on, DEMO_TODAY, soon)
        if result.status is Status.OVERDUE:
            assert f"Quá hạn {result.days_late} ngày" in text, (aid, text)
            overdue += 1
        if a.state == AssignmentState.NOT_STARTED.value and result.status is Status.OVERDUE:
            assert "Chưa thực hiện" not in text
    assert overdue


def test_returned_report_shows_the_reason(form):
    _db, _uid, _name, returned_id, wb = form
    ws = wb[SHEET_FORM]
    cell = ws.cell(row=rows_by_assignment(ws)[returned_id], column=columns(ws)["Tình trạng hiện tại"])
    assert cell.value.startswith(f"Trả lại, yêu cầu bổ sung: {REASON}")
    assert cell.alignment.wrap_text


def test_header_names_the_unit_and_a_return_date(form):
    db, _uid, unit_name, _rid, wb = form
    ws = wb[SHEET_FORM]
    assert ws["A1"].value == db.settings().parent_agency.upper()
    assert ws["A2"].value == unit_name.upper() and ws["A2"].font.bold
    texts = [ws.cell(row=r, column=1).value or "" for r in range(1, 8)]
    due = fmt_date(DEMO_TODAY + timedelta(days=7))
    assert any(f"Hạn gửi lại {db.settings().agency_name}: trước ngày {due}" in t for t in texts), texts


def test_return_date_given_by_the_officer(demo_db, tmp_path):
    with demo_db.session() as s:
        unit_id = find_unit(s, "P-MC").id
    wb = load_workbook(export_template(demo_db, unit_id, tmp_path / "p.xlsx", DEMO_TODAY, return_by=date(2024, 10, 15)))
    texts = [wb[SHEET_FORM].cell(row=r, column=1).value or "" for r in range(1, 8)]
    assert any("trước ngày 15/10/2024" in t for t in texts)


def test_rows_have_room_to_write_by_hand(form):
    _db, _uid, _name, _rid, wb = form
    ws = wb[SHEET_FORM]
    for r in rows_by_assignment(ws).values():
        assert ws.row_dimensions[r].height >= 45


def test_cli_takes_the_return_date_and_refuses_one_in_the_past(demo_db, tmp_path, capsys):
    from desktop.cli import main as cli_main

    out = tmp_path / "p.xlsx"
    code = cli_main(["template", "--db", demo_db.location, "--unit", "P-MC", "--out", str(out),
                     "--today", "2024-10-08", "--return-by", "20/10/2024"])
    assert code == 0
    texts = [load_workbook(out)[SHEET_FORM].cell(row=r, column=1).value or "" for r in range(1, 8)]
    assert any("trước ngày 20/10/2024" in t for t in texts)
    code = cli_main(["template", "--db", demo_db.location, "--unit", "P-MC", "--out", str(out),
                     "--today", "2024-10-08", "--return-by", "01/10/2024"])
    assert code == 2 and "phải sau ngày lập phiếu" in capsys.readouterr().err


def test_report_awaiting_approval_counts_days_late_to_the_day_received(demo_db, tmp_path):
    with demo_db.session() as s:
        unit = find_unit(s, "P-MC")
        a = next(a for a in s.execute(select(Assignment).where(
            Assignment.unit_id == unit.id, Assignment.state == AssignmentState.NOT_STARTED.value)).scalars()
            if a.effective_due and a.effective_due < DEMO_TODAY - timedelta(days=3))
        received = a.effective_due + timedelta(days=2)
        ops.record_report(s, a.id, ops.ReportInput(received_on=received, completed_on=received, content="Đã làm"),
                          DEMO_TODAY)
        unit_id, aid = unit.id, a.id
    ws = load_workbook(export_template(demo_db, unit_id, tmp_path / "p.xlsx", DEMO_TODAY))[SHEET_FORM]
    text = ws.cell(row=rows_by_assignment(ws)[aid], column=columns(ws)["Tình trạng hiện tại"]).value
    assert text == "Đã báo cáo, chờ duyệt (báo cáo chậm 2 ngày)"
