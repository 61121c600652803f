"""db.queries.plain_rows: the same rows as SQLAlchemy's own execution (dates, booleans, IN lists,
a CASE with bound values), as plain tuples, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, String, select, type_coerce

from db.models import Assignment
from db.queries import has_extension, plain_rows, reported_on
from desktop.tracking.status import status_sql


def test_plain_rows_equal_sqlalchemy_rows(any_demo_db):
    day = date(2025, 10, 8)
    status = status_sql(Assignment.effective_due, day, 3)
    stmt = (select(Assignment.id, Assignment.state, type_coerce(Assignment.effective_due, String),
                   type_coerce(has_extension(), Integer), status, type_coerce(reported_on(), String))
            .where(Assignment.unit_id.in_([1, 2, 3, 4, 5, 6]), Assignment.effective_due >= date(2020, 1, 1))
            .order_by(Assignment.id))
    with any_demo_db.session() as s:
        conn = s.connection()
        expected = [tuple(r) for r in conn.execute(stmt)]
        got = plain_rows(conn, stmt)
    assert got and all(type(r) is tuple for r in got)
    assert [tuple(bool(v) if i == 3 else v for i, v in enumerate(r)) for r in got] == \
        [tuple(bool(v) if i == 3 else v for i, v in enumerate(r)) for r in expected]
