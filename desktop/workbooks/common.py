"""Shared pieces of every workbook we write: cell styles, safe text, the official header, print set-up.

Works for both write-only (streamed) and normal worksheets. A style is built once per workbook as a
prototype cell; every later cell copies the prototype's style ids, which is what keeps a 200,000-row
export fast. Every piece of user text goes through :func:`clean_text` and is stored with
``data_type = "s"`` so that "=HYPERLINK(...)" typed by someone stays plain text, never a formula.
Rows of prepared cells are written as XML text by :mod:`desktop.workbooks.sheet_xml`.
"""

from __future__ import annotations

import math
import unicodedata
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook import Workbook

from desktop.services.settings import Settings
from desktop.tracking.labels import STATUS_FILL, fmt_period

FONT_NAME = "Times New Roman"
EXCEL_CELL_LIMIT = 32767
DATE_FORMAT = "DD/MM/YYYY"
# Whole numbers never get "#,##0.##": Microsoft Excel shows 197 as "197." with it.
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
# Rates are stored as fractions (0.667) and shown as percentages; no rate is an empty cell.
RATE_FORMAT = "0.0%"
# The smallest printed font size we accept (issue 14: nothing printed under 9 pt).
MIN_PRINTED_PT = 9.0

# progress(done, total, message): called now and then during long work; never from Qt code here.
Progress = Callable[[int, int, str], None]


def no_progress(_done: int, _total: int, _message: str) -> None:
    return None


def clean_text(value: object) -> str:
    """Text fit for a cell: NFC, without XML-illegal control characters, within Excel's cell limit."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:EXCEL_CELL_LIMIT]


# Text Excel would turn into a formula when the cell is edited (F2, Enter), or that starts with a
# control character: such cells get quotePrefix so they stay text.
_FORMULA_LEAD = frozenset("=+-@")


def needs_quote(text: str) -> bool:
    """True when a text cell must keep Excel's quote prefix to stay text after an edit."""
    if not text:
        return False
    first = text[0]
    return first in _FORMULA_LEAD or first < " "


class Formula(str):
    """A formula (without the leading "=") with the value Excel would compute, written as the
    cell's cached value so that readers that do not calculate (viewers, ``data_only``) see it."""

    cached: object

    def __new__(cls, text: str, cached: object = None):
        obj = super().__new__(cls, text)
        obj.cached = cached
        return obj


def text_width(text: str) -> float:
    """Rough column width for a piece of text (Vietnamese marks hardly widen the glyphs)."""
    longest = max((len(line) for line in str(text).splitlines()), default=0)
    return longest * 1.1 + 2


def fit_width(texts: Iterable[str], minimum: float = 6, maximum: float = 50) -> float:
    width = minimum
    for t in texts:
        width = max(width, text_width(t))
        if width >= maximum:
            return maximum
    return round(width, 1)


_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_FILL = PatternFill("solid", fgColor="FFF9C4")  # pale yellow: "type here"
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
PROBLEM_FILL = PatternFill("solid", fgColor="FF8A80")


def _font(size: float = 12, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color)


def fill_for(hex_colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=hex_colour.lstrip("#").upper())


CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="top")
UNLOCKED = Protection(locked=False)

# name -> (font, fill, border, alignment, number_format, protection)
_STYLE_SPECS: dict[str, dict] = {
    "parent_agency": dict(font=_font(12), alignment=Alignment(horizontal="center", vertical="center")),
    "agency": dict(font=_font(12, bold=True), alignment=Alignment(horizontal="center", vertical="center")),
    "national": dict(font=_font(12, bold=True), alignment=Alignment(horizontal="center", vertical="center")),
    "motto": dict(font=_font(13, bold=True), alignment=Alignment(horizontal="center", vertical="center")),
    "title": dict(font=_font(14, bold=True), alignment=Alignment(horizontal="center", vertical="center",
                                                                   wrap_text=True)),
    "subtitle": dict(font=_font(13, italic=True), alignment=Alignment(horizontal="center", vertical="center",
                                                                        wrap_text=True)),
    "note": dict(font=_font(11, italic=True), alignment=Alignment(horizontal="left", vertical="top")),
    "note_wrap": dict(font=_font(11, italic=True), alignment=Alignment(horizontal="left", vertical="top",
                                                                      wrap_text=True)),
    "plain": dict(font=_font(12), alignment=Alignment(horizontal="left", vertical="top")),
    "bold": dict(font=_font(12, bold=True), alignment=Alignment(horizontal="left", vertical="top")),
    "bold_center": dict(font=_font(13, bold=True), alignment=Alignment(horizontal="center", vertical="center",
                                                                         wrap_text=True)),
    "th": dict(font=_font(11, bold=True), fill=HEADER_FILL, border=BORDER, alignment=CENTER),
    "th_vertical": dict(font=_font(11, bold=True), fill=HEADER_FILL, border=BORDER,
                        alignment=Alignment(horizontal="center", vertical="bottom", text_rotation=90,
                                            wrap_text=True)),
    "td": dict(font=_font(11), border=BORDER, alignment=LEFT),
    "td_center": dict(font=_font(11), border=BORDER, alignment=Alignment(horizontal="center", vertical="top",
                                                                          wrap_text=True)),
    "td_int": dict(font=_font(11), border=BORDER, alignment=RIGHT, number_format=INT_FORMAT),
    "td_dec": dict(font=_font(11), border=BORDER, alignment=RIGHT, number_format=DECIMAL_FORMAT),
    "td_rate": dict(font=_font(11), border=BORDER, alignment=RIGHT, number_format=RATE_FORMAT),
    "td_date": dict(font=_font(11), border=BORDER, alignment=Alignment(horizontal="center", vertical="top"),
                    number_format=DATE_FORMAT),
    "total": dict(font=_font(11, bold=True), fill=TOTAL_FILL, border=BORDER, alignment=LEFT),
    "total_center": dict(font=_font(11, bold=True), fill=TOTAL_FILL, border=BORDER,
                         alignment=Alignment(horizontal="center", vertical="top", wrap_text=True)),
    "total_int": dict(font=_font(11, bold=True), fill=TOTAL_FILL, border=BORDER, alignment=RIGHT,
                      number_format=INT_FORMAT),
    "total_dec": dict(font=_font(11, bold=True), fill=TOTAL_FILL, border=BORDER, alignment=RIGHT,
                      number_format=DECIMAL_FORMAT),
    "total_rate": dict(font=_font(11, bold=True), fill=TOTAL_FILL, border=BORDER, alignment=RIGHT,
                       number_format=RATE_FORMAT),
    # Unit templates: input cells are unlocked and pale yellow; the rest is locked.
    "locked": dict(font=_font(11), fill=LOCKED_FILL, border=BORDER, alignment=LEFT),
    "locked_center": dict(font=_font(11), fill=LOCKED_FILL, border=BORDER,
                          alignment=Alignment(horizontal="center", vertical="top", wrap_text=True)),
    "locked_date": dict(font=_font(11), fill=LOCKED_FILL, border=BORDER,
                        alignment=Alignment(horizontal="center", vertical="top"), number_format=DATE_FORMAT),
    "input": dict(font=_font(11), fill=INPUT_FILL, border=BORDER, alignment=LEFT, protection=UNLOCKED),
    "input_center": dict(font=_font(11), fill=INPUT_FILL, border=BORDER,
                         alignment=Alignment(horizontal="center", vertical="top", wrap_text=True),
                         protection=UNLOCKED),
    "input_date": dict(font=_font(11), fill=INPUT_FILL, border=BORDER,
                       alignment=Alignment(horizontal="center", vertical="top"), number_format=DATE_FORMAT,
                       protection=UNLOCKED),
    "input_int": dict(font=_font(11), fill=INPUT_FILL, border=BORDER, alignment=RIGHT,
                      number_format=INT_FORMAT, protection=UNLOCKED),
    "input_num": dict(font=_font(11), fill=INPUT_FILL, border=BORDER, alignment=RIGHT,
                      number_format=DECIMAL_FORMAT, protection=UNLOCKED),
    "sign_date": dict(font=_font(12, italic=True), alignment=Alignment(horizontal="center", vertical="center")),
    "sign_title": dict(font=_font(12, bold=True), alignment=Alignment(horizontal="center", vertical="center")),
    "sign_note": dict(font=_font(11, italic=True), alignment=Alignment(horizontal="center", vertical="top")),
    # a name the unit types under its signature (the unit form): yellow like every input, no border
    "sign_name": dict(font=_font(12, bold=True), fill=INPUT_FILL, alignment=Alignment(horizontal="center",
                      vertical="center"), protection=UNLOCKED),
    "instruction": dict(font=_font(11), alignment=Alignment(horizontal="left", vertical="top", wrap_text=True)),
    "instruction_bold": dict(font=_font(11, bold=True), alignment=Alignment(horizontal="left", vertical="top")),
}
for _code, _hex in STATUS_FILL.items():
    _STYLE_SPECS[f"status:{_code}"] = dict(font=_font(11), fill=fill_for(_hex), border=BORDER,
                                           alignment=Alignment(horizontal="center", vertical="center",
                                                               wrap_text=True))
    _STYLE_SPECS[f"status_left:{_code}"] = dict(font=_font(11), fill=fill_for(_hex), border=BORDER,
                                                alignment=LEFT)


class PreparedCell(Cell):
    """A styled cell ready for openpyxl's writer: its value already typed and its style id looked
    up once per workbook and style, not per cell.

    openpyxl spends most of a write-only export outside the XML itself: per cell it builds a
    ``Cell``, infers the type again (``_bind_value``, ``check_string``), copies and hashes the
    style array and looks it up in the workbook's style table (``style_id``). At 3 million cells
    that is more than the writing. The writer only reads ``_value``, ``data_type``, ``_comment``,
    ``hyperlink``, ``coordinate``, ``has_style`` and ``style_id``; this class answers the last two
    from what it was given. Relies on openpyxl 3.1's cell writer (the dependency is pinned below
    3.2); the tests read every sheet back."""

    __slots__ = ("_style_id",)

    @property
    def style_id(self) -> int:
        return self._style_id

    @property
    def has_style(self) -> bool:
        return True


def _typed(value: object, text: bool | None, cleaned_texts: dict[str, str]) -> tuple[object, str]:
    """(value, openpyxl data type) as :func:`put` stores it."""
    if value is None or value == "":
        return None, "n"
    if type(value) is Formula:
        return value, "f"
    if text or isinstance(value, str):
        cleaned = cleaned_texts.get(value) if type(value) is str else None
        if cleaned is None:
            cleaned = clean_text(value)
            if type(value) is str and len(value) <= CACHED_TEXT and len(cleaned_texts) < _CACHED_TEXTS:
                cleaned_texts[value] = cleaned
        return (cleaned, "s") if cleaned else (None, "n")
    kind = type(value)
    if kind is int:
        return value, "n"
    if kind is float:
        return (value, "n") if math.isfinite(value) else (None, "n")
    if kind is date:
        return value, "d"
    if kind is datetime:
        return value.replace(tzinfo=None), "d"
    return _UNTYPED, "n"


_UNTYPED = object()
# Texts repeated on many rows (task titles, unit names, labels) are cleaned once per workbook.
CACHED_TEXT = 400
_CACHED_TEXTS = 50_000


def use_default_font(workbook: Workbook) -> None:
    """Make Times New Roman 11, the font of every cell we write, the workbook's default (Normal)
    font, before any cell is styled. Column widths are counted in characters of the default font:
    with Calibri, a program without it (LibreOffice on a machine without Calibri or Carlito) draws
    every column wider and prints the sheet smaller than Excel would."""
    if len(workbook._fonts) != 1:
        return  # styles already registered: their font ids must not move
    font = _font(11)
    workbook._fonts = IndexedList([font])
    workbook._named_styles["Normal"].font = font


# The two signatures under a table (who made it, the head of the unit), as the Excel export and the
# unit form print them: (left, right, style) per line.
SIGNATURE_TITLES = ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "sign_title")
SIGNATURE_NOTES = ("(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên, đóng dấu)", "sign_note")


class CellStyles:
    """Style prototypes of one workbook; ``cell(ws, value, name)`` makes a styled cell cheaply."""

    def __init__(self, workbook: Workbook):
        use_default_font(workbook)
        self._workbook = workbook
        self._prototypes: dict[str, object] = {}
        self._ids: dict[str, tuple[StyleArray, int]] = {}
        self._cleaned: dict[str, str] = {}
        self._plain_ids: dict[str, int] = {}
        self._probe_sheet = None

    def _prototype(self, name: str):
        proto = self._prototypes.get(name)
        if proto is None:
            spec = _STYLE_SPECS[name]
            if self._probe_sheet is None:
                # A WriteOnlyCell only needs a parent that knows the workbook to register styles.
                self._probe_sheet = _Probe(self._workbook)
            cell = WriteOnlyCell(self._probe_sheet)
            for attr, value in spec.items():
                setattr(cell, attr, value)
            proto = cell._style  # the ids registered in this workbook's style tables
            self._prototypes[name] = proto
        return proto

    def _style_and_id(self, name: str, quote: bool = False) -> tuple[StyleArray, int]:
        key = (name, quote)
        found = self._ids.get(key)
        if found is None:
            proto = StyleArray(self._prototype(name))
            if quote:
                proto.quotePrefix = 1
            found = self._ids[key] = (proto, self._workbook._cell_styles.add(proto))
        return found

    def value(self, value: object, name: str = "td", text: bool | None = None) -> tuple:
        """``(data type, value, style id)`` for :meth:`RowWriter.append_values`: the cell
        :meth:`cell` makes, without the cell object (a 200,000-row sheet has millions)."""
        found = self._plain_ids.get(name)
        if found is None:
            found = self._plain_ids[name] = self._style_and_id(name)[1]
        typed, kind = _typed(value, text, self._cleaned)
        if typed is _UNTYPED:  # bool, Decimal, time...: openpyxl's own rules
            cell = self.cell(None, value, name)
            return cell.data_type, cell._value, cell._style_id
        if kind == "s" and needs_quote(typed):
            found = self._style_and_id(name, True)[1]
        return kind, typed, found

    def cell(self, ws, value: object, name: str = "td", text: bool | None = None) -> Cell:
        """A write-only cell; strings are always stored as text (never as a formula).

        The style array is shared by every cell of the same style: nothing may change it."""
        style, style_id = self._style_and_id(name)
        cell = PreparedCell.__new__(PreparedCell)
        cell.parent = ws
        cell._style = style
        cell._style_id = style_id
        cell.row = cell.column = 1  # as WriteOnlyCell; the sheet sets the real place
        cell._hyperlink = cell._comment = None
        cell._value, cell.data_type = _typed(value, text, self._cleaned)
        if cell._value is _UNTYPED:  # bool, Decimal, time...: openpyxl's own rules
            cell._value = None
            cell.value = value
        elif cell.data_type == "s" and needs_quote(cell._value):
            cell._style, cell._style_id = self._style_and_id(name, True)
        return cell

    def apply(self, cell, name: str) -> None:
        """Style a cell of a normal worksheet (text that Excel would read as a formula keeps its
        quote prefix)."""
        cell._style = StyleArray(self._prototype(name))
        if cell.data_type == "s" and isinstance(cell.value, str) and needs_quote(cell.value):
            cell._style.quotePrefix = 1

    def set(self, ws, row: int, column: int, value: object, name: str = "td", text: bool | None = None):
        """Write and style a cell of a normal worksheet."""
        cell = ws.cell(row=row, column=column)
        put(cell, value, text)
        self.apply(cell, name)
        return cell


class _Probe:
    def __init__(self, workbook: Workbook):
        self.parent = workbook


def put(cell, value: object, text: bool | None = None) -> None:
    """Store ``value``; strings (or anything when ``text``) become text cells, never formulas."""
    if value is None or value == "":
        cell.value = None
        return
    if text or isinstance(value, str):
        cell.value = clean_text(value) or None
        if cell.value is not None:
            cell.data_type = "s"
        return
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    if isinstance(value, float) and not math.isfinite(value):
        cell.value = None
        return
    cell.value = value


@dataclass
class Column:
    title: str
    width: float
    style: str = "td"


def header_block_split(ncols: int, widths: list[float] | None = None) -> int:
    """How many leading columns the agency block covers (about 40 % of the table's width: by the
    columns' widths when given, else by their count)."""
    if ncols <= 1:
        return 1
    if widths:
        widths = widths[:ncols]
        half, used = 0.42 * sum(widths), 0.0
        for count, width in enumerate(widths, 1):
            used += width
            if used >= half:
                return max(1, min(ncols - 1, count))
    return max(1, min(ncols - 1, round(ncols * 0.4)))


def report_reference(settings: Settings, year: int) -> str:
    """The line under an appendix title, the number and date left blank for the clerk."""
    return (f"(Kèm theo Báo cáo số       /{settings.report_symbol} ngày      tháng      năm {year} "
            f"của {settings.agency_name})")


def official_header_rows(settings: Settings, title: str, lines: list[tuple[str, str]],
                         agency: str | None = None) -> list[list[tuple]]:
    """The header rows as [(value, style)] for the first cells; merges are added by the writer.

    Row 1: parent agency | national title; row 2: agency (``agency`` when the document is another
    body's, e.g. a unit's report form) | motto; blank; title; the extra lines.
    """
    rows: list[list[tuple]] = [
        [(settings.parent_agency.upper(), "parent_agency"), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "national")],
        [(agency or settings.agency.upper(), "agency"), ("Độc lập - Tự do - Hạnh phúc", "motto")],
        [],
        [(title.upper(), "title")],
    ]
    for text, style in lines:
        rows.append([(text, style)])
    rows.append([])
    return rows


def write_official_header(ws, styles: CellStyles, settings: Settings, ncols: int, title: str,
                          lines: list[tuple[str, str]], total_width: float | None = None,
                          agency: str | None = None, widths: list[float] | None = None) -> int:
    """Append the official header to a (write-only or normal) sheet; returns the rows used.

    The agency block takes the left ~40 % of the columns, the national title the rest; the title
    and the lines under it are centred over the whole width (merged cells). ``total_width`` (in
    characters) sizes the rows of long lines, which Excel would not grow by itself.
    """
    split = header_block_split(ncols, widths)
    rows = official_header_rows(settings, title, lines, agency)
    last = get_column_letter(max(ncols, 1))
    for index, items in enumerate(rows, 1):
        values: list = []
        if index in (1, 2):
            left, right = items
            values = [styles.cell(ws, left[0], left[1])] + [None] * (split - 1)
            if ncols > split:
                values.append(styles.cell(ws, right[0], right[1]))
                _merge(ws, f"{get_column_letter(split + 1)}{index}:{last}{index}")
            if split > 1:
                _merge(ws, f"A{index}:{get_column_letter(split)}{index}")
        elif items:
            text, style = items[0]
            values = [styles.cell(ws, text, style)]
            if ncols > 1:
                _merge(ws, f"A{index}:{last}{index}")
            if total_width:
                size = 14 if style == "title" else 13
                height = row_height([(text, total_width * 12 / size)], line_height=size * 1.35)
                ws.row_dimensions[index].height = height or size * 1.6
        _append(ws, values, index)
    return len(rows)


def _merge(ws, ref: str) -> None:
    if type(ws).__name__ == "WriteOnlyWorksheet":
        ws.merged_cells.add(ref)
    else:
        ws.merge_cells(ref)


def _append(ws, values: list, row_index: int) -> None:
    if type(ws).__name__ == "WriteOnlyWorksheet":
        ws.append(values)
        return
    for col, value in enumerate(values, 1):
        if value is None:
            continue
        target = ws.cell(row=row_index, column=col)
        target.value = value.value
        target.data_type = value.data_type
        target._style = copy(value._style)


# A4 in points, and the margins every sheet prints with (inches, as Excel stores them).
A4_POINTS = (595.0, 842.0)
_MARGINS = dict(left=0.5, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
_FIT_SAFETY = 1.03  # Excel's printer metrics differ a little from the estimate below


def column_points(width: float) -> float:
    """Printed width at 100 % of a column ``width`` characters wide: a digit of the default font
    (Times New Roman 11, :func:`use_default_font`) is 7 px at 96 dpi; 5 px of padding counted on top,
    which errs on the wide side."""
    return (width * 7 + 5) * 72 / 96


def printable_points(landscape: bool, left: float = _MARGINS["left"], right: float = _MARGINS["right"]) -> float:
    page = A4_POINTS[1] if landscape else A4_POINTS[0]
    return page - (left + right) * 72


def print_plan(widths: list[float], smallest_font: float, landscape: bool = True) -> int | None:
    """None when the table fits the page width with its smallest font printed at
    :data:`MIN_PRINTED_PT` or more (fit to width then); else the print scale in percent at which
    that font prints at :data:`MIN_PRINTED_PT`, the columns running over several pages."""
    content = sum(column_points(w) for w in widths)
    fit = printable_points(landscape) / max(content, 1.0)
    if fit * smallest_font >= MIN_PRINTED_PT * _FIT_SAFETY:
        return None
    return min(100, math.ceil(100 * MIN_PRINTED_PT * _FIT_SAFETY / smallest_font))


def first_page_columns(widths: list[float], smallest_font: float = 11, landscape: bool = True) -> int:
    """How many leading columns print on the first page across (all of them when the table is fit
    to the page width): the official header and the title are centred over these, not cut by a
    page edge."""
    scale = print_plan(widths, smallest_font, landscape)
    if scale is None:
        return len(widths)
    # LibreOffice and Excel put a little less on a page than this estimate: keep a margin so the
    # centred header is not cut by the page edge.
    room = 0.93 * printable_points(landscape) / (scale / 100)
    used = 0.0
    for count, width in enumerate(widths):
        used += column_points(width)
        if used > room:
            return max(count, 1)
    return len(widths)


def setup_print(ws, header_row: int, header_rows: int = 1, widths: list[float] | None = None,
                smallest_font: float = 11, title_columns: int = 0, landscape: bool = True) -> None:
    """A4, page numbers in the footer, the table header repeated on every page; fit to the page
    width only where the smallest font still prints at 9 pt or more, else a fixed scale that keeps
    9 pt, the columns running over pages (across first) with the first ``title_columns`` repeated."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = 9  # A4
    scale = print_plan(widths or [], smallest_font, landscape) if widths else None
    if scale is None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = scale
        ws.page_setup.pageOrder = "overThenDown"
        if title_columns:
            ws.print_title_cols = f"A:{get_column_letter(title_columns)}"
    for side, inches in _MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.horizontalCentered = scale is None
    ws.print_title_rows = f"{header_row}:{header_row + header_rows - 1}"
    footer = ws.HeaderFooter.oddFooter.center
    footer.text = "Trang &P/&N"
    footer.font = f"{FONT_NAME},Regular"
    footer.size = 10


def set_widths(ws, columns: list[Column]) -> None:
    for i, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = col.width


# The one period label of the application (screen, Word, Excel).
period_text = fmt_period


def wrapped_lines(text: object, width: float) -> int:
    """How many lines a wrapped cell of ``width`` characters needs for ``text`` (an estimate)."""
    if text is None or text == "":
        return 1
    usable = max(width - 1.0, 1.0)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += max(1, math.ceil(len(paragraph) * 0.95 / usable))
    return lines


def row_height(cells: Iterable[tuple[object, float]], line_height: float = 15.0, max_lines: int = 20) -> float | None:
    """Height for a row of wrapped text cells given as (text, column width); None for one line.

    Excel does not grow rows to fit wrapped text when it opens a file, so we size them."""
    lines = max((wrapped_lines(text, width) for text, width in cells if isinstance(text, str)), default=1)
    return height_for_lines(lines, line_height, max_lines)


def height_for_lines(lines: int, line_height: float = 15.0, max_lines: int = 20) -> float | None:
    """The height :func:`row_height` gives a row whose tallest cell has ``lines`` lines."""
    if lines <= 1:
        return None
    return round(min(lines, max_lines) * line_height + 2, 1)
