"""Storage and domain on both backends: the same code and migrations on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlmodel import SQLModel

from db.engine import database_url, is_postgres_url, make_engine
from db.migrate import alembic_config, current_revision, head_revision, upgrade
from db.models import Assignment, ChangeLog, Directive, Indicator, ReportFigure, Task, Unit, UnitReport
from db.queries import assignment_rows, find_directive, find_unit, search_ids, unit_subtree_ids
from desktop.cli.core import status_payload
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.services.settings import load_settings, save_settings


@pytest.mark.parametrize("given, expected", [
    ("postgresql://u:p@10.0.0.5/theodoi", "postgresql+psycopg://u:p@10.0.0.5/theodoi"),
    ("postgres://u@host:5433/db", "postgresql+psycopg://u@host:5433/db"),
    ("postgresql+psycopg2://u@h/db", "postgresql+psycopg://u@h/db"),
    ("  postgresql+psycopg://u@h/db ", "postgresql+psycopg://u@h/db"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_postgres_urls_get_the_psycopg_driver(given, expected):
    assert database_url(given) == expected


def test_a_path_is_a_sqlite_url(tmp_path):
    assert database_url(tmp_path / "a.db") == "sqlite:///" + str((tmp_path / "a.db").resolve())
    assert not is_postgres_url(tmp_path / "a.db")
    assert is_postgres_url("postgresql://h/db")


def test_migrations_reach_head_and_match_the_models(any_db):
    assert current_revision(any_db.engine) == head_revision()
    with any_db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []


@pytest.mark.postgres
def test_postgres_migration_from_0001_keeps_every_row(pg_server):
    """0002 rebuilds the directive table on SQLite; on PostgreSQL it must alter it in place
    (a copy-and-drop would fail on the task -> directive foreign key)."""
    name = pg_server.create_database()
    engine = make_engine(pg_server.url(name))
    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
        with engine.begin() as conn:
            conn.execute(text(
                "insert into directive (id, number, issuer, doc_type, title, file_path, notes, search_key, "
                "created_at, version) values (1, '234/KH-UBND', 'UBND thành phố', 'ke_hoach', 'Ngày CĐS', '', '', "
                "'', '2024-01-01T00:00:00+00:00', 1)"))
            conn.execute(text(
                "insert into task (id, directive_id, sort_order, title, content, kind, recurrence, search_key, "
                "version) values (1, 1, 1, 'Tuyên truyền', '', 'mot_lan', '', '', 1)"))
        assert current_revision(engine) == "0001"
        assert upgrade(engine) is None  # no file backup for a server database
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from task")).scalar() == 1
            assert conn.execute(text("select number, received_on from directive")).one() == ("234/KH-UBND", None)
    finally:
        engine.dispose()
        pg_server.drop_database(name)


def _organisation(s):
    group = ops.add_unit(s, ops.UnitInput(code="PHUONG", name="UBND các phường", is_group=True))
    wards = [ops.add_unit(s, ops.UnitInput(code=code, name=name, kind="phuong", parent_id=group.id))
             for code, name in (("P-DK", "UBND phường Đông Khê"), ("P-LL", "UBND phường Lê Lợi"),
                                ("P-DQB", "UBND phường Đổng Quốc Bình"))]
    office = ops.add_unit(s, ops.UnitInput(code="VHTT", name="Phòng Văn hóa và Thông tin", kind="phong_ban"))
    return group, wards, office


def test_the_whole_cycle_on_both_backends(any_db):
    """Units, a directive with tasks, results, acceptance, an extension: same answers everywhere."""
    with any_db.session("nhap-tay") as s:
        group, wards, office = _organisation(s)
        ward_ids = ops.group_members(s, group.id)
        d = ops.create_directive(s, ops.DirectiveInput(number="234/KH-UBND", issued_on=date(2024, 9, 20),
                                                       issuer="UBND quận Ngô Quyền", doc_type="ke_hoach",
                                                       title="Tuyên truyền Ngày Chuyển đổi số quốc gia"), [
            ops.TaskInput(title="Treo băng rôn, khẩu hiệu", due_date=date(2024, 10, 10), unit_ids=ward_ids,
                          lead_unit_ids=[office.id],
                          indicators=[ops.IndicatorInput(name="Số băng rôn", measure="chiếc")]),
            ops.TaskInput(title="Báo cáo tháng", kind="dinh_ky", recurrence="monthly:7", start_date=date(2024, 7, 1),
                          due_date=date(2024, 9, 30), unit_ids=[wards[0].id]),
        ])
        directive_id = d.id
    assert sorted(ward_ids) == sorted(w.id for w in wards)

    with any_db.session() as s:
        rows = assignment_rows(s, directive_ids=[directive_id])
        assert len(rows) == 4 + 3
        first = next(r for r in rows if r.unit_code == "P-DK" and r.period == "")
        indicator = s.execute(select(Indicator)).scalars().one()
        ops.record_report(s, first.assignment_id, ops.ReportInput(
            received_on=date(2024, 10, 9), channel="zalo", unit_doc_number="12/BC-UBND",
            content="Đã treo 15 băng rôn", completed_on=date(2024, 10, 8), figures={indicator.id: "1.200"},
            links=["https://ngoquyen.haiphong.gov.vn/tin"]), today=date(2024, 10, 12))
        ops.accept_result(s, first.assignment_id, today=date(2024, 10, 12))
        late = next(r for r in rows if r.unit_code == "P-LL")
        ops.grant_extension(s, late.assignment_id, date(2024, 10, 20), "Chờ kinh phí", "45/UBND", date(2024, 10, 9))
        ops.grant_extension(s, late.assignment_id, date(2024, 10, 25), "Thêm lần hai", "", date(2024, 10, 19))

    with any_db.session() as s:
        by_code = {r.unit_code: r for r in assignment_rows(s, directive_ids=[directive_id]) if r.period == ""}
        assert by_code["P-DK"].state == "hoan_thanh" and by_code["P-DK"].completed_on == date(2024, 10, 8)
        assert by_code["P-LL"].effective_due == date(2024, 10, 25) and by_code["P-LL"].extended
        assert by_code["P-LL"].own_due == date(2024, 10, 10)
        assert by_code["VHTT"].role == "chu_tri"
        assert [r.unit_code for r in assignment_rows(s, due_from=date(2024, 10, 21))] == ["P-LL"]
        periods = [r.period for r in assignment_rows(s, unit_ids=[wards[0].id]) if r.period]
        assert periods == ["2024-07", "2024-08", "2024-09"]
        assert s.execute(select(ReportFigure.value_number)).scalar_one() == 1200
        report = s.execute(select(UnitReport)).scalars().one()
        assert report.content == "Đã treo 15 băng rôn" and report.created_at.tzinfo is not None
        log = s.execute(select(ChangeLog).where(ChangeLog.table_name == "assignment", ChangeLog.field == "state")
                        .order_by(ChangeLog.id)).scalars().all()
        assert [(c.old_value, c.new_value) for c in log] == [("chua_thuc_hien", "cho_duyet"),
                                                             ("cho_duyet", "hoan_thanh")]
        assert all(c.os_user == any_db.user for c in log)
        inserted = s.execute(select(ChangeLog.context).where(ChangeLog.table_name == "directive")).scalars().all()
        assert inserted == ["nhap-tay"]


def test_search_and_lookups_ignore_case_and_accents(any_db):
    with any_db.session() as s:
        group, wards, office = _organisation(s)
        ops.create_directive(s, ops.DirectiveInput(number="2790/UBND-VHTT", title="Về việc tuyên truyền"))
    with any_db.session() as s:
        assert [s.get(Unit, i).code for i in search_ids(s, Unit, "dong khe")] == ["P-DK"]
        assert sorted(s.get(Unit, i).code for i in search_ids(s, Unit, "ĐỔNG quoc")) == ["P-DQB"]
        assert len(search_ids(s, Unit, "ubnd phuong")) == 4  # the group and its three wards
        assert search_ids(s, Unit, "50%_\\") == []
        assert len(search_ids(s, Directive, "tuyen truyen")) == 1
        assert find_directive(s, "2790/ubnd-vhtt ").number == "2790/UBND-VHTT"
        assert find_directive(s, "2790 / UBND-VHTT").number == "2790/UBND-VHTT"
        assert find_unit(s, "p-dk").name == "UBND phường Đông Khê"
        assert sorted(unit_subtree_ids(s, group.id)) == sorted([group.id, *(w.id for w in wards)])


def test_archived_units_and_merges(any_db):
    with any_db.session() as s:
        group, wards, office = _organisation(s)
        ops.create_directive(s, ops.DirectiveInput(number="1/KH"), [
            ops.TaskInput(title="Việc", due_date=date(2025, 7, 1), unit_ids=[wards[0].id, wards[1].id])])
    with any_db.session() as s:
        moved = ops.merge_units(s, wards[1].id, wards[2].id, on=date(2025, 7, 1))
        assert moved == 1
        ops.archive_unit(s, wards[0].id, on=date(2025, 7, 1))
    with any_db.session() as s:
        assert ops.group_members(s, group.id) == [wards[2].id]
        assert sorted(ops.group_members(s, group.id, active_only=False)) == sorted(w.id for w in wards)
        assert s.get(Unit, wards[1].id).merged_into_id == wards[2].id
        assert s.execute(select(func.count()).select_from(Assignment).where(
            Assignment.unit_id == wards[2].id)).scalar() == 1


def test_validation_refuses_before_writing(any_db):
    with any_db.session() as s:
        _organisation(s)
    with pytest.raises(ops.ValidationError, match="đã được dùng"):
        with any_db.session() as s:
            ops.add_unit(s, ops.UnitInput(code="p-dk", name="Trùng mã"))
    with any_db.session() as s:
        assert s.execute(select(func.count()).select_from(Unit)).scalar() == 5


def test_settings_round_trip(any_db):
    with any_db.session() as s:
        settings = load_settings(s)
        settings.place_name = "Hải Phòng"
        settings.due_soon_days = 5
        save_settings(s, settings)
    assert any_db.settings().place_name == "Hải Phòng"
    assert any_db.settings().due_soon_days == 5


def test_datetimes_stay_utc(any_db):
    at = datetime(2024, 10, 8, 23, 30, tzinfo=timezone.utc)
    with any_db.session() as s:
        s.add(Directive(number="9/TB", created_at=at))
    with any_db.session() as s:
        stored = s.execute(select(Directive.created_at)).scalar_one()
    assert stored == at and stored.utcoffset().total_seconds() == 0


def test_demo_status_on_any_backend(any_demo_db):
    payload = status_payload(any_demo_db, "45/kh-ubnd", None, DEMO_TODAY)
    assert payload["assignments"] and {a["directive"] for a in payload["assignments"]} == {"45/KH-UBND"}
    summary = payload["summary"]
    assert summary["due"] == summary["on_time"] + summary["late"] + summary["overdue"]
    wards = status_payload(any_demo_db, None, "NHOM-PHUONG", DEMO_TODAY)["assignments"]
    assert wards and all(a["unit_code"].startswith("P-") and "phường" in a["unit"] for a in wards)


@pytest.mark.postgres
def test_postgres_and_sqlite_give_the_same_status(demo_db, pg_demo_db):
    """The whole ``status --json`` document of the demo is identical on the two backends."""
    on_sqlite = status_payload(demo_db, None, None, DEMO_TODAY)
    on_postgres = status_payload(pg_demo_db, None, None, DEMO_TODAY)
    assert len(on_sqlite["assignments"]) > 300
    assert on_postgres == on_sqlite
    with demo_db.session() as a, pg_demo_db.session() as b:
        for model in (Unit, Directive, Task, Assignment, UnitReport):
            count = select(func.count()).select_from(model)
            assert a.execute(count).scalar() == b.execute(count).scalar(), model.__name__
