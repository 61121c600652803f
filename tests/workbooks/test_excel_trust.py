"""Workbooks an Excel user can trust (issue 13, item 7): text that stays text after an edit, whole
numbers without a trailing point, totals that follow a filter, rates as numbers, signature lines.
Read back with openpyxl; the totals' formulas are also computed by LibreOffice."""

from __future__ import annotations

import csv
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Assignment
from db.queries import find_directive, find_unit
from desktop.cli.core import status_payload
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.export import SHEET_FIGURES, SHEET_SUMMARY, SUMMARY_COLUMNS, export_workbook

RISKY = ["=1+1", "+84 912 345 678", "-Tuyên truyền trên loa", "@SUM(A1)"]


def _header_row(ws, first_title: str = "STT") -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first_title:
            return row[0].row
    raise AssertionError(f"no table header in {ws.title}")


@pytest.fixture
def exported(demo_db, tmp_path):
    path = export_workbook(demo_db, tmp_path / "tong-hop.xlsx", DEMO_TODAY)
    return demo_db, path


def test_text_that_excel_would_read_as_a_formula_keeps_its_quote_prefix(demo_db, tmp_path):
    with demo_db.session() as s:
        directive = find_directive(s, "128/VHTT")
        unit = find_unit(s, "P-MC")
        for i, text in enumerate(RISKY):
            task = ops.add_task(s, directive.id, ops.TaskInput(title=f"Nhiệm vụ thử {i}", start_date=date(2024, 10, 1),
                                                               due_date=date(2024, 10, 20), unit_ids=[unit.id]))
            a = s.execute(select(Assignment).where(Assignment.task_id == task.id)).scalar_one()
            ops.record_report(s, a.id, ops.ReportInput(received_on=date(2024, 10, 5), completed_on=date(2024, 10, 5),
                                                       content=text, unit_doc_number="15/BC-UBND"), DEMO_TODAY)
    wb = load_workbook(export_workbook(demo_db, tmp_path / "x.xlsx", DEMO_TODAY))
    quoted, plain = {}, 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "s" or not cell.value:
                    continue
                if cell.value[0] in "=+-@" or cell.value[0] < " ":
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    quoted[cell.value] = cell.coordinate
                else:
                    assert not cell.quotePrefix, (ws.title, cell.coordinate)
                    plain += 1
    assert set(RISKY) <= set(quoted) and plain > 100
    wb.close()


def test_control_characters_first_keep_the_quote_prefix_in_streamed_and_normal_sheets(tmp_path):
    from openpyxl import Workbook

    from desktop.workbooks.common import CellStyles
    from desktop.workbooks.sheet_xml import take_prepared_cells

    texts = ["\tthụt lề", "\rdòng", "\nxuống", "=A1", "bình thường", "a=b"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("T")
    take_prepared_cells(ws)
    styles = CellStyles(wb)
    ws.append([styles.cell(ws, t, "td") for t in texts])
    wb.save(tmp_path / "w.xlsx")
    normal = Workbook()
    styles = CellStyles(normal)
    for i, t in enumerate(texts, 1):
        styles.set(normal.active, 1, i, t, "input")
    normal.save(tmp_path / "n.xlsx")
    for name in ("w.xlsx", "n.xlsx"):
        sheet = load_workbook(tmp_path / name).worksheets[0]
        assert [sheet.cell(1, i).value for i in range(1, 7)] == texts
        assert [bool(sheet.cell(1, i).quotePrefix) for i in range(1, 7)] == [True] * 4 + [False] * 2, name


def test_number_formats_show_whole_numbers_without_a_point(exported):
    _db, path = exported
    wb = load_workbook(path, data_only=True)
    formats = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                fmt = cell.number_format
                formats.add(fmt)
                assert fmt != "#,##0.##", (ws.title, cell.coordinate)
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    if fmt == "#,##0.0#":
                        assert not float(cell.value).is_integer(), (ws.title, cell.coordinate)
    assert "#,##0" in formats
    wb.close()


def _summary_rows(ws):
    header = _header_row(ws)
    rows, total = [], None
    for row in ws.iter_rows(min_row=header + 1):
        if row[1].value == "Tổng cộng":
            total = row
            break
        rows.append(row)
    return header, rows, total


def test_totals_are_subtotals_and_rates_are_numbers(demo_db, tmp_path):
    with demo_db.session() as s:  # a unit with nothing due yet has no rate
        unit = ops.add_unit(s, ops.UnitInput(code="P-MOI", name="UBND phường Mới"))
        directive = find_directive(s, "128/VHTT")
        ops.add_task(s, directive.id, ops.TaskInput(title="Nhiệm vụ chưa đến hạn", start_date=date(2024, 10, 1),
                                                    due_date=date(2024, 12, 20), unit_ids=[unit.id]))
    path = export_workbook(demo_db, tmp_path / "x.xlsx", DEMO_TODAY)
    wb = load_workbook(path)
    ws = wb[SHEET_SUMMARY]
    header, rows, total = _summary_rows(ws)
    first, last = header + 1, header + len(rows)
    titles = [c.title for c in SUMMARY_COLUMNS]
    for j, column in enumerate(SUMMARY_COLUMNS):
        cell = total[j]
        letter = cell.column_letter
        if column.style == "td_int":
            assert cell.value == f"=SUBTOTAL(109,{letter}{first}:{letter}{last})"
            assert cell.number_format == "#,##0"
        elif column.style == "td_rate":
            assert cell.data_type == "f" and cell.number_format == "0.0%"
    due = titles.index("Đã đến hạn")
    rate_columns = [j for j, c in enumerate(SUMMARY_COLUMNS) if c.style == "td_rate"]
    empty_rates = 0
    for row in rows:
        for j in rate_columns:
            value = row[j].value
            assert value is None or type(value) in (int, float), (row[j].coordinate, value)
            assert row[j].number_format == "0.0%"
            if row[due].value == 0:
                assert value is None
                empty_rates += 1
    assert empty_rates == len(rate_columns)  # the new unit's
    assert ws.auto_filter.ref.endswith(str(last))  # the total row is outside the filter
    wb.close()


def test_signature_lines_under_the_summary(exported, demo_db):
    _db, path = exported
    wb = load_workbook(path)
    ws = wb[SHEET_SUMMARY]
    _header, _rows, total = _summary_rows(ws)
    below = {c.value: c for row in ws.iter_rows(min_row=total[0].row + 1) for c in row if c.value}
    assert "NGƯỜI LẬP BIỂU" in below and "THỦ TRƯỞNG ĐƠN VỊ" in below
    left, right = below["NGƯỜI LẬP BIỂU"], below["THỦ TRƯỞNG ĐƠN VỊ"]
    assert left.row == right.row and left.column < right.column and left.font.bold
    assert any(str(v).startswith(f"{demo_db.settings().place_name}, ngày 08 tháng 10 năm 2024") for v in below)
    signer = below[demo_db.settings().signer_name]  # the head's name under room to sign
    assert signer.column == right.column and signer.row >= right.row + 3
    wb.close()


def _libreoffice_csv(path, out_dir, tmp_path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice computes it: a fresh profile told to recalculate OOXML formulas on
    load, so the cached values written with the formulas are not simply read back."""
    profile = tmp_path / "lo-profile" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item></oor:items>", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile.parent}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(out_dir), str(path)], check=True, capture_output=True, timeout=180)
    sheets = {}
    for f in out_dir.glob(f"{path.stem}-*.csv"):
        with open(f, encoding="utf-8", newline="") as fh:
            sheets[f.stem[len(path.stem) + 1:]] = list(csv.reader(fh))
    return sheets


def _number(text: str) -> float:
    return float(text.replace(",", "")) if text else 0.0


def test_libreoffice_computes_the_totals_the_data_gives(exported, tmp_path):
    demo_db, path = exported
    wb = load_workbook(path)
    ws = wb[SHEET_SUMMARY]
    _header, _rows, total = _summary_rows(ws)
    total_row = total[0].row
    wb.close()
    out = tmp_path / "lo"
    out.mkdir()
    sheets = _libreoffice_csv(path, out, tmp_path)
    summary = sheets[SHEET_SUMMARY]
    line = summary[total_row - 1]
    assert line[1] == "Tổng cộng"
    s = status_payload(demo_db, None, None, DEMO_TODAY)["summary"]
    counts = [j for j, c in enumerate(SUMMARY_COLUMNS) if c.style == "td_int"]
    assert [int(_number(line[j])) for j in counts] == [s["assigned"], s["due"], s["on_time"], s["late"], s["overdue"],
                                                      s["in_progress"], s["no_deadline"], s["pending_review"],
                                                      s["excluded"]]
    titles = [c.title for c in SUMMARY_COLUMNS]
    on_time, not_done = titles.index("Tỷ lệ đúng hạn (%)"), titles.index("Tỷ lệ chưa hoàn thành (%)")
    assert float(line[on_time].rstrip("%")) == pytest.approx(s["on_time_rate"], abs=0.05)
    assert float(line[not_done].rstrip("%")) == pytest.approx(s["not_done_rate"], abs=0.05)
    # the figures list: each indicator's total is the sum of its unit lines
    figures = sheets[SHEET_FIGURES]
    header = next(i for i, r in enumerate(figures) if r and r[0] == "STT")
    checked = 0
    rows = figures[header + 1:]
    for i, r in enumerate(rows):
        if r and r[0].isdigit() and r[6]:
            units = []
            for nxt in rows[i + 1:]:
                if not nxt or not nxt[0].startswith(f"{r[0]}."):
                    break
                units.append(_number(nxt[6]))
            assert _number(r[6]) == pytest.approx(sum(units))
            checked += 1
    assert checked


def test_filtering_changes_the_subtotal_not_a_fixed_value(exported, tmp_path):
    """Hide all but the first unit row (as a filter does) and LibreOffice's total is that row's."""
    _db, path = exported
    wb = load_workbook(path)
    ws = wb[SHEET_SUMMARY]
    _header, rows, total = _summary_rows(ws)
    first = [c.value for c in rows[0]]
    for row in rows[1:]:
        ws.row_dimensions[row[0].row].hidden = True
    wb.save(tmp_path / "filtered.xlsx")
    total_row = total[0].row
    wb.close()
    out = tmp_path / "lo"
    out.mkdir()
    sheets = _libreoffice_csv(tmp_path / "filtered.xlsx", out, tmp_path)
    line = sheets[SHEET_SUMMARY][total_row - 1]
    counts = [j for j, c in enumerate(SUMMARY_COLUMNS) if c.style == "td_int"]
    assert [int(_number(line[j])) for j in counts] == [first[j] for j in counts]


def test_libreoffice_computes_the_figures_table_totals(demo_db, tmp_path):
    with demo_db.session() as s:
        directive_id = find_directive(s, "128/VHTT").id
    path = export_workbook(demo_db, tmp_path / "one.xlsx", DEMO_TODAY, directive_id=directive_id)
    cached = load_workbook(path, data_only=True)[SHEET_FIGURES]
    total_row = next(c.row for c in cached["B"] if c.value == "Tổng cộng")
    expected = [cached.cell(total_row, col).value for col in range(3, cached.max_column + 1)]
    out = tmp_path / "lo"
    out.mkdir()
    line = _libreoffice_csv(path, out, tmp_path)[SHEET_FIGURES][total_row - 1]
    assert line[1] == "Tổng cộng"
    computed = [_number(v) for v in line[2:2 + len(expected)]]
    assert computed == pytest.approx([float(v or 0) for v in expected]) and any(expected)
