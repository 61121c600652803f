from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from db.models import Assignment, ChangeLog, Extension, Indicator, ReportFigure, Unit, UnitNameHistory
from db.queries import assignment_rows, search_ids
from desktop.services import operations as ops
from desktop.tracking.stats import track


def _org(s):
    g = ops.add_unit(s, ops.UnitInput(code="NHOM", name="UBND các phường", is_group=True, kind="phuong"))
    a = ops.add_unit(s, ops.UnitInput(code="p-dk", name="UBND phường Đông Khê", kind="phuong", parent_id=g.id))
    b = ops.add_unit(s, ops.UnitInput(code="P-MT", name="UBND phường Máy Tơ", kind="phuong", parent_id=g.id))
    return g, a, b


def test_unit_codes_are_unique_and_names_required(db):
    with db.session() as s:
        _org(s)
    with pytest.raises(ops.ValidationError, match="đã được dùng"):
        with db.session() as s:
            ops.add_unit(s, ops.UnitInput(code="P-DK", name="Trùng mã"))
    with pytest.raises(ops.ValidationError, match="không được để trống"):
        with db.session() as s:
            ops.add_unit(s, ops.UnitInput(code="X", name="   "))
    with db.session() as s:
        assert len(s.execute(select(Unit)).all()) == 3  # nothing half-written


def test_rename_keeps_history_and_merge_moves_open_assignments(db):
    with db.session() as s:
        g, a, b = _org(s)
        ops.create_directive(s, ops.DirectiveInput(number="1/KH-UBND"), [
            ops.TaskInput(title="Tuyên truyền", due_date=date(2025, 8, 1), unit_ids=[a.id])])
        ops.update_unit(s, b.id, ops.UnitInput(code="P-MT", name="UBND phường Máy Tơ mới", kind="phuong",
                                               parent_id=g.id), renamed_on=date(2025, 7, 1))
        moved = ops.merge_units(s, a.id, b.id, date(2025, 7, 1))
        assert moved == 1
    with db.session() as s:
        hist = s.execute(select(UnitNameHistory)).scalars().one()
        assert (hist.old_name, hist.new_name) == ("UBND phường Máy Tơ", "UBND phường Máy Tơ mới")
        src = s.get(Unit, a.id)
        assert not src.active and src.merged_into_id == b.id
        assert s.execute(select(Assignment.unit_id)).scalars().all() == [b.id]


def test_deadline_before_start_is_refused_and_nothing_saved(db):
    with db.session() as s:
        _, a, _ = _org(s)
    with pytest.raises(ops.ValidationError, match="trước ngày bắt đầu"):
        with db.session() as s:
            ops.create_directive(s, ops.DirectiveInput(number="2/CV"), [
                ops.TaskInput(title="Sai hạn", start_date=date(2024, 10, 10), due_date=date(2024, 10, 1),
                              unit_ids=[a.id])])
    with db.session() as s:
        assert s.execute(select(Assignment)).first() is None


def test_report_accept_extension_and_change_log(db):
    with db.session() as s:
        _, a, b = _org(s)
        ops.create_directive(s, ops.DirectiveInput(number="3/KH-UBND", issued_on=date(2024, 10, 1)), [
            ops.TaskInput(title="Phát thanh", start_date=date(2024, 10, 1), due_date=date(2024, 10, 10),
                          indicators=[ops.IndicatorInput("Số buổi", "buổi")], lead_unit_ids=[a.id],
                          unit_ids=[b.id])])
    with db.session() as s:
        rows = {r.unit_code: r for r in assignment_rows(s)}
        ind = s.execute(select(Indicator)).scalars().one()
    with db.session() as s:
        with pytest.raises(ops.ValidationError, match="phải là số"):
            ops.record_report(s, rows["P-DK"].assignment_id, ops.ReportInput(
                received_on=date(2024, 10, 9), figures={ind.id: "mười"}), today=date(2024, 10, 12))
    with db.session() as s:
        ops.record_report(s, rows["P-DK"].assignment_id, ops.ReportInput(
            received_on=date(2024, 10, 9), completed_on=date(2024, 10, 9), figures={ind.id: "1.200"}),
            today=date(2024, 10, 12), accept=True)
        ops.grant_extension(s, rows["P-MT"].assignment_id, date(2024, 10, 20), "Chờ kinh phí", "12/UBND",
                            date(2024, 10, 9))
        with pytest.raises(ops.ValidationError, match="Hạn mới phải sau"):
            ops.grant_extension(s, rows["P-MT"].assignment_id, date(2024, 10, 15), "x", "", date(2024, 10, 9))
    with db.session() as s:
        tracked = {t.row.unit_code: t for t in track(assignment_rows(s), date(2024, 10, 12), 3)}
        assert tracked["P-DK"].status.value == "on_time"
        mt = tracked["P-MT"]
        assert mt.row.own_due == date(2024, 10, 10) and mt.row.effective_due == date(2024, 10, 20)
        assert mt.status.value == "in_progress"
        assert s.execute(select(ReportFigure.value_number)).scalar_one() == 1200
        log = s.execute(select(ChangeLog).where(ChangeLog.table_name == "assignment",
                                                ChangeLog.field == "state")).scalars().all()
        assert [(c.old_value, c.new_value) for c in log] == [("chua_thuc_hien", "hoan_thanh")]
        assert log[0].os_user
        assert s.execute(select(Extension)).scalars().one().old_due == date(2024, 10, 10)


def test_stale_save_is_refused(db):
    with db.session() as s:
        _, a, _ = _org(s)
        ops.create_directive(s, ops.DirectiveInput(number="4/CV"), [
            ops.TaskInput(title="Việc", due_date=date(2024, 10, 10), unit_ids=[a.id])])
    with db.session() as s:
        row = assignment_rows(s)[0]
    with db.session() as s:  # a colleague saves first
        ops.set_state(s, row.assignment_id, "dang_thuc_hien", date(2024, 10, 1), expected_version=row.version)
    with pytest.raises(ops.ConflictError):
        with db.session() as s:
            ops.set_state(s, row.assignment_id, "tam_dung", date(2024, 10, 1), expected_version=row.version)


def test_future_completion_and_completion_before_start_refused(db):
    with db.session() as s:
        _, a, _ = _org(s)
        ops.create_directive(s, ops.DirectiveInput(number="5/CV"), [
            ops.TaskInput(title="Việc", start_date=date(2024, 10, 1), due_date=date(2024, 10, 10), unit_ids=[a.id])])
        aid = assignment_rows(s)[0].assignment_id
    for done, msg in ((date(2024, 10, 30), "sau ngày hôm nay"), (date(2024, 9, 1), "trước ngày bắt đầu")):
        with pytest.raises(ops.ValidationError, match=msg):
            with db.session() as s:
                ops.record_report(s, aid, ops.ReportInput(received_on=date(2024, 10, 5), completed_on=done),
                                  today=date(2024, 10, 12))


def test_periodic_task_gets_one_assignment_per_period(db):
    with db.session() as s:
        _, a, _ = _org(s)
        ops.create_directive(s, ops.DirectiveInput(number="6/KH"), [
            ops.TaskInput(title="Báo cáo tháng", kind="dinh_ky", recurrence="monthly:7", start_date=date(2024, 1, 1),
                          due_date=date(2024, 6, 30), unit_ids=[a.id])])
        rows = assignment_rows(s)
    assert [r.period for r in rows] == [f"2024-0{m}" for m in range(1, 7)]
    assert rows[0].own_due == date(2024, 2, 7)


def test_search_finds_units_without_diacritics(db):
    with db.session() as s:
        _org(s)
        assert len(search_ids(s, Unit, "dong khe")) == 1
        assert len(search_ids(s, Unit, "ubnd")) == 3
        assert search_ids(s, Unit, "100%_") == []


def test_rates_count_only_due_assignments():
    from desktop.tracking.stats import Summary
    s = Summary(due=0)
    assert s.on_time_rate is None


def test_received_date_is_kept_and_not_before_issue(db):
    with db.session() as s:
        d = ops.create_directive(s, ops.DirectiveInput(number="7/KH", issued_on=date(2024, 10, 2),
                                                       received_on=date(2024, 10, 4)))
        assert d.received_on == date(2024, 10, 4)
    with pytest.raises(ops.ValidationError, match="Ngày đến"):
        with db.session() as s:
            ops.create_directive(s, ops.DirectiveInput(number="8/KH", issued_on=date(2024, 10, 2),
                                                       received_on=date(2024, 10, 1)))


def test_too_long_text_is_refused_on_every_write_path(db):
    with pytest.raises(ops.ValidationError, match="quá dài"):
        with db.session() as s:
            ops.add_unit(s, ops.UnitInput(code="X1", name="Đ" * 300))
    with db.session() as s:
        u = ops.add_unit(s, ops.UnitInput(code="X2", name="Đơn vị"))
    with pytest.raises(ops.ValidationError, match="Mã quá dài"):
        with db.session() as s:  # a direct ORM change, not through operations
            s.get(Unit, u.id).code = "M" * 41
    with db.session() as s:
        assert s.get(Unit, u.id).code == "X2"


@pytest.mark.parametrize("raw, kind, expected", [
    ("1.234", "integer", 1234), ("1 000", "integer", 1000), ("12,5", "decimal", 12.5),
    ("1.234,5", "decimal", 1234.5), ("12.5", "decimal", 12.5), (7, "integer", 7),
])
def test_figures_as_officers_type_them(raw, kind, expected):
    assert ops.parse_figure(raw, kind, "Số tin") == (expected, "")


@pytest.mark.parametrize("raw, kind, message", [
    ("12,5", "integer", "số nguyên"), ("1,234", "integer", "số nguyên"), ("nan", "decimal", "phải là số"),
    (float("inf"), "decimal", "phải là số"), ("-3", "integer", "không được âm"), ("abc", "integer", "phải là số"),
])
def test_figures_that_would_be_misread_are_refused(raw, kind, message):
    with pytest.raises(ops.ValidationError, match=message):
        ops.parse_figure(raw, kind, "Số tin")



@given(st.integers(0, 10**9))
def test_vietnamese_thousands_round_trip(n):
    typed = f"{n:,}".replace(",", ".")
    assert ops.parse_figure(typed, "integer", "x") == (n, "")


@given(st.integers(0, 10**6), st.integers(1, 99))
def test_comma_decimals_round_trip(whole, frac):
    typed = f"{whole:,}".replace(",", ".") + f",{frac:02d}"
    assert ops.parse_figure(typed, "decimal", "x")[0] == pytest.approx(whole + frac / 100)
