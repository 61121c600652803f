"""«Chuyển dữ liệu»: a whole database copied into an empty one, on SQLite and on the real
PostgreSQL server of the test suite; refused when it would mix data, all or nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlmodel import SQLModel

from db.models import Assignment, ChangeLog, Unit, UnitReport
from desktop.cli import main as cli_main
from desktop.infra import transfer
from desktop.infra.attachments import attach_file
from desktop.infra.database import open_database
from desktop.infra.transfer import TransferCancelled, TransferError, copy_database
from desktop.services import operations as ops

TABLES = [t for t in SQLModel.metadata.sorted_tables]


def _rows(database, table) -> list[tuple]:
    key = list(table.primary_key.columns)
    with database.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table).order_by(*key))]


def _all_rows(location: str) -> dict[str, list[tuple]]:
    database = open_database(location, create=False, user="test")
    try:
        return {t.name: _rows(database, t) for t in TABLES}
    finally:
        database.dispose()


def _counts(location: str) -> dict[str, int]:
    return {name: len(rows) for name, rows in _all_rows(location).items()}


def _assert_same(source: str, target: str) -> None:
    """Every row of every table equal, ids included (the deep comparison)."""
    before, after = _all_rows(source), _all_rows(target)
    for name in before:
        assert after[name] == before[name], name
    # the tables the officer cares about most are really there, not two empty lists
    for name in ("assignment", "unit_report", "extension", "change_log"):
        assert len(before[name]) > 0, name


@pytest.fixture
def demo_location(demo_db) -> str:
    location = demo_db.location
    demo_db.dispose()
    return location


# ------------------------------------------------------------------ SQLite -> SQLite


def test_demo_copied_into_a_new_file_row_for_row(demo_location, tmp_path):
    target = tmp_path / "copy" / "theodoi.db"
    seen: list[tuple[int, int, str]] = []
    result = copy_database(demo_location, str(target), progress=lambda d, t, m: seen.append((d, t, m)))
    _assert_same(demo_location, str(target))
    assert result.count("assignment") == _counts(demo_location)["assignment"] > 300
    assert result.total_rows == sum(_counts(demo_location).values())
    assert [t.table for t in result.tables][:3] == ["unit", "unit_name_history", "directive"]
    summary = result.summary()
    assert "đơn vị (kể cả nhóm): 40" in summary and f"Sang: {target}" in summary
    assert "tên cũ của đơn vị" not in summary  # none in the demo: not listed
    assert result.seconds > 0
    # progress: never goes back, ends at the total, and names tables in Vietnamese
    done = [d for d, _t, _m in seen]
    assert done == sorted(done) and done[-1] == seen[-1][1] == result.total_rows
    assert any("lượt giao nhiệm vụ" in m for *_x, m in seen)


def test_the_copy_is_a_working_database(demo_location, tmp_path):
    target = str(tmp_path / "copy.db")
    copy_database(demo_location, target)
    database = open_database(target)
    try:
        with database.session() as s:
            unit = ops.add_unit(s, ops.UnitInput(code="MOI-01", name="Phường Mới"))
            assert unit.id == s.execute(select(func.max(Unit.id))).scalar_one()
    finally:
        database.dispose()


@pytest.mark.parametrize("where", ["file", pytest.param("server", marks=pytest.mark.postgres)])
def test_a_child_unit_older_than_its_group_and_a_merge_are_copied(db, tmp_path, request, where):
    """unit.parent_id and unit.merged_into_id point into the same table; a child created before
    its group has the lower id, so copying in id order alone would break the foreign key (both
    SQLite and PostgreSQL check it at once)."""
    with db.session() as s:
        child = ops.add_unit(s, ops.UnitInput(code="P-A", name="Phường A"))
        other = ops.add_unit(s, ops.UnitInput(code="P-B", name="Phường B"))
        group = ops.add_unit(s, ops.UnitInput(code="NHOM", name="Các phường", is_group=True))
        newer = ops.add_unit(s, ops.UnitInput(code="P-C", name="Phường C"))
        ops.update_unit(s, child.id, ops.UnitInput(code="P-A", name="Phường A", parent_id=group.id))
        ops.update_unit(s, other.id, ops.UnitInput(code="P-B", name="Phường B", parent_id=group.id))
        ops.merge_units(s, other.id, newer.id, date(2025, 7, 1))
        ids = child.id, other.id, group.id, newer.id
    assert ids[0] < ids[2] and ids[1] < ids[3]
    source = db.location
    db.dispose()
    target = str(tmp_path / "tree.db") if where == "file" else request.getfixturevalue("pg_db").location
    copy_database(source, target)
    _assert_units(target, ids)


def _assert_units(location: str, ids) -> None:
    child, other, group, newer = ids
    database = open_database(location, create=False, user="test")
    try:
        with database.session() as s:
            units = {u.id: u for u in s.execute(select(Unit)).scalars()}
    finally:
        database.dispose()
    assert units[child].parent_id == group and units[other].parent_id == group
    assert units[other].merged_into_id == newer and not units[other].active


# ------------------------------------------------------------------ refusals


def test_refused_when_the_target_holds_data(demo_location, tmp_path):
    target = tmp_path / "other.db"
    shutil.copyfile(demo_location, target)
    before = _counts(str(target))
    with pytest.raises(TransferError) as caught:
        copy_database(demo_location, str(target))
    message = caught.value.message
    assert "đã có dữ liệu" in message
    assert "40 đơn vị (kể cả nhóm)" in message and "3 văn bản chỉ đạo" in message
    assert message.index("đơn vị") < message.index("văn bản chỉ đạo")
    assert _counts(str(target)) == before


def test_refused_when_source_and_target_are_the_same_file(demo_location):
    spelled_otherwise = str(Path(demo_location).parent / ".." / Path(demo_location).parent.name / "demo.db")
    with pytest.raises(TransferError, match="chính là cơ sở dữ liệu nguồn"):
        copy_database(demo_location, spelled_otherwise)


def test_a_damaged_source_is_refused_with_its_own_message(tmp_path):
    from desktop.infra.database import DamagedDatabaseError

    broken = tmp_path / "hong.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8000)
    with pytest.raises(DamagedDatabaseError) as opened:
        open_database(broken)
    target = tmp_path / "new.db"
    with pytest.raises(TransferError) as caught:
        copy_database(str(broken), str(target))
    assert caught.value.message == opened.value.message
    assert not target.exists()


def test_a_missing_source_is_not_created(tmp_path):
    with pytest.raises(TransferError, match="Không tìm thấy"):
        copy_database(str(tmp_path / "khong-co.db"), str(tmp_path / "new.db"))
    assert not (tmp_path / "khong-co.db").exists()
    assert not (tmp_path / "new.db").exists()


def test_an_empty_source_is_refused(db, tmp_path):
    with pytest.raises(TransferError, match="chưa có dữ liệu"):
        copy_database(db.location, str(tmp_path / "new.db"))


def test_an_empty_target_with_saved_settings_takes_the_sources(demo_location, tmp_path):
    """An empty database where Cài đặt was saved once (settings rows and their change log):
    nothing to lose, so the source's settings replace them."""
    from desktop.services.settings import load_settings, save_settings

    target = str(tmp_path / "empty.db")
    database = open_database(target)
    with database.session() as s:
        settings = load_settings(s)
        settings.agency = "PHÒNG THỬ"
        save_settings(s, settings)
    database.dispose()
    assert _counts(target)["setting"] > 0
    result = copy_database(demo_location, target)
    assert result.replaced_rows > 0
    _assert_same(demo_location, target)


# ------------------------------------------------------------------ all or nothing


def test_stopped_in_the_middle_leaves_an_existing_target_empty(demo_location, tmp_path):
    target = str(tmp_path / "empty.db")
    open_database(target).dispose()

    def stop_halfway(done, total, message):
        if done > total // 2:
            raise TransferCancelled()

    with pytest.raises(TransferCancelled, match="Nơi nhận không thay đổi"):
        copy_database(demo_location, target, progress=stop_halfway)
    assert sum(_counts(target).values()) == 0


def test_stopped_in_the_middle_removes_the_file_it_created(demo_location, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "CHUNK_ROWS", 50)
    target = tmp_path / "new.db"
    calls = []

    def stop(done, total, message):
        calls.append(done)
        if len(calls) == 12:
            raise TransferCancelled()

    with pytest.raises(TransferCancelled):
        copy_database(demo_location, str(target), progress=stop)
    assert 0 < calls[-1] < sum(_counts(demo_location).values())
    assert not target.exists()


def test_a_row_lost_on_the_way_undoes_everything(demo_location, tmp_path, monkeypatch):
    real = transfer._source_rows

    def lossy(conn, table, columns):
        for chunk in real(conn, table, columns):
            yield chunk[:-1] if table.name == "change_log" else chunk  # a table nothing points at

    monkeypatch.setattr(transfer, "_source_rows", lossy)
    target = str(tmp_path / "empty.db")
    open_database(target).dispose()
    n = _counts(demo_location)["change_log"]
    with pytest.raises(TransferError, match=f"dòng lịch sử thay đổi: nguồn {n:,}, nơi nhận {n - 1:,}".replace(",", ".")):
        copy_database(demo_location, target)
    assert sum(_counts(target).values()) == 0


def test_a_value_changed_on_the_way_undoes_everything(demo_location, tmp_path, monkeypatch):
    """Same number of rows, one link changed: the sums of the integer columns catch it."""
    real = transfer._source_rows

    def altered(conn, table, columns):
        for chunk in real(conn, table, columns):
            if table.name == "extension":
                at = [c.name for c in columns].index("assignment_id")
                first = list(chunk[0])
                first[at] = chunk[-1][at]
                chunk[0] = tuple(first)
            yield chunk

    monkeypatch.setattr(transfer, "_source_rows", altered)
    target = str(tmp_path / "empty.db")
    open_database(target).dispose()
    with pytest.raises(TransferError, match="không khớp với nguồn.*lượt gia hạn"):
        copy_database(demo_location, target)
    assert sum(_counts(target).values()) == 0


# ------------------------------------------------------------------ attachments


def test_attachments_are_named_not_copied(demo_db, tmp_path):
    evidence_file = tmp_path / "bien-ban.pdf"
    evidence_file.write_bytes(b"%PDF-1.4 test")
    relative = attach_file(demo_db.location, evidence_file)
    with demo_db.session() as s:
        report_id = s.execute(select(UnitReport.id).limit(1)).scalar_one()
        from db.models import Evidence
        s.add(Evidence(report_id=report_id, kind="file", target=relative, label="Biên bản"))
    source = demo_db.location
    demo_db.dispose()
    target_folder = tmp_path / "may-khac"
    result = copy_database(source, str(target_folder / "theodoi.db"))
    assert result.attachment_refs == 1
    assert result.attachments_from == Path(source).parent / "tep-dinh-kem"
    assert result.attachments_to == target_folder / "tep-dinh-kem"
    note = result.summary()
    assert "KHÔNG được chép" in note and str(result.attachments_from) in note and "tep-dinh-kem" in note
    assert not (target_folder / "tep-dinh-kem").exists()


# ------------------------------------------------------------------ command line


def test_cli_copies_and_refuses(demo_location, tmp_path, capsys):
    target = tmp_path / "cli.db"
    code = cli_main(["chuyen-du-lieu", "--from", demo_location, "--to", str(target)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Đang chép lượt giao nhiệm vụ" in out.out and "lượt giao nhiệm vụ: 345" in out.out
    assert "Số dòng ở hai nơi khớp nhau" in out.out
    code = cli_main(["chuyen-du-lieu", "--from", demo_location, "--to", str(target)])
    out = capsys.readouterr()
    assert code == 1
    assert "Lỗi: Nơi nhận" in out.err and "đã có dữ liệu" in out.err


def test_cli_takes_the_current_database_as_source(demo_location, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("THEODOI_DB", demo_location)
    code = cli_main(["chuyen-du-lieu", "--to", str(tmp_path / "cli.db")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"từ «{demo_location}»" in out.out


# ------------------------------------------------------------------ PostgreSQL


def _with_password(url: str, password: str) -> str:
    """The test server trusts every local connection: a password in the URL is accepted and ignored."""
    return url.replace("postgres@", f"postgres:{password}@", 1)


@pytest.mark.postgres
def test_demo_copied_to_postgres_and_back_to_a_file(demo_location, pg_db, tmp_path):
    server = pg_db.location
    pg_db.dispose()
    result = copy_database(demo_location, server)
    assert result.target_is_server
    _assert_same(demo_location, server)
    back = str(tmp_path / "mang-ve" / "theodoi.db")
    copy_database(server, back)
    _assert_same(demo_location, back)


@pytest.mark.postgres
def test_after_the_copy_the_server_hands_out_new_ids(demo_location, pg_db):
    server = pg_db.location
    pg_db.dispose()
    copy_database(demo_location, server)
    database = open_database(server)
    try:
        with database.session() as s:
            highest = s.execute(select(func.max(Unit.id))).scalar_one()
            unit = ops.add_unit(s, ops.UnitInput(code="MOI-01", name="Xã Mới"))
            assignment = s.execute(select(Assignment).limit(1)).scalar_one()
            ops.grant_extension(s, assignment.id, date(2024, 12, 31), "Thử", "", date(2024, 10, 8))
        assert unit.id == highest + 1
        with database.session() as s:
            assert s.execute(select(func.count()).select_from(ChangeLog)
                             .where(ChangeLog.table_name == "unit", ChangeLog.record_id == unit.id)).scalar_one() == 1
    finally:
        database.dispose()


@pytest.mark.postgres
def test_refused_when_the_server_holds_data(demo_location, pg_demo_db):
    server = pg_demo_db.location
    with pytest.raises(TransferError, match="đã có dữ liệu.*40 đơn vị"):
        copy_database(demo_location, server)


@pytest.mark.postgres
def test_a_row_the_server_refuses_undoes_everything(demo_location, pg_db):
    """SQLite keeps a text longer than its column allows (written by an old version or by hand);
    PostgreSQL refuses it: the whole copy is undone and the message names the table."""
    source = open_database(demo_location)
    with source.engine.begin() as conn:
        conn.execute(update(UnitReport.__table__).where(UnitReport.__table__.c.id == 100)
                     .values(unit_doc_number="x" * 80))
    source.dispose()
    server = pg_db.location
    with pytest.raises(TransferError, match="Không chép được bảng «báo cáo kết quả».*nơi nhận không thay đổi"):
        copy_database(demo_location, server)
    assert sum(_counts(server).values()) == 0


@pytest.mark.postgres
def test_cli_never_prints_the_password(demo_location, pg_db, capsys):
    url = _with_password(pg_db.location, "MatKhauBiMat42")
    code = cli_main(["chuyen-du-lieu", "--from", demo_location, "--to", url])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "MatKhauBiMat42" not in out.out + out.err
    assert "***" in out.out
    code = cli_main(["chuyen-du-lieu", "--from", demo_location, "--to", url])
    out = capsys.readouterr()
    assert code == 1 and "MatKhauBiMat42" not in out.out + out.err


def test_a_database_error_after_the_rows_is_reported_in_vietnamese_and_undone(demo_location, tmp_path, monkeypatch):
    """A database error outside the row inserts (here in the final check; disk full or the server gone
    at the commit look the same) is a TransferError too, so the command line prints it in Vietnamese."""
    from sqlalchemy import exc as sa_exc

    def broken(*_args):
        raise sa_exc.OperationalError("COMMIT", None, Exception("database or disk is full"))

    monkeypatch.setattr(transfer, "_verify", broken)
    target = tmp_path / "new.db"
    with pytest.raises(TransferError, match="Không chuyển được dữ liệu: database or disk is full. Đã hủy toàn bộ"):
        copy_database(demo_location, str(target))
    assert not target.exists()


def test_killed_in_the_middle_leaves_no_database_under_the_target_name(demo_location, tmp_path):
    """kill -9 runs no cleanup: the file being filled has a temporary name until the copy is
    whole, so no empty database ever stands where the officer asked for the copy; the next
    transfer to the same place removes the killed one's temporary file."""
    import os
    import signal
    import subprocess
    import sys

    target = tmp_path / "moi.db"
    script = (
        "import os, signal, sys\n"
        "from desktop.infra import transfer\n"
        "transfer.CHUNK_ROWS = 50\n"
        "calls = []\n"
        "def progress(done, total, message):\n"
        "    calls.append(done)\n"
        "    if len(calls) == 8:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "transfer.copy_database(sys.argv[1], sys.argv[2], progress=progress)\n")
    env = dict(os.environ, THEODOI_DATA_DIR=str(tmp_path / "data"))
    run = subprocess.run([sys.executable, "-c", script, demo_location, str(target)], env=env, timeout=120)
    assert run.returncode == -signal.SIGKILL
    assert not target.exists()
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".~moi.db")]
    assert left, "the killed copy was being written under a temporary name"
    copy_database(demo_location, str(target))
    assert _counts(target) == _counts(demo_location)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~moi.db")]
