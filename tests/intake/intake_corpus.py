"""Ground truth for the constructed directives in tests/data/directives (and the .docx built in
intake_docs). They were written by hand, before the reader was run on them, with the reading
choices of intake_truth. None of them is a real document: they imitate real layouts (a web-portal
copy with menus and related news, unit headings with bullets, a PDF copy with broken lines and
page furniture, a markdown Phụ lục pasted from a web page, a .docx with Word list numbering and a
Phụ lục table with merged rows)."""

from __future__ import annotations

from intake_docs import phu_luc_docx
from intake_truth import CENTRE, MASS, OFFICES, SCHOOLS, WARDS, T

CORPUS = {
    "2024-kh-web-ngay-sach.txt": {
        "doc": {"doc_number": "96/KH-UBND", "doc_date": "2024-04-03", "issuer": "Ủy ban nhân dân quận Ngô Quyền",
                "doc_type": "ke_hoach",
                "title": "Tổ chức các hoạt động hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam lần thứ 3 năm 2024 "
                         "trên địa bàn quận"},
        "tasks": [
            T("Chủ trì, phối hợp với Trung tâm Văn hóa - Thông tin và Thể thao quận tổ chức", lead=["VHTT"],
              coord=["TTVH"], start="2024-04-15", due="2024-05-05"),
            T("Tổng hợp kết quả thực hiện của các đơn vị", execute=["VHTT"], report="2024-05-15"),
            T("Chỉ đạo các trường trung học cơ sở", execute=["GDDT"], due="2024-04-30"),
            T("Phối hợp với Phòng Văn hóa và Thông tin lựa chọn", lead=["GDDT"], coord=["VHTT"]),
            T("Tổ chức trưng bày, giới thiệu sách", execute=["TTVH"], start="2024-04-21", due="2024-04-21"),
            T("Treo băng rôn, khẩu hiệu", execute=WARDS),
            T("Báo cáo kết quả thực hiện về Phòng Văn hóa và Thông tin chậm nhất", execute=WARDS,
              report="2024-05-10"),
            T("Các trường học thuộc quận báo cáo", execute=SCHOOLS, recurrence="monthly:20"),
        ],
    },
    "2024-cv-don-vi-tieu-de.txt": {
        "doc": {"doc_number": "215/VHTT", "doc_date": "2024-05-06", "issuer": "Phòng Văn hóa và Thông tin",
                "doc_type": "cong_van",
                "title": "Tuyên truyền kỷ niệm 134 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/2024)"},
        "tasks": [
            T("Chỉ đạo các trường học tổ chức", execute=["GDDT"]),
            T("Gửi danh sách học sinh tham gia", execute=["GDDT"], report="2024-05-20"),
            T("Xây dựng chương trình phát thanh chuyên đề", execute=["TTVH"], start="2024-05-10", due="2024-05-19"),
            T("Thực hiện trang trí, cổ động trực quan", execute=["TTVH"], due="2024-05-31"),
            T("Treo cờ Tổ quốc, băng rôn", execute=WARDS, start="2024-05-15"),
            T("Tổng hợp kết quả, báo cáo Phòng Văn hóa và Thông tin trước ngày 25/5/2204", execute=WARDS),
        ],
    },
    "2024-tb-pdf-ngat-dong.txt": {
        "doc": {"doc_number": "45/TB-UBND", "doc_date": "2024-09-10", "issuer": "Ủy ban nhân dân quận Ngô Quyền",
                "doc_type": "thong_bao",
                "title": "Kết luận của Phó Chủ tịch Ủy ban nhân dân quận tại cuộc họp về công tác chuẩn bị Tết "
                         "Trung thu năm 2024"},
        "tasks": [
            T("Giao Phòng Văn hóa và Thông tin chủ trì", lead=["VHTT"], coord=["TTVH", "QDOAN"], due="2024-09-30"),
            T("Giao Phòng Tài chính - Kế hoạch thẩm định", execute=["TCKH"], due="2024-09-30"),
            T("Đề nghị Hội Liên hiệp Phụ nữ quận vận động", execute=["HLHPN"]),
            T("Ủy ban nhân dân các phường tổ chức vui Tết Trung thu", execute=WARDS, start="2024-09-14",
              due="2024-09-17", report="2024-09-20"),
            T("Phòng Y tế kiểm tra an toàn thực phẩm", execute=["YT"], recurrence="semiannual:15"),
        ],
    },
    "2025-kh-phu-luc-markdown.txt": {
        "doc": {"doc_number": "12/KH-UBND", "doc_date": "2025-01-15", "issuer": "Ủy ban nhân dân quận Ngô Quyền",
                "doc_type": "ke_hoach", "title": "Triển khai công tác thông tin cơ sở năm 2025"},
        "tasks": [
            T("định kỳ hằng quý báo cáo kết quả", recurrence="quarterly:15"),
            T("Duy trì chuyên mục", lead=WARDS, coord=["TTVH"]),
            T("Xây dựng, cập nhật bản tin điện tử", lead=["VPUB"], coord=["VHTT"], recurrence="monthly:25"),
            T("Tổ chức tập huấn nghiệp vụ", lead=["VHTT"], coord=["NV"] + WARDS),
            T("Chuyển đổi hệ thống truyền thanh", lead=["VHTT"], coord=["TCKH", "QLDT"], due="2025-10-31"),
            T("Đánh giá, tổng kết công tác", lead=["VHTT"], coord=[c for c in OFFICES if c != "VHTT"],
              due="2025-12-15"),
        ],
    },
    "2024-kh-phu-luc.docx": {
        "source": phu_luc_docx,
        "doc": {"doc_number": "301/KH-UBND", "doc_date": "2024-08-20", "issuer": "Ủy ban nhân dân quận Ngô Quyền",
                "doc_type": "ke_hoach",
                "title": "Tổ chức các hoạt động kỷ niệm 70 năm Ngày Giải phóng Thủ đô (10/10/1954 - 10/10/2024)"},
        "tasks": [
            T("Phòng Văn hóa và Thông tin chủ trì, phối hợp với Quận Đoàn", lead=["VHTT"], coord=["QDOAN"],
              start="2024-10-01", due="2024-10-09"),
            T("Giao Phòng Nội vụ hướng dẫn", execute=["NV"], report="2024-10-05"),
            T("Treo băng rôn, cờ phướn", lead=WARDS, coord=["QLDT"], start="2024-10-01", due="2024-10-15"),
            T("Tổ chức chương trình nghệ thuật chào mừng", lead=["TTVH"], coord=["VHTT"], start="2024-10-09", due="2024-10-09"),
            T("Viết bài tuyên truyền trên Cổng", lead=["VHTT"], due="2024-10-31"),
            T("Báo cáo kết quả thực hiện Kế hoạch", lead=OFFICES + WARDS, due="2024-10-20"),
        ],
    },
}

# Second batch, written (with this truth) after the first batch's fixes and run once afterwards.
CORPUS_2 = {
    "2024-zalo-thiet-che.txt": {
        "doc": {"doc_number": None, "doc_date": None, "issuer": "Phòng VH&TT", "doc_type": None, "title": None},
        "tasks": [
            T("Rà soát, cập nhật danh sách nhà văn hóa", execute=WARDS, report="2024-10-25"),
            T("Cử 01 cán bộ tham dự tập huấn", execute=WARDS, start="2024-10-28", due="2024-10-28"),
            T("Phối hợp với Trung tâm VH-TT&TT quận tổ chức kiểm tra", lead=WARDS, coord=["TTVH"],
              start="2024-11-04", due="2024-11-15"),
        ],
    },
    "2024-cv-quang-cao.txt": {
        "doc": {"doc_number": "3105/UBND-VHTT", "doc_date": "2024-11-12", "issuer": "Ủy ban nhân dân quận Ngô Quyền",
                "doc_type": "cong_van",
                "title": "Tăng cường quản lý hoạt động quảng cáo, treo băng rôn trên địa bàn quận"},
        "tasks": [
            T("Phòng Văn hóa và Thông tin chủ trì, phối hợp với Phòng Quản lý đô thị", lead=["VHTT"],
              coord=["QLDT", "P-MC", "P-MT", "P-VM"], due="2024-12-31"),
            T("Ủy ban nhân dân các phường tăng cường quản lý", execute=WARDS, recurrence="quarterly:10"),
            T("Đề nghị Trung tâm Văn hoá Thông tin - Thể thao quận", execute=["TTVH"]),
        ],
    },
    "2024-kh-the-thao-tab.txt": {
        "doc": {"doc_number": "150/KH-UBND", "doc_date": "2024-05-02", "issuer": "Ủy ban nhân dân quận Ngô Quyền",
                "doc_type": "ke_hoach", "title": "Phát triển phong trào thể dục thể thao quần chúng năm 2024"},
        "tasks": [
            T("Đẩy mạnh tuyên truyền về lợi ích"),
            T("Nâng cấp các sân chơi"),
            T("Chủ trì tham mưu tổ chức Đại hội", lead=["VHTT"], due="2024-09-30"),
            T("Định kỳ 6 tháng (trước ngày 15/6)", execute=["VHTT"], recurrence="semiannual:15"),
            T("Phòng Tài chính - Kế hoạch thẩm định", execute=["TCKH"]),
            T("Tổ chức giải cầu lông", execute=["TTVH"], due="2024-07-31"),
            T("Tổ chức giải bóng đá thiếu niên", execute=["QDOAN"], due="2024-06-30"),
            T("Tổ chức giải thể thao cấp phường", execute=WARDS),
        ],
    },
}
CORPUS.update(CORPUS_2)
_ = (CENTRE, MASS)
