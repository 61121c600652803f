from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.tracking.calendar import add_working_days, is_working_day, working_days_between
from desktop.tracking.recurrence import RecurrenceError, occurrences, parse_rule


def test_tet_and_national_day_are_not_working_days():
    assert not is_working_day(date(2025, 1, 29))  # Mùng 1 Tết Ất Tỵ
    assert not is_working_day(date(2024, 9, 2))  # Quốc khánh
    assert not is_working_day(date(2024, 10, 12))  # Saturday
    assert is_working_day(date(2024, 10, 10))


def test_working_days_skip_tet():
    # Friday 24/01/2025, then the Tết break 25/01–02/02/2025.
    assert add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 60))
def test_add_and_count_working_days_agree(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert n == 0 or is_working_day(end)
    assert add_working_days(end, -n) <= start or not is_working_day(start)


def test_monthly_rule_due_on_day_of_next_month():
    occ = occurrences("monthly:7", date(2024, 1, 15), date(2024, 3, 1))
    assert [(o.period, o.due) for o in occ] == [
        ("2024-01", date(2024, 2, 7)), ("2024-02", date(2024, 3, 7)), ("2024-03", date(2024, 4, 7))]


def test_day_is_clamped_to_month_end():
    occ = occurrences("monthly:31", date(2024, 1, 1), date(2024, 1, 31))
    assert occ[0].due == date(2024, 2, 29)


def test_semiannual_and_quarterly_and_yearly():
    assert [o.period for o in occurrences("semiannual:15", date(2023, 1, 1), date(2023, 12, 31))] == ["2023-H1", "2023-H2"]
    assert occurrences("semiannual:15", date(2023, 1, 1), date(2023, 12, 31))[1].due == date(2024, 1, 15)
    assert occurrences("quarterly:10", date(2024, 5, 5), date(2024, 5, 5))[0].due == date(2024, 7, 10)
    assert occurrences("yearly:12-15", date(2024, 3, 1), date(2024, 3, 1))[0].due == date(2025, 12, 15)


@pytest.mark.parametrize("bad", ["", "weekly:1", "monthly:0", "monthly:32", "yearly:13-1", "yearly:5", "monthly:1-2"])
def test_bad_rules_are_refused(bad):
    with pytest.raises(RecurrenceError):
        parse_rule(bad)


@given(st.sampled_from(["monthly", "quarterly", "semiannual"]), st.integers(1, 31),
       st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 800))
def test_occurrences_are_ordered_and_due_after_their_period(kind, day, start, span):
    occ = occurrences(f"{kind}:{day}", start, start + timedelta(days=span))
    assert occ, "the period containing start is always listed"
    assert all(a.due < b.due for a, b in zip(occ, occ[1:]))
    assert all(o.due > o.period_start for o in occ)
    assert len({o.period for o in occ}) == len(occ)
