"""Qt-free edits behind the directive dialog: a saved task's dates, periods, indicators, kind."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import Assignment, Indicator, ReportFigure, Task, UnitReport
from db.queries import find_directive
from desktop.services import editing as edits
from desktop.services import operations as ops
from desktop.services.operations import ConflictError, ValidationError
from desktop.ui.dialogs import data
from desktop.ui.dialogs.directive import DirectiveDialog


def _task(session, number, order):
    directive = find_directive(session, number)
    return session.execute(select(Task).where(Task.directive_id == directive.id, Task.sort_order == order)).scalar_one()


def _input(session, task) -> tuple[ops.TaskInput, list[int | None]]:
    draft = next(t for t in data.load_directive(session, task.directive_id).tasks if t.id == task.id)
    edit = DirectiveDialog.task_edit(draft)
    return edit.data, edit.indicator_ids


def _periods(session, task_id):
    rows = session.execute(select(Assignment).where(Assignment.task_id == task_id)).scalars().all()
    reported = set(session.execute(select(UnitReport.assignment_id)).scalars())
    return {(a.unit_id, a.period): (a.id in reported or a.state != "chua_thuc_hien") for a in rows}


def test_periodic_task_dates_refit_its_periods(demo_db):
    with demo_db.session() as s:
        task = _task(s, "45/KH-UBND", 6)  # semiannual reports 2023-2024
        before = _periods(s, task.id)
        units = {u for u, _ in before}
        assert {p for _, p in before} == {"2023-H1", "2023-H2", "2024-H1", "2024-H2"}
        data_in, ids = _input(s, task)
        data_in.due_date = date(2024, 6, 30)
        edits.update_task(s, task.id, data_in, ids, task.version)
        shorter = _periods(s, task.id)
    # Second half of 2024 is gone except where the unit already reported or started.
    kept_h2 = {u for (u, p), busy in before.items() if p == "2024-H2" and busy}
    assert kept_h2 != units  # some of them had nothing yet: those go
    assert {u for u, p in shorter if p == "2024-H2"} == kept_h2
    assert {k for k in shorter if k[1] != "2024-H2"} == {k for k in before if k[1] != "2024-H2"}
    with demo_db.session() as s:
        task = s.get(Task, task.id)
        data_in, ids = _input(s, task)
        data_in.due_date = date(2025, 6, 30)
        edits.update_task(s, task.id, data_in, ids, task.version)
        longer = _periods(s, task.id)
    assert {u for u, p in longer if p == "2025-H1"} == units
    assert {u for u, p in longer if p == "2024-H2"} == units


def test_kind_of_an_assigned_task_cannot_change(demo_db):
    with demo_db.session() as s:
        task = _task(s, "128/VHTT", 1)
        data_in, ids = _input(s, task)
        data_in.kind = "thuong_xuyen"
        with pytest.raises(ValidationError) as info:
            edits.update_task(s, task.id, data_in, ids, task.version)
    assert info.value.field_name == "kind"


def test_stale_task_version_is_a_conflict(demo_db):
    with demo_db.session() as s:
        task = _task(s, "128/VHTT", 1)
        data_in, ids = _input(s, task)
        with pytest.raises(ConflictError):
            edits.update_task(s, task.id, data_in, ids, task.version - 1)


def test_indicators_with_figures_are_kept(demo_db):
    with demo_db.session() as s:
        used = s.execute(select(ReportFigure.indicator_id)).scalars().first()
        indicator = s.get(Indicator, used)
        task = s.get(Task, indicator.task_id)
        data_in, ids = _input(s, task)
        position = ids.index(indicator.id)
        data_in.indicators[position].value_type = "text"
        with pytest.raises(ValidationError, match="không đổi được kiểu"):
            edits.update_task(s, task.id, data_in, ids, task.version)
    with demo_db.session() as s:
        task = s.get(Task, indicator.task_id)
        data_in, ids = _input(s, task)
        del data_in.indicators[position], ids[position]
        with pytest.raises(ValidationError, match="không xóa được"):
            edits.update_task(s, task.id, data_in, ids, task.version)
        # Renaming and adding are fine.
        data_in, ids = _input(s, task)
        data_in.indicators[position].name = "Số tin, bài (đã sửa)"
        data_in.indicators.append(ops.IndicatorInput("Số người tham gia", "người"))
        ids.append(None)
        edits.update_task(s, task.id, data_in, ids, task.version)
        names = [i.name for i in s.execute(select(Indicator).where(Indicator.task_id == task.id)
                                            .order_by(Indicator.sort_order)).scalars()]
    assert names[position] == "Số tin, bài (đã sửa)" and names[-1] == "Số người tham gia"
