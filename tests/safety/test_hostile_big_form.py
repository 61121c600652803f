"""A form within the old limits that takes a minute and most of the memory to reject (issue 12,
item 6): its parts and declared sheet sizes are checked before openpyxl parses anything."""

from __future__ import annotations

import os
import re
import zipfile

import pytest

from desktop.workbooks import import_annotated, import_read, importer
from desktop.workbooks.importer import preview_files
from desktop.workbooks.safety import MAX_FILE_BYTES, UnsafeFileError, check_xlsx_file
from tests.workbooks.test_template_import import TODAY, unit_form  # noqa: F401 (fixture)


def _rewrite(source, out, change):
    """Copy the zip, letting ``change(name, data)`` return each part's new bytes."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return out


@pytest.fixture
def never_parsed(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl must not see this file")

    monkeypatch.setattr(importer, "load_workbook", refuse)


def test_a_15_mb_form_with_a_huge_sheet_is_refused_before_parsing(unit_form, never_parsed):
    f = unit_form
    padding = ("<!--" + os.urandom(15_000_000).hex() + "-->").encode()  # ~30 MB that hardly compresses

    def pad(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b"<sheetData>", padding + b"<sheetData>", 1)
        return data

    path = _rewrite(f["path"], f["tmp"] / "nang.xlsx", pad)
    assert path.stat().st_size < MAX_FILE_BYTES  # within the file-size limit
    with pytest.raises(UnsafeFileError) as caught:
        check_xlsx_file(path)
    assert caught.value.kind == "bomb" and "xl/worksheets/sheet1.xml" in caught.value.message
    fp = preview_files(f["db"], [path], TODAY).files[0]
    assert not fp.accepted and not fp.loadable


def test_a_sheet_declaring_a_million_rows_is_refused_before_parsing(unit_form, never_parsed):
    f = unit_form

    def huge(name, data):
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data, count=1)
        return data

    path = _rewrite(f["path"], f["tmp"] / "rong.xlsx", huge)
    with pytest.raises(UnsafeFileError) as caught:
        check_xlsx_file(path)
    assert caught.value.kind == "bomb" and "1.048.576" in caught.value.message


def test_a_big_shared_string_table_is_refused(unit_form, never_parsed):
    f = unit_form
    strings = b"".join(b"<si><t>" + os.urandom(2000).hex().encode() + b"</t></si>" for _ in range(4000))
    path = f["tmp"] / "chuoi.xlsx"
    _rewrite(f["path"], path, lambda name, data: data)
    with zipfile.ZipFile(path, "a") as z:  # Excel keeps every text of the workbook in this one part
        z.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   + strings + b"</sst>")
    with pytest.raises(UnsafeFileError) as caught:
        check_xlsx_file(path)
    assert caught.value.kind == "bomb" and "xl/sharedStrings.xml" in caught.value.message


def test_reading_stops_at_a_bounded_number_of_cells(unit_form, monkeypatch):
    f = unit_form
    monkeypatch.setattr(import_read, "MAX_CELLS_READ", 20)
    fp = preview_files(f["db"], [f["path"]], TODAY).files[0]
    assert not fp.accepted and any("quá nhiều ô" in p.message for p in fp.errors)


def test_the_annotated_copy_is_bounded_too(unit_form, monkeypatch, tmp_path):
    f = unit_form
    fp = preview_files(f["db"], [f["path"]], TODAY).files[0]
    monkeypatch.setattr(import_annotated, "MAX_ANNOTATED_BYTES", 1000)
    monkeypatch.setattr(importer, "load_workbook", lambda *a, **k: pytest.fail("must not load"))
    with pytest.raises(ValueError, match="quá lớn để lập bản có ghi chú"):
        import_annotated.save_annotated(fp, tmp_path / "ghi-chu.xlsx")
    assert not (tmp_path / "ghi-chu.xlsx").exists()
