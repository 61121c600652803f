"""The workbook for the level above: Tổng hợp, Ma trận, Chi tiết, Số liệu.

Streamed with openpyxl's write-only mode (memory stays flat on 200,000 assignments); widths, frozen
panes and print titles are therefore set before the first row of each sheet. The counts come from
``desktop.tracking.stats``, the same code behind ``status --json``, so the numbers agree.

Threading: plain functions, no Qt; call from a worker thread with its own database session.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from db.queries import assignment_rows
from desktop.fileio import atomic_write
from desktop.labels import ROLE, STATE, STATUS, STATUS_MARK, fmt_date, status_text
from desktop.settings import Settings, load_settings
from desktop.tracking.stats import Summary, Tracked, by_unit, summarize, track
from desktop.tracking.status import Status
from desktop.workbooks.common import (
    CellStyles,
    Column,
    Progress,
    fit_width,
    no_progress,
    period_text,
    RowWriter,
    report_reference,
    row_height,
    set_widths,
    setup_print,
    take_prepared_cells,
    write_official_header,
)
from desktop.workbooks.data import (
    DirectiveInfo,
    IndicatorInfo,
    LatestReport,
    UnitInfo,
    directive_info,
    directive_order,
    figure_sums,
    indicators_by_task,
    latest_reports,
    units_in_order,
)

SHEET_SUMMARY = "Tổng hợp"
SHEET_MATRIX = "Ma trận"
SHEET_DETAIL = "Chi tiết"
SHEET_FIGURES = "Số liệu"

_PROGRESS_EVERY = 1000


@dataclass
class ExportData:
    """Everything the four sheets show, read in one transaction."""

    today: date
    settings: Settings
    directive: DirectiveInfo | None
    tracked: list[Tracked]
    units: dict[int, UnitInfo]
    latest: dict[int, LatestReport]
    indicators: dict[int, list[IndicatorInfo]]
    sums: dict[tuple[int, int], float]
    directive_rank: dict[int, tuple] = field(default_factory=dict)

    def task_key(self, t: Tracked) -> tuple:
        r = t.row
        return (self.directive_rank.get(r.directive_id, (date.min, 0)), r.task_order, r.task_id)

    def unit_key(self, unit_id: int) -> tuple:
        u = self.units.get(unit_id)
        return u.order if u else ((1 << 30, "", unit_id),)


def load_export_data(db, today: date, directive_id: int | None = None) -> ExportData:
    directive_ids = [directive_id] if directive_id is not None else None
    with db.session() as s:
        settings = load_settings(s)
        rows = assignment_rows(s, directive_ids=directive_ids)
        units = units_in_order(s)
        latest = latest_reports(s, directive_ids)
        task_ids = sorted({r.task_id for r in rows}) if directive_ids is not None else None
        indicators = indicators_by_task(s, task_ids)
        sums = figure_sums(s, directive_ids)
        rank = directive_order(s)
        info = directive_info(s, directive_id) if directive_id is not None else None
    tracked = track(rows, today, settings.due_soon_days)
    return ExportData(today, settings, info, tracked, units, latest, indicators, sums, rank)


def scope_line(data: ExportData) -> str:
    d = data.directive
    if d is None:
        return f"Tất cả văn bản chỉ đạo đang theo dõi; số liệu tính đến ngày {fmt_date(data.today)}"
    issued = f" ngày {fmt_date(d.issued_on)}" if d.issued_on else ""
    issuer = f" của {d.issuer}" if d.issuer else ""
    title = f" {d.title}" if d.title else ""
    return f"Thực hiện văn bản số {d.number}{issued}{issuer}{title}; số liệu tính đến ngày {fmt_date(data.today)}"


def export_workbook(db, out: str | Path, today: date, directive_id: int | None = None,
                    progress: Progress | None = None) -> Path:
    """Write the workbook to ``out`` (atomically). Returns the path written."""
    progress = progress or no_progress
    progress(0, 1, "Đang đọc dữ liệu…")
    data = load_export_data(db, today, directive_id)
    return write_workbook(data, out, progress)


def write_workbook(data: ExportData, out: str | Path, progress: Progress | None = None) -> Path:
    progress = progress or no_progress

    def write(tmp: Path) -> None:
        wb = Workbook(write_only=True)
        styles = CellStyles(wb)
        counter = _Counter(progress, _total_rows(data))
        _summary_sheet(wb, styles, data, counter)
        _matrix_sheet(wb, styles, data, counter)
        _detail_sheet(wb, styles, data, counter)
        _figures_sheet(wb, styles, data, counter)
        wb.properties.title = "Tổng hợp kết quả thực hiện nhiệm vụ"
        wb.properties.creator = data.settings.agency_name
        wb.properties.language = "vi-VN"
        progress(counter.total, counter.total, "Đang ghi tệp…")
        wb.save(tmp)

    return atomic_write(out, write)


class _Counter:
    def __init__(self, progress: Progress, total: int):
        self.progress, self.total, self.done = progress, max(total, 1), 0

    def step(self, message: str, n: int = 1) -> None:
        before = self.done // _PROGRESS_EVERY
        self.done += n
        if self.done // _PROGRESS_EVERY != before:
            self.progress(min(self.done, self.total), self.total, message)


def _total_rows(data: ExportData) -> int:
    units = len({t.row.unit_id for t in data.tracked})
    matrix = len({(t.row.task_id, t.row.period) for t in data.tracked})
    return units + matrix + len(data.tracked) + units


def _header_lines(data: ExportData) -> list[tuple[str, str]]:
    return [(report_reference(data.settings, data.today.year), "subtitle"), (scope_line(data), "subtitle")]


def _begin_table(ws, styles: CellStyles, data: ExportData, title: str, columns: list[Column],
                 header_rows: int = 1, freeze_col: int = 1, header_height: float | None = None) -> int:
    """Widths, frozen panes, print set-up (all before the first row), then the official header.

    Returns the row number of the table's first header row."""
    lines = _header_lines(data)
    table_row = 4 + len(lines) + 2  # header block (3 rows) + title + lines + blank
    set_widths(ws, columns)
    ws.freeze_panes = f"{get_column_letter(freeze_col + 1)}{table_row + header_rows}"
    setup_print(ws, table_row, header_rows)
    if header_height:
        ws.row_dimensions[table_row + header_rows - 1].height = header_height
    used = write_official_header(ws, styles, data.settings, len(columns), title, lines,
                                 total_width=sum(c.width for c in columns))
    assert used + 1 == table_row
    return table_row


def _rate(value: float | None):
    return value if value is not None else "—"


# ---------------------------------------------------------------- Tổng hợp

SUMMARY_COLUMNS = [
    Column("STT", 6, "td_center"),
    Column("Đơn vị", 40, "td"),
    Column("Số lượt nhiệm vụ được giao", 12, "td_int"),
    Column("Đã đến hạn", 10, "td_int"),
    Column("Hoàn thành đúng hạn", 12, "td_int"),
    Column("Hoàn thành quá hạn", 12, "td_int"),
    Column("Quá hạn chưa hoàn thành", 12, "td_int"),
    Column("Đang thực hiện trong hạn", 12, "td_int"),
    Column("Không có hạn (thường xuyên)", 12, "td_int"),
    Column("Tạm dừng, hủy", 10, "td_int"),
    Column("Tỷ lệ đúng hạn (%)", 11, "td_rate"),
    Column("Tỷ lệ quá hạn (%)", 11, "td_rate"),
    Column("Tỷ lệ chưa hoàn thành (%)", 12, "td_rate"),
]


def summary_values(s: Summary) -> list:
    return [s.assigned, s.due, s.on_time, s.late, s.overdue, s.in_progress, s.no_deadline, s.excluded,
            _rate(s.on_time_rate), _rate(s.late_rate), _rate(s.not_done_rate)]


def _summary_sheet(wb, styles: CellStyles, data: ExportData, counter: _Counter) -> None:
    ws = wb.create_sheet(SHEET_SUMMARY)
    take_prepared_cells(ws)
    columns = list(SUMMARY_COLUMNS)
    unit_names = [data.units[u].name for u in {t.row.unit_id for t in data.tracked} if u in data.units]
    columns[1] = Column("Đơn vị", fit_width(unit_names, 24, 45), "td")
    table_row = _begin_table(ws, styles, data, "Tổng hợp kết quả thực hiện nhiệm vụ theo đơn vị", columns,
                             freeze_col=2, header_height=48)
    ws.append([styles.cell(ws, c.title, "th") for c in columns])
    per_unit = by_unit(data.tracked)
    ordered = sorted(per_unit, key=data.unit_key)
    rows = RowWriter(ws, table_row + 1)
    for i, uid in enumerate(ordered, 1):
        unit = data.units.get(uid)
        values = [i, unit.name if unit else f"Đơn vị {uid}"] + summary_values(per_unit[uid])
        rows.append([styles.cell(ws, v, _cell_style(c.style, v)) for v, c in zip(values, columns)],
                    row_height([(values[1], columns[1].width)]))
        counter.step("Đang ghi trang Tổng hợp…")
    last_row = table_row + len(ordered)
    total = summarize(data.tracked)
    values = ["", "Tổng cộng"] + summary_values(total)
    ws.append([styles.cell(ws, v, _total_style(c.style, v)) for v, c in zip(values, columns)])
    ws.auto_filter.ref = f"A{table_row}:{get_column_letter(len(columns))}{max(last_row, table_row + 1)}"
    ws.append([])
    ws.append([styles.cell(ws, "Ghi chú: Đã đến hạn = hoàn thành (đúng hạn hoặc quá hạn) và quá hạn chưa "
                               "hoàn thành; các tỷ lệ tính trên số đã đến hạn. Nhiệm vụ tạm dừng, hủy không "
                               "tính vào tỷ lệ.", "note")])


def _cell_style(style: str, value) -> str:
    return "td_center" if isinstance(value, str) and style in ("td_int", "td_rate", "td_dec") else style


def _total_style(style: str, value) -> str:
    if isinstance(value, str) or style in ("td", "td_center"):
        return "total"
    return {"td_int": "total_int", "td_rate": "total_rate", "td_dec": "total_dec"}.get(style, "total")


# ---------------------------------------------------------------- Ma trận

MATRIX_LEGEND = [Status.ON_TIME, Status.LATE, Status.IN_PROGRESS, Status.DUE_SOON, Status.OVERDUE,
                 Status.NO_DEADLINE, Status.PAUSED, Status.CANCELLED]


def matrix_mark(t: Tracked) -> str:
    mark = STATUS_MARK.get(t.status.value, "")
    return f"{mark} {t.days_late}" if t.days_late else mark


def _matrix_sheet(wb, styles: CellStyles, data: ExportData, counter: _Counter) -> None:
    ws = wb.create_sheet(SHEET_MATRIX)
    take_prepared_cells(ws)
    unit_ids = sorted({t.row.unit_id for t in data.tracked}, key=data.unit_key)
    cells: dict[tuple, dict[int, Tracked]] = defaultdict(dict)
    first: dict[tuple, Tracked] = {}
    for t in data.tracked:
        key = (t.row.task_id, t.row.period)
        cells[key][t.row.unit_id] = t
        first.setdefault(key, t)
    keys = sorted(cells, key=lambda k: (data.task_key(first[k]), k[1]))
    fixed = [Column("STT", 6, "td_center"), Column("Văn bản", 16, "td"), Column("Nhiệm vụ", 48, "td"),
             Column("Hạn", 11, "td_date")]
    columns = fixed + [Column(_unit_short(data, u), 5.5, "td_center") for u in unit_ids]
    table_row = _begin_table(ws, styles, data, "Ma trận tình hình thực hiện nhiệm vụ của các đơn vị", columns,
                             freeze_col=len(fixed), header_height=130)
    ws.append([styles.cell(ws, c.title, "th") for c in fixed]
              + [styles.cell(ws, c.title, "th_vertical") for c in columns[len(fixed):]])
    rows = RowWriter(ws, table_row + 1)
    for i, key in enumerate(keys, 1):
        row0 = first[key].row
        title = row0.task_title + (f" ({period_text(row0.period)})" if row0.period else "")
        dues = [t.row.own_due for t in cells[key].values() if t.row.own_due]
        values = [styles.cell(ws, i, "td_center"), styles.cell(ws, row0.directive_number, "td"),
                  styles.cell(ws, title, "td"), styles.cell(ws, min(dues) if dues else None, "td_date")]
        for uid in unit_ids:
            t = cells[key].get(uid)
            values.append(styles.cell(ws, matrix_mark(t), f"status:{t.status.value}") if t else None)
        rows.append(values, row_height([(row0.directive_number, fixed[1].width), (title, fixed[2].width)]))
        counter.step("Đang ghi trang Ma trận…")
    last_row = table_row + len(keys)
    ws.auto_filter.ref = f"A{table_row}:{get_column_letter(len(columns))}{max(last_row, table_row + 1)}"
    ws.append([])
    ws.append([None, styles.cell(ws, "Chú giải:", "bold")])
    for status in MATRIX_LEGEND:
        ws.append([None, styles.cell(ws, STATUS_MARK[status.value], f"status:{status.value}"),
                   styles.cell(ws, STATUS[status.value], "plain")])
    ws.append([None, styles.cell(ws, "Số sau ký hiệu là số ngày chậm so với hạn.", "note")])


def _unit_short(data: ExportData, unit_id: int) -> str:
    u = data.units.get(unit_id)
    return u.short_name if u else str(unit_id)


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


def detail_row(data: ExportData, t: Tracked, index: int) -> list:
    r = t.row
    report = data.latest.get(r.assignment_id)
    return [
        index, r.directive_number, r.task_title, period_text(r.period), r.unit_name, ROLE.get(r.role, r.role),
        r.own_due, r.effective_due, r.completed_on, status_text(t.status.value, t.days_late, t.result.days_left),
        t.days_late, STATE.get(r.state, r.state),
        report.received_on if report else None, report.unit_doc_number if report else "",
        report.content if report else "",
    ]


def _detail_sheet(wb, styles: CellStyles, data: ExportData, counter: _Counter) -> None:
    ws = wb.create_sheet(SHEET_DETAIL)
    take_prepared_cells(ws)
    columns = DETAIL_COLUMNS
    table_row = _begin_table(ws, styles, data, "Chi tiết tình hình thực hiện nhiệm vụ của từng đơn vị", columns,
                             freeze_col=3, header_height=36)
    ws.append([styles.cell(ws, c.title, "th") for c in columns])
    ordered = sorted(data.tracked, key=lambda t: (data.task_key(t), t.row.period, data.unit_key(t.row.unit_id)))
    status_col = 9
    wrapped = [j for j, c in enumerate(columns) if c.style == "td" or j == status_col]
    rows = RowWriter(ws, table_row + 1)
    for i, t in enumerate(ordered, 1):
        values = detail_row(data, t, i)
        cells = []
        for j, (v, c) in enumerate(zip(values, columns)):
            style = f"status:{t.status.value}" if j == status_col else c.style
            cells.append(styles.cell(ws, v, style, text=c.style == "td"))
        rows.append(cells, row_height([(values[j], columns[j].width) for j in wrapped]))
        counter.step("Đang ghi trang Chi tiết…")
    last_row = table_row + len(ordered)
    ws.auto_filter.ref = f"A{table_row}:{get_column_letter(len(columns))}{max(last_row, table_row + 1)}"


# ---------------------------------------------------------------- Số liệu


def _figures_sheet(wb, styles: CellStyles, data: ExportData, counter: _Counter) -> None:
    ws = wb.create_sheet(SHEET_FIGURES)
    take_prepared_cells(ws)
    firsts: dict[int, Tracked] = {}
    units_by_task: dict[int, set[int]] = defaultdict(set)
    for t in data.tracked:
        firsts.setdefault(t.row.task_id, t)
        units_by_task[t.row.task_id].add(t.row.unit_id)
    tasks = sorted((tid for tid in firsts if any(i.numeric for i in data.indicators.get(tid, []))),
                   key=lambda tid: data.task_key(firsts[tid]))
    indicator_cols: list[tuple[int, IndicatorInfo]] = [
        (tid, ind) for tid in tasks for ind in data.indicators.get(tid, []) if ind.numeric]
    unit_ids = sorted({u for tid in tasks for u in units_by_task[tid]}, key=data.unit_key)
    unit_names = [data.units[u].name for u in unit_ids if u in data.units]
    columns = [Column("STT", 6, "td_center"), Column("Đơn vị", fit_width(unit_names, 24, 40), "td")]
    columns += [Column(ind.label, 14, "td_dec") for _, ind in indicator_cols]
    table_row = _begin_table(ws, styles, data, "Tổng hợp số liệu kết quả thực hiện theo đơn vị", columns,
                             header_rows=2, freeze_col=2, header_height=60)
    ws.row_dimensions[table_row].height = 90
    if not indicator_cols:
        ws.append([styles.cell(ws, "Các nhiệm vụ trong phạm vi này không yêu cầu số liệu.", "plain")])
        return
    # Two header rows: the task over its indicators, then each indicator with its measure.
    top = [styles.cell(ws, "STT", "th"), styles.cell(ws, "Đơn vị", "th")]
    col = 3
    task_number = {tid: n for n, tid in enumerate(tasks, 1)}
    for tid in tasks:
        n = sum(1 for t, _ in indicator_cols if t == tid)
        label = f"Nhiệm vụ {task_number[tid]}: {firsts[tid].row.task_title} ({firsts[tid].row.directive_number})"
        top.append(styles.cell(ws, label, "th"))
        top.extend(styles.cell(ws, None, "th") for _ in range(n - 1))
        if n > 1:
            ws.merged_cells.add(f"{get_column_letter(col)}{table_row}:{get_column_letter(col + n - 1)}{table_row}")
        col += n
    ws.append(top)
    second = [styles.cell(ws, None, "th"), styles.cell(ws, None, "th")]
    second += [styles.cell(ws, ind.label, "th") for _, ind in indicator_cols]
    ws.append(second)
    ws.merged_cells.add(f"A{table_row}:A{table_row + 1}")
    ws.merged_cells.add(f"B{table_row}:B{table_row + 1}")
    totals = [0.0] * len(indicator_cols)
    rows = RowWriter(ws, table_row + 2)
    for i, uid in enumerate(unit_ids, 1):
        unit = data.units.get(uid)
        row = [styles.cell(ws, i, "td_center"), styles.cell(ws, unit.name if unit else str(uid), "td")]
        for j, (tid, ind) in enumerate(indicator_cols):
            if uid not in units_by_task[tid]:
                row.append(styles.cell(ws, "", "locked"))
                continue
            value = data.sums.get((ind.id, uid))
            if value is not None:
                totals[j] += value
            row.append(styles.cell(ws, _number(value), "td_dec"))
        rows.append(row, row_height([(unit.name if unit else "", columns[1].width)]))
        counter.step("Đang ghi trang Số liệu…")
    ws.append([styles.cell(ws, "", "total"), styles.cell(ws, "Tổng cộng", "total")]
              + [styles.cell(ws, _number(v), "total_dec") for v in totals])
    last_row = table_row + 1 + len(unit_ids)
    ws.auto_filter.ref = f"A{table_row + 1}:{get_column_letter(len(columns))}{max(last_row, table_row + 2)}"
    ws.append([])
    ws.append([styles.cell(ws, "Ghi chú: số liệu lấy theo báo cáo gần nhất của mỗi đơn vị cho từng nhiệm vụ "
                               "(nhiệm vụ định kỳ cộng các kỳ); ô để trống là đơn vị chưa báo cáo số liệu; ô xám là "
                               "đơn vị không được giao nhiệm vụ đó.", "note")])


def _number(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def default_file_name(directive_number: str | None, today: date) -> str:
    """Vietnamese default name, with the directive's number when the export covers one directive."""
    import re

    stem = "Tổng hợp kết quả thực hiện nhiệm vụ"
    if directive_number:
        stem += " - " + re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", directive_number)
    return f"{stem} - {today:%d-%m-%Y}.xlsx"


__all__ = ["export_workbook", "load_export_data", "write_workbook", "ExportData", "SHEET_SUMMARY", "SHEET_MATRIX",
           "SHEET_DETAIL", "SHEET_FIGURES", "default_file_name"]
