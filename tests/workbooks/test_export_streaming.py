"""The workbook export streams its rows: the streamed query agrees with the application's own
assignment list, and the sheets come out in task order with units in tree order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Assignment, Directive, Task, UnitReport
from db.queries import assignment_rows, find_directive, find_unit
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.workbooks.data import (
    latest_reports,
    scope_size,
    scope_unit_ids,
    stream_assignments,
    units_in_order,
)
from desktop.workbooks.export import SHEET_DETAIL, SHEET_MATRIX, export_workbook


def _header_row(ws) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "STT":
            return row[0].row
    raise AssertionError(f"no table header in {ws.title}")


def test_streamed_assignments_agree_with_the_assignment_list(any_demo_db):
    """Also on PostgreSQL (a server-side cursor there). A tiny batch makes the stream refill often."""
    with any_demo_db.session() as s:
        streamed = list(stream_assignments(s, batch=7))
        rows = {r.assignment_id: r for r in assignment_rows(s)}
        latest = latest_reports(s)
        n_assignments, n_lines = scope_size(s)
        units = set(scope_unit_ids(s))
        directive_rank = {d.id: (d.issued_on or date.min, d.id) for d in s.execute(select(Directive)).scalars()}
        task_rank = {t.id: (directive_rank[t.directive_id], t.sort_order, t.id)
                     for t in s.execute(select(Task)).scalars()}
    assert len(streamed) == len(rows) == n_assignments
    assert {a.unit_id for a in streamed} == units
    extended = 0
    for a in streamed:
        r = rows[a.assignment_id]
        assert (a.task_id, a.unit_id, a.period, a.role, a.state) == (r.task_id, r.unit_id, r.period, r.role, r.state)
        assert (a.own_due, a.effective_due, a.completed_on) == (r.own_due, r.effective_due, r.completed_on)
        extended += a.effective_due != a.own_due
        report = latest.get(a.assignment_id)
        if report is None:
            assert a.report_received_on is None and a.report_content is None
        else:
            assert (a.report_received_on, a.report_doc_number, a.report_content) == (
                report.received_on, report.unit_doc_number, report.content)
    assert extended, "the demo has extended deadlines; the newest one must be read"
    # Task order, then period; each task × period line is one contiguous run.
    keys = [(task_rank[a.task_id], a.period) for a in streamed]
    assert keys == sorted(keys)
    runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
    assert len(runs) == len(set(runs)) == n_lines


def test_newest_report_is_by_date_received_then_id(demo_db):
    """A report entered later but received earlier is not the newest; one received later is."""
    with demo_db.session() as s:
        first = s.execute(select(UnitReport).order_by(UnitReport.id)).scalars().first()
        aid, received = first.assignment_id, first.received_on
        ops.record_report(s, aid, ops.ReportInput(received_on=received - timedelta(days=2), content="Bản cũ gửi lại"),
                          DEMO_TODAY)
    with demo_db.session() as s:
        assert _streamed(s)[aid].report_content == first.content
        ops.record_report(s, aid, ops.ReportInput(received_on=received, content="Cùng ngày, nhập sau"), DEMO_TODAY)
    with demo_db.session() as s:
        assert _streamed(s)[aid].report_content == "Cùng ngày, nhập sau"


def _streamed(session) -> dict:
    return {a.assignment_id: a for a in stream_assignments(session)}


@pytest.fixture
def workbook(demo_db, tmp_path):
    wb = load_workbook(export_workbook(demo_db, tmp_path / "t.xlsx", DEMO_TODAY))
    yield wb
    wb.close()


def test_detail_lists_units_in_tree_order_inside_each_line(workbook, demo_db):
    with demo_db.session() as s:
        units = units_in_order(s)
    rank = {u.name: u.order for u in units.values()}
    ws = workbook[SHEET_DETAIL]
    header = _header_row(ws)
    titles = [c.value for c in ws[header]]
    task_col, period_col, unit_col = titles.index("Nhiệm vụ"), titles.index("Kỳ báo cáo"), titles.index("Đơn vị")
    lines: dict[tuple, list] = {}
    order = []
    for row in ws.iter_rows(min_row=header + 1, values_only=True):
        if row[0] is None:
            continue
        key = (row[1], row[task_col], row[period_col])
        if key not in lines:
            order.append(key)
            lines[key] = []
        elif order[-1] != key:
            raise AssertionError(f"line {key} is split")
        lines[key].append(row[unit_col])
    assert len(lines) > 10
    for key, names in lines.items():
        assert [rank[n] for n in names] == sorted(rank[n] for n in names), key
    numbers = [row[0] for row in ws.iter_rows(min_row=header + 1, values_only=True) if row[0] is not None]
    assert numbers == list(range(1, len(numbers) + 1))


def test_matrix_lines_follow_the_detail_lines(workbook):
    """The matrix has one line per task × period, in the order the detail sheet lists them."""
    detail = workbook[SHEET_DETAIL]
    header = _header_row(detail)
    seen = []
    for row in detail.iter_rows(min_row=header + 1, values_only=True):
        if row[0] is None:
            continue
        title = row[2] + (f" ({row[3]})" if row[3] else "")
        if not seen or seen[-1] != (row[1], title):
            seen.append((row[1], title))
    matrix = workbook[SHEET_MATRIX]
    m_header = _header_row(matrix)
    got = []
    for row in matrix.iter_rows(min_row=m_header + 1, values_only=True):
        if row[0] is None:
            break
        got.append((row[1], row[2]))
    assert got == seen


def test_rows_with_long_text_are_tall_enough(demo_db, tmp_path):
    """Excel does not grow rows for wrapped text when it opens a file: the export sizes them."""
    long_text = "Đã tổ chức tuyên truyền trên hệ thống loa truyền thanh, treo băng rôn, khẩu hiệu. " * 6
    with demo_db.session() as s:
        first = s.execute(select(UnitReport).order_by(UnitReport.id)).scalars().first()
        ops.record_report(s, first.assignment_id, ops.ReportInput(received_on=DEMO_TODAY, content=long_text,
                                                                  unit_doc_number="99/BC"), DEMO_TODAY)
        # and a row where everything fits on one line
        task = ops.add_task(s, find_directive(s, "128/VHTT").id,
                            ops.TaskInput(title="Treo cờ", start_date=date(2024, 10, 1), due_date=date(2024, 10, 5),
                                          unit_ids=[find_unit(s, "P-MC").id]))
        short_id = s.execute(select(Assignment.id).where(Assignment.task_id == task.id)).scalar_one()
        ops.record_report(s, short_id, ops.ReportInput(received_on=date(2024, 10, 4), completed_on=date(2024, 10, 4),
                                                       content="Đã treo", unit_doc_number="1/BC"), DEMO_TODAY,
                          accept=True)
    wb = load_workbook(export_workbook(demo_db, tmp_path / "h.xlsx", DEMO_TODAY))
    ws = wb[SHEET_DETAIL]
    header = _header_row(ws)
    content_col = [c.value for c in ws[header]].index("Nội dung báo cáo gần nhất") + 1
    tall = short = None
    for row in range(header + 1, ws.max_row + 1):
        value = ws.cell(row, content_col).value
        if value == long_text.strip() or value == long_text:
            tall = row
        elif value == "Đã treo":
            short = row
    assert tall is not None and short is not None
    # about 500 characters in a 60-wide column: 9 lines or so
    assert ws.row_dimensions[tall].height >= 8 * 15 and ws.row_dimensions[tall].customHeight
    assert ws.row_dimensions[short].height is None
    wb.close()
