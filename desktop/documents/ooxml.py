"""Raw OOXML for the official form: the elements python-docx has no API for (borders, fixed
widths, vertical merges, the PAGE field, ...) and the rows of big tables written as XML text.

Big tables (``OfficialDocument.add_grid_table``) are made from one prepared ``w:tr``: its
serialised XML with each row's cell text put in (:class:`RowWriter`), spliced into
``word/document.xml`` when the file is saved (:func:`write_docx`; the python-docx tree only holds
a marker comment, :func:`defer_rows`). python-docx's ``table.cell()`` rebuilds the whole grid on
every call and is quadratic; building 180,000 cells as lxml elements took 1 GB.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from desktop.documents.text import inline

# A cell value meaning "merged with the cell above" in ``add_grid_table``.
MERGE_UP = object()


@dataclass(frozen=True)
class FullRow:
    """A row of ``add_grid_table`` made of one cell across the whole table: the heading of a group
    or of a unit (its name once, above its rows), or a total written out. ``keep_next`` keeps it
    on the page of the row after it."""

    text: str
    bold: bool = True
    align: str = "left"
    keep_next: bool = True



def insert_before(parent, child, successors: Sequence[str]) -> None:
    parent.insert_element_before(child, *successors)


_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                   "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                   "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                   "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def bottom_border(paragraph: Paragraph, size_eighths: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    pbdr.append(bottom)
    insert_before(ppr, pbdr, _PPR_AFTER_PBDR)


def mark_size(paragraph: Paragraph, points: float) -> None:
    """Size of the paragraph mark: an empty paragraph is as tall as its mark."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        insert_before(ppr, rpr, ("w:sectPr", "w:pPrChange"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(round(points * 2))))
        rpr.append(el)


def page_field(paragraph: Paragraph, size: float) -> None:
    """A PAGE field (begin / instrText / separate / cached "1" / end) in ``paragraph``."""

    def run_with(child) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    cached = OxmlElement("w:t")
    cached.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for child in (begin, instr, separate, cached, end):
        run_with(child)


def table_borders(table: Table, value: str) -> None:
    """``value`` "nil" for a borderless layout table, "single" for a ruled data table."""
    tblpr = table._tbl.tblPr
    borders = tblpr.find(qn("w:tblBorders"))
    if borders is not None:
        tblpr.remove(borders)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    insert_before(tblpr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                    "w:tblDescription", "w:tblPrChange"))


def cell_margins(table: Table, twips: int = 0) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    insert_before(tblpr, mar, ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"))


def fixed_widths(table: Table, widths: Sequence[int]) -> None:
    """Both the grid (read by LibreOffice) and every cell's tcW (read by Word), fixed layout."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        insert_before(tblpr, tblw, ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                                     "w:tblLayout", "w:tblCellMar", "w:tblLook"))
    tblw.set(qn("w:w"), str(int(sum(widths) / 635)))
    tblw.set(qn("w:type"), "dxa")
    for col, width in zip(table.columns, widths):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def cant_split(tr) -> None:
    trpr = tr.get_or_add_trPr()
    trpr.insert(0, OxmlElement("w:cantSplit"))


_T, _BR, _RPR, _XML_SPACE = qn("w:t"), qn("w:br"), qn("w:rPr"), qn("xml:space")


def set_run_text(run_el, lines: Sequence[str]) -> None:
    """Replace a run's content by ``lines`` separated by line breaks (keeps its rPr).

    Elements are made with lxml's ``makeelement`` directly: python-docx's ``OxmlElement`` parses
    its tag on every call, which dominates the time of a 1,000-row table.
    """
    for child in list(run_el):
        if child.tag != _RPR:
            run_el.remove(child)
    for i, line in enumerate(lines):
        if i:
            run_el.append(run_el.makeelement(_BR, {}))
        t = run_el.makeelement(_T, {_XML_SPACE: "preserve"})
        t.text = line
        run_el.append(t)


def vmerge(tc, restart: bool) -> None:
    tcpr = tc.get_or_add_tcPr()
    if tcpr.find(qn("w:vMerge")) is not None:
        return
    el = OxmlElement("w:vMerge")
    if restart:
        el.set(qn("w:val"), "restart")
    insert_before(tcpr, el, ("w:tcBorders", "w:shd", "w:noWrap", "w:tcMar", "w:textDirection",
                              "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
                              "w:cellDel", "w:cellMerge", "w:tcPrChange"))


def set_run_bold(run_el) -> None:
    rpr = run_el.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        run_el.insert(0, rpr)
    if rpr.find(qn("w:b")) is None:
        rpr.insert_element_before(OxmlElement("w:b"), "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
                                  "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
                                  "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color",
                                  "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight",
                                  "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                                  "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")



_XMLNS_ATTR = re.compile(r' xmlns(?::[\w.-]+)?="[^"]*"')
_PLACEHOLDER = "\u2063CELL{}\u2063"  # invisible separator: never in real cell text
_RESTART, _CONTINUE = "restart", "continue"


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class RowWriter:
    """The rows of a grid table as XML text, made from the serialised template row.

    Deep-copying the template row and filling each cell through lxml cost ~50 us a cell (a
    30,000-row list has 180,000 cells), and parsing the text back into the tree still 0.2 ms a
    row: the text is spliced into ``word/document.xml`` when the file is saved
    (:func:`write_docx`). It is the XML :func:`set_run_text`, :func:`set_run_bold`
    and :func:`vmerge` would make on a copy of the template.
    """

    def __init__(self, template, columns: int):
        self.template = template
        self.columns = columns
        self._pieces: dict[tuple, tuple] = {}

    def pieces(self, bold: bool, merge: str | None) -> tuple[str, list[str], list[str], str]:
        """(row start, per cell the XML before its text, per cell the XML after it, row end) for
        a row whose every cell is ``bold`` and in vertical-merge state ``merge``."""
        key = (bold, merge)
        if key not in self._pieces:
            tr = copy.deepcopy(self.template)
            for col, tc in enumerate(tr.findall(qn("w:tc"))):
                run_el = tc.find(qn("w:p")).find(qn("w:r"))
                set_run_text(run_el, [_PLACEHOLDER.format(col)])
                if bold:
                    set_run_bold(run_el)
                if merge:
                    vmerge(tc, restart=merge == _RESTART)
            xml = etree.tostring(tr, encoding="unicode")
            head_end = xml.index(">")
            xml = _XMLNS_ATTR.sub("", xml[:head_end]) + xml[head_end:]
            marker = '<w:t xml:space="preserve">{}</w:t>'
            tc_close = "</w:tc>"
            first = xml.index("<w:tc>")
            row_start, rest = xml[:first], xml[first:]
            before, after = [], []
            for col in range(self.columns):
                head, rest = rest.split(marker.format(_PLACEHOLDER.format(col)), 1)
                close = rest.index(tc_close) + len(tc_close)
                before.append(head)
                after.append(rest[:close])
                rest = rest[close:]
            self._pieces[key] = (row_start, before, after, rest)
        return self._pieces[key]

    @staticmethod
    def _text(value) -> str:
        lines = value if isinstance(value, (list, tuple)) else [value]
        return "<w:br/>".join(f'<w:t xml:space="preserve">{_escape(inline(v))}</w:t>' for v in lines)

    def full_row(self, row: FullRow) -> str:
        """A row of one cell spanning every column (``gridSpan``), its width the table's."""
        key = ("full", row.bold, row.align, row.keep_next)
        if key not in self._pieces:
            tr = copy.deepcopy(self.template)
            cells = tr.findall(qn("w:tc"))
            total = 0
            for tc in cells:
                tcw = tc.find(qn("w:tcPr")).find(qn("w:tcW"))
                total += int(tcw.get(qn("w:w")))
            for tc in cells[1:]:
                tr.remove(tc)
            tc = cells[0]
            tcpr = tc.find(qn("w:tcPr"))
            tcpr.find(qn("w:tcW")).set(qn("w:w"), str(total))
            span = OxmlElement("w:gridSpan")
            span.set(qn("w:val"), str(self.columns))
            insert_before(tcpr, span, ("w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar",
                                        "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"))
            p = tc.find(qn("w:p"))
            paragraph = Paragraph(p, None)
            paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[row.align]
            if row.keep_next:
                paragraph.paragraph_format.keep_with_next = True
            run_el = p.find(qn("w:r"))
            set_run_text(run_el, [_PLACEHOLDER.format(0)])
            if row.bold:
                set_run_bold(run_el)
            xml = etree.tostring(tr, encoding="unicode")
            head_end = xml.index(">")
            xml = _XMLNS_ATTR.sub("", xml[:head_end]) + xml[head_end:]
            self._pieces[key] = tuple(xml.split(f'<w:t xml:space="preserve">{_PLACEHOLDER.format(0)}</w:t>'))
        head, tail = self._pieces[key]
        return head + self._text(row.text) + tail

    def rows_xml(self, rows: Iterable[Sequence[object]], bold: set[int], progress) -> list[str]:
        """One XML string per row. A cell ``MERGE_UP`` continues the vertical merge of the last
        real cell above it (which then starts one); a missing cell stays empty. A ``FullRow`` is
        one cell across the table; nothing merges across it."""
        rows = [values if isinstance(values, FullRow) else list(values)[:self.columns] for values in rows]
        merge: dict[tuple[int, int], str] = {}
        above: list[int | None] = [None] * self.columns
        for index, values in enumerate(rows):
            if isinstance(values, FullRow):
                above = [None] * self.columns
                continue
            for col, value in enumerate(values):
                if value is MERGE_UP and above[col] is not None:
                    merge.setdefault((above[col], col), _RESTART)
                    merge[(index, col)] = _CONTINUE
                else:
                    above[col] = index
        out = []
        plain_start, plain_before, plain_after, plain_end = self.pieces(False, None)
        for index, values in enumerate(rows):
            if isinstance(values, FullRow):
                out.append(self.full_row(values))
                if progress is not None and index % 200 == 199:
                    progress(index + 1)
                continue
            in_bold = index in bold
            row_start, before, after, row_end = self.pieces(in_bold, None)
            parts = [row_start]
            for col in range(self.columns):
                state = merge.get((index, col)) if merge else None
                if col >= len(values):  # a short row leaves its last cells empty, never bold
                    parts += (plain_before[col], plain_after[col])
                elif state == _CONTINUE:  # merged into the cell above: empty, never bold
                    cell = self.pieces(False, _CONTINUE)
                    parts += (cell[1][col], cell[2][col])
                else:
                    value = values[col]
                    cell_before = self.pieces(in_bold, _RESTART)[1][col] if state == _RESTART else before[col]
                    parts += (cell_before, self._text("" if value is MERGE_UP else value), after[col])
            parts.append(row_end)
            out.append("".join(parts))
            if progress is not None and index % 200 == 199:
                progress(index + 1)
        return out



def defer_rows(tbl, deferred: dict[str, list[str]], rows: list[str]) -> None:
    """A marker comment at the end of ``tbl``; :func:`write_docx` puts ``rows`` in its place."""
    marker = f"theodoi-rows-{len(deferred)}"
    deferred[marker] = rows
    tbl.append(etree.Comment(marker))


def write_docx(doc, target: Path, deferred: dict[str, list[str]]) -> None:
    """Save the python-docx ``doc`` to ``target`` with each grid table's rows spliced in."""
    if not deferred:
        doc.save(str(target))
        return
    package = io.BytesIO()
    doc.save(package)
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = splice_rows(data, deferred)
            out.writestr(info, data)


def splice_rows(xml: bytes, deferred: dict[str, list[str]]) -> bytes:
    """Each grid table's rows in place of its marker comment."""
    for marker, rows in deferred.items():
        token = f"<!--{marker}-->".encode()
        head, found, tail = xml.partition(token)
        if not found:
            raise RuntimeError(f"table rows marker {marker} missing from the document")
        xml = head + "".join(rows).encode("utf-8") + tail
    return xml
