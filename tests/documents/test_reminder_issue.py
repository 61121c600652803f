"""A reminder letter is recorded when it is issued (numbered and dated), never as a draft; a final
document is not dated before its figures."""

from __future__ import annotations

from datetime import date, timedelta

import docx
import pytest
from sqlalchemy import select

from db.models import Reminder, ReminderItem
from desktop.__main__ import main
from desktop.documents import DocumentError, Issue, build_reminder, build_report, issue_reminder
from desktop.services.demo import DEMO_TODAY
from tests.documents.conftest import directive_id


def _tables(db) -> tuple[list[tuple], list[tuple]]:
    with db.session() as s:
        reminders = [tuple(r) for r in s.execute(select(Reminder.id, Reminder.sent_on, Reminder.method,
                                                        Reminder.letter_number).order_by(Reminder.id))]
        items = [tuple(r) for r in s.execute(select(ReminderItem.reminder_id, ReminderItem.assignment_id)
                                             .order_by(ReminderItem.id))]
    return reminders, items


def _chased(db, path) -> str:
    """The report's "… đã đôn đốc N lượt (…)" sentence for 2790/UBND-VHTT."""
    report = build_report(db, path, today=DEMO_TODAY, directive_ids=[directive_id(db, "2790/UBND-VHTT")]).path
    return next(p.text for p in docx.Document(str(report)).paragraphs if "đôn đốc" in p.text and "lượt" in p.text)


def test_a_draft_letter_records_nothing(demo_db, tmp_path):
    before, chased = _tables(demo_db), _chased(demo_db, tmp_path / "before.docx")
    for i in range(2):
        result = build_reminder(demo_db, tmp_path / f"draft{i}.docx", today=DEMO_TODAY)
        assert result.reminder_id is None and not result.recorded and result.assignment_ids
    assert _tables(demo_db) == before
    # The report on the same data still says what was really done.
    assert _chased(demo_db, tmp_path / "after.docx") == chased


def test_issuing_records_one_reminder_with_its_number(demo_db, tmp_path):
    reminders_before, items_before = _tables(demo_db)
    did = directive_id(demo_db, "2790/UBND-VHTT")
    issued = DEMO_TODAY + timedelta(days=1)
    result = issue_reminder(demo_db, tmp_path / "final.docx", today=DEMO_TODAY, number="7", issued_on=issued,
                            directive_ids=[did])
    reminders, items = _tables(demo_db)
    new = [r for r in reminders if r not in reminders_before]
    assert new == [(result.reminder_id, issued, "cong_van", "07/VHTT")]
    assert sorted(a for rid, a in items if rid == result.reminder_id) == sorted(result.assignment_ids)
    assert len(items) == len(items_before) + len(result.assignment_ids)
    # Issuing the same letter again (a lost file) writes the file and records nothing more.
    again = issue_reminder(demo_db, tmp_path / "again.docx", today=DEMO_TODAY, number="07", issued_on=issued,
                           directive_ids=[did])
    assert again.reminder_id == result.reminder_id and _tables(demo_db) == (reminders, items)


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_reminder_records_only_the_final_letter(demo_db, tmp_path, capsys):
    before = _tables(demo_db)
    code, out, err = _cli(capsys, "reminder", "--db", demo_db.location, "--directive", "2790/UBND-VHTT",
                          "--out", tmp_path / "d.docx", "--today", DEMO_TODAY.isoformat())
    assert code == 0, err
    assert _tables(demo_db) == before and "chưa được ghi nhận" in out
    code, out, err = _cli(capsys, "reminder", "--db", demo_db.location, "--directive", "2790/UBND-VHTT",
                          "--out", tmp_path / "f.docx", "--today", DEMO_TODAY.isoformat(), "--final",
                          "--number", "15", "--date", DEMO_TODAY.isoformat())
    assert code == 0, err
    reminders, _ = _tables(demo_db)
    assert len(reminders) == len(before[0]) + 1 and reminders[-1][3] == "15/VHTT"


def test_a_final_document_is_not_dated_before_its_figures(demo_db, tmp_path, capsys):
    did = directive_id(demo_db, "128/VHTT")
    figures_day = date(2024, 10, 20)
    with pytest.raises(DocumentError, match="trước ngày số liệu 20/10/2024"):
        build_report(demo_db, tmp_path / "r.docx", today=figures_day, directive_ids=[did],
                     issue=Issue(final=True, number="5", issued_on=date(2024, 10, 19)))
    assert not (tmp_path / "r.docx").exists()
    code, _, err = _cli(capsys, "report", "--db", demo_db.location, "--directive", "128/VHTT", "--out",
                        tmp_path / "r.docx", "--today", "2024-10-20", "--final", "--number", "5", "--date", "2024-10-19")
    assert code == 2 and "trước ngày số liệu 20/10/2024" in err and not (tmp_path / "r.docx").exists()
    # The same day, or later, is fine; so is a draft.
    build_report(demo_db, tmp_path / "ok.docx", today=figures_day, directive_ids=[did],
                 issue=Issue(final=True, number="5", issued_on=figures_day))
    before = _tables(demo_db)
    with pytest.raises(DocumentError, match="trước ngày số liệu"):
        issue_reminder(demo_db, tmp_path / "l.docx", today=figures_day, number="8", issued_on=date(2024, 10, 19))
    assert _tables(demo_db) == before
