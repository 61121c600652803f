"""Phụ lục I on A4 paper: the district case of bench/generate.py (60 units x 30 tasks, 1,800
assignments) and the periodic task of the demo's 45/KH-UBND, converted by LibreOffice and read back
from the PDF: no date broken across lines, landscape for the wide list with its own page numbers,
the unit named once above its rows, a «Tổng cộng» row ending each table, one row per period."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from bench.generate import BENCH_TODAY, generate
from desktop.documents import build_report
from desktop.documents.form import OfficialDocument
from desktop.documents.metrics import GRID_CELL_MARGIN, fit_columns, text_twips
from desktop.documents.ooxml import FullRow
from desktop.documents.report_data import collect_report
from desktop.services.demo import DEMO_TODAY
from desktop.services.settings import Settings
from desktop.tracking.labels import fmt_period
from desktop.tracking.stats import summarize

from .conftest import directive_id
from .form_check import ITEMS, Doc, appendix_tables

DATE = re.compile(r"(?<![\d/])\d{2}/\d{2}/\d{4}(?![\d/])")
# what is left of a date cut at the end of a line: "05/09/202", "05/09/", "05/0", "05/"
CUT_DATE = re.compile(r"(?<![\d/])\d{2}/(?:\d{2}/\d{0,3}|\d?)(?![\d/])")


@dataclass
class Rendered:
    docx_path: Path
    doc: Doc
    pdf: Path
    pages: int
    appendix_first: int  # the first page of Phụ lục I

    def text(self, first: int, last: int | None = None, layout: bool = True) -> str:
        args = ["pdftotext"] + (["-layout"] if layout else []) + ["-f", str(first), "-l", str(last or self.pages),
                                                                  str(self.pdf), "-"]
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout

    @property
    def appendix_pages(self) -> int:
        return self.pages - self.appendix_first + 1


def _render(path: Path, place: str) -> Rendered:
    """The .docx as LibreOffice prints it (a private profile: runs beside a desktop LibreOffice)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: scripts/system-deps.sh installs it"
    profile = path.parent / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(path.parent), str(path)], check=True, capture_output=True, timeout=600)
    pdf = path.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    rendered = Rendered(path, Doc(path, "report", place), pdf, pages, 0)
    for page in range(1, pages + 1):
        if rendered.text(page, page, layout=False).lstrip().startswith("Phụ lục I"):
            rendered.appendix_first = page
            break
    assert rendered.appendix_first, "no page starts with «Phụ lục I»"
    return rendered


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """bench/generate.py's district database; its directive 1 gives 30 tasks to each of 60 units."""
    from desktop.infra.database import open_database

    folder = tmp_path_factory.mktemp("district-paper")
    generate(folder / "district.db", "district")
    db = open_database(folder / "district.db")
    try:
        result = build_report(db, folder / "district.docx", today=BENCH_TODAY, directive_ids=[1])
        with db.session() as s:
            data = collect_report(s, BENCH_TODAY, directive_ids=[1])
        place = db.settings().place_name
    finally:
        db.dispose()
    assert (result.units, result.tasks, result.assignments) == (60, 30, 1800)
    return _render(result.path, place), data


@pytest.fixture(scope="module")
def periodic(demo_docs, tmp_path_factory):
    """The demo's 45/KH-UBND: task 6 is reported every six months, 4 periods a ward."""
    folder = tmp_path_factory.mktemp("periodic-paper")
    db = demo_docs.db
    path = build_report(db, folder / "45.docx", today=DEMO_TODAY, directive_ids=[directive_id(db, "45/KH-UBND")]).path
    return _render(path, db.settings().place_name)


def _rows(table) -> list[list[str]]:
    """Cell texts per row; a row of one cell across the table (gridSpan) gives one text."""
    out = []
    for tr in table._tbl.findall(qn("w:tr")):
        out.append(["\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p")))
                    for tc in tr.findall(qn("w:tc"))])
    return out


def _grid(table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]


def _appendix_section(doc: Doc):
    return doc.doc.sections[-1]


# ---------------------------------------------------------------- the district case


def test_district_dates_are_whole_on_paper(district):
    """Every dd/mm/yyyy of the appendix table is printed on one line (the column was 1191 twips less
    2 x 57 of cell margin; a 12 pt date needs 1,094)."""
    rendered, _ = district
    table = appendix_tables(rendered.doc)[0]
    in_docx = [d for row in _rows(table) for cell in row for d in DATE.findall(cell)]
    assert len(in_docx) > 2000
    text = rendered.text(rendered.appendix_first)
    cut = [m for m in CUT_DATE.findall(text) if not DATE.fullmatch(m)]
    assert cut == []
    assert len(DATE.findall(text)) == len(in_docx)


def test_district_appendix_is_landscape_and_numbered_from_1(district):
    rendered, _ = district
    section = _appendix_section(rendered.doc)
    assert section.page_width > section.page_height  # 297 x 210 mm
    assert {round(section.page_width.mm), round(section.page_height.mm)} == {297, 210}
    assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    # the header row repeats on every page
    first_row = appendix_tables(rendered.doc)[0].rows[0]
    assert first_row._tr.trPr.find(qn("w:tblHeader")) is not None
    # and the pages say so: the appendix's second page is numbered 2
    assert rendered.text(rendered.appendix_first + 1, rendered.appendix_first + 1).split()[0] == "2"


def test_district_unit_named_once_above_its_rows(district):
    rendered, data = district
    rows = _rows(appendix_tables(rendered.doc)[0])
    assert rows[0] == ["STT", "Nhiệm vụ", "Hạn", "Ngày hoàn thành", "Tình trạng"]
    headings = [r[0] for r in rows if len(r) == 1]
    units = [data.tree.name(uid) for uid in data.unit_order]
    unit_headings = [h for h in headings if re.match(r"\d+\. ", h)]
    assert unit_headings == [f"{i}. {name}" for i, name in enumerate(units, 1)]
    text = "\n".join(c for r in rows[1:] for c in r)
    for name in units:
        assert text.count(name) == 1, name
    # the rows under a unit heading are that unit's assignments, numbered from 1
    first_unit = rows.index([unit_headings[0]])
    block = []
    for r in rows[first_unit + 1:]:
        if len(r) == 1:
            break
        block.append(r)
    assert [r[0] for r in block] == [str(i) for i in range(1, 31)]
    # the spanning rows have one cell as wide as the table
    for tr in appendix_tables(rendered.doc)[0]._tbl.findall(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if len(cells) == 1:
            assert cells[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "5"


def test_district_table_ends_with_totals(district):
    rendered, data = district
    rows = _rows(appendix_tables(rendered.doc)[0])
    total = rows[-1]
    assert len(total) == 1 and total[0].startswith("Tổng cộng: 1.800 lượt giao nhiệm vụ")
    m = summarize(data.tracked)
    for label, n in (("hoàn thành đúng hạn", m.on_time), ("hoàn thành quá hạn", m.late),
                     ("quá hạn chưa hoàn thành", m.overdue), ("đang thực hiện trong hạn", m.in_progress)):
        assert f"{label} {n:,}".replace(",", ".") in total[0]
    assert "Tổng cộng: 1.800 lượt" in rendered.text(rendered.pages)


def test_district_columns_fit_their_content(district):
    """Date columns never wrap, the status column but for the rare long one (a late report awaiting
    approval); the task column takes the width that is left."""
    rendered, _ = district
    table = appendix_tables(rendered.doc)[0]
    widths = _grid(table)
    text_width = round(_appendix_section(rendered.doc).page_width.twips - 1701 - 850)
    assert abs(sum(widths) - text_width) <= 5
    rows = [r for r in _rows(table)[1:] if len(r) == 5]
    for col in (2, 3):
        longest = max(text_twips(r[col], 12) for r in rows)
        assert widths[col] - 2 * GRID_CELL_MARGIN >= longest, col
    fits = [widths[4] - 2 * GRID_CELL_MARGIN >= text_twips(r[4], 12) for r in rows]
    assert sum(fits) >= 0.8 * len(rows)
    assert widths[1] == max(widths)


def test_district_appendix_pages(district):
    """129 upright pages before (one to two lines a row, the unit on every row); the landscape
    list takes 98 here, where LibreOffice draws the Vietnamese letters in the wider DejaVu Serif
    (fonts-liberation 1.07), fewer with Liberation 2 (Times New Roman's metrics)."""
    rendered, _ = district
    assert rendered.appendix_pages <= 100


@pytest.mark.parametrize("item", list(ITEMS))
def test_district_report_keeps_the_official_form(district, item):
    ITEMS[item](district[0].doc)


# ---------------------------------------------------------------- a periodic task


def test_periodic_task_one_row_per_period(periodic, demo_docs):
    table = appendix_tables(periodic.doc)[0]
    rows = _rows(table)
    header = rows[0]
    assert header[:3] == ["STT", "Cơ quan, đơn vị", "Kỳ"] and header[-1] == "Tỷ lệ đúng hạn"
    nv6 = header.index("NV6")
    labels = [fmt_period(p) for p in ("2023-H1", "2023-H2", "2024-H1", "2024-H2")]
    # the first ward: its number and name once, then one row per period
    start = next(i for i, r in enumerate(rows) if r[1] == "UBND phường Máy Chai")
    block = rows[start:start + 4]
    assert [r[2] for r in block] == labels
    assert [r[0] for r in block] == ["1", "", "", ""] and [r[1] for r in block][1:] == ["", "", ""]
    for r in rows[1:-1]:
        # a cell never holds two periods: one status word in it
        statuses = re.findall(r"Đúng hạn|HT chậm|Quá hạn|Trong hạn|Sắp đến hạn|Chờ duyệt|Tạm dừng|Hủy", r[nv6])
        assert len(statuses) <= 1, r
    # the other cells of the ward are merged down its period rows
    tr = table._tbl.findall(qn("w:tr"))[start]
    merge = tr.findall(qn("w:tc"))[1].tcPr.find(qn("w:vMerge"))
    assert merge is not None and merge.get(qn("w:val")) == "restart"
    assert rows[-1][1] == "Tổng cộng"
    # a period's status and date share a line where the column allows: most period rows are one line
    filled = [r[nv6] for r in rows[1:-1] if r[nv6]]
    assert sum("\n" not in text for text in filled) > len(filled) / 2


def test_periodic_appendix_pages(periodic):
    """32 rows took 9 landscape pages with 4 periods stacked in a cell (5 now)."""
    assert periodic.appendix_pages <= 6
    text = periodic.text(periodic.appendix_first)
    assert [m for m in CUT_DATE.findall(text) if not DATE.fullmatch(m)] == []


# ---------------------------------------------------------------- measuring and fitting


def test_a_date_is_measured_as_word_prints_it():
    assert text_twips("05/09/2025", 12) == 1094  # 8 x 0.5 em + 2 x 0.278 em at 12 pt
    assert text_twips("05/09/2025", 11) == 1003
    assert text_twips("Đúng hạn", 12) == text_twips("Dung han", 12)  # diacritics keep the base width
    assert text_twips("Ơ", 12) > text_twips("O", 12)
    assert text_twips("Tình trạng", 12, bold=True) > text_twips("Tình trạng", 12)


@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 6000), st.floats(0, 3)), min_size=1, max_size=9),
       st.integers(0, 20000))
def test_fit_columns(columns, total):
    minimum = [m for m, _, _ in columns]
    natural = [m + extra for m, extra, _ in columns]
    stretch = [w for _, _, w in columns]
    widths = fit_columns(minimum, natural, total, stretch)
    if sum(minimum) > total:
        assert widths is None
        return
    assert sum(widths) == total
    assert all(w >= m for w, m in zip(widths, minimum))
    if sum(natural) <= total:
        assert all(w >= n for w, n in zip(widths, natural))


def test_full_row_spans_the_table(tmp_path):
    document = OfficialDocument(Settings())
    widths = [int(1000 * 635), int(2000 * 635), int(3000 * 635)]
    document.add_grid_table(["A", "B", "C"], [FullRow("1. Đơn vị <A&B>"), ["1", "x", "y"], ["2", "z", "w"]], widths)
    path = tmp_path / "full.docx"
    document.save(path)
    trs = docx.Document(str(path)).tables[-1]._tbl.findall(qn("w:tr"))
    heading = trs[1].findall(qn("w:tc"))
    assert len(heading) == 1
    assert heading[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"
    assert heading[0].tcPr.find(qn("w:tcW")).get(qn("w:w")) == "6000"
    assert "".join(t.text for t in heading[0].iter(qn("w:t"))) == "1. Đơn vị <A&B>"
    assert heading[0].find(qn("w:p")).find(qn("w:r")).find(qn("w:rPr")).find(qn("w:b")) is not None
    assert heading[0].find(qn("w:p")).find(qn("w:pPr")).find(qn("w:keepNext")) is not None
    assert [len(tr.findall(qn("w:tc"))) for tr in trs] == [3, 1, 3, 3]


# ---------------------------------------------------------------- the reminder letter's list


def test_letter_list_fits_its_content_and_ends_with_totals(demo_docs):
    """The task column is the widest (it was 5.2 cm beside 4.6 cm of mostly empty date columns);
    dates and day counts never wrap; «Tổng cộng» counts the units and the assignments named."""
    table = docx.Document(str(demo_docs.letter)).tables[1]
    rows = _rows(table)
    widths = _grid(table)
    assert rows[0] == ["STT", "Cơ quan, đơn vị", "Nhiệm vụ chưa hoàn thành", "Hạn ban đầu", "Gia hạn đến",
                       "Số ngày quá hạn"]
    assert widths[2] == max(widths) and abs(sum(widths) - 9354) <= 5
    body = [r for r in rows[1:-1]]
    for col in (0, 3, 4, 5):
        assert widths[col] - 2 * GRID_CELL_MARGIN >= max(text_twips(r[col], 12) for r in body), col
    units = sum(1 for r in body if r[1])
    assert rows[-1] == [f"Tổng cộng: {units} cơ quan, đơn vị; {len(body)} lượt nhiệm vụ quá hạn."]
    assert len(body) == len(demo_docs.letter_assignment_ids)
