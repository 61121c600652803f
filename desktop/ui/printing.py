"""Ctrl+P: what is on screen, on A4 paper, through Qt's print preview.

Three printouts: the task list as filtered, the task × unit grid of a directive, and a unit's
whole history («Phiếu theo dõi của đơn vị», every task of one ward to hand to its officer). Each
is a :class:`Printout` (plain strings: heading, tables) laid out as a ``QTextDocument``; the
document is cut into pages by Qt, which repeats each table's header row (``<thead>``) on every
page; the page number «Trang i/n» is painted under each page.

Tests monkeypatch :func:`exec_dialog` (a modal preview would block) and print with
:func:`print_to_pdf`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QAction, QFont, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from desktop.tracking import labels
from desktop.tracking.board import GridData
from desktop.tracking.stats import Tracked
from desktop.ui import common

FONT_FAMILY = "Times New Roman"  # Liberation Serif stands in on Linux (same metrics)
FONT_POINTS = 11
MARGINS_MM = QMarginsF(15, 12, 12, 12)  # left a little wider: the sheets are stapled or filed
GRID_UNITS_PER_TABLE = 12  # unit columns per table on landscape A4: wider grids continue below


@dataclass(frozen=True)
class PrintTable:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[int] = ()  # percent of the page width, per column
    caption: str = ""
    centred: frozenset[int] = frozenset()  # columns written centred (dates, counts, marks)


@dataclass(frozen=True)
class Printout:
    """What to print: the agency line, a title, a line saying what is shown, tables, a note."""

    title: str
    subtitle: str = ""
    agency: str = ""
    tables: Sequence[PrintTable] = ()
    note: str = ""
    landscape: bool = False
    printed_on: date | None = None
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ building the printouts


def task_list(rows: Sequence[Sequence[str]], columns: Sequence[str], scope_text: str, agency: str,
              today: date) -> Printout:
    """The task list as the table shows it (its filter and its sort order)."""
    widths = {"Số văn bản": 11, "Nhiệm vụ": 31, "Bắt đầu": 8, "Hạn": 8, "Chủ trì": 12, "Tiến độ": 6,
              "Trạng thái": 14, "Trễ (ngày)": 6}
    table = PrintTable(
        columns=["STT", *columns],
        rows=[[str(i), *row] for i, row in enumerate(rows, 1)],
        widths=[4, *(widths.get(c, 10) for c in columns)],
        centred=frozenset({0} | {i + 1 for i, c in enumerate(columns)
                                 if c in ("Bắt đầu", "Hạn", "Tiến độ", "Trễ (ngày)")}),
    )
    return Printout("DANH SÁCH NHIỆM VỤ", scope_text, agency, [table],
                    note=f"Tổng số: {labels.fmt_int(len(rows))} nhiệm vụ.", landscape=True, printed_on=today)


def grid(data: GridData, agency: str, today: date, row_titles: Sequence[str] | None = None) -> Printout:
    """The task × unit grid: one table per block of units (a district's 60 units do not fit one
    A4 width), each repeating the task column; the marks explained under the tables."""
    titles = list(row_titles) if row_titles is not None else [
        f"{r.task_order}. {r.title}" + (f" ({labels.fmt_period(r.period)})" if r.period else "") for r in data.rows]
    tables = []
    columns = data.columns
    for start in range(0, max(len(columns), 1), GRID_UNITS_PER_TABLE):
        block = list(range(start, min(start + GRID_UNITS_PER_TABLE, len(columns))))
        rows = []
        for r, title in enumerate(titles):
            cells = []
            for c in block:
                t = data.cells.get((r, c))
                cells.append(labels.STATUS_MARK.get(t.status.value, "") if t is not None else "")
            rows.append([title, *cells])
        unit_width = 5 if block else 0
        caption = ""
        if len(columns) > GRID_UNITS_PER_TABLE:
            caption = f"Đơn vị {start + 1}–{block[-1] + 1 if block else start} / {len(columns)}"
        tables.append(PrintTable(
            columns=["Nhiệm vụ", *(columns[c].short_name or columns[c].name for c in block)],
            rows=rows, widths=[100 - unit_width * len(block), *([unit_width] * len(block))],
            caption=caption, centred=frozenset(range(1, len(block) + 1))))
    legend = "; ".join(f"{labels.STATUS_MARK[s]} {labels.STATUS[s]}" for s in labels.STATUS_MARK)
    summary = data.summary()
    note = (f"{len(data.rows)} nhiệm vụ × {labels.fmt_int(len(columns))} đơn vị. Đúng hạn "
            f"{labels.fmt_int(summary.on_time)}, quá hạn đã xong {labels.fmt_int(summary.late)}, quá hạn chưa xong "
            f"{labels.fmt_int(summary.overdue)}. Ký hiệu: {legend}.")
    subtitle = f"Văn bản {data.directive_number}" + (f": {data.directive_title}" if data.directive_title else "")
    return Printout("BẢNG TỔNG HỢP NHIỆM VỤ THEO ĐƠN VỊ", subtitle, agency, tables, note=note, landscape=True,
                    printed_on=today)


def unit_history(unit_name: str, tracked: Sequence[Tracked], agency: str, today: date) -> Printout:
    """«Phiếu theo dõi của đơn vị»: every task given to one unit, by deadline, with its status."""
    ordered = sorted(tracked, key=lambda t: (t.row.effective_due is None, t.row.effective_due or date.min,
                                             t.row.directive_number, t.row.task_order, t.row.period))
    rows = []
    for i, t in enumerate(ordered, 1):
        r = t.row
        period = labels.fmt_period(r.period)
        due = labels.fmt_date(r.effective_due) if r.effective_due else "Thường xuyên"
        if r.extended:
            due += " (gia hạn)"
        rows.append([str(i), r.directive_number, r.task_title + (f" ({period})" if period else ""),
                     labels.ROLE.get(r.role, r.role), due, labels.fmt_date(r.completed_on),
                     labels.status_text(t.status.value, t.result.days_late, t.result.days_left)])
    table = PrintTable(["STT", "Văn bản", "Nhiệm vụ", "Vai trò", "Hạn", "Hoàn thành", "Trạng thái"], rows,
                       [6, 12, 33, 9, 12, 12, 16], centred=frozenset({0, 3, 4, 5}))
    counts: dict[str, int] = {}
    for t in tracked:
        counts[t.status.value] = counts.get(t.status.value, 0) + 1
    parts = [f"{labels.STATUS[s]}: {labels.fmt_int(n)}" for s, n in counts.items() if n]
    note = f"Tổng số: {labels.fmt_int(len(tracked))} lượt nhiệm vụ" + (f" ({'; '.join(parts)})." if parts else ".")
    return Printout("PHIẾU THEO DÕI CỦA ĐƠN VỊ", unit_name, agency, [table], note=note, printed_on=today)


# ------------------------------------------------------------------ layout and painting


def to_html(printout: Printout) -> str:
    esc = html.escape
    parts = []
    if printout.agency:
        parts.append(f'<p style="margin:0"><b>{esc(printout.agency)}</b></p>')
    parts.append(f'<p align="center" style="font-size:14pt; margin-top:8px; margin-bottom:2px">'
                 f'<b>{esc(printout.title)}</b></p>')
    if printout.subtitle:
        parts.append(f'<p align="center" style="margin-top:0"><i>{esc(printout.subtitle)}</i></p>')
    if printout.printed_on and "tính đến ngày" not in printout.subtitle:  # the window's scope line says it
        parts.append(f'<p align="center" style="margin-top:0">Tính đến ngày {labels.fmt_date(printout.printed_on)}'
                     f'</p>')
    for table in printout.tables:
        if table.caption:
            parts.append(f'<p style="margin-top:6px"><b>{esc(table.caption)}</b></p>')
        parts.append('<table width="100%" border="1" cellspacing="0" cellpadding="3" '
                     'style="border-collapse:collapse; border-color:#000; font-size:10pt">')
        parts.append("<thead><tr>")
        for i, column in enumerate(table.columns):
            width = f' width="{table.widths[i]}%"' if i < len(table.widths) else ""
            parts.append(f'<th{width} bgcolor="#E8E8E8" align="center" style="font-size:9.5pt">{esc(column)}</th>')
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            parts.append("<tr>")
            for i, cell in enumerate(row):
                align = ' align="center"' if i in table.centred else ""
                parts.append(f"<td{align}>{esc(cell)}</td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
    if printout.note:
        parts.append(f'<p style="margin-top:6px">{esc(printout.note)}</p>')
    return "".join(parts)


def set_up_printer(printer: QPrinter, printout: Printout) -> None:
    """A4, portrait or landscape, with the margins of an office printout."""
    orientation = QPageLayout.Orientation.Landscape if printout.landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, MARGINS_MM,
                                      QPageLayout.Unit.Millimeter))
    printer.setDocName(printout.title.capitalize())


def render(printer: QPrinter, printout: Printout) -> int:
    """Paint ``printout`` on ``printer`` page by page; returns the number of pages."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(printer)
    document.setDefaultFont(QFont(FONT_FAMILY, FONT_POINTS))
    document.setHtml(to_html(printout))
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    footer_font = QFont(FONT_FAMILY, FONT_POINTS - 1)
    footer = printer.resolution() * 0.3  # 0.3 inch under the text for «Trang i/n»
    body = QSizeF(page.width(), page.height() - footer)
    document.setPageSize(body)
    count = document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for number in range(count):
            if number:
                printer.newPage()
            painter.save()
            painter.translate(0, -number * body.height())
            document.drawContents(painter, QRectF(0, number * body.height(), body.width(), body.height()))
            painter.restore()
            painter.setFont(footer_font)
            painter.drawText(QRectF(0, body.height(), body.width(), footer),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                             f"Trang {number + 1}/{count}")
    finally:
        painter.end()
    return count


def print_to_pdf(printout: Printout, path: str | Path) -> int:
    """Write ``printout`` as a PDF (Qt's own PDF output); returns the number of pages."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    set_up_printer(printer, printout)
    return render(printer, printout)


# Qt ships no Vietnamese translation: the preview's toolbar, by its English texts.
PREVIEW_ACTIONS = {
    "Next page": "Trang sau", "Previous page": "Trang trước", "First page": "Trang đầu", "Last page": "Trang cuối",
    "Fit width": "Vừa chiều rộng", "Fit page": "Vừa trang", "Zoom in": "Phóng to", "Zoom out": "Thu nhỏ",
    "Portrait": "Khổ dọc", "Landscape": "Khổ ngang", "Show single page": "Xem từng trang",
    "Show facing pages": "Xem hai trang", "Show overview of all pages": "Xem mọi trang", "Print": "In…",
    "Page setup": "Thiết lập trang",
}


def translate_preview(dialog: QPrintPreviewDialog) -> None:
    for action in dialog.findChildren(QAction):
        text = PREVIEW_ACTIONS.get(action.text())
        if text:
            action.setText(text)
            action.setToolTip(text)


def exec_dialog(dialog: QDialog) -> int:
    """Run a modal dialog (tests replace this)."""
    return dialog.exec()


def preview(parent: QWidget | None, printout: Printout) -> QPrintPreviewDialog:
    """The print preview of ``printout``; «In» in it prints on the printer the officer chooses."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    set_up_printer(printer, printout)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Xem trước khi in — {printout.title.capitalize()}")
    dialog.paintRequested.connect(lambda target: render(target, printout))
    translate_preview(dialog)
    common.fit_to_screen(dialog, 1100, 760)
    dialog.printout = printout  # what is previewed (for tests and for the window's status line)
    exec_dialog(dialog)
    return dialog


__all__ = ["PrintTable", "Printout", "exec_dialog", "grid", "preview", "print_to_pdf", "render", "task_list",
           "to_html", "unit_history"]
