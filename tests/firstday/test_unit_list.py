"""The office's own unit list: read as Excel saves it, checked row by row, written only on confirmation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lists import bad_rows, ward_rows, write_csv, write_xlsx
from sqlalchemy import func, select

from db.models import Unit, UnitKind
from desktop.workbooks.unit_list import UnitListError, apply_unit_list, make_code, read_unit_list


def _count(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Unit)).scalar_one()


def _check_preview(preview) -> None:
    good = {r.code: r for r in preview.good_rows}
    assert len(good) == 45 + 1  # the 45, and the club in a group the database does not have yet
    assert good["TDP07"].name == "Tổ dân phố số 7" and good["TDP07"].group == "Tổ dân phố"
    assert good["TDP07"].aliases == "TDP 7; tổ 7"
    assert good["MN-HOAMAI"].email == "mnhoamai@haiphong.edu.vn" and good["MN-HOAMAI"].kind == UnitKind.SCHOOL.value
    assert good["DTN"].kind == UnitKind.MASS_ORG.value
    bad = {r.line: r.errors for r in preview.bad_rows}
    assert len(bad) == 3
    assert any("trùng với dòng" in e for errors in bad.values() for e in errors)
    assert any("Thiếu tên đơn vị" in e for errors in bad.values() for e in errors)
    assert any("Email" in e for errors in bad.values() for e in errors)
    assert "Câu lạc bộ" in preview.new_groups


def test_csv_with_bom_as_excel_saves_it(db, tmp_path):
    path = write_csv(tmp_path / "danh-sach.csv", ward_rows() + bad_rows())
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    before = _count(db)
    with db.session() as s:
        preview = read_unit_list(path, s)
    _check_preview(preview)
    assert _count(db) == before  # nothing written before confirmation
    # the duplicate is reported on the line the officer sees in Excel (header is line 1)
    dup = next(r for r in preview.bad_rows if r.code == "TDP05")
    assert dup.line == 47 and "dòng 6" in dup.errors[0]
    with db.session() as s:
        result = apply_unit_list(s, preview)
    assert result.units == 46 and result.groups == 5
    with db.session() as s:
        tdp = s.execute(select(Unit).where(Unit.code == "TDP12")).scalar_one()
        parent = s.get(Unit, tdp.parent_id)
        assert parent.is_group and parent.name == "Tổ dân phố"
        assert s.execute(select(func.count()).select_from(Unit).where(Unit.parent_id == parent.id)).scalar_one() == 40
        assert s.execute(select(Unit).where(Unit.name == "Câu lạc bộ", Unit.is_group)).scalar_one()


def test_xlsx_with_title_rows_and_numeric_code(db, tmp_path):
    path = write_xlsx(tmp_path / "danh-sach.xlsx", ward_rows() + bad_rows())
    before = _count(db)
    with db.session() as s:
        preview = read_unit_list(path, s)
    assert _count(db) == before
    by_code = {r.code: r for r in preview.good_rows}
    assert by_code["7"].name == "Tổ dân phố số 41"  # 7.0 from Excel comes back as the code «7»
    assert by_code["7"].phone == "0912345678"  # and the phone number gets its leading 0 back
    del by_code["7"]
    preview.rows = [r for r in preview.rows if r.code != "7"]
    _check_preview(preview)
    assert next(r for r in preview.bad_rows if r.code == "TDP05").line == 49  # two title lines above


def test_csv_without_bom_and_with_semicolons(tmp_path):
    path = write_csv(tmp_path / "ds.csv", ward_rows(), bom=False, delimiter=";")
    preview = read_unit_list(path)
    assert len(preview.good_rows) == 45 and not preview.bad_rows


def test_codes_already_in_the_database_are_errors(demo_db, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [["P-GV", "UBND phường Gia Viên", "UBND các phường", "", "", "", ""],
                                           ["", "Tổ dân phố số 1", "Tổ dân phố", "", "", "", ""]])
    with demo_db.session() as s:
        preview = read_unit_list(path, s)
    assert "đã có trong danh mục" in preview.rows[0].errors[0]
    assert preview.rows[1].ok and preview.rows[1].code == "TDPS1" and preview.rows[1].notes
    assert preview.new_groups == ["Tổ dân phố"]  # «UBND các phường» exists already


@pytest.mark.parametrize("content, expected", [
    (b"", "rỗng"),
    (b"M\xe3,T\xean \xf0\xf4n v\xec,Nh\xf3m\r\nA,T\xf4 d\xe2n ph\xf4,X\r\n", "UTF-8"),  # «CSV» in a Windows code page
    (b"a,b,c\r\n1,2,3\r\n", "tiêu đề"),
    ("Mã,Tên đơn vị,Nhóm\r\n".encode(), "chưa có đơn vị"),
])
def test_a_bad_file_gets_a_clear_message(tmp_path, content, expected):
    path = tmp_path / "ds.csv"
    path.write_bytes(content)
    with pytest.raises(UnitListError) as info:
        read_unit_list(path)
    assert expected in info.value.message


def test_an_unsafe_workbook_is_refused_before_openpyxl(tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an old .xls renamed
    with pytest.raises(UnitListError):
        read_unit_list(path)
    (tmp_path / "ds.xls").write_bytes(b"x")
    with pytest.raises(UnitListError) as info:
        read_unit_list(tmp_path / "ds.xls")
    assert ".xlsx" in info.value.message


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20))
def test_made_codes_are_unique_and_short(names):
    taken: set[str] = set()
    for name in names:
        code = make_code(name, taken)
        assert code not in taken and 0 < len(code) <= 40
        taken.add(code)


@given(st.binary(max_size=2000))
def test_any_bytes_give_a_preview_or_a_clear_message(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("bytes") / "ds.csv"
    path.write_bytes(b"\xef\xbb\xbfM\xc3\xa3,T\xc3\xaan \xc4\x91\xc6\xa1n v\xe1\xbb\x8b,Nh\xc3\xb3m\r\n" + content)
    try:
        preview = read_unit_list(path)
    except UnitListError as exc:
        assert exc.message
        return
    for row in preview.rows:
        assert row.errors or (row.name and row.code)


@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=20), st.sampled_from(["", "Tổ dân phố", "Trường học"])),
                min_size=1, max_size=15))
def test_good_rows_have_unique_codes_and_names(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("rows") / "ds.csv"
    write_csv(path, [[c, n, g, "", "", "", ""] for c, n, g in rows])
    try:
        preview = read_unit_list(path)
    except UnitListError:
        return
    codes = [r.code for r in preview.good_rows]
    assert len(codes) == len(set(codes))
    assert all(r.name for r in preview.good_rows)


def test_a_workbook_declaring_a_wrong_size_is_read_whole(tmp_path):
    """Some tools write <dimension ref="A1:A1"/> whatever the data; read-only openpyxl trusts it."""
    import re
    import zipfile

    source = write_xlsx(tmp_path / "src.xlsx", ward_rows())
    target = tmp_path / "ds.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A1"', data)
                assert n == 1
            zout.writestr(item, data)
    preview = read_unit_list(target)
    assert len(preview.good_rows) == 46
