"""Unit lists as a ward's officer keeps them, written the way Excel saves them."""

from __future__ import annotations

from pathlib import Path

HEADER = ["Mã", "Tên đơn vị", "Nhóm", "Người liên hệ", "Điện thoại", "Email", "Tên khác"]


def ward_rows() -> list[list[str]]:
    """45 units of a ward: 40 tổ dân phố, 3 schools, the police post, the youth union."""
    rows = [[f"TDP{n:02d}", f"Tổ dân phố số {n}", "Tổ dân phố", f"Tổ trưởng tổ {n}", f"0912.000.{n:03d}", "",
             f"TDP {n}; tổ {n}"] for n in range(1, 41)]
    rows += [
        ["MN-HOAMAI", "Trường Mầm non Hoa Mai", "Trường học", "Cô Lan", "0225.3821.001", "mnhoamai@haiphong.edu.vn", ""],
        ["TH-GIAVIEN", "Trường Tiểu học Gia Viên", "Trường học", "", "0225.3821.002", "", ""],
        ["THCS-GIAVIEN", "Trường THCS Gia Viên", "Trường học", "", "", "", ""],
        ["CAP", "Công an phường Gia Viên", "Công an, quân sự", "Đại úy Hùng", "069.2981.111", "", "Công an phường"],
        ["DTN", "Đoàn Thanh niên phường Gia Viên", "Mặt trận và đoàn thể", "", "", "", "Đoàn phường"],
    ]
    return rows


def bad_rows() -> list[list[str]]:
    """What a real list also holds: a repeated code, a row without a name, a bad e-mail, a new group."""
    return [
        ["TDP05", "Tổ dân phố số 5 (ghi trùng)", "Tổ dân phố", "", "", "", ""],
        ["KP1", "", "Tổ dân phố", "", "", "", ""],
        ["HPN", "Hội Liên hiệp Phụ nữ phường", "Mặt trận và đoàn thể", "", "", "hoi phu nu@", ""],
        ["CLB-DSVH", "Câu lạc bộ Dân số - Văn hóa", "Câu lạc bộ", "", "", "", ""],
    ]


def write_csv(path: Path, rows: list[list[str]], bom: bool = True, delimiter: str = ",") -> Path:
    """As Excel's «CSV UTF-8»: a BOM, CRLF line ends, quotes only where needed."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """As an officer's workbook: a title line and a blank line above the header, a numeric code."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["DANH SÁCH ĐƠN VỊ PHƯỜNG GIA VIÊN"])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    ws.append([None] * 7)
    ws.append([7, "Tổ dân phố số 41", "Tổ dân phố", "", 912345678])  # a code and a phone typed as numbers
    wb.save(path)
    return path
