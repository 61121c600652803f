"""«Chờ duyệt» (a report received, not yet accepted or returned) is the status pending_review on
every screen: the unit tree, the task board and its filter, the grid, the dashboard, all as
``status --json`` says, also when the report came in after the deadline."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import select

from db.models import Assignment, AssignmentState, Unit, UnitReport
from desktop.cli.core import status_payload
from desktop.services.demo import DEMO_TODAY
from desktop.tracking import board


def _late_pending(db) -> int:
    """Make the first pending assignment's deadline pass before its report arrived; its id."""
    with db.session() as s:
        a = s.execute(select(Assignment).where(Assignment.state == AssignmentState.REPORTED.value)
                      .where(Assignment.effective_due == Assignment.due_date).order_by(Assignment.id)).scalars().first()
        received = max(s.execute(select(UnitReport.received_on).where(UnitReport.assignment_id == a.id)).scalars())
        a.due_date = received - timedelta(days=3)
        s.commit()
        return a.id


def test_pending_review_on_every_screen(any_demo_db):
    db = any_demo_db
    aid = _late_pending(db)
    today = DEMO_TODAY + timedelta(days=10)
    payload = status_payload(db, None, None, today)
    pending = [a for a in payload["assignments"] if a["status"] == "pending_review"]
    assert pending and all(a["state"] == AssignmentState.REPORTED.value for a in pending)
    overdue_per_unit = Counter(a["unit"] for a in payload["assignments"] if a["status"] == "overdue")
    with db.session() as s:
        names = {u.id: u.name for u in s.execute(select(Unit)).scalars()}
        # The tree's «Quá hạn» column: a late report awaiting approval is not overdue.
        tree = board.unit_tree(s, today)
        assert {names[n.id]: n.overdue for n in tree if n.overdue} == dict(overdue_per_unit)
        # The task board: counts per status, and the «Chờ duyệt» filter shows exactly those lines.
        lines = board.task_board(s, board.Scope(), today, 3)
        assert sum(line.counts.get("pending_review", 0) for line in lines) == len(pending)
        assert sum(line.waiting for line in lines) == len(pending)
        waiting = board.task_board(s, board.Scope(status=board.FILTER_WAITING), today, 3)
        assert {(line.task_id, line.period) for line in waiting} == {
            (line.task_id, line.period) for line in lines if line.counts.get("pending_review")}
        # The dashboard and the grid count it apart, and never as overdue or upcoming.
        dash = board.dashboard(s, board.Scope(), today, 3)
        assert dash.overall.as_dict() == payload["summary"]
        assert dash.overall.pending_review == len(pending)
        assert all(t.row.assignment_id != aid for t in dash.overdue + dash.upcoming)
        per_directive = defaultdict(int)
        for a in pending:
            per_directive[a["directive"]] += 1
        for did, number, *_ in board.directive_list(s):
            grid = board.grid(s, did, today, 3)
            assert grid.counts.get("pending_review", 0) == per_directive[number]
            position = grid.cells.position_of(aid)
            if position is not None:
                cell = grid.cells[position]
                assert cell.status.value == "pending_review" and cell.days_late == 3
        detail = board.assignment_detail(s, aid, today, 3)
        assert detail.tracked.status.value == "pending_review" and detail.tracked.days_late == 3
