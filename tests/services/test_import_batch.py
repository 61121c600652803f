"""``record_reports`` (the batched path of a form import) against ``record_report`` one by one:
the same reports, figures, evidence, states and change-log entries, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select, text, update

from db.models import Assignment, ChangeLog, Evidence, Indicator, ReportFigure, Task, UnitReport, ValueType
from desktop.services import operations as ops
from desktop.services.demo import DEMO_TODAY
from desktop.services.operations.results import ReportItem, record_reports
from desktop.tracking.recurrence import period_start
from desktop.workbooks.template import OPEN_STATES

TODAY = DEMO_TODAY
CONTEXT = "import:phieu-bao-cao.xlsx"


class _Rollback(Exception):
    pass


def _figure(ind: Indicator, n: int) -> object:
    if ind.value_type == ValueType.TEXT.value:
        return f"Đạt yêu cầu {n}"
    if ind.value_type == ValueType.INTEGER.value:
        return 10 + n
    return "1.234,5"


def _items(db) -> list[ReportItem]:
    """Reports on up to ten open assignments of different units and tasks: with and without
    figures, links and files, a completion date or none, accepted at once or waiting."""
    with db.session() as s:
        rows = s.execute(select(Assignment, Task).join(Task, Task.id == Assignment.task_id)
                         .where(Assignment.state.in_(list(OPEN_STATES))).order_by(Assignment.id)).all()
        indicators: dict[int, list[Indicator]] = {}
        for ind in s.execute(select(Indicator).order_by(Indicator.sort_order, Indicator.id)).scalars():
            indicators.setdefault(ind.task_id, []).append(ind)
        chosen = []
        for a, task in rows:
            begins = period_start(a.period)
            if (task.start_date and task.start_date > TODAY) or (begins is not None and begins > TODAY):
                continue
            chosen.append((a, task))
        with_figures = [x for x in chosen if indicators.get(x[1].id)][:5]
        without = [x for x in chosen if not indicators.get(x[1].id)][:5]
        items = []
        for n, (a, task) in enumerate(with_figures + without):
            figures = {ind.id: _figure(ind, n) for ind in indicators.get(task.id, [])}
            if figures and n % 2:
                figures[next(iter(figures))] = ""  # an empty figure is not a row
            data = ops.ReportInput(received_on=TODAY, channel="excel", unit_doc_number=f"{n + 1}/BC-UBND",
                                   content=f"Đã triển khai, lần {n}", completed_on=TODAY if n % 3 else None,
                                   figures=figures, links=["https://example.vn/bao-cao"] if n % 2 else [],
                                   files=[f"phieu-nhan/phieu-{n}.xlsx"] if n % 3 != 1 else [],
                                   source_file="phieu-nhan/phieu.xlsx")
            items.append(ReportItem(a.id, data, expected_version=a.version, accept=n % 4 == 0))
    assert len(items) >= 4 and any(i.data.figures for i in items)
    return items


def _applied(db, write) -> dict:
    """What ``write(session)`` writes, read back in the same transaction, then rolled back. Ids
    of new rows are replaced by what they belong to (PostgreSQL does not give sequence values back)."""
    captured: dict = {}
    try:
        with db.session(context=CONTEXT) as s:
            last_log = s.execute(select(func.max(ChangeLog.id))).scalar() or 0
            ids = write(s)
            reports = s.execute(select(UnitReport).where(UnitReport.assignment_id.in_(ids))
                                .order_by(UnitReport.id)).scalars().all()
            new_reports = {r.id: r for r in reports if r.source_file == "phieu-nhan/phieu.xlsx"}
            key = {("unit_report", rid): ("report", r.assignment_id) for rid, r in new_reports.items()}
            figures = s.execute(select(ReportFigure).where(ReportFigure.report_id.in_(new_reports))).scalars().all()
            evidence = s.execute(select(Evidence).where(Evidence.report_id.in_(new_reports))).scalars().all()
            for f in figures:
                key[("report_figure", f.id)] = ("figure", new_reports[f.report_id].assignment_id, f.indicator_id)
            for e in evidence:
                key[("evidence", e.id)] = ("evidence", new_reports[e.report_id].assignment_id, e.kind, e.target)
            captured["reports"] = [(r.assignment_id, r.received_on, r.channel, r.unit_doc_number, r.content,
                                    r.completed_on, r.source_file, r.search_key, r.version)
                                   for r in new_reports.values()]
            captured["figures"] = sorted((new_reports[f.report_id].assignment_id, f.indicator_id, f.value_number,
                                          f.value_text) for f in figures)
            captured["evidence"] = sorted((new_reports[e.report_id].assignment_id, e.kind, e.target, e.label)
                                          for e in evidence)
            captured["assignments"] = [
                (a.id, a.state, a.completed_on, a.accepted_on, a.version, a.fixed_status, a.effective_due)
                for a in s.execute(select(Assignment).where(Assignment.id.in_(ids))
                                   .order_by(Assignment.id)).scalars()]
            log = s.execute(select(ChangeLog).where(ChangeLog.id > last_log).order_by(ChangeLog.id)).scalars().all()
            captured["log"] = Counter(
                (c.table_name, key.get((c.table_name, c.record_id), c.record_id), c.action, c.field, c.old_value,
                 c.new_value, c.context, c.os_user) for c in log)
            # Each record's own history comes in the same order.
            captured["history"] = {}
            for c in log:
                captured["history"].setdefault((c.table_name, key.get((c.table_name, c.record_id), c.record_id)),
                                               []).append((c.action, c.field, c.old_value, c.new_value))
            raise _Rollback
    except _Rollback:
        pass
    return captured


def _one_by_one(items):
    def write(s):
        for i in items:
            ops.record_report(s, i.assignment_id, i.data, TODAY, expected_version=i.expected_version,
                              accept=i.accept)
        return [i.assignment_id for i in items]
    return write


def _batched(items):
    def write(s):
        reports = record_reports(s, items, TODAY)
        assert [r.assignment_id for r in reports] == [i.assignment_id for i in items]
        return [i.assignment_id for i in items]
    return write


def test_batched_reports_write_what_one_by_one_writes(any_demo_db):
    items = _items(any_demo_db)
    old = _applied(any_demo_db, _one_by_one(items))
    new = _applied(any_demo_db, _batched(items))
    assert len(old["reports"]) == len(items) and old["figures"] and old["evidence"]
    assert any(k[0] == "assignment" and k[3] == "accepted_on" for k in old["log"])
    assert new == old


def test_batched_reports_refuse_what_one_by_one_refuses_and_write_nothing(any_demo_db):
    items = _items(any_demo_db)
    stale = items[:2] + [replace(items[2], expected_version=items[2].expected_version + 5)] + items[3:]
    with pytest.raises(ops.ConflictError) as one:
        _applied(any_demo_db, _one_by_one(stale))
    with pytest.raises(ops.ConflictError) as batch:
        _applied(any_demo_db, _batched(stale))
    assert batch.value.message == one.value.message

    with_figures = next(i for i in items if i.data.figures)
    foreign = replace(with_figures, data=replace(with_figures.data, figures={10**9: 5}))
    wrong = [items[0], foreign] if items[0] is not with_figures else [items[1], foreign]
    for write in (_one_by_one(wrong), _batched(wrong)):
        with pytest.raises(ops.ValidationError, match="Chỉ tiêu không thuộc nhiệm vụ này"):
            _applied(any_demo_db, write)

    future = replace(items[0], data=replace(items[0].data, completed_on=date(2099, 1, 1)))
    for write in (_one_by_one([items[1], future]), _batched([items[1], future])):
        with pytest.raises(ops.ValidationError, match="sau ngày hôm nay"):
            _applied(any_demo_db, write)
    with any_demo_db.session() as s:
        assert s.execute(select(func.count()).select_from(UnitReport)
                         .where(UnitReport.source_file == "phieu-nhan/phieu.xlsx")).scalar() == 0


def test_the_same_assignment_twice_is_recorded_in_turn(any_demo_db):
    items = _items(any_demo_db)
    again = replace(items[0], data=replace(items[0].data, content="Báo cáo bổ sung"), expected_version=None)
    twice = [items[0], items[1], again]
    assert _applied(any_demo_db, _batched(twice)) == _applied(any_demo_db, _one_by_one(twice))


def test_a_report_that_moves_nothing_and_an_underived_deadline_match_one_by_one(any_demo_db):
    items = _items(any_demo_db)
    first = replace(items[1], accept=False, expected_version=None)
    same = replace(first, data=replace(first.data, content="Gửi lại, không đổi tình trạng"))
    underived = items[2]

    def prepare(s):
        ops.record_report(s, first.assignment_id, first.data, TODAY)  # already "chờ duyệt", same date
        s.execute(update(Assignment).where(Assignment.id == underived.assignment_id)
                  .values(effective_due=None).execution_options(synchronize_session=False))

    def one_by_one(s):
        prepare(s)
        return _one_by_one([same, replace(underived, expected_version=None)])(s)

    def batched(s):
        prepare(s)
        return _batched([same, replace(underived, expected_version=None)])(s)

    old = _applied(any_demo_db, one_by_one)
    assert _applied(any_demo_db, batched) == old


def test_a_row_changed_underneath_is_a_conflict_as_on_flush(any_demo_db):
    items = [replace(i, expected_version=None) for i in _items(any_demo_db)]

    def racing(write):
        def run(s):
            # read (kept: the identity map holds them weakly), then another officer saves one of them
            s.info["read"] = [s.get(Assignment, i.assignment_id) for i in items]
            s.execute(text("UPDATE assignment SET version = version + 1 WHERE id = :i"),
                      {"i": items[-1].assignment_id})
            return write(s)
        return run

    for write in (_one_by_one(items), _batched(items)):
        with pytest.raises(ops.ConflictError):
            _applied(any_demo_db, racing(write))


def test_an_assignment_with_unsaved_changes_keeps_them(any_demo_db):
    items = _items(any_demo_db)
    items[0] = replace(items[0], expected_version=None)  # edited in this transaction: its version moves

    def edited(write):
        def run(s):
            a = s.get(Assignment, items[0].assignment_id)
            a.note = "Ghi chú sửa trong cùng giao dịch"
            s.info["edited"] = a
            return write(s)
        return run

    old = _applied(any_demo_db, edited(_one_by_one(items)))
    assert any(k[0] == "assignment" and k[3] == "note" for k in old["log"])
    assert _applied(any_demo_db, edited(_batched(items))) == old
