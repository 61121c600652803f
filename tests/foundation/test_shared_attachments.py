"""Attachments with a shared PostgreSQL database: a shared folder set on each PC holds
``tep-dinh-kem/``, so every PC opens what another attached; SQLite keeps them beside its file.
Temporary folders stand in for the network share; a missing one for a share that is offline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import DirectiveType, Evidence, Role, UnitReport
from desktop.infra import attachments, local_config, paths
from desktop.infra.database import open_database
from desktop.infra.fileio import OutputError
from desktop.infra.local_config import LocalConfig, load_config, save_config
from desktop.services import operations as ops

URL = "postgresql://theodoi:matkhau@192.168.1.10:5432/theodoi"


class PC:
    """One officer's PC: its own configuration and data folder (environment variables)."""

    def __init__(self, monkeypatch, folder: Path):
        self.monkeypatch = monkeypatch
        self.config = folder / "cau-hinh"
        self.data = folder / "du-lieu"

    def use(self) -> "PC":
        self.monkeypatch.setenv("THEODOI_CONFIG_DIR", str(self.config))
        self.monkeypatch.setenv("THEODOI_DATA_DIR", str(self.data))
        return self

    def set_shared(self, folder: Path | str, database: str = URL) -> "PC":
        self.use()
        save_config(LocalConfig(database=database, shared_folder=str(folder)))
        return self


@pytest.fixture
def share(tmp_path) -> Path:
    folder = tmp_path / "MAYCHU" / "TheoDoi"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def pc_a(tmp_path, monkeypatch) -> PC:
    return PC(monkeypatch, tmp_path / "may-a").use()


@pytest.fixture
def pc_b(tmp_path, monkeypatch) -> PC:
    return PC(monkeypatch, tmp_path / "may-b")


def _source(tmp_path: Path, name: str = "Biên bản kiểm tra (bản ký).pdf", data: bytes = b"%PDF-1.4 bien ban") -> Path:
    path = tmp_path / "nguon" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ------------------------------------------------------------------ the rule


def test_sqlite_keeps_attachments_beside_its_file_even_with_a_shared_folder_set(pc_a, share, tmp_path):
    database = str(tmp_path / "Dữ liệu" / "theodoi.db")
    pc_a.set_shared(share, database)
    assert paths.shared_folder(database) is None
    assert paths.attachments_root(database) == tmp_path / "Dữ liệu"
    assert paths.attachments_dir(database) == tmp_path / "Dữ liệu" / "tep-dinh-kem"
    sqlite_url = "sqlite:///" + database
    assert paths.attachments_root(sqlite_url) == tmp_path / "Dữ liệu"


@pytest.mark.parametrize("url", [URL, "postgres://theodoi@192.168.1.10/theodoi"])
def test_server_uses_the_shared_folder_when_set_else_this_pc_data_folder(pc_a, share, url):
    assert paths.shared_folder(url) is None
    assert paths.attachments_root(url) == pc_a.data == paths.folder_for(url)
    pc_a.set_shared(share, url)
    assert paths.shared_folder(url) == share
    assert paths.attachments_root(url) == share
    assert paths.attachments_dir(url) == share / "tep-dinh-kem"
    # logs and local backups stay on the PC
    assert paths.logs_dir(url) == pc_a.data / "nhat-ky"
    assert paths.backups_dir(url) == pc_a.data / "sao-luu"


def test_shared_folder_is_stored_per_pc_and_only_when_set(pc_a, share):
    path = save_config(LocalConfig(database=URL, officer_name="Lan", shared_folder=f"  {share}  "))
    assert load_config() == LocalConfig(database=URL, officer_name="Lan", shared_folder=str(share))
    assert json.loads(path.read_text("utf-8"))["shared_folder"] == str(share)
    save_config(LocalConfig(database=URL))
    assert "shared_folder" not in json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({"database": URL, "shared_folder": 5}), "utf-8")
    assert load_config() == LocalConfig(database=URL)  # not text: ignored, the rest kept
    path.write_text(json.dumps({"database": URL, "shared_folder": r"\\MAYCHU\TheoDoi"}), "utf-8")
    assert local_config.configured_shared_folder() == r"\\MAYCHU\TheoDoi"


# ------------------------------------------------------------------ writing and finding


def test_attached_on_one_pc_opens_on_another_pc_with_the_same_share(pc_a, pc_b, share, tmp_path):
    pc_a.set_shared(share)
    source = _source(tmp_path)
    stored = attachments.attach_file(URL, source, today=date(2024, 10, 8))
    assert stored == "tep-dinh-kem/minh-chung/2024-10/Biên bản kiểm tra (bản ký).pdf"  # relative, as before
    assert (share / stored).read_bytes() == source.read_bytes()
    assert _files_under(pc_a.data) == []  # nothing in PC A's own data folder

    pc_b.set_shared(share)
    assert attachments.find(URL, stored) == share / stored
    assert attachments.resolve(URL, stored).read_bytes() == source.read_bytes()
    again = attachments.attach_file(URL, source, today=date(2024, 10, 8))
    assert again == "tep-dinh-kem/minh-chung/2024-10/Biên bản kiểm tra (bản ký) (2).pdf"  # never overwrites


def test_pc_without_the_shared_folder_does_not_find_it_and_says_what_to_set(pc_a, pc_b, share, tmp_path):
    pc_a.set_shared(share)
    stored = attachments.copy_file(URL, _source(tmp_path), "17")
    pc_b.use()
    save_config(LocalConfig(database=URL))
    assert attachments.find(URL, stored) is None
    message = attachments.missing_message(URL, stored)
    assert f"«{pc_b.data / stored}»" in message
    assert "Thư mục dùng chung cho tệp đính kèm" in message and "mọi máy" in message


def test_files_attached_before_the_share_was_set_still_open_on_that_pc(pc_a, share, tmp_path):
    pc_a.use()
    save_config(LocalConfig(database=URL))
    stored = attachments.copy_file(URL, _source(tmp_path), "van-ban")
    assert (pc_a.data / stored).is_file()
    pc_a.set_shared(share)
    assert attachments.find(URL, stored) == pc_a.data / stored
    assert attachments.locations(URL, stored)[:2] == [share / stored, pc_a.data / stored]


def test_text_and_kept_copies_go_to_the_share(pc_a, share, tmp_path):
    pc_a.set_shared(share)
    relative = attachments.write_text(URL, "van-ban", "128-VHTT.txt", "Kế hoạch tuyên truyền")
    assert (share / relative).read_text("utf-8") == "Kế hoạch tuyên truyền"
    source = _source(tmp_path, "phieu.xlsx", b"PK xlsx")
    first = attachments.keep_copy(URL, source, "phieu-excel", "20241008-abcd-phieu.xlsx")
    assert first == ("tep-dinh-kem/phieu-excel/20241008-abcd-phieu.xlsx",
                     share / "tep-dinh-kem/phieu-excel/20241008-abcd-phieu.xlsx", True)
    second = attachments.keep_copy(URL, source, "phieu-excel", "20241008-abcd-phieu.xlsx")
    assert second == (first[0], first[1], False)  # the same received file: kept once


# ------------------------------------------------------------------ a share that cannot be reached


def test_offline_share_refuses_to_attach_and_writes_nothing_anywhere(pc_a, tmp_path):
    offline = tmp_path / "MAYCHU-tat" / "TheoDoi"
    pc_a.set_shared(offline)
    with pytest.raises(OutputError) as caught:
        attachments.copy_file(URL, _source(tmp_path), "17")
    message = caught.value.message
    assert message.startswith(f"Không ghi được vào thư mục dùng chung «{offline}»")
    assert "kiểm tra mạng nội bộ" in message and "Chưa có gì được lưu" in message
    assert not offline.exists() and not offline.parent.exists()  # the share is never created here
    assert _files_under(pc_a.data) == []
    with pytest.raises(OutputError):
        attachments.write_text(URL, "van-ban", "a.txt", "x")
    with pytest.raises(OutputError):
        attachments.keep_copy(URL, _source(tmp_path), "phieu-excel", "a.xlsx")


def test_share_that_refuses_writing_says_so_and_leaves_no_part_file(pc_a, share, tmp_path):
    pc_a.set_shared(share)
    (share / "tep-dinh-kem").write_text("a file where the folder should be")  # the folder cannot be made
    with pytest.raises(OutputError) as caught:
        attachments.copy_file(URL, _source(tmp_path), "17")
    assert f"thư mục dùng chung «{share}»" in caught.value.message
    assert "kiểm tra mạng nội bộ" in caught.value.message
    assert [p.name for p in share.iterdir()] == ["tep-dinh-kem"]


def test_read_only_share_is_refused(pc_a, share, tmp_path):
    """A share the officer may read but not write (as an ordinary user: tests.unprivileged)."""
    from tests.unprivileged import run_unprivileged

    pc_a.set_shared(share)
    source = _source(tmp_path)
    share.chmod(0o555)

    def check():
        with pytest.raises(OutputError) as caught:
            attachments.copy_file(URL, source, "17")
        assert "thư mục dùng chung" in caught.value.message
        assert attachments.check_shared_folder(share).startswith("Không ghi được vào thư mục dùng chung")
        assert list(share.iterdir()) == []

    try:
        run_unprivileged(check, tmp_path)
    finally:
        share.chmod(0o755)


def test_missing_file_on_an_offline_share_says_where_it_was_looked_for(pc_a, tmp_path):
    offline = tmp_path / "MAYCHU-tat" / "TheoDoi"
    pc_a.set_shared(offline)
    message = attachments.missing_message(URL, "tep-dinh-kem/17/Biên bản.pdf")
    assert message.startswith("Không tìm thấy tệp «Biên bản.pdf». Đã tìm ở: ")
    assert f"«{offline / 'tep-dinh-kem/17/Biên bản.pdf'}»" in message
    assert f"«{pc_a.data / 'tep-dinh-kem/17/Biên bản.pdf'}»" in message
    assert f"Không truy cập được thư mục dùng chung «{offline}»" in message


def test_sqlite_missing_file_message(tmp_path, pc_a):
    database = str(tmp_path / "theodoi.db")
    message = attachments.missing_message(database, "tep-dinh-kem/17/a.pdf")
    assert f"«{tmp_path / 'tep-dinh-kem/17/a.pdf'}»" in message and "đã bị xóa hoặc di chuyển" in message
    assert "dùng chung" not in message


# ------------------------------------------------------------------ the check of the settings


def test_check_of_the_shared_folder(share, tmp_path, monkeypatch):
    assert attachments.check_shared_folder(share) == ""
    assert list(share.iterdir()) == []  # the probe file is deleted
    assert "Không truy cập được" in attachments.check_shared_folder(tmp_path / "khong-co")
    assert "đường dẫn đầy đủ" in attachments.check_shared_folder("TheoDoi")
    assert attachments.check_shared_folder("  ") == "Chưa chọn thư mục dùng chung."
    a_file = tmp_path / "tep.txt"
    a_file.write_text("x")
    assert "Không truy cập được" in attachments.check_shared_folder(a_file)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(attachments.tempfile, "mkstemp", refuse)
    problem = attachments.check_shared_folder(share)
    assert problem.startswith(f"Không ghi được vào thư mục dùng chung «{share}» (Permission denied)")
    assert "quyền ghi" in problem


# ------------------------------------------------------------------ two PCs, one PostgreSQL database


def _assignment(db) -> int:
    with db.session("test") as s:
        unit = ops.add_unit(s, ops.UnitInput(code="P-DK", name="UBND phường Đông Khê"))
        directive = ops.create_directive(s, ops.DirectiveInput(
            number="128/VHTT", issued_on=date(2024, 9, 20), issuer="UBND quận", doc_type=DirectiveType.PLAN.value,
            title="Tuyên truyền"))
        task = ops.add_task(s, directive.id, ops.TaskInput(title="Báo cáo kết quả", due_date=date(2024, 10, 31)))
        created = ops.assign_units(s, task, {unit.id: Role.LEAD.value})
        s.flush()
        return created[0].id


@pytest.mark.postgres
def test_two_pcs_on_one_postgresql_database_open_the_same_evidence(pg_db, pc_a, pc_b, share, tmp_path):
    pc_a.set_shared(share, pg_db.location)
    aid = _assignment(pg_db)
    source = _source(tmp_path)
    stored = attachments.copy_file(pg_db.location, source, str(aid))
    with pg_db.session("test") as s:
        ops.record_report(s, aid, ops.ReportInput(received_on=date(2024, 10, 8), content="Đã tổ chức",
                                                  files=[stored]), date(2024, 10, 8))

    pc_b.set_shared(share, pg_db.location)
    second = open_database(pg_db.location)  # PC B's own connection to the same server
    try:
        with second.session() as s:
            targets = s.execute(select(Evidence.target).where(Evidence.kind == "file")).scalars().all()
        assert targets == [stored]
        found = attachments.find(second.location, targets[0])
        assert found == share / stored
        assert found.read_bytes() == source.read_bytes()
        assert not (pc_b.data / stored).exists()
    finally:
        second.dispose()


@pytest.mark.postgres
def test_import_records_nothing_while_the_share_is_offline_then_keeps_the_file_on_it(pg_demo_db, pc_a, share,
                                                                                    tmp_path):
    from openpyxl import load_workbook

    from db.queries import find_unit
    from desktop.workbooks.importer import apply_preview, preview_files
    from desktop.workbooks.template import SHEET_FORM, export_template
    from tests.workbooks.filling import fill, rows_by_assignment

    today = date(2024, 10, 8)
    with pg_demo_db.session() as s:
        uid = find_unit(s, "P-MC").id
    blank = export_template(pg_demo_db, uid, tmp_path / "blank.xlsx", today)
    wb = load_workbook(blank)
    aid = next(iter(rows_by_assignment(wb[SHEET_FORM])))
    wb.close()
    filled = fill(blank, tmp_path / "Phiếu P-MC.xlsx", {aid: {"state": "Đang thực hiện",
                                                              "content": "Đang tổ chức các hoạt động."}})

    def reports() -> list[str | None]:
        with pg_demo_db.session() as s:
            return s.execute(select(UnitReport.source_file).where(UnitReport.assignment_id == aid)).scalars().all()

    before = reports()
    pc_a.set_shared(tmp_path / "MAYCHU-tat" / "TheoDoi", pg_demo_db.location)
    result = apply_preview(pg_demo_db, preview_files(pg_demo_db, [filled], today), today)
    assert len(result.failed) == 1 and "thư mục dùng chung" in result.failed[0].message
    assert reports() == before  # no record without its file

    pc_a.set_shared(share, pg_demo_db.location)
    result = apply_preview(pg_demo_db, preview_files(pg_demo_db, [filled], today), today)
    assert not result.failed
    kept = result.files[0].kept_copy
    assert kept.startswith("tep-dinh-kem/phieu-excel/") and reports() == before + [kept]
    assert (share / kept).read_bytes() == filled.read_bytes()
