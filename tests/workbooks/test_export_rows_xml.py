"""Rows appended as prepared values (``CellStyles.value`` + ``RowWriter.append_values``, the big
sheets' path) are the XML openpyxl's own writer gives for the same styled cells, and read back
with their values, styles, quote prefix and formulas."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from desktop.workbooks.common import CellStyles, Formula
from desktop.workbooks.sheet_xml import RowWriter, take_prepared_cells


def _sheet_xml(path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return etree.tostring(etree.fromstring(z.read("xl/worksheets/sheet1.xml")), method="c14n")


def _write(path, rows, prepared: bool) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("T")
    styles = CellStyles(wb)
    take_prepared_cells(ws)
    if not prepared:  # openpyxl's own row writer for styled cells
        ws._get_writer = type(ws)._get_writer.__get__(ws)
    writer = RowWriter(ws, 1)
    for values, height in rows:
        if prepared:
            writer.append_values([styles.value(v, s) if s else None for v, s in values], height)
        else:
            writer.append([styles.cell(ws, v, s) if s else None for v, s in values], height)
    wb.save(path)
    return _sheet_xml(path)


ROWS = [
    ([(1, "td_center"), ("tiêu đề", "td"), ("=1+1", "td"), (" lề ", "td"), ('a&b<c>"', "td")], None),
    ([(None, None), (2.5, "td_dec"), (date(2024, 10, 8), "td_date"), (datetime(2024, 1, 2, 3, 4), "td_date"),
      (None, "td_rate"), (0.667, "td_rate"), (10**12, "td_int")], 47.5),
    ([("-x", "td"), ("+84", "td"), ("@a", "td"), ("\tb", "td"), ("dòng\r\nhai", "td"), (True, "td")], 30.0),
]


def test_prepared_values_are_the_xml_openpyxl_writes(tmp_path):
    assert _write(tmp_path / "a.xlsx", ROWS, True) == _write(tmp_path / "b.xlsx", ROWS, False)
    ws = load_workbook(tmp_path / "a.xlsx")["T"]
    assert [ws.cell(1, c).value for c in range(1, 6)] == [1, "tiêu đề", "=1+1", " lề ", 'a&b<c>"']
    assert ws["C1"].data_type == "s" and ws["C1"].quotePrefix and not ws["B1"].quotePrefix
    assert ws["B2"].number_format == "#,##0.0#" and ws["C2"].value == datetime(2024, 10, 8)
    assert ws["F2"].number_format == "0.0%" and ws["E2"].value is None and ws["E2"].border.left.style == "thin"
    assert ws.row_dimensions[2].height == 47.5
    assert all(ws.cell(3, c).quotePrefix for c in range(1, 5)) and ws["E3"].value == "dòng\r\nhai"


def test_formula_with_its_cached_value(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("T")
    styles = CellStyles(wb)
    take_prepared_cells(ws)
    rows = RowWriter(ws, 1)
    rows.append_values([styles.value(2, "td_int"), styles.value(3, "td_int")])
    rows.append_values([styles.value(Formula("SUBTOTAL(109,A1:B1)", 5), "total_int"),
                        styles.value(Formula('IF(A2>0,B1/A2,"")', 0.6), "total_rate"),
                        styles.value(Formula('IF(0>0,1,"")', ""), "total_rate")])
    wb.save(tmp_path / "f.xlsx")
    ws = load_workbook(tmp_path / "f.xlsx")["T"]
    assert ws["A2"].value == "=SUBTOTAL(109,A1:B1)" and ws["B2"].value == '=IF(A2>0,B1/A2,"")'
    cached = load_workbook(tmp_path / "f.xlsx", data_only=True)["T"]
    assert [cached["A2"].value, cached["B2"].value] == [5, 0.6] and cached["C2"].value in ("", None)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=40), st.integers(-10**9, 10**9), st.none(),
                          st.floats(allow_nan=False, allow_infinity=False, width=32)), max_size=8))
def test_any_row_of_values_is_written_as_openpyxl_would(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("values")
    rows = [([(v, "td") for v in values], None)]
    assert _write(folder / "a.xlsx", rows, True) == _write(folder / "b.xlsx", rows, False)
