"""Getting and cleaning the text (docx, pdf, txt, pasted), the document's own data, and how the
body is cut into tasks."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
from intake_docs import phu_luc_docx
from intake_truth import DATA, WARDS

from desktop.intake import IntakeError, read_directive
from desktop.intake.clean import clean_blocks, join_lines, marker_of
from desktop.intake.extract import Block, decode_text, load_source


def paras(text: str) -> list[str]:
    return [p.text for p in clean_blocks([Block("soft", text)]).paras]


# ------------------------------------------------------------------ cleaning

def test_broken_lines_of_a_pdf_copy_are_joined():
    texts = paras((DATA / "2022-cv-ubnd-quan-ngay-cds.txt").read_text(encoding="utf-8"))
    item = next(t for t in texts if t.startswith("- Chủ trì, phối hợp cùng"))
    assert item.endswith("tập trung từ ngày 10/10 đến ngày 31/10/2022.")
    assert "tăng cường công tác tuyên truyền" in item  # "tăng" + "cường" joined across the break
    assert "Ngày 03/10/2022, Ủy ban nhân dân thành phố ban hành Kế hoạch số 234/KH-UBND về việc" in texts[4]


def test_a_long_enumeration_continues_after_a_semicolon_at_the_end_of_a_full_line():
    texts = paras((DATA / "2023-kh-ubnd-tp-truyen-thong-cds.txt").read_text(encoding="utf-8"))
    item = next(t for t in texts if t.startswith("2. Tuyên truyền, phổ biến"))
    assert item.endswith("Kế hoạch số 12/KH-UBND ngày 12/01/2023 của Ủy ban nhân dân thành phố về Chuyển đổi số "
                         "thành phố Hải Phòng năm 2023.")
    assert "giai đoạn 2022-2025;" in item  # "2022-" + "2025" without a space
    assert not any(t.startswith("Quyết định số 284") for t in texts)


def test_short_heading_then_paragraph_stay_apart():
    texts = paras((DATA / "2023-kh-ubnd-tp-truyen-thong-cds.txt").read_text(encoding="utf-8"))
    i = texts.index("2. Sở Tài chính")
    assert texts[i + 1].startswith("Phối hợp với Sở Thông tin và Truyền thông")


def test_page_furniture_is_dropped():
    texts = paras((DATA / "2024-tb-pdf-ngat-dong.txt").read_text(encoding="utf-8"))
    assert not any("Thông báo số 45/TB-UBND" in t for t in texts)
    assert not any(t.strip("- ").isdigit() for t in texts)
    assert any(t.endswith("tặng quà cho thiếu nhi có hoàn cảnh khó khăn.") for t in texts)


def test_web_clutter_is_dropped():
    texts = paras((DATA / "2024-kh-web-ngay-sach.txt").read_text(encoding="utf-8"))
    joined = "\n".join(texts)
    for clutter in ("Trang chủ", "Lượt xem", "Chia sẻ", "Facebook", "In bài viết", "Ngày đăng", "Tin liên quan",
                    "Bản quyền", "Ra mắt tủ sách"):
        assert clutter not in joined, clutter
    assert texts[0] == "ỦY BAN NHÂN DÂN"


def test_markdown_marks_and_links_are_removed():
    texts = paras("# KẾ HOẠCH\n**Số: 12/KH-UBND**\n- Xem [trang](https://x.vn) và <https://dx.gov.vn/a.htm>")
    assert texts == ["KẾ HOẠCH", "Số: 12/KH-UBND", "- Xem trang và https://dx.gov.vn/a.htm"]


def test_pipe_and_tab_tables_become_rows():
    doc = clean_blocks([Block("soft", "| STT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n"
                                      "| 1 | Treo băng rôn | UBND các phường | Tháng 5/2024 |\n\n"
                                      "STT\tNhiệm vụ\tĐơn vị thực hiện\tThời hạn\n1\tViết bài\tPhòng VH&TT\tQuý II/2024")])
    rows = [p for p in doc.paras if p.kind == "row"]
    assert [p.cells for p in rows] == [["1", "Treo băng rôn", "UBND các phường", "Tháng 5/2024"],
                                       ["1", "Viết bài", "Phòng VH&TT", "Quý II/2024"]]
    assert doc.tables[0] == {"index": 0, "content": 1, "lead": 2, "time": 3}


@pytest.mark.parametrize("text, kind", [
    ("I. MỤC TIÊU", "roman"), ("1. Giao", "num"), ("1.2. Tuyên truyền", "num"), ("a) Phòng", "letter"),
    ("đ) Tổ chức", "letter"), ("- Chủ trì", "dash"), ("-Tiếp tục", "dash"), ("+ Chủ đề", "plus"),
    ("• Treo cờ", "bullet"), ("Điều 2. Giao", "article"),
    ("-xã hội", None), ("2022 (gửi kèm).", None), ("2.000 người", None), ("234/KH-UBND", None), ("V/v tuyên", None),
])
def test_list_markers(text, kind):
    assert marker_of(text)[0] == kind


def test_join_lines_keeps_separate_paragraphs_of_unwrapped_text():
    assert join_lines(["Số: /VHTT", "Quận Ngô Quyền, ngày tháng năm 2024", "V/v tuyên truyền"]) == \
        ["Số: /VHTT", "Quận Ngô Quyền, ngày tháng năm 2024", "V/v tuyên truyền"]
    assert join_lines(["Ngày Chuyển đổi số quốc gia,", "Ngày Chuyển đổi số thành phố"]) == \
        ["Ngày Chuyển đổi số quốc gia, Ngày Chuyển đổi số thành phố"]


# ------------------------------------------------------------------ extraction

def test_docx_with_list_numbers_header_table_and_phu_luc(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(phu_luc_docx())
    p = read_directive(path)
    assert (p.doc_number, p.doc_date, p.issuer, p.doc_type) == \
        ("301/KH-UBND", date(2024, 8, 20), "Ủy ban nhân dân quận Ngô Quyền", "ke_hoach")
    # Word's automatic numbers ("List Number") are put back in front of the items
    assert "2. Phòng Văn hóa và Thông tin chủ trì" in p.text
    assert "3. Giao Phòng Nội vụ" in p.text
    rows = [t for t in p.tasks if " | " in t.evidence]
    assert [t.summary for t in rows] == ["Treo băng rôn, cờ phướn trên các tuyến phố chính",
                                         "Tổ chức chương trình nghệ thuật chào mừng",
                                         "Viết bài tuyên truyền trên Cổng thông tin điện tử quận",
                                         "Báo cáo kết quả thực hiện Kế hoạch"]
    assert rows[0].lead_units and set(rows[0].unit_codes) == set(WARDS) | {"QLDT"}
    assert (rows[0].start_date, rows[0].due_date) == (date(2024, 10, 1), date(2024, 10, 15))
    assert rows[2].due_date == date(2024, 10, 31)


def test_docx_bytes_need_no_file_name():
    assert read_directive(phu_luc_docx()).doc_number == "301/KH-UBND"


def test_old_doc_and_broken_files_give_vietnamese_messages(tmp_path):
    old = tmp_path / "a.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(IntakeError, match=r"\.docx"):
        read_directive(old)
    broken = tmp_path / "b.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IntakeError, match="hỏng"):
        read_directive(broken)
    with pytest.raises(IntakeError, match="Không tìm thấy"):
        read_directive(tmp_path / "khong-co.docx")


def _simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (Helvetica, ASCII), built by hand."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = "BT /F1 11 Tf 50 800 Td 14 TL " + " ".join(f"({esc(x)}) '" for x in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_text_layer_is_read(tmp_path):
    pdf = tmp_path / "tb.pdf"
    pdf.write_bytes(_simple_pdf(["So: 7/TB-UBND", "THONG BAO", "1. Giao Phong Y te kiem tra an toan thuc pham;",
                                 "hoan thanh truoc ngay 30/9/2024."]))
    p = read_directive(pdf)
    assert p.doc_number == "7/TB-UBND"
    assert p.tasks and p.tasks[0].unit_codes == ["YT"] and p.tasks[0].due_date == date(2024, 9, 30)


def test_pdf_without_text_layer_is_refused(tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(_simple_pdf([]))
    with pytest.raises(IntakeError, match="lớp chữ"):
        read_directive(pdf)


def test_vietnamese_pdf_made_by_libreoffice(tmp_path):
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(phu_luc_docx())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    p = read_directive(tmp_path / "ke-hoach.pdf")
    assert p.doc_number == "301/KH-UBND" and p.doc_type == "ke_hoach"
    first = next(t for t in p.tasks if "Hội thi" in t.evidence)
    assert first.lead_units == ["Phòng Văn hóa và Thông tin"]
    assert (first.start_date, first.due_date) == (date(2024, 10, 1), date(2024, 10, 9))


def test_text_encodings():
    text = "Giao Phòng Văn hóa và Thông tin"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        assert decode_text(data) == text
    blocks, name = load_source(("1. " + text + " tổ chức hội thi.").encode("utf-16"), "x.txt")
    assert name == "x.txt" and "Phòng Văn hóa" in blocks[0].text


def test_pasted_text_and_path_strings(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_text("Kính gửi: Phòng Y tế.\n1. Đề nghị Phòng Y tế kiểm tra vệ sinh thực phẩm.", encoding="utf-8")
    by_path = read_directive(str(path))
    by_text = read_directive(path.read_text(encoding="utf-8"))
    assert by_path.to_dict() == by_text.to_dict()
    assert by_path.tasks[0].unit_codes == ["YT"]


# ------------------------------------------------------------------ the document's own data

def test_type_and_title_on_one_line_and_number_with_date_on_one_line():
    p = read_directive((DATA / "2025-kh-phu-luc-markdown.txt"))
    assert (p.doc_type, p.title, p.doc_number, p.doc_date) == \
        ("ke_hoach", "Triển khai công tác thông tin cơ sở năm 2025", "12/KH-UBND", date(2025, 1, 15))


def test_issuer_is_the_lowest_level_of_the_header():
    p = read_directive((DATA / "2024-cv-don-vi-tieu-de.txt"))
    assert p.issuer == "Phòng Văn hóa và Thông tin" and p.issuer_unit.code == "VHTT"
    assert p.title == "Tuyên truyền kỷ niệm 134 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/2024)"


def test_blank_date_line_gives_only_the_year():
    p = read_directive((DATA / "2024-cv-vhtt-ngay-cds.txt"))
    assert p.doc_date is None and p.doc_number == "/VHTT"


def test_issuer_from_the_body_skips_a_cited_document():
    p = read_directive("Ngày 03/10/2022, Ủy ban nhân dân thành phố ban hành Kế hoạch số 234/KH-UBND.\n"
                       "Ủy ban nhân dân quận có ý kiến như sau:\n1. Giao Phòng Y tế kiểm tra.")
    assert p.issuer == "Ủy ban nhân dân quận"


def test_website_metadata_number_and_date():
    p = read_directive("Số hiệu: 155/KH-UBND\nNgày ban hành: 26/05/2024\nKẾ HOẠCH\nTRIỂN KHAI CÔNG TÁC "
                       "THÔNG TIN TRÊN ĐỊA BÀN TỈNH BẮC NINH\nI. NHIỆM VỤ\n1. Giao Phòng Y tế kiểm tra.")
    assert (p.doc_number, p.doc_date, p.doc_type) == ("155/KH-UBND", date(2024, 5, 26), "ke_hoach")
    assert p.title == "Triển khai công tác thông tin trên địa bàn tỉnh Bắc Ninh"


# ------------------------------------------------------------------ cutting the body into tasks

KE_HOACH = """KẾ HOẠCH
Tổ chức Tháng hành động năm 2024
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của Nhân dân.
II. NỘI DUNG
1. Tuyên truyền trên hệ thống truyền thanh:
a) Phát các bản tin hằng ngày.
b) Treo băng rôn.
2. Tổ chức hội thi tìm hiểu.
III. KINH PHÍ
Giao Phòng Tài chính - Kế hoạch bố trí kinh phí.
IV. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa và Thông tin
Chủ trì tổ chức các hoạt động; báo cáo Ủy ban nhân dân quận trước ngày 30/6/2024.
2. Ủy ban nhân dân các phường
- Xây dựng kế hoạch thực hiện; hoàn thành trong tháng 5/2024.
- Thời gian: từ ngày 01/5 đến ngày 31/5/2024.
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo Ủy ban nhân dân quận.
"""


def test_sections_of_a_plan():
    p = read_directive(KE_HOACH)
    assert [t.summary for t in p.tasks] == [
        "Tuyên truyền trên hệ thống truyền thanh",  # a "Nội dung" item is one task, its sub-items content
        "Tổ chức hội thi tìm hiểu",
        "Tổ chức các hoạt động",
        "Xây dựng kế hoạch thực hiện",
    ]
    assert "Treo băng rôn" in p.tasks[0].content
    assert p.tasks[2].unit_codes == ["VHTT"] and p.tasks[2].report_due_date == date(2024, 6, 30)
    assert p.tasks[3].due_date == date(2024, 5, 31) and len(p.tasks[3].unit_codes) == 12
    assert "Thời gian: từ ngày 01/5" in p.tasks[3].content  # an information line joins the task before


def test_directed_sentences_in_one_paragraph_become_separate_tasks():
    p = read_directive("Ủy ban nhân dân quận có ý kiến như sau: Giao Phòng Y tế kiểm tra an toàn thực phẩm; "
                       "hoàn thành trước ngày 15/9/2024. Giao Phòng Kinh tế kiểm tra giá cả. "
                       "Đề nghị Quận đoàn tổ chức Trung thu cho thiếu nhi.")
    assert [t.unit_codes for t in p.tasks] == [["YT"], ["KT"], ["QDOAN"]]
    assert p.tasks[0].due_date == date(2024, 9, 15) and p.tasks[1].due_date is None
    for t in p.tasks:
        assert p.text[t.span[0]:t.span[1]] == t.evidence


def test_introduction_with_units_sets_the_units_of_the_items():
    p = read_directive("Phòng Văn hóa và Thông tin đề nghị UBND các phường thực hiện một số nội dung sau:\n"
                       "1. Treo cờ Tổ quốc tại trụ sở.\n2. Báo cáo kết quả chậm nhất ngày 20/5/2024.")
    assert [len(t.unit_codes) for t in p.tasks] == [12, 12]
    assert p.tasks[1].report_due_date == date(2024, 5, 20)


def test_explanations_are_content_not_tasks():
    p = read_directive("Kính gửi: UBND các phường.\n1. Tuyên truyền về Ngày Sách:\n+ Chủ đề: Đọc sách.\n"
                       "+ Khẩu hiệu: Sách là tri thức.\n2. Treo băng rôn tại trụ sở.\n"
                       "- Địa chỉ tải maket: https://x.vn\nHoặc quét mã QR:\nTrân trọng./.")
    assert [t.summary for t in p.tasks] == ["Tuyên truyền về Ngày Sách", "Treo băng rôn tại trụ sở"]
    assert "Khẩu hiệu" in p.tasks[0].content and "https://x.vn" in p.tasks[1].content


def test_json_has_exactly_the_issues_shape():
    p = read_directive(DATA / "2022-cv-ubnd-quan-ngay-cds.txt")
    data = p.to_dict()
    assert list(data) == ["doc_number", "doc_date", "issuer", "doc_type", "title", "confidence", "tasks"]
    assert list(data["tasks"][0]) == ["summary", "evidence", "units", "lead_units", "unit_codes", "start_date",
                                      "due_date", "report_due_date", "recurrence", "period_text", "unmatched",
                                      "guessed_units", "confidence"]
    # a letter without a number: the fields to fill in are said; the first task's dates are as written
    assert data["confidence"]["doc_number"] == "low" and data["confidence"]["issuer"] == "high"
    conf = data["tasks"][0]["confidence"]
    assert (conf["units"], conf["start_date"], conf["due_date"]) == ("high", "high", "high")
    assert "report_due_date" not in conf  # nothing proposed, nothing to rate
    assert data["tasks"][0]["start_date"] == "2022-10-10"
    assert data["tasks"][0]["lead_units"] == ["Phòng Văn hóa và Thông tin"]


def test_spans_point_at_the_evidence_in_the_cleaned_text():
    for name in ("2022-cv-ubnd-quan-ngay-cds.txt", "2024-tb-pdf-ngat-dong.txt", "2025-kh-phu-luc-markdown.txt"):
        p = read_directive(DATA / name)
        for t in p.tasks:
            assert p.text[t.span[0]:t.span[1]] == t.evidence
            for s, e, _ in t.date_spans:
                assert t.span[0] <= s < e <= t.span[1] or "|" in t.evidence or t.content != t.evidence


def test_empty_and_unreadable_text():
    assert read_directive("").tasks == []
    assert read_directive("Trân trọng cảm ơn.").tasks == []


@pytest.mark.parametrize("text, summary", [
    ("Điều 1. Giao Phòng Văn hóa và Thông tin chủ trì, phối hợp với Trung tâm Văn hóa - Thông tin và Thể thao quận "
     "tổ chức Liên hoan văn nghệ; thời gian từ ngày 20/8 đến ngày 25/8/2024.", "Tổ chức Liên hoan văn nghệ"),
    ("1. Giao Phòng Văn hóa và Thông tin chủ trì, Trung tâm VH-TT&TT phối hợp tổ chức hội thi.", "Tổ chức hội thi"),
    ("a) Phòng Giáo dục và Đào tạo phối hợp phòng Văn hóa và Thông tin nghiên cứu nội dung tuyên truyền.",
     "Nghiên cứu nội dung tuyên truyền"),
    ("2. Giao các phòng quản lý nhà nước, đơn vị sự nghiệp thuộc quận tăng cường công tác tuyên truyền.",
     "Tăng cường công tác tuyên truyền"),
])
def test_summaries_drop_the_subject_and_the_role_words(text, summary):
    (task,) = read_directive(text).tasks
    assert task.summary == summary


def test_a_table_pasted_one_cell_per_line_becomes_rows():
    """STT / Nội dung / Đơn vị / Thời gian, each cell on its own line, a blank cell as a space."""
    doc = clean_blocks([Block("soft", "PHỤ LỤC\nSTT\nNội dung\nĐơn vị thực hiện\nThời gian hoàn thành\n"
                                      "1\nTreo băng rôn\nUBND các phường\nTừ ngày 01/6 đến ngày 30/6/2025\n"
                                      "2\nTổ chức vui chơi cho trẻ em\nQuận đoàn Ngô Quyền\n \n"
                                      "3\nKiểm tra các cơ sở\nPhòng Giáo dục và Đào tạo\nTrong Quý II/2025\n")])
    rows = [p.cells for p in doc.paras if p.kind == "row"]
    assert rows == [["1", "Treo băng rôn", "UBND các phường", "Từ ngày 01/6 đến ngày 30/6/2025"],
                    ["2", "Tổ chức vui chơi cho trẻ em", "Quận đoàn Ngô Quyền", ""],
                    ["3", "Kiểm tra các cơ sở", "Phòng Giáo dục và Đào tạo", "Trong Quý II/2025"]]
    assert doc.tables[0] == {"index": 0, "content": 1, "lead": 2, "time": 3}


def test_a_cell_per_line_table_with_empty_cells_dropped_keeps_the_time_column():
    doc = clean_blocks([Block("soft", "TT\nNhiệm vụ\nĐơn vị chủ trì\nĐơn vị phối hợp\nThời hạn\n"
                                      "1\nĐăng ký vận động viên\nPhòng Văn hóa và Thông tin\nUBND các phường\n"
                                      "Trước ngày 25/3/2025\n2\nBảo đảm an ninh trật tự\nNgày 06/4/2025\n")])
    rows = [p.cells for p in doc.paras if p.kind == "row"]
    assert rows[1] == ["2", "Bảo đảm an ninh trật tự", "", "", "Ngày 06/4/2025"]
