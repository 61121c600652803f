"""Issue 16: the failure patterns of real directives, each with a constructed example."""

from __future__ import annotations

from datetime import date

from intake_truth import WARDS

from desktop.intake import read_directive


def test_a_closing_report_deadline_covers_the_tasks_before_it():
    p = read_directive("Ủy ban nhân dân quận yêu cầu:\n"
                       "1. Phòng Y tế chủ trì tổ chức các hoạt động truyền thông trong tháng 11/2024.\n"
                       "2. UBND các phường tổ chức tuyên truyền tại cộng đồng.\n"
                       "Các đơn vị báo cáo kết quả thực hiện về Ủy ban nhân dân quận (qua Phòng Y tế) trước 9h00 "
                       "ngày 05/12/2024. Trong quá trình thực hiện nếu có khó khăn, vướng mắc, đề nghị phản ánh về "
                       "Phòng Y tế để tổng hợp./.\n"
                       "Đề nghị các đơn vị quan tâm thực hiện./.")
    assert [t.unit_codes for t in p.tasks] == [["YT"], WARDS]
    assert [t.report_due_date for t in p.tasks] == [date(2024, 12, 5)] * 2
    assert all("report_due_date" in t.guessed for t in p.tasks)  # shown as a guess to check


# ------------------------------------------------------------------ units

def _units(name: str):
    from intake_truth import DATA

    from desktop.intake import load_default_units

    return load_default_units(DATA.parent / "intake_corpus" / name)


def test_a_wards_own_units_tdp_written_every_way():
    units = _units("units_phuong.json")
    p = read_directive("Số: 25/KH-UBND\nGia Viên, ngày 05 tháng 3 năm 2026\n"
                       "1. Tổ dân phố số 5 và TDP 7 ra quân thu gom rác thải.\n"
                       "2. Tổ 12 và tổ dân phố 15 vận động hộ gia đình khơi thông cống rãnh.\n"
                       "3. Trưởng các tổ dân phố thông báo trên loa truyền thanh.", units=units)
    assert [sorted(t.unit_codes) for t in p.tasks[:2]] == [["TDP-05", "TDP-07"], ["TDP-12", "TDP-15"]]
    assert len(p.tasks[2].unit_codes) == 40 and all(c.startswith("TDP-") for c in p.tasks[2].unit_codes)


def test_a_merged_ward_name_in_a_later_directive_is_the_new_ward():
    units = _units("units_sau_sap_nhap.json")
    text = ("Số: 15/SVHTTDL\nHải Phòng, ngày {d}\n1. Đề nghị UBND phường Gia Viên tổ chức chương trình nghệ thuật.\n"
            "2. Đề nghị UBND phường Máy Chai treo cờ.\n3. UBND các phường trang trí đường phố.")
    after = read_directive(text.format(d="12 tháng 01 năm 2026"), units=units)
    assert after.tasks[0].unit_codes == ["PM-GV"]
    assert after.tasks[1].unit_codes == ["PM-NQ"]  # an old name means the ward it was merged into
    assert sorted(after.tasks[2].unit_codes) == ["PM-GV", "PM-NQ"]
    before = read_directive(text.format(d="12 tháng 01 năm 2025"), units=units)
    assert before.tasks[0].unit_codes == ["P-GV"] and before.tasks[1].unit_codes == ["P-MC"]
    assert len(before.tasks[2].unit_codes) == 12 + 2 - 2 or "P-MC" in before.tasks[2].unit_codes


def test_a_count_of_wards_means_all_of_them_and_a_foreign_ward_is_no_guess():
    p = read_directive("Giao UBND 9 phường có nhà văn hóa đạt chuẩn tổ chức liên hoan gia đình văn hóa.\n"
                       "Đề nghị UBND 114 xã, phường, đặc khu trang trí đường phố.\n"
                       "Đề nghị UBND phường Hàng Kênh bố trí lực lượng bảo đảm trật tự.")
    assert sorted(p.tasks[0].unit_codes) == sorted(WARDS) and sorted(p.tasks[1].unit_codes) == sorted(WARDS)
    assert p.tasks[2].unit_codes == [] and any("Hàng Kênh" in u for u in p.tasks[2].unmatched)


def test_shortened_names_are_found_as_guesses():
    p = read_directive("1. Giao Trung tâm Văn hóa quận chuẩn bị sân bãi, trang thiết bị thi đấu.\n"
                       "2. Giao Hội Phụ nữ quận và Đoàn Thanh niên quận vận động hội viên tham gia cổ vũ.")
    assert p.tasks[0].unit_codes == ["TTVH"] and sorted(p.tasks[1].unit_codes) == ["HLHPN", "QDOAN"]
    assert "units" in p.tasks[0].guessed


def test_names_outside_the_tree_are_listed_per_task():
    p = read_directive("Đề nghị UBND các phường chỉ đạo các tổ dân phố tuyên truyền trên loa truyền thanh.")
    assert sorted(p.tasks[0].unit_codes) == sorted(WARDS)
    assert any("tổ dân phố" in u for u in p.tasks[0].unmatched)
    assert p.to_dict()["tasks"][0]["unmatched"] == p.tasks[0].unmatched


# ------------------------------------------------------------------ the document's own data

def test_a_portal_summary_gives_the_documents_own_number_and_date():
    p = read_directive("Trang chủ > Tin tức\nSố lượt truy cập: 1.254.873\n"
                       "Triển khai Tháng hành động vì an toàn thực phẩm\nCập nhật: 14/04/2026 09:12\n"
                       "Ngày 12/4/2026, UBND phường Gia Viên ban hành Thông báo số 57/TB-UBND về việc triển khai "
                       "Tháng hành động.\nTheo đó, UBND các phường kiểm tra các cơ sở từ ngày 15/4 đến ngày 15/5/2026.")
    assert (p.doc_number, p.doc_date) == ("57/TB-UBND", date(2026, 4, 12))
    assert p.issuer == "Ủy ban nhân dân phường Gia Viên"
    assert p.confidence()["doc_number"] == "medium"  # read from a sentence: to check


def test_a_cited_document_is_never_the_own_one():
    p = read_directive("Thực hiện Công văn số 1234/UBND-VX ngày 01/3/2024 của UBND thành phố về phòng, chống dịch, "
                       "ngày 08/3/2024, Phòng Văn hóa và Thông tin quận ban hành Văn bản số 402/VHTT đề nghị các đơn "
                       "vị tăng cường tuyên truyền.\nPhòng Văn hóa và Thông tin đề nghị Trung tâm Văn hóa - Thông tin "
                       "và Thể thao quận xây dựng 01 phóng sự, phát sóng trước ngày 31/3/2024.")
    assert (p.doc_number, p.doc_date) == ("402/VHTT", date(2024, 3, 8))
    src = read_directive("Nội dung tuyên truyền.\nĐề nghị UBND các phường treo cờ từ ngày 01/9 đến ngày 03/9/2024.\n"
                         "(Nguồn: Công văn số 88/UBND-KT ngày 10/5/2024 của UBND quận Ngô Quyền)")
    assert (src.doc_number, src.doc_date) == ("88/UBND-KT", date(2024, 5, 10))
    assert all(d != date(2024, 5, 10) for t in src.tasks for d in (t.start_date, t.due_date, t.report_due_date))


def test_header_columns_run_together_and_page_clutter():
    p = read_directive("Cổng thông tin điện tử quận Ngô Quyền\nSố lượt truy cập: 2.301.554\nĐăng nhập | Đăng ký\n"
                       "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                       "QUẬN NGÔ QUYỀN Độc lập - Tự do - Hạnh phúc\n"
                       "Số: 415/KH-UBND Ngô Quyền, ngày 30 tháng 10 năm 2024\nKẾ HOẠCH\n"
                       "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2024\n"
                       "1. Phòng Văn hóa và Thông tin tuyên truyền trên Trang thông tin điện tử quận.")
    assert (p.doc_number, p.doc_date) == ("415/KH-UBND", date(2024, 10, 30))
    assert p.issuer == "Ủy ban nhân dân quận Ngô Quyền"
    assert p.title == "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2024"


# ------------------------------------------------------------------ tasks from sentences

def test_directing_sentences_after_lead_ins_are_tasks():
    p = read_directive(
        "Ngày 05/9/2024, UBND quận Ngô Quyền ban hành Kế hoạch số 301/KH-UBND tổ chức cuộc thi ảnh; UBND quận giao "
        "Phòng Văn hóa và Thông tin xây dựng thể lệ, phát động cuộc thi trước ngày 15/9/2024.\n"
        "Theo đó, Phòng Giáo dục và Đào tạo chỉ đạo các trường học lồng ghép nội dung giáo dục.\n"
        "Nhằm chấn chỉnh hoạt động quảng cáo, Ủy ban nhân dân quận đề nghị UBND các phường kiểm tra, xử lý vi phạm.\n"
        "Trên cơ sở Kế hoạch của quận, UBND các phường tổ chức giải thể thao cấp phường, hoàn thành trong tháng 4/2024.\n"
        "Trung tâm Văn hóa - Thông tin và Thể thao quận dựng pano tấm lớn tại nút giao trước ngày 20/12/2024.\n"
        "Cán bộ, công chức và nhân dân tích cực tìm hiểu các quy định pháp luật mới.")
    assert [t.unit_codes[:1] for t in p.tasks] == [["VHTT"], ["GDDT"], WARDS[:1], WARDS[:1], ["TTVH"], []]
    assert p.tasks[0].due_date == date(2024, 9, 15) and p.tasks[3].due_date == date(2024, 4, 30)
    assert p.tasks[0].summary.startswith("Xây dựng thể lệ")
    assert (p.doc_number, p.doc_date) == ("301/KH-UBND", date(2024, 9, 5))


def test_entitlements_figures_and_headlines_are_not_tasks():
    p = read_directive("Số: 03/TB-UBND\nNgô Quyền, ngày 24 tháng 12 năm 2024\nTHÔNG BÁO\nNghỉ Tết Dương lịch năm 2025\n"
                       "1. Cán bộ, công chức, viên chức được nghỉ Tết Dương lịch 01 ngày vào thứ Tư, ngày 01/01/2025.\n"
                       "2. Năm 2024, toàn quận có 96% hộ gia đình đạt danh hiệu Gia đình văn hóa.\n"
                       "3. 12/12 phường đã tổ chức hội nghị biểu dương gia đình văn hóa tiêu biểu.\n"
                       "4. Văn phòng HĐND và UBND quận bố trí lịch trực, bảo đảm an ninh trụ sở trong ngày nghỉ Tết.")
    assert [t.unit_codes for t in p.tasks] == [["VPUB"]]


def test_a_period_on_its_own_line_and_dash_sub_items_with_periods():
    p = read_directive("KẾ HOẠCH\nSố: 40/KH-VHTT\nNgô Quyền, ngày 18 tháng 02 năm 2025\nII. NỘI DUNG\n"
                       "1. Phòng Văn hóa và Thông tin chủ trì thực hiện các hình thức tuyên truyền sau:\n"
                       "- Tuyên truyền trực quan: treo băng rôn, cờ phướn từ ngày 15/8 đến hết ngày 05/9/2025.\n"
                       "- Tuyên truyền trên Cổng thông tin điện tử: đăng tải tin, bài từ ngày 20/8 đến ngày 02/9/2025.\n"
                       "2. Hội Liên hiệp Phụ nữ quận tổ chức trình diễn áo dài.\nThời gian: ngày 07/3/2025.")
    assert [(t.unit_codes, t.start_date, t.due_date) for t in p.tasks] == [
        (["VHTT"], date(2025, 8, 15), date(2025, 9, 5)), (["VHTT"], date(2025, 8, 20), date(2025, 9, 2)),
        (["HLHPN"], date(2025, 3, 7), date(2025, 3, 7))]


def test_a_zalo_message_with_emoji_and_weekdays():
    p = read_directive("[Tin nhắn chuyển tiếp]\nPhòng VH&TT quận 08:15\n"
                       "👉 Kính gửi các đồng chí phụ trách văn hóa các phường!\n"
                       "Thực hiện chỉ đạo của lãnh đạo UBND quận, đề nghị UBND các phường:\n"
                       "+ Rà soát danh sách các điểm karaoke, gửi về Phòng VH&TT trước 10h00 ngày thứ Sáu 15/11/2024.\n"
                       "+ Cử 01 cán bộ tham dự tập huấn vào sáng Thứ Tư ngày 20/11/2024 tại Hội trường UBND quận.\n"
                       "Trân trọng cảm ơn! 🙏")
    assert [(t.report_due_date, t.start_date, t.due_date) for t in p.tasks] == [
        (date(2024, 11, 15), None, None), (None, date(2024, 11, 20), date(2024, 11, 20))]
    assert all(sorted(t.unit_codes) == sorted(WARDS) for t in p.tasks)


def test_a_letter_to_some_wards_and_a_body_not_in_the_tree_asked_to_direct_a_unit():
    p = read_directive("Số: 1877/UBND-VHTT\nNgô Quyền, ngày 02 tháng 12 năm 2024\n"
                       "Kính gửi: Ủy ban nhân dân các phường: Máy Chai, Lạch Tray, Đông Khê.\n"
                       "Ủy ban nhân dân quận đề nghị Ủy ban nhân dân các phường khẩn trương hoàn thành báo cáo, gửi về "
                       "Phòng Văn hóa và Thông tin chậm nhất ngày 06/12/2024.")
    assert sorted(p.tasks[0].unit_codes) == ["P-DK", "P-LT", "P-MC"]
    q = read_directive("Sở Thông tin và Truyền thông đề nghị Ủy ban nhân dân các quận, huyện chỉ đạo Phòng Văn hóa và "
                       "Thông tin tổ chức tuyên truyền trên hệ thống truyền thanh cơ sở từ ngày 27/5 đến ngày 02/6/2024.")
    assert q.tasks[0].unit_codes == ["VHTT"]


def test_team_leaders_of_the_tdp_and_what_a_decision_does_itself():
    units = _units("units_phuong.json")
    p = read_directive("Gửi các đ/c Tổ trưởng TDP\nThực hiện chỉ đạo của UBND phường, đề nghị các đồng chí Tổ trưởng "
                       "tổ dân phố:\n- Thu thập thông tin các hộ có người cao tuổi, gửi danh sách về Phòng VH-XH trước "
                       "ngày thứ Hai 14/9/2026.", units=units)
    assert len(p.tasks) == 1 and len(p.tasks[0].unit_codes) == 40 and p.tasks[0].report_due_date == date(2026, 9, 14)
    d = read_directive("QUYẾT ĐỊNH\nĐiều 1. Thành lập Ban Tổ chức Hội thi gồm các ông, bà có tên sau.\n"
                       "Điều 2. Giao Phòng Tài chính - Kế hoạch thẩm định dự toán kinh phí trước ngày 25/7/2024.\n"
                       "1. Tình hình tháng 10: các đơn vị đã hoàn thành cơ bản các nhiệm vụ được giao.")
    assert [t.unit_codes for t in d.tasks] == [["TCKH"]]


def test_summary_forms_of_the_own_number():
    p = read_directive("Ngày 12 tháng 3 năm 2026, UBND phường Gia Viên có Công văn số 402/UBND-VHXH về việc tuyên "
                       "truyền. Theo đó, Trạm Y tế phường kiểm tra các cơ sở từ ngày 15/3 đến ngày 30/3/2026.")
    assert (p.doc_number, p.doc_date) == ("402/UBND-VHXH", date(2026, 3, 12))
    q = read_directive("UBND phường vừa ban hành Văn bản số 88/UBND-VHXH về phòng, chống dịch.\n"
                       "Trạm Y tế phường tăng cường kiểm tra các cơ sở kinh doanh thực phẩm.")
    assert (q.doc_number, q.doc_date) == ("88/UBND-VHXH", None)
    r = read_directive("Thực hiện Công văn số 1234/UBND-VX của UBND thành phố, các phường tăng cường tuyên truyền.")
    assert r.doc_number is None
