"""Directives built in the tests: a .docx with a two-column header table, Word's automatic list
numbers and a Phụ lục table with merged section rows (made with python-docx)."""

from __future__ import annotations

import io

import docx
from docx.shared import Pt


def _cell_lines(cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def phu_luc_docx() -> bytes:
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(13)
    header = d.add_table(rows=1, cols=2)
    _cell_lines(header.rows[0].cells[0], ["ỦY BAN NHÂN DÂN", "QUẬN NGÔ QUYỀN", "Số: 301/KH-UBND"])
    _cell_lines(header.rows[0].cells[1], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                          "Ngô Quyền, ngày 20 tháng 8 năm 2024"])
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Tổ chức các hoạt động kỷ niệm 70 năm Ngày Giải phóng Thủ đô (10/10/1954 - 10/10/2024)")
    d.add_paragraph("Thực hiện Kế hoạch số 201/KH-UBND ngày 02/8/2024 của Ủy ban nhân dân thành phố, Ủy ban nhân "
                    "dân quận ban hành Kế hoạch tổ chức các hoạt động kỷ niệm như sau:")
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    d.add_paragraph("Giáo dục truyền thống yêu nước, khơi dậy niềm tự hào dân tộc trong cán bộ, đảng viên và Nhân "
                    "dân.", style="List Number")
    d.add_paragraph("II. NHIỆM VỤ")
    d.add_paragraph("Phòng Văn hóa và Thông tin chủ trì, phối hợp với Quận Đoàn tổ chức Hội thi tìm hiểu về Thủ đô "
                    "Hà Nội; thời gian từ ngày 01/10 đến ngày 09/10/2024.", style="List Number")
    d.add_paragraph("Giao Phòng Nội vụ hướng dẫn các phường rà soát, đề xuất khen thưởng; báo cáo Ủy ban nhân dân "
                    "quận chậm nhất ngày 05/10/2024.", style="List Number")
    d.add_paragraph("III. NHIỆM VỤ CỤ THỂ")
    d.add_paragraph("Có Phụ lục kèm theo Kế hoạch này.")
    d.add_paragraph("Nơi nhận:")
    d.add_paragraph("- Như trên;")
    d.add_paragraph("- Lưu: VT.")
    d.add_paragraph("TM. ỦY BAN NHÂN DÂN")
    d.add_paragraph("CHỦ TỊCH")
    d.add_page_break()
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph("(Kèm theo Kế hoạch số 301/KH-UBND ngày 20/8/2024 của Ủy ban nhân dân quận)")
    rows = [
        ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
        ["I. Tuyên truyền"],
        ["1", "Treo băng rôn, cờ phướn trên các tuyến phố chính", "UBND các phường", "Phòng Quản lý đô thị",
         "Từ 01/10 - 15/10/2024"],
        ["2", "Tổ chức chương trình nghệ thuật chào mừng", "Trung tâm Văn hóa - Thông tin và Thể thao quận",
         "Phòng VH&TT", "Ngày 09/10/2024"],
        ["3", "Viết bài tuyên truyền trên Cổng thông tin điện tử quận", "Phòng Văn hóa và Thông tin", "",
         "Tháng 10/2024"],
        ["II. Báo cáo"],
        ["4", "Báo cáo kết quả thực hiện Kế hoạch", "Các phòng, ban, ngành; UBND các phường", "",
         "Trước 20/10/2024"],
    ]
    table = d.add_table(rows=len(rows), cols=5)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        if len(values) == 1:
            merged = cells[0].merge(cells[4])
            merged.text = values[0]
        else:
            for c, v in enumerate(values):
                cells[c].text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
