"""The result form's save (desktop.services.operations.results) without Qt: what a save means, and that it is saved (or not at all)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import Assignment, AssignmentState, Channel, UnitReport
from desktop.infra import attachments
from desktop.services.demo import DEMO_TODAY
from desktop.services.errors import ConflictError, ValidationError
from desktop.services.operations import results

NOT_STARTED = AssignmentState.NOT_STARTED.value


def _values(**changes) -> dict:
    base = {"state": NOT_STARTED, "received": None, "completed": None, "channel": Channel.PAPER.value,
            "doc": "", "content": "", "figures": (), "new_files": (), "new_links": ()}
    return base | changes


def test_nothing_changed_is_nothing_to_do():
    assert results.plan_save(_values(), _values(), has_reports=False, accept=False).nothing_to_do


def test_a_changed_report_needs_its_received_date():
    plan = results.plan_save(_values(content="Đã xong"), _values(), has_reports=False, accept=False)
    assert plan.needs_report and plan.missing_received


def test_accepting_without_any_report_records_one_and_asks_about_gaps():
    plan = results.plan_save(_values(received=DEMO_TODAY), _values(), has_reports=False, accept=True)
    assert plan.needs_report and plan.confirm_gaps and not plan.missing_received


def test_choosing_done_in_the_state_box_asks_about_gaps_but_returning_does_not():
    done = _values(state=AssignmentState.DONE.value)
    assert results.plan_save(done, _values(), has_reports=True, accept=False).confirm_gaps
    assert not results.plan_save(done, _values(), has_reports=True, accept=False,
                                 return_reason="Thiếu số liệu").confirm_gaps


def _open_assignment(db) -> Assignment:
    with db.session() as s:
        a = s.execute(select(Assignment).where(Assignment.state == NOT_STARTED)
                      .order_by(Assignment.id)).scalars().first()
        s.expunge(a)
        return a


def _save(db, a, values, accept=False, reason=None):
    plan = results.plan_save(values, _values(), has_reports=False, accept=accept, return_reason=reason)
    results.save_result(db, a.id, a.version, plan, values, DEMO_TODAY, accept, reason)


def test_accept_records_the_report_and_approves(demo_db):
    a = _open_assignment(demo_db)
    _save(demo_db, a, _values(received=DEMO_TODAY, content="Đã triển khai", completed=DEMO_TODAY), accept=True)
    with demo_db.session() as s:
        assert s.get(Assignment, a.id).state == AssignmentState.DONE.value
        reports = s.execute(select(UnitReport).where(UnitReport.assignment_id == a.id)).scalars().all()
        assert [r.content for r in reports] == ["Đã triển khai"]
    detail, history = results.load_result(demo_db, a.id, DEMO_TODAY, 7)
    assert detail.row.state == AssignmentState.DONE.value and history


def test_a_save_with_a_stale_version_is_a_conflict_and_saves_nothing(demo_db):
    a = _open_assignment(demo_db)
    _save(demo_db, a, _values(received=DEMO_TODAY, content="Lần một"))
    with pytest.raises(ConflictError):
        _save(demo_db, a, _values(received=DEMO_TODAY, content="Lần hai"))
    with demo_db.session() as s:
        contents = s.execute(select(UnitReport.content).where(UnitReport.assignment_id == a.id)).scalars().all()
    assert contents == ["Lần một"]


def test_a_refused_save_removes_the_files_it_copied(demo_db, tmp_path):
    a = _open_assignment(demo_db)
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 test")
    # a completion date in the future is refused after the file was copied
    values = _values(received=DEMO_TODAY, content="Có tệp", completed=date(2099, 1, 1), new_files=(str(evidence),))
    with pytest.raises(ValidationError):
        _save(demo_db, a, values)
    folder = attachments.resolve(demo_db.location, str(a.id))
    assert not folder.exists() or not any(folder.iterdir())
    assert evidence.exists()


def test_a_missing_evidence_file_is_refused_in_vietnamese(demo_db, tmp_path):
    a = _open_assignment(demo_db)
    values = _values(received=DEMO_TODAY, content="x", new_files=(str(tmp_path / "khong-co.pdf"),))
    with pytest.raises(ValidationError, match="Không tìm thấy tệp"):
        _save(demo_db, a, values)


def test_return_for_more_after_a_report(demo_db):
    a = _open_assignment(demo_db)
    _save(demo_db, a, _values(received=DEMO_TODAY, content="Chưa đủ"))
    with demo_db.session() as s:
        version = s.get(Assignment, a.id).version
    values = _values(state=AssignmentState.REPORTED.value)
    plan = results.plan_save(values, values, has_reports=True, accept=False, return_reason="Bổ sung số liệu")
    results.save_result(demo_db, a.id, version, plan, values, DEMO_TODAY, False, "Bổ sung số liệu")
    with demo_db.session() as s:
        assert s.get(Assignment, a.id).state == AssignmentState.RETURNED.value
