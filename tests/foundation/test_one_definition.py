"""Each rule written once (issue 13): the status rule, the period label, the number format, Roman
numerals and the SQLite id chunks each have one definition that every other place calls."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import column, create_engine, select, text

import db.derived
import db.status_rule as rule
from db.models import AssignmentState as S
from db.queries import ID_CHUNK, id_chunks
from desktop.tracking import board, labels, status

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("db", "desktop") for p in (ROOT / folder).rglob("*.py")
           if "migrations" not in p.parts]


def test_the_status_rule_exists_once():
    assert status.compute_status is rule.compute_status
    assert status.Status is rule.Status
    assert db.derived.fixed_status is rule.fixed_status
    assert board.status_sql is rule.status_sql
    # No other module writes the rule again: its Python or SQL body, or a CASE on the deadline.
    marks = [r"def compute_status\(", r"def fixed_status\(", r"THEN 'on_time'", r"THEN 'paused'",
             r"Status\.NO_DEADLINE\.value\),", r"\(eff < today_", r"effective < today_",
             r"state == _REPORTED"]
    for path in SOURCES:
        if path == ROOT / "db" / "status_rule.py":
            continue
        source = path.read_text(encoding="utf-8")
        for mark in marks:
            assert not re.search(mark, source), (path.relative_to(ROOT), mark)


D = date(2024, 10, 10)
_CASES = [(state, deadline, done) for state in S for deadline in (None, D)
          for done in (None, D - timedelta(days=1), D, D + timedelta(days=3))]


def test_sql_and_python_forms_agree_on_every_case():
    """status_case (with today, and without: the settled status) gives compute_status /
    fixed_status on every state, deadline and completion date, evaluated by SQLite."""
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE a (id INTEGER PRIMARY KEY, state TEXT, effective_due DATE, completed_on DATE)"))
        for i, (state, deadline, done) in enumerate(_CASES):
            conn.execute(text("INSERT INTO a VALUES (:i, :s, :d, :c)"),
                         {"i": i, "s": state.value, "d": deadline and deadline.isoformat(),
                          "c": done and done.isoformat()})
        cols = column("state"), column("effective_due"), column("completed_on")
        for today in (D - timedelta(days=5), D - timedelta(days=1), D, D + timedelta(days=1)):
            stmt = select(column("id"), rule.status_case(*cols, today=today, due_soon_days=3),
                          text(rule.FIXED_STATUS_SQL)).select_from(text("a")).order_by(column("id"))
            for i, by_sql, settled_sql in conn.execute(stmt):
                state, deadline, done = _CASES[i]
                expected = rule.compute_status(state.value, deadline, done, today, 3)
                assert by_sql == expected.status.value, (_CASES[i], today)
                assert settled_sql == rule.fixed_status(state.value, done, deadline), _CASES[i]
                if settled_sql is not None:
                    assert settled_sql == expected.status.value


def test_awaiting_approval_counts_days_to_the_report_not_to_today():
    for today in (D, D + timedelta(days=40)):
        r = rule.compute_status(S.REPORTED.value, D, None, today, 3, reported_on=D + timedelta(days=4))
        assert r.status is rule.Status.PENDING_REVIEW and r.days_late == 4
        on_time = rule.compute_status(S.REPORTED.value, D, None, today, 3, reported_on=D)
        assert on_time.status is rule.Status.PENDING_REVIEW and on_time.days_late is None
    assert rule.fixed_status(S.REPORTED.value, None, D) is None  # it changes when the office acts
    assert labels.status_text("pending_review", 4) == "Đã báo cáo, chờ duyệt (báo cáo chậm 4 ngày)"
    for table in (labels.STATUS, labels.STATUS_SHORT, labels.STATUS_MARK, labels.STATUS_COLOR, labels.STATUS_FILL):
        assert set(table) == {s.value for s in rule.Status}


def test_one_period_label():
    from desktop.documents.common import period_label
    from desktop.workbooks.common import period_text

    assert period_text is labels.fmt_period
    cases = {"2024-01": "Tháng 01/2024", "2024-02": "Tháng 02/2024", "2024-06": "Tháng 6/2024",
             "2024-10": "Tháng 10/2024", "2024-Q3": "Quý III/2024", "2023-H1": "6 tháng đầu năm 2023",
             "2023-H2": "6 tháng cuối năm 2023", "2024": "Năm 2024", "": ""}
    for code, label in cases.items():
        assert labels.fmt_period(code) == label
        assert period_label(code) == (label[:1].lower() + label[1:] if not label[:1].isdigit() else label)


@given(st.one_of(st.integers(-10**9, 10**9), st.decimals(-10**7, 10**7, places=2).map(float)))
def test_one_number_format_reads_back(value):
    from desktop.documents.text import vn_number
    from desktop.workbooks.importer import _fmt_number

    shown = labels.fmt_number(value)
    assert vn_number(value) == _fmt_number(value) == shown
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d{1,2})?", shown), shown
    assert float(shown.replace(".", "").replace(",", ".")) == round(value, 2)
    assert labels.fmt_int(1234567) == "1.234.567" and labels.fmt_number(1234.5) == "1.234,5"


def test_roman_numerals_once():
    assert [labels.roman(n) for n in (1, 4, 9, 12, 14, 40, 1999)] == ["I", "IV", "IX", "XII", "XIV", "XL", "MCMXCIX"]
    from desktop.documents import report_appendix

    assert report_appendix._roman is labels.roman
    assert labels.fmt_period("2024-Q4") == "Quý IV/2024"


def test_id_chunks_once():
    assert list(id_chunks([])) == []
    chunks = list(id_chunks(range(2000)))
    assert [len(c) for c in chunks] == [ID_CHUNK, ID_CHUNK, 2000 - 2 * ID_CHUNK]
    assert [i for c in chunks for i in c] == list(range(2000))
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"range\(0, len\([^)]*\), 9\d\d\)|\[\w+:\w+ \+ 9\d\d\]", source), path.relative_to(ROOT)


@given(deadline=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31))),
       received_offset=st.integers(-60, 60), today_offset=st.integers(-60, 400))
def test_awaiting_approval_property(deadline, received_offset, today_offset):
    """Whatever the day, a report awaiting approval is pending_review, never overdue, and late by
    exactly the days from the deadline to the day it was received."""
    base = deadline or date(2025, 1, 1)
    received = base + timedelta(days=received_offset)
    r = rule.compute_status(S.REPORTED.value, deadline, None, base + timedelta(days=today_offset), 3,
                            reported_on=received)
    assert r.status is rule.Status.PENDING_REVIEW and not status.is_due(r)
    assert r.days_late == ((received - deadline).days if deadline and received > deadline else None)
