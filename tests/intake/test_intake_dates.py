"""Date rules of the directive reader: periods, deadlines, report deadlines, recurrence, and the
dates that are not deadlines."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.intake.dates import extract_dates, find_atoms
from desktop.intake.textutil import fold_keep
from desktop.tracking.recurrence import occurrences, parse_rule


def d(text: str, year: int | None = 2024, doc_date: date | None = None, implicit: bool = False):
    return extract_dates(text, year, doc_date, implicit)


# ------------------------------------------------------------------ periods

def test_period_with_the_year_implied_from_the_end():
    r = d("tập trung từ ngày 10/10 đến ngày 31/10/2022.", 2022)
    assert (r.start_date, r.due_date, r.report_due_date) == (date(2022, 10, 10), date(2022, 10, 31), None)


def test_period_across_new_year_takes_the_year_before_for_the_start():
    r = d("từ ngày 20/12 đến ngày 10/01/2025", 2024)
    assert (r.start_date, r.due_date) == (date(2024, 12, 20), date(2025, 1, 10))


def test_period_until_end_of_day_and_with_bold_dates_removed():
    r = d("từ ngày 01/10/2024 đến hết ngày 10/10/2024 (gửi kèm)")
    assert (r.start_date, r.due_date) == (date(2024, 10, 1), date(2024, 10, 10))


def test_period_of_months():
    r = d("thực hiện từ tháng 6 đến tháng 9/2024")
    assert (r.start_date, r.due_date) == (date(2024, 6, 1), date(2024, 9, 30))


def test_start_only():
    r = d("Treo cờ tại trụ sở từ ngày 15/5/2024.")
    assert (r.start_date, r.due_date) == (date(2024, 5, 15), None)


def test_dash_range_counts_only_in_a_table_cell():
    assert d("(10/10/1954 - 10/10/2024)").empty()
    r = d("Từ 01/10 - 15/10/2024", implicit=True)
    assert (r.start_date, r.due_date) == (date(2024, 10, 1), date(2024, 10, 15))


# ------------------------------------------------------------------ deadlines

@pytest.mark.parametrize("text, due", [
    ("trước ngày 15/10/2024", date(2024, 10, 15)),  # as written: the decision of the office
    ("hoàn thành trước ngày 1/1/2025", date(2025, 1, 1)),
    ("chậm nhất ngày 15/10/2024", date(2024, 10, 15)),
    ("hoàn thành trong tháng 6/2024", date(2024, 6, 30)),
    ("trong tháng 2/2024", date(2024, 2, 29)),
    ("trước tháng 6/2024", date(2024, 5, 31)),
    ("hoàn thành trong năm 2024", date(2024, 12, 31)),
    ("Tổ chức tuyên truyền, xong trước 10 giờ ngày 20/5/2024", date(2024, 5, 20)),
    ("trước 16h30 ngày 20/5/2024", date(2024, 5, 20)),
    ("tổ chức lễ mít tinh vào ngày 21/4/2024", date(2024, 4, 21)),
    ("thời hạn: ngày 30 tháng 9 năm 2024", date(2024, 9, 30)),
    ("đến ngày 31/10/2024", date(2024, 10, 31)),
])
def test_deadlines(text, due):
    assert d(text).due_date == due


def test_deadline_without_year_takes_the_documents_year_or_the_next_one():
    assert d("trước ngày 25/10", 2024).due_date == date(2024, 10, 25)
    # a January deadline in a December letter is next January
    assert d("chậm nhất ngày 15/01", 2024, doc_date=date(2024, 12, 20)).due_date == date(2025, 1, 15)


def test_the_latest_deadline_wins():
    r = d("gửi dự thảo chậm nhất ngày 10/10/2024, hoàn thành chậm nhất ngày 30/10/2024")
    assert r.due_date == date(2024, 10, 30)


# ------------------------------------------------------------------ report deadlines

@pytest.mark.parametrize("text, report", [
    ("báo cáo Ủy ban nhân dân quận trước ngày 15/10/2022", date(2022, 10, 15)),
    ("Gửi danh sách học sinh về Phòng trước 10 giờ ngày 20/5/2024", date(2024, 5, 20)),
    ("báo cáo kết quả về Ủy ban nhân dân quận (qua Phòng Văn hóa và Thông tin) chậm nhất ngày 20/9/2024",
     date(2024, 9, 20)),
    ("tổng hợp kết quả, gửi về Phòng chậm nhất ngày 10/5/2024", date(2024, 5, 10)),
])
def test_report_deadlines(text, report):
    r = d(text, report.year)
    assert (r.report_due_date, r.due_date) == (report, None)


def test_task_deadline_and_report_deadline_in_one_sentence():
    r = d("Tổ chức tuyên truyền, hoàn thành trước ngày 15/10/2024; báo cáo kết quả chậm nhất ngày 20/10/2024.")
    assert (r.due_date, r.report_due_date) == (date(2024, 10, 15), date(2024, 10, 20))


def test_a_report_speaker_is_not_a_report():
    r = d("mời báo cáo viên của Sở; hoàn thành chậm nhất ngày 15/10/2024")
    assert (r.due_date, r.report_due_date) == (date(2024, 10, 15), None)


# ------------------------------------------------------------------ recurrence

@pytest.mark.parametrize("text, rule", [
    ("báo cáo kết quả chậm nhất ngày 20 hằng tháng", "monthly:20"),
    ("gửi báo cáo trước ngày 25 hàng tháng", "monthly:25"),
    ("định kỳ hằng tháng báo cáo trước ngày 5", "monthly:5"),
    ("Hằng tháng, trước ngày 25", "monthly:25"),
    ("báo cáo định kỳ 6 tháng", "semiannual:15"),
    ("thực hiện định kỳ 06 tháng một lần", "semiannual:15"),
    ("định kỳ hằng quý báo cáo trước ngày 10", "quarterly:10"),
    ("báo cáo hằng năm trước ngày 15/12", "yearly:12-15"),
])
def test_recurrence_rules(text, rule):
    r = d(text)
    assert r.recurrence == rule
    parse_rule(rule)  # a rule the tracking code understands
    assert r.due_date is None


def test_not_recurrence():
    assert d("ngày 10 tháng 10 hằng năm là Ngày Chuyển đổi số quốc gia").recurrence is None
    assert d("tổng hợp kết quả báo cáo theo quy định").recurrence is None
    assert d("Kế hoạch tuyên truyền theo quý").recurrence is None  # no report or deadline cue


def test_ongoing():
    assert d("Thời gian: thường xuyên").ongoing
    assert d("Thường xuyên", implicit=True).ongoing
    assert not d("bố trí kinh phí chi thường xuyên").ongoing


# ------------------------------------------------------------------ not deadlines

@pytest.mark.parametrize("text", [
    "Đăng tải Kế hoạch số 234/KH-UBND ngày 03/10/2022 về việc triển khai",
    "Thực hiện Nghị quyết số 03-NQ/TU ngày 26 tháng 10 năm 2021 của Ban Thường vụ",
    "Quyết định số 411/QĐ-TTg ngày 31 tháng 3 tháng 2022 của Thủ tướng",
    "Ngày 03/10/2022, Ủy ban nhân dân thành phố ban hành Kế hoạch số 234/KH-UBND",
    "Ngày Chuyển đổi số quốc gia 10.10.2024",
    "kỷ niệm 70 năm Ngày Giải phóng Thủ đô (10/10/1954 - 10/10/2024)",
    "đến năm 2025, định hướng đến năm 2030",
    "Tổ chức 01-02 cuộc thi, Hội thảo",
    "Chương trình “Tháng 10 - Tháng tiêu dùng số”",
    "đã ban hành ngày 05/3/2024",
])
def test_not_deadlines(text):
    assert d(text, 2024).empty()


def test_cited_document_date_beside_a_real_deadline():
    r = d("báo cáo kết quả thực hiện Công văn số 123/UBND ngày 05/3/2024 trước ngày 20/3/2024")
    assert r.report_due_date == date(2024, 3, 20)
    assert any(why == "cited" for _, _, why in r.rejected)


def test_typod_year_is_rejected_not_used():
    r = d("Tổng hợp kết quả, báo cáo trước ngày 25/5/2204.", 2024)
    assert r.empty()
    assert [why for _, _, why in r.rejected] == ["implausible_year"]


def test_invalid_day_is_rejected():
    r = d("hoàn thành trước ngày 31/02/2024")
    assert r.empty() and r.rejected[0][2] == "invalid"


def test_without_any_year_a_partial_date_is_not_guessed():
    assert d("trước ngày 15/10", None).empty()


def test_spans_point_at_the_phrase():
    text = "Tổ chức tuyên truyền từ ngày 10/10 đến ngày 31/10/2022."
    r = d(text, 2022)
    (s, e, what), = r.used
    assert what == "period" and text[s:e] == "10/10 đến ngày 31/10/2022"


# ------------------------------------------------------------------ properties (hypothesis)

dates = st.dates(min_value=date(2021, 1, 1), max_value=date(2028, 12, 31))


@given(dates)
def test_any_written_date_with_a_cue_is_read_back(day):
    for text in (f"chậm nhất ngày {day.day}/{day.month}/{day.year}",
                 f"chậm nhất ngày {day.day:02d}/{day.month:02d}/{day.year}",
                 f"chậm nhất ngày {day.day}.{day.month}.{day.year}",
                 f"chậm nhất ngày {day.day} tháng {day.month} năm {day.year}"):
        assert extract_dates(text, day.year).due_date == day, text


@given(dates)
def test_before_a_day_proposes_that_day_as_written(day):
    assert extract_dates(f"trước ngày {day:%d/%m/%Y}", day.year).due_date == day


@given(dates, st.integers(min_value=0, max_value=200))
def test_any_period_is_read_in_order(first, length):
    last = first + timedelta(days=length)
    r = extract_dates(f"từ ngày {first.day}/{first.month} đến ngày {last:%d/%m/%Y}", last.year)
    if first.year == last.year or (first.year == last.year - 1 and first.month > last.month):
        assert (r.start_date, r.due_date) == (first, last)
    assert r.start_date is None or r.start_date <= r.due_date


@given(dates)
def test_a_cited_document_date_is_never_a_deadline(day):
    text = f"Thực hiện Kế hoạch số 12/KH-UBND ngày {day:%d/%m/%Y} của Ủy ban nhân dân thành phố"
    assert extract_dates(text, day.year).empty()


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=2021, max_value=2028))
def test_month_deadline_is_the_months_last_day(month, year):
    r = extract_dates(f"hoàn thành trong tháng {month}/{year}", year)
    assert r.due_date == date(year, month, calendar.monthrange(year, month)[1])


@given(st.integers(min_value=1, max_value=28))
def test_monthly_rule_gives_that_day_every_month(day):
    r = extract_dates(f"báo cáo chậm nhất ngày {day} hằng tháng", 2024)
    assert r.recurrence == f"monthly:{day}"
    due = [o.due for o in occurrences(r.recurrence, date(2024, 1, 1), date(2024, 12, 31))]
    assert all(x.day == day for x in due) and len(due) == 12


@given(dates, st.integers(min_value=4, max_value=60))
def test_a_year_far_from_the_documents_is_never_used(day, offset):
    wrong = day.year + offset
    try:
        typo = day.replace(year=wrong)
    except ValueError:  # 29/02
        return
    assert extract_dates(f"báo cáo trước ngày {typo:%d/%m/%Y}", day.year).empty()


@settings(max_examples=200)
@given(st.text(alphabet=" 0123456789/.-ngàyháñtrưcđếnbo,;:ABCĐ", max_size=80))
def test_arbitrary_text_never_crashes_and_spans_are_inside(text):
    r = extract_dates(text, 2024)
    for s, e, _ in r.used + r.rejected:
        assert 0 <= s < e <= len(text)
    for a in find_atoms(fold_keep(text)):
        assert 0 <= a.start < a.end <= len(text)


# ------------------------------------------------------------------ issue 16: dates as offices write them

@pytest.mark.parametrize("text, start, due", [
    ("tổ chức tổng duyệt vào ngày thứ Hai 03/3/2025 tại Nhà văn hóa", date(2025, 3, 3), date(2025, 3, 3)),
    ("cử đoàn tham gia diễu hành vào sáng Chủ nhật 14/6/2026.", date(2026, 6, 14), date(2026, 6, 14)),
    ("tham dự tập huấn vào sáng Thứ Tư ngày 20/11/2024 tại Hội trường", date(2024, 11, 20), date(2024, 11, 20)),
    ("tổ chức chương trình văn nghệ vào tối thứ Bảy 29/8/2026.", date(2026, 8, 29), date(2026, 8, 29)),
    ("Lễ ra quân vào ngày 02/3/2025 tại Quảng trường", date(2025, 3, 2), date(2025, 3, 2)),
    ("Thời gian: ngày 07/3/2025.", date(2025, 3, 7), date(2025, 3, 7)),
    ("đăng ký danh sách trước thứ Năm, ngày 27/02/2025.", None, date(2025, 2, 27)),
    ("treo băng rôn từ ngày 5/8 đến hết ngày 20/8/2026", date(2026, 8, 5), date(2026, 8, 20)),
    ("hoàn thành vào ngày 30/6/2025", None, date(2025, 6, 30)),
])
def test_weekdays_and_one_day_events(text, start, due):
    r = d(text, due.year)
    assert (r.start_date, r.due_date) == (start, due)


@pytest.mark.parametrize("text, report", [
    ("gửi về Phòng VH&TT trước 10h00 ngày thứ Sáu 15/11/2024.", date(2024, 11, 15)),
    ("lựa chọn tiết mục và gửi đăng ký về Phòng Văn hóa và Thông tin trước ngày 25/10/2024.", date(2024, 10, 25)),
    ("rà soát đề án vị trí việc làm, gửi Phòng Nội vụ trước ngày 20/10/2024.", date(2024, 10, 20)),
    ("cung cấp số liệu về các mô hình gia đình hạnh phúc trước ngày 12/6/2024.", date(2024, 6, 12)),
    ("lập danh sách gửi về Phòng Văn hóa - Xã hội trước ngày 30/4/2026.", date(2026, 4, 30)),
])
def test_sending_results_is_a_report_deadline(text, report):
    r = d(text, report.year)
    assert (r.report_due_date, r.due_date) == (report, None)


@pytest.mark.parametrize("text", [
    "kiểm tra các cơ sở kinh doanh karaoke trong Quý II/2026.",
    "tổng hợp kết quả, báo cáo Ủy ban nhân dân quận trong Quý III/2026.",
])
def test_a_quarter_is_not_a_date(text):
    r = d(text, 2026)
    assert r.due_date is None and r.report_due_date is None and r.period_text == text.split("trong ")[1].rstrip(".")


@pytest.mark.parametrize("text, start, due", [
    ("tổ chức từ ngày 01 đến ngày 31/10/2024", date(2024, 10, 1), date(2024, 10, 31)),
    ("thời gian: từ 01-31/10/2024", date(2024, 10, 1), date(2024, 10, 31)),
    ("treo cờ từ ngày 10 - 15/11", date(2024, 11, 10), date(2024, 11, 15)),
])
def test_a_start_day_without_its_month_takes_the_ends(text, start, due):
    r = d(text, 2024)
    assert (r.start_date, r.due_date) == (start, due)


@pytest.mark.parametrize("text", [
    "Đề nghị UBND các phường cử 30 đoàn viên tham gia, có mặt trước 6h30 ngày 02/3/2025.",
    "Các đồng chí có mặt lúc 7 giờ 30 phút ngày 02/3/2025 tại Quảng trường Nhà hát lớn.",
])
def test_an_appointment_at_a_time_of_day_is_that_day_not_a_span_ending_then(text):
    got = extract_dates(text, doc_date=date(2025, 2, 20))
    assert (got.start_date, got.due_date) == (date(2025, 3, 2), date(2025, 3, 2))


def test_a_deadline_at_a_time_of_day_is_still_only_a_deadline():
    got = extract_dates("Hoàn thành và gửi kết quả trước 17 giờ ngày 05/4/2025.", doc_date=date(2025, 2, 20))
    assert got.start_date is None and date(2025, 4, 5) in (got.due_date, got.report_due_date)
