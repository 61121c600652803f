"""The benchmark's data generator at a tiny scale: counts as asked, and the same rows every time."""

from __future__ import annotations

import sqlite3
from collections import Counter

from bench.generate import BENCH_TODAY, SCALES, Scale, build_rows, generate
from db.queries import assignment_rows
from desktop.infra.database import open_database
from desktop.tracking.stats import summarize, track

TINY = Scale("tiny", units=14, tasks=40, assignments=400, directives=8, grid_tasks=3)


def _dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table' "
                                             "and name not like 'sqlite_%' and name != 'alembic_version'")]
        return {t: conn.execute(f"select * from {t} order by 1").fetchall() for t in tables}
    finally:
        conn.close()


def test_tiny_scale_counts_and_spread(tmp_path):
    counts = generate(tmp_path / "tiny.db", TINY)
    assert (counts.units, counts.tasks, counts.assignments, counts.directives) == (14, 40, 400, 8)
    db = open_database(tmp_path / "tiny.db")
    try:
        with db.session() as s:
            rows = assignment_rows(s)
            grid = assignment_rows(s, directive_ids=[1])
    finally:
        db.dispose()
    assert len(rows) == 400
    assert len(grid) == 3 * 14 and len({r.unit_id for r in grid}) == 14
    assert len({(r.task_id, r.unit_id, r.period) for r in rows}) == 400
    assert {r.task_id for r in rows} == set(range(1, 41))  # every task is given to someone
    summary = summarize(track(rows, BENCH_TODAY, 3))
    assert summary.on_time > summary.late > 0 and summary.overdue > 0 and summary.in_progress > 0
    assert Counter(r.state for r in rows)["hoan_thanh"] == counts.states["hoan_thanh"]
    assert counts.reports > 0 and counts.figures > 0


def test_same_seed_same_database(tmp_path):
    generate(tmp_path / "a.db", TINY)
    generate(tmp_path / "b.db", TINY)
    a, b = _dump(tmp_path / "a.db"), _dump(tmp_path / "b.db")
    assert a == b and len(a["assignment"]) == 400
    other = build_rows(TINY, seed=1)
    assert [r["unit_id"] for r in other.assignments] != [r[2] for r in a["assignment"]]


def test_impossible_scale_is_refused():
    import pytest

    with pytest.raises(ValueError):
        build_rows(Scale("x", units=3, tasks=10, assignments=500, directives=2, grid_tasks=1))


def test_declared_scales_match_product_md():
    district, city = SCALES["district"], SCALES["city"]
    assert (district.units, district.tasks, district.assignments) == (60, 1_500, 40_000)
    assert (city.units, city.tasks, city.assignments) == (1_000, 5_000, 200_000)
    assert city.grid_tasks == 30 and city.grid_assignments == 30_000
