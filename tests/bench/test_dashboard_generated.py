"""The dashboard's figures on generated data (the bench's generator, a small scale) equal the ones
computed row by row with compute_status: every unit bar, the whole, and the bars' order."""

from __future__ import annotations

from collections import defaultdict

from bench.generate import BENCH_TODAY, Scale, generate
from db.textkey import fold
from desktop.infra.database import open_database
from desktop.tracking import board
from desktop.tracking.stats import summarize, track

SMALL = Scale("small", units=40, tasks=80, assignments=1500, directives=10, grid_tasks=4)


def test_dashboard_equals_the_row_by_row_computation(tmp_path):
    generate(tmp_path / "small.db", SMALL)
    db = open_database(tmp_path / "small.db")
    try:
        with db.session() as s:
            dash = board.dashboard(s, board.Scope(), BENCH_TODAY, 3)
            tracked = track(board.fetch_rows(s), BENCH_TODAY, 3)
            sub = board.Scope(unit_ids=tuple(sorted({t.row.unit_id for t in tracked})[:10]))
            dash_sub = board.dashboard(s, sub, BENCH_TODAY, 3)
    finally:
        db.dispose()
    assert len(tracked) == SMALL.assignments
    assert dash.overall.as_dict() == summarize(tracked).as_dict()
    per_unit = defaultdict(list)
    for t in tracked:
        per_unit[t.row.unit_id].append(t)
    assert {b.unit_id: b.summary.as_dict() for b in dash.units} == {
        uid: summarize(ts).as_dict() for uid, ts in per_unit.items()}
    keys = [(-b.summary.overdue, -b.summary.late, -b.summary.due, fold(b.name)) for b in dash.units]
    assert keys == sorted(keys)
    assert dash_sub.overall.as_dict() == summarize(
        [t for t in tracked if t.row.unit_id in sub.unit_ids]).as_dict()
