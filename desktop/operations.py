"""Use cases that change data. Each takes an open Session (one transaction, see
``Database.session``), validates its input and raises ``ValidationError`` with a Vietnamese message
before anything is written. They never touch Qt and return plain values.

Optimistic locking: callers that edit what they showed pass ``expected_version``; a mismatch
raises ``ConflictError`` so the user can reload instead of overwriting a colleague's change.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from db.models import (
    Assignment,
    AssignmentState,
    ChangeLog,
    Channel,
    Directive,
    DirectiveType,
    Evidence,
    Extension,
    Indicator,
    Reminder,
    ReminderItem,
    ReminderMethod,
    ReportFigure,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitKind,
    UnitNameHistory,
    UnitReport,
    ValueType,
)
from db.queries import unit_subtree_ids
from db.textkey import ABBREVIATIONS, directive_identity, directive_number_key, fold, nfc, strip_invisible
from desktop.tracking.recurrence import RecurrenceError, occurrences, period_start


class ValidationError(ValueError):
    """Bad input; ``message`` is Vietnamese and shown to the user as is."""

    def __init__(self, message: str, field_name: str = ""):
        super().__init__(message)
        self.message = message
        self.field_name = field_name


class DuplicateDirectiveError(ValidationError):
    """The directive is already registered; ``existing_id`` is the first one, to open it."""

    def __init__(self, message: str, existing_id: int):
        super().__init__(message, "number")
        self.existing_id = existing_id


class ConflictError(RuntimeError):
    """Someone else saved the record since it was loaded."""

    def __init__(self, message: str = "Bản ghi đã được người khác sửa sau khi anh/chị mở. "
                 "Dữ liệu mới nhất đã được tải lại; vui lòng kiểm tra và nhập lại thay đổi."):
        super().__init__(message)
        self.message = message


def _text(value: str | None) -> str:
    return (nfc(value) or "").strip()


def _require(value: str, label: str, field_name: str) -> str:
    cleaned = _text(value)
    if not cleaned:
        raise ValidationError(f"{label} không được để trống.", field_name)
    return cleaned


_FIELD_LABELS = {
    "code": "Mã", "name": "Tên", "short_name": "Tên viết tắt", "contact_person": "Người liên hệ",
    "phone": "Điện thoại", "email": "E-mail", "aliases": "Tên gọi khác", "number": "Số ký hiệu",
    "issuer": "Cơ quan ban hành", "title": "Tên, trích yếu", "measure": "Đơn vị tính",
    "unit_doc_number": "Số văn bản của đơn vị", "approving_doc": "Văn bản cho phép gia hạn",
    "letter_number": "Số công văn", "target": "Tệp, đường dẫn", "label": "Tên tệp",
}


def check_lengths(obj) -> None:
    """Refuse text longer than its column allows (PostgreSQL would fail at commit; SQLite
    would silently keep it)."""
    for column in obj.__table__.columns:
        limit = getattr(column.type, "length", None)
        value = getattr(obj, column.key, None)
        if limit and isinstance(value, str) and len(value) > limit:
            label = _FIELD_LABELS.get(column.key, column.key)
            raise ValidationError(f"{label} quá dài: {len(value)} ký tự, tối đa {limit}.", column.key)


def check_lengths_before_flush(session: Session, _ctx, _instances) -> None:
    """Session hook (installed by desktop.database): every new or changed record is checked."""
    for obj in list(session.new) + list(session.dirty):
        if hasattr(obj, "__table__"):
            check_lengths(obj)


def _check_version(obj, expected_version: int | None, what: str) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(_conflict_message(obj, what))


def _conflict_message(obj, what: str) -> str:
    """Names who saved the record last (from the change log), so officers can talk it over."""
    who = ""
    session = object_session(obj)
    if session is not None and getattr(obj, "id", None) is not None:
        last = session.execute(
            select(ChangeLog.os_user, ChangeLog.at)
            .where(ChangeLog.table_name == obj.__tablename__, ChangeLog.record_id == obj.id)
            .order_by(ChangeLog.id.desc()).limit(1)).first()
        if last is not None and last.os_user:
            at = last.at.astimezone() if last.at.tzinfo else last.at
            who = f" bởi {last.os_user} lúc {at:%H:%M} ngày {at:%d/%m/%Y}"
    return (f"Thông tin {what} đã được sửa{who} sau khi anh/chị mở. Dữ liệu mới nhất đã được tải lại; "
            "vui lòng kiểm tra và nhập lại thay đổi.")


def _get(session: Session, model, ident: int, what: str):
    obj = session.get(model, ident)
    if obj is None:
        raise ValidationError(f"Không tìm thấy {what} (mã {ident}).")
    return obj


# ---------------------------------------------------------------- units


@dataclass
class UnitInput:
    code: str
    name: str
    kind: str = UnitKind.OTHER.value
    short_name: str = ""
    parent_id: int | None = None
    is_group: bool = False
    sort_order: int = 0
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    aliases: str = ""


def _validate_unit(session: Session, data: UnitInput, unit_id: int | None = None) -> tuple[str, str]:
    code = _require(data.code, "Mã đơn vị", "code").upper()
    name = _require(data.name, "Tên đơn vị", "name")
    if data.kind not in {k.value for k in UnitKind}:
        raise ValidationError("Loại đơn vị không hợp lệ.", "kind")
    clash = session.execute(select(Unit).where(Unit.code == code)).scalars().first()
    if clash is not None and clash.id != unit_id:
        raise ValidationError(f"Mã đơn vị «{code}» đã được dùng cho «{clash.name}».", "code")
    if data.email and "@" not in data.email:
        raise ValidationError("Địa chỉ e-mail không hợp lệ.", "email")
    if data.parent_id is not None:
        parent = _get(session, Unit, data.parent_id, "nhóm cha")
        if unit_id is not None and parent.id in unit_subtree_ids(session, unit_id):
            raise ValidationError("Không thể đặt một đơn vị vào trong chính nó hoặc đơn vị con của nó.", "parent_id")
    return code, name


def add_unit(session: Session, data: UnitInput) -> Unit:
    code, name = _validate_unit(session, data)
    unit = Unit(
        code=code, name=name, kind=data.kind, short_name=_text(data.short_name), parent_id=data.parent_id,
        is_group=data.is_group, sort_order=data.sort_order, contact_person=_text(data.contact_person),
        phone=_text(data.phone), email=_text(data.email), aliases=_text(data.aliases),
    )
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, unit_id: int, data: UnitInput, expected_version: int | None = None,
                renamed_on: date | None = None) -> Unit:
    """Edit a unit; a change of name keeps the former name in its history."""
    unit = _get(session, Unit, unit_id, "đơn vị")
    _check_version(unit, expected_version, "đơn vị")
    code, name = _validate_unit(session, data, unit_id)
    if name != unit.name:
        session.add(UnitNameHistory(unit_id=unit.id, old_name=unit.name, new_name=name,
                                    changed_on=renamed_on or date.today()))
    unit.code, unit.name, unit.kind = code, name, data.kind
    unit.short_name, unit.parent_id, unit.is_group = _text(data.short_name), data.parent_id, data.is_group
    unit.sort_order, unit.contact_person = data.sort_order, _text(data.contact_person)
    unit.phone, unit.email, unit.aliases = _text(data.phone), _text(data.email), _text(data.aliases)
    session.flush()
    return unit


def archive_unit(session: Session, unit_id: int, on: date) -> Unit:
    unit = _get(session, Unit, unit_id, "đơn vị")
    unit.active = False
    unit.archived_on = on
    session.flush()
    return unit


def restore_unit(session: Session, unit_id: int) -> Unit:
    unit = _get(session, Unit, unit_id, "đơn vị")
    unit.active = True
    unit.archived_on = None
    session.flush()
    return unit


def merge_units(session: Session, source_id: int, target_id: int, on: date, move_open: bool = True,
                keep_due_before: date | None = None) -> int:
    """Merge a unit into another (wards merged in 2025): the source is archived with a pointer
    to the target, its history stays; open assignments move to the target when ``move_open``,
    except those due before ``keep_due_before`` (an old period's lateness stays the old unit's).
    Returns the number of assignments moved."""
    if source_id == target_id:
        raise ValidationError("Không thể sáp nhập một đơn vị vào chính nó.")
    source = _get(session, Unit, source_id, "đơn vị")
    target = _get(session, Unit, target_id, "đơn vị nhận sáp nhập")
    if target.is_group or source.is_group:
        raise ValidationError("Chỉ sáp nhập đơn vị vào đơn vị, không sáp nhập nhóm.")
    moved = 0
    if move_open:
        open_states = {AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value,
                       AssignmentState.RETURNED.value}
        existing = {(a.task_id, a.period) for a in session.execute(
            select(Assignment).where(Assignment.unit_id == target.id)).scalars()}
        for a in session.execute(select(Assignment).where(Assignment.unit_id == source.id)).scalars():
            if keep_due_before is not None and a.effective_due is not None and a.effective_due < keep_due_before:
                continue
            if a.state in open_states and (a.task_id, a.period) not in existing:
                a.unit_id = target.id
                moved += 1
    source.active = False
    source.archived_on = on
    source.merged_into_id = target.id
    source.merged_on = on
    session.flush()
    return moved


def group_members(session: Session, group_id: int, active_only: bool = True) -> list[int]:
    """Unit ids (not groups) under a group, for "tick a group to assign all its units"."""
    ids = unit_subtree_ids(session, group_id)
    units = session.execute(select(Unit).where(Unit.id.in_(ids))).scalars()
    return [u.id for u in units if not u.is_group and (u.active or not active_only)]


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
    _check_version(directive, expected_version, "văn bản")
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
    _check_version(a, expected_version, "giao nhiệm vụ")
    if a.state in (AssignmentState.PAUSED.value, AssignmentState.CANCELLED.value):
        raise ValidationError("Nhiệm vụ của đơn vị đang tạm dừng hoặc đã hủy; không nhận báo cáo.")
    validate_report(session, a, data, today)
    indicators = {i.id: i for i in session.execute(select(Indicator).where(Indicator.task_id == a.task_id)).scalars()}
    parsed: dict[int, tuple[float | None, str]] = {}
    for ind_id, raw in data.figures.items():
        ind = indicators.get(ind_id)
        if ind is None:
            raise ValidationError("Chỉ tiêu không thuộc nhiệm vụ này.", "figures")
        parsed[ind_id] = parse_figure(raw, ind.value_type, ind.name)
    report = UnitReport(assignment_id=a.id, received_on=data.received_on, channel=data.channel,
                        unit_doc_number=_text(data.unit_doc_number), content=_text(data.content),
                        completed_on=data.completed_on, source_file=data.source_file)
    session.add(report)
    session.flush()
    for ind_id, (number, text) in parsed.items():
        if number is None and not text:
            continue
        session.add(ReportFigure(report_id=report.id, indicator_id=ind_id, value_number=number, value_text=text))
    for link in data.links:
        if link.strip():
            session.add(Evidence(report_id=report.id, kind="link", target=link.strip()))
    for path in data.files:
        session.add(Evidence(report_id=report.id, kind="file", target=path, label=path.rsplit("/", 1)[-1]))
    if accept:
        a.state = AssignmentState.DONE.value
        a.completed_on = data.completed_on or data.received_on
        a.accepted_on = today
    else:
        a.state = AssignmentState.REPORTED.value
        a.completed_on = data.completed_on or data.received_on
        a.accepted_on = None
    session.flush()
    return report


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
    _check_version(a, expected_version, "giao nhiệm vụ")
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
    _check_version(a, expected_version, "giao nhiệm vụ")
    if a.state != AssignmentState.DONE.value:
        raise ValidationError("Kết quả này chưa được duyệt nên không có gì để hủy duyệt.", "state")
    a.state = AssignmentState.REPORTED.value
    a.completed_on = None
    a.accepted_on = None
    a.note = (a.note + "\n" if a.note else "") + f"Hủy duyệt ngày {today:%d/%m/%Y}."
    session.flush()
    return a


def return_for_more(session: Session, assignment_id: int, reason: str,
                    expected_version: int | None = None) -> Assignment:
    """Yêu cầu bổ sung: the report is not enough; the assignment is open again. The reason is
    required: the unit must be told what to add."""
    reason = _require(reason, "Nội dung yêu cầu bổ sung", "reason")
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    _check_version(a, expected_version, "giao nhiệm vụ")
    a.state = AssignmentState.RETURNED.value
    a.completed_on = None
    a.accepted_on = None
    a.note = (a.note + "\n" if a.note else "") + f"Yêu cầu bổ sung: {reason}"
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
    _check_version(a, expected_version, "giao nhiệm vụ")
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


def grant_extension(session: Session, assignment_id: int, new_due: date, reason: str, approving_doc: str,
                    granted_on: date) -> Extension:
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    latest = session.execute(select(Extension).where(Extension.assignment_id == a.id)
                             .order_by(Extension.id.desc())).scalars().first()
    old_due = latest.new_due if latest else a.due_date
    if new_due is None:
        raise ValidationError("Cần nhập hạn mới.", "new_due")
    if old_due is not None and new_due <= old_due:
        raise ValidationError(f"Hạn mới phải sau hạn hiện tại ({old_due:%d/%m/%Y}).", "new_due")
    reason = _require(reason, "Lý do gia hạn", "reason")
    ext = Extension(assignment_id=a.id, old_due=old_due, new_due=new_due, reason=reason,
                    approving_doc=_text(approving_doc), granted_on=granted_on)
    session.add(ext)
    session.flush()
    return ext


def log_reminder(session: Session, assignment_ids: Iterable[int], sent_on: date,
                 method: str = ReminderMethod.PHONE.value, letter_number: str = "", note: str = "",
                 file_path: str = "") -> Reminder:
    ids = sorted(set(assignment_ids))
    if not ids:
        raise ValidationError("Chưa chọn nhiệm vụ nào để đôn đốc.")
    if method not in {m.value for m in ReminderMethod}:
        raise ValidationError("Hình thức đôn đốc không hợp lệ.", "method")
    found = set(session.execute(select(Assignment.id).where(Assignment.id.in_(ids))).scalars())
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(f"Không tìm thấy giao nhiệm vụ {missing[:5]}.")
    reminder = Reminder(sent_on=sent_on, method=method, letter_number=_text(letter_number), note=_text(note),
                        file_path=file_path)
    session.add(reminder)
    session.flush()
    for aid in ids:
        session.add(ReminderItem(reminder_id=reminder.id, assignment_id=aid))
    session.flush()
    return reminder
