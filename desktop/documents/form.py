"""The official form of Nghị định 30/2020/NĐ-CP on top of python-docx (no Qt here).

``OfficialDocument`` lays out what a Báo cáo and a Công văn share: A4 page and margins, Times New
Roman pinned on every style (the theme-font trap of python-docx's template), language vi-VN, the
borderless two-column header (agency | Quốc hiệu, Số | date, V/v under Số), the title, Kính gửi,
body paragraphs, the signature block with Nơi nhận, the page number in the header from page 2, and
appendix sections with their own page numbering. Sizes follow §9 of ``official-form.md``.

The raw XML (borders, fixed widths, big tables written as XML text) is in ``ooxml``, the text
width metrics that size table columns in ``metrics``. All text goes through
:func:`desktop.documents.text.clean` (NFC, no XML-illegal control characters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from desktop.documents.metrics import GRID_CELL_MARGIN, estimate_width
from desktop.documents.ooxml import (
    RowWriter,
    bottom_border,
    cant_split,
    cell_margins,
    defer_rows,
    fixed_widths,
    insert_before,
    mark_size,
    page_field,
    repeat_header,
    table_borders,
    write_docx,
)
from desktop.documents.text import clean, inline, number_line, place_date_line
from desktop.infra.fileio import atomic_write
from desktop.services.settings import Settings
from desktop.tracking.labels import roman  # one Roman numeral

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
        insert_before(rpr, lang, ("w:eastAsianLayout", "w:specVanish", "w:oMath"))
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


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
        page_field(p, self.sizes.page_number)
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
        bottom_border(p)
        mark_size(p, 2)
        return p

    # -- blocks

    def header(self, number: str | None, symbol: str, issued_on: date | None, year: int,
               subject: str | None = None) -> Table:
        """The header table: agency | Quốc hiệu on row 1, Số (+ V/v) | date on row 2."""
        s = self.settings
        z = self.sizes
        table = self.doc.add_table(rows=2, cols=2)
        table_borders(table, "nil")
        cell_margins(table)
        widths = [int(HEADER_LEFT), int(HEADER_RIGHT)]
        fixed_widths(table, widths)
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
        table_borders(table, "nil")
        cell_margins(table)
        widths = [int(Cm(7.5)), int(self._text_width) - int(Cm(7.5))]
        fixed_widths(table, widths)
        cant_split(table.rows[0]._tr)
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
            mark_size(blank, z.signature)
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
        insert_before(sect_pr, num, ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
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
            mark_size(spacer, before)
        table = self.doc.add_table(rows=2, cols=n)
        table_borders(table, "single")
        cell_margins(table, GRID_CELL_MARGIN)
        fixed_widths(table, [int(w) for w in widths])
        header_row, template_row = table.rows
        repeat_header(header_row)
        cant_split(header_row._tr)
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
        cant_split(template)
        tbl = table._tbl
        tbl.remove(template)
        defer_rows(tbl, self._deferred_rows, RowWriter(template, n).rows_xml(rows, set(bold_rows), progress))
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
        write_docx(self.doc, target, self._deferred_rows)


__all__ = [
    "FONT", "LANGUAGE", "MOTTO", "NATIONAL_NAME", "OfficialDocument", "SIZES", "Sizes", "TEXT_WIDTH_LANDSCAPE",
    "TEXT_WIDTH_PORTRAIT", "pin_fonts",
]
