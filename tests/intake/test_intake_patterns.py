"""Issue 16: the failure patterns of real directives, each with a constructed example."""

from __future__ import annotations

from datetime import date

from desktop.intake import read_directive
from intake_truth import WARDS


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
