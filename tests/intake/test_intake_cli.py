"""``read-directive FILE [--json] [--db PATH]``."""

from __future__ import annotations

import io
import json
import sys

from intake_truth import DATA

from desktop.cli import main

SEED = DATA / "2022-cv-ubnd-quan-ngay-cds.txt"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_the_issues_shape(capsys):
    code, out, _ = run(capsys, "read-directive", str(SEED), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"doc_number", "doc_date", "issuer", "doc_type", "title", "confidence", "tasks"}
    assert len(data["tasks"]) == 7
    first = data["tasks"][0]
    assert set(first) == {"summary", "evidence", "units", "lead_units", "unit_codes", "start_date", "due_date",
                          "report_due_date", "recurrence", "period_text", "unmatched", "guessed_units", "confidence"}
    assert (first["start_date"], first["due_date"]) == ("2022-10-10", "2022-10-31")
    assert first["unit_codes"] == ["VHTT", "TTVH"] and first["lead_units"] == ["Phòng Văn hóa và Thông tin"]
    assert data["tasks"][1]["report_due_date"] == "2022-10-15"


def test_text_output_is_vietnamese(capsys):
    code, out, _ = run(capsys, "read-directive", str(DATA / "2024-tb-pdf-ngat-dong.txt"))
    assert code == 0
    assert "Số ký hiệu: 45/TB-UBND" in out and "Ngày ban hành: 10/09/2024" in out
    assert "Loại văn bản: Thông báo" in out and "Chủ trì: Phòng Văn hóa và Thông tin" in out
    assert "định kỳ semiannual:15" in out


def test_units_of_a_database(capsys, demo_db):
    from desktop.services.operations import UnitInput, add_unit

    with demo_db.session() as s:
        add_unit(s, UnitInput(code="BQLDA", name="Ban Quản lý dự án quận", kind="trung_tam",
                              aliases="BQL dự án quận"))
    src = io.StringIO("1. Giao BQL dự án quận lập hồ sơ; hoàn thành trước ngày 30/6/2024.")
    old = sys.stdin
    sys.stdin = src
    try:
        code, out, _ = run(capsys, "read-directive", "-", "--json", "--db", demo_db.location)
    finally:
        sys.stdin = old
    assert code == 0
    task = json.loads(out)["tasks"][0]
    assert task["unit_codes"] == ["BQLDA"] and task["due_date"] == "2024-06-30"


def test_missing_file_and_missing_database(capsys, tmp_path):
    code, _, err = run(capsys, "read-directive", str(tmp_path / "khong-co.docx"))
    assert code == 1 and "Không tìm thấy" in err
    code, _, err = run(capsys, "read-directive", str(SEED), "--db", str(tmp_path / "khong-co.db"))
    assert code == 1 and "Lỗi" in err


def test_text_output_shows_guesses_and_fields_to_check(capsys, tmp_path):
    src = tmp_path / "cv.txt"
    src.write_text("1. Giao Trung tâm Văn hóa quận chuẩn bị sân bãi.\n"
                   "2. Phòng Y tế kiểm tra các cơ sở trong Quý II/2026.\n", encoding="utf-8")
    code, out, _ = run(capsys, "read-directive", str(src))
    assert code == 0
    assert "≈ Trung tâm Văn hóa - Thông tin và Thể thao quận (đoán)" in out
    assert "thời gian «Quý II/2026» (chưa thành ngày)" in out and "Cần kiểm tra: hạn" in out
