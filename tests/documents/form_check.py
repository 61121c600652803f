"""A reader of generated .docx files against the checklist of shared/official-form.md.

Each check takes a ``Doc`` (the document read back with python-docx, plus where its parts are)
and raises AssertionError naming the item when the document breaks it. Properties are resolved
the way Word does: run, then paragraph, then its style chain, then docDefaults.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

TNR = "Times New Roman"
TWIP = 635  # EMU
CM = 360000  # EMU

NATIONAL = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TYPE_CODES = {"NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr",
              "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "SY", "TrS", "SL"}
DATE_RE = (r"^{place}, ngày (?:(0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2])|\s+tháng\s+) năm \d{{4}}$")
NUMBER_RE = re.compile(r"^Số:\s*(\d{2,})?\s*/[A-ZĐ][A-Za-zĐđ]*(-[A-ZĐ][A-ZĐa-zđ]*)*$")
AUTHORITY_RE = re.compile(r"^(?:(TM|KT|TL|TUQ|Q)\. )?[A-ZÀ-Ỹ ,]+$")


# ---------------------------------------------------------------- effective properties


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


_CHAINS: dict[tuple[object, str | None], list] = {}


def _paragraph_styles(p: Paragraph) -> list:
    """The paragraph's style chain, cached (python-docx scans every style on each lookup)."""
    key = (p.part, p._p.style)
    if key not in _CHAINS:
        _CHAINS[key] = list(_style_chain(p.style))
    return _CHAINS[key]


def _defaults(doc: DocxDocument):
    return doc.styles.element.find(qn("w:docDefaults"))


def default_size_pt(doc: DocxDocument) -> float:
    sz = _defaults(doc).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:sz"))
    return int(sz.get(qn("w:val"))) / 2


def para_prop(p: Paragraph, name: str):
    """Effective paragraph_format attribute (paragraph, style chain); None when nowhere set."""
    value = getattr(p.paragraph_format, name)
    if value is not None:
        return value
    for style in _paragraph_styles(p):
        value = getattr(style.paragraph_format, name)
        if value is not None:
            return value
    return None


def alignment(p: Paragraph):
    return para_prop(p, "alignment") or WD_ALIGN_PARAGRAPH.LEFT


def run_prop(run, p: Paragraph, name: str):
    value = getattr(run.font, name)
    if value is not None:
        return value
    for style in _paragraph_styles(p):
        value = getattr(style.font, name)
        if value is not None:
            return value
    return None


def run_size(doc: DocxDocument, run, p: Paragraph) -> float:
    size = run_prop(run, p, "size")
    return size.pt if size is not None else default_size_pt(doc)


def text_runs(p: Paragraph):
    return [r for r in p.runs if r.text.strip()]


def sizes(doc, p: Paragraph) -> set[float]:
    return {run_size(doc, r, p) for r in text_runs(p)}


def all_bold(p: Paragraph) -> bool:
    return bool(text_runs(p)) and all(run_prop(r, p, "bold") is True for r in text_runs(p))


def any_bold(p: Paragraph) -> bool:
    return any(run_prop(r, p, "bold") is True for r in text_runs(p))


def all_italic(p: Paragraph) -> bool:
    return bool(text_runs(p)) and all(run_prop(r, p, "italic") is True for r in text_runs(p))


def any_italic(p: Paragraph) -> bool:
    return any(run_prop(r, p, "italic") is True for r in text_runs(p))


def twips(length) -> int:
    return int(round((length or 0) / TWIP))


def space_before(p: Paragraph) -> int:
    return twips(para_prop(p, "space_before"))


def space_after(p: Paragraph) -> int:
    return twips(para_prop(p, "space_after"))


def bottom_border(p: Paragraph) -> bool:
    ppr = p._p.pPr
    if ppr is None:
        return False
    pbdr = ppr.find(qn("w:pBdr"))
    return pbdr is not None and pbdr.find(qn("w:bottom")) is not None and \
        pbdr.find(qn("w:bottom")).get(qn("w:val")) not in (None, "nil", "none")


def cell_width(cell) -> int:
    tcw = cell._tc.tcPr.find(qn("w:tcW"))
    return int(tcw.get(qn("w:w"))) * TWIP


def rule_length(p: Paragraph, container_width: int) -> int:
    """Length (EMU) of a bottom-border rule: the container width minus the paragraph's indents."""
    pf = p.paragraph_format
    return container_width - (pf.left_indent or 0) - (pf.right_indent or 0)


def has_page_field(part_element) -> bool:
    return any(" PAGE " in (t.text or "") or (t.text or "").strip() == "PAGE"
               for t in part_element.iter(qn("w:instrText"))) or \
        any("PAGE" in (f.get(qn("w:instr")) or "") for f in part_element.iter(qn("w:fldSimple")))


# ---------------------------------------------------------------- locating the parts


@dataclass
class Doc:
    path: Path
    kind: str  # "report" | "letter"
    place: str
    doc: DocxDocument = field(init=False)
    header: Table = field(init=False)
    body: list[Paragraph] = field(init=False)  # top-level paragraphs of the first section
    signature: Table | None = field(init=False)
    appendix: list[Paragraph] = field(init=False)  # top-level paragraphs after the first section

    def __post_init__(self):
        self.doc = docx.Document(str(self.path))
        body = self.doc.element.body
        children = list(body.iterchildren())
        first = children[0]
        self.header = Table(first, self.doc._body) if first.tag == qn("w:tbl") else None
        self.body, self.appendix, self.signature = [], [], None
        in_appendix = False
        for child in children[1:]:
            if child.tag == qn("w:p"):
                p = Paragraph(child, self.doc._body)
                (self.appendix if in_appendix else self.body).append(p)
                if child.find(qn("w:pPr")) is not None and child.find(qn("w:pPr")).find(qn("w:sectPr")) is not None:
                    in_appendix = True
            elif child.tag == qn("w:tbl") and not in_appendix and self.signature is None:
                table = Table(child, self.doc._body)
                if "Nơi nhận" in table.rows[0].cells[0].text:
                    self.signature = table

    # header cells
    def cell_paragraphs(self, row: int, col: int) -> list[Paragraph]:
        return self.header.rows[row].cells[col].paragraphs

    def find_header_paragraph(self, predicate) -> tuple[Paragraph, object]:
        for row in self.header.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if predicate(p.text):
                        return p, cell
        raise AssertionError("paragraph not found in the header table")

    def text_paragraphs(self) -> list[Paragraph]:
        return [p for p in self.body if p.text.strip()]

    def title_index(self) -> int:
        """Index in ``body`` of the tên loại ("BÁO CÁO"); for a letter, -1."""
        for i, p in enumerate(self.body):
            if p.text.strip() == "BÁO CÁO":
                return i
        return -1

    def kinh_gui(self) -> list[Paragraph]:
        for i, p in enumerate(self.body):
            if p.text.startswith("Kính gửi"):
                out = [p]
                if p.text.strip() == "Kính gửi:":
                    for q in self.body[i + 1:]:
                        if not q.text.startswith("- "):
                            break
                        out.append(q)
                return out
        return []

    def main_text(self) -> list[Paragraph]:
        """Body paragraphs from after Kính gửi to the end of the first section (the content)."""
        kg = self.kinh_gui()
        start = self.body.index(kg[-1]) + 1 if kg else self.title_index() + 3
        return [p for p in self.body[start:] if p.text.strip()]

    def signature_parts(self):
        left, right = self.signature.rows[0].cells
        return left.paragraphs, right.paragraphs


# ---------------------------------------------------------------- the checks


def _sections(d: Doc):
    return d.doc.sections


def check_P1(d: Doc):
    for i, s in enumerate(_sections(d)):
        dims = sorted((twips(s.page_width), twips(s.page_height)))
        assert abs(dims[0] - 11906) <= 20 and abs(dims[1] - 16838) <= 20, f"P1: section {i} is not A4: {dims}"
    assert twips(_sections(d)[0].page_width) < twips(_sections(d)[0].page_height), "P1: first section not portrait"


def check_P2(d: Doc):
    for i, s in enumerate(_sections(d)):
        assert 1134 - 3 <= twips(s.top_margin) <= 1417 + 3, f"P2: top margin {twips(s.top_margin)}"
        assert 1134 - 3 <= twips(s.bottom_margin) <= 1417 + 3, f"P2: bottom margin {twips(s.bottom_margin)}"
        assert 1701 - 3 <= twips(s.left_margin) <= 1984 + 3, f"P2: left margin {twips(s.left_margin)}"
        assert 850 - 3 <= twips(s.right_margin) <= 1134 + 3, f"P2: right margin {twips(s.right_margin)}"


def check_P3(d: Doc):
    for i, s in enumerate(_sections(d)):
        assert s.different_first_page_header_footer, f"P3: section {i} has no titlePg"
        assert has_page_field(s.header._element), f"P3: section {i} default header has no PAGE field"
        assert not has_page_field(s.first_page_header._element), f"P3: section {i} first-page header has a number"
    assert not has_page_field(d.doc.element.body), "P3: a PAGE field in the body"


def check_P4(d: Doc):
    for i, s in enumerate(_sections(d)):
        for p in s.header.paragraphs:
            if not has_page_field(p._p):
                continue
            assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "P4: page number not centred"
            for r in p.runs:
                assert 13 <= run_size(d.doc, r, p) <= 14, f"P4: page number size {run_size(d.doc, r, p)}"
                assert run_prop(r, p, "bold") is not True and run_prop(r, p, "italic") is not True, "P4: b/i"


def check_P5(d: Doc):
    sections = _sections(d)
    if d.kind != "report":
        assert len(sections) == 1, "P5: a letter has no appendix section"
        return
    assert len(sections) >= 2, "P5: the report has no appendix section"
    for s in sections[1:]:
        num = s._sectPr.find(qn("w:pgNumType"))
        assert num is not None and num.get(qn("w:start")) == "1", "P5: appendix numbering does not restart at 1"


def _all_rfonts(d: Doc):
    yield from d.doc.styles.element.iter(qn("w:rFonts"))
    yield from d.doc.element.iter(qn("w:rFonts"))
    for s in _sections(d):
        yield from s.header._element.iter(qn("w:rFonts"))


def check_F1(d: Doc):
    defaults = _defaults(d.doc).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi"):
        assert defaults.get(qn(f"w:{attr}")) == TNR, f"F1: docDefaults {attr}"
    for fonts in _all_rfonts(d):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            assert fonts.get(qn(f"w:{attr}")) is None, f"F1: theme font attribute {attr} left"
        for attr in ("ascii", "hAnsi"):
            value = fonts.get(qn(f"w:{attr}"))
            assert value in (None, TNR), f"F1: font {value}"
    for name in ("Normal", "Header"):
        fonts = d.doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == TNR and fonts.get(qn("w:hAnsi")) == TNR, f"F1: style {name}"


def check_F2(d: Doc):
    rpr = _defaults(d.doc).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == TNR and fonts.get(qn("w:cs")) == TNR, "F2: eastAsia/cs not TNR"
    assert rpr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN", "F2: language not vi-VN"
    for fonts in _all_rfonts(d):
        assert fonts.get(qn("w:eastAsia")) in (None, TNR), "F2: eastAsia font"


def check_F3(d: Doc):
    for root in (d.doc.element, d.doc.styles.element):
        for color in root.iter(qn("w:color")):
            assert color.get(qn("w:val")) in ("auto", "000000"), f"F3: colour {color.get(qn('w:val'))}"
            assert color.get(qn("w:themeColor")) is None, "F3: theme colour"


def check_F4(d: Doc):
    for root in [d.doc.element] + [s.header._element for s in _sections(d)]:
        for t in root.iter(qn("w:t")):
            text = t.text or ""
            assert unicodedata.normalize("NFC", text) == text, f"F4: not NFC: {text!r}"


def check_H0(d: Doc):
    assert d.header is not None, "H0: the first block is not a table"
    grid = d.header._tbl.tblGrid.findall(qn("w:gridCol"))
    assert len(grid) == 2, f"H0: header table has {len(grid)} grid columns"
    for row in d.header.rows:
        for cell, col in zip(row.cells, grid):
            assert cell._tc.tcPr.find(qn("w:tcW")) is not None, "H0: cell without tcW"
            assert abs(cell_width(cell) - int(col.get(qn("w:w"))) * TWIP) < 2 * TWIP, "H0: tcW != gridCol"
    _, number_cell = d.find_header_paragraph(lambda t: t.startswith("Số:"))
    _, date_cell = d.find_header_paragraph(lambda t: ", ngày" in t)
    number_row = [i for i, r in enumerate(d.header.rows) if number_cell._tc in [c._tc for c in r.cells]]
    date_row = [i for i, r in enumerate(d.header.rows) if date_cell._tc in [c._tc for c in r.cells]]
    assert number_row == date_row, "H0: Số and the date are not on the same row"
    assert number_cell._tc is d.header.rows[number_row[0]].cells[0]._tc, "H0: Số not in the left column"
    left_agency = d.cell_paragraphs(0, 0)[0].text
    assert left_agency.isupper(), "H0: left column is not the agency"
    assert d.cell_paragraphs(0, 1)[0].text in NATIONAL, "H0: right column is not the Quốc hiệu"


def check_H1(d: Doc):
    tblpr = d.header._tbl.tblPr
    style = tblpr.find(qn("w:tblStyle"))
    assert style is None or style.get(qn("w:val")) != "TableGrid", "H1: TableGrid style"
    borders = tblpr.find(qn("w:tblBorders"))
    assert borders is not None, "H1: no explicit tblBorders"
    for edge in borders:
        assert edge.get(qn("w:val")) in ("nil", "none"), f"H1: visible border {edge.tag}"
    for tc in d.header._tbl.iter(qn("w:tcBorders")):
        for edge in tc:
            assert edge.get(qn("w:val")) in ("nil", "none"), "H1: visible cell border"


def check_H2(d: Doc):
    p, cell = d.find_header_paragraph(lambda t: t in NATIONAL)
    assert sizes(d.doc, p) <= {12, 13} and sizes(d.doc, p), f"H2: size {sizes(d.doc, p)}"
    assert all_bold(p) and not any_italic(p), "H2: not bold/upright"
    assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "H2: not centred"
    width_needed = {12: 8.77, 13: 9.50}[max(sizes(d.doc, p))] * CM
    margins = d.header._tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None, "H2: default cell margins (0.19 cm) would make the Quốc hiệu wrap"
    assert cell_width(cell) >= width_needed, "H2: Quốc hiệu does not fit on one line"


def check_H3(d: Doc):
    paragraphs = d.cell_paragraphs(0, 1)
    texts = [p.text for p in paragraphs]
    i = next(i for i, t in enumerate(texts) if t in NATIONAL)
    motto = paragraphs[i + 1]
    assert motto.text == MOTTO, f"H3: tiêu ngữ {motto.text!r}"
    assert "–" not in motto.text and "—" not in motto.text, "H3: dash instead of hyphen"
    assert sizes(d.doc, motto) <= {13, 14} and sizes(d.doc, motto), "H3: size"
    assert all_bold(motto) and not any_italic(motto), "H3: not bold/upright"
    assert space_before(motto) == 0 and space_after(paragraphs[i]) == 0, "H3: spacing between Quốc hiệu and tiêu ngữ"
    assert alignment(motto) == WD_ALIGN_PARAGRAPH.CENTER, "H3: not centred"


def check_H4(d: Doc):
    paragraphs = d.cell_paragraphs(0, 1)
    i = [p.text for p in paragraphs].index(MOTTO)
    rule = paragraphs[i + 1] if not bottom_border(paragraphs[i]) else paragraphs[i]
    assert bottom_border(rule), "H4: no rule under the tiêu ngữ"
    size = max(sizes(d.doc, paragraphs[i]))
    text_width = {13: 5.61, 14: 6.04}[size] * CM
    length = rule_length(rule, cell_width(d.header.rows[0].cells[1]))
    assert abs(length - text_width) <= 0.1 * text_width, f"H4: rule {length / CM:.2f} cm vs text {text_width / CM}"


def check_H5(d: Doc):
    p, _ = d.find_header_paragraph(lambda t: ", ngày" in t)
    assert sizes(d.doc, p) <= {13, 14} and sizes(d.doc, p), "H5: size"
    assert all_italic(p) and not any_bold(p), "H5: not italic / bold"
    assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "H5: not centred"


def check_H6(d: Doc):
    p, _ = d.find_header_paragraph(lambda t: ", ngày" in t)
    assert re.match(DATE_RE.format(place=re.escape(d.place)), p.text), f"H6: date line {p.text!r}"


def check_H6a(d: Doc):
    p, _ = d.find_header_paragraph(lambda t: ", ngày" in t)
    assert p.text.split(",")[0] == d.place, "H6a: địa danh"


def check_H7(d: Doc):
    p = d.cell_paragraphs(0, 0)[1]
    assert p.text.isupper(), "H7: agency not upper case"
    assert sizes(d.doc, p) <= {12, 13} and sizes(d.doc, p), "H7: size"
    assert all_bold(p) and not any_italic(p), "H7: not bold"
    assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "H7: not centred"


def check_H8(d: Doc):
    p = d.cell_paragraphs(0, 0)[0]
    assert p.text.isupper(), "H8: chủ quản not upper case"
    assert sizes(d.doc, p) <= {12, 13} and sizes(d.doc, p), "H8: size"
    assert not any_bold(p) and not any_italic(p), "H8: bold or italic"
    assert space_after(p) == 0 and space_before(d.cell_paragraphs(0, 0)[1]) == 0, "H8: spacing"


def check_H9(d: Doc):
    paragraphs = d.cell_paragraphs(0, 0)
    name = paragraphs[1]
    rule = paragraphs[2]
    assert bottom_border(rule) and not rule.text.strip(), "H9: no rule under the agency name"
    name_width = 6.85 * CM * len(name.text) / len("PHÒNG VĂN HÓA VÀ THÔNG TIN")
    line = min(name_width, cell_width(d.header.rows[0].cells[0]))
    length = rule_length(rule, cell_width(d.header.rows[0].cells[0]))
    assert line / 3 * 0.9 <= length <= line / 2 * 1.1, f"H9: rule {length / CM:.2f} cm for a {line / CM:.2f} cm name"
    assert alignment(rule) == WD_ALIGN_PARAGRAPH.CENTER, "H9: rule not centred"


def check_H10(d: Doc):
    p, _ = d.find_header_paragraph(lambda t: t.startswith("Số:"))
    assert sizes(d.doc, p) == {13}, f"H10: size {sizes(d.doc, p)}"
    assert not any_bold(p) and not any_italic(p), "H10: bold or italic"
    assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "H10: not centred"


def check_H11(d: Doc):
    p, _ = d.find_header_paragraph(lambda t: t.startswith("Số:"))
    assert NUMBER_RE.match(p.text), f"H11: {p.text!r}"


def check_H12(d: Doc):
    p, _ = d.find_header_paragraph(lambda t: t.startswith("Số:"))
    first_group = p.text.split("/", 1)[1].split("-")[0]
    if d.kind == "report":
        assert first_group == "BC", f"H12: report symbol starts with {first_group}"
    else:
        assert first_group not in TYPE_CODES, f"H12: công văn symbol has a type code {first_group}"


def check_H13(d: Doc):
    found = [p for row in d.header.rows for c in row.cells for p in c.paragraphs if p.text.startswith("V/v")]
    if d.kind == "report":
        assert not found, "H13: a report has no V/v"
        return
    assert len(found) == 1, "H13: no V/v line"
    p = found[0]
    number, _ = d.find_header_paragraph(lambda t: t.startswith("Số:"))
    cell_ps = d.cell_paragraphs(1, 0)
    elements = [q._p for q in cell_ps]
    assert elements.index(p._p) == elements.index(number._p) + 1, "H13: V/v not right under Số"
    assert sizes(d.doc, p) <= {12, 13} and sizes(d.doc, p), "H13: size"
    assert not any_bold(p), "H13: bold"
    assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "H13: not centred"
    assert max(space_before(p), space_after(number)) >= 120, "H13: less than 6 pt after Số"
    assert "\n" not in p.text and not p._p.findall(".//" + qn("w:br")), "H13: hard line breaks in V/v"


def check_H14(d: Doc):
    for row in d.header.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, f"H14: {p.text!r} not centred"


def check_T1(d: Doc):
    i = d.title_index()
    if d.kind != "report":
        return
    assert i >= 0, "T1: no BÁO CÁO"
    p = d.body[i]
    assert sizes(d.doc, p) <= {13, 14} and sizes(d.doc, p), "T1: size"
    assert all_bold(p) and not any_italic(p), "T1: not bold"
    assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "T1: not centred"


def check_T2(d: Doc):
    if d.kind != "report":
        return
    p = d.body[d.title_index() + 1]
    assert p.text.strip() and not p.text.isupper(), "T2: trích yếu missing or upper case"
    assert sizes(d.doc, p) <= {13, 14} and sizes(d.doc, p), "T2: size"
    assert all_bold(p) and not any_italic(p), "T2: not bold"
    assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "T2: not centred"
    assert not p._p.findall(".//" + qn("w:br")), "T2: hard line breaks"


def check_T3(d: Doc):
    if d.kind != "report":
        return
    rule = d.body[d.title_index() + 2]
    assert bottom_border(rule) and not rule.text.strip(), "T3: no rule under the trích yếu"
    text_width = d.doc.sections[0].page_width - d.doc.sections[0].left_margin - d.doc.sections[0].right_margin
    length = rule_length(rule, text_width)
    assert 3 * CM <= length <= text_width / 2, f"T3: rule {length / CM:.2f} cm"
    assert alignment(rule) == WD_ALIGN_PARAGRAPH.CENTER, "T3: rule not centred"


def check_T4(d: Doc):
    if d.kind != "letter":
        return
    assert all(p.text.strip() != "CÔNG VĂN" for p in d.body), "T4: a CÔNG VĂN title"


def _content(d: Doc) -> list[Paragraph]:
    paragraphs = d.main_text()
    assert len(paragraphs) >= 3, "body: no content after the title / Kính gửi"
    return paragraphs


def check_B1(d: Doc):
    for p in _content(d):
        assert alignment(p) == WD_ALIGN_PARAGRAPH.JUSTIFY, f"B1: not justified: {p.text[:40]!r}"
        assert sizes(d.doc, p) <= {13, 14} and sizes(d.doc, p), f"B1: size {sizes(d.doc, p)}: {p.text[:40]!r}"
        if not re.match(r"^([IVX]+\.|\d+\.)\s", p.text):
            assert not any_bold(p) and not any_italic(p), f"B1: not plain upright: {p.text[:40]!r}"


def check_B2(d: Doc):
    for p in _content(d):
        first = twips(para_prop(p, "first_line_indent"))
        assert min(abs(first - 567), abs(first - 720)) <= 20, f"B2: first line {first}: {p.text[:40]!r}"


def check_B3(d: Doc):
    for p in _content(d):
        assert max(space_before(p), space_after(p)) >= 120, f"B3: spacing: {p.text[:40]!r}"


def check_B4(d: Doc):
    from docx.enum.text import WD_LINE_SPACING

    for p in _content(d):
        rule = para_prop(p, "line_spacing_rule")
        value = para_prop(p, "line_spacing")
        if rule in (None, WD_LINE_SPACING.MULTIPLE, WD_LINE_SPACING.SINGLE, WD_LINE_SPACING.ONE_POINT_FIVE):
            multiple = value if isinstance(value, float) else 1.0
            assert 1.0 <= multiple <= 1.5, f"B4: line spacing {multiple}"
        else:
            size = max(sizes(d.doc, p))
            assert 1.0 * size <= value.pt <= 1.725 * size, f"B4: exact spacing {value.pt}"


def check_B5(d: Doc):
    assert _content(d)[-1].text.rstrip().endswith("./."), f"B5: ends with {_content(d)[-1].text[-10:]!r}"


def check_B6(d: Doc):
    kg = d.kinh_gui()
    assert kg, "B6: no Kính gửi"
    for p in kg:
        assert sizes(d.doc, p) <= {13, 14} and sizes(d.doc, p), "B6: size"
        assert not any_bold(p) and not any_italic(p), "B6: bold/italic"
    if len(kg) == 1:
        assert re.match(r"^Kính gửi: .+\.$", kg[0].text), f"B6: {kg[0].text!r}"
        return
    assert kg[0].text == "Kính gửi:", "B6: several recipients start on their own lines"
    items = kg[1:]
    for p in items[:-1]:
        assert re.match(r"^- .+;$", p.text), f"B6: {p.text!r}"
    assert re.match(r"^- .+\.$", items[-1].text), f"B6: last {items[-1].text!r}"
    label_left = kg[0].paragraph_format.left_indent or 0
    colon = label_left + 1.81 * CM  # "Kính gửi" at 14 pt
    for p in items:
        assert abs((p.paragraph_format.left_indent or 0) - colon) < 0.25 * CM, "B6: dashes not under the colon"


def check_B7(d: Doc):
    headings = [p for p in _content(d) if re.match(r"^[IVX]+\. ", p.text)]
    if d.kind == "report":
        assert [h.text.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V"], "B7: mục I–V"
    for h in headings:
        assert h.text.isupper() and all_bold(h), f"B7: mục {h.text!r}"
    for p in _content(d):
        if re.match(r"^[a-zđ]\) ", p.text):
            assert not any_bold(p) and not any_italic(p), f"B7: điểm {p.text[:30]!r}"
        if re.match(r"^\d+\. ", p.text) and len(p.text) < 200:
            assert all_bold(p), f"B7: khoản heading not bold {p.text[:30]!r}"


def check_S1(d: Doc):
    _, right = d.signature_parts()
    lines = [p for p in right if p.text.strip()][:-1]
    assert lines, "S1: no authority line"
    for p in lines:
        assert AUTHORITY_RE.match(p.text), f"S1: {p.text!r}"
        assert all_bold(p) and sizes(d.doc, p) <= {13, 14} and sizes(d.doc, p), "S1: bold 13–14"
        assert alignment(p) == WD_ALIGN_PARAGRAPH.CENTER, "S1: not centred"


def check_S2(d: Doc):
    _, right = d.signature_parts()
    name = [p for p in right if p.text.strip()][-1]
    assert not name.text.isupper() and name.text.istitle(), f"S2: name {name.text!r}"
    assert all_bold(name) and sizes(d.doc, name) <= {13, 14} and sizes(d.doc, name), "S2: bold 13–14"
    assert alignment(name) == WD_ALIGN_PARAGRAPH.CENTER, "S2: not centred"


def check_S3(d: Doc):
    _, right = d.signature_parts()
    lines = [p.text for p in right if p.text.strip()][:-1]
    if lines[0].startswith("KT."):
        assert len(lines) >= 2, "S3: KT. without the deputy's title"


def check_S4(d: Doc):
    _, right = d.signature_parts()
    texts = [p.text.strip() for p in right]
    last_title = max(i for i, t in enumerate(texts[:-1]) if t)
    blanks = texts[last_title + 1:len(texts) - 1]
    assert len(blanks) >= 3 and not any(blanks), f"S4: {len(blanks)} blank lines for the signature"


def check_N1(d: Doc):
    assert d.signature is not None, "N1: no signature table"
    left, right = d.signature_parts()
    label = left[0]
    assert label.text == "Nơi nhận:", f"N1: {label.text!r}"
    assert sizes(d.doc, label) == {12} and all_bold(label) and all_italic(label), "N1: 12 bold italic"
    assert alignment(label) == WD_ALIGN_PARAGRAPH.LEFT, "N1: not flush left"
    assert twips(label.paragraph_format.left_indent) == 0, "N1: indented"
    first_authority = next(p for p in right if p.text.strip())
    assert space_before(label) == space_before(first_authority), "N1: not level with the quyền hạn line"


def check_N2(d: Doc):
    left, _ = d.signature_parts()
    items = [p for p in left[1:] if p.text.strip()]
    assert items, "N2: empty list"
    for p in items:
        assert sizes(d.doc, p) == {11} and not any_bold(p) and not any_italic(p), "N2: 11 upright"
        assert p.text.startswith("- "), f"N2: {p.text!r}"
        assert alignment(p) == WD_ALIGN_PARAGRAPH.LEFT, "N2: not flush left"
    for p in items[:-1]:
        assert p.text.endswith(";"), f"N2: {p.text!r}"


def check_N3(d: Doc):
    left, _ = d.signature_parts()
    items = [p.text for p in left[1:] if p.text.strip()]
    assert re.match(r"^- Lưu: VT(, .+)?\.$", items[-1]), f"N3: {items[-1]!r}"
    if d.kind == "letter" or d.kinh_gui():
        assert items[0] == "- Như trên;", "N3: công văn / upward report start with «- Như trên;»"


def check_appendix(d: Doc):
    """§7: "Phụ lục I", its upper-case title, the italic "(Kèm theo ...)" caption, a rule, and a
    data table whose header row repeats on every page."""
    if d.kind != "report":
        return
    ps = d.appendix
    assert ps[0].text == "Phụ lục I", f"§7: {ps[0].text!r}"
    assert sizes(d.doc, ps[0]) == {14} and all_bold(ps[0]) and not any_italic(ps[0]), "§7: Phụ lục I 14 bold"
    assert alignment(ps[0]) == WD_ALIGN_PARAGRAPH.CENTER, "§7: not centred"
    title = ps[1]
    assert title.text.isupper() and all_bold(title) and sizes(d.doc, title) <= {13, 14}, "§7: title"
    caption = ps[2]
    assert caption.text.startswith("(Kèm theo Báo cáo số") and caption.text.endswith(")"), "§7: caption"
    assert all_italic(caption) and sizes(d.doc, caption) <= {13, 14}, "§7: caption italic 13–14"
    assert alignment(caption) == WD_ALIGN_PARAGRAPH.CENTER, "§7: caption not centred"
    assert bottom_border(ps[3]), "§7: no rule under the caption"
    tables = appendix_tables(d)
    assert tables, "§7: no table"
    header = tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) in (None, "true", "1"), "§7: header row not repeated"


def appendix_tables(d: Doc) -> list[Table]:
    body = d.doc.element.body
    out, after = [], False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and child.find(qn("w:pPr")) is not None and \
                child.find(qn("w:pPr")).find(qn("w:sectPr")) is not None:
            after = True
        elif after and child.tag == qn("w:tbl"):
            out.append(Table(child, d.doc._body))
    return out


ITEMS = {
    "P1": check_P1, "P2": check_P2, "P3": check_P3, "P4": check_P4, "P5": check_P5,
    "F1": check_F1, "F2": check_F2, "F3": check_F3, "F4": check_F4,
    "H0": check_H0, "H1": check_H1, "H2": check_H2, "H3": check_H3, "H4": check_H4, "H5": check_H5,
    "H6": check_H6, "H6a": check_H6a, "H7": check_H7, "H8": check_H8, "H9": check_H9, "H10": check_H10,
    "H11": check_H11, "H12": check_H12, "H13": check_H13, "H14": check_H14,
    "T1": check_T1, "T2": check_T2, "T3": check_T3, "T4": check_T4,
    "B1": check_B1, "B2": check_B2, "B3": check_B3, "B4": check_B4, "B5": check_B5, "B6": check_B6, "B7": check_B7,
    "S1": check_S1, "S2": check_S2, "S3": check_S3, "S4": check_S4,
    "N1": check_N1, "N2": check_N2, "N3": check_N3,
    "appendix": check_appendix,
}


def failures(d: Doc) -> dict[str, str]:
    """Every item that fails, with its message (for the negative tests)."""
    out = {}
    for item, check in ITEMS.items():
        try:
            check(d)
        except Exception as exc:  # a broken document may break the locating code too
            out[item] = f"{type(exc).__name__}: {exc}"
    return out
