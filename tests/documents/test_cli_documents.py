"""``report`` and ``reminder`` on the command line."""

from __future__ import annotations

from pathlib import Path

import docx
from sqlalchemy import func, select

from db.models import Reminder
from desktop.cli import main as cli_main
from desktop.services.demo import DEMO_TODAY

from .form_check import Doc


def _run(capsys, *args):
    code = cli_main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_report_draft_and_final(demo_db, tmp_path, capsys):
    draft = tmp_path / "Báo cáo 128.docx"
    code, out, err = _run(capsys, "report", "--db", demo_db.location, "--directive", "128/VHTT", "--out", draft,
                          "--today", DEMO_TODAY.isoformat())
    assert code == 0, err
    assert "dự thảo" in out and "158 lượt giao" in out
    number, _ = Doc(draft, "report", "Ngô Quyền").find_header_paragraph(lambda t: t.startswith("Số:"))
    assert number.text.replace(" ", "") == "Số:/BC-VHTT"
    final = tmp_path / "final.docx"
    code, out, err = _run(capsys, "report", "--db", demo_db.location, "--directive", "128/vhtt", "--out", final,
                          "--today", "08/10/2024", "--final", "--number", "5", "--date", "09/10/2024")
    assert code == 0, err
    d = Doc(final, "report", "Ngô Quyền")
    assert d.find_header_paragraph(lambda t: t.startswith("Số:"))[0].text == "Số: 05/BC-VHTT"
    assert d.find_header_paragraph(lambda t: ", ngày" in t)[0].text == "Ngô Quyền, ngày 09 tháng 10 năm 2024"


def test_report_bad_input(demo_db, tmp_path, capsys):
    out = tmp_path / "x.docx"
    code, _, err = _run(capsys, "report", "--db", demo_db.location, "--directive", "999/XX", "--out", out)
    assert code == 2 and "Không tìm thấy văn bản" in err
    code, _, err = _run(capsys, "report", "--db", demo_db.location, "--directive", "128/VHTT", "--out", out,
                        "--final")
    assert code == 2 and "số văn bản" in err
    code, _, err = _run(capsys, "report", "--db", demo_db.location, "--directive", "128/VHTT", "--out", out,
                        "--number", "3")
    assert code == 2 and "--final" in err
    code, _, err = _run(capsys, "report", "--db", demo_db.location, "--directive", "128/VHTT",
                        "--out", tmp_path / "x.pdf")
    assert code == 2 and ".docx" in err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = _run(capsys, "report", "--db", demo_db.location, "--directive", "128/VHTT",
                        "--out", blocker / "x.docx")
    assert code == 1 and err.startswith("Lỗi: ")
    assert not out.exists()


def _reminders(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Reminder)).scalar_one()


def test_reminder_by_directive_and_unit(demo_db, tmp_path, capsys):
    before = _reminders(demo_db)
    out = tmp_path / "đôn đốc.docx"
    code, text, err = _run(capsys, "reminder", "--db", demo_db.location, "--directive", "2790/UBND-VHTT",
                           "--unit", "NHOM-PHUONG", "--out", out, "--today", DEMO_TODAY.isoformat())
    assert code == 0, err
    assert "dự thảo chưa được ghi nhận" in text and _reminders(demo_db) == before  # a draft records nothing
    code, text, err = _run(capsys, "reminder", "--db", demo_db.location, "--directive", "2790/UBND-VHTT",
                           "--unit", "NHOM-PHUONG", "--out", out, "--today", DEMO_TODAY.isoformat(), "--final",
                           "--number", "12", "--date", DEMO_TODAY.isoformat())
    assert code == 0, err
    assert "đã ghi nhận đôn đốc" in text and _reminders(demo_db) == before + 1
    names = [p.text for p in docx.Document(str(out)).paragraphs if p.text.startswith(("- UBND", "Kính gửi: "))]
    assert names and all("UBND phường" in n for n in names)
    code, _, err = _run(capsys, "reminder", "--db", demo_db.location, "--directive", "128/VHTT", "--out",
                        tmp_path / "none.docx", "--today", DEMO_TODAY.isoformat())
    assert code == 2 and "không có nhiệm vụ quá hạn" in err
    assert not Path(tmp_path / "none.docx").exists() and _reminders(demo_db) == before + 1
    code, _, err = _run(capsys, "reminder", "--db", demo_db.location, "--unit", "KHONGCO", "--out",
                        tmp_path / "u.docx")
    assert code == 2 and "Không tìm thấy đơn vị" in err
