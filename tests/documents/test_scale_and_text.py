"""A 1,000-unit appendix, and the decree's number/date rules and text cleaning as properties."""

from __future__ import annotations

import re
import time
import unicodedata
from datetime import date

import docx
from hypothesis import given
from hypothesis import strategies as st

from db.models import Assignment, AssignmentState, Directive, Task, Unit
from desktop.documents import build_report
from desktop.documents.text import (
    DocumentError,
    clean,
    decree_date,
    format_doc_number,
    inline,
    number_line,
    place_date_line,
    vn_number,
)

from .form_check import DATE_RE, NUMBER_RE, Doc, appendix_tables


def _city_scale(db, units: int = 1000, tasks: int = 3) -> int:
    """A city office: ``units`` communes in 10 groups, ``tasks`` tasks given to all of them."""
    with db.session() as s:
        groups = [Unit(code=f"G{g}", name=f"Cụm xã {g + 1}", is_group=True, sort_order=g) for g in range(10)]
        s.add_all(groups)
        s.flush()
        members = [Unit(code=f"X{i:04d}", name=f"UBND xã Số {i + 1}", parent_id=groups[i % 10].id, sort_order=i)
                   for i in range(units)]
        s.add_all(members)
        d = Directive(number="99/KH-UBND", issued_on=date(2026, 3, 2), issuer="UBND thành phố", doc_type="ke_hoach",
                      title="Thử quy mô thành phố")
        s.add(d)
        s.flush()
        task_rows = [Task(directive_id=d.id, sort_order=k, title=f"Nhiệm vụ số {k}", start_date=date(2026, 3, 2),
                          due_date=date(2026, 3, 19 + k)) for k in range(1, tasks + 1)]
        s.add_all(task_rows)
        s.flush()
        for i, u in enumerate(members):
            for k, task in enumerate(task_rows):
                a = Assignment(task_id=task.id, unit_id=u.id, due_date=task.due_date)
                if (i + k) % 3 == 0:
                    a.state, a.completed_on = AssignmentState.DONE.value, date(2026, 3, 15)
                s.add(a)
        return d.id


def test_a_1000_unit_appendix_builds(db, tmp_path, capsys):
    directive = _city_scale(db)
    started = time.perf_counter()
    result = build_report(db, tmp_path / "city.docx", today=date(2026, 4, 1), directive_ids=[directive])
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n1,000-unit report with Phụ lục I (3,000 assignments): {elapsed:.2f} s, "
              f"{result.path.stat().st_size // 1024} KiB")
    assert result.units == 1000 and result.assignments == 3000
    d = Doc(result.path, "report", "Ngô Quyền")
    table = appendix_tables(d)[0]
    # header + 10 group rows + 1,000 units + "Tổng cộng"
    assert len(table.rows) == 1 + 10 + 1000 + 1
    numbered = [r.cells[0].text for r in table.rows[1:] if r.cells[0].text.isdigit()]
    assert numbered == [str(n) for n in range(1, 1001)]
    total = table.rows[-1].cells
    assert total[1].text == "Tổng cộng"
    assert total[2].text.split("\n")[0] == "Đúng hạn: 334"  # units 0, 3, 6 ... for task 1


DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(DATES)
def test_decree_date_leading_zeros(value):
    text = place_date_line("Ngô Quyền", value, value.year)
    assert re.match(DATE_RE.format(place="Ngô Quyền"), text), text
    m = re.fullmatch(r"Ngô Quyền, ngày (\d+) tháng (\d+) năm (\d{4})", text)
    assert date(int(m.group(3)), int(m.group(2)), int(m.group(1))) == value
    assert len(m.group(1)) == 2
    assert len(m.group(2)) == (2 if value.month in (1, 2, 10, 11, 12) else 1)


def test_decree_date_examples_of_the_decree():
    assert decree_date(date(2020, 1, 5)) == "ngày 05 tháng 01 năm 2020"
    assert decree_date(date(2019, 6, 29)) == "ngày 29 tháng 6 năm 2019"
    assert decree_date(date(2024, 2, 9)) == "ngày 09 tháng 02 năm 2024"
    assert decree_date(date(2024, 12, 10)) == "ngày 10 tháng 12 năm 2024"


def test_draft_date_line_leaves_day_and_month_blank():
    text = place_date_line("Ngô Quyền", None, 2024)
    assert re.match(DATE_RE.format(place="Ngô Quyền"), text)
    assert not re.search(r"ngày \d", text)


@given(st.integers(min_value=1, max_value=99999))
def test_numbers_get_a_leading_zero_below_ten(n):
    printed = format_doc_number(str(n))
    assert int(printed) == n and len(printed) >= 2
    assert NUMBER_RE.match(number_line(str(n), "BC-VHTT"))
    assert NUMBER_RE.match(number_line(str(n), "VHTT"))


def test_bad_numbers_are_refused():
    for bad in ("", "0", "-3", "12a", "1.5"):
        try:
            format_doc_number(bad)
        except DocumentError as exc:
            assert "không hợp lệ" in exc.message
        else:
            raise AssertionError(bad)
    assert NUMBER_RE.match(number_line(None, "BC-VHTT"))


@given(st.text())
def test_clean_text_is_nfc_and_xml_safe(text):
    out = clean(text)
    assert unicodedata.normalize("NFC", out) == out
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", out)
    document = docx.Document()
    document.add_paragraph(inline(text))  # python-docx refuses XML-illegal characters


def test_vietnamese_number_format():
    assert vn_number(3379) == "3.379"
    assert vn_number(49.2) == "49,2"
    assert vn_number(100.0) == "100"
    assert vn_number(1234567.5) == "1.234.567,5"
