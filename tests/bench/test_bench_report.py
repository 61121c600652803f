"""The bench's report: medians and spread over runs, peak per measurement, targets from floors."""

from __future__ import annotations

from bench.run import Result, _result, table


def test_result_is_the_median_with_its_spread_and_the_highest_peak():
    r = _result("grid", [0.30, 0.10, 0.20, 0.50, 0.25], [0.05, 0.07, 0.06], 0.300, [90.0, None, 120.5])
    assert r.seconds == 0.25 and r.seconds_min == 0.10 and r.seconds_max == 0.50 and r.runs == 5
    assert r.floor_seconds == 0.06 and r.ratio == round(0.25 / 0.06, 2)
    assert r.peak_mb == 120.5
    even = _result("x", [1.0, 3.0], None, None)
    assert even.seconds == 2.0 and even.floor_seconds is None and even.peak_mb is None


def test_table_shows_spread_peak_and_verdict():
    text = table([_result("status_summary", [0.09, 0.08, 0.12], [0.05, 0.05, 0.06], 0.100, [150.0]),
                  Result("start", 2.5, 0.4, 6.25, 2.0, None)])
    summary, start = text.splitlines()[2:4]
    assert "80–120 ms" in summary and "150 MB" in summary and summary.endswith("đạt")
    assert start.endswith("CHƯA") and "—" in start
