"""The demo's change log tells its story on the days it happened, not the minute the demo was built."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta, timezone

from sqlalchemy import select

from db.models import Assignment, ChangeLog, UnitReport
from desktop.services.demo import DEMO_TODAY
from desktop.tracking import board

VIETNAM = timezone(timedelta(hours=7))


def _local_day(at):
    at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    return at.astimezone(VIETNAM).date()


def test_the_demo_history_is_dated_by_its_story(any_demo_db):
    db = any_demo_db
    with db.session() as s:
        entries = s.execute(select(ChangeLog)).scalars().all()
        assert entries and all(_local_day(c.at) <= DEMO_TODAY for c in entries), "nothing after the demo's today"
        received = dict(s.execute(select(UnitReport.id, UnitReport.received_on)).all())
        inserts = [c for c in entries if c.table_name == "unit_report" and c.action == "insert"]
        assert inserts and all(_local_day(c.at) == received[c.record_id] for c in inserts)
        accepted = dict(s.execute(select(Assignment.id, Assignment.accepted_on)
                                  .where(Assignment.accepted_on.is_not(None))).all())
        approvals = [c for c in entries if c.table_name == "assignment" and c.field == "accepted_on"
                     and c.new_value]
        assert approvals and all(_local_day(c.at) == accepted[c.record_id] for c in approvals
                                 if c.record_id in accepted)
        assert all(_local_day(c.at).isoformat() == c.new_value[:10] for c in approvals)  # taken back later too
        # one assignment's history, as the form shows it (newest first): its dates never go back in time
        by_assignment = defaultdict(list)
        for aid in list(accepted)[:20]:
            by_assignment[aid] = [_local_day(e.at) for e in board.history(s, aid)]
        assert any(len(days) > 2 for days in by_assignment.values())
        for days in by_assignment.values():
            assert days == sorted(days, reverse=True)
