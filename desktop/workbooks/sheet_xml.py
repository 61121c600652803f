"""Writing write-only sheets fast (no Qt here): rows of prepared cells as XML text, the zip at
the fastest deflate level.

openpyxl's writer streams each cell through nested ``xmlfile.element`` contexts; a row of
:class:`~desktop.workbooks.common.PreparedCell` is instead written as one string, the XML openpyxl
would write (:func:`take_prepared_cells`, :class:`RowWriter`). Relies on openpyxl 3.1's writer
internals (the dependency is pinned below 3.2); the tests compare the XML with openpyxl's and read
every sheet back.
"""

from __future__ import annotations

from zipfile import ZIP_DEFLATED, ZipFile

from lxml.etree import tostring
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from desktop.workbooks.common import CACHED_TEXT, PreparedCell, put


def take_prepared_cells(ws) -> None:
    """Let a write-only sheet stream the cells we prepared as they are, and write their rows fast.

    openpyxl's ``append`` first tries each item as a plain value and only takes a styled cell after
    a caught ValueError: a third of the export time on 200,000 rows. Its row writer then streams
    each cell through four nested ``xmlfile.element`` contexts, and even one lxml element per row
    costs more than the XML itself. The sheet is instead written by :class:`_RawSheetWriter`: a
    row of :class:`PreparedCell` becomes one string (:func:`_prepared_row_xml`), the XML openpyxl
    would write, straight into a buffered file. Rows holding anything else (plain values, comments,
    hyperlinks) and every element before and after the rows go through openpyxl's own code. Relies
    on openpyxl 3.1's ``WriteOnlyWorksheet._values_to_row``/``_get_writer`` and
    ``WorksheetWriter`` (the dependency is pinned below 3.2); tests compare the XML with
    openpyxl's and read every sheet back."""

    def values_to_row(values, row_idx):
        ws.rows_written = row_idx
        if type(values) is list and len(values) == 1 and type(values[0]) is RawRow:
            yield values[0]
            return
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if not isinstance(value, Cell):
                cell = WriteOnlyCell(ws)
                put(cell, value)
                value = cell
            value.column = col_idx
            value.row = row_idx
            yield value

    ws._values_to_row = values_to_row
    ws.rows_written = 0

    def get_raw_writer():
        if ws._writer is None:
            ws._writer = _RawSheetWriter(ws)
            ws._writer.write_top()

    ws._get_writer = get_raw_writer


_COLUMN_LETTERS = [""] + [get_column_letter(i) for i in range(1, 16385)]
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                                    "\n": "&#10;", "\t": "&#9;"})


class _RawStream:
    """What openpyxl's writers take as an ``xmlfile`` (``element``, ``write``), writing UTF-8 text
    to a buffered file; rows of prepared cells go in as they are through ``write_raw``."""

    def __init__(self, out):
        self._out = out
        self.write_raw = out.write

    @staticmethod
    def _attributes(attrib) -> str:
        if not attrib:
            return ""
        parts = []
        for key, value in dict(attrib).items():
            if key.startswith("{"):
                if key != _XML_SPACE:
                    raise ValueError(f"unexpected attribute {key}")
                key = "xml:space"
            parts.append(f' {key}="{str(value).translate(_ATTRIBUTE_ESCAPES)}"')
        return "".join(parts)

    def element(self, tag: str, attrib=None, **extra):
        stream = self

        class _Element:
            def __enter__(self_inner):
                attributes = dict(attrib or {})
                attributes.update(extra)
                stream._out.write(f"<{tag}{stream._attributes(attributes)}>")

            def __exit__(self_inner, *exc):
                # A save that failed (disk full) abandons the sheets not yet written; their row
                # generators are finalised later by the garbage collector, after the sheet's file
                # was closed. There is nothing left to finish then: writing would only raise into
                # sys.unraisablehook ("Exception ignored in ... _write_rows").
                if not stream._out.closed:
                    stream._out.write(f"</{tag}>")
                return False

        return _Element()

    def write(self, item) -> None:
        if isinstance(item, str):
            self._out.write(item.translate(_TEXT_ESCAPES))
        else:
            self._out.write(tostring(item, encoding="unicode"))


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class _RawSheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer with its ``xmlfile`` replaced by :class:`_RawStream`."""

    def get_stream(self):
        with open(self.out, "w", encoding="utf-8", buffering=1 << 20) as out:
            out.write(f'<worksheet xmlns="{_SHEET_NS}">')
            stream = _RawStream(out)
            try:
                while True:
                    el = (yield)
                    if el is True:
                        yield stream
                    elif el is None:
                        continue
                    else:
                        stream.write(el)
            except GeneratorExit:
                pass
            out.write("</worksheet>")

    def write_row(self, xf, row, row_idx):
        cells = list(row)
        if len(cells) == 1 and type(cells[0]) is RawRow:
            xf.write_raw(cells[0])
            return
        workbook = self.ws.parent
        caches = _workbook_caches(workbook)
        text = None if workbook.iso_dates else _prepared_row_xml(cells, row_idx, self.ws.row_dimensions.get(row_idx),
                                                                 workbook.epoch, *caches)
        if text is None:
            super().write_row(xf, cells, row_idx)
        else:
            xf.write_raw(text)


class RawRow(str):
    """A whole ``<row>`` element as text, appended by :meth:`RowWriter.append_values`."""


def _workbook_caches(workbook) -> tuple[dict, dict]:
    caches = getattr(workbook, "_prepared_xml", None)
    if caches is None:
        caches = workbook._prepared_xml = ({}, {})
    return caches


# The XML of texts repeated on many rows (task titles, unit names, labels) is built once per
# workbook, for this many texts at most.
_CACHED_XML_TEXTS = 20_000


def _prepared_row_xml(cells: list, row_idx: int, extra, epoch, text_xml: dict, date_texts: dict) -> str | None:
    """One row whose cells are all :class:`PreparedCell`, as the XML text openpyxl's
    ``lxml_write_cell`` would write; None for any other row. ``text_xml`` and ``date_texts`` are
    the workbook's caches."""
    items = []
    for cell in cells:
        if type(cell) is not PreparedCell or cell._comment is not None or cell._hyperlink is not None:
            return None
        if cell.data_type not in _KINDS:
            return None
        items.append((cell.column, cell.data_type, cell._value, cell._style_id))
    return _row_xml(str(row_idx), items, extra, epoch, text_xml, date_texts)


_KINDS = frozenset("snbdf")


def _row_xml(rs: str, items, extra, epoch, text_xml: dict, date_texts: dict) -> str:
    """``<row>`` with its cells, each ``(column, data type, value, style id)``."""
    parts = [f'<row r="{rs}"{_RawStream._attributes(extra)}>']
    append = parts.append
    letters = _COLUMN_LETTERS
    for column, kind, value, style_id in items:
        head = f'<c r="{letters[column]}{rs}" s="{style_id}"'
        if kind == "s":
            text = text_xml.get(value)
            if text is None:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                text = f"<is><t{space}>{value.translate(_TEXT_ESCAPES)}</t></is>"
                if len(value) <= CACHED_TEXT and len(text_xml) < _CACHED_XML_TEXTS:
                    text_xml[value] = text
            append(f'{head} t="inlineStr">{text}</c>')
        elif kind == "n" or kind == "b":
            if value is None:
                append(f'{head} t="{kind}"/>')
            else:
                append(f'{head} t="{kind}"><v>{"%.16g" % value}</v></c>')
        elif kind == "d":
            number = date_texts.get(value)
            if number is None:
                number = safe_string(to_excel(value, epoch))
                if len(date_texts) < _CACHED_XML_TEXTS:
                    date_texts[value] = number
            append(f'{head} t="n"><v>{number}</v></c>')
        else:  # "f"
            cached = value.cached
            formula = str.__str__(value).translate(_TEXT_ESCAPES)
            if isinstance(cached, str):
                append(f'{head} t="str"><f>{formula}</f><v>{cached.translate(_TEXT_ESCAPES)}</v></c>')
            elif cached is None:
                append(f"{head}><f>{formula}</f></c>")
            else:
                append(f"{head}><f>{formula}</f><v>{safe_string(cached)}</v></c>")
    append("</row>")
    return "".join(parts)


def save_workbook(workbook: Workbook, path) -> None:
    """``workbook.save(path)`` with the fastest deflate level: the sheets of a large export are
    hundreds of megabytes of XML, and openpyxl's default level spends several seconds more on
    them for a file a third smaller."""
    if workbook.write_only and not workbook.worksheets:
        workbook.create_sheet()
    try:
        with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
            ExcelWriter(workbook, archive).save()
    except BaseException:
        discard_unsaved_sheets(workbook)
        raise


def discard_unsaved_sheets(workbook: Workbook) -> None:
    """After a failed save (disk full): finish and remove the temporary files of the write-only
    sheets the save did not reach. Left alone, their row generators are finalised by the garbage
    collector in any order, after their files were closed, and each prints an "Exception ignored"
    traceback after the officer's message. Errors here are expected (the disk is still full)."""
    if not workbook.write_only:
        return
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        for generator in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
            if generator is None:
                continue
            try:
                generator.close()
            except Exception:  # noqa: BLE001 - the sheet is being thrown away
                pass
        ws._rows = None
        if writer is not None:
            try:
                writer.cleanup()
            except (OSError, ValueError):
                pass


class RowWriter:
    """Appends rows to a write-only sheet, counting them, with optional per-row heights.

    The height must be in ``row_dimensions`` when the row is streamed, and is dropped right after
    so that 200,000 rows do not keep 200,000 dimension objects alive."""

    def __init__(self, ws, first_row: int = 1):
        self.ws = ws
        self.row = first_row - 1  # the last row written
        self._heights: dict[float, dict[str, str]] = {}
        self._caches = None

    def append_values(self, values: list, height: float | None = None) -> int:
        """Append a row of :meth:`CellStyles.value` results (None: no cell) as one piece of XML;
        the sheet must stream through :func:`take_prepared_cells`."""
        self.row += 1
        workbook = self.ws.parent
        if self._caches is None:
            self._caches = _workbook_caches(workbook)
        extra = None
        if height:
            extra = self._heights.get(height)
            if extra is None:
                extra = self._heights[height] = {"ht": safe_string(height), "customHeight": "1"}
        items = [(column, *v) for column, v in enumerate(values, 1) if v is not None]
        self.ws.append([RawRow(_row_xml(str(self.row), items, extra, workbook.epoch, *self._caches))])
        return self.row

    def append(self, cells: list, height: float | None = None) -> int:
        self.row += 1
        if not height:
            self.ws.append(cells)
            return self.row
        # The writer only reads the row's attributes (``attrs.update(dims.get(row))``): a plain
        # dict of them, made once per height, instead of a RowDimension object per row (whose
        # validating descriptors cost more than the row's cells on a 200,000-row sheet).
        attributes = self._heights.get(height)
        if attributes is None:
            attributes = self._heights[height] = {"ht": safe_string(height), "customHeight": "1"}
        dims = self.ws.row_dimensions
        dict.__setitem__(dims, self.row, attributes)
        try:
            self.ws.append(cells)
        finally:
            dict.__delitem__(dims, self.row)
        return self.row
