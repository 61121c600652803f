"""Hostile or odd content in a received form (issue 12, item 6): macros, external links, absurd
figures, invisible characters, giant cells, a unit line in NFD. Each is refused with a clear
Vietnamese message, or cleaned by one consistent rule (invisible characters are removed)."""

from __future__ import annotations

import random
import shutil
import string
import unicodedata
import zipfile

import pytest

from desktop.workbooks.importer import apply_preview, preview_files
from desktop.workbooks.template import SHEET_FORM
from tests.workbooks.filling import edit, fill
from tests.workbooks.test_template_import import TODAY, _done, _reports, unit_form  # noqa: F401 (fixture)


def _errors(db, path) -> list[str]:
    fp = preview_files(db, [path], TODAY).files[0]
    return [p.message for p in fp.errors]


def _add_part(source, out, name: str, data: bytes = b"<x/>"):
    shutil.copyfile(source, out)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr(name, data)
    return out


def test_a_macro_enabled_workbook_is_refused(unit_form):
    f = unit_form
    xlsm = f["tmp"] / "phieu.xlsm"
    shutil.copyfile(f["path"], xlsm)
    errors = _errors(f["db"], xlsm)
    assert errors and "macro" in errors[0]


def test_an_xlsx_holding_a_vba_project_is_refused(unit_form):
    f = unit_form
    path = _add_part(f["path"], f["tmp"] / "co-macro.xlsx", "xl/vbaProject.bin", b"\x00" * 64)
    errors = _errors(f["db"], path)
    assert errors and "macro" in errors[0]


def test_external_link_parts_are_refused(unit_form):
    f = unit_form
    path = _add_part(f["path"], f["tmp"] / "lien-ket.xlsx", "xl/externalLinks/externalLink1.xml")
    errors = _errors(f["db"], path)
    assert errors and "liên kết" in errors[0]


@pytest.mark.parametrize("figure", [1e20, 1.7e308, "1e20"])
def test_absurd_figures_are_refused(unit_form, figure):
    f = unit_form
    aid = f["with_figures"]
    path = fill(f["path"], f["tmp"] / "so-lon.xlsx", {aid: _done(f["info"][aid], figures={1: figure})})
    errors = _errors(f["db"], path)
    assert any("quá lớn" in e or "phải là số" in e for e in errors), errors


def test_invisible_characters_are_removed_from_numbers_and_ids(unit_form):
    f = unit_form
    db, aid = f["db"], f["with_figures"]
    values = _done(f["info"][aid], figures={1: "1\u200b2"}, content="Đã\u202e triển khai\u2066 xong.")
    values["doc_number"] = "12\u200b/BC-\u200dUBND\ufeff"
    path = fill(f["path"], f["tmp"] / "vo-hinh.xlsx", {aid: values})
    preview = preview_files(db, [path], TODAY)
    fp = preview.files[0]
    assert fp.accepted, fp.problems
    result = apply_preview(db, preview, TODAY)
    assert not result.failed
    report = _reports(db, aid)[-1]
    assert report.unit_doc_number == "12/BC-UBND"
    assert report.content == "Đã triển khai xong."
    with db.session() as s:
        from sqlalchemy import select

        from db.models import ReportFigure
        figures = s.execute(select(ReportFigure.value_number).where(ReportFigure.report_id == report.id)).scalars().all()
    assert 12 in figures


def _replace_in_zip(source, out, marker: str, replacement: str):
    """openpyxl itself cuts what it writes to 32,767 characters: put the giant text in the XML."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data.replace(marker.encode(), replacement.encode()))
    return out


def test_a_giant_cell_is_refused_not_cut(unit_form):
    f = unit_form
    aid = f["with_figures"]
    marked = fill(f["path"], f["tmp"] / "marked.xlsx", {aid: _done(f["info"][aid], content="GIANT-CELL-MARK")})
    rng = random.Random(12)
    giant = "".join(rng.choice(string.ascii_letters + " ") for _ in range(5_000_000))  # compresses like text
    path = _replace_in_zip(marked, f["tmp"] / "o-lon.xlsx", "GIANT-CELL-MARK", giant)
    errors = _errors(f["db"], path)
    assert any("32.767" in e for e in errors), errors


def test_a_unit_line_in_nfd_is_the_same_unit(unit_form):
    f = unit_form
    aid = f["without"]

    def to_nfd(wb):
        ws = wb[SHEET_FORM]
        for row in ws.iter_rows(max_row=10, max_col=1):
            cell = row[0]
            if isinstance(cell.value, str) and cell.value.startswith("Đơn vị báo cáo"):
                cell.value = unicodedata.normalize("NFD", cell.value)
                return
        raise AssertionError("no unit line")

    nfd = edit(f["path"], f["tmp"] / "nfd.xlsx", to_nfd)
    path = fill(nfd, f["tmp"] / "nfd-filled.xlsx", {aid: {"state": "Đang thực hiện", "content": "Đang làm."}})
    fp = preview_files(f["db"], [path], TODAY).files[0]
    assert fp.accepted, fp.problems
