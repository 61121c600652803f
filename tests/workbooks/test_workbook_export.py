"""The workbook for the level above, read back with openpyxl: content, numbers, format, print set-up."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from db.models import Assignment, UnitReport
from db.queries import find_directive, find_unit
from desktop.cli import main as cli_main
from desktop.cli.core import status_payload
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.tracking.labels import STATUS_FILL, STATUS_MARK
from desktop.workbooks.common import CellStyles, clean_text
from desktop.workbooks.export import (
    SHEET_DETAIL,
    SHEET_FIGURES,
    SHEET_MATRIX,
    SHEET_SUMMARY,
    SUMMARY_COLUMNS,
    export_workbook,
)

SHEETS = [SHEET_SUMMARY, SHEET_MATRIX, SHEET_DETAIL, SHEET_FIGURES]


def _header_row(ws, first_title: str = "STT") -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first_title:
            return row[0].row
    raise AssertionError(f"no table header in {ws.title}")


def _rows_after(ws, header_row: int, skip: int = 0):
    for row in ws.iter_rows(min_row=header_row + 1 + skip):
        yield row


@pytest.fixture
def workbook(demo_db, tmp_path):
    path = export_workbook(demo_db, tmp_path / "tong-hop.xlsx", DEMO_TODAY)
    wb = load_workbook(path, data_only=True)  # the totals are formulas: their cached values
    yield wb
    wb.close()


def test_four_sheets_with_the_official_header(workbook, demo_db):
    assert workbook.sheetnames == SHEETS
    settings = demo_db.settings()
    for ws in workbook.worksheets:
        assert ws["A1"].value == settings.parent_agency.upper()
        assert ws["A2"].value == settings.agency.upper()
        assert ws["A2"].font.bold and not ws["A1"].font.bold
        right = [c for c in ws[1] if c.value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
        assert right and right[0].font.bold
        assert any(c.value == "Độc lập - Tự do - Hạnh phúc" and c.font.bold for c in ws[2])
        title = ws["A4"]
        assert title.value == title.value.upper() and title.font.bold and title.font.size == 14
        assert ws["A5"].value.startswith("(Kèm theo Báo cáo số") and ws["A5"].font.italic
        assert settings.report_symbol in ws["A5"].value and settings.agency_name in ws["A5"].value
        assert "08/10/2024" in ws["A6"].value
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert any(r.startswith("A4:") for r in merged)
        # Times New Roman everywhere a value was written.
        for row in ws.iter_rows(max_row=min(ws.max_row, 60)):
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Times New Roman", (ws.title, cell.coordinate)


def test_print_setup_frozen_panes_and_filters(workbook):
    for ws in workbook.worksheets:
        header = _header_row(ws)
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows.startswith(f"${header}:")
        frozen_row = int("".join(ch for ch in ws.freeze_panes if ch.isdigit()))
        assert frozen_row > header
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A")
        assert ws.column_dimensions["B"].width >= 10
    summary = workbook[SHEET_SUMMARY]
    assert summary.freeze_panes == f"C{_header_row(summary) + 1}"


def test_summary_agrees_with_status_json(workbook, demo_db):
    payload = status_payload(demo_db, None, None, DEMO_TODAY)
    ws = workbook[SHEET_SUMMARY]
    header = _header_row(ws)
    titles = [c.value for c in ws[header]]
    assert titles == [c.title for c in SUMMARY_COLUMNS]
    per_unit = defaultdict(lambda: defaultdict(int))
    for a in payload["assignments"]:
        counts = per_unit[a["unit"]]
        counts["assigned"] += 1
        counts[a["status"]] += 1
    rows = {}
    total = None
    for row in _rows_after(ws, header):
        values = [c.value for c in row]
        if values[1] == "Tổng cộng":
            total = values
            break
        rows[values[1]] = values
    assert set(rows) == set(per_unit)
    for unit, values in rows.items():
        counts = per_unit[unit]
        assert values[2] == counts["assigned"]
        assert values[4] == counts["on_time"]
        assert values[5] == counts["late"]
        assert values[6] == counts["overdue"]
        assert values[3] == counts["on_time"] + counts["late"] + counts["overdue"]
    s = payload["summary"]
    assert total[2:11] == [s["assigned"], s["due"], s["on_time"], s["late"], s["overdue"], s["in_progress"],
                           s["no_deadline"], s["pending_review"], s["excluded"]]
    assert total[11] * 100 == pytest.approx(s["on_time_rate"])
    assert total[12] * 100 == pytest.approx(s["late_rate"])
    assert total[13] * 100 == pytest.approx(s["not_done_rate"])
    rate_cell = ws.cell(row=header + len(rows) + 1, column=12)
    assert rate_cell.number_format == "0.0%" and rate_cell.font.bold


def test_directive_scope_agrees_with_status_json(any_demo_db, tmp_path):
    """Also on PostgreSQL: the newest-report query uses a window function."""
    demo_db = any_demo_db
    path = export_workbook(demo_db, tmp_path / "x.xlsx", DEMO_TODAY,
                           directive_id=_directive_id(demo_db, "128/VHTT"))
    payload = status_payload(demo_db, "128/VHTT", None, DEMO_TODAY)
    wb = load_workbook(path, data_only=True)
    ws = wb[SHEET_SUMMARY]
    header = _header_row(ws)
    total = next(r for r in _rows_after(ws, header) if r[1].value == "Tổng cộng")
    s = payload["summary"]
    assert [c.value for c in total[2:7]] == [s["assigned"], s["due"], s["on_time"], s["late"], s["overdue"]]
    assert "128/VHTT" in ws["A6"].value
    detail = wb[SHEET_DETAIL]
    assert sum(1 for r in _rows_after(detail, _header_row(detail)) if r[0].value is not None) == s["assigned"]
    wb.close()


def _directive_id(db, number: str) -> int:
    with db.session() as s:
        return find_directive(s, number).id


def test_matrix_cells_carry_status_colour_and_mark(workbook, demo_db):
    payload = status_payload(demo_db, None, None, DEMO_TODAY)
    ws = workbook[SHEET_MATRIX]
    header = _header_row(ws)
    unit_columns = {c.value: c.column for c in ws[header][4:] if c.value}
    assert ws.cell(row=header, column=5).alignment.text_rotation == 90
    coloured = 0
    fills = {v.lstrip("#").upper() for v in STATUS_FILL.values()}
    for row in _rows_after(ws, header):
        if row[0].value is None:
            break
        for cell in row[4:]:
            if cell.value is None:
                continue
            assert cell.fill.fgColor.rgb[-6:] in fills
            mark = str(cell.value).split(" ")[0]
            status = next(k for k, v in STATUS_MARK.items() if v == mark)
            assert cell.fill.fgColor.rgb[-6:] == STATUS_FILL[status].lstrip("#").upper()
            coloured += 1
    assert coloured == len(payload["assignments"])
    assert unit_columns  # short unit names as column headers
    legend = [r[2].value for r in ws.iter_rows(min_row=header) if r[1].value in STATUS_MARK.values()]
    assert "Hoàn thành đúng hạn" in legend and "Quá hạn" in legend


def test_detail_has_every_assignment_with_real_dates(workbook, demo_db):
    payload = status_payload(demo_db, None, None, DEMO_TODAY)
    ws = workbook[SHEET_DETAIL]
    header = _header_row(ws)
    titles = [c.value for c in ws[header]]
    due_col = titles.index("Hạn hiện tại")
    done_col = titles.index("Ngày hoàn thành")
    content_col = titles.index("Nội dung báo cáo gần nhất")
    rows = [r for r in _rows_after(ws, header) if r[0].value is not None]
    assert len(rows) == len(payload["assignments"])
    expected_due = sorted(a["deadline"] or "" for a in payload["assignments"])
    got_due = sorted(r[due_col].value.date().isoformat() if r[due_col].value else "" for r in rows)
    assert got_due == expected_due
    dated = [r[done_col] for r in rows if r[done_col].value is not None]
    assert dated and all(isinstance(c.value, datetime) and c.number_format == "DD/MM/YYYY" for c in dated)
    with demo_db.session() as s:
        reported = set(s.execute(select(UnitReport.assignment_id)).scalars())
    with_content = [r for r in rows if r[content_col].value]
    assert len(with_content) == len(reported)
    assert all(r[content_col].data_type == "s" for r in with_content)


def test_user_text_starting_with_equals_stays_text(demo_db, tmp_path):
    evil = '=HYPERLINK("http://evil.example","bấm vào")'
    with demo_db.session() as s:
        directive = find_directive(s, "128/VHTT")
        unit = find_unit(s, "P-MC")
        task = ops.add_task(s, directive.id, ops.TaskInput(title=evil, start_date=date(2024, 10, 1),
                                                           due_date=date(2024, 10, 20), unit_ids=[unit.id]))
        a = s.execute(select(Assignment).where(Assignment.task_id == task.id)).scalar_one()
        ops.record_report(s, a.id, ops.ReportInput(received_on=date(2024, 10, 5), completed_on=date(2024, 10, 5),
                                                   content="=1+1", unit_doc_number="@SUM(A1)"), DEMO_TODAY)
    path = export_workbook(demo_db, tmp_path / "x.xlsx", DEMO_TODAY)
    wb = load_workbook(path)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # only the totals' own formulas
                    assert cell.value.startswith(("=SUBTOTAL(109,", "=IF(")), (ws.title, cell.coordinate)
                elif isinstance(cell.value, str) and cell.value.startswith(("=", "@")):
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
                    found.append(cell.value)
    assert evil in found and "=1+1" in found and "@SUM(A1)" in found
    wb.close()


def test_progress_is_reported_and_the_cli_writes_the_file(demo_db, tmp_path, capsys):
    calls = []
    export_workbook(demo_db, tmp_path / "a.xlsx", DEMO_TODAY, progress=lambda d, t, m: calls.append((d, t, m)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    out = tmp_path / "cli.xlsx"
    code = cli_main(["excel", "--db", demo_db.location, "--directive", "45/KH-UBND", "--out", str(out),
                     "--today", "2024-10-08"])
    assert code == 0 and out.exists()
    assert "Đã ghi" in capsys.readouterr().out
    code = cli_main(["excel", "--db", demo_db.location, "--directive", "999/XX", "--out", str(out)])
    assert code == 2 and "Không tìm thấy văn bản" in capsys.readouterr().err


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_text_round_trips_as_text(tmp_path_factory, text):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("T")
    styles = CellStyles(wb)
    ws.append([styles.cell(ws, text, "td")])
    path = tmp_path_factory.mktemp("rt") / "t.xlsx"
    wb.save(path)
    back = load_workbook(path)["T"]["A1"]
    expected = clean_text(text)
    if expected.strip() == "" and expected != "":
        # Whitespace-only strings survive too (xml:space="preserve").
        assert back.value == expected
    elif expected:
        assert back.value == expected and back.data_type == "s"
    else:
        assert back.value is None
