"""The per-unit "Phiếu báo cáo kết quả": layout, protection, validations, hidden sheets, signature."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Assignment, Setting
from db.queries import find_directive, find_unit
from desktop.cli import main as cli_main
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.template import (
    OPEN_STATES,
    SECRET_KEY,
    SHEET_FORM,
    SHEET_LISTS,
    SHEET_META,
    STATE_CHOICES,
    export_template,
    export_templates,
    read_meta_rows,
    template_units,
    verify,
)
from tests.workbooks.filling import TITLES, columns, header_row, rows_by_assignment


def _unit_id(db, code: str) -> int:
    with db.session() as s:
        return find_unit(s, code).id


@pytest.fixture
def form(demo_db, tmp_path):
    uid = _unit_id(demo_db, "P-MC")
    path = export_template(demo_db, uid, tmp_path / "phieu.xlsx", DEMO_TODAY)
    wb = load_workbook(path)
    yield demo_db, uid, path, wb
    wb.close()


def test_sheets_hidden_and_protected(form):
    _db, _uid, _path, wb = form
    assert wb.sheetnames == [SHEET_FORM, SHEET_LISTS, SHEET_META]
    assert wb[SHEET_FORM].sheet_state == "visible"
    assert wb[SHEET_LISTS].sheet_state == "hidden"
    assert wb[SHEET_META].sheet_state == "veryHidden"
    ws = wb[SHEET_FORM]
    assert ws.protection.sheet and ws.protection.password
    assert ws.protection.insertRows and ws.protection.deleteRows  # protected: not allowed
    assert wb.security.lockStructure
    assert [wb[SHEET_LISTS].cell(row=i, column=1).value for i in (1, 2, 3)] == list(STATE_CHOICES)


def test_rows_are_the_units_open_assignments(form):
    db, uid, _path, wb = form
    with db.session() as s:
        expected = set(s.execute(select(Assignment.id).where(Assignment.unit_id == uid,
                                                             Assignment.state.in_(OPEN_STATES))).scalars())
        closed = set(s.execute(select(Assignment.id).where(Assignment.unit_id == uid,
                                                           Assignment.state.not_in(OPEN_STATES))).scalars())
    assert expected and closed  # the demo has both
    ws = wb[SHEET_FORM]
    assert set(rows_by_assignment(ws)) == expected


def test_header_instructions_and_unit(form):
    db, _uid, _path, wb = form
    ws = wb[SHEET_FORM]
    settings = db.settings()
    assert ws["A1"].value == settings.parent_agency.upper() and ws["A2"].font.bold
    assert ws["A4"].value == "PHIẾU BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ" and ws["A4"].font.bold
    assert ws["A5"].value == "Đơn vị báo cáo: UBND phường Máy Chai"
    texts = [ws.cell(row=r, column=1).value or "" for r in range(1, header_row(ws))]
    assert "Hướng dẫn:" in texts
    assert any("ô nền vàng" in t for t in texts) and any("dd/mm" in t or "ngày/tháng/năm" in t for t in texts)
    assert all(c.font.name == "Times New Roman" for c in ws[header_row(ws)] if c.value)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == f"${header_row(ws)}:${header_row(ws)}"
    assert ws.freeze_panes and int(ws.freeze_panes[1:]) == header_row(ws) + 1


def test_only_input_cells_are_unlocked(form):
    _db, _uid, _path, wb = form
    ws = wb[SHEET_FORM]
    cols = columns(ws)
    inputs = {cols[t] for t in TITLES.values()}
    locked_cols = {cols["STT"], cols["Mã"], cols["Nhiệm vụ"], cols["Hạn hoàn thành"], cols["Tình trạng hiện tại"]}
    rows = rows_by_assignment(ws)
    for r in rows.values():
        for c in inputs:
            cell = ws.cell(row=r, column=c)
            assert cell.protection.locked is False, cell.coordinate
            assert cell.fill.fgColor.rgb[-6:] == "FFF9C4"
        for c in locked_cols:
            assert ws.cell(row=r, column=c).protection.locked is True
    # Figure cells: unlocked where the task asks for a figure, locked grey elsewhere.
    figure_cols = [c for t, c in cols.items() if t.startswith("Số liệu")]
    label_cols = [c for t, c in cols.items() if t.startswith("Chỉ tiêu")]
    assert figure_cols and len(figure_cols) == len(label_cols)
    seen_open = seen_locked = 0
    for r in rows.values():
        for label_col, value_col in zip(label_cols, figure_cols):
            has_indicator = bool(ws.cell(row=r, column=label_col).value)
            assert ws.cell(row=r, column=value_col).protection.locked is (not has_indicator)
            seen_open += has_indicator
            seen_locked += not has_indicator
    assert seen_open and seen_locked
    deadline = next(ws.cell(row=r, column=cols["Hạn hoàn thành"]) for r in rows.values()
                    if ws.cell(row=r, column=cols["Hạn hoàn thành"]).value)
    assert deadline.number_format == "DD/MM/YYYY"
    assert ws.cell(row=next(iter(rows.values())), column=cols[TITLES["completed"]]).number_format == "DD/MM/YYYY"


def test_validations_with_error_messages(form):
    _db, _uid, _path, wb = form
    ws = wb[SHEET_FORM]
    cols = columns(ws)
    rows = sorted(rows_by_assignment(ws).values())
    dvs = ws.data_validations.dataValidation
    by_type = {}
    for dv in dvs:
        by_type.setdefault(dv.type, []).append(dv)
        assert dv.showErrorMessage is True and dv.error and dv.errorTitle
    state = by_type["list"][0]
    assert state.formula1 == f"{SHEET_LISTS}!$A$1:$A$3"
    state_cell = ws.cell(row=rows[0], column=cols[TITLES["state"]]).coordinate
    assert state_cell in state.sqref and ws.cell(row=rows[-1], column=cols[TITLES["state"]]).coordinate in state.sqref
    date_dv = by_type["date"][0]
    assert ws.cell(row=rows[0], column=cols[TITLES["completed"]]).coordinate in date_dv.sqref
    assert "TODAY()" in date_dv.formula2
    numeric = by_type.get("whole", []) + by_type.get("decimal", [])
    assert numeric and all(dv.formula1 == "0" and dv.operator == "greaterThanOrEqual" for dv in numeric)
    figure_cols = [c for t, c in cols.items() if t.startswith("Số liệu")]
    unlocked_figures = {ws.cell(row=r, column=c).coordinate for r in rows for c in figure_cols
                        if ws.cell(row=r, column=c).protection.locked is False}
    covered = {str(cell) for dv in numeric for rng in dv.sqref.ranges for cell in [rng.coord]}
    assert unlocked_figures and unlocked_figures <= covered
    assert by_type["textLength"][0].formula1 == "60"


def test_meta_is_signed_with_the_secret_in_the_database(form):
    db, uid, path, wb = form
    meta, signature = read_meta_rows(r[:4] for r in wb[SHEET_META].iter_rows(values_only=True))
    assert meta["unit_id"] == uid and meta["unit_code"] == "P-MC" and meta["version"] == 1
    assert {row[1] for row in meta["rows"]} == set(rows_by_assignment(wb[SHEET_FORM]))
    with db.session() as s:
        secret = s.get(Setting, SECRET_KEY).value.encode()
    assert len(secret) == 64
    assert verify(meta, signature, secret)
    assert not verify({**meta, "unit_id": uid + 1}, signature, secret)
    assert not verify(meta, signature, b"another secret")
    # The secret is made once and kept.
    export_template(db, uid, path.with_name("again.xlsx"), DEMO_TODAY)
    with db.session() as s:
        assert s.get(Setting, SECRET_KEY).value.encode() == secret


def test_task_title_with_equals_is_text(demo_db, tmp_path):
    with demo_db.session() as s:
        directive = find_directive(s, "128/VHTT")
        unit = find_unit(s, "P-DK")
        ops.add_task(s, directive.id, ops.TaskInput(title="=WEBSERVICE(\"http://x\")", start_date=date(2024, 10, 1),
                                                    due_date=date(2024, 10, 30), unit_ids=[unit.id]))
        uid = unit.id
    wb = load_workbook(export_template(demo_db, uid, tmp_path / "p.xlsx", DEMO_TODAY))
    ws = wb[SHEET_FORM]
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=WEBSERVICE(\"http://x\")"]
    assert cells and all(c.data_type == "s" for c in cells)
    wb.close()


def test_all_units_get_a_file_named_after_them(demo_db, tmp_path, capsys):
    calls = []
    paths = export_templates(demo_db, tmp_path / "phieu", DEMO_TODAY, progress=lambda *a: calls.append(a))
    units = template_units(demo_db)
    assert len(paths) == len(units) > 10
    names = sorted(p.name for p in paths)
    assert "Phiếu báo cáo - UBND phường Máy Chai - 08-10-2024.xlsx" in names
    assert calls[-1][0] == calls[-1][1] == len(units)
    wb = load_workbook(paths[0], read_only=True)
    assert wb.sheetnames[0] == SHEET_FORM
    wb.close()
    code = cli_main(["template", "--db", demo_db.location, "--all", "--out", str(tmp_path / "cli"),
                     "--today", "2024-10-08"])
    assert code == 0 and len(list((tmp_path / "cli").glob("*.xlsx"))) == len(units)
    code = cli_main(["template", "--db", demo_db.location, "--unit", "NHOM-PHUONG", "--out", str(tmp_path / "g.xlsx")])
    assert code == 2 and "nhóm" in capsys.readouterr().err


def test_printed_form_heading_is_whole_and_continuation_pages_start_at_the_table(form, tmp_path):
    """Printed by LibreOffice: the heading («PHIẾU BÁO CÁO …», merged over the first page) is on
    page 1 only and never cut; every later page starts with the table's header row."""
    import subprocess

    _db, _uid, path, wb = form
    ws = wb[SHEET_FORM]
    areas = str(ws.print_area).split(",")
    assert len(areas) == 2, ws.print_area
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "phieu.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert "PHIẾU BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in pages[0]
    # the signatures print once, under the table, on the first pages' columns
    signed = [i for i, page in enumerate(pages) if "THỦ TRƯỞNG ĐƠN VỊ" in page]
    assert len(signed) == 1 and "NGƯỜI LẬP BIỂU" in pages[signed[0]] and "(Ký, ghi rõ họ tên, đóng dấu)" in pages[signed[0]]
    for page in pages[1:]:
        assert "PHIẾU BÁO" not in page and "Hướng dẫn" not in page
        top = "\n".join(page.strip().splitlines()[:4])  # the header row's cells wrap over lines
        assert "STT" in top and "Nhiệm vụ" in top, page[:300]


def test_signature_lines_under_the_table(form):
    """Who made the form and the head of the unit sign under the table; the names go in unlocked
    cells; the signed layout records the rows (the import reads nothing there); the first print
    area reaches them."""
    from desktop.workbooks.template import Layout

    _db, _uid, _path, wb = form
    ws = wb[SHEET_FORM]
    meta, _signature = read_meta_rows(wb[SHEET_META].iter_rows(values_only=True))
    layout = Layout.from_meta(meta["layout"])
    last_row = max(row for row, _aid, _ind in meta["rows"])
    top, bottom = layout.signature
    assert top == last_row + 2
    texts = {ws.cell(row=r, column=c).value for r in range(top, bottom + 1) for c in range(1, 20)} - {None}
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên, đóng dấu)"} <= texts
    names = [c for c in range(1, 20) if ws.cell(row=bottom, column=c).protection.locked is False]
    assert names and 1 in names, "the names are typed in unlocked cells"
    assert all(ws.cell(row=r, column=1).protection.locked for r in range(top, bottom)), "the titles are locked"
    assert str(ws.print_area).split(",")[0].endswith(f"${bottom}")
    # a form made before the signatures has no such rows: its layout reads as before
    old = dict(meta["layout"])
    old.pop("signature")
    assert Layout.from_meta(old).signature is None and "signature" not in Layout.from_meta(old).to_meta()
