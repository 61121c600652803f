"""The official form of Nghị định 30/2020/NĐ-CP on top of python-docx (no Qt here).

``OfficialDocument`` lays out what a Báo cáo and a Công văn share: A4 page and margins, Times New
Roman pinned on every style (the theme-font trap of python-docx's template), language vi-VN, the
borderless two-column header (agency | Quốc hiệu, Số | date, V/v under Số), the title, Kính gửi,
body paragraphs, the signature block with Nơi nhận, the page number in the header from page 2, and
appendix sections with their own page numbering. Sizes follow §9 of ``official-form.md``.

Big tables (``add_grid_table``) are made from one prepared ``w:tr``: its serialised XML with
each row's cell text put in, spliced into ``word/document.xml`` when the file is saved (the
python-docx tree only holds a marker comment). python-docx's ``table.cell()`` rebuilds the whole
grid on every call and is quadratic; building 180,000 cells as lxml elements took 1 GB.

All text goes through :func:`clean` (NFC, no XML-illegal control characters).
"""

from __future__ import annotations

import copy
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from desktop.fileio import atomic_write
from desktop.labels import fmt_number as vn_number, roman  # one number format, one Roman numeral
from desktop.settings import Settings

FONT = "Times New Roman"
LANGUAGE = "vi-VN"

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
HEADER_DISTANCE = Mm(10)
TEXT_WIDTH_PORTRAIT = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 16.5 cm
TEXT_WIDTH_LANDSCAPE = PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT  # 25.2 cm

# Header table: agency column and Quốc hiệu column, zero cell margins (official-form.md §9).
HEADER_LEFT = Cm(7.0)
HEADER_RIGHT = Cm(9.5)
MOTTO_RULE = Cm(5.8)  # as long as "Độc lập - Tự do - Hạnh phúc" at 13 pt bold

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

BODY_FIRST_LINE = Cm(1.27)
BODY_SPACE_BEFORE = Pt(6)
BODY_LINE_SPACING = 1.15


@dataclass(frozen=True)
class Sizes:
    """Font sizes in points (official-form.md §9, all inside the decree's ranges)."""

    national: float = 12  # Quốc hiệu, bold
    motto: float = 13  # tiêu ngữ, bold
    parent_agency: float = 12
    agency: float = 12  # bold
    number: float = 13  # "Số: ..." exactly 13
    date: float = 14  # italic
    subject: float = 12  # "V/v ..."
    title: float = 14  # tên loại and trích yếu, bold
    body: float = 14
    signature: float = 14  # bold
    recipients_label: float = 12  # "Nơi nhận:", bold italic
    recipients: float = 11
    page_number: float = 14
    table: float = 12
    table_small: float = 11


SIZES = Sizes()

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


# XML 1.0 forbids C0 controls except tab/newline/CR, lone surrogates and U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")


class DocumentError(ValueError):
    """Bad input for a document (e.g. a final document without number); ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- text and numbers


def clean(text: object) -> str:
    """NFC text without the control characters that python-docx refuses (``\\x0b`` from Word, ...)."""
    if text is None:
        return ""
    text = text if type(text) is str else str(text)
    # Fast path (a 1,000-unit report calls this ~100,000 times): a printable string holds no
    # control character, surrogate or non-character, so only NFC could change it.
    if text.isprintable() and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text
    return _ILLEGAL_XML.sub("", unicodedata.normalize("NFC", text))


def inline(text: object) -> str:
    """:func:`clean`, with every run of white space (newlines too) made one space."""
    text = clean(text)
    # Every white-space character except the ASCII space is non-printable: a printable string
    # without doubled, leading or trailing spaces is already inline.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _SPACES.sub(" ", text).strip()


def decree_day(value: date) -> str:
    """Day with a leading zero below 10 ("05", "29")."""
    return f"{value.day:02d}"


def decree_month(value: date) -> str:
    """Months 1 and 2 get a leading zero ("01", "02"); 3-9 do not ("6"); 10-12 as they are."""
    return f"{value.month:02d}" if value.month <= 2 else str(value.month)


def decree_date(value: date) -> str:
    """``ngày 05 tháng 01 năm 2020``; ``ngày 29 tháng 6 năm 2019`` (PL I §II.4.b)."""
    return f"ngày {decree_day(value)} tháng {decree_month(value)} năm {value.year}"


DRAFT_GAP = "\u0020" * 6  # room for the văn thư to write by hand


def place_date_line(place: str, issued_on: date | None, year: int) -> str:
    """``Ngô Quyền, ngày 08 tháng 10 năm 2024``; a draft leaves day and month blank."""
    if issued_on is None:
        return f"{inline(place)}, ngày{DRAFT_GAP}tháng{DRAFT_GAP}năm {year}"
    return f"{inline(place)}, {decree_date(issued_on)}"


def format_doc_number(number: str | int | None) -> str:
    """The document number as printed: Arabic digits, a leading zero below 10 ("5" -> "05").

    Raises DocumentError when it is not a positive whole number.
    """
    text = inline(number if number is not None else "")
    if not text.isdigit() or int(text) <= 0:
        raise DocumentError(f"Số văn bản «{text}» không hợp lệ: chỉ gồm chữ số, lớn hơn 0 (ví dụ 05, 128).")
    return f"{int(text):02d}"


def number_line(number: str | None, symbol: str) -> str:
    """``Số: 05/BC-VHTT``; a draft leaves the number blank (``Số:      /BC-VHTT``)."""
    if not number:
        return f"Số:{DRAFT_GAP}/{inline(symbol)}"
    return f"Số: {format_doc_number(number)}/{inline(symbol)}"


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the word looks like an abbreviation ("UBND")."""
    if len(text) >= 2 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Issue:
    """Number and date of the document: blank in a draft (the văn thư fills them after signing)."""

    final: bool = False
    number: str = ""
    issued_on: date | None = None

    def validated(self) -> "Issue":
        if not self.final:
            return Issue(False, "", None)
        if not inline(self.number):
            raise DocumentError("Bản chính thức cần có số văn bản.")
        if self.issued_on is None:
            raise DocumentError("Bản chính thức cần có ngày ban hành.")
        return Issue(True, format_doc_number(self.number), self.issued_on)

    def check_data_date(self, data_date: date) -> None:
        """A final document cannot be dated before the day its figures are counted to."""
        if self.final and self.issued_on is not None and self.issued_on < data_date:
            raise DocumentError(
                f"Ngày ban hành {self.issued_on:%d/%m/%Y} trước ngày số liệu {data_date:%d/%m/%Y}: văn bản không "
                f"thể ký trước ngày mà số liệu của nó được tính đến. Chọn ngày ban hành từ {data_date:%d/%m/%Y} "
                f"trở đi, hoặc lập lại văn bản với số liệu tính đến ngày ban hành.")


DRAFT = Issue()


# ---------------------------------------------------------------- low-level XML helpers


def _insert_before(parent, child, successors: Sequence[str]) -> None:
    parent.insert_element_before(child, *successors)


_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                   "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                   "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                   "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def pin_fonts(rpr) -> None:
    """All four font slots to Times New Roman and the theme attributes removed (theme wins otherwise)."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        _insert_before(rpr, lang, ("w:eastAsianLayout", "w:specVanish", "w:oMath"))
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _bottom_border(paragraph: Paragraph, size_eighths: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    pbdr.append(bottom)
    _insert_before(ppr, pbdr, _PPR_AFTER_PBDR)


def _mark_size(paragraph: Paragraph, points: float) -> None:
    """Size of the paragraph mark: an empty paragraph is as tall as its mark."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        _insert_before(ppr, rpr, ("w:sectPr", "w:pPrChange"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(round(points * 2))))
        rpr.append(el)


def _page_field(paragraph: Paragraph, size: float) -> None:
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


def _table_borders(table: Table, value: str) -> None:
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
    _insert_before(tblpr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                    "w:tblDescription", "w:tblPrChange"))


def _cell_margins(table: Table, twips: int = 0) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    _insert_before(tblpr, mar, ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"))


def _fixed_widths(table: Table, widths: Sequence[int]) -> None:
    """Both the grid (read by LibreOffice) and every cell's tcW (read by Word), fixed layout."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        _insert_before(tblpr, tblw, ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                                     "w:tblLayout", "w:tblCellMar", "w:tblLook"))
    tblw.set(qn("w:w"), str(int(sum(widths) / 635)))
    tblw.set(qn("w:type"), "dxa")
    for col, width in zip(table.columns, widths):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(tr) -> None:
    trpr = tr.get_or_add_trPr()
    trpr.insert(0, OxmlElement("w:cantSplit"))


_T, _BR, _RPR, _XML_SPACE = qn("w:t"), qn("w:br"), qn("w:rPr"), qn("xml:space")


def _set_run_text(run_el, lines: Sequence[str]) -> None:
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


def _vmerge(tc, restart: bool) -> None:
    tcpr = tc.get_or_add_tcPr()
    if tcpr.find(qn("w:vMerge")) is not None:
        return
    el = OxmlElement("w:vMerge")
    if restart:
        el.set(qn("w:val"), "restart")
    _insert_before(tcpr, el, ("w:tcBorders", "w:shd", "w:noWrap", "w:tcMar", "w:textDirection",
                              "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
                              "w:cellDel", "w:cellMerge", "w:tcPrChange"))


def _set_run_bold(run_el) -> None:
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


class _RowWriter:
    """The rows of a grid table as XML text, made from the serialised template row.

    Deep-copying the template row and filling each cell through lxml cost ~50 us a cell (a
    30,000-row list has 180,000 cells), and parsing the text back into the tree still 0.2 ms a
    row: the text is spliced into ``word/document.xml`` when the file is saved
    (:meth:`OfficialDocument.save`). It is the XML :func:`_set_run_text`, :func:`_set_run_bold`
    and :func:`_vmerge` would make on a copy of the template.
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
                _set_run_text(run_el, [_PLACEHOLDER.format(col)])
                if bold:
                    _set_run_bold(run_el)
                if merge:
                    _vmerge(tc, restart=merge == _RESTART)
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
            _insert_before(tcpr, span, ("w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar",
                                        "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"))
            p = tc.find(qn("w:p"))
            paragraph = Paragraph(p, None)
            paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[row.align]
            if row.keep_next:
                paragraph.paragraph_format.keep_with_next = True
            run_el = p.find(qn("w:r"))
            _set_run_text(run_el, [_PLACEHOLDER.format(0)])
            if row.bold:
                _set_run_bold(run_el)
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


# Advance widths of Times New Roman in thousandths of an em, read from Liberation Serif (made to the
# same metrics): printable ASCII, then the few other characters the tables print. A Vietnamese
# letter is as wide as its base letter (NFD), except Ơ/ơ/Ư/ư whose horn adds about 0.06 em.
_METRIC_CHARS = "".join(chr(c) for c in range(32, 127)) + "Đđ–—«»…‘’“”"
_WIDTHS = {
    False: (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500,
            500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333,
            389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
            500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389,
            278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, 722, 500, 500, 1000, 500, 500, 1000, 333, 333,
            444, 444),
    True: (250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500,
           500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389,
           500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581,
           500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389,
           333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520, 722, 556, 500, 1000, 500, 500, 1000, 333, 333,
           500, 500),
}
_ADVANCE = {bold: dict(zip(_METRIC_CHARS, widths)) for bold, widths in _WIDTHS.items()}
_HORNED = "ƠơƯư"

# Left and right margin of a grid table cell (twips): 1 mm, narrow status columns need the room.
GRID_CELL_MARGIN = 57
# What a line may lack before LibreOffice or Word breaks it (rounding of glyph positions, kerning).
_LINE_SLACK = 1.02


def _advance(ch: str, bold: bool) -> int:
    table = _ADVANCE[bold]
    width = table.get(ch)
    if width is not None:
        return width
    base = unicodedata.normalize("NFD", ch)[:1]
    width = table.get(base)
    if width is None:
        return 722 if ch.isupper() else 500
    return width + (60 if ch in _HORNED else 0)


def text_twips(text: str, points: float, bold: bool = False) -> int:
    """Printed width of ``text`` on one line in Times New Roman, in twips (1/20 pt).

    A 12 pt "05/09/2025" is 1,094 twips: eight digits of 0.5 em and two slashes of 0.278 em.
    """
    thousandths = sum(_advance(ch, bold) for ch in clean(text))
    return int(thousandths * points * 20 / 1000 + 0.999)


def cell_twips(text: str, points: float, bold: bool = False) -> int:
    """The narrowest grid-table column (twips) that shows ``text`` on one line."""
    return int(text_twips(text, points, bold) * _LINE_SLACK) + 2 * GRID_CELL_MARGIN + 10


def longest_word_twips(texts: Iterable[object], points: float, bold: bool = False) -> int:
    """The column width (twips) under which one of the words of ``texts`` would be cut."""
    words = {w for t in texts for line in (t if isinstance(t, (list, tuple)) else [t]) for w in inline(line).split()}
    return max((cell_twips(w, points, bold) for w in words), default=0)


def longest_line_twips(texts: Iterable[object], points: float, bold: bool = False) -> int:
    """The column width (twips) that shows every line of ``texts`` unbroken."""
    lines = {inline(line) for t in texts for line in (t if isinstance(t, (list, tuple)) else [t])}
    return max((cell_twips(line, points, bold) for line in lines), default=0)


def fit_columns(minimum: Sequence[int], natural: Sequence[int], total: int,
                stretch: Sequence[float] | None = None) -> list[int] | None:
    """Column widths (twips) adding up to ``total``: every column its ``minimum`` (what must not
    break: dates, numbers, single words), then the room left given towards each column's
    ``natural`` width (its longest line) in proportion to what it lacks, then what is still left by
    ``stretch`` (weights; the wrapping columns). None when the minimums do not fit."""
    widths = [int(m) for m in minimum]
    room = int(total) - sum(widths)
    if room < 0:
        return None
    wants = [max(0, int(n) - w) for n, w in zip(natural, widths)]
    wanted = sum(wants)
    if wanted:
        share = min(1.0, room / wanted)
        for i, want in enumerate(wants):
            widths[i] += int(want * share)
    room = int(total) - sum(widths)
    weights = list(stretch) if stretch is not None else [1.0] * len(widths)
    if room > 0 and sum(weights) > 0:
        for i, weight in enumerate(weights):
            widths[i] += int(room * weight / sum(weights))
    widths[max(range(len(widths)), key=lambda i: weights[i])] += int(total) - sum(widths)
    return widths


# A column of text that wraps is never narrower than this (twips, 2.5 cm).
MIN_TEXT_COLUMN = 1417


def column_needs(headers: Sequence[str], columns: Sequence[Sequence[object]], size: float,
                  whole: Sequence[bool | float], bold_values: Sequence[Sequence[object]] = ()
                  ) -> tuple[list[int], list[int]]:
    """(minimum, natural) per column. A ``whole`` column never breaks a line (dates, counts,
    status words); a fraction keeps that share of its lines whole (the rare long status may
    wrap); the others keep their words whole. Headers wrap at words, in bold."""
    minimum, natural = [], []
    for i, header in enumerate(headers):
        values = [v for v in columns[i] if v is not MERGE_UP]
        bold = [row[i] for row in bold_values if i < len(row) and row[i] is not MERGE_UP]
        head = longest_word_twips([header], size, bold=True)
        lines = max(longest_line_twips(values, size), longest_line_twips(bold, size, bold=True))
        if whole[i] is not True and whole[i]:
            widths = sorted(longest_line_twips([v], size) for v in values) or [0]
            share = widths[min(len(widths) - 1, int(len(widths) * float(whole[i])))]
            minimum.append(max(head, share, longest_word_twips(values, size),
                               longest_line_twips(bold, size, bold=True)))
        elif whole[i]:
            minimum.append(max(head, lines))
        else:
            minimum.append(max(head, longest_word_twips(values, size), longest_word_twips(bold, size, bold=True),
                               MIN_TEXT_COLUMN))
        natural.append(max(minimum[-1], lines))
    return minimum, natural


def estimate_width(text: str, points: float, bold: bool = False, upper: bool = False) -> int:
    """Rough printed width (EMU) of a Times New Roman line; used only to size decorative rules."""
    per_char_cm = (0.263 if upper else 0.205) * points / 12 * (1.0 if bold else 0.93)
    return int(Cm(per_char_cm * len(text)))


# ---------------------------------------------------------------- the document


class OfficialDocument:
    """One document in the official form; call the parts in reading order, then ``save``."""

    def __init__(self, settings: Settings, sizes: Sizes = SIZES):
        self.settings = settings
        self.sizes = sizes
        self.doc = Document()
        self._deferred_rows: dict[str, list[str]] = {}  # marker comment -> row XML (add_grid_table)
        self._setup_styles()
        section = self.doc.sections[0]
        self._setup_section(section, landscape=False)
        self._page_numbers(section)
        self._text_width = TEXT_WIDTH_PORTRAIT
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):  # the template's empty paragraph
            body.remove(p)

    # -- set-up

    def _setup_styles(self) -> None:
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        pin_fonts(rpr)
        _set_lang(rpr)
        for tag in ("w:sz", "w:szCs"):
            rpr.find(qn(tag)).set(qn("w:val"), str(int(self.sizes.body * 2)))
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        # Every style of the template: no theme fonts, black (Heading 1 is theme blue otherwise).
        for fonts in styles.iter(qn("w:rFonts")):
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                fonts.set(qn(f"w:{attr}"), FONT)
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{attr}"), None)
        for color in styles.iter(qn("w:color")):
            for attr in ("themeColor", "themeShade", "themeTint"):
                color.attrib.pop(qn(f"w:{attr}"), None)
            color.set(qn("w:val"), "000000")
        for name in ("Normal", "Header", "Footer", "Normal Table"):
            style = self.doc.styles[name]
            pin_fonts(style.element.get_or_add_rPr())
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(self.sizes.body)
        pf = normal.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.first_line_indent = BODY_FIRST_LINE
        pf.space_before = BODY_SPACE_BEFORE
        pf.space_after = Pt(0)
        pf.line_spacing = BODY_LINE_SPACING
        pf.widow_control = True
        header = self.doc.styles["Header"]
        header.font.size = Pt(self.sizes.page_number)
        header.paragraph_format.first_line_indent = Pt(0)
        header.paragraph_format.space_before = Pt(0)
        header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _setup_section(self, section, landscape: bool) -> None:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance = HEADER_DISTANCE
        section.footer_distance = HEADER_DISTANCE
        section.gutter = 0

    def _page_numbers(self, section) -> None:
        """Number centred in the header, not on the first page (titlePg + an empty first header)."""
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.style = self.doc.styles["Header"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(p, self.sizes.page_number)
        first = section.first_page_header
        first.is_linked_to_previous = False
        first.paragraphs[0].style = self.doc.styles["Header"]

    # -- paragraphs

    def _para(self, container=None, *, align=WD_ALIGN_PARAGRAPH.CENTER, before: float = 0, after: float = 0,
              first_line: float | None = 0, left=None, right=None, single: bool = True,
              keep_next: bool = False) -> Paragraph:
        container = container if container is not None else self.doc
        p = container.add_paragraph()
        pf = p.paragraph_format
        pf.alignment = align
        pf.space_before = Pt(before)
        pf.space_after = Pt(after)
        if first_line is not None:
            pf.first_line_indent = Pt(first_line)
        if left is not None:
            pf.left_indent = left
        if right is not None:
            pf.right_indent = right
        if single:
            pf.line_spacing = 1.0
        if keep_next:
            pf.keep_with_next = True
        return p

    def _run(self, p: Paragraph, text: str, size: float, bold: bool = False, italic: bool = False):
        text = clean(text)
        if "\n" in text or "\t" in text:
            run = p.add_run(text)  # python-docx turns them into w:br / w:tab
        else:
            # python-docx's run.text walks the string one character at a time: slow on long lists.
            run = p.add_run()
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            run._r.append(t)
        run.font.size = Pt(size)
        if bold:
            run.font.bold = True
        if italic:
            run.font.italic = True
        return run

    def _rule(self, container, width: int, cell_width: int, before: float = 0) -> Paragraph:
        """A centred solid rule ``width`` long: the bottom border of a 2 pt empty paragraph."""
        side = max(0, int((cell_width - width) / 2))
        p = self._para(container, before=before, left=side, right=side, single=False)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(2)
        _bottom_border(p)
        _mark_size(p, 2)
        return p

    # -- blocks

    def header(self, number: str | None, symbol: str, issued_on: date | None, year: int,
               subject: str | None = None) -> Table:
        """The header table: agency | Quốc hiệu on row 1, Số (+ V/v) | date on row 2."""
        s = self.settings
        z = self.sizes
        table = self.doc.add_table(rows=2, cols=2)
        _table_borders(table, "nil")
        _cell_margins(table)
        widths = [int(HEADER_LEFT), int(HEADER_RIGHT)]
        _fixed_widths(table, widths)
        (agency_cell, nation_cell), (number_cell, date_cell) = (r.cells for r in table.rows)
        for cell in (agency_cell, nation_cell, number_cell, date_cell):
            cell._tc.remove(cell.paragraphs[0]._p)

        parent = inline(s.parent_agency).upper()
        agency = inline(s.agency).upper()
        if parent:
            self._run(self._para(agency_cell), parent, z.parent_agency)
        self._run(self._para(agency_cell), agency, z.agency, bold=True)
        name_width = min(estimate_width(agency, z.agency, bold=True, upper=True), widths[0])
        self._rule(agency_cell, max(int(Cm(1.5)), int(name_width * 0.4)), widths[0], before=1)

        self._run(self._para(nation_cell), NATIONAL_NAME, z.national, bold=True)
        self._run(self._para(nation_cell), MOTTO, z.motto, bold=True)
        self._rule(nation_cell, int(MOTTO_RULE), widths[1], before=1)

        self._run(self._para(number_cell, before=6), number_line(number, symbol), z.number)
        if subject:
            self._run(self._para(number_cell, before=6), inline(subject), z.subject)
        self._run(self._para(date_cell, before=6), place_date_line(s.place_name, issued_on, year), z.date,
                  italic=True)
        return table

    def title(self, kind: str, summary: str) -> None:
        """Tên loại (e.g. "BÁO CÁO") and its trích yếu, bold and centred, with a short rule."""
        z = self.sizes
        self._run(self._para(before=18, keep_next=True), inline(kind).upper(), z.title, bold=True)
        text = inline(summary)
        self._run(self._para(keep_next=True), text, z.title, bold=True)
        longest_line = min(estimate_width(text, z.title, bold=True), int(self._text_width))
        width = min(int(Cm(5.5)), max(int(Cm(3.0)), int(longest_line * 0.4)))
        self._rule(self.doc, width, int(self._text_width), before=1)

    def recipients(self, names: Sequence[str], before: float = 12) -> None:
        """Kính gửi: one recipient on the same line; several one per line, "- " ... ";" / ".",
        the dashes under the colon (PL I §II.9.b)."""
        z = self.sizes
        names = [inline(n).rstrip(";.") for n in names if inline(n)]
        if not names:
            return
        if len(names) == 1:
            p = self._para(before=before, after=6)
            self._run(p, f"Kính gửi: {names[0]}.", z.body)
            return
        label_left = Cm(2.5)
        p = self._para(before=before, align=WD_ALIGN_PARAGRAPH.LEFT, left=label_left, keep_next=True)
        self._run(p, "Kính gửi:", z.body)
        dash_left = label_left + estimate_width("Kính gửi", z.body)
        for i, name in enumerate(names):
            end = "." if i == len(names) - 1 else ";"
            q = self._para(align=WD_ALIGN_PARAGRAPH.LEFT, left=dash_left, after=6 if end == "." else 0)
            self._run(q, f"- {name}{end}", z.body)

    def body(self, text: str, *, bold: bool = False, italic: bool = False, indent: bool = True,
             keep_next: bool = False) -> Paragraph:
        """A body paragraph: justified, first line indented, 6 pt before (the Normal style)."""
        p = self.doc.add_paragraph()
        if not indent:
            p.paragraph_format.first_line_indent = Pt(0)
        if keep_next:
            p.paragraph_format.keep_with_next = True
        self._run(p, inline(text), self.sizes.body, bold=bold, italic=italic)
        return p

    def section_heading(self, index: int, text: str) -> Paragraph:
        """Mục: "I. CÔNG TÁC ..." Roman numeral, upper case, bold."""
        return self.body(f"{roman(index)}. {inline(text).upper()}", bold=True, keep_next=True)

    def item_heading(self, number: int | str, text: str) -> Paragraph:
        """Khoản with a heading: "1. Tiêu đề" in bold."""
        return self.body(f"{number}. {inline(text)}", bold=True, keep_next=True)

    def signature(self, recipients: Sequence[str], authority: Sequence[str] | None = None,
                  signer_name: str | None = None) -> Table:
        """Nơi nhận (left) and quyền hạn, chức vụ, họ tên (right) in a borderless table."""
        s = self.settings
        z = self.sizes
        if authority is None:
            authority = [line for line in (s.signer_authority, s.signer_title) if inline(line)]
        name = inline(signer_name if signer_name is not None else s.signer_name)
        table = self.doc.add_table(rows=1, cols=2)
        _table_borders(table, "nil")
        _cell_margins(table)
        widths = [int(Cm(7.5)), int(self._text_width) - int(Cm(7.5))]
        _fixed_widths(table, widths)
        _cant_split(table.rows[0]._tr)
        left, right = table.rows[0].cells
        for cell in (left, right):
            cell._tc.remove(cell.paragraphs[0]._p)
        self._run(self._para(left, align=WD_ALIGN_PARAGRAPH.LEFT, before=12), "Nơi nhận:", z.recipients_label,
                  bold=True, italic=True)
        items = [inline(r) for r in recipients if inline(r)]
        for i, item in enumerate(items):
            self._run(self._para(left, align=WD_ALIGN_PARAGRAPH.LEFT), item, z.recipients)
        for i, line in enumerate(authority):
            self._run(self._para(right, before=12 if i == 0 else 0), inline(line).upper(), z.signature, bold=True)
        for _ in range(4):
            blank = self._para(right)
            _mark_size(blank, z.signature)
        self._run(self._para(right, before=12), name, z.signature, bold=True)
        return table

    def end_of_body(self) -> None:
        """Make sure the last body paragraph ends with "./." (Mẫu 1.4, 1.5)."""
        paragraphs = self.doc.paragraphs
        last = paragraphs[-1]
        last.paragraph_format.keep_with_next = True  # the signature never stands alone on a page
        text = last.text.rstrip()
        if not text.endswith("./."):
            suffix = "/." if text.endswith(".") else "./."
            self._run(last, suffix, self.sizes.body)

    # -- appendix

    def appendix(self, ordinal: str, title: str, caption: str, landscape: bool) -> None:
        """A new section with its own page numbering (restart at 1), portrait or landscape, then
        "Phụ lục I", its title in upper case and the italic "(Kèm theo ...)" caption."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._setup_section(section, landscape)
        section.different_first_page_header_footer = True
        sect_pr = section._sectPr
        num = OxmlElement("w:pgNumType")
        num.set(qn("w:start"), "1")
        _insert_before(sect_pr, num, ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                      "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                                      "w:printerSettings", "w:sectPrChange"))
        self._text_width = TEXT_WIDTH_LANDSCAPE if landscape else TEXT_WIDTH_PORTRAIT
        z = self.sizes
        self._run(self._para(), f"Phụ lục {ordinal}", 14, bold=True)
        self._run(self._para(before=3), inline(title).upper(), z.title, bold=True)
        self._run(self._para(before=3), clean(caption).strip(), z.title, italic=True)
        self._rule(self.doc, int(Cm(4)), int(self._text_width), before=3)

    @property
    def text_width(self) -> int:
        return int(self._text_width)

    def note(self, text: str, size: float | None = None, italic: bool = False, bold: bool = False,
             before: float = 3) -> Paragraph:
        """A left-aligned small paragraph (legends under appendix titles)."""
        p = self._para(align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=before)
        self._run(p, inline(text), size or self.sizes.table, bold=bold, italic=italic)
        return p

    def add_grid_table(self, headers: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int],
                       *, size: float | None = None, align: Sequence[str] | None = None,
                       bold_rows: Iterable[int] = (), progress=None, before: float = 6) -> Table:
        """A ruled table, header row repeated on every page, rows cloned from one template row.

        Each cell value is a string, a list of lines, or ``MERGE_UP`` (merged with the cell above);
        a row may be a ``FullRow`` (one cell across the table).
        ``align`` per column: "left", "center", "right". ``progress(done)`` is called every 200 rows.
        """
        size = size or self.sizes.table
        n = len(headers)
        align = list(align or ["left"] * n)
        jc = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
              "right": WD_ALIGN_PARAGRAPH.RIGHT}
        if before:
            spacer = self._para(before=0, single=False)
            spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            spacer.paragraph_format.line_spacing = Pt(before)
            _mark_size(spacer, before)
        table = self.doc.add_table(rows=2, cols=n)
        _table_borders(table, "single")
        _cell_margins(table, GRID_CELL_MARGIN)
        _fixed_widths(table, [int(w) for w in widths])
        header_row, template_row = table.rows
        _repeat_header(header_row)
        _cant_split(header_row._tr)
        for cell, text in zip(header_row.cells, headers):
            p = cell.paragraphs[0]
            self._format_cell_paragraph(p, WD_ALIGN_PARAGRAPH.CENTER)
            self._run(p, clean(text), size, bold=True)
        for cell, a in zip(template_row.cells, align):
            p = cell.paragraphs[0]
            self._format_cell_paragraph(p, jc[a])
            run = p.add_run("")
            run.font.size = Pt(size)
        template = template_row._tr
        _cant_split(template)
        tbl = table._tbl
        tbl.remove(template)
        marker = f"theodoi-rows-{len(self._deferred_rows)}"
        self._deferred_rows[marker] = _RowWriter(template, n).rows_xml(rows, set(bold_rows), progress)
        tbl.append(etree.Comment(marker))
        return table

    @staticmethod
    def _format_cell_paragraph(p: Paragraph, alignment) -> None:
        pf = p.paragraph_format
        pf.alignment = alignment
        pf.first_line_indent = Pt(0)
        pf.space_before = Pt(2)
        pf.space_after = Pt(2)
        pf.line_spacing = 1.0

    # -- output

    def set_properties(self, title: str, subject: str = "") -> None:
        """File properties Word shows (the template's say "python-docx", 2013)."""
        from datetime import datetime, timezone

        props = self.doc.core_properties
        now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
        props.author = inline(self.settings.agency_name)
        props.last_modified_by = inline(self.settings.agency_name)
        props.title = inline(title)[:250]
        props.subject = inline(subject)[:250]
        props.comments = ""
        props.language = LANGUAGE
        props.created = props.modified = now
        props.revision = 1

    def save(self, path: str | Path) -> Path:
        """Write atomically (temporary name, then rename); raises fileio.OutputError/FileLockedError."""
        return atomic_write(path, self._write)

    def _write(self, target: Path) -> None:
        if not self._deferred_rows:
            self.doc.save(str(target))
            return
        package = io.BytesIO()
        self.doc.save(package)
        with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    data = self._splice_rows(data)
                out.writestr(info, data)

    def _splice_rows(self, xml: bytes) -> bytes:
        """Each grid table's rows in place of its marker comment."""
        for marker, rows in self._deferred_rows.items():
            token = f"<!--{marker}-->".encode()
            head, found, tail = xml.partition(token)
            if not found:
                raise RuntimeError(f"table rows marker {marker} missing from the document")
            xml = head + "".join(rows).encode("utf-8") + tail
        return xml


__all__ = [
    "DRAFT", "DocumentError", "FullRow", "Issue", "OfficialDocument", "SIZES", "Sizes", "clean", "decree_date",
    "decree_day", "decree_month", "format_doc_number", "inline", "lower_first", "number_line",
    "place_date_line", "vn_number",
]
