"""Use cases on directives, their tasks and the units they are assigned to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    AssignmentState,
    Directive,
    DirectiveType,
    Indicator,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitReport,
    ValueType,
)
from db.textkey import ABBREVIATIONS, directive_identity, directive_number_key, fold
from desktop.services.operations.common import (
    DuplicateDirectiveError,
    ValidationError,
    _get,
    _require,
    _text,
    check_version,
)
from desktop.tracking.recurrence import RecurrenceError, occurrences

# ---------------------------------------------------------------- directives and tasks


@dataclass
class IndicatorInput:
    name: str
    measure: str = ""
    value_type: str = ValueType.INTEGER.value


@dataclass
class TaskInput:
    title: str
    content: str = ""
    kind: str = TaskKind.ONCE.value
    start_date: date | None = None
    due_date: date | None = None
    report_due_date: date | None = None
    recurrence: str = ""
    indicators: list[IndicatorInput] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    lead_unit_ids: list[int] = field(default_factory=list)
    coordinate_unit_ids: list[int] = field(default_factory=list)
    recurrence_end: date | None = None  # last period to generate for periodic tasks


@dataclass
class DirectiveInput:
    number: str
    issued_on: date | None = None
    issuer: str = ""
    received_on: date | None = None  # ngày đến
    doc_type: str = DirectiveType.OTHER.value
    title: str = ""
    notes: str = ""
    file_path: str = ""


def validate_task(data: TaskInput, index: int | None = None) -> None:
    where = f" (nhiệm vụ {index})" if index is not None else ""
    _require(data.title, f"Tên nhiệm vụ{where}", "title")
    if data.kind not in {k.value for k in TaskKind}:
        raise ValidationError(f"Loại nhiệm vụ không hợp lệ{where}.", "kind")
    if data.start_date and data.due_date and data.due_date < data.start_date:
        raise ValidationError(
            f"Hạn hoàn thành ({data.due_date:%d/%m/%Y}) trước ngày bắt đầu ({data.start_date:%d/%m/%Y}){where}.",
            "due_date")
    if data.start_date and data.report_due_date and data.report_due_date < data.start_date:
        raise ValidationError(f"Hạn báo cáo trước ngày bắt đầu{where}.", "report_due_date")
    if data.kind == TaskKind.PERIODIC.value:
        if not data.recurrence:
            raise ValidationError(f"Nhiệm vụ định kỳ cần chu kỳ báo cáo{where}.", "recurrence")
        try:
            occurrences(data.recurrence, data.start_date or date.today(), data.start_date or date.today())
        except RecurrenceError as exc:
            raise ValidationError(f"Chu kỳ báo cáo không hợp lệ{where}.", "recurrence") from exc
    for ind in data.indicators:
        _require(ind.name, f"Tên chỉ tiêu{where}", "indicators")
        if ind.value_type not in {v.value for v in ValueType}:
            raise ValidationError(f"Kiểu số liệu không hợp lệ{where}.", "indicators")


def _issuer_words(issuer: str) -> str:
    folded = f" {fold(issuer)} "
    for long_form, short in ABBREVIATIONS.items():
        if short != "p.":
            folded = folded.replace(f" {long_form} ", f" {short} ")
    return folded


def _same_issuer(a: str, b: str) -> bool:
    """The same issuer however it was written: "Ủy ban nhân dân quận" (read from the document's
    header) and "UBND quận Ngô Quyền" (typed) are one; an issuer not given matches any."""
    wa, wb = _issuer_words(a), _issuer_words(b)
    return not wa.strip() or not wb.strip() or wa in wb or wb in wa


def find_duplicate_directive(session: Session, number: str, issuer: str, issued_on: date | None,
                             directive_id: int | None = None) -> Directive | None:
    """The directive already registered with this number, issuer and date (compared in NFC, case
    and spaces aside; the issuer as :func:`_same_issuer` reads it), or None. A missing issuer or
    date cannot tell two copies apart, so it matches any."""
    num = directive_number_key(number)
    # Every directive but old duplicates (themselves copies of a keyed one) has an identity key
    # that starts with its folded number: an indexed prefix search finds the candidates.
    candidates = session.execute(select(Directive).where(
        Directive.identity_key.startswith(f"{num}|", autoescape=True))).scalars().all()
    for other in sorted(candidates, key=lambda d: d.id):
        if other.id == directive_id or directive_number_key(other.number) != num:
            continue
        same_day = other.issued_on is None or issued_on is None or other.issued_on == issued_on
        if same_day and _same_issuer(other.issuer, issuer):
            return other
    return None


def directive_label(d: Directive) -> str:
    """«số 128/VHTT ngày 08/10/2024 của UBND quận» as messages name a directive."""
    text = f"số {d.number}"
    if d.issued_on:
        text += f" ngày {d.issued_on:%d/%m/%Y}"
    if d.issuer:
        text += f" của {d.issuer}"
    return text


def _validate_directive(session: Session, data: DirectiveInput, directive_id: int | None = None) -> str:
    number = _require(data.number, "Số ký hiệu văn bản", "number")
    if data.doc_type not in {t.value for t in DirectiveType}:
        raise ValidationError("Loại văn bản không hợp lệ.", "doc_type")
    if directive_id is not None:
        current = session.get(Directive, directive_id)
        if current is not None and directive_identity(current.number, current.issuer, current.issued_on) == \
                directive_identity(number, _text(data.issuer), data.issued_on):
            return number  # not re-identified: an old duplicate stays editable (see revision 0007)
    other = find_duplicate_directive(session, number, _text(data.issuer), data.issued_on, directive_id)
    if other is not None:
        title = f" «{other.title[:80]}»" if other.title else ""
        raise DuplicateDirectiveError(
            f"Văn bản {directive_label(other)}{title} đã có trong danh sách; "
            "một văn bản chỉ được nhập một lần.", other.id)
    return number


def create_directive(session: Session, data: DirectiveInput, tasks: Sequence[TaskInput] = ()) -> Directive:
    number = _validate_directive(session, data)
    for i, t in enumerate(tasks, 1):
        validate_task(t, i)
    if data.received_on and data.issued_on and data.received_on < data.issued_on:
        raise ValidationError("Ngày đến không được trước ngày ban hành.", "received_on")
    directive = Directive(number=number, issued_on=data.issued_on, received_on=data.received_on,
                          issuer=_text(data.issuer),
                          doc_type=data.doc_type, title=_text(data.title), notes=_text(data.notes),
                          file_path=data.file_path)
    session.add(directive)
    session.flush()
    for i, t in enumerate(tasks, 1):
        add_task(session, directive.id, t, sort_order=i)
    return directive


def update_directive(session: Session, directive_id: int, data: DirectiveInput,
                     expected_version: int | None = None) -> Directive:
    directive = _get(session, Directive, directive_id, "văn bản")
    check_version(directive, expected_version, "văn bản")
    directive.number = _validate_directive(session, data, directive_id)
    if data.received_on and data.issued_on and data.received_on < data.issued_on:
        raise ValidationError("Ngày đến không được trước ngày ban hành.", "received_on")
    directive.issued_on, directive.issuer = data.issued_on, _text(data.issuer)
    directive.received_on = data.received_on
    directive.doc_type, directive.title, directive.notes = data.doc_type, _text(data.title), _text(data.notes)
    if data.file_path:
        directive.file_path = data.file_path
    session.flush()
    return directive


def add_task(session: Session, directive_id: int, data: TaskInput, sort_order: int | None = None) -> Task:
    validate_task(data)
    if sort_order is None:
        existing = session.execute(select(Task.sort_order).where(Task.directive_id == directive_id)).scalars().all()
        sort_order = max(existing, default=0) + 1
    task = Task(directive_id=directive_id, sort_order=sort_order, title=_text(data.title),
                content=_text(data.content), kind=data.kind, start_date=data.start_date, due_date=data.due_date,
                report_due_date=data.report_due_date, recurrence=data.recurrence)
    session.add(task)
    session.flush()
    for i, ind in enumerate(data.indicators, 1):
        session.add(Indicator(task_id=task.id, sort_order=i, name=_text(ind.name), measure=_text(ind.measure),
                              value_type=ind.value_type))
    roles: dict[int, str] = {}
    for uid in data.unit_ids:
        roles[uid] = Role.EXECUTE.value
    for uid in data.coordinate_unit_ids:
        roles[uid] = Role.COORDINATE.value
    for uid in data.lead_unit_ids:
        roles[uid] = Role.LEAD.value
    assign_units(session, task, roles, until=data.recurrence_end)
    return task


def task_deadline(task: Task) -> date | None:
    """The deadline an assignment of a one-off task starts with: the task's, else its report date."""
    return task.due_date or task.report_due_date


def assign_units(session: Session, task: Task, roles: dict[int, str], until: date | None = None) -> list[Assignment]:
    """Create the missing assignments of ``task`` for the given units (role per unit id).

    Periodic tasks get one assignment per period from the task's start to ``until`` (default:
    the task's due date, else the end of the start year)."""
    created: list[Assignment] = []
    valid_roles = {r.value for r in Role}
    if any(role not in valid_roles for role in roles.values()):
        raise ValidationError("Vai trò không hợp lệ.", "role")
    # One query for all units: a city-wide task is given to ~1,000 of them at once.
    units = {u.id: u for u in session.execute(select(Unit).where(Unit.id.in_(list(roles)))).scalars()}
    for uid in roles:
        unit = units.get(uid)
        if unit is None:
            raise ValidationError(f"Không tìm thấy đơn vị (mã {uid}).")
        if unit.is_group:
            raise ValidationError(f"«{unit.name}» là một nhóm; hãy chọn các đơn vị trong nhóm.")
    existing = {(a.unit_id, a.period): a for a in session.execute(
        select(Assignment).where(Assignment.task_id == task.id)).scalars()}
    if task.kind == TaskKind.PERIODIC.value and task.recurrence:
        start = task.start_date or date.today()
        end = until or task.due_date or date(start.year, 12, 31)
        slots = [(o.period, o.due) for o in occurrences(task.recurrence, start, end)]
    elif task.kind == TaskKind.ONGOING.value:
        slots = [("", task.due_date)]
    else:
        slots = [("", task_deadline(task))]
    for uid, role in roles.items():
        for period, due in slots:
            current = existing.get((uid, period))
            if current is not None:
                if current.role != role:
                    current.role = role
                continue
            a = Assignment(task_id=task.id, unit_id=uid, period=period, role=role, due_date=due)
            session.add(a)
            created.append(a)
    session.flush()
    return created


def remove_assignment(session: Session, assignment_id: int) -> None:
    """Remove an assignment that has no report yet (else cancel it: history must stay)."""
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    has_reports = session.execute(select(UnitReport.id).where(UnitReport.assignment_id == a.id)).first()
    if has_reports or a.state not in (AssignmentState.NOT_STARTED.value,):
        raise ValidationError("Đơn vị đã báo cáo hoặc đã thực hiện nhiệm vụ này; hãy chuyển sang «Hủy» thay vì xóa.")
    session.delete(a)
    session.flush()
