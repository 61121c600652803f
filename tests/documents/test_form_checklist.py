"""Every generated document read back and checked against official-form.md, item by item."""

from __future__ import annotations

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .form_check import ITEMS, Doc, failures

DOCS = {
    "report_2790": "report",
    "report_128": "report",
    "report_128_final": "report",
    "letter": "letter",
    "letter_2790": "letter",
}


@pytest.fixture(scope="module")
def read_docs(demo_docs):
    place = demo_docs.db.settings().place_name
    return {name: Doc(getattr(demo_docs, name), kind, place) for name, kind in DOCS.items()}


@pytest.mark.parametrize("item", list(ITEMS))
@pytest.mark.parametrize("name", list(DOCS))
def test_official_form_item(read_docs, name, item):
    ITEMS[item](read_docs[name])


def test_checks_catch_a_plain_python_docx_document(tmp_path):
    """The checker is not a rubber stamp: python-docx's defaults break the form."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "UBND QUẬN NGÔ QUYỀN"
    table.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.rows[1].cells[0].text = "Số: 05/BC-VHTT"
    table.rows[1].cells[1].text = "Ngô Quyền, ngày 5 tháng 1 năm 2024"
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Nội dung./.")
    path = tmp_path / "plain.docx"
    document.save(path)
    failed = failures(Doc(path, "report", "Ngô Quyền"))
    for item in ("P1", "P2", "P3", "P5", "F1", "F2", "H1", "H2", "H3", "H6", "T1", "B1", "N1"):
        assert item in failed, item


def _mutated(demo_docs, tmp_path, change) -> Doc:
    document = docx.Document(str(demo_docs.report_128))
    change(document)
    path = tmp_path / "mutated.docx"
    document.save(path)
    return Doc(path, "report", "Ngô Quyền")


def test_checks_catch_a_page_number_on_page_one(demo_docs, tmp_path):
    def change(document):
        title_pg = document.sections[0]._sectPr.find(qn("w:titlePg"))
        title_pg.getparent().remove(title_pg)

    assert "P3" in failures(_mutated(demo_docs, tmp_path, change))


def test_checks_catch_a_theme_font_and_a_colour(demo_docs, tmp_path):
    def change(document):
        fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
        fonts.set(qn("w:asciiTheme"), "minorHAnsi")
        run = document.paragraphs[0].runs[0]
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "365F91")
        run._r.get_or_add_rPr().append(color)

    failed = failures(_mutated(demo_docs, tmp_path, change))
    assert "F1" in failed and "F3" in failed


def test_checks_catch_wrong_sizes_and_a_bad_date(demo_docs, tmp_path):
    def change(document):
        cells = document.tables[0].rows[1].cells
        cells[0].paragraphs[0].runs[0].font.size = Pt(14)
        date_run = cells[1].paragraphs[0].runs[0]
        date_run.text = "Ngô Quyền, ngày 5 tháng 01 năm 2024"

    failed = failures(_mutated(demo_docs, tmp_path, change))
    assert "H10" in failed and "H6" in failed


def test_checks_catch_a_missing_full_stop_mark_and_numbering_restart(demo_docs, tmp_path):
    def change(document):
        for p in document.paragraphs:
            for r in p.runs:
                r.text = r.text.replace("./.", ".")
        num = document.sections[1]._sectPr.find(qn("w:pgNumType"))
        num.getparent().remove(num)

    failed = failures(_mutated(demo_docs, tmp_path, change))
    assert "B5" in failed and "P5" in failed


@pytest.mark.parametrize("name", list(DOCS))
def test_file_properties_name_the_office_not_the_library(read_docs, demo_docs, name):
    props = read_docs[name].doc.core_properties
    assert props.author == demo_docs.db.settings().agency_name
    assert "python-docx" not in (props.comments or "") and props.created.year >= 2024
    assert props.language == "vi-VN" and props.title
