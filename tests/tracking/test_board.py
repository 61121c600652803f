"""The Qt-free read layer behind the main window, checked against the status rule and the CLI's
``status --json`` on the demo data (no QApplication here)."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import Assignment, AssignmentState, Task, Unit
from db.queries import assignment_rows, find_unit
from desktop.cli.core import status_payload
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.tracking import board
from desktop.tracking.stats import summarize, track
from desktop.tracking.status import Status, compute_status


def _payload_by_id(db):
    """status --json rows keyed by assignment id (the payload has no id: rebuild the order)."""
    payload = status_payload(db, None, None, DEMO_TODAY)
    with db.session() as s:
        rows = assignment_rows(s)
    assert len(rows) == len(payload["assignments"])
    return payload, {r.assignment_id: a for r, a in zip(rows, payload["assignments"])}


def _sql_statuses(session, today, due_soon):
    stmt = select(Assignment.id, board.status_sql(Assignment.effective_due, today, due_soon))
    return dict(session.execute(stmt).all())


def test_fetch_rows_equals_assignment_rows(any_demo_db):
    demo_db = any_demo_db
    with demo_db.session() as s:
        assert board.fetch_rows(s) == assignment_rows(s)
        unit = find_unit(s, "P-DK")
        assert board.fetch_rows(s, unit_ids=[unit.id]) == assignment_rows(s, unit_ids=[unit.id])
        assert board.fetch_rows(s, due_from=date(2024, 10, 1), due_to=date(2024, 10, 31)) == assignment_rows(
            s, due_from=date(2024, 10, 1), due_to=date(2024, 10, 31))


def test_status_sql_matches_compute_status_on_demo(any_demo_db):
    demo_db = any_demo_db
    for today in (DEMO_TODAY, DEMO_TODAY - timedelta(days=400), DEMO_TODAY + timedelta(days=30)):
        with demo_db.session() as s:
            sql = _sql_statuses(s, today, 3)
            rows = board.fetch_rows(s)
        python = {t.row.assignment_id: t.status.value for t in track(rows, today, 3)}
        assert sql == python


def test_status_sql_matches_compute_status_on_every_edge(any_db):
    db = any_db
    """Every state × deadline × completion × extension around today and the due-soon limit."""
    today = date(2024, 6, 15)
    with db.session() as s:
        unit = ops.add_unit(s, ops.UnitInput(code="U1", name="Đơn vị 1"))
        directive = ops.create_directive(s, ops.DirectiveInput(number="1/KH"), [])
        task = ops.add_task(s, directive.id, ops.TaskInput(title="Nhiệm vụ"))
        expected = {}
        offsets = (None, -5, -1, 0, 1, 3, 4, 10)
        done_offsets = (None, -3, 0, 2)
        cases = itertools.product([st.value for st in AssignmentState], offsets, done_offsets, (None, 5))
        for i, (state, due_off, done_off, ext_days) in enumerate(cases):
            due = today + timedelta(days=due_off) if due_off is not None else None
            done = today + timedelta(days=done_off) if done_off is not None else None
            a = Assignment(task_id=task.id, unit_id=unit.id, period=f"p{i}", state=state, due_date=due,
                           completed_on=done)
            s.add(a)
            s.flush()
            effective = due
            if ext_days is not None and due is not None:
                ops.grant_extension(s, a.id, due + timedelta(days=ext_days), "Lý do", "", today)
                effective = due + timedelta(days=ext_days)
            expected[a.id] = compute_status(state, effective, done, today, 3).status.value
    with db.session() as s:
        assert _sql_statuses(s, today, 3) == expected
    assert len(set(expected.values())) == len(Status)


def test_unit_tree_overdue_counts_match_status_json(any_demo_db):
    demo_db = any_demo_db
    payload = status_payload(demo_db, None, None, DEMO_TODAY)
    overdue_by_code = Counter(a["unit_code"] for a in payload["assignments"] if a["status"] == "overdue")
    with demo_db.session() as s:
        nodes = board.unit_tree(s, DEMO_TODAY)
    by_id = {n.id: n for n in nodes}
    for n in nodes:
        if not n.is_group:
            assert n.overdue == overdue_by_code.get(n.code, 0), n.name
    for n in nodes:
        if n.is_group:
            children = [c for c in nodes if c.parent_id == n.id]
            assert n.overdue_total == sum(c.overdue_total for c in children)
    assert sum(n.overdue for n in nodes) == payload["summary"]["overdue"]
    assert any(by_id[n.id].overdue_total for n in nodes if n.is_group)


def test_task_board_progress_and_colour(any_demo_db):
    demo_db = any_demo_db
    payload, by_id = _payload_by_id(demo_db)
    with demo_db.session() as s:
        lines = board.task_board(s, board.Scope(), DEMO_TODAY, 3)
        rows = board.fetch_rows(s)
    groups = defaultdict(list)
    for r in rows:
        groups[(r.task_id, r.period)].append(by_id[r.assignment_id]["status"])
    assert {line.key for line in lines} == set(groups)
    for line in lines:
        statuses = groups[line.key]
        assert line.total == sum(1 for st in statuses if st not in ("paused", "cancelled"))
        assert line.done == sum(1 for st in statuses if st in ("on_time", "late"))
        assert line.status.value == board.task_status(Counter(statuses)).value
        if "overdue" in statuses:
            assert line.status is Status.OVERDUE and line.days_late and line.days_late > 0
    deadlines = [line.deadline for line in lines if line.deadline]
    assert deadlines == sorted(deadlines)


def test_task_board_scope_unit_and_status_filter(any_demo_db):
    demo_db = any_demo_db
    with demo_db.session() as s:
        dong_khe = find_unit(s, "P-LV")  # Lạc Viên: several overdue in the demo
        scope = board.Scope(unit_ids=(dong_khe.id,))
        lines = board.task_board(s, scope, DEMO_TODAY, 3)
        rows = board.fetch_rows(s, unit_ids=[dong_khe.id])
        overdue = board.task_board(s, board.Scope(unit_ids=(dong_khe.id,), status=board.FILTER_OVERDUE), DEMO_TODAY,
                                   3)
    assert {line.key for line in lines} == {(r.task_id, r.period) for r in rows}
    assert sum(line.total + sum(line.counts.get(x, 0) for x in ("paused", "cancelled")) for line in lines) == len(rows)
    tracked = track(rows, DEMO_TODAY, 3)
    assert {line.key for line in overdue} == {(t.row.task_id, t.row.period) for t in tracked
                                              if t.status is Status.OVERDUE}
    assert overdue, "the demo has overdue work in Lạc Viên"


def test_assignment_lines_apply_scope_and_filter(demo_db):
    with demo_db.session() as s:
        dong_khe = find_unit(s, "P-DK")
        line = board.task_board(s, board.Scope(unit_ids=(dong_khe.id,)), DEMO_TODAY, 3)[0]
        only = board.assignment_lines(s, line.task_id, line.period, board.Scope(unit_ids=(dong_khe.id,)), DEMO_TODAY, 3)
        everyone = board.assignment_lines(s, line.task_id, line.period, board.Scope(), DEMO_TODAY, 3)
        waiting = board.assignment_lines(s, line.task_id, line.period, board.Scope(status=board.FILTER_WAITING),
                                         DEMO_TODAY, 3)
    assert [t.row.unit_id for t in only] == [dong_khe.id]
    assert len(everyone) >= len(only)
    assert all(t.row.state == AssignmentState.REPORTED.value for t in waiting)


def test_grid_and_dashboard_agree_with_status_json(any_demo_db):
    demo_db = any_demo_db
    payload, by_id = _payload_by_id(demo_db)
    with demo_db.session() as s:
        directive_ids = [d[0] for d in board.directive_list(s)]
        cells_seen = 0
        for did in directive_ids:
            grid = board.grid(s, did, DEMO_TODAY, 3)
            for (r, c), t in grid.cells.items():
                assert grid.rows[r].task_id == t.row.task_id and grid.rows[r].period == t.row.period
                assert grid.columns[c].unit_id == t.row.unit_id
                assert t.status.value == by_id[t.row.assignment_id]["status"]
                cells_seen += 1
            groups = [c.group_name for c in grid.columns]
            runs = sum(1 for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g)
            assert runs == len(set(groups)), "a group's units are side by side"
        dash = board.dashboard(s, board.Scope(), DEMO_TODAY, 3)
    assert cells_seen == len(payload["assignments"])
    assert dash.overall.as_dict() == payload["summary"]
    per_unit = defaultdict(Counter)
    for a in payload["assignments"]:
        per_unit[a["unit"]][a["status"]] += 1
    with demo_db.session() as s:
        names = {u.id: u.name for u in s.execute(select(Unit)).scalars()}
    for bar in dash.units:
        counts = per_unit[names[bar.unit_id]]
        assert bar.summary.on_time == counts["on_time"]
        assert bar.summary.late == counts["late"]
        assert bar.summary.overdue == counts["overdue"]
    assert len(dash.overdue) == payload["summary"]["overdue"]
    upcoming = [a for a in payload["assignments"] if a["status"] in ("due_soon", "in_progress") and a["deadline"]
                and DEMO_TODAY <= date.fromisoformat(a["deadline"]) <= DEMO_TODAY + timedelta(days=7)]
    assert len(dash.upcoming) == dash.upcoming_total == len(upcoming)
    # cut to the nearest few: the total still counts them all, the list keeps the nearest deadlines
    if len(upcoming) > 2:
        with demo_db.session() as s:
            cut = board.dashboard(s, board.Scope(), DEMO_TODAY, 3, upcoming_limit=2)
        assert cut.upcoming_total == len(upcoming) and len(cut.upcoming) == 2
        nearest = sorted(date.fromisoformat(a["deadline"]) for a in upcoming)[:2]
        assert [t.row.effective_due for t in cut.upcoming] == nearest


def test_summary_from_counts_equals_summarize(demo_db):
    with demo_db.session() as s:
        tracked = track(board.fetch_rows(s), DEMO_TODAY, 3)
    counts = Counter(t.status.value for t in tracked)
    assert board.summary_from_counts(counts).as_dict() == summarize(tracked).as_dict()


def test_search_without_diacritics(any_demo_db):
    demo_db = any_demo_db
    index = board.ReportIndex()
    with demo_db.session() as s:
        results = board.search(s, "dong khe", index)
        assert [h.title for h in results.units] == ["UBND phường Đông Khê"]
        ubnd = board.search(s, "ubnd", index)
        assert len(ubnd.units) >= 12 and all("UBND" in h.title for h in ubnd.units)
        assert ubnd.directives, "the directives' numbers carry UBND"
        tasks = board.search(s, "chuyen doi so", index)
        assert tasks.tasks and all("số" in h.title or "Chuyển" in h.title or "chuyển" in h.title.lower()
                                   for h in tasks.tasks[:3])
        reports = board.search(s, "bang ron", index)
    assert reports.results, "some demo reports mention băng rôn"
    with demo_db.session() as s:
        for hit in reports.results:
            rows = board.fetch_rows(s, assignment_ids=[hit.id])
            assert rows
    with demo_db.session() as s:
        assert board.search(s, "   ", index).all() == []


def test_report_index_picks_up_new_reports(demo_db):
    index = board.ReportIndex()
    with demo_db.session() as s:
        index.refresh(s)
        before = len(index)
        row = board.fetch_rows(s, open_only=True)[0]
    with demo_db.session() as s:
        ops.record_report(s, row.assignment_id, ops.ReportInput(received_on=DEMO_TODAY,
                                                                content="Đã tổ chức Hội thi Rung chuông vàng"),
                          DEMO_TODAY)
    with demo_db.session() as s:
        results = board.search(s, "rung chuong vang", index)
    assert len(index) == before + 1
    assert [h.id for h in results.results] == [row.assignment_id]


def test_history_lists_report_and_decision(any_demo_db):
    demo_db = any_demo_db
    with demo_db.session() as s:
        row = board.fetch_rows(s, open_only=True)[0]
    with demo_db.session(context="ui") as s:
        ops.record_report(s, row.assignment_id, ops.ReportInput(received_on=DEMO_TODAY, completed_on=DEMO_TODAY,
                                                                content="Xong"), DEMO_TODAY)
    with demo_db.session(context="ui") as s:
        ops.accept_result(s, row.assignment_id, DEMO_TODAY)
    with demo_db.session() as s:
        entries = board.history(s, row.assignment_id)
        detail = board.assignment_detail(s, row.assignment_id, DEMO_TODAY, 3)
    assert any(e.table == "unit_report" and e.action == "insert" for e in entries)
    states = [e.new for e in entries if e.table == "assignment" and e.field == "state"]
    assert states[0] == AssignmentState.DONE.value  # newest first
    assert detail.latest.content == "Xong" and detail.tracked.status in (Status.ON_TIME, Status.LATE)


@pytest.mark.parametrize("kind,expected", [
    ("month", (date(2024, 10, 1), date(2024, 10, 31))),
    ("quarter", (date(2024, 10, 1), date(2024, 12, 31))),
    ("year", (date(2024, 1, 1), date(2024, 12, 31))),
    ("", (None, None)),
])
def test_period_bounds(kind, expected):
    assert board.period_bounds(kind, DEMO_TODAY) == expected


def test_period_bounds_every_month():
    for month in range(1, 13):
        start, end = board.period_bounds("month", date(2023, month, 15))
        assert start.day == 1 and (end + timedelta(days=1)).day == 1 and start.month == end.month == month
        q_start, q_end = board.period_bounds("quarter", date(2023, month, 15))
        assert q_start <= date(2023, month, 15) <= q_end and (q_end.month - q_start.month) == 2


def test_subtree_ids_from_loaded_tree(demo_db):
    with demo_db.session() as s:
        nodes = board.unit_tree(s, DEMO_TODAY)
        group = next(n for n in nodes if n.is_group and n.name == "UBND các phường")
        from db.queries import unit_subtree_ids

        assert sorted(board.subtree_ids(nodes, group.id)) == sorted(unit_subtree_ids(s, group.id))
        assert s.execute(select(func.count(Task.id))).scalar() > 0


_VIETNAMESE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY0123456789 .,-/"
               "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
               "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ")



@given(st.text(alphabet=_VIETNAMESE, max_size=60), st.sampled_from(["NFC", "NFD"]))
def test_fast_fold_equals_fold(text, form):
    import unicodedata

    from db.textkey import fold

    text = unicodedata.normalize(form, text)
    assert " ".join(board.fast_fold(text).split()) == fold(text)


def test_fixed_status_and_status_groups_match_compute_status_on_every_edge(any_db):
    """The database's settled status and the three-part counts equal the rule, case by case."""
    db = any_db
    today = date(2024, 6, 15)
    with db.session() as s:
        units = [ops.add_unit(s, ops.UnitInput(code=f"U{i}", name=f"Đơn vị {i}")) for i in range(3)]
        directive = ops.create_directive(s, ops.DirectiveInput(number="1/KH"), [])
        tasks = [ops.add_task(s, directive.id, ops.TaskInput(title=f"Nhiệm vụ {i}")) for i in range(2)]
        expected, settles = {}, {}
        cases = itertools.product([st.value for st in AssignmentState], (None, -5, -1, 0, 1, 3, 4, 10),
                                  (None, -3, 0, 2), (None, 5))
        for i, (state, due_off, done_off, ext_days) in enumerate(cases):
            due = today + timedelta(days=due_off) if due_off is not None else None
            done = today + timedelta(days=done_off) if done_off is not None else None
            # six in a row share a period: each task line has three units
            a = Assignment(task_id=tasks[i % 2].id, unit_id=units[i % 3].id, period=f"p{i // 6}", state=state,
                           due_date=due, completed_on=done)
            s.add(a)
            s.flush()
            effective = due
            if ext_days is not None and due is not None:
                ops.grant_extension(s, a.id, due + timedelta(days=ext_days), "Lý do", "", today)
                effective = due + timedelta(days=ext_days)
            result = compute_status(state, effective, done, today, 3)
            late = result.days_late if result.status is Status.LATE else None
            expected[a.id] = (a.unit_id, a.task_id, a.period, result.status.value, state == "cho_duyet", effective, late)
            # settled unless open, or done without a completion date while a deadline exists (depends on today)
            settles[a.id] = state in ("tam_dung", "huy") or (
                state == "hoan_thanh" and not (done is None and effective is not None))
    with db.session() as s:
        fixed = dict(s.execute(select(Assignment.id, Assignment.fixed_status)).all())
    for aid, (_u, _t, _p, status, _w, _e, _l) in expected.items():
        assert fixed[aid] == (status if settles[aid] else None), aid
    by_unit = Counter((u, st) for u, _t, _p, st, _w, _e, _l in expected.values())
    by_line = Counter((t, p, st, w) for _u, t, p, st, w, _e, _l in expected.values())
    with db.session() as s:
        unit_rows = board.status_groups(s, (Assignment.unit_id,), [], today, 3)
        line_rows = board.status_groups(s, (Assignment.task_id, Assignment.period), [], today, 3, details=True)
    got_unit, got_line = Counter(), Counter()
    for unit_id, status, _waiting, n in unit_rows:
        got_unit[(unit_id, status)] += n
    min_due, max_late = {}, {}
    for task_id, period, status, waiting, n, low, high in line_rows:
        got_line[(task_id, period, status, bool(waiting))] += n
        key = (task_id, period, status)
        if low is not None:
            low = low if isinstance(low, date) else date.fromisoformat(str(low))
            min_due[key] = min(low, min_due.get(key, low))
        if high is not None:
            max_late[key] = max(round(high), max_late.get(key, 0))
    assert got_unit == by_unit
    assert got_line == by_line
    for (t, p, status) in {(t, p, status) for _u, t, p, status, _w, _e, _l in expected.values()}:
        dues = [e for _u, t2, p2, st2, _w, e, _l in expected.values() if (t2, p2, st2) == (t, p, status) and e]
        assert min_due.get((t, p, status)) == (min(dues) if dues else None), (t, p, status)
        lates = [lt for _u, t2, p2, st2, _w, _e, lt in expected.values() if (t2, p2, st2) == (t, p, status) and lt]
        assert max_late.get((t, p, status)) == (max(lates) if lates else None), (t, p, status)
