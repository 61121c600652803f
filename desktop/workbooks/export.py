"""The workbook for the level above: Tổng hợp, Ma trận, Chi tiết, Số liệu.

Streamed with openpyxl's write-only mode; widths, frozen panes and print titles are therefore set
before the first row of each sheet. The assignments are streamed too (``data.stream_assignments``,
in task order): each task × period line is written to the matrix and the detail sheet as soon as
it is complete, and the per-unit counts of the summary are added up on the way, so memory stays
flat on 200,000 assignments. The counts use ``desktop.tracking`` (``compute_status``, ``Summary``),
the same code behind ``status --json``, so the numbers agree.

The «Số liệu» sheet has two layouts: a table of units × indicators when the scope asks for at most
:data:`FIGURE_MATRIX_LIMIT` figures (one directive, typically), and otherwise a long list, one
line per indicator with its total followed by one line per unit that reported a figure.

Threading: plain functions, no Qt; call from a worker thread (each call opens its own database
session, one read transaction for the whole export).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from desktop.infra.fileio import atomic_write
from desktop.tracking.labels import ROLE, STATE, STATUS, STATUS_MARK, status_text
from desktop.tracking.stats import Summary
from desktop.tracking.status import Status, StatusResult, compute_status
from desktop.workbooks.common import (
    SIGNATURE_NOTES,
    SIGNATURE_TITLES,
    CellStyles,
    Column,
    Formula,
    Progress,
    fit_width,
    height_for_lines,
    no_progress,
    period_text,
    row_height,
    wrapped_lines,
)
from desktop.workbooks.data import (
    AssignmentLine,
    TaskInfo,
    stream_assignments,
)
from desktop.workbooks.export_base import (
    FIGURE_MATRIX_LIMIT,
    SHEET_DETAIL,
    SHEET_FIGURES,
    SHEET_MATRIX,
    SHEET_SUMMARY,
    ExportScope,
    _begin_table,
    _cell_style,
    _Counter,
    _note,
    _rate,
    _total_style,
    load_scope,
)
from desktop.workbooks.export_figures import (
    _figures_sheet,
)
from desktop.workbooks.sheet_xml import RowWriter, save_workbook, take_prepared_cells


def export_workbook(db, out: str | Path, today: date, directive_id: int | None = None,
                    progress: Progress | None = None) -> Path:
    """Write the workbook to ``out`` (atomically). Returns the path written."""
    progress = progress or no_progress
    progress(0, 1, "Đang đọc dữ liệu…")

    def write(tmp: Path) -> None:
        wb = Workbook(write_only=True)
        styles = CellStyles(wb)
        # Created in the order they are shown; the summary is filled last, from the counts
        # added up while the matrix and the detail stream.
        sheets = [wb.create_sheet(name) for name in (SHEET_SUMMARY, SHEET_MATRIX, SHEET_DETAIL, SHEET_FIGURES)]
        for ws in sheets:
            take_prepared_cells(ws)
        summary_ws, matrix_ws, detail_ws, figures_ws = sheets
        with db.session("xuất Excel") as session:
            scope = load_scope(session, today, directive_id)
            counter = _Counter(progress, scope.total_steps)
            lines = _task_lines(scope, stream_assignments(session, scope.directive_ids))
            per_unit, total = _matrix_and_detail_sheets(matrix_ws, detail_ws, styles, scope, lines, counter)
            _summary_sheet(summary_ws, styles, scope, per_unit, total, counter)
            _figures_sheet(figures_ws, styles, scope, session, counter)
        wb.properties.title = "Tổng hợp kết quả thực hiện nhiệm vụ"
        wb.properties.creator = scope.settings.agency_name
        wb.properties.language = "vi-VN"
        progress(counter.total, counter.total, "Đang ghi tệp…")
        save_workbook(wb, tmp)

    return atomic_write(out, write)


# ---------------------------------------------------------------- Tổng hợp

SUMMARY_COLUMNS = [  # narrow enough to print on one A4 width at 9 pt or more
    Column("STT", 6, "td_center"),
    Column("Đơn vị", 40, "td"),
    Column("Số lượt nhiệm vụ được giao", 10, "td_int"),
    Column("Đã đến hạn", 10, "td_int"),
    Column("Hoàn thành đúng hạn", 10, "td_int"),
    Column("Hoàn thành quá hạn", 10, "td_int"),
    Column("Quá hạn chưa hoàn thành", 10, "td_int"),
    Column("Đang thực hiện trong hạn", 10, "td_int"),
    Column("Không có hạn (thường xuyên)", 10, "td_int"),
    Column("Đã báo cáo, chờ duyệt", 10, "td_int"),
    Column("Tạm dừng, hủy", 10, "td_int"),
    Column("Tỷ lệ đúng hạn (%)", 10, "td_rate"),
    Column("Tỷ lệ quá hạn (%)", 10, "td_rate"),
    Column("Tỷ lệ chưa hoàn thành (%)", 10, "td_rate"),
]


def summary_values(s: Summary) -> list:
    return [s.assigned, s.due, s.on_time, s.late, s.overdue, s.in_progress, s.no_deadline, s.pending_review,
            s.excluded,
            _rate(s.on_time_rate), _rate(s.late_rate), _rate(s.not_done_rate)]


def _summary_sheet(ws, styles: CellStyles, scope: ExportScope, per_unit: dict[int, Summary], total: Summary,
                   counter: _Counter) -> None:
    columns = list(SUMMARY_COLUMNS)
    # at most 36 characters (longer names wrap): the table then fits one A4 width at 9 pt or more
    columns[1] = Column("Đơn vị", fit_width((scope.unit_name(u) for u in scope.unit_ids), 24, 36), "td")
    table_row = _begin_table(ws, styles, scope, "Tổng hợp kết quả thực hiện nhiệm vụ theo đơn vị", columns,
                             freeze_col=2, header_height=64)
    ws.append([styles.cell(ws, c.title, "th") for c in columns])
    ordered = [u for u in scope.unit_ids if u in per_unit]
    rows = RowWriter(ws, table_row + 1)
    for i, uid in enumerate(ordered, 1):
        values = [i, scope.unit_name(uid)] + summary_values(per_unit[uid])
        rows.append([styles.cell(ws, v, _cell_style(c.style, v)) for v, c in zip(values, columns)],
                    row_height([(values[1], columns[1].width)]))
        counter.step("Đang ghi trang Tổng hợp…")
    first_row, last_row = table_row + 1, table_row + len(ordered)
    values = ["", "Tổng cộng"] + summary_values(total)
    ws.append([styles.cell(ws, v, _total_style(c.style, v)) for v, c in
               zip(_summary_totals(values, columns, first_row, last_row), columns)])
    ws.auto_filter.ref = f"A{table_row}:{get_column_letter(len(columns))}{max(last_row, table_row + 1)}"
    ws.append([])
    _note(ws, styles, columns, "Ghi chú: Đã đến hạn = hoàn thành (đúng hạn hoặc quá hạn) và quá hạn chưa "
                               "hoàn thành; các tỷ lệ tính trên số đã đến hạn. Nhiệm vụ tạm dừng, hủy và báo cáo "
                               "chờ duyệt không tính vào tỷ lệ. Dòng Tổng cộng chỉ cộng các dòng đang hiện khi lọc.")
    _signatures(ws, styles, scope, len(columns))


# Each rate column: (its title, the title of the count it divides by the due count).
_RATE_OF = {"Tỷ lệ đúng hạn (%)": "Hoàn thành đúng hạn", "Tỷ lệ quá hạn (%)": "Hoàn thành quá hạn",
            "Tỷ lệ chưa hoàn thành (%)": "Quá hạn chưa hoàn thành"}
_DUE_TITLE = "Đã đến hạn"


def _summary_totals(values: list, columns: list[Column], first_row: int, last_row: int) -> list:
    """The «Tổng cộng» row: SUBTOTAL(109, …) over the unit rows for the counts, so a filter on the
    units gives the total of what is shown, and each rate from those totals; the values of the
    whole table are the formulas' cached results."""
    if last_row < first_row:
        return values
    total_row = last_row + 1
    letters = {c.title: get_column_letter(j) for j, c in enumerate(columns, 1)}
    out = list(values)
    for j, c in enumerate(columns):
        letter = get_column_letter(j + 1)
        if c.style == "td_int":
            out[j] = Formula(f"SUBTOTAL(109,{letter}{first_row}:{letter}{last_row})", values[j] or 0)
        elif c.style == "td_rate" and c.title in _RATE_OF and _DUE_TITLE in letters:
            due = f"{letters[_DUE_TITLE]}{total_row}"
            part = f"{letters[_RATE_OF[c.title]]}{total_row}"
            out[j] = Formula(f'IF({due}>0,{part}/{due},"")', "" if values[j] is None else values[j])
    return out


def _signatures(ws, styles: CellStyles, scope: ExportScope, ncols: int) -> None:
    """«Người lập biểu» on the left, «Thủ trưởng đơn vị» on the right, with the place and date
    line over the head's signature and room to sign."""
    split = max(2, ncols // 2)
    place = scope.settings.place_name
    when = f"{place}, ngày {scope.today.day:02d} tháng {scope.today.month:02d} năm {scope.today.year}"
    right = get_column_letter(split + 1)
    last = get_column_letter(ncols)
    ws.append([])
    lines = [(None, when, "sign_date"), SIGNATURE_TITLES, SIGNATURE_NOTES]
    settings = scope.settings
    names = (settings.officer_name, settings.signer_name)
    if any(names):  # room to sign, then the names as the settings give them
        lines += [(None, None, "")] * 3 + [(names[0], names[1], "sign_title")]
    for left_text, right_text, style in lines:
        if not style:
            ws.append([])
            continue
        values = [styles.cell(ws, left_text, style) if left_text else None] + [None] * (split - 1)
        values.append(styles.cell(ws, right_text, style) if right_text else None)
        ws.append(values)
        current = ws.rows_written
        ws.merged_cells.add(f"A{current}:{get_column_letter(split)}{current}")
        ws.merged_cells.add(f"{right}{current}:{last}{current}")


# ---------------------------------------------------------------- the streamed lines


class _Status(NamedTuple):
    """What ``Summary.add`` reads of a tracked assignment."""

    result: StatusResult

    @property
    def status(self) -> Status:
        return self.result.status


class TaskLine(NamedTuple):
    """The assignments of one task and period, units in tree order, each with its status."""

    task: TaskInfo
    period: str
    assignments: list[tuple[AssignmentLine, StatusResult]]


def _task_lines(scope: ExportScope, rows: Iterable[AssignmentLine]) -> Iterator[TaskLine]:
    """Group the streamed assignments (already in task, period order) into lines; only one line
    is held at a time."""
    today, soon = scope.today, scope.settings.due_soon_days
    group: list[AssignmentLine] = []
    key = None

    def flush() -> TaskLine:
        group.sort(key=lambda r: scope.unit_rank(r.unit_id))
        task = scope.tasks.get(group[0].task_id) or TaskInfo(group[0].task_id, 0, "", "")
        return TaskLine(task, group[0].period, [
            (r, compute_status(r.state, r.effective_due, r.completed_on, today, soon, r.report_received_on))
            for r in group])

    for row in rows:
        k = (row.task_id, row.period)
        if k != key and group:
            yield flush()
            group = []
        key = k
        group.append(row)
    if group:
        yield flush()


# ---------------------------------------------------------------- Ma trận

MATRIX_LEGEND = [Status.ON_TIME, Status.LATE, Status.PENDING_REVIEW, Status.IN_PROGRESS, Status.DUE_SOON, Status.OVERDUE,
                 Status.NO_DEADLINE, Status.PAUSED, Status.CANCELLED]


def matrix_mark(result: StatusResult) -> str:
    mark = STATUS_MARK.get(result.status.value, "")
    return f"{mark} {result.days_late}" if result.days_late else mark


MATRIX_FIXED = [Column("STT", 6, "td_center"), Column("Văn bản", 16, "td"), Column("Nhiệm vụ", 48, "td"),
                Column("Hạn", 11, "td_date")]


class _Matrix:
    """The matrix sheet, written one line at a time as the assignments stream."""

    def __init__(self, ws, styles: CellStyles, scope: ExportScope):
        self.ws, self.styles = ws, styles
        self.column = {uid: i for i, uid in enumerate(scope.unit_ids, len(MATRIX_FIXED))}
        columns = MATRIX_FIXED + [Column(scope.unit_short(u), 5.5, "td_center") for u in scope.unit_ids]
        self.width = len(columns)
        self.table_row = _begin_table(ws, styles, scope, "Ma trận tình hình thực hiện nhiệm vụ của các đơn vị",
                                      columns, freeze_col=len(MATRIX_FIXED), header_height=130)
        ws.append([styles.cell(ws, c.title, "th") for c in MATRIX_FIXED]
                  + [styles.cell(ws, c.title, "th_vertical") for c in columns[len(MATRIX_FIXED):]])
        self.rows = RowWriter(ws, self.table_row + 1)
        self.count = 0

    def add(self, line: TaskLine) -> None:
        styles = self.styles
        self.count += 1
        title = line.task.title + (f" ({period_text(line.period)})" if line.period else "")
        dues = [r.own_due for r, _ in line.assignments if r.own_due]
        values: list = [None] * self.width
        value = styles.value
        values[:4] = [value(self.count, "td_center"), value(line.task.directive_number, "td"),
                      value(title, "td"), value(min(dues) if dues else None, "td_date")]
        for r, result in line.assignments:
            values[self.column[r.unit_id]] = value(matrix_mark(result), f"status:{result.status.value}")
        self.rows.append_values(values, row_height([(line.task.directive_number, MATRIX_FIXED[1].width),
                                                    (title, MATRIX_FIXED[2].width)]))

    def finish(self) -> None:
        ws, styles = self.ws, self.styles
        last_row = self.table_row + self.count
        ws.auto_filter.ref = f"A{self.table_row}:{get_column_letter(self.width)}{max(last_row, self.table_row + 1)}"
        ws.append([])
        ws.append([None, styles.cell(ws, "Chú giải:", "bold")])
        for status in MATRIX_LEGEND:
            ws.append([None, styles.cell(ws, STATUS_MARK[status.value], f"status:{status.value}"),
                       styles.cell(ws, STATUS[status.value], "plain")])
        ws.append([None, styles.cell(ws, "Số sau ký hiệu là số ngày chậm so với hạn.", "note")])


# ---------------------------------------------------------------- Chi tiết

DETAIL_COLUMNS = [
    Column("STT", 7, "td_center"),
    Column("Văn bản", 16, "td"),
    Column("Nhiệm vụ", 45, "td"),
    Column("Kỳ báo cáo", 12, "td_center"),
    Column("Đơn vị", 28, "td"),
    Column("Vai trò", 10, "td_center"),
    Column("Hạn ban đầu", 12, "td_date"),
    Column("Hạn hiện tại", 12, "td_date"),
    Column("Ngày hoàn thành", 12, "td_date"),
    Column("Tình trạng", 22, "td_center"),
    Column("Số ngày chậm", 8, "td_int"),
    Column("Xử lý", 16, "td_center"),
    Column("Ngày nhận báo cáo", 12, "td_date"),
    Column("Số, ký hiệu báo cáo", 15, "td"),
    Column("Nội dung báo cáo gần nhất", 60, "td"),
]
_STATUS_COLUMN = 9


class _Detail:
    """The detail sheet, one row per assignment, written as the lines stream.

    Row heights follow :func:`row_height` over the wrapped columns; what is the same for the
    whole line (directive number, task title) and for a unit (its name) is measured once."""

    def __init__(self, ws, styles: CellStyles, scope: ExportScope):
        self.ws, self.styles, self.scope = ws, styles, scope
        self.table_row = _begin_table(ws, styles, scope, "Chi tiết tình hình thực hiện nhiệm vụ của từng đơn vị",
                                      DETAIL_COLUMNS, freeze_col=3, header_height=36)
        ws.append([styles.cell(ws, c.title, "th") for c in DETAIL_COLUMNS])
        self.rows = RowWriter(ws, self.table_row + 1)
        self.count = 0
        self.per_row = [j for j, c in enumerate(DETAIL_COLUMNS)
                        if (c.style == "td" or j == _STATUS_COLUMN) and j not in (1, 2, 4)]
        self.unit_lines: dict[int, int] = {}
        self.styles_of = [c.style for c in DETAIL_COLUMNS]
        self.as_text = [c.style == "td" for c in DETAIL_COLUMNS]

    def add_line(self, line: TaskLine) -> None:
        """Write every assignment of one line."""
        value, scope = self.styles.value, self.scope
        widths = [c.width for c in DETAIL_COLUMNS]
        line_lines = max(wrapped_lines(line.task.directive_number, widths[1]), wrapped_lines(line.task.title, widths[2]))
        period = period_text(line.period)
        kinds, as_text = self.styles_of, self.as_text
        for r, result in line.assignments:
            self.count += 1
            status = result.status.value
            values = [
                self.count, line.task.directive_number, line.task.title, period, scope.unit_name(r.unit_id),
                ROLE.get(r.role, r.role), r.own_due, r.effective_due, r.completed_on,
                status_text(status, result.days_late, result.days_left), result.days_late,
                STATE.get(r.state, r.state), r.report_received_on, r.report_doc_number or "",
                r.report_content or "",
            ]
            kinds[_STATUS_COLUMN] = f"status:{status}"
            cells = [value(v, kinds[j], as_text[j]) for j, v in enumerate(values)]
            lines = self.unit_lines.get(r.unit_id)
            if lines is None:
                lines = self.unit_lines[r.unit_id] = wrapped_lines(values[4], widths[4])
            lines = max(line_lines, lines, *(wrapped_lines(values[j], widths[j]) for j in self.per_row))
            self.rows.append_values(cells, height_for_lines(lines))

    def finish(self) -> None:
        last_row = self.table_row + self.count
        self.ws.auto_filter.ref = (f"A{self.table_row}:{get_column_letter(len(DETAIL_COLUMNS))}"
                                   f"{max(last_row, self.table_row + 1)}")


def _matrix_and_detail_sheets(matrix_ws, detail_ws, styles: CellStyles, scope: ExportScope,
                              lines: Iterable[TaskLine], counter: _Counter) -> tuple[dict[int, Summary], Summary]:
    """Stream the lines into both sheets; returns the per-unit and overall counts."""
    matrix = _Matrix(matrix_ws, styles, scope)
    detail = _Detail(detail_ws, styles, scope)
    per_unit: dict[int, Summary] = {}
    total = Summary()
    for line in lines:
        matrix.add(line)
        detail.add_line(line)
        for r, result in line.assignments:
            counted = _Status(result)
            total.add(counted)
            summary = per_unit.get(r.unit_id)
            if summary is None:
                summary = per_unit[r.unit_id] = Summary()
            summary.add(counted)
        counter.step("Đang ghi trang Ma trận và Chi tiết…", 1 + len(line.assignments))
    matrix.finish()
    detail.finish()
    return per_unit, total


def default_file_name(directive_number: str | None, today: date) -> str:
    """Vietnamese default name, with the directive's number when the export covers one directive."""
    import re

    stem = "Tổng hợp kết quả thực hiện nhiệm vụ"
    if directive_number:
        stem += " - " + re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", directive_number)
    return f"{stem} - {today:%d-%m-%Y}.xlsx"


__all__ = ["export_workbook", "load_scope", "ExportScope", "FIGURE_MATRIX_LIMIT", "SHEET_SUMMARY", "SHEET_MATRIX",
           "SHEET_DETAIL", "SHEET_FIGURES", "default_file_name"]
