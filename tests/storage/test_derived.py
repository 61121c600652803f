"""The stored deadline in force (assignment.effective_due) follows every way it can change, on
SQLite and PostgreSQL, and equals what the extension history says."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from db.derived import refresh_derived
from db.models import Assignment, ChangeLog, Extension
from db.queries import assignment_rows
from desktop.services import editing
from desktop.services import operations as ops

TODAY = date(2024, 10, 8)


def _setup(database) -> tuple[int, int]:
    with database.session() as s:
        unit = ops.add_unit(s, ops.UnitInput(code="P-DK", name="UBND phường Đông Khê", kind="phuong"))
        ops.create_directive(s, ops.DirectiveInput(number="234/KH-UBND"), [
            ops.TaskInput(title="Treo băng rôn", due_date=date(2024, 10, 10), unit_ids=[unit.id])])
    with database.session() as s:
        row = assignment_rows(s)[0]
        return row.assignment_id, row.task_id


def _stored(database, aid: int):
    with database.session() as s:
        return s.execute(select(Assignment.effective_due).where(Assignment.id == aid)).scalar_one()


def test_new_assignment_stores_its_own_deadline(any_db):
    aid, _ = _setup(any_db)
    assert _stored(any_db, aid) == date(2024, 10, 10)


def test_extensions_move_the_stored_deadline_and_are_not_logged_as_edits(any_db):
    aid, _ = _setup(any_db)
    with any_db.session() as s:
        ops.grant_extension(s, aid, date(2024, 10, 20), "Mưa bão", "", TODAY)
    assert _stored(any_db, aid) == date(2024, 10, 20)
    with any_db.session() as s:
        ops.grant_extension(s, aid, date(2024, 10, 30), "Chờ kinh phí", "", TODAY)
    assert _stored(any_db, aid) == date(2024, 10, 30)
    with any_db.session() as s:
        row = assignment_rows(s, assignment_ids=[aid])[0]
        assert (row.own_due, row.effective_due, row.extended) == (date(2024, 10, 10), date(2024, 10, 30), True)
        # The derived column is not history: the log has the extensions, never "effective_due".
        fields = set(s.execute(select(ChangeLog.field).where(ChangeLog.table_name == "assignment")).scalars())
        assert "effective_due" not in fields


def test_deleting_the_newest_extension_falls_back_to_the_previous_one(any_db):
    aid, _ = _setup(any_db)
    with any_db.session() as s:
        ops.grant_extension(s, aid, date(2024, 10, 20), "Mưa bão", "", TODAY)
    with any_db.session() as s:
        ops.grant_extension(s, aid, date(2024, 10, 30), "Chờ kinh phí", "", TODAY)
    with any_db.session() as s:
        newest = s.execute(select(Extension).order_by(Extension.id.desc())).scalars().first()
        s.delete(newest)
    assert _stored(any_db, aid) == date(2024, 10, 20)
    with any_db.session() as s:
        s.delete(s.execute(select(Extension)).scalars().one())
    assert _stored(any_db, aid) == date(2024, 10, 10)


def test_editing_the_task_deadline_moves_unextended_assignments(any_db):
    aid, task_id = _setup(any_db)
    with any_db.session() as s:
        data = ops.TaskInput(title="Treo băng rôn", due_date=date(2024, 10, 15))
        editing.update_task(s, task_id, data)
    with any_db.session() as s:
        row = assignment_rows(s, assignment_ids=[aid])[0]
    assert row.own_due == _stored(any_db, aid) == date(2024, 10, 15)


def test_own_deadline_change_keeps_an_extension_in_force(any_db):
    aid, _ = _setup(any_db)
    with any_db.session() as s:
        ops.grant_extension(s, aid, date(2024, 10, 25), "Mưa bão", "", TODAY)
    with any_db.session() as s:
        s.get(Assignment, aid).due_date = date(2024, 10, 12)
    assert _stored(any_db, aid) == date(2024, 10, 25)


def test_bulk_refresh_repairs_rows_written_without_the_orm(any_db):
    aid, _ = _setup(any_db)
    with any_db.session() as s:
        ops.grant_extension(s, aid, date(2024, 10, 20), "Mưa bão", "", TODAY)
    with any_db.engine.begin() as conn:
        conn.execute(text("UPDATE assignment SET effective_due = NULL"))
        refresh_derived(conn, [aid])
    assert _stored(any_db, aid) == date(2024, 10, 20)


def test_stored_deadline_equals_the_extension_history_on_the_demo(any_demo_db):
    with any_demo_db.session() as s:
        stored = dict(s.execute(select(Assignment.id, Assignment.effective_due)).all())
        own = dict(s.execute(select(Assignment.id, Assignment.due_date)).all())
        newest: dict[int, date] = {}
        for aid, new_due in s.execute(select(Extension.assignment_id, Extension.new_due).order_by(Extension.id)):
            newest[aid] = new_due
    assert newest, "the demo has extensions"
    for aid, value in stored.items():
        assert value == newest.get(aid, own[aid]), aid


def test_open_state_sql_names_exactly_the_closed_states():
    from db.models import OPEN_STATE_SQL
    from db.queries import CLOSED_STATES

    listed = OPEN_STATE_SQL.split("(")[1].rstrip(")").replace("'", "").replace(" ", "").split(",")
    assert sorted(listed) == sorted(CLOSED_STATES)


def _capture_statements(s):
    """Record the SQL a session runs (literal values); ``plans_of()`` gives SQLite's plan of each."""
    conn = s.connection()
    captured: list[str] = []
    original = conn.execute

    def capture(statement, *args, **kwargs):
        captured.append(str(statement.compile(conn, compile_kwargs={"literal_binds": True})))
        return original(statement, *args, **kwargs)

    conn.execute = capture
    s.execute = capture
    s.connection = lambda: conn
    return captured, lambda: [" ".join(str(r) for r in original(text("EXPLAIN QUERY PLAN " + sql))) for sql in captured]


def test_overdue_queries_read_the_partial_indexes(db):
    """The literal open condition lets SQLite pick the small partial indexes (plans, not timings)."""
    from db.queries import open_condition
    from desktop.tracking import board

    with db.session() as s:
        conn = s.connection()
        stmt = (select(Assignment.id).where(open_condition(), Assignment.effective_due < date(2024, 10, 8))
                .order_by(Assignment.effective_due).limit(300))
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        assert "ix_assignment_open_due" in plan
        captured, plans_of = _capture_statements(s)
        assert board.overdue_by_unit(s, TODAY) == {}
        board.status_groups(s, (Assignment.unit_id,), [], TODAY, 3)
        plans = plans_of()
        assert "ix_assignment_open_unit" in plans[0]  # tree counts: open assignments only
        assert "ix_assignment_unit_fixed" in plans[1]  # settled ones by their stored status
        assert "ix_assignment_open_unit" in plans[2]
        assert "ix_assignment_undated_done" in plans[3]  # never a scan of every done assignment


def test_sql_refresh_gives_the_same_settled_status_as_the_flush_hook(any_demo_db):
    """db.derived.fixed_status (kept on every flush) and FIXED_STATUS_SQL (bulk refresh) agree."""
    with any_demo_db.session() as s:
        by_hook = dict(s.execute(select(Assignment.id, Assignment.fixed_status)).all())
    assert {"on_time", "late", "paused", "cancelled", None} <= set(by_hook.values())
    with any_demo_db.engine.begin() as conn:
        conn.execute(text("UPDATE assignment SET fixed_status = NULL, effective_due = NULL"))
        refresh_derived(conn)
    with any_demo_db.session() as s:
        assert dict(s.execute(select(Assignment.id, Assignment.fixed_status)).all()) == by_hook


@pytest.mark.parametrize("per_unit", [True, False])
def test_dashboard_counts_in_a_period_read_the_unit_first_covering_indexes(db, per_unit):
    """The dashboard's counts per unit within a period (a deadline range) read ix_assignment_unit_fixed
    (unit, settled status, deadline: migration 0009) and ix_assignment_open_unit alone, in unit order;
    without db.queries.not_indexed SQLite takes the deadline index and looks up every row."""
    from desktop.tracking import board
    from desktop.tracking.board.filters import _scope_conditions, status_groups

    scope = board.Scope(due_from=date(2024, 1, 1), due_to=date(2024, 12, 31))
    with db.session() as s:
        captured, plans_of = _capture_statements(s)
        status_groups(s, (Assignment.unit_id,), _scope_conditions(scope, per_unit=per_unit), date(2024, 10, 8), 3)
        plans = plans_of()
    settled, still_open = plans[0], plans[1]
    if per_unit:
        assert "+assignment.effective_due >=" in captured[0]
        assert "COVERING INDEX ix_assignment_unit_fixed" in settled and "TEMP B-TREE" not in settled
        assert "COVERING INDEX ix_assignment_open_unit" in still_open and "TEMP B-TREE" not in still_open
    else:
        assert "ix_assignment_effective_due" in settled  # the plan the steering avoids


def test_not_indexed_is_plain_on_postgresql():
    from sqlalchemy.dialects import postgresql, sqlite

    from db.queries import not_indexed

    condition = not_indexed(Assignment.effective_due) >= date(2024, 1, 1)
    assert str(condition.compile(dialect=sqlite.dialect())).startswith("+assignment.effective_due >=")
    assert str(condition.compile(dialect=postgresql.dialect())).startswith("assignment.effective_due >=")
