"""Floors: the least any program could spend on the same work. Bare SQL through the sqlite3
module for the same rows; bare openpyxl write-only for the same cells; bare python-docx for the
same table. ``app ÷ floor`` tells how much the application adds on top.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

# the deadline in force of assignment ``a``: stored since migration 0004 (db.derived keeps it)
_EFFECTIVE = "a.effective_due"


def connect(path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)


def _timed(conn: sqlite3.Connection, sql: str, params=()) -> tuple[float, int]:
    started = time.perf_counter()
    rows = conn.execute(sql, params).fetchall()
    return time.perf_counter() - started, len(rows)


def subtree(conn: sqlite3.Connection, root: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for uid, parent in conn.execute("SELECT id, parent_id FROM unit"):
        children.setdefault(parent, []).append(uid)
    out, stack = [], [root]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children.get(current, []))
    return out


def _status_parts(conn, keys: str, today: date, soon_days: int, where: str = "") -> tuple[float, int]:
    """Counts per ``keys`` and status the way the application reads them since migration 0006: the
    settled assignments by their stored status, the open ones by their deadline (each from an index
    alone), the rare done-without-date ones by the full rule. Bare SQL of the same three queries."""
    t, soon = today.isoformat(), (today + timedelta(days=soon_days)).isoformat()
    extra = f" AND {where}" if where else ""
    parts = (
        f"SELECT {keys}, fixed_status, count(*) FROM assignment a WHERE fixed_status IS NOT NULL{extra} "
        f"GROUP BY {keys}, fixed_status",
        f"SELECT {keys}, CASE WHEN effective_due IS NULL THEN 'no_deadline' WHEN effective_due < '{t}' THEN "
        f"'overdue' WHEN effective_due <= '{soon}' THEN 'due_soon' ELSE 'in_progress' END AS s, "
        f"state = 'cho_duyet' AS w, count(*) FROM assignment a WHERE state NOT IN ('hoan_thanh', 'tam_dung', 'huy')"
        f"{extra} GROUP BY {keys}, s, w",
        f"SELECT {keys}, count(*) FROM assignment a WHERE state = 'hoan_thanh' AND completed_on IS NULL "
        f"AND effective_due IS NOT NULL{extra} GROUP BY {keys}",
    )
    seconds, rows = 0.0, 0
    for sql in parts:
        took, n = _timed(conn, sql)
        seconds, rows = seconds + took, rows + n
    return seconds, rows


def task_board_sql(conn, today: date, soon_days: int, unit_ids: list[int] | None) -> tuple[float, int]:
    """The task table's lines: per task and period, counts by status, and the tasks' titles."""
    where = f"a.unit_id IN ({','.join(map(str, unit_ids))})" if unit_ids is not None else ""
    seconds, n = _status_parts(conn, "a.task_id, a.period", today, soon_days, where)
    s2, _ = _timed(conn, "SELECT t.id, t.title, d.number FROM task t JOIN directive d ON d.id = t.directive_id")
    return seconds + s2, n


def start_sql(conn, today: date, soon_days: int) -> float:
    seconds = _timed(conn, "SELECT id, parent_id, name, short_name, is_group, active FROM unit")[0]
    return seconds + task_board_sql(conn, today, soon_days, None)[0]


def search_sql(conn, term: str, limit: int = 50) -> float:
    pattern = f"%{term}%"
    total = 0.0
    for table in ("unit", "directive", "task", "unit_report"):
        total += _timed(conn, f"SELECT id FROM {table} WHERE search_key LIKE ? LIMIT {limit}", (pattern,))[0]
    return total


def grid_sql(conn, directive_id: int) -> tuple[float, int]:
    sql = (f"SELECT a.id, a.task_id, a.period, a.unit_id, a.state, a.due_date, {_EFFECTIVE}, a.completed_on "
           f"FROM assignment a JOIN task t ON t.id = a.task_id WHERE t.directive_id = ?")
    return _timed(conn, sql, (directive_id,))


def summary_sql(conn, today: date, soon_days: int) -> tuple[float, int]:
    """Counts by unit and status over every assignment (what the dashboard shows)."""
    return _status_parts(conn, "a.unit_id", today, soon_days)


# ---------------------------------------------------------------- files


def read_xlsx_cells(path: str | Path) -> list[tuple[str, list[list]]]:
    """Every sheet's values, to write again with bare openpyxl (outside the timing)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def write_xlsx_cells(sheets: list[tuple[str, list[list]]], out: str | Path) -> float:
    from openpyxl import Workbook

    started = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(out)
    return time.perf_counter() - started


def read_docx_tables(path: str | Path) -> list[list[list[str]]]:
    from docx import Document

    doc = Document(str(path))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]


def write_docx_tables(tables: list[list[list[str]]], out: str | Path) -> float:
    """The same tables with bare python-docx, without its quadratic traps: ``_Row.cells`` rebuilds
    the whole table grid on every call (python-docx 1.2), so each new row's cells are wrapped
    from its own ``w:tc`` elements."""
    from docx import Document
    from docx.table import _Cell

    started = time.perf_counter()
    doc = Document()
    for rows in tables:
        if not rows:
            continue
        table = doc.add_table(rows=0, cols=len(rows[0]))
        for values in rows:
            tr = table.add_row()._tr
            for tc, value in zip(tr.tc_lst, values):
                _Cell(tc, table).text = value
    doc.save(str(out))
    return time.perf_counter() - started
