"""Nothing printed under 9 pt (issue 14): the effective printed size of the smallest font, worked
out from each sheet's page set-up, margins and column widths, for the demo workbook and a unit's
form; every sheet on A4 with page numbers, wide sheets in landscape."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from db.queries import find_directive, find_unit
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.export import export_workbook
from desktop.workbooks.template import SHEET_FORM, export_template

A4 = (595.0, 842.0)  # points
DEFAULT_WIDTH = 8.43


def _column_points(width: float) -> float:
    # a digit of the default font (11 pt) is 7 px at 96 dpi, plus 5 px of cell padding
    return (width * 7 + 5) * 0.75


def _printed(ws) -> dict:
    """Smallest font, scale and the resulting printed size of one sheet, as Excel would print it."""
    smallest = min(c.font.sz for row in ws.iter_rows() for c in row if c.value not in (None, ""))
    widths = [ws.column_dimensions[get_column_letter(i)].width or DEFAULT_WIDTH
              for i in range(1, ws.max_column + 1)]
    content = sum(_column_points(w) for w in widths)
    landscape = ws.page_setup.orientation == "landscape"
    m = ws.page_margins
    printable = (A4[1] if landscape else A4[0]) - (m.left + m.right) * 72
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        scale = min(1.0, printable / content)
    else:
        scale = (ws.page_setup.scale or 100) / 100
        if content * scale > printable:  # several pages across: the title columns repeat and fit
            assert ws.print_title_cols, ws.title
            _first, last = ws.print_title_cols.replace("$", "").split(":")
            titles = sum(_column_points(w) for w in widths[:_index(last)])
            assert titles * scale < printable * 0.6, ws.title
    return {"smallest": smallest, "scale": scale, "size": smallest * scale, "content": content,
            "printable": printable}


def _index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter)


def _check_page(ws) -> dict:
    # widths count characters of the default font: the font every cell is written in, 11 pt
    assert ws.parent._fonts[0].name == "Times New Roman" and ws.parent._fonts[0].sz == 11
    assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
    assert "&P" in (ws.oddFooter.center.text or "") + (ws.oddHeader.center.text or ""), ws.title
    assert ws.print_title_rows, ws.title
    printed = _printed(ws)
    assert printed["size"] >= 9.0, (ws.title, printed)
    if printed["content"] > A4[0]:
        assert ws.page_setup.orientation == "landscape", ws.title
    return printed


@pytest.mark.parametrize("directive", [None, "128/VHTT"])
def test_every_sheet_of_the_workbook_prints_at_9_pt_or_more(demo_db, tmp_path, directive):
    directive_id = None
    if directive:
        with demo_db.session() as s:
            directive_id = find_directive(s, directive).id
    wb = load_workbook(export_workbook(demo_db, tmp_path / "x.xlsx", DEMO_TODAY, directive_id=directive_id))
    sizes = {ws.title: _check_page(ws) for ws in wb.worksheets}
    # wide sheets run over pages rather than shrink
    assert sizes["Ma trận"]["scale"] < 1 and sizes["Ma trận"]["content"] > sizes["Ma trận"]["printable"]
    wb.close()


def test_unit_form_prints_at_9_pt_or_more(demo_db, tmp_path):
    with demo_db.session() as s:
        unit_id = find_unit(s, "P-MC").id
    wb = load_workbook(export_template(demo_db, unit_id, tmp_path / "phieu.xlsx", DEMO_TODAY))
    _check_page(wb[SHEET_FORM])
    wb.close()


def test_summary_fits_one_page_width_even_with_long_unit_names(demo_db, tmp_path):
    with demo_db.session() as s:
        unit = find_unit(s, "P-MC")
        unit.name = "Ủy ban nhân dân phường Máy Chai thuộc thành phố Hải Phòng (sau sắp xếp đơn vị hành chính 2025)"
    wb = load_workbook(export_workbook(demo_db, tmp_path / "x.xlsx", DEMO_TODAY))
    ws = wb["Tổng hợp"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and _check_page(ws)["size"] >= 9.0
    row = next(c.row for c in ws["B"] if c.value and str(c.value).startswith("Ủy ban nhân dân phường Máy Chai"))
    assert ws.row_dimensions[row].height and ws.row_dimensions[row].height >= 30  # the name wraps
    wb.close()
