"""The công văn đôn đốc: who is named, what is said about each item, and the reminder it logs."""

from __future__ import annotations

import os
import re
from datetime import date

import docx
import pytest
from sqlalchemy import func, select

from db.models import Reminder
from db.queries import find_unit
from desktop.cli.core import status_payload
from desktop.documents import DocumentError, Issue, build_reminder
from desktop.documents.common import period_label
from desktop.documents.reminder import LISTED_RECIPIENTS, MAX_NAMED_RECIPIENTS
from desktop.infra.fileio import FileLockedError, OutputError
from desktop.services.demo import DEMO_TODAY
from desktop.tracking.calendar import add_working_days
from desktop.tracking.labels import fmt_date

from .conftest import directive_id
from .form_check import Doc


def _overdue_rows(db, directive: str | None = None, unit: str | None = None) -> list[dict]:
    """Overdue per status --json, less what waits for acceptance and the issuing office itself."""
    rows = status_payload(db, directive, unit, DEMO_TODAY)["assignments"]
    own = db.settings().agency_name
    return [r for r in rows if r["status"] == "overdue" and r["state"] != "cho_duyet" and r["unit"] != own]


def _table_rows(path) -> list[list[str]]:
    table = docx.Document(str(path)).tables[1]  # [0] is the header block
    out, unit = [], None
    for tr in table.rows[1:]:
        cells = [c.text for c in tr.cells]
        if cells[0].startswith("Tổng cộng:"):  # one cell across the table closes it
            break
        unit = cells[1] or unit  # merged cells read back empty below the first
        out.append([unit] + cells[2:])
    return out


def _reminder_count(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Reminder)).scalar_one()


def test_letter_names_every_overdue_unit_and_logs_the_reminder(demo_docs):
    expected = _overdue_rows(demo_docs.db)
    d = Doc(demo_docs.letter, "letter", "Ngô Quyền")
    # 25 units: too many for one line each, the Kính gửi refers to the list.
    assert len({r["unit"] for r in expected}) > MAX_NAMED_RECIPIENTS
    assert [p.text for p in d.kinh_gui()] == [f"Kính gửi: {LISTED_RECIPIENTS}."]
    rows = _table_rows(demo_docs.letter)
    assert sorted({unit for unit, *_ in rows}) == sorted({r["unit"] for r in expected})
    assert len(rows) == len(expected)
    got = _strip_directive((unit, task.split("\n")[0], own, extended, days) for unit, task, own, extended, days in rows)
    want = sorted((r["unit"], r["task"] + (f" ({period_label(r['period'])})" if r["period"] else ""), fmt_date(date.fromisoformat(r["original_deadline"])),
                   fmt_date(date.fromisoformat(r["deadline"])) if r["deadline"] != r["original_deadline"] else "",
                   str(r["days_late"])) for r in expected)
    assert got == want
    assert demo_docs.letter_reminder_id is None  # a draft: nothing recorded (tests/documents/test_reminder_issue.py)
    assert len(demo_docs.letter_assignment_ids) == len(expected)


def _strip_directive(rows):
    """With several directives the task cell ends with "(Công văn số ...)"; drop it to compare."""
    return sorted((u, re.sub(r" \([^()]* số [^()]*\)$", "", t), *rest) for u, t, *rest in rows)


def test_letter_text_asks_for_a_report_by_a_new_date(demo_docs):
    texts = [p.text for p in docx.Document(str(demo_docs.letter)).paragraphs]
    respond_by = add_working_days(DEMO_TODAY, 5)
    assert any(f"trước ngày {fmt_date(respond_by)}" in t for t in texts)
    units = len({r["unit"] for r in _overdue_rows(demo_docs.db)})
    assert any(f"đến ngày {fmt_date(DEMO_TODAY)}, còn {units} đơn vị chưa hoàn thành" in t for t in texts)


def test_one_directive_letter_has_its_subject_and_previous_reminders(demo_db, tmp_path):
    did = directive_id(demo_db, "2790/UBND-VHTT")
    result = build_reminder(demo_db, tmp_path / "l.docx", today=DEMO_TODAY, directive_ids=[did],
                            respond_by=date(2024, 10, 18), issue=Issue(final=True, number="12", issued_on=DEMO_TODAY))
    d = Doc(result.path, "letter", "Ngô Quyền")
    subject, _ = d.find_header_paragraph(lambda t: t.startswith("V/v"))
    assert subject.text == "V/v đôn đốc thực hiện, báo cáo kết quả Công văn số 2790/UBND-VHTT ngày 07/10/2022"
    expected = _overdue_rows(demo_db, "2790/UBND-VHTT")
    assert len(result.assignment_ids) == len(expected)
    named = [p.text[2:-1] for p in d.kinh_gui()[1:]]
    assert d.kinh_gui()[0].text == "Kính gửi:" and len(named) == len(set(named))
    assert sorted(named) == sorted({r["unit"] for r in expected})
    rows = _table_rows(result.path)
    assert sorted((u, t.split("\n")[0]) for u, t, *_ in rows) == sorted((r["unit"], r["task"]) for r in expected)
    # The demo chased the 2022 items by letter 30 days before; the new letter says so.
    assert any("(đã đôn đốc 1 lần, lần gần nhất ngày 08/09/2024)" in t for _, t, *_ in rows)
    texts = [p.text for p in d.doc.paragraphs]
    assert any("trước ngày 18/10/2024" in t for t in texts)
    # A second letter: the first one was issued, so the previous count went up.
    again = build_reminder(demo_db, tmp_path / "l2.docx", today=DEMO_TODAY, directive_ids=[did])
    assert any("(đã đôn đốc 2 lần, lần gần nhất ngày 08/10/2024)" in t for _, t, *_ in _table_rows(again.path))


def test_chosen_units_only(demo_db, tmp_path):
    with demo_db.session() as s:
        wards = find_unit(s, "NHOM-PHUONG").id
    result = build_reminder(demo_db, tmp_path / "wards.docx", today=DEMO_TODAY, unit_ids=[wards])
    expected = _overdue_rows(demo_db, unit="NHOM-PHUONG")
    assert expected and len(result.assignment_ids) == len(expected)
    d = Doc(result.path, "letter", "Ngô Quyền")
    named = [p.text[2:-1] for p in d.kinh_gui()[1:]] or [d.kinh_gui()[0].text[len("Kính gửi: "):-1]]
    assert all(n.startswith("UBND phường") for n in named)


def test_one_unit_is_addressed_on_the_kinh_gui_line(demo_db, tmp_path):
    rows = _overdue_rows(demo_db)
    code = rows[0]["unit_code"]
    with demo_db.session() as s:
        uid = find_unit(s, code).id
    result = build_reminder(demo_db, tmp_path / "one.docx", today=DEMO_TODAY, unit_ids=[uid])
    d = Doc(result.path, "letter", "Ngô Quyền")
    assert [p.text for p in d.kinh_gui()] == [f"Kính gửi: {rows[0]['unit']}."]
    from .form_check import ITEMS

    for item in ("B6", "H13", "N3", "B5"):
        ITEMS[item](d)


def test_final_letter_logs_its_number(demo_db, tmp_path):
    result = build_reminder(demo_db, tmp_path / "final.docx", today=DEMO_TODAY,
                            issue=Issue(final=True, number="7", issued_on=date(2024, 10, 9)))
    d = Doc(result.path, "letter", "Ngô Quyền")
    number, _ = d.find_header_paragraph(lambda t: t.startswith("Số:"))
    when, _ = d.find_header_paragraph(lambda t: ", ngày" in t)
    assert number.text == "Số: 07/VHTT" and when.text == "Ngô Quyền, ngày 09 tháng 10 năm 2024"
    with demo_db.session() as s:
        reminder = s.get(Reminder, result.reminder_id)
        assert (reminder.letter_number, reminder.sent_on) == ("07/VHTT", date(2024, 10, 9))


def test_nothing_overdue_is_refused_without_a_file_or_a_log(demo_db, tmp_path):
    before = _reminder_count(demo_db)
    out = tmp_path / "none.docx"
    with pytest.raises(DocumentError, match="không có nhiệm vụ quá hạn"):
        build_reminder(demo_db, out, today=DEMO_TODAY, directive_ids=[directive_id(demo_db, "128/VHTT")])
    assert not out.exists() and _reminder_count(demo_db) == before


def test_a_file_open_in_word_gives_file_locked_and_logs_nothing(demo_db, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "Công văn đôn đốc.docx"
    out.write_bytes(b"the letter open in Word")
    before = _reminder_count(demo_db)

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr("desktop.infra.fileio.os.replace", locked)
    with pytest.raises(FileLockedError) as info:
        build_reminder(demo_db, out, today=DEMO_TODAY)
    assert "đang được mở" in info.value.message
    assert out.read_bytes() == b"the letter open in Word"
    assert os.listdir(folder) == [out.name]  # no temporary file left
    assert _reminder_count(demo_db) == before


def test_an_unwritable_folder_gives_output_error_and_no_file(demo_db, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    out = blocker / "letter.docx"
    before = _reminder_count(demo_db)
    with pytest.raises(OutputError) as info:
        build_reminder(demo_db, out, today=DEMO_TODAY)
    assert not isinstance(info.value, FileLockedError) and info.value.message
    assert not out.exists() and _reminder_count(demo_db) == before


def test_a_read_only_folder_gives_output_error(demo_db, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "r.docx"
    with pytest.raises(OutputError, match="không có quyền ghi"):
        from desktop.documents import build_report

        build_report(demo_db, out, today=DEMO_TODAY, directive_ids=[directive_id(demo_db, "128/VHTT")])
    assert not out.exists()
