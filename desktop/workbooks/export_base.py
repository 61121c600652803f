"""What every sheet of the workbook for the level above shares: the scope (which directive,
which units, which date), progress counting, the official header above a table, notes and the
number and rate cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from openpyxl.utils import get_column_letter

from desktop.services.settings import Settings, load_settings
from desktop.tracking.labels import fmt_date
from desktop.workbooks.common import (
    CellStyles,
    Column,
    Formula,
    Progress,
    first_page_columns,
    report_reference,
    row_height,
    set_widths,
    setup_print,
    write_official_header,
)
from desktop.workbooks.data import (
    DirectiveInfo,
    IndicatorInfo,
    TaskInfo,
    UnitInfo,
    assigned_unit_counts,
    directive_info,
    numeric_indicators,
    scope_size,
    scope_unit_ids,
    task_numbers,
    tasks_in_scope,
    units_in_order,
)

SHEET_SUMMARY = "Tổng hợp"
SHEET_MATRIX = "Ma trận"
SHEET_DETAIL = "Chi tiết"
SHEET_FIGURES = "Số liệu"

# Up to this many indicators the figures sheet is a units × indicators table; beyond it the
# table would not fit a page (nor a screen) and the sheet becomes a list.
FIGURE_MATRIX_LIMIT = 12

_PROGRESS_EVERY = 1000


@dataclass
class ExportScope:
    """What every sheet needs besides the streamed rows, read at the start of the export."""

    today: date
    settings: Settings
    directive: DirectiveInfo | None
    directive_ids: list[int] | None
    units: dict[int, UnitInfo]
    tasks: dict[int, TaskInfo]
    unit_ids: list[int]  # the units given something in the scope, in tree order
    assignments: int
    lines: int  # distinct task × period lines
    indicators: list[IndicatorInfo]  # numeric indicators of tasks given to someone, in task order
    assigned_units: dict[int, int]  # task id -> how many units it is given to
    task_numbers: dict[int, int] = field(default_factory=dict)  # task id -> NV number, as in Word's report

    def __post_init__(self) -> None:
        ordered = sorted(self.units, key=self.unit_key)
        self._rank = {uid: i for i, uid in enumerate(ordered)}

    def unit_key(self, unit_id: int) -> tuple:
        u = self.units.get(unit_id)
        return u.order if u else ((1 << 30, "", unit_id),)

    def unit_rank(self, unit_id: int) -> int:
        return self._rank.get(unit_id, len(self._rank) + unit_id)

    def unit_name(self, unit_id: int) -> str:
        u = self.units.get(unit_id)
        return u.name if u else f"Đơn vị {unit_id}"

    def unit_short(self, unit_id: int) -> str:
        u = self.units.get(unit_id)
        return u.short_name if u else str(unit_id)

    @property
    def total_steps(self) -> int:
        return self.assignments + self.lines + len(self.unit_ids) + len(self.indicators)


def load_scope(session, today: date, directive_id: int | None = None) -> ExportScope:
    directive_ids = [directive_id] if directive_id is not None else None
    settings = load_settings(session)
    units = units_in_order(session)
    assigned = assigned_unit_counts(session, directive_ids)
    indicators = [i for i in numeric_indicators(session, directive_ids) if assigned.get(i.task_id)]
    n_assignments, n_lines = scope_size(session, directive_ids)
    info = directive_info(session, directive_id) if directive_id is not None else None
    scope = ExportScope(today, settings, info, directive_ids, units, tasks_in_scope(session, directive_ids), [],
                        n_assignments, n_lines, indicators, assigned, task_numbers(session, directive_ids))
    scope.unit_ids = sorted(scope_unit_ids(session, directive_ids), key=scope.unit_rank)
    return scope


def scope_line(scope: ExportScope) -> str:
    d = scope.directive
    if d is None:
        return f"Tất cả văn bản chỉ đạo đang theo dõi; số liệu tính đến ngày {fmt_date(scope.today)}"
    issued = f" ngày {fmt_date(d.issued_on)}" if d.issued_on else ""
    issuer = f" của {d.issuer}" if d.issuer else ""
    title = f" {d.title}" if d.title else ""
    return f"Thực hiện văn bản số {d.number}{issued}{issuer}{title}; số liệu tính đến ngày {fmt_date(scope.today)}"


class _Counter:
    def __init__(self, progress: Progress, total: int):
        self.progress, self.total, self.done = progress, max(total, 1), 0

    def step(self, message: str, n: int = 1) -> None:
        before = self.done // _PROGRESS_EVERY
        self.done += n
        if self.done // _PROGRESS_EVERY != before:
            self.progress(min(self.done, self.total), self.total, message)


def _header_lines(scope: ExportScope) -> list[tuple[str, str]]:
    return [(report_reference(scope.settings, scope.today.year), "subtitle"), (scope_line(scope), "subtitle")]


def _begin_table(ws, styles: CellStyles, scope: ExportScope, title: str, columns: list[Column],
                 header_rows: int = 1, freeze_col: int = 1, header_height: float | None = None) -> int:
    """Widths, frozen panes, print set-up (all before the first row), then the official header.

    Returns the row number of the table's first header row."""
    lines = _header_lines(scope)
    table_row = 4 + len(lines) + 2  # header block (3 rows) + title + lines + blank
    set_widths(ws, columns)
    ws.freeze_panes = f"{get_column_letter(freeze_col + 1)}{table_row + header_rows}"
    setup_print(ws, table_row, header_rows, widths=[c.width for c in columns], title_columns=freeze_col)
    if header_height:
        ws.row_dimensions[table_row + header_rows - 1].height = header_height
    widths = [c.width for c in columns]
    on_page = first_page_columns(widths)
    used = write_official_header(ws, styles, scope.settings, on_page, title, lines,
                                 total_width=sum(widths[:on_page]), widths=widths)
    assert used + 1 == table_row
    return table_row


def _rate(value: float | None):
    """A rate (percent, as ``Summary`` gives it) as the fraction a percent format shows; no rate is
    an empty cell, never text among the numbers."""
    return None if value is None else round(value / 100, 4)


def _note(ws, styles: CellStyles, columns: list[Column], text: str) -> None:
    """A note under a table, wrapped inside the table's width on the first printed page: text
    running past the last column would widen what a program fits to the page."""
    widths = [c.width for c in columns]
    on_page = first_page_columns(widths)
    row = ws.rows_written + 1
    height = row_height([(text, sum(widths[:on_page]))])
    if height:
        ws.row_dimensions[row].height = height
    ws.append([styles.cell(ws, text, "note_wrap")])
    if on_page > 1:
        ws.merged_cells.add(f"A{row}:{get_column_letter(on_page)}{row}")


def _cell_style(style: str, value) -> str:
    return "td_center" if type(value) is str and style in ("td_int", "td_rate", "td_dec") else style


def _total_style(style: str, value) -> str:
    if type(value) is str or style in ("td", "td_center"):
        return "total"
    return {"td_int": "total_int", "td_rate": "total_rate", "td_dec": "total_dec"}.get(style, "total")


def _number(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _number_style(value: float | None, kind: str = "td") -> str:
    """``#,##0`` for whole numbers, ``#,##0.0#`` only where there are decimals."""
    whole = value is None or float(value).is_integer()
    return f"{kind}_int" if whole else f"{kind}_dec"


def _subtotal(column: int, first_row: int, last_row: int, total: float | None) -> Formula | None:
    """SUBTOTAL(109, …) of the rows shown (a filter hides the others), ``total`` as its cached value."""
    if last_row < first_row:
        return _number(total)
    letter = get_column_letter(column)
    return Formula(f"SUBTOTAL(109,{letter}{first_row}:{letter}{last_row})", _number(total) or 0)
