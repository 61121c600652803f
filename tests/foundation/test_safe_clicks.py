"""Issue 13, items 4-6 without Qt: approval that asks what is missing and can be taken back, a
return that needs a reason, a directive registered once, dates that are refused rather than moved."""

from __future__ import annotations

import calendar
import sqlite3
import unicodedata
from datetime import date

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.engine import make_engine
from db.migrate import alembic_config, upgrade
from db.models import Assignment, AssignmentState, ChangeLog, Directive, UnitReport
from desktop.services import operations as ops
from desktop.services.editing import parse_date_text
from desktop.tracking.recurrence import period_start

TODAY = date(2024, 10, 20)


def _one_task(s, **task):
    unit = ops.add_unit(s, ops.UnitInput(code="P-DK", name="UBND phường Đông Khê", kind="phuong"))
    task.setdefault("title", "Tuyên truyền chuyển đổi số")
    task.setdefault("due_date", date(2024, 10, 15))
    d = ops.create_directive(s, ops.DirectiveInput(number="128/VHTT", issuer="UBND quận Ngô Quyền",
                                                   issued_on=date(2024, 10, 1)),
                             [ops.TaskInput(unit_ids=[unit.id], **task)])
    return s.execute(select(Assignment).order_by(Assignment.id)).scalars().all(), d


# ---------------------------------------------------------------- 4. safe approval


def test_a_unit_that_reported_nothing_cannot_be_approved_with_todays_date(db):
    with db.session() as s:
        (a,), _ = _one_task(s)
        aid = a.id
    with pytest.raises(ops.ValidationError, match="chưa có báo cáo"):
        with db.session() as s:
            ops.accept_result(s, aid, TODAY)
    with db.session() as s:
        a = s.get(Assignment, aid)
        assert (a.state, a.completed_on, a.accepted_on) == (AssignmentState.NOT_STARTED.value, None, None)
        assert ops.approval_gaps(s, aid) == ["báo cáo của đơn vị"]


def test_approval_gaps_name_what_the_report_lacks(db):
    with db.session() as s:
        (a,), _ = _one_task(s, indicators=[ops.IndicatorInput("Số tin, bài", "tin")])
        ops.record_report(s, a.id, ops.ReportInput(received_on=date(2024, 10, 12)), TODAY)
        assert ops.approval_gaps(s, a.id) == ["nội dung kết quả", "số liệu",
                                              "minh chứng (số văn bản, tệp hoặc đường dẫn)"]
        full = ops.ReportInput(received_on=date(2024, 10, 12), content="Đã đăng 12 tin", unit_doc_number="5/BC",
                               figures={1: "12"})
        assert ops.approval_gaps(s, a.id, full) == []
        ops.record_report(s, a.id, full, TODAY)
        assert ops.approval_gaps(s, a.id) == []


def test_approval_without_a_date_takes_the_reports_date_not_today(db):
    with db.session() as s:
        (a,), _ = _one_task(s)
        ops.record_report(s, a.id, ops.ReportInput(received_on=date(2024, 10, 12), content="Đã làm"), TODAY)
        a.completed_on = None  # as "Hủy duyệt" leaves it
        ops.accept_result(s, a.id, TODAY)
        assert (a.state, a.completed_on, a.accepted_on) == (AssignmentState.DONE.value, date(2024, 10, 12), TODAY)


def test_unaccept_takes_the_approval_back_and_the_history_keeps_both(db):
    with db.session() as s:
        (a,), _ = _one_task(s)
        aid = a.id
        ops.record_report(s, aid, ops.ReportInput(received_on=date(2024, 10, 12), completed_on=date(2024, 10, 11),
                                                  content="Đã làm"), TODAY, accept=True)
    with db.session() as s:
        ops.unaccept_result(s, aid, date(2024, 10, 21))
    with db.session() as s:
        a = s.get(Assignment, aid)
        assert (a.state, a.completed_on, a.accepted_on) == (AssignmentState.REPORTED.value, None, None)
        assert "Hủy duyệt ngày 21/10/2024" in a.note
        states = s.execute(select(ChangeLog.old_value, ChangeLog.new_value).where(
            ChangeLog.table_name == "assignment", ChangeLog.record_id == aid, ChangeLog.field == "state")
            .order_by(ChangeLog.id)).all()
        assert states[-1] == (AssignmentState.DONE.value, AssignmentState.REPORTED.value)
        assert s.execute(select(UnitReport).where(UnitReport.assignment_id == aid)).scalars().one()
    with pytest.raises(ops.ValidationError, match="chưa được duyệt"):
        with db.session() as s:
            ops.unaccept_result(s, aid, TODAY)


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_return_needs_a_reason(db, reason):
    with db.session() as s:
        (a,), _ = _one_task(s)
        aid = a.id
        ops.record_report(s, aid, ops.ReportInput(received_on=date(2024, 10, 12), content="Đã làm"), TODAY)
    with pytest.raises(ops.ValidationError, match="Nội dung yêu cầu bổ sung không được để trống"):
        with db.session() as s:
            ops.return_for_more(s, aid, reason)
    with db.session() as s:
        assert s.get(Assignment, aid).state == AssignmentState.REPORTED.value


# ---------------------------------------------------------------- 5. one directive, once


@pytest.mark.parametrize("number, issuer", [
    ("128/VHTT", "UBND quận Ngô Quyền"),
    (" 128 / vhtt ", "ubnd  QUẬN ngô quyền"),
    ("128/VHTT", unicodedata.normalize("NFD", "UBND quận Ngô Quyền")),
    ("128/VHTT", ""),  # an issuer not given cannot tell them apart
    ("128/VHTT", "ỦY BAN NHÂN DÂN QUẬN"),  # as the reading wizard takes it from the header
])
def test_a_directive_is_refused_a_second_time_naming_the_first(any_db, number, issuer):
    db = any_db
    with db.session() as s:
        _, first = _one_task(s)
        first_id = first.id
    with pytest.raises(ops.DuplicateDirectiveError) as refused:
        with db.session() as s:
            ops.create_directive(s, ops.DirectiveInput(number=number, issuer=issuer, issued_on=date(2024, 10, 1)))
    assert refused.value.existing_id == first_id
    assert "số 128/VHTT ngày 01/10/2024 của UBND quận Ngô Quyền" in refused.value.message
    with db.session() as s:
        assert len(s.execute(select(Directive)).all()) == 1


def test_same_number_another_year_or_issuer_is_another_directive_and_edits_cannot_clash(db):
    with db.session() as s:
        _one_task(s)
        later = ops.create_directive(s, ops.DirectiveInput(number="128/VHTT", issuer="UBND quận Ngô Quyền",
                                                           issued_on=date(2025, 3, 2)))
        other = ops.create_directive(s, ops.DirectiveInput(number="128/VHTT", issuer="Sở Văn hóa",
                                                           issued_on=date(2024, 10, 1)))
        later_id = later.id
        assert other.id
    with pytest.raises(ops.DuplicateDirectiveError):
        with db.session() as s:
            ops.update_directive(s, later_id, ops.DirectiveInput(number="128/vhtt", issuer="UBND quận Ngô Quyền",
                                                                 issued_on=date(2024, 10, 1)))
    with db.session() as s:  # editing it without clashing is fine
        ops.update_directive(s, later_id, ops.DirectiveInput(number="128/VHTT", issuer="UBND quận Ngô Quyền",
                                                             issued_on=date(2025, 3, 2), title="Kế hoạch"))


def test_the_database_itself_refuses_a_second_copy(any_db):
    db = any_db
    with db.session() as s:
        _one_task(s)
    with pytest.raises(IntegrityError):
        with db.session() as s:  # a path that would skip the use case
            s.add(Directive(number="128/VHTT", issuer="UBND QUẬN NGÔ QUYỀN", issued_on=date(2024, 10, 1)))
            s.flush()


def test_migration_keeps_existing_duplicates_and_blocks_new_ones(tmp_path):
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    raw = sqlite3.connect(path)
    raw.executescript("""
        insert into directive (id, number, issuer, issued_on, doc_type, title, file_path, notes, search_key,
                               created_at, version) values
            (1, '2790/UBND-VHTT', 'UBND quận', '2024-09-01', 'cong_van', 'Bản đầu', '', '', '', '2024-09-02', 1),
            (2, '2790/ubnd-vhtt', 'UBND quận', '2024-09-01', 'cong_van', 'Bản nhập lại', '', '', '', '2024-09-03', 1),
            (3, '128/VHTT', 'UBND quận', '2024-10-01', 'ke_hoach', 'Khác', '', '', '', '2024-10-02', 1);
    """)
    raw.commit()
    raw.close()
    upgrade(engine, backup_dir=tmp_path / "sao-luu")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("select id, title, identity_key from directive order by id").fetchall()
    engine.dispose()
    assert [(r[0], r[1]) for r in rows] == [(1, "Bản đầu"), (2, "Bản nhập lại"), (3, "Khác")]  # nothing lost
    assert rows[0][2] == "2790/ubnd-vhtt|ubnd quận|2024-09-01" and rows[1][2] is None
    from desktop.infra.database import open_database

    database = open_database(path)
    try:
        with database.session() as s:  # the old copy stays editable
            ops.update_directive(s, 2, ops.DirectiveInput(number="2790/ubnd-vhtt", issuer="UBND quận",
                                                          issued_on=date(2024, 9, 1), title="Bản nhập lại (trùng)",
                                                          doc_type="cong_van"))
        with pytest.raises(ops.DuplicateDirectiveError) as refused:
            with database.session() as s:
                ops.create_directive(s, ops.DirectiveInput(number="2790/UBND-VHTT", issuer="UBND quận",
                                                           issued_on=date(2024, 9, 1)))
        assert refused.value.existing_id == 1
    finally:
        database.dispose()


# ---------------------------------------------------------------- 6. dates


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["{d:%d/%m/%Y}", "{d.day}/{d.month}/{d.year}", "{d:%d-%m-%Y}", "{d:%d.%m.%Y}",
                        "{d:%d%m%Y}", " {d:%d / %m / %Y} "]))
def test_every_real_date_reads_back_as_typed(day, pattern):
    assert parse_date_text(pattern.format(d=day)) == day


@given(st.integers(1901, 2100), st.integers(1, 12), st.integers(1, 99))
def test_a_date_is_never_moved_to_another_day(year, month, day):
    text = f"{day:02d}/{month:02d}/{year}"
    last = calendar.monthrange(year, month)[1]
    if day <= last:
        assert parse_date_text(text) == date(year, month, day)
    else:
        with pytest.raises(ops.ValidationError, match=f"chỉ có {last} ngày|không phải là ngày"):
            parse_date_text(text)


@given(st.text(alphabet="0123456789/.-abcđ ", max_size=12), st.dates(min_value=date(1901, 1, 1)))
def test_any_text_is_a_date_it_spells_or_refused(text, default):
    try:
        value = parse_date_text(text, default)
    except ops.ValidationError as exc:
        assert exc.message
        return
    if value is None:
        assert not text.strip()
        return
    digits = [int(p) for p in text.replace("-", "/").replace(".", "/").replace(" ", "").split("/") if p]
    if len(digits) == 1 and len(text.strip()) == 8:
        digits = [int(text.strip()[:2]), int(text.strip()[2:4]), int(text.strip()[4:])]
    assert value.day == digits[0]
    if len(digits) > 1:
        assert value.month == digits[1]


def test_impossible_and_short_dates():
    with pytest.raises(ops.ValidationError, match="Ngày 31/02/2024 không có: tháng 02/2024 chỉ có 29 ngày"):
        parse_date_text("31/02/2024")
    with pytest.raises(ops.ValidationError, match="Ngày 29/02/2023 không có"):
        parse_date_text("29/02/2023")
    with pytest.raises(ops.ValidationError, match="Tháng 13 không có"):
        parse_date_text("01/13/2024")
    assert parse_date_text("05", date(2024, 10, 8)) == date(2024, 10, 5)
    assert parse_date_text("5/11", date(2024, 10, 8)) == date(2024, 11, 5)
    with pytest.raises(ops.ValidationError, match="không có"):
        parse_date_text("31", date(2024, 2, 8))  # completed with February: refused, not the 29th
    assert parse_date_text("   ") is None


def test_period_start():
    assert [period_start(p) for p in ("2024-H2", "2024-H1", "2024-Q3", "2024-10", "2024", "", "x")] == [
        date(2024, 7, 1), date(2024, 1, 1), date(2024, 7, 1), date(2024, 10, 1), date(2024, 1, 1), None, None]


def test_a_half_year_report_cannot_be_completed_before_its_half_year(db):
    with db.session() as s:
        (a, *_), _ = _one_task(s, kind="dinh_ky", recurrence="semiannual:15", start_date=date(2024, 1, 1),
                               due_date=date(2024, 12, 31))
        h2 = s.execute(select(Assignment).where(Assignment.period == "2024-H2")).scalars().one()
        h2_id = h2.id
    with pytest.raises(ops.ValidationError, match=r"trước kỳ báo cáo 2024-H2 \(kỳ bắt đầu ngày 01/07/2024\)"):
        with db.session() as s:
            ops.record_report(s, h2_id, ops.ReportInput(received_on=date(2024, 7, 2), completed_on=date(2024, 1, 7),
                                                        content="Báo cáo 6 tháng"), date(2025, 1, 20), accept=True)
    with db.session() as s:
        ops.record_report(s, h2_id, ops.ReportInput(received_on=date(2025, 1, 7), completed_on=date(2025, 1, 7),
                                                    content="Báo cáo 6 tháng"), date(2025, 1, 20), accept=True)
        assert s.get(Assignment, h2_id).completed_on == date(2025, 1, 7)
