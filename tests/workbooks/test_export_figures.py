"""The «Số liệu» sheet: a units × indicators table for a few indicators (one directive), a long
list (indicator total, then one line per unit with a figure) beyond FIGURE_MATRIX_LIMIT.
Every number is checked against an independent sum of the accepted reports (the newest report
of each accepted assignment), the figures Word's report sums too."""

from __future__ import annotations

from collections import defaultdict

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Assignment, Indicator, ReportFigure, Task, Unit, UnitReport, ValueType
from db.queries import find_directive
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.export import FIGURE_MATRIX_LIMIT, SHEET_FIGURES, export_workbook
from desktop.workbooks.export_figures import FIGURE_LIST_COLUMNS


def _header_row(ws) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "STT":
            return row[0].row
    raise AssertionError(f"no table header in {ws.title}")


def _expected(db, directive_id: int | None = None):
    """(indicator id -> (task title, name), (indicator id, unit name) -> sum, task id -> units assigned),
    from the newest report of each accepted assignment, by date received then id."""
    with db.session() as s:
        tasks = {t.id: t for t in s.execute(select(Task)).scalars()
                 if directive_id is None or t.directive_id == directive_id}
        assignments = {a.id: a for a in s.execute(select(Assignment)).scalars() if a.task_id in tasks}
        units = {u.id: u.name for u in s.execute(select(Unit)).scalars()}
        indicators = {i.id: i for i in s.execute(select(Indicator)).scalars()
                      if i.task_id in tasks and i.value_type != ValueType.TEXT.value}
        accepted = set(s.execute(select(Assignment.id).where(Assignment.state == "hoan_thanh")).scalars())
        newest = {}
        for r in sorted(s.execute(select(UnitReport)).scalars(), key=lambda r: (r.received_on, r.id)):
            if r.assignment_id in accepted:
                newest[r.assignment_id] = r.id
        sums: dict[tuple[int, str], float] = defaultdict(float)
        latest = set(newest.values())
        report_assignment = {rid: aid for aid, rid in newest.items()}
        for f in s.execute(select(ReportFigure)).scalars():
            if f.report_id in latest and f.value_number is not None and f.indicator_id in indicators:
                unit = units[assignments[report_assignment[f.report_id]].unit_id]
                sums[(f.indicator_id, unit)] += f.value_number
        assigned: dict[int, set[int]] = defaultdict(set)
        for a in assignments.values():
            assigned[a.task_id].add(a.unit_id)
        names = {i.id: (tasks[i.task_id].title, i.name, i.measure) for i in indicators.values()
                 if assigned.get(i.task_id)}
    return names, dict(sums), {t: len(u) for t, u in assigned.items()}, indicators


def test_many_indicators_make_a_list_with_a_total_per_indicator(any_demo_db, tmp_path):
    """Also on PostgreSQL: the figures are streamed from a grouped query over the newest reports."""
    demo_db = any_demo_db
    names, sums, assigned, indicators = _expected(demo_db)
    assert len(names) > FIGURE_MATRIX_LIMIT  # the demo's three directives together
    # the totals are SUBTOTAL formulas: their cached values are read
    wb = load_workbook(export_workbook(demo_db, tmp_path / "all.xlsx", DEMO_TODAY), data_only=True)
    ws = wb[SHEET_FIGURES]
    header = _header_row(ws)
    assert [c.value for c in ws[header]] == [c.title for c in FIGURE_LIST_COLUMNS]
    assert ws.max_column == len(FIGURE_LIST_COLUMNS)  # never one column per indicator
    groups: list[dict] = []
    for row in ws.iter_rows(min_row=header + 1):
        values = [c.value for c in row]
        if isinstance(values[0], int):  # an indicator's total line
            assert all(c.font.bold for c in row[:7]) and row[6].number_format in ("#,##0", "#,##0.0#")
            groups.append({"key": (values[2], values[3], values[4] or ""), "total": values[6], "label": values[5],
                           "units": {}})
        elif values[5] and groups and values[1]:
            assert (values[2], values[3], values[4] or "") == groups[-1]["key"]  # every line names its indicator
            assert not row[5].font.bold
            assert values[0] == f"{len(groups)}.{len(groups[-1]['units']) + 1}"  # 1.1, 1.2 under total 1
            groups[-1]["units"][values[5]] = values[6]
        else:
            break
    assert len(groups) == len(names)
    assert sorted(g["key"] for g in groups) == sorted(names.values())
    by_key = defaultdict(dict)
    for (ind_id, unit), value in sums.items():
        by_key[names[ind_id]][unit] = value
    for g in groups:
        expected = by_key.get(g["key"], {})
        assert g["units"] == pytest.approx(expected), g["key"]
        if expected:
            assert g["total"] == pytest.approx(sum(expected.values()))
        else:
            assert g["total"] is None
        task_id = next(indicators[i].task_id for i, n in names.items() if n == g["key"])
        assert g["label"] == f"Tổng cộng ({len(expected)}/{assigned[task_id]} đơn vị có số liệu)"
    assert any(g["units"] for g in groups)
    # The list can be filtered: the filter covers the header and every line.
    assert ws.auto_filter.ref.startswith(f"A{header}:G")
    wb.close()


def test_one_directive_gets_the_units_by_indicators_table(demo_db, tmp_path):
    with demo_db.session() as s:
        directive_id = find_directive(s, "128/VHTT").id
    names, sums, _assigned, _ = _expected(demo_db, directive_id)
    assert 0 < len(names) <= FIGURE_MATRIX_LIMIT
    wb = load_workbook(export_workbook(demo_db, tmp_path / "one.xlsx", DEMO_TODAY, directive_id=directive_id),
                       data_only=True)
    ws = wb[SHEET_FIGURES]
    header = _header_row(ws)
    labels = [c.value for c in ws[header + 1]][2:]
    assert sorted(labels) == sorted(f"{n} ({m})" if m else n for _t, n, m in names.values())
    assert any("(" in label for label in labels)  # "Số buổi phát thanh (buổi)"
    unit_rows = {}
    total = None
    for row in ws.iter_rows(min_row=header + 2):
        if row[1].value == "Tổng cộng":
            total = row
            break
        unit_rows[row[1].value] = [c.value for c in row[2:]]
    assert total is not None and total[2].font.bold
    expected_total = sum(sums.values())
    got_total = sum(v for v in (c.value for c in total[2:]) if isinstance(v, (int, float)))
    assert got_total == pytest.approx(expected_total) and expected_total > 0
    got_cells = sum(v for values in unit_rows.values() for v in values if isinstance(v, (int, float)))
    assert got_cells == pytest.approx(expected_total)
    wb.close()
