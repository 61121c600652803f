"""One truth in every document (issue 13): the Word report, the Excel workbook, the reminder letter
and ``status --json`` give the same figures, the same task numbers and the same words."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Assignment, AssignmentState, Directive, Unit, UnitReport
from desktop.cli.core import status_payload
from desktop.documents import DocumentError, build_reminder, build_report
from desktop.documents.text import vn_number
from desktop.services.demo import DEMO_TODAY
from desktop.tracking.labels import fmt_date
from desktop.workbooks.export import SHEET_FIGURES, export_workbook

# The date of the audit in the issue, and the demo's own date.
DATES = [DEMO_TODAY, date(2024, 10, 20)]


def _directives(db) -> list[tuple[int, str]]:
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(Directive.id, Directive.number).order_by(Directive.id))]


def _word_figures(path) -> dict[int, str]:
    """Task number -> the "Số liệu tổng hợp …" paragraph of section II."""
    found, number, inside = {}, None, False
    for p in Document(str(path)).paragraphs:
        text = p.text.strip()
        if text.startswith("II. "):
            inside = True
            continue
        if text.startswith("III. "):
            break
        if not inside:
            continue
        m = re.match(r"^(\d+)\. ", text)
        if m and p.runs and p.runs[0].bold:
            number = int(m.group(1))
        elif text.startswith("Số liệu tổng hợp"):
            found[number] = text
    return found


def _excel_totals(path) -> list[tuple[int, str, str, object, bool]]:
    """(task number, indicator name, measure, «Tổng cộng» value, any unit has a value) per column."""
    # the «Tổng cộng» cells are SUBTOTAL formulas; their cached values are what Excel shows
    ws = load_workbook(path, data_only=True)[SHEET_FIGURES]
    header = next(c.row for c in ws["A"] if c.value == "STT")
    tasks, current = {}, None
    for col in range(3, ws.max_column + 1):
        top = ws.cell(header, col).value
        if top:
            current = top
        tasks[col] = current
    total_row = next(r for r in range(header + 2, ws.max_row + 1) if ws.cell(r, 2).value == "Tổng cộng")
    out = []
    for col, top in tasks.items():
        label = ws.cell(header + 1, col).value
        if not label:
            continue
        m = re.fullmatch(r"(.*) \((.*)\)", label)
        name, measure = (m.group(1), m.group(2)) if m else (label, "")
        number = int(re.match(r"^NV(\d+): ", top).group(1))
        any_value = any(isinstance(ws.cell(r, col).value, (int, float)) for r in range(header + 2, total_row))
        out.append((number, name, measure, ws.cell(total_row, col).value, any_value))
    return out


@pytest.mark.parametrize("today", DATES, ids=str)
def test_word_figures_equal_excel_totals_for_every_demo_directive(demo_db, tmp_path, today):
    """Each figure of the Word report's "Số liệu tổng hợp …" paragraphs is the «Tổng cộng» of the
    Excel «Số liệu» sheet for the same directive and date, under the same task number (NVn = n.)."""
    checked = 0
    for did, number in _directives(demo_db):
        word = _word_figures(build_report(demo_db, tmp_path / f"r{did}.docx", today=today,
                                          directive_ids=[did]).path)
        excel = _excel_totals(export_workbook(demo_db, tmp_path / f"x{did}.xlsx", today, directive_id=did))
        assert excel, number
        for task_number, name, measure, total, any_value in excel:
            paragraph = word.get(task_number)
            assert paragraph, (number, task_number, name)
            if any_value:
                expected = f"{name}: {vn_number(total)}" + (f" {measure}" if measure else "")
            else:
                expected = f"{name}: chưa có báo cáo"
            assert re.search(re.escape(expected) + r"(;|\.$)", paragraph), (number, task_number, expected, paragraph)
            checked += 1
    assert checked == 19  # 7 + 7 + 5 number-valued indicators in the demo


def test_figures_count_accepted_reports_only(demo_db, tmp_path):
    """A report awaiting approval or returned adds nothing: the 128/VHTT figures are the sum over
    the accepted assignments' reports, and a pending report's figure moves no total."""
    from db.models import ReportFigure

    did = next(d for d, n in _directives(demo_db) if n == "128/VHTT")
    before = _excel_totals(export_workbook(demo_db, tmp_path / "before.xlsx", DEMO_TODAY, directive_id=did))
    word_before = _word_figures(build_report(demo_db, tmp_path / "before.docx", today=DEMO_TODAY,
                                             directive_ids=[did]).path)
    with demo_db.session() as s:
        pending = s.execute(select(Assignment).where(Assignment.state == AssignmentState.REPORTED.value)
                            .join(UnitReport, UnitReport.assignment_id == Assignment.id)
                            .join(ReportFigure, ReportFigure.report_id == UnitReport.id)).scalars().first()
        assert pending is not None
        for f in s.execute(select(ReportFigure).join(UnitReport, UnitReport.id == ReportFigure.report_id)
                           .where(UnitReport.assignment_id == pending.id)).scalars():
            f.value_number = (f.value_number or 0) + 100000
        s.commit()
    after = _excel_totals(export_workbook(demo_db, tmp_path / "after.xlsx", DEMO_TODAY, directive_id=did))
    word_after = _word_figures(build_report(demo_db, tmp_path / "after.docx", today=DEMO_TODAY,
                                            directive_ids=[did]).path)
    assert after == before and word_after == word_before


def test_pending_review_is_its_own_status_in_status_json(demo_db):
    """Every assignment whose report awaits approval is pending_review, late only if the report
    came in after the deadline, counted to the day it was received (not to today)."""
    with demo_db.session() as s:
        newest = {}
        for aid, received in s.execute(select(UnitReport.assignment_id, UnitReport.received_on)
                                       .order_by(UnitReport.received_on, UnitReport.id)):
            newest[aid] = received
        states = dict(s.execute(select(Assignment.id, Assignment.state)).all())
        # One report that came in 5 days after its deadline.
        late_one = next(a for a in s.execute(select(Assignment).where(
            Assignment.state == AssignmentState.REPORTED.value).order_by(Assignment.id)).scalars()
            if a.effective_due == a.due_date)
        late_one.due_date = newest[late_one.id] - timedelta(days=5)
        late_unit = s.get(Unit, late_one.unit_id).code
        s.commit()
    payload = status_payload(demo_db, None, None, DEMO_TODAY + timedelta(days=30))
    pending = [a for a in payload["assignments"] if a["state"] == AssignmentState.REPORTED.value]
    assert len(pending) == sum(1 for v in states.values() if v == AssignmentState.REPORTED.value) > 0
    late = 0
    for a in pending:
        assert a["status"] == "pending_review"
        received = date.fromisoformat(a["reported_on"])
        assert received in newest.values()
        deadline = date.fromisoformat(a["deadline"]) if a["deadline"] else None
        want = (received - deadline).days if deadline and received > deadline else None
        assert a["days_late"] == want
        late += want is not None
    assert all(a["status"] != "pending_review" for a in payload["assignments"] if a["state"] != "cho_duyet")
    assert payload["summary"]["pending_review"] == len(pending)
    assert late == 1  # it came in after the deadline: 5 days late, not 35 (to today), and not "overdue"
    five = [a for a in payload["assignments"] if a["days_late"] == 5 and a["state"] == "cho_duyet"]
    assert [a["unit_code"] for a in five] == [late_unit]


def _report_late(path) -> tuple[set[tuple[str, str, int]], str]:
    """(unit, task, days) of every overdue assignment in "Tồn tại, hạn chế", and the body text."""
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    body = "\n".join(paragraphs)
    start = next(i for i, t in enumerate(paragraphs) if t.strip() == "2. Tồn tại, hạn chế")
    out = set()
    for text in paragraphs[start + 1:]:
        if re.match(r"^[IVX]+\. ", text):
            break
        if not text.startswith("- "):
            continue
        unit, rest = text[2:].split(": ", 1)
        for task, days in re.findall(r"(?:^|; )«((?:(?!; «).)*?)»(?: \([^)]*\))? chưa hoàn thành, quá hạn (\d+) ngày",
                                     rest):
            out.add((unit, task, int(days)))
    return out, body


def _letter_items(path) -> set[tuple[str, str, int]]:
    table = next(t for t in Document(str(path)).tables if t.rows[0].cells[0].text == "STT")
    out, unit = set(), None
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if cells[0].startswith("Tổng cộng:"):  # the row across the table that closes it
            break
        unit = cells[1] or unit
        task = cells[2].split("\n")[0]
        task = re.sub(r" \((?:tháng|quý|năm|6 tháng)[^)]*\)$", "", task)
        out.add((unit, task, int(cells[5])))
    return out


@pytest.mark.parametrize("today", DATES, ids=str)
def test_report_and_letter_agree_on_who_is_late(demo_db, tmp_path, today):
    """For the same directive and date the report's overdue list and the letter's are the same
    (the office does not write to itself), and the report says how many reports await approval."""
    from desktop.services.settings import load_settings

    with demo_db.session() as s:
        own = load_settings(s).agency_name
    checked = 0
    for did, number in _directives(demo_db):
        report = build_report(demo_db, tmp_path / f"r{did}.docx", today=today, directive_ids=[did]).path
        late, body = _report_late(report)
        late = {item for item in late if item[0] != own}
        if not late:
            with pytest.raises(DocumentError):
                build_reminder(demo_db, tmp_path / f"l{did}.docx", today=today, directive_ids=[did])
        else:
            letter = build_reminder(demo_db, tmp_path / f"l{did}.docx", today=today, directive_ids=[did]).path
            assert _letter_items(letter) == late, number
            units = len({u for u, _, _ in late})
            letter_text = "\n".join(p.text for p in Document(str(letter)).paragraphs)
            assert f"còn {units} đơn vị chưa hoàn thành {len(late)} lượt nhiệm vụ" in letter_text
            assert f"Tiếp tục đôn đốc {units} đơn vị còn {len(late)} lượt nhiệm vụ quá hạn" in body, number
        checked += bool(late)
        payload = status_payload(demo_db, number, None, today)
        pending = payload["summary"]["pending_review"]
        if pending:
            assert f"{vn_number(pending)} lượt đơn vị đã báo cáo, đang chờ duyệt" in body, number
        assert f"quá hạn chưa hoàn thành {vn_number(payload['summary']['overdue'])} lượt" in body
    assert checked >= 2


def test_appendix_and_body_name_the_same_periods(demo_db, tmp_path):
    """Phụ lục I labels a period as the body and Excel do ("6 tháng đầu năm 2023"), never by its code."""
    did = next(d for d, n in _directives(demo_db) if n == "45/KH-UBND")
    doc = Document(str(build_report(demo_db, tmp_path / "r.docx", today=DEMO_TODAY, directive_ids=[did]).path))
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "2023-H1" not in cells and "6 tháng đầu năm 2023" in cells
    ws = load_workbook(export_workbook(demo_db, tmp_path / "x.xlsx", DEMO_TODAY, directive_id=did))["Chi tiết"]
    values = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "6 tháng đầu năm 2023" in values and "2023-H1" not in values
    assert fmt_date(DEMO_TODAY)  # dates stay dd/mm/yyyy
