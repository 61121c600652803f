"""Prepared cells and the fast row writer write the same sheet XML as openpyxl's own writer."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from desktop.tracking.labels import STATUS_FILL
from desktop.workbooks.common import CellStyles, clean_text
from desktop.workbooks.sheet_xml import RowWriter, take_prepared_cells


def _write(path, rows, fast: bool) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("T")
    styles = CellStyles(wb)
    take_prepared_cells(ws)
    if not fast:  # openpyxl's own row writer
        ws._get_writer = type(ws)._get_writer.__get__(ws)
    ws.row_dimensions[1].height = 40
    writer = RowWriter(ws, 1)
    for values, height in rows:
        writer.append([styles.cell(ws, v, style) if style else v for v, style in values], height)
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def _canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


ROWS = [
    ([("Tiêu đề", "title")], None),
    ([(1, "td_center"), (" lề hai bên ", "td"), ("=1+1", "td"), (2.5, "td_dec"), (date(2024, 10, 8), "td_date"),
      (datetime(2024, 1, 2, 3, 4), "td_date"), (None, None), (None, "th"), (True, "td"), (10**12, "td_int"),
      ('a&b<c>"', "td"), (float("nan"), "td_dec"), (12, "status:overdue")], 47.5),
    ([("plain", None), (3, None), (None, None), (date(2024, 1, 1), None)], None),  # openpyxl's path
    ([], 30.0),
    ([(None, None), ("x", "note")], None),
]


def test_fast_rows_are_the_xml_openpyxl_writes(tmp_path):
    fast = _write(tmp_path / "fast.xlsx", ROWS, fast=True)
    slow = _write(tmp_path / "slow.xlsx", ROWS, fast=False)
    assert _canonical(fast) == _canonical(slow)
    assert b'xml:space="preserve"' in fast


def test_fast_rows_read_back(tmp_path):
    _write(tmp_path / "fast.xlsx", ROWS, fast=True)
    ws = load_workbook(tmp_path / "fast.xlsx")["T"]
    assert ws["A1"].value == "Tiêu đề" and ws["A1"].font.bold and ws.row_dimensions[1].height == 40
    assert ws.row_dimensions[2].height == 47.5 and ws.row_dimensions[3].height is None
    assert [ws.cell(2, c).value for c in range(1, 7)] == [1, " lề hai bên ", "=1+1", 2.5, datetime(2024, 10, 8),
                                                          datetime(2024, 1, 2, 3, 4)]
    assert ws["C2"].data_type == "s" and ws["E2"].number_format == "DD/MM/YYYY"
    assert ws["I2"].value is True and ws["J2"].value == 10**12 and ws["K2"].value == 'a&b<c>"'
    assert ws["L2"].value is None
    assert ws["M2"].fill.fgColor.rgb[-6:] == STATUS_FILL["overdue"].lstrip("#").upper()
    assert ws["A3"].value == "plain" and ws["D3"].value == datetime(2024, 1, 1)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=40), st.integers(-10**9, 10**9), st.none(),
                          st.floats(allow_nan=False, allow_infinity=False, width=32)), max_size=8))
def test_any_row_is_written_as_openpyxl_would(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("rows")
    rows = [([(v, "td") for v in values], None)]
    fast = _write(folder / "fast.xlsx", rows, fast=True)
    slow = _write(folder / "slow.xlsx", rows, fast=False)
    assert _canonical(fast) == _canonical(slow)
    back = load_workbook(folder / "fast.xlsx")["T"]
    for i, v in enumerate(values, 1):
        got = back.cell(1, i).value
        if isinstance(v, str):
            assert got == (clean_text(v) or None)
        elif v is not None:
            assert got == v or abs(got - v) <= abs(v) * 1e-15
