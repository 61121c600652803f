"""The «Số liệu» sheet of the workbook for the level above: a table of units × indicators when the
scope asks for at most :data:`FIGURE_MATRIX_LIMIT` figures, otherwise a long list (one line per
indicator with its total, then one line per unit that reported a figure)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from desktop.tracking.figures import task_label
from desktop.workbooks.common import (
    CellStyles,
    Column,
    fit_width,
    height_for_lines,
    row_height,
    wrapped_lines,
)
from desktop.workbooks.data import (
    TaskInfo,
    figure_sums,
    stream_figure_sums,
    units_by_task,
)
from desktop.workbooks.export_base import (
    FIGURE_MATRIX_LIMIT,
    ExportScope,
    _begin_table,
    _Counter,
    _note,
    _number,
    _number_style,
    _subtotal,
)
from desktop.workbooks.sheet_xml import RowWriter

# ---------------------------------------------------------------- Số liệu

_FIGURES_TITLE = "Tổng hợp số liệu kết quả thực hiện theo đơn vị"


def _figures_sheet(ws, styles: CellStyles, scope: ExportScope, session, counter: _Counter) -> None:
    if len(scope.indicators) <= FIGURE_MATRIX_LIMIT:
        _figures_table(ws, styles, scope, session, counter)
    else:
        _figures_list(ws, styles, scope, session, counter)


def _figures_table(ws, styles: CellStyles, scope: ExportScope, session, counter: _Counter) -> None:
    """Units down, indicators across (grouped under their task): a few indicators only."""
    indicator_cols = scope.indicators
    tasks: list[int] = list(dict.fromkeys(i.task_id for i in indicator_cols))
    assigned = units_by_task(session, tasks)
    unit_ids = sorted({u for tid in tasks for u in assigned[tid]}, key=scope.unit_rank)
    columns = [Column("STT", 6, "td_center"),
               Column("Đơn vị", fit_width((scope.unit_name(u) for u in unit_ids), 24, 40), "td")]
    columns += [Column(ind.label, 14, "td_dec") for ind in indicator_cols]
    table_row = _begin_table(ws, styles, scope, _FIGURES_TITLE, columns, header_rows=2, freeze_col=2,
                             header_height=60)
    if not indicator_cols:
        ws.append([styles.cell(ws, "Các nhiệm vụ trong phạm vi này không yêu cầu số liệu.", "plain")])
        return
    sums = figure_sums(session, scope.directive_ids)
    # Two header rows: the task over its indicators, then each indicator with its measure.
    top = [styles.cell(ws, "STT", "th"), styles.cell(ws, "Đơn vị", "th")]
    col = 3
    top_height = 90.0
    for tid in tasks:
        n = sum(1 for i in indicator_cols if i.task_id == tid)
        task = scope.tasks.get(tid)
        number = task_label(scope.task_numbers.get(tid, 0))
        label = f"{number}: {task.title} ({task.directive_number})" if task else number
        # bold text over the merged width: a little wider per character than the body's
        top_height = max(top_height, row_height([(label, 14 * n / 1.15)]) or 0)
        top.append(styles.cell(ws, label, "th"))
        top.extend(styles.cell(ws, None, "th") for _ in range(n - 1))
        if n > 1:
            ws.merged_cells.add(f"{get_column_letter(col)}{table_row}:{get_column_letter(col + n - 1)}{table_row}")
        col += n
    ws.row_dimensions[table_row].height = top_height
    ws.append(top)
    ws.append([styles.cell(ws, None, "th"), styles.cell(ws, None, "th")]
              + [styles.cell(ws, ind.label, "th") for ind in indicator_cols])
    ws.merged_cells.add(f"A{table_row}:A{table_row + 1}")
    ws.merged_cells.add(f"B{table_row}:B{table_row + 1}")
    totals = [0.0] * len(indicator_cols)
    rows = RowWriter(ws, table_row + 2)
    for i, uid in enumerate(unit_ids, 1):
        name = scope.unit_name(uid)
        row = [styles.cell(ws, i, "td_center"), styles.cell(ws, name, "td")]
        for j, ind in enumerate(indicator_cols):
            if uid not in assigned[ind.task_id]:
                row.append(styles.cell(ws, "", "locked"))
                continue
            value = sums.get((ind.id, uid))
            if value is not None:
                totals[j] += value
            row.append(styles.cell(ws, _number(value), _number_style(value)))
        rows.append(row, row_height([(name, columns[1].width)]))
    counter.step("Đang ghi trang Số liệu…", len(indicator_cols))
    first_row, last_row = table_row + 2, table_row + 1 + len(unit_ids)
    ws.append([styles.cell(ws, "", "total"), styles.cell(ws, "Tổng cộng", "total")]
              + [styles.cell(ws, _subtotal(j + 3, first_row, last_row, v), _number_style(v, "total"))
                 for j, v in enumerate(totals)])
    ws.auto_filter.ref = f"A{table_row + 1}:{get_column_letter(len(columns))}{max(last_row, table_row + 2)}"
    ws.append([])
    _note(ws, styles, columns, "Ghi chú: số liệu lấy theo báo cáo đã được duyệt của mỗi đơn vị cho từng nhiệm vụ "
                               "(nhiệm vụ định kỳ cộng các kỳ), như báo cáo bằng văn bản; ô để trống là đơn vị chưa "
                               "có báo cáo được duyệt có số liệu; ô xám là đơn vị không được giao nhiệm vụ đó.")


FIGURE_LIST_COLUMNS = [
    Column("STT", 6, "td_center"),
    Column("Văn bản", 16, "td"),
    Column("Nhiệm vụ", 45, "td"),
    Column("Chỉ tiêu", 28, "td"),
    Column("Đơn vị tính", 10, "td_center"),
    Column("Đơn vị", 32, "td"),
    Column("Số liệu", 14, "td_dec"),
]


def _figures_list(ws, styles: CellStyles, scope: ExportScope, session, counter: _Counter) -> None:
    """One line per indicator (its total, in bold) followed by one line per unit that reported a
    figure for it. Every line names its task and indicator, so the sheet can be filtered by unit
    or by indicator; a unit without a figure has no line (the detail sheet shows why)."""
    columns = FIGURE_LIST_COLUMNS
    table_row = _begin_table(ws, styles, scope, _FIGURES_TITLE, columns, freeze_col=3, header_height=36)
    ws.append([styles.cell(ws, c.title, "th") for c in columns])
    widths = [c.width for c in columns]
    position = {ind.id: i for i, ind in enumerate(scope.indicators)}
    figures = stream_figure_sums(session, scope.directive_ids)
    pending = next(figures, None)
    rows = RowWriter(ws, table_row + 1)
    value = styles.value
    name_lines: dict[int, int] = {}
    for number, ind in enumerate(scope.indicators, 1):
        here = position[ind.id]
        while pending is not None and position.get(pending[0], -1) < here:
            pending = next(figures, None)  # a figure of an indicator outside the list
        values: list[tuple[int, float]] = []
        while pending is not None and pending[0] == ind.id:
            values.append((pending[1], pending[2]))
            pending = next(figures, None)
        values.sort(key=lambda v: scope.unit_rank(v[0]))
        task = scope.tasks.get(ind.task_id) or TaskInfo(ind.task_id, 0, "", "")
        texts = [(task.directive_number, widths[1]), (task.title, widths[2]), (ind.name, widths[3])]
        total_label = f"Tổng cộng ({len(values)}/{scope.assigned_units.get(ind.task_id, 0)} đơn vị có số liệu)"
        total = sum(v for _, v in values) if values else None
        total_row = rows.row + 1
        total_cell = (_subtotal(len(columns), total_row + 1, total_row + len(values), total) if values
                      else None)
        rows.append_values([value(number, "total_center"), value(task.directive_number, "total"),
                            value(task.title, "total"), value(ind.name, "total"),
                            value(ind.measure, "total_center"), value(total_label, "total"),
                            value(total_cell, _number_style(total, "total"))],
                           row_height(texts + [(total_label, widths[5])]))
        text_lines = max(wrapped_lines(t, w) for t, w in texts)
        for k, (uid, figure) in enumerate(values, 1):
            name = scope.unit_name(uid)
            lines = name_lines.get(uid)
            if lines is None:
                lines = name_lines[uid] = wrapped_lines(name, widths[5])
            rows.append_values([value(f"{number}.{k}", "td_center"), value(task.directive_number, "td"),
                                value(task.title, "td"), value(ind.name, "td"), value(ind.measure, "td_center"),
                                value(name, "td"), value(_number(figure), _number_style(figure))],
                               height_for_lines(max(text_lines, lines)))
        counter.step("Đang ghi trang Số liệu…")
    last_row = rows.row
    ws.auto_filter.ref = f"A{table_row}:{get_column_letter(len(columns))}{max(last_row, table_row + 1)}"
    ws.append([])
    _note(ws, styles, columns, "Ghi chú: mỗi chỉ tiêu có một dòng tổng cộng (in đậm) và một dòng cho mỗi đơn vị đã "
                               "báo cáo số liệu; số liệu lấy theo báo cáo đã được duyệt của đơn vị cho từng nhiệm vụ "
                               "(nhiệm vụ định kỳ cộng các kỳ), như báo cáo bằng văn bản. Đơn vị chưa có báo cáo được "
                               "duyệt có số liệu không có dòng (xem trang Chi tiết).")
