"""The date field that may be empty, and the recurrence picker's rule strings."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.tracking.recurrence import occurrences, parse_rule
from desktop.ui.dialogs.widgets import DateField, RecurrencePicker, describe_rule


def test_optional_date_field_empty_and_set(qtbot):
    field = DateField(optional=True, default=lambda: date(2024, 10, 8))
    qtbot.addWidget(field)
    assert field.value() is None
    assert field.edit.text() == "không có"
    field.check.setChecked(True)  # ticking offers the default date
    assert field.value() == date(2024, 10, 8)
    assert field.edit.text() == "08/10/2024"
    field.set_value(date(2024, 2, 29))
    assert field.value() == date(2024, 2, 29)
    field.check.setChecked(False)
    assert field.value() is None


def test_required_date_field_always_has_a_date(qtbot):
    field = DateField(optional=False, default=lambda: date(2024, 10, 8))
    qtbot.addWidget(field)
    assert field.value() == date(2024, 10, 8)
    assert not field.check.isVisibleTo(field)
    field.set_value(None)  # falls back to the default: a required date is never empty
    assert field.value() == date(2024, 10, 8)


_PICKER = []


def _picker():
    if not _PICKER:
        _PICKER.append(RecurrencePicker())
    return _PICKER[0]


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(["monthly", "quarterly", "semiannual", "yearly"]),
       day=st.integers(1, 31), month=st.integers(1, 12))
def test_recurrence_picker_makes_valid_rules_that_round_trip(qapp, kind, day, month):
    picker = _picker()
    picker.kind.setCurrentIndex(picker.kind.findData(kind))
    picker.day.setValue(day)
    picker.month.setValue(month)
    rule = picker.rule()
    parsed = parse_rule(rule)
    assert parsed[0] == kind
    assert occurrences(rule, date(2024, 1, 1), date(2024, 12, 31))  # usable by the tracking code
    assert describe_rule(rule).startswith("Chậm nhất ngày")
    other = RecurrencePicker()
    other.set_rule(rule)
    assert other.rule() == rule


def test_recurrence_descriptions():
    assert describe_rule("monthly:7") == "Chậm nhất ngày 07 hằng tháng (báo cáo kết quả tháng trước)"
    assert describe_rule("yearly:12-15") == "Chậm nhất ngày 15/12 năm sau (báo cáo năm)"
    assert describe_rule("weekly:1") == ""
