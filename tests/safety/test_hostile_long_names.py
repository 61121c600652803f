"""Long file names: a form named with many Vietnamese characters imports; the kept copy's name is
shortened (bytes-aware, extension kept, well under Windows' 260-character path); the change log's
context never overflows its column (issue 12, item 6)."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlalchemy import select

from db.models import ChangeLog, UnitReport
from db.queries import find_unit
from desktop.infra.fileio import shorten_name
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.importer import apply_preview, preview_files
from desktop.workbooks.template import SHEET_FORM, export_template
from tests.workbooks.filling import fill, rows_by_assignment

TODAY = DEMO_TODAY


def _filled(db, folder, name: str):
    with db.session() as s:
        uid = find_unit(s, "P-MC").id
    blank = export_template(db, uid, folder / "blank.xlsx", TODAY)
    wb = load_workbook(blank)
    aid = next(iter(rows_by_assignment(wb[SHEET_FORM])))
    wb.close()
    return fill(blank, folder / name, {aid: {"state": "Đang thực hiện", "content": "Đang triển khai."}}), aid


def test_shorten_name_counts_bytes_and_keeps_the_extension():
    long = "Phiếu báo cáo kết quả thực hiện nhiệm vụ của Ủy ban nhân dân phường Máy Chai quận Ngô Quyền" * 3
    short = shorten_name(long + ".xlsx", max_bytes=120)
    assert short.endswith(".xlsx") and len(short.encode("utf-8")) <= 120
    assert short.startswith("Phiếu báo cáo")
    assert shorten_name("a.xlsx") == "a.xlsx"
    # never cuts a character in half, never ends on a space or a dot before the extension
    assert not short[:-5].endswith((" ", "."))


def test_a_form_named_with_91_vietnamese_characters_imports(demo_db, tmp_path):
    name = "Phiếu báo cáo " + "ữ" * 77  # Vietnamese letters take 2-3 bytes each in UTF-8
    assert len(name) == 91 and len((name + ".xlsx").encode("utf-8")) <= 255  # a valid name on Linux's disks
    path, aid = _filled(demo_db, tmp_path, name + ".xlsx")
    preview = preview_files(demo_db, [path], TODAY)
    assert preview.files[0].accepted, preview.files[0].problems
    result = apply_preview(demo_db, preview, TODAY)
    assert not result.failed, result.summary()
    kept = result.files[0].kept_copy
    assert kept.endswith(".xlsx") and len(kept.rsplit("/", 1)[-1].encode("utf-8")) <= 150
    assert len(str(demo_db.folder / kept)) < 260 or len(kept) < 150
    assert (demo_db.folder / kept).is_file()


def test_a_254_character_name_fits_the_change_log(any_demo_db, tmp_path):
    db = any_demo_db
    name = "a" * 249 + ".xlsx"
    assert len(name) == 254
    path, aid = _filled(db, tmp_path, name)
    result = apply_preview(db, preview_files(db, [path], TODAY), TODAY)
    assert not result.failed, result.summary()
    with db.session() as s:
        contexts = s.execute(select(ChangeLog.context).where(ChangeLog.context.like("import:%"))).scalars().all()
        assert contexts and all(len(c) <= 255 for c in contexts)
        assert s.execute(select(UnitReport).where(UnitReport.assignment_id == aid)).scalars().all()


def test_an_attached_file_with_a_long_name_is_kept_under_a_short_one(demo_db, tmp_path):
    from desktop.infra import attachments

    source = tmp_path / ("Báo cáo " + "ữ" * 80 + ".pdf")
    source.write_bytes(b"%PDF-1.4")
    first = attachments.attach_file(demo_db.location, source)
    second = attachments.attach_file(demo_db.location, source)  # the same name again: " (2)"
    for stored in (first, second):
        name = stored.rsplit("/", 1)[-1]
        assert name.endswith(".pdf") and len(name.encode("utf-8")) <= 130 and len(name) <= 90
        assert attachments.find(demo_db.location, stored).read_bytes() == b"%PDF-1.4"
    assert first != second
