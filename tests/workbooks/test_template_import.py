"""Importing filled forms: round trip, tampering, hostile files, preview, idempotence, two files."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Assignment, AssignmentState, ChangeLog, Evidence, Indicator, Task, UnitReport
from db.queries import find_unit
from desktop.cli import main as cli_main
from desktop.cli.core import status_payload
from desktop.infra.paths import attachments_dir
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.import_annotated import save_annotated
from desktop.workbooks.import_model import ACTION_NONE, ACTION_REPORT, ACTION_SKIP, ACTION_STATE
from desktop.workbooks.importer import apply_preview, preview_files
from desktop.workbooks.safety import MAX_UNCOMPRESSED_BYTES, UnsafeFileError, check_xlsx_file
from desktop.workbooks.template import SHEET_FORM, SHEET_META, export_template
from tests.workbooks.filling import columns, edit, fill, meta_cells, meta_row_cells, rows_by_assignment, set_saved_time

TODAY = DEMO_TODAY


@pytest.fixture
def unit_form(demo_db, tmp_path):
    """P-MC's blank form, and facts about its rows: a task with numeric indicators, one without."""
    with demo_db.session() as s:
        unit = find_unit(s, "P-MC")
        uid = unit.id
    path = export_template(demo_db, uid, tmp_path / "blank.xlsx", TODAY)
    wb = load_workbook(path)
    rows = rows_by_assignment(wb[SHEET_FORM])
    wb.close()
    with demo_db.session() as s:
        info = {}
        for aid in rows:
            a = s.get(Assignment, aid)
            task = s.get(Task, a.task_id)
            inds = s.execute(select(Indicator).where(Indicator.task_id == task.id)
                             .order_by(Indicator.sort_order)).scalars().all()
            info[aid] = (task, [i for i in inds], a.state)
    with_figures = next(aid for aid, (t, inds, st) in info.items() if inds and t.start_date and t.start_date < TODAY)
    without = next(aid for aid, (t, inds, st) in info.items() if not inds and aid != with_figures)
    other = next(aid for aid in rows if aid not in (with_figures, without))
    return {"db": demo_db, "uid": uid, "path": path, "rows": rows, "info": info, "with_figures": with_figures,
            "without": without, "other": other, "tmp": tmp_path}


def _done(aid_info, day=None, content="Đã triển khai, có báo cáo kèm theo.", figures=None):
    task = aid_info[0]
    when = day or max(task.start_date or date(2024, 1, 1), TODAY - timedelta(days=2))
    values = {"state": "Đã hoàn thành", "completed": datetime.combine(when, datetime.min.time()),
              "content": content, "doc_number": "15/BC-UBND"}
    if figures:
        values["figures"] = figures
    return values


def _reports(db, aid):
    with db.session() as s:
        return s.execute(select(UnitReport).where(UnitReport.assignment_id == aid)
                         .order_by(UnitReport.received_on, UnitReport.id)).scalars().all()


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_full_round_trip_changes_statuses(unit_form):
    f = unit_form
    db, aid, aid2 = f["db"], f["with_figures"], f["without"]
    filled = fill(f["path"], f["tmp"] / "Phiếu P-MC đã điền.xlsx", {
        aid: _done(f["info"][aid], figures={1: 12}),
        aid2: {"state": "Đang thực hiện", "content": "Đang tổ chức các hoạt động.", "note": "Sẽ gửi bổ sung"},
    })
    before = status_payload(db, None, "P-MC", TODAY)
    preview = preview_files(db, [filled], TODAY)
    fp = preview.files[0]
    assert fp.accepted and not fp.errors, fp.problems
    acting = {r.assignment_id: r for r in fp.actionable}
    assert set(acting) == {aid, aid2}
    fields = {c.field: c for c in acting[aid].changes}
    assert fields["Tình trạng"].new == "Đã báo cáo, chờ duyệt"
    assert fields["Số, ký hiệu văn bản"].new == "15/BC-UBND"
    ind = f["info"][aid][1][0]
    assert fields[f"{ind.name} ({ind.measure})"].new == "12"
    # Nothing is written by the preview.
    assert len(_reports(db, aid)) == 0 or _reports(db, aid)[-1].channel != "excel"

    result = apply_preview(db, preview, TODAY, accept=True)
    assert not result.failed and result.reports == 2
    with db.session() as s:
        a = s.get(Assignment, aid)
        assert a.state == AssignmentState.DONE.value and a.accepted_on == TODAY
        assert s.get(Assignment, aid2).state == AssignmentState.IN_PROGRESS.value
        assert s.get(Assignment, aid2).completed_on is None
    report = _reports(db, aid)[-1]
    assert report.channel == "excel" and report.unit_doc_number == "15/BC-UBND"
    assert (db.folder / report.source_file).exists()
    assert report.source_file.startswith(attachments_dir(db.location).relative_to(db.folder).as_posix())
    assert "Ghi chú: Sẽ gửi bổ sung" in _reports(db, aid2)[-1].content
    with db.session() as s:
        evidence = s.execute(select(Evidence).where(Evidence.report_id == report.id)).scalars().all()
        assert [e.target for e in evidence] == [report.source_file]
        contexts = set(s.execute(select(ChangeLog.context).where(ChangeLog.table_name == "assignment",
                                                                  ChangeLog.record_id == aid)).scalars())
    assert "import:Phiếu P-MC đã điền.xlsx" in contexts
    after = status_payload(db, None, "P-MC", TODAY)
    status_of = {a["task"]: a["status"] for a in after["assignments"]}
    assert status_of[f["info"][aid][0].title] in ("on_time", "late")
    assert after["summary"]["on_time"] + after["summary"]["late"] > \
        before["summary"]["on_time"] + before["summary"]["late"]


def test_without_accept_results_wait_for_the_officer(unit_form):
    f = unit_form
    filled = fill(f["path"], f["tmp"] / "a.xlsx", {f["with_figures"]: _done(f["info"][f["with_figures"]])})
    result = apply_preview(f["db"], preview_files(f["db"], [filled], TODAY), TODAY)
    assert result.reports == 1
    with f["db"].session() as s:
        a = s.get(Assignment, f["with_figures"])
        assert a.state == AssignmentState.REPORTED.value and a.accepted_on is None


def test_file_claiming_another_unit_is_rejected(unit_form):
    f = unit_form
    db = f["db"]
    with db.session() as s:
        other = find_unit(s, "P-DK")

    def reassign(wb):
        meta = meta_cells(wb)
        meta["unit_id"].value = other.id
        meta["unit_code"].value = other.code
        meta["unit_name"].value = other.name
        wb[SHEET_FORM]["A5"].value = f"Đơn vị báo cáo: {other.name}"

    filled = fill(f["path"], f["tmp"] / "x.xlsx", {f["with_figures"]: _done(f["info"][f["with_figures"]])})
    tampered = edit(filled, f["tmp"] / "claim.xlsx", reassign)
    fp = preview_files(db, [tampered], TODAY).files[0]
    assert not fp.accepted
    assert any("bị sửa thông tin nhận dạng" in p.message for p in fp.errors)
    result = apply_preview(db, preview_files(db, [tampered], TODAY), TODAY)
    assert result.files == [] and _reports(db, f["with_figures"]) == []

    # Only the visible name changed: caught on the sheet, with the cell.
    visible = edit(filled, f["tmp"] / "visible.xlsx",
                   lambda wb: setattr(wb[SHEET_FORM]["A5"], "value", f"Đơn vị báo cáo: {other.name}"))
    fp = preview_files(db, [visible], TODAY).files[0]
    assert not fp.accepted and [(p.sheet, p.cell) for p in fp.errors] == [(SHEET_FORM, "A5")]


def test_changed_hidden_id_is_rejected(unit_form):
    f = unit_form
    db = f["db"]
    with db.session() as s:
        foreign = s.execute(select(Assignment.id).where(Assignment.unit_id != f["uid"])).scalars().first()

    def repoint(wb):
        meta_row_cells(wb)[0][2].value = foreign
        wb[SHEET_FORM].cell(row=meta_row_cells(wb)[0][1].value, column=2).value = foreign

    tampered = edit(f["path"], f["tmp"] / "id.xlsx", repoint)
    fp = preview_files(db, [tampered], TODAY).files[0]
    assert not fp.accepted and fp.errors[0].sheet == SHEET_META
    assert "bị sửa" in fp.errors[0].message


def test_visible_id_changed_is_rejected_with_its_cell(unit_form):
    f = unit_form
    r = f["rows"][f["other"]]
    tampered = edit(f["path"], f["tmp"] / "vid.xlsx", lambda wb: setattr(wb[SHEET_FORM].cell(row=r, column=2),
                                                                          "value", 999999))
    fp = preview_files(f["db"], [tampered], TODAY).files[0]
    assert not fp.accepted and (SHEET_FORM, f"B{r}") in [(p.sheet, p.cell) for p in fp.errors]


def test_row_added_by_hand_is_rejected(unit_form):
    f = unit_form
    last = max(f["rows"].values())

    def add_row(wb):
        ws = wb[SHEET_FORM]
        ws.cell(row=last + 1, column=4, value="Nhiệm vụ tự thêm")
        ws.cell(row=last + 1, column=8, value="Đã hoàn thành")

    filled = fill(f["path"], f["tmp"] / "ok.xlsx", {f["with_figures"]: _done(f["info"][f["with_figures"]])})
    tampered = edit(filled, f["tmp"] / "added.xlsx", add_row)
    fp = preview_files(f["db"], [tampered], TODAY).files[0]
    assert not fp.accepted
    assert [(p.cell, "tự thêm" in p.message) for p in fp.errors] == [(f"D{last + 1}", True)]
    assert apply_preview(f["db"], preview_files(f["db"], [tampered], TODAY), TODAY).files == []


def test_formula_in_an_input_cell_is_not_trusted(unit_form):
    f = unit_form
    aid = f["with_figures"]
    values = _done(f["info"][aid], figures={1: "=5*3"})
    values["content"] = '=HYPERLINK("http://evil.example","xem")'
    filled = fill(f["path"], f["tmp"] / "formula.xlsx", {aid: values})
    fp = preview_files(f["db"], [filled], TODAY).files[0]
    assert not fp.accepted
    cols = columns(load_workbook(filled)[SHEET_FORM])
    r = f["rows"][aid]
    from openpyxl.utils import get_column_letter
    expected = {f"{get_column_letter(cols['Nội dung kết quả thực hiện'])}{r}",
                f"{get_column_letter(cols['Số liệu 1 (nhập số)'])}{r}"}
    assert {p.cell for p in fp.errors} == expected
    assert all("công thức" in p.message for p in fp.errors)


@pytest.mark.parametrize("bad, fragment", [
    ("future", "sau ngày hôm nay"),
    ("before_start", "trước ngày bắt đầu"),
    ("garbage", "không đúng dạng"),
    ("missing", "phải nhập ngày hoàn thành"),
])
def test_wrong_dates_are_problems_with_cells(unit_form, bad, fragment):
    f = unit_form
    aid = f["with_figures"]
    task = f["info"][aid][0]
    values = _done(f["info"][aid])
    if bad == "future":
        values["completed"] = datetime(2024, 10, 20)
    elif bad == "before_start":
        values["completed"] = datetime.combine(task.start_date - timedelta(days=3), datetime.min.time())
    elif bad == "garbage":
        values["completed"] = "32/13/2024"
    else:
        values.pop("completed")
    filled = fill(f["path"], f["tmp"] / f"{bad}.xlsx", {aid: values})
    fp = preview_files(f["db"], [filled], TODAY).files[0]
    assert not fp.accepted
    cols = columns(load_workbook(filled)[SHEET_FORM])
    from openpyxl.utils import get_column_letter
    cell = f"{get_column_letter(cols['Ngày hoàn thành (dd/mm/yyyy)'])}{f['rows'][aid]}"
    assert [(p.cell, fragment in p.message) for p in fp.errors] == [(cell, True)], fp.errors


def test_day_first_text_date_is_accepted(unit_form):
    f = unit_form
    aid = f["with_figures"]
    task = f["info"][aid][0]
    day = max(task.start_date, TODAY - timedelta(days=3))
    values = _done(f["info"][aid])
    values["completed"] = day.strftime("%d/%m/%Y")
    fp = preview_files(f["db"], [fill(f["path"], f["tmp"] / "t.xlsx", {aid: values})], TODAY).files[0]
    assert fp.accepted and fp.actionable[0].report.completed_on == day


def test_figures_must_be_numbers(unit_form):
    f = unit_form
    aid = f["with_figures"]
    filled = fill(f["path"], f["tmp"] / "fig.xlsx", {aid: _done(f["info"][aid], figures={1: "mười hai"})})
    fp = preview_files(f["db"], [filled], TODAY).files[0]
    assert not fp.accepted and "phải là số" in fp.errors[0].message
    filled = fill(f["path"], f["tmp"] / "neg.xlsx", {aid: _done(f["info"][aid], figures={1: -4})})
    assert "không được âm" in preview_files(f["db"], [filled], TODAY).files[0].errors[0].message


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(buffer)
    return buffer.getvalue()


def test_files_that_are_not_xlsx_get_clear_messages(unit_form, tmp_path):
    db = unit_form["db"]
    text = tmp_path / "ghi-chu.xlsx"
    text.write_text("không phải bảng tính", encoding="utf-8")
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    xls = tmp_path / "cu.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "Workbook".encode("utf-16-le"))
    locked = tmp_path / "mat-khau.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le")
                       + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"))
    data = unit_form["path"].read_bytes()
    truncated = tmp_path / "thieu.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    docx = tmp_path / "van-ban.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    plain = tmp_path / "bang-khac.xlsx"
    plain.write_bytes(_xlsx_bytes())
    expected = {
        text: "không phải là bảng tính Excel",
        empty: "rỗng",
        xls: "Excel 97-2003",
        locked: "đặt mật khẩu",
        truncated: "bị hỏng",
        docx: "không phải là bảng tính Excel",
        plain: "không phải phiếu báo cáo do chương trình lập",
    }
    preview = preview_files(db, list(expected), TODAY)
    for fp, (path, fragment) in zip(preview.files, expected.items()):
        assert not fp.accepted
        assert fragment in fp.errors[0].message, (path.name, fp.errors[0].message)
        assert path.name in fp.errors[0].message or fragment.startswith("không phải phiếu")


def _zip_with_xlsx_parts(path, extra_name: str, extra_size: int) -> None:
    with zipfile.ZipFile(io.BytesIO(_xlsx_bytes())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with dst.open(extra_name, "w") as fh:
            chunk = b"<row/>" * (1 << 16)
            written = 0
            while written < extra_size:
                fh.write(chunk)
                written += len(chunk)


def test_zip_bombs_are_refused_before_loading(unit_form, tmp_path, monkeypatch):
    big = tmp_path / "bom-tong.xlsx"
    _zip_with_xlsx_parts(big, "xl/worksheets/sheet9.xml", MAX_UNCOMPRESSED_BYTES + (1 << 20))
    assert big.stat().st_size < 2 * 2**20  # small on disk, huge inside
    dense = tmp_path / "bom-ty-le.xlsx"
    _zip_with_xlsx_parts(dense, "xl/sharedStrings.xml", 8 * 2**20)
    called = []
    monkeypatch.setattr("desktop.workbooks.importer.load_workbook", lambda *a, **k: called.append(a))
    preview = preview_files(unit_form["db"], [big, dense], TODAY)
    for fp in preview.files:
        assert not fp.accepted and "bất thường" in fp.errors[0].message
    assert called == []  # openpyxl never saw them
    with pytest.raises(UnsafeFileError) as info:
        check_xlsx_file(big)
    assert info.value.kind == "bomb"


def test_partly_filled_file_changes_only_the_filled_rows(unit_form):
    f = unit_form
    db, aid = f["db"], f["with_figures"]
    filled = fill(f["path"], f["tmp"] / "part.xlsx", {aid: _done(f["info"][aid])})
    with db.session() as s:
        states_before = {a.id: (a.state, a.version) for a in
                         s.execute(select(Assignment).where(Assignment.unit_id == f["uid"])).scalars()}
    preview = preview_files(db, [filled], TODAY)
    fp = preview.files[0]
    assert fp.accepted and [r.assignment_id for r in fp.actionable] == [aid]
    assert all(r.action == ACTION_NONE for r in fp.rows if r.assignment_id != aid)
    assert len(fp.rows) == len(f["rows"])
    apply_preview(db, preview, TODAY)
    with db.session() as s:
        for a in s.execute(select(Assignment).where(Assignment.unit_id == f["uid"])).scalars():
            if a.id != aid:
                assert (a.state, a.version) == states_before[a.id]


def test_state_only_row(unit_form):
    f = unit_form
    aid = next(a for a, (t, i, st) in f["info"].items() if st == AssignmentState.NOT_STARTED.value)
    filled = fill(f["path"], f["tmp"] / "state.xlsx", {aid: {"state": "Đang thực hiện"}})
    preview = preview_files(f["db"], [filled], TODAY)
    row = preview.files[0].actionable[0]
    assert row.action == ACTION_STATE and row.report is None
    assert apply_preview(f["db"], preview, TODAY).state_changes == 1
    with f["db"].session() as s:
        assert s.get(Assignment, aid).state == AssignmentState.IN_PROGRESS.value


def test_reimport_is_idempotent(unit_form):
    f = unit_form
    db, aid = f["db"], f["with_figures"]
    filled = fill(f["path"], f["tmp"] / "again.xlsx", {aid: _done(f["info"][aid], figures={1: 3})})
    assert apply_preview(db, preview_files(db, [filled], TODAY), TODAY).reports == 1
    with db.session() as s:
        version = s.get(Assignment, aid).version
        log_count = len(s.execute(select(ChangeLog.id)).all())
    second = preview_files(db, [filled], TODAY)
    fp = second.files[0]
    assert fp.accepted and not fp.actionable and fp.already_imported_on == TODAY
    assert any("đã được nhập" in n for n in fp.notices)
    assert apply_preview(db, second, TODAY).files == []
    # The same content saved again in another file is recognised too.
    resaved = edit(filled, f["tmp"] / "resaved.xlsx", lambda wb: None)
    third = preview_files(db, [resaved], TODAY).files[0]
    assert third.accepted and not third.actionable
    assert "Giống báo cáo" in next(r for r in third.rows if r.assignment_id == aid).note
    with db.session() as s:
        assert s.get(Assignment, aid).version == version
        assert len(s.execute(select(ChangeLog.id)).all()) == log_count
    assert len([r for r in _reports(db, aid) if r.channel == "excel"]) == 1


def test_two_files_for_the_same_assignment_later_wins_both_kept(unit_form):
    f = unit_form
    db, aid = f["db"], f["with_figures"]
    task = f["info"][aid][0]
    early_day = max(task.start_date, TODAY - timedelta(days=5))
    late_day = early_day + timedelta(days=2)
    first = fill(f["path"], f["tmp"] / "lan-1.xlsx", {aid: _done(f["info"][aid], day=early_day, content="Lần 1")})
    second = fill(f["path"], f["tmp"] / "lan-2.xlsx", {aid: _done(f["info"][aid], day=late_day, content="Lần 2")})
    set_saved_time(first, datetime(2024, 10, 6, 8, 0))
    set_saved_time(second, datetime(2024, 10, 7, 9, 30))
    preview = preview_files(db, [second, first], TODAY)  # chosen in the "wrong" order on purpose
    assert all(fp.accepted for fp in preview.files)
    assert all(any("lập sau («lan-2.xlsx»)" in p.message for p in fp.problems) for fp in preview.files)
    result = apply_preview(db, preview, TODAY)
    assert [r.file_name for r in result.files] == ["lan-1.xlsx", "lan-2.xlsx"] and not result.failed
    excel = [r for r in _reports(db, aid) if r.channel == "excel"]
    assert [r.content for r in excel] == ["Lần 1", "Lần 2"]  # both kept, the later one is the latest
    with db.session() as s:
        assert s.get(Assignment, aid).completed_on == late_day


def test_change_between_preview_and_apply_writes_nothing(unit_form):
    f = unit_form
    db, aid, aid2 = f["db"], f["with_figures"], f["without"]
    filled = fill(f["path"], f["tmp"] / "race.xlsx", {
        aid: _done(f["info"][aid]), aid2: {"state": "Đang thực hiện", "content": "Đang làm"}})
    preview = preview_files(db, [filled], TODAY)
    with db.session() as s:
        ops.set_state(s, aid2, AssignmentState.PAUSED.value, TODAY)  # a colleague pauses it meanwhile
    result = apply_preview(db, preview, TODAY)
    assert result.failed and "Không có thay đổi nào" in result.failed[0].message
    assert [r for r in _reports(db, aid) if r.channel == "excel"] == []  # the first row was rolled back
    kept = attachments_dir(db.location) / "phieu-excel"
    assert not kept.exists() or not any(kept.iterdir())


def test_closed_assignment_row_is_skipped_not_fatal(unit_form):
    f = unit_form
    db, aid, aid2 = f["db"], f["with_figures"], f["without"]
    filled = fill(f["path"], f["tmp"] / "closed.xlsx", {aid: _done(f["info"][aid]),
                                                        aid2: {"state": "Đang thực hiện", "content": "x"}})
    with db.session() as s:
        ops.set_state(s, aid2, AssignmentState.CANCELLED.value, TODAY)
    fp = preview_files(db, [filled], TODAY).files[0]
    assert fp.accepted
    skipped = next(r for r in fp.rows if r.assignment_id == aid2)
    assert skipped.action == ACTION_SKIP and any(p.severity == "warning" for p in fp.problems)
    assert [r.assignment_id for r in fp.actionable] == [aid]


def test_annotated_copy_marks_problem_cells(unit_form):
    f = unit_form
    aid = f["with_figures"]
    values = _done(f["info"][aid], figures={1: "abc"})
    values["completed"] = datetime(2030, 1, 1)
    filled = fill(f["path"], f["tmp"] / "loi.xlsx", {aid: values})
    fp = preview_files(f["db"], [filled], TODAY).files[0]
    assert not fp.accepted and len(fp.errors) == 2
    out = save_annotated(fp, f["tmp"] / "loi - có ghi chú lỗi.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Lỗi cần sửa"
    ws = wb[SHEET_FORM]
    for p in fp.errors:
        cell = ws[p.cell]
        assert cell.fill.fgColor.rgb[-6:] == "FF8A80"
        assert p.message in cell.comment.text
    listing = wb["Lỗi cần sửa"]
    header = next(r[0].row for r in listing.iter_rows(min_col=1, max_col=1) if r[0].value == "STT")
    assert [listing.cell(row=header + i, column=2).value for i in (1, 2)] == [p.cell for p in fp.problems]
    assert [listing.cell(row=header + i, column=3).value for i in (1, 2)] == [p.message for p in fp.problems]
    assert listing.cell(row=header + 1, column=3).font.name == "Times New Roman"
    assert ws.protection.sheet and wb[SHEET_META].sheet_state == "veryHidden"
    wb.close()
    # The unit fixes the red cells in that copy and sends it back: now it is accepted.
    fixed = edit(out, f["tmp"] / "sua.xlsx", lambda wb: None)
    wb = load_workbook(fixed)
    ws = wb[SHEET_FORM]
    for p in fp.errors:
        ws[p.cell].value = 4 if "Số liệu" in str(ws.cell(row=_header(ws), column=ws[p.cell].column).value) \
            else datetime.combine(TODAY - timedelta(days=1), datetime.min.time())
    wb.save(fixed)
    assert preview_files(f["db"], [fixed], TODAY).files[0].accepted


def _header(ws) -> int:
    return next(r[0].row for r in ws.iter_rows(min_col=1, max_col=1) if r[0].value == "STT")


def test_cli_import_json_and_dry_run(unit_form, capsys):
    f = unit_form
    db, aid = f["db"], f["with_figures"]
    good = fill(f["path"], f["tmp"] / "good.xlsx", {aid: _done(f["info"][aid])})
    bad = fill(f["path"], f["tmp"] / "bad.xlsx", {f["without"]: {"state": "Không rõ"}})
    code = cli_main(["import", "--db", db.location, str(good), str(bad), "--dry-run", "--json", "--today", "2024-10-08"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 2 and payload["dry_run"] is True
    by_name = {x["file_name"]: x for x in payload["files"]}
    assert by_name["good.xlsx"]["accepted"] is True
    assert by_name["good.xlsx"]["changes"][0]["action"] == ACTION_REPORT
    assert by_name["good.xlsx"]["changes"][0]["changes"][0] == {"field": "Tình trạng", "old": "Chưa thực hiện",
                                                               "new": "Đã báo cáo, chờ duyệt"} or \
        by_name["good.xlsx"]["changes"][0]["changes"][0]["field"] == "Tình trạng"
    problem = by_name["bad.xlsx"]["problems"][0]
    assert by_name["bad.xlsx"]["accepted"] is False and problem["sheet"] == SHEET_FORM and problem["cell"]
    assert [r for r in _reports(db, aid) if r.channel == "excel"] == []
    code = cli_main(["import", "--db", db.location, str(good), "--today", "2024-10-08"])
    out = capsys.readouterr().out
    assert code == 0 and "[NHẬN] good.xlsx" in out and "ghi nhận 1 báo cáo" in out
    assert len([r for r in _reports(db, aid) if r.channel == "excel"]) == 1


def test_text_outside_the_table_is_only_a_warning(unit_form):
    f = unit_form
    aid = f["with_figures"]
    filled = fill(f["path"], f["tmp"] / "ngoai.xlsx", {aid: _done(f["info"][aid])})
    r = f["rows"][aid]
    tampered = edit(filled, f["tmp"] / "ngoai2.xlsx",
                    lambda wb: setattr(wb[SHEET_FORM].cell(row=r, column=40), "value", "ghi chú riêng"))
    fp = preview_files(f["db"], [tampered], TODAY).files[0]
    assert fp.accepted and [r.assignment_id for r in fp.actionable] == [aid]
    assert [(p.severity, p.cell) for p in fp.problems] == [("warning", f"AN{r}")]


def test_unit_without_open_tasks_gets_an_empty_form_that_imports_cleanly(demo_db, tmp_path):
    with demo_db.session() as s:
        unit = ops.add_unit(s, ops.UnitInput(code="P-MOI", name="UBND phường Mới"))
        uid = unit.id
    path = export_template(demo_db, uid, tmp_path / "rong.xlsx", TODAY)
    wb = load_workbook(path)
    assert any("không có nhiệm vụ" in str(c.value) for row in wb[SHEET_FORM].iter_rows() for c in row if c.value)
    wb.close()
    fp = preview_files(demo_db, [path], TODAY).files[0]
    assert fp.accepted and fp.rows == [] and fp.unit_name == "UBND phường Mới"


def test_applying_a_form_reads_its_assignments_and_tasks_once_not_per_row(unit_form):
    """Speed (issue 17): the per-row operations find the file's assignments and tasks in the
    session, loaded in one query each, instead of one SELECT by id per row."""
    from sqlalchemy import event

    f = unit_form
    aids = list(f["rows"])[:4]
    filled = fill(f["path"], f["tmp"] / "nhieu-dong.xlsx", {aid: _done(f["info"][aid]) for aid in aids})
    preview = preview_files(f["db"], [filled], TODAY)
    assert len(preview.files[0].actionable) == len(aids)
    seen: list[str] = []

    def log(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(f["db"].engine, "before_cursor_execute", log)
    try:
        result = apply_preview(f["db"], preview, TODAY)
    finally:
        event.remove(f["db"].engine, "before_cursor_execute", log)
    assert result.reports == len(aids)
    by_id = [s for s in seen if s.startswith("SELECT") and
             ("FROM assignment WHERE assignment.id = " in s or "FROM task WHERE task.id = " in s)]
    assert by_id == []


def test_the_already_imported_check_reads_only_the_files_own_assignments(unit_form):
    """Speed (issue 17): the kept-copy lookup goes through the report's assignment index, never a
    LIKE over every report's file name; a file imported twice is still recognised."""
    from sqlalchemy import event

    f = unit_form
    aid = f["with_figures"]
    filled = fill(f["path"], f["tmp"] / "hai-lan.xlsx", {aid: _done(f["info"][aid])})
    apply_preview(f["db"], preview_files(f["db"], [filled], TODAY), TODAY)
    seen: list[str] = []

    def log(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(f["db"].engine, "before_cursor_execute", log)
    try:
        again = preview_files(f["db"], [filled], TODAY).files[0]
    finally:
        event.remove(f["db"].engine, "before_cursor_execute", log)
    assert again.already_imported_on == TODAY
    likes = [s for s in seen if "unit_report.source_file LIKE" in s]
    assert likes and all("unit_report.assignment_id IN" in s for s in likes)


def test_names_typed_under_the_signatures_are_accepted_but_not_rows_above_them(unit_form):
    """The signature lines under the table: the unit types who made the form and its head's name in
    the yellow cells; the import reads nothing there. A row typed between the table and the
    signatures is still a row added by hand."""
    f = unit_form
    last = max(f["rows"].values())
    wb = load_workbook(f["path"])
    ws = wb[SHEET_FORM]
    name_row = next(r for r in range(last + 1, last + 20)
                    if ws.cell(row=r, column=1).value is None and ws.cell(row=r, column=1).protection.locked is False)
    right = next(c for c in range(2, 30) if ws.cell(row=name_row, column=c).protection.locked is False
                 and ws.cell(row=name_row - 4, column=c).value == "(Ký, ghi rõ họ tên, đóng dấu)")
    wb.close()

    def sign(wb):
        wb[SHEET_FORM].cell(row=name_row, column=1, value="Trần Thị Hoa")
        wb[SHEET_FORM].cell(row=name_row, column=right, value="Nguyễn Văn Nam")

    filled = fill(f["path"], f["tmp"] / "ok.xlsx", {f["with_figures"]: _done(f["info"][f["with_figures"]])})
    signed = edit(filled, f["tmp"] / "signed.xlsx", sign)
    fp = preview_files(f["db"], [signed], TODAY).files[0]
    assert fp.accepted and fp.errors == []
    assert apply_preview(f["db"], preview_files(f["db"], [signed], TODAY), TODAY).files[0].reports == 1

    between = edit(signed, f["tmp"] / "between.xlsx",
                   lambda wb: wb[SHEET_FORM].cell(row=last + 1, column=4, value="Nhiệm vụ tự thêm"))
    fp = preview_files(f["db"], [between], TODAY).files[0]
    assert not fp.accepted and [p.cell for p in fp.errors] == [f"D{last + 1}"]
