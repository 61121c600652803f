from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from db.models import AssignmentState as S
from desktop.tracking.status import Status, compute_status, effective_deadline, is_due

D = date(2024, 10, 10)


def st_(state, deadline, done, today, n=3):
    return compute_status(state.value, deadline, done, today, n)


def test_done_on_the_deadline_day_is_on_time():
    r = st_(S.DONE, D, D, D + timedelta(days=30))
    assert r.status is Status.ON_TIME and r.days_late is None


def test_done_one_day_after_is_late_by_one():
    r = st_(S.DONE, D, D + timedelta(days=1), D + timedelta(days=30))
    assert r.status is Status.LATE and r.days_late == 1


def test_reported_but_not_accepted_is_not_done():
    # Only an accepted report completes an assignment: until then it awaits approval, neither done
    # nor overdue, and is not counted among the due.
    r = st_(S.REPORTED, D, D - timedelta(days=2), D + timedelta(days=1))
    assert r.status is Status.PENDING_REVIEW and r.days_late is None and not is_due(r)


def test_extension_is_honoured():
    deadline = effective_deadline(D, [D + timedelta(days=7)])
    assert st_(S.DONE, deadline, D + timedelta(days=5), D + timedelta(days=20)).status is Status.ON_TIME
    assert st_(S.NOT_STARTED, deadline, None, D + timedelta(days=5)).status is Status.DUE_SOON
    assert st_(S.NOT_STARTED, deadline, None, D + timedelta(days=8)).days_late == 1


def test_last_extension_wins():
    assert effective_deadline(D, [D + timedelta(days=3), D + timedelta(days=9)]) == D + timedelta(days=9)
    assert effective_deadline(D, []) == D
    assert effective_deadline(None, []) is None


def test_overdue_counts_days_from_the_day_after_deadline():
    assert st_(S.NOT_STARTED, D, None, D).status is Status.DUE_SOON  # deadline day: not yet late
    r = st_(S.IN_PROGRESS, D, None, D + timedelta(days=4))
    assert r.status is Status.OVERDUE and r.days_late == 4


def test_due_soon_boundary_follows_the_setting():
    assert st_(S.NOT_STARTED, D, None, D - timedelta(days=3)).status is Status.DUE_SOON
    assert st_(S.NOT_STARTED, D, None, D - timedelta(days=4)).status is Status.IN_PROGRESS
    assert st_(S.NOT_STARTED, D, None, D - timedelta(days=5), n=5).status is Status.DUE_SOON
    assert st_(S.NOT_STARTED, D, None, D - timedelta(days=1), n=0).status is Status.IN_PROGRESS


def test_paused_and_cancelled_are_out_of_lateness():
    for state, expected in ((S.PAUSED, Status.PAUSED), (S.CANCELLED, Status.CANCELLED)):
        r = st_(state, D, None, D + timedelta(days=100))
        assert r.status is expected and r.days_late is None and not is_due(r)


def test_no_deadline_is_ongoing_duty():
    assert st_(S.NOT_STARTED, None, None, D).status is Status.NO_DEADLINE
    assert st_(S.DONE, None, D, D).status is Status.ON_TIME


@given(
    state=st.sampled_from(list(S)),
    deadline=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31))),
    done_offset=st.integers(-60, 60),
    today_offset=st.integers(-60, 60),
    n=st.integers(0, 10),
)
def test_status_properties(state, deadline, done_offset, today_offset, n):
    base = deadline or date(2025, 1, 1)
    today = base + timedelta(days=today_offset)
    done = base + timedelta(days=done_offset)
    r = compute_status(state.value, deadline, done, today, n)
    if state is S.DONE:
        assert r.status in (Status.ON_TIME, Status.LATE)
        assert (r.status is Status.LATE) == (deadline is not None and done > deadline)
        if r.status is Status.LATE:
            assert r.days_late == (done - deadline).days > 0
    elif state in (S.PAUSED, S.CANCELLED):
        assert not is_due(r)
    elif state is S.REPORTED:
        assert r.status is Status.PENDING_REVIEW and not is_due(r)
    else:
        if deadline is None:
            assert r.status is Status.NO_DEADLINE
        elif today > deadline:
            assert r.status is Status.OVERDUE and r.days_late == (today - deadline).days
        else:
            assert r.status in (Status.DUE_SOON, Status.IN_PROGRESS)
            assert (r.status is Status.DUE_SOON) == ((deadline - today).days <= n)
    if state is not S.REPORTED:  # awaiting approval: late only by the day received (none given here)
        assert (r.days_late is not None) == (r.status in (Status.LATE, Status.OVERDUE))


def test_counts_are_grouped_by_thousands_with_a_dot():
    from desktop.tracking.labels import fmt_int

    assert [fmt_int(n) for n in (0, 999, 1000, 194016, 1234567)] == ["0", "999", "1.000", "194.016", "1.234.567"]
