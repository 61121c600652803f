"""Use cases on results: a unit's report, approval, return, state, and the
result form's save (:func:`plan_save`, :func:`save_result`)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Date, bindparam, inspect, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from db.audit import _text as audit_text
from db.audit import log_rows
from db.models import (
    Assignment,
    AssignmentState,
    Channel,
    Evidence,
    Indicator,
    ReportFigure,
    Task,
    UnitReport,
    ValueType,
)
from db.queries import id_chunks
from db.status_rule import fixed_status
from db.textkey import strip_invisible
from desktop.infra import attachments
from desktop.infra.fileio import OutputError
from desktop.services.operations.common import (
    ConflictError,
    ValidationError,
    _get,
    _require,
    _text,
    check_version,
)
from desktop.tracking import board
from desktop.tracking.recurrence import period_start

# ---------------------------------------------------------------- results


@dataclass
class ReportInput:
    received_on: date
    channel: str = Channel.PAPER.value
    unit_doc_number: str = ""
    content: str = ""
    completed_on: date | None = None
    figures: dict[int, object] = field(default_factory=dict)  # indicator id -> number or text
    links: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # already copied, relative to the data folder
    source_file: str = ""


_THOUSANDS_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.234 or 1.234,5 (Vietnamese)
_COMMA_DECIMAL = re.compile(r"^\d+(?:,\d+)?$")  # 12 or 12,5
_DOT_DECIMAL = re.compile(r"^\d+\.\d+$")  # 12.5 typed the English way


def parse_number(text: str) -> float | None:
    """A non-negative number as Vietnamese officers type it: "." groups thousands, "," marks
    decimals ("1.234,5"); "12.5" is read as a decimal. None when it is not a number."""
    t = text.strip().replace(" ", "").replace("\u00a0", "")
    if _THOUSANDS_DOT.match(t):
        return float(t.replace(".", "").replace(",", "."))
    if _COMMA_DECIMAL.match(t):
        return float(t.replace(",", "."))
    if _DOT_DECIMAL.match(t):
        return float(t)
    return None


# No count or amount an office reports comes near this; beyond it a float also stops holding whole
# numbers exactly (Excel shows 15 significant digits), and 1e308 would overflow every total.
MAX_FIGURE = 1e15


def parse_figure(raw: object, value_type: str, indicator_name: str) -> tuple[float | None, str]:
    """Check a figure against its indicator's type: returns (number, text)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if value_type == ValueType.TEXT.value:
        return None, _text(str(raw))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = float(raw)
        if not math.isfinite(number):
            raise ValidationError(f"Số liệu «{indicator_name}» phải là số (đã nhập «{raw}»).", "figures")
    else:
        text = strip_invisible(str(raw)).strip()
        if text.startswith("-") and parse_number(text[1:]) is not None:
            raise ValidationError(f"Số liệu «{indicator_name}» không được âm.", "figures")
        number = parse_number(text)
        if number is None:
            raise ValidationError(f"Số liệu «{indicator_name}» phải là số (đã nhập «{raw}»).", "figures")
    if number < 0:
        raise ValidationError(f"Số liệu «{indicator_name}» không được âm.", "figures")
    if number > MAX_FIGURE:
        raise ValidationError(f"Số liệu «{indicator_name}» quá lớn (đã nhập «{raw}»); số liệu không vượt quá "
                              "1.000.000.000.000.000 (một triệu tỷ).", "figures")
    if value_type == ValueType.INTEGER.value and number != int(number):
        raise ValidationError(f"Số liệu «{indicator_name}» phải là số nguyên (đã nhập «{raw}»).", "figures")
    return number, ""


def validate_report(session: Session, assignment: Assignment, data: ReportInput, today: date) -> Task:
    task = _get(session, Task, assignment.task_id, "nhiệm vụ")
    if data.received_on is None:
        raise ValidationError("Cần nhập ngày nhận báo cáo.", "received_on")
    if data.received_on > today:
        raise ValidationError("Ngày nhận báo cáo không được sau ngày hôm nay.", "received_on")
    if data.completed_on is not None:
        check_completion_date(task, assignment, data.completed_on, today)
    if data.channel not in {c.value for c in Channel}:
        raise ValidationError("Hình thức nhận báo cáo không hợp lệ.", "channel")
    for link in data.links:
        if link and not (link.startswith("http://") or link.startswith("https://")):
            raise ValidationError(f"Đường dẫn «{link}» phải bắt đầu bằng http:// hoặc https://.", "links")
    return task


_PERIOD_NAMES = {"H": "6 tháng", "Q": "quý"}


def check_completion_date(task: Task, assignment: Assignment, completed_on: date, today: date) -> None:
    """A completion date must lie inside the task's time: not after today, not before the task
    starts, not before the period it reports on begins (a 2024-H2 report cannot be done on
    07/01/2024)."""
    if completed_on > today:
        raise ValidationError("Ngày hoàn thành không được sau ngày hôm nay.", "completed_on")
    if task.start_date and completed_on < task.start_date:
        raise ValidationError(
            f"Ngày hoàn thành ({completed_on:%d/%m/%Y}) trước ngày bắt đầu nhiệm vụ "
            f"({task.start_date:%d/%m/%Y}).", "completed_on")
    begins = period_start(assignment.period)
    if begins is not None and completed_on < begins:
        raise ValidationError(
            f"Ngày hoàn thành ({completed_on:%d/%m/%Y}) trước kỳ báo cáo {assignment.period} "
            f"(kỳ bắt đầu ngày {begins:%d/%m/%Y}). Hãy kiểm tra lại ngày hoặc kỳ báo cáo.", "completed_on")


def record_report(session: Session, assignment_id: int, data: ReportInput, today: date,
                  expected_version: int | None = None, accept: bool = False) -> UnitReport:
    """Record what a unit reported. The assignment moves to "chờ duyệt" (or straight to
    "hoàn thành" with ``accept``, when the officer enters a result they accept at once)."""
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    parsed = _check_report(session, a, data, today, expected_version, None)
    report = _new_report(a, data)
    session.add(report)
    session.flush()
    _report_children(session, report, data, parsed)
    _report_moves(a, data, today, accept)
    session.flush()
    return report


@dataclass
class ReportItem:
    """One report of :func:`record_reports`: the arguments of one :func:`record_report` call."""
    assignment_id: int
    data: ReportInput
    expected_version: int | None = None
    accept: bool = False


def record_reports(session: Session, items: list[ReportItem], today: date) -> list[UnitReport]:
    """Many reports in one go (an imported form): the same checks, rows, states and change-log
    entries as :func:`record_report` called for each item in turn, with the assignments, tasks and
    indicators read in a few queries and two flushes in all instead of two per report. Checks come
    first: the first item refused raises (the same error ``record_report`` would) before anything
    is written. Change-log rows of different records may come in another order than one by one."""
    ids = [item.assignment_id for item in items]
    if len(set(ids)) != len(ids):  # the same assignment twice: each report must see the one before
        return [record_report(session, i.assignment_id, i.data, today, i.expected_version, i.accept) for i in items]
    assignments = _load_by_id(session, Assignment, ids)
    _load_by_id(session, Task, {a.task_id for a in assignments.values()})
    by_task: dict[int, dict[int, Indicator]] = {}
    task_ids = sorted({a.task_id for a in assignments.values()})
    for chunk in id_chunks(task_ids):
        for ind in session.execute(select(Indicator).where(Indicator.task_id.in_(chunk))).scalars():
            by_task.setdefault(ind.task_id, {})[ind.id] = ind
    checked = []
    for item in items:
        a = assignments.get(item.assignment_id)
        if a is None:
            raise ValidationError(f"Không tìm thấy giao nhiệm vụ (mã {item.assignment_id}).")
        parsed = _check_report(session, a, item.data, today, item.expected_version, by_task.get(a.task_id, {}))
        checked.append((item, a, parsed, _new_report(a, item.data)))
    session.add_all([report for *_, report in checked])
    session.flush()
    for item, a, parsed, report in checked:
        _report_children(session, report, item.data, parsed)
    _move_assignments(session, [(a, item.data, item.accept) for item, a, _parsed, _report in checked], today)
    session.flush()
    return [report for *_, report in checked]


_MOVED = ("state", "completed_on", "accepted_on")
# Plain SQL: nothing to compile on a program's first import (a Core ``update()`` takes some 4 ms).
_MOVE_SQL = sql_text(
    "UPDATE assignment SET state = :state, completed_on = :completed_on, accepted_on = :accepted_on, "
    "fixed_status = :fixed_status, version = :version WHERE id = :b_id AND version = :b_version"
).bindparams(bindparam("completed_on", type_=Date), bindparam("accepted_on", type_=Date))


def _move_assignments(session: Session, moves: list[tuple[Assignment, ReportInput, bool]], today: date) -> None:
    """:func:`_report_moves` for many assignments in one UPDATE (executemany) instead of one each
    (the ORM updates a versioned row one statement at a time): each row still only if its version
    is the one read (else ``StaleDataError``, as a flush raises), the version moved on, the settled
    status derived (``db.derived``) and the change logged field by field (``db.audit``) as a flush
    does. Called right after a flush (no change of the session is pending). A row whose stored
    deadline was never derived goes through the ORM (``db.derived`` computes it on flush)."""
    columns = [key for key in (attr.key for attr in inspect(Assignment).column_attrs) if key in _MOVED]
    params: list[dict] = []
    changes: list[tuple] = []
    done: list[tuple[Assignment, dict]] = []
    for a, data, accept in moves:
        if a.effective_due is None and a.due_date is not None:
            _report_moves(a, data, today, accept)
            continue
        new = _moved_values(data, today, accept)
        new["fixed_status"] = fixed_status(new["state"], new["completed_on"], a.effective_due)
        changed = [key for key in columns if getattr(a, key) != new[key]]
        if not changed and new["fixed_status"] == a.fixed_status:
            continue  # nothing moves: no UPDATE, no new version (as a flush with no net change)
        new["version"] = a.version + 1
        params.append({**new, "b_id": a.id, "b_version": a.version})
        changes.extend((a.id, "update", key, getattr(a, key), new[key]) for key in changed
                       if audit_text(getattr(a, key)) != audit_text(new[key]))
        done.append((a, new))
    if not params:
        return
    result = session.connection().execute(_MOVE_SQL, params)
    if result.rowcount != len(params):
        raise StaleDataError(f"UPDATE statement on table 'assignment' expected to update {len(params)} row(s); "
                             f"{result.rowcount} were matched.")
    for a, new in done:
        for key, value in new.items():
            set_committed_value(a, key, value)
    log_rows(session, "assignment", changes)


def _load_by_id(session: Session, model, ids) -> dict:
    """``model`` rows by id: those already in the session, the others in a few queries (the
    session's identity map keeps them while the returned dict holds them)."""
    found: dict = {}
    missing = []
    for ident in sorted(set(ids)):
        obj = session.identity_map.get(identity_key(model, ident))
        if obj is None:
            missing.append(ident)
        else:
            found[ident] = obj
    for chunk in id_chunks(missing):
        found.update((o.id, o) for o in session.execute(select(model).where(model.id.in_(chunk))).scalars())
    return found


def _check_report(session: Session, a: Assignment, data: ReportInput, today: date, expected_version: int | None,
                  indicators: dict[int, Indicator] | None) -> dict[int, tuple[float | None, str]]:
    """Every check of :func:`record_report`, in its order; the parsed figures. ``indicators``: the
    task's, or None to read them here (after the checks: the query may flush the session)."""
    check_version(a, expected_version, "giao nhiệm vụ")
    if a.state in (AssignmentState.PAUSED.value, AssignmentState.CANCELLED.value):
        raise ValidationError("Nhiệm vụ của đơn vị đang tạm dừng hoặc đã hủy; không nhận báo cáo.")
    validate_report(session, a, data, today)
    if indicators is None:
        indicators = {i.id: i for i in session.execute(select(Indicator).where(Indicator.task_id == a.task_id))
                      .scalars()}
    parsed: dict[int, tuple[float | None, str]] = {}
    for ind_id, raw in data.figures.items():
        ind = indicators.get(ind_id)
        if ind is None:
            raise ValidationError("Chỉ tiêu không thuộc nhiệm vụ này.", "figures")
        parsed[ind_id] = parse_figure(raw, ind.value_type, ind.name)
    return parsed


def _new_report(a: Assignment, data: ReportInput) -> UnitReport:
    return UnitReport(assignment_id=a.id, received_on=data.received_on, channel=data.channel,
                      unit_doc_number=_text(data.unit_doc_number), content=_text(data.content),
                      completed_on=data.completed_on, source_file=data.source_file)


def _report_children(session: Session, report: UnitReport, data: ReportInput,
                     parsed: dict[int, tuple[float | None, str]]) -> None:
    """The report's figures and evidence (the report has its id)."""
    for ind_id, (number, text) in parsed.items():
        if number is None and not text:
            continue
        session.add(ReportFigure(report_id=report.id, indicator_id=ind_id, value_number=number, value_text=text))
    for link in data.links:
        if link.strip():
            session.add(Evidence(report_id=report.id, kind="link", target=link.strip()))
    for path in data.files:
        session.add(Evidence(report_id=report.id, kind="file", target=path, label=path.rsplit("/", 1)[-1]))


def _moved_values(data: ReportInput, today: date, accept: bool) -> dict:
    """What a recorded report does to its assignment: awaiting approval (or done, when accepted at
    once), completed on the date the unit gives (else the day it was received)."""
    return {"state": AssignmentState.DONE.value if accept else AssignmentState.REPORTED.value,
            "completed_on": data.completed_on or data.received_on,
            "accepted_on": today if accept else None}


def _report_moves(a: Assignment, data: ReportInput, today: date, accept: bool) -> None:
    for key, value in _moved_values(data, today, accept).items():
        setattr(a, key, value)


def _latest_report(session: Session, assignment_id: int) -> UnitReport | None:
    return session.execute(select(UnitReport).where(UnitReport.assignment_id == assignment_id)
                           .order_by(UnitReport.received_on.desc(), UnitReport.id.desc()).limit(1)).scalars().first()


def approval_gaps(session: Session, assignment_id: int, pending: ReportInput | None = None) -> list[str]:
    """What the report to approve lacks, in Vietnamese ("nội dung kết quả", "số liệu",
    "minh chứng"): the latest report recorded, or ``pending`` when one is about to be recorded.
    Empty when nothing is missing. The window asks before approving a report with gaps."""
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    has_indicators = session.execute(select(Indicator.id).where(Indicator.task_id == a.task_id).limit(1)).first()
    if pending is not None:
        content = _text(pending.content)
        figures = any(str(v).strip() for v in pending.figures.values() if v is not None)
        # Files and links sent with an earlier report still stand beside the new one.
        evidence = (bool(_text(pending.unit_doc_number)) or any(x.strip() for x in pending.links)
                    or bool(pending.files) or session.execute(
                        select(Evidence.id).join(UnitReport, Evidence.report_id == UnitReport.id)
                        .where(UnitReport.assignment_id == a.id).limit(1)).first() is not None)
    else:
        report = _latest_report(session, a.id)
        if report is None:
            return ["báo cáo của đơn vị"]
        content = report.content.strip()
        figures = session.execute(select(ReportFigure.id).where(ReportFigure.report_id == report.id)
                                  .limit(1)).first() is not None
        evidence = bool(report.unit_doc_number.strip()) or session.execute(
            select(Evidence.id).where(Evidence.report_id == report.id).limit(1)).first() is not None
    gaps = []
    if not content:
        gaps.append("nội dung kết quả")
    if has_indicators and not figures:
        gaps.append("số liệu")
    if not evidence:
        gaps.append("minh chứng (số văn bản, tệp hoặc đường dẫn)")
    return gaps


def accept_result(session: Session, assignment_id: int, today: date, completed_on: date | None = None,
                  expected_version: int | None = None) -> Assignment:
    """The officer accepts the unit's report: only now is the assignment complete. A unit that
    reported nothing cannot be approved (there is nothing to accept); without a completion date
    the report's own date is used, never today's."""
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    check_version(a, expected_version, "giao nhiệm vụ")
    report = _latest_report(session, a.id)
    if report is None:
        raise ValidationError("Đơn vị chưa có báo cáo nào; hãy nhập báo cáo của đơn vị (ngày nhận, nội dung) "
                              "trước khi duyệt.", "received_on")
    done_on = completed_on or a.completed_on or report.completed_on or report.received_on
    task = _get(session, Task, a.task_id, "nhiệm vụ")
    check_completion_date(task, a, done_on, today)
    a.state = AssignmentState.DONE.value
    a.completed_on = done_on
    a.accepted_on = today
    session.flush()
    return a


def unaccept_result(session: Session, assignment_id: int, today: date,
                    expected_version: int | None = None) -> Assignment:
    """Hủy duyệt: take an approval back. The report waits for approval again and the completion
    date is cleared; the change log keeps both the approval and its withdrawal."""
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    check_version(a, expected_version, "giao nhiệm vụ")
    if a.state != AssignmentState.DONE.value:
        raise ValidationError("Kết quả này chưa được duyệt nên không có gì để hủy duyệt.", "state")
    _reopen(a, AssignmentState.REPORTED.value, f"Hủy duyệt ngày {today:%d/%m/%Y}.")
    session.flush()
    return a


def _reopen(a: Assignment, state: str, note: str) -> None:
    """Not done any more (approval taken back, report returned): no completion, a line in the note."""
    a.state = state
    a.completed_on = None
    a.accepted_on = None
    a.note = (a.note + "\n" if a.note else "") + note


def return_for_more(session: Session, assignment_id: int, reason: str,
                    expected_version: int | None = None) -> Assignment:
    """Yêu cầu bổ sung: the report is not enough; the assignment is open again. The reason is
    required: the unit must be told what to add."""
    reason = _require(reason, "Nội dung yêu cầu bổ sung", "reason")
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    check_version(a, expected_version, "giao nhiệm vụ")
    _reopen(a, AssignmentState.RETURNED.value, f"Yêu cầu bổ sung: {reason}")
    session.flush()
    return a


def set_state(session: Session, assignment_id: int, state: str, today: date, completed_on: date | None = None,
              expected_version: int | None = None) -> Assignment:
    """Direct change of state from the result form (pause, cancel, reopen, mark done)."""
    if state not in {s.value for s in AssignmentState}:
        raise ValidationError("Trạng thái không hợp lệ.", "state")
    if state == AssignmentState.DONE.value:
        return accept_result(session, assignment_id, today, completed_on, expected_version)
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    check_version(a, expected_version, "giao nhiệm vụ")
    a.state = state
    if state != AssignmentState.REPORTED.value:
        a.accepted_on = None
        if state in (AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value,
                     AssignmentState.RETURNED.value):
            a.completed_on = None
    elif completed_on is not None:
        a.completed_on = completed_on
    session.flush()
    return a


# ---------------------------------------------------------------- the result form
# The form collects plain values and calls :func:`plan_save`, then (after any question to the officer)
# :func:`save_result`, which opens its own transaction. The branching between recording a report,
# accepting, returning for more and changing the state lives here, not in the widget.

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
        raise ValidationError(f"Không tìm thấy tệp «{src}».")
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


def _report_input(values: dict, files: list[str], completed: bool) -> ReportInput:
    return ReportInput(
        received_on=values["received"], channel=values["channel"], unit_doc_number=values["doc"],
        content=values["content"], completed_on=values["completed"] if completed else None,
        figures=_figures(values), links=list(values["new_links"]), files=files)


def form_approval_gaps(db, assignment_id: int, plan: SavePlan, values: dict) -> list[str]:
    """What the report to approve lacks (content, figures, evidence), counting the form's unsaved report."""
    pending = _report_input(values, list(values["new_files"]), completed=False) if plan.needs_report else None
    with db.session() as s:
        return approval_gaps(s, assignment_id, pending)


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
                    raise ValidationError("Cần nhập ngày nhận báo cáo.", "received_on")
                accept_now = accept or (target_state == DONE and return_reason is None)
                record_report(s, assignment_id, data, today, expected_version=expected, accept=accept_now)
                expected = None
                if (plan.state_changed and not accept and return_reason is None
                        and target_state not in (REPORTED, DONE)):
                    set_state(s, assignment_id, target_state, today)
            elif accept:
                accept_result(s, assignment_id, today, values["completed"], expected_version=expected)
                expected = None
            elif plan.completed_changed or plan.state_changed:
                if target_state == DONE:
                    accept_result(s, assignment_id, today, values["completed"], expected_version=expected)
                elif target_state == REPORTED:
                    set_state(s, assignment_id, target_state, today, completed_on=values["completed"],
                                  expected_version=expected)
                else:
                    set_state(s, assignment_id, target_state, today, expected_version=expected)
                expected = None
            if return_reason is not None:
                return_for_more(s, assignment_id, return_reason, expected_version=expected)
    except (ValidationError, ConflictError, OutputError):
        _remove_copies(copied)
        raise


def take_back_approval(db, assignment_id: int, version: int, today: date) -> None:
    with db.session(context="ui") as s:
        unaccept_result(s, assignment_id, today, expected_version=version)


def _remove_copies(copied: list[Path]) -> None:
    for p in copied:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass
