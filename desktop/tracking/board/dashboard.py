"""The dashboard: status counts, unit bars, the coming deadlines, the oldest overdue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    AssignmentState,
    Unit,
)
from db.queries import (
    id_chunks,
)
from desktop.tracking.board.filters import (
    Scope,
    _scope_conditions,
    fetch_rows,
    status_groups,
    summary_from_counts,
)
from desktop.tracking.board.search import (
    fast_fold,
)
from desktop.tracking.stats import Summary, Tracked, track
from desktop.tracking.status import (
    Status,
)

# ---------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class UnitBar:
    unit_id: int
    name: str
    summary: Summary


@dataclass(frozen=True)
class DashboardData:
    overall: Summary
    units: list[UnitBar]  # units with assignments due, most overdue first
    upcoming: list[Tracked]  # not done, deadline within the next days (today included), nearest first (capped)
    overdue: list[Tracked]  # not done, deadline passed, most days late first (capped)
    overdue_total: int
    horizon_days: int
    upcoming_total: int = 0  # all of them (the list shows the nearest ``upcoming_limit``)


def dashboard(session: Session, scope: Scope, today: date, due_soon_days: int, horizon_days: int = 7,
              overdue_limit: int = 300, upcoming_limit: int = 300) -> DashboardData:
    """Figures of the dashboard for a scope (the status filter is ignored: the dashboard shows all)."""
    conditions = _scope_conditions(scope, per_unit=True)
    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overall_counts: dict[str, int] = defaultdict(int)
    for unit_id, status_value, _waiting, n in status_groups(session, (Assignment.unit_id,), conditions, today,
                                                           due_soon_days):
        per_unit[unit_id][status_value] += n
        overall_counts[status_value] += n
    names = {}
    for chunk in id_chunks(per_unit):
        for uid, name, short in session.execute(select(Unit.id, Unit.name, Unit.short_name).where(Unit.id.in_(chunk))):
            names[uid] = short or name
    bars = [UnitBar(uid, names.get(uid, str(uid)), summary_from_counts(c)) for uid, c in per_unit.items()]
    bars.sort(key=lambda b: (-b.summary.overdue, -(b.summary.late), -(b.summary.due), fast_fold(b.name)))
    overall = summary_from_counts(overall_counts)

    horizon_to = today + timedelta(days=horizon_days)
    due_from = max(today, scope.due_from) if scope.due_from else today
    due_to = min(horizon_to, scope.due_to) if scope.due_to else horizon_to
    directive_ids = [scope.directive_id] if scope.directive_id is not None else None
    upcoming, upcoming_total = [], 0
    if due_from <= due_to:
        upcoming = track(fetch_rows(session, directive_ids=directive_ids, unit_ids=scope.unit_ids, due_from=due_from,
                                    due_to=due_to, open_only=True, unit_to_act=True, limit=upcoming_limit),
                         today, due_soon_days)
        upcoming_total = len(upcoming)
        if upcoming_total == upcoming_limit:  # cut: count them all (from the open-deadline index)
            upcoming_total = session.execute(
                select(func.count()).select_from(Assignment).where(
                    *_scope_conditions(scope, open_only=True), Assignment.state != AssignmentState.REPORTED.value,
                    Assignment.effective_due >= due_from, Assignment.effective_due <= due_to)).scalar_one()
    over_to = today - timedelta(days=1)
    if scope.due_to and scope.due_to < over_to:
        over_to = scope.due_to
    overdue = track(fetch_rows(session, directive_ids=directive_ids, unit_ids=scope.unit_ids,
                               due_from=scope.due_from, due_to=over_to, open_only=True, unit_to_act=True,
                               limit=overdue_limit),
                    today, due_soon_days)
    overdue = [t for t in overdue if t.status is Status.OVERDUE]
    return DashboardData(overall=overall, units=bars, upcoming=upcoming, overdue=overdue,
                         overdue_total=overall.overdue, horizon_days=horizon_days, upcoming_total=upcoming_total)
