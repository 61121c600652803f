"""A unit's result for one assignment: load it, decide what a save means, save it.

The result form collects plain values (:func:`FormValues`) and calls :func:`plan_save`, then
(after any question to the officer) :func:`save_result`. The branching between recording a
report, accepting, returning for more and changing the state lives here, not in the widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db.models import AssignmentState
from desktop.infra import attachments
from desktop.infra.fileio import OutputError
from desktop.services import operations as ops
from desktop.tracking import board

# The values of the form that make up a report (a change in any of them records a new report).
REPORT_KEYS = ("received", "channel", "doc", "content", "figures", "new_files", "new_links")
_OPEN_STATES = (AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value, AssignmentState.RETURNED.value)
DONE = AssignmentState.DONE.value
REPORTED = AssignmentState.REPORTED.value


def load_result(db, assignment_id: int, today: date, due_soon_days: int
                ) -> tuple[board.AssignmentDetail | None, list[board.ChangeEntry]]:
    """The assignment as the form shows it, and its change history (None, [] when it is gone)."""
    with db.session() as s:
        detail = board.assignment_detail(s, assignment_id, today, due_soon_days)
        return detail, (board.history(s, assignment_id) if detail is not None else [])


def store_evidence_file(db_location: str, assignment_id: int, source: str) -> str:
    """Copy a file into the attachments (``tep-dinh-kem/<assignment id>/``); returns the stored relative path."""
    src = Path(source)
    if not src.is_file():
        raise ops.ValidationError(f"Không tìm thấy tệp «{src}».")
    return attachments.copy_file(db_location, src, str(assignment_id))


@dataclass(frozen=True)
class SavePlan:
    """What a click on Lưu / Duyệt / Yêu cầu bổ sung means for the values in the form."""

    nothing_to_do: bool = False
    needs_report: bool = False  # a new report is recorded
    missing_received: bool = False  # refused: a report needs its received date
    confirm_gaps: bool = False  # ask before approving a report with gaps (see approval_gaps)
    report_changed: bool = False
    completed_changed: bool = False
    state_changed: bool = False


def plan_save(values: dict, snapshot: dict, has_reports: bool, accept: bool,
              return_reason: str | None = None) -> SavePlan:
    """Decide from the form's values and the values it was loaded with (``snapshot``)."""
    report_changed = any(values[k] != snapshot[k] for k in REPORT_KEYS)
    completed_changed = values["completed"] != snapshot["completed"]
    state_changed = values["state"] != snapshot["state"]
    target_state = values["state"]
    if not (report_changed or completed_changed or state_changed or accept or return_reason is not None):
        return SavePlan(nothing_to_do=True)
    needs_report = report_changed or (
        completed_changed and values["completed"] is not None and (not has_reports or target_state in _OPEN_STATES))
    if accept and not has_reports:
        needs_report = True
    if needs_report and values["received"] is None:
        return SavePlan(needs_report=True, missing_received=True)
    confirm = bool(accept or (target_state == DONE and return_reason is None and state_changed))
    return SavePlan(needs_report=needs_report, confirm_gaps=confirm, report_changed=report_changed,
                    completed_changed=completed_changed, state_changed=state_changed)


def _figures(values: dict) -> dict[int, object]:
    """``values["figure_values"]``: (indicator id, text typed) pairs; empty boxes are left out."""
    return {ind_id: text for ind_id, text in values.get("figure_values", ()) if str(text).strip()}


def _report_input(values: dict, files: list[str], completed: bool) -> ops.ReportInput:
    return ops.ReportInput(
        received_on=values["received"], channel=values["channel"], unit_doc_number=values["doc"],
        content=values["content"], completed_on=values["completed"] if completed else None,
        figures=_figures(values), links=list(values["new_links"]), files=files)


def approval_gaps(db, assignment_id: int, plan: SavePlan, values: dict) -> list[str]:
    """What the report to approve lacks (content, figures, evidence), counting the form's unsaved report."""
    pending = _report_input(values, list(values["new_files"]), completed=False) if plan.needs_report else None
    with db.session() as s:
        return ops.approval_gaps(s, assignment_id, pending)


def save_result(db, assignment_id: int, version: int, plan: SavePlan, values: dict, today: date,
                accept: bool, return_reason: str | None = None) -> None:
    """Record / accept / return / set the state, in one transaction, after copying the new evidence files.

    Raises ValidationError, ConflictError or OutputError; on any error the copied files are removed
    and nothing is saved."""
    target_state = values["state"]
    copied: list[Path] = []
    try:
        new_files = []
        for source in values["new_files"]:
            relative = store_evidence_file(db.location, assignment_id, source)
            copied.append(attachments.resolve(db.location, relative))
            new_files.append(relative)
        with db.session(context="ui") as s:
            expected: int | None = version
            if plan.needs_report:
                data = _report_input(values, new_files, completed=True)
                if data.received_on is None:
                    raise ops.ValidationError("Cần nhập ngày nhận báo cáo.", "received_on")
                accept_now = accept or (target_state == DONE and return_reason is None)
                ops.record_report(s, assignment_id, data, today, expected_version=expected, accept=accept_now)
                expected = None
                if (plan.state_changed and not accept and return_reason is None
                        and target_state not in (REPORTED, DONE)):
                    ops.set_state(s, assignment_id, target_state, today)
            elif accept:
                ops.accept_result(s, assignment_id, today, values["completed"], expected_version=expected)
                expected = None
            elif plan.completed_changed or plan.state_changed:
                if target_state == DONE:
                    ops.accept_result(s, assignment_id, today, values["completed"], expected_version=expected)
                elif target_state == REPORTED:
                    ops.set_state(s, assignment_id, target_state, today, completed_on=values["completed"],
                                  expected_version=expected)
                else:
                    ops.set_state(s, assignment_id, target_state, today, expected_version=expected)
                expected = None
            if return_reason is not None:
                ops.return_for_more(s, assignment_id, return_reason, expected_version=expected)
    except (ops.ValidationError, ops.ConflictError, OutputError):
        _remove_copies(copied)
        raise


def unaccept_result(db, assignment_id: int, version: int, today: date) -> None:
    with db.session(context="ui") as s:
        ops.unaccept_result(s, assignment_id, today, expected_version=version)


def _remove_copies(copied: list[Path]) -> None:
    for p in copied:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass
