"""Several officers on one database: optimistic locking refuses the second save (no lost update)
and the change log names who changed what."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from db.models import Assignment, ChangeLog
from db.queries import assignment_rows
from desktop.infra.database import ConflictError, DatabaseOpenError, officer_label, open_database
from desktop.services import operations as ops
from desktop.services.settings import load_settings, save_settings

TODAY = date(2024, 10, 8)


def _second_officer(database, name: str):
    """Another officer's connection to the same database (another PC on the LAN)."""
    return open_database(database.location, user=name)


def _one_assignment(database) -> int:
    with database.session() as s:
        unit = ops.add_unit(s, ops.UnitInput(code="P-DK", name="UBND phường Đông Khê", kind="phuong"))
        ops.create_directive(s, ops.DirectiveInput(number="234/KH-UBND"), [
            ops.TaskInput(title="Treo băng rôn", due_date=date(2024, 10, 10), unit_ids=[unit.id])])
    with database.session() as s:
        return assignment_rows(s)[0].assignment_id


def _load(database, aid: int):
    with database.session() as s:
        return assignment_rows(s, assignment_ids=[aid])[0]


def test_second_officer_saving_a_stale_form_is_refused(any_db):
    any_db.set_user("Nguyễn Thị Lan (lan)")
    aid = _one_assignment(any_db)
    other = _second_officer(any_db, "Trần Văn Hùng (hung)")
    try:
        seen_by_lan, seen_by_hung = _load(any_db, aid), _load(other, aid)  # both open the form
        assert seen_by_lan.version == seen_by_hung.version
        with any_db.session() as s:  # Lan saves first
            ops.set_state(s, aid, "dang_thuc_hien", TODAY, expected_version=seen_by_lan.version)
        with pytest.raises(ConflictError) as refused:
            with other.session() as s:  # Hùng saves what he saw: refused
                ops.set_state(s, aid, "tam_dung", TODAY, expected_version=seen_by_hung.version)
        message = refused.value.message
        assert "Nguyễn Thị Lan (lan)" in message and "sửa" in message and "tải lại" in message
        reloaded = _load(other, aid)  # the newer data is what Hùng now sees
        assert reloaded.state == "dang_thuc_hien" and reloaded.version == seen_by_hung.version + 1
        with other.session() as s:  # with the fresh version his save goes through
            ops.set_state(s, aid, "tam_dung", TODAY, expected_version=reloaded.version)
        with any_db.session() as s:
            log = s.execute(select(ChangeLog.os_user, ChangeLog.old_value, ChangeLog.new_value)
                            .where(ChangeLog.table_name == "assignment", ChangeLog.field == "state")
                            .order_by(ChangeLog.id)).all()
        assert [tuple(r) for r in log] == [("Nguyễn Thị Lan (lan)", "chua_thuc_hien", "dang_thuc_hien"),
                                           ("Trần Văn Hùng (hung)", "dang_thuc_hien", "tam_dung")]
    finally:
        other.dispose()


def test_overlapping_transactions_cannot_both_win(any_db):
    """Both officers' save transactions are open at once: Hùng has read the row (and passed the
    version check) when Lan commits; his UPDATE then matches no row of that version."""
    aid = _one_assignment(any_db)
    other = _second_officer(any_db, "hung")
    try:
        version = _load(any_db, aid).version
        with pytest.raises(ConflictError) as refused:
            with other.session() as hung:
                a = hung.get(Assignment, aid)
                assert a.version == version
                with any_db.session() as lan:
                    ops.record_report(lan, aid, ops.ReportInput(received_on=TODAY, content="Đã treo"), TODAY,
                                      expected_version=version, accept=True)
                ops.set_state(hung, aid, "huy", TODAY, expected_version=version)
        assert "chưa được" in refused.value.message
        final = _load(any_db, aid)
        assert final.state == "hoan_thanh" and final.version == version + 1
    finally:
        other.dispose()


@pytest.mark.postgres
def test_concurrent_updates_on_postgres_block_then_refuse(pg_db):
    """Real concurrency on the server: Hùng's UPDATE waits on Lan's row lock, then finds the row
    at a newer version and is refused; Lan's change stays."""
    aid = _one_assignment(pg_db)
    other = _second_officer(pg_db, "hung")
    version = _load(pg_db, aid).version
    lan_flushed, hung_loaded = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hung_saves() -> None:
        try:
            with other.session() as s:
                s.get(Assignment, aid)
                hung_loaded.set()
                lan_flushed.wait(30)
                ops.set_state(s, aid, "tam_dung", TODAY, expected_version=version)  # blocks on the row lock
            outcome["hung"] = "saved"
        except ConflictError as exc:
            outcome["hung"] = exc
        except Exception as exc:  # anything else is a failure of the test
            outcome["hung"] = repr(exc)

    worker = threading.Thread(target=hung_saves)
    worker.start()
    try:
        assert hung_loaded.wait(30)
        with pg_db.session() as s:
            ops.set_state(s, aid, "dang_thuc_hien", TODAY, expected_version=version)
            s.flush()
            lan_flushed.set()
            # stays in the transaction a moment so Hùng's UPDATE is likely to be waiting on the lock;
            # either way (waiting or not) the outcome asserted below is the same
            s.execute(select(1).where(select(Assignment.id).where(Assignment.id == aid).exists())).all()
            threading.Event().wait(0.3)
    finally:
        lan_flushed.set()
        worker.join(60)
        other.dispose()
    assert isinstance(outcome.get("hung"), ConflictError), outcome
    final = _load(pg_db, aid)
    assert final.state == "dang_thuc_hien" and final.version == version + 1


def test_officer_name_from_settings_names_the_change_log(any_db):
    with any_db.session() as s:
        settings = load_settings(s)
        settings.officer_name = "Phạm Thu Hà"
        save_settings(s, settings)
    reopened = open_database(any_db.location)
    try:
        assert reopened.user.startswith("Phạm Thu Hà (") and reopened.user.endswith(")")
        with reopened.session() as s:
            unit = ops.add_unit(s, ops.UnitInput(code="P-LL", name="UBND phường Lê Lợi"))
        with reopened.session() as s:
            who = s.execute(select(ChangeLog.os_user).where(ChangeLog.table_name == "unit",
                                                            ChangeLog.record_id == unit.id)).scalar_one()
        assert who == reopened.user
    finally:
        reopened.dispose()
    assert open_database(any_db.location, user="kiem-thu").user == "kiem-thu"


def test_officer_label():
    assert officer_label("", "lan") == "lan"
    assert officer_label("  Nguyễn Thị Lan ", "lan") == "Nguyễn Thị Lan (lan)"
    assert officer_label("lan", "lan") == "lan"
    assert len(officer_label("x" * 300, "lan")) == 120


def test_unreachable_server_gives_a_vietnamese_message_without_the_password():
    with pytest.raises(DatabaseOpenError) as failed:
        open_database("postgresql://lan:MatKhauBiMat@127.0.0.1:1/theodoi")
    message = failed.value.message
    assert "Không kết nối được" in message and "127.0.0.1:1/theodoi" in message
    assert "MatKhauBiMat" not in message


@pytest.mark.postgres
def test_wrong_password_is_refused_clearly(pg_server, pg_db):
    from sqlalchemy import text

    with pg_db.engine.begin() as conn:
        conn.execute(text("CREATE ROLE canbo LOGIN PASSWORD 'dung'"))
    # The test server trusts loopback, so use a missing database to show the refusal path.
    url = pg_server.url("khong_co_csdl_nay").replace("postgresql://postgres@", "postgresql://canbo:sai@")
    with pytest.raises(DatabaseOpenError) as failed:
        open_database(url)
    assert "Không kết nối được" in failed.value.message and ":sai@" not in failed.value.message
