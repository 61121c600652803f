"""Qt-free use cases behind the directive dialog: save a directive with its tasks in one go.

Beside ``desktop.services.operations`` (which creates directives and tasks), the edits of saved tasks; the
pieces here (``update_task``, ``set_task_units``, ``save_directive``) follow its rules: validate
everything before writing, raise ``ValidationError`` with a Vietnamese message, never touch Qt.
Used by the directive dialog and tested without Qt.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.models import Assignment, Indicator, ReportFigure, Role, Task, TaskKind, Unit
from db.textkey import nfc
from desktop.services import operations as ops
from desktop.services.operations import ValidationError
from desktop.services.settings import Settings, SettingsChangedError, save_settings
from desktop.tracking.recurrence import occurrences


@dataclass
class TaskEdit:
    """One task of the dialog: its fields, its units with their roles, and for a saved task
    its id and the version that was shown (optimistic locking)."""

    data: ops.TaskInput
    roles: dict[int, str] = field(default_factory=dict)
    indicator_ids: list[int | None] = field(default_factory=list)  # parallel to data.indicators
    task_id: int | None = None
    expected_version: int | None = None
    unchanged: bool = False  # a saved task the officer did not touch: nothing to write


def _clean(value: str | None) -> str:
    return (nfc(value) or "").strip()


def role_lists(roles: dict[int, str]) -> dict[str, list[int]]:
    """The role map as the three unit lists of ``TaskInput``."""
    return {
        "unit_ids": [u for u, r in roles.items() if r == Role.EXECUTE.value],
        "coordinate_unit_ids": [u for u, r in roles.items() if r == Role.COORDINATE.value],
        "lead_unit_ids": [u for u, r in roles.items() if r == Role.LEAD.value],
    }


def _assignment_deadline(task: Task) -> date | None:
    """The deadline a one-off or ongoing task gives its assignments (as ``assign_units`` sets it)."""
    if task.kind == TaskKind.ONGOING.value:
        return task.due_date
    return ops.task_deadline(task)


def _unit_name(session: Session, unit_id: int) -> str:
    unit = session.get(Unit, unit_id)
    return unit.name if unit else str(unit_id)


def _update_indicators(session: Session, task: Task, wanted: list[ops.IndicatorInput],
                       ids: list[int | None]) -> None:
    current = {i.id: i for i in session.execute(select(Indicator).where(Indicator.task_id == task.id)).scalars()}
    used = set(session.execute(select(ReportFigure.indicator_id).where(
        ReportFigure.indicator_id.in_(list(current)))).scalars())
    kept = {i for i in ids if i is not None}
    for ind_id, ind in current.items():
        if ind_id not in kept:
            if ind_id in used:
                raise ValidationError(f"Chỉ tiêu «{ind.name}» đã có số liệu đơn vị báo cáo, không xóa được.",
                                      "indicators")
            session.delete(ind)
    for order, (data, ind_id) in enumerate(zip(wanted, ids), 1):
        if ind_id is None or ind_id not in current:
            session.add(Indicator(task_id=task.id, sort_order=order, name=_clean(data.name),
                                  measure=_clean(data.measure), value_type=data.value_type))
            continue
        ind = current[ind_id]
        if ind_id in used and ind.value_type != data.value_type:
            raise ValidationError(f"Chỉ tiêu «{ind.name}» đã có số liệu đơn vị báo cáo, không đổi được kiểu số liệu.",
                                  "indicators")
        ind.name, ind.measure, ind.value_type, ind.sort_order = (_clean(data.name), _clean(data.measure),
                                                                 data.value_type, order)


def update_task(session: Session, task_id: int, data: ops.TaskInput, indicator_ids: list[int | None] | None = None,
                expected_version: int | None = None) -> Task:
    """Edit a saved task: text, dates, indicators. Assignments that kept the task's deadline follow
    its new deadline; one changed by hand keeps its own, and extensions stay as they are.

    The kind and the recurrence of a task already assigned cannot change (its assignments and
    periods were made from them)."""
    task = session.get(Task, task_id)
    if task is None:
        raise ValidationError(f"Không tìm thấy nhiệm vụ (mã {task_id}).")
    ops.check_version(task, expected_version, "nhiệm vụ")  # the same rule as the other edits
    ops.validate_task(data)
    assignments = session.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars().all()
    if assignments and (data.kind != task.kind or (task.kind == TaskKind.PERIODIC.value
                                                   and data.recurrence != task.recurrence)):
        raise ValidationError("Nhiệm vụ đã giao cho đơn vị nên không đổi được loại nhiệm vụ hay chu kỳ báo cáo; "
                              "hãy thêm một nhiệm vụ mới.", "kind")
    old_deadline = _assignment_deadline(task)
    task.title, task.content, task.kind = _clean(data.title), _clean(data.content), data.kind
    task.start_date, task.due_date, task.report_due_date = data.start_date, data.due_date, data.report_due_date
    task.recurrence = data.recurrence if data.kind == TaskKind.PERIODIC.value else ""
    if indicator_ids is None:
        indicator_ids = [None] * len(data.indicators)
    _update_indicators(session, task, data.indicators, indicator_ids)
    if task.kind == TaskKind.PERIODIC.value:
        _refit_periods(session, task, assignments)
    else:
        new_deadline = _assignment_deadline(task)
        if new_deadline != old_deadline:
            for a in assignments:
                if a.period == "" and a.due_date == old_deadline:
                    a.due_date = new_deadline
    session.flush()
    return task


def _refit_periods(session: Session, task: Task, assignments: list[Assignment]) -> None:
    """After the dates of a periodic task changed: add the periods now inside them, remove the
    ones now outside (only where nothing was reported yet; the others stay)."""
    if not assignments:
        return
    start = task.start_date or min((a.due_date for a in assignments if a.due_date), default=date.today())
    end = task.due_date or date(start.year, 12, 31)
    wanted = {o.period for o in occurrences(task.recurrence, start, end)}
    for a in assignments:
        if a.period not in wanted:
            try:
                with session.begin_nested():
                    ops.remove_assignment(session, a.id)
            except ValidationError:
                pass  # reported or started: history stays
    roles = {a.unit_id: a.role for a in assignments}
    ops.assign_units(session, task, roles, until=end)


def set_task_units(session: Session, task: Task, roles: dict[int, str]) -> None:
    """Make the task's units exactly ``roles``: new units are assigned, roles updated, units no
    longer ticked lose their assignments (refused when they already reported)."""
    existing: dict[int, list[Assignment]] = {}
    for a in session.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars():
        existing.setdefault(a.unit_id, []).append(a)
    for unit_id, assignments in existing.items():
        if unit_id in roles:
            continue
        for a in assignments:
            try:
                ops.remove_assignment(session, a.id)
            except ValidationError as exc:
                raise ValidationError(f"«{_unit_name(session, unit_id)}» — nhiệm vụ «{task.title}»: {exc.message}",
                                      "units") from None
    if roles:
        until = task.due_date if task.kind == TaskKind.PERIODIC.value else None
        ops.assign_units(session, task, roles, until=until)


def save_directive(session: Session, directive: ops.DirectiveInput, tasks: list[TaskEdit],
                   directive_id: int | None = None, expected_version: int | None = None) -> int:
    """Create or update a directive with its tasks and their units, in the caller's transaction.

    Every task is validated first (messages name the task by its number); returns the id."""
    for index, edit in enumerate(tasks, 1):
        ops.validate_task(edit.data, index)
    if directive_id is None:
        saved = ops.create_directive(session, directive)
    else:
        saved = ops.update_directive(session, directive_id, directive, expected_version)
    for index, edit in enumerate(tasks, 1):
        if edit.task_id is None:
            data = replace(edit.data, **role_lists(edit.roles))
            ops.add_task(session, saved.id, data, sort_order=index if directive_id is None else None)
        elif not edit.unchanged:
            task = update_task(session, edit.task_id, edit.data, edit.indicator_ids, edit.expected_version)
            set_task_units(session, task, edit.roles)
    return saved.id


# ---------------------------------------------------------------- typed dates

DATE_MIN_YEAR, DATE_MAX_YEAR = 1901, 2100
_DATE_PARTS = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_DATE_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 31012024 typed without separators
_DATE_SHORT = re.compile(r"^(\d{1,2})(?:[/.\-](\d{1,2}))?[/.\-]?$")  # "05", "05/11": completed from a default


def parse_date_text(text: str | None, default: date | None = None) -> date | None:
    """A date as an officer types it, day first: "31/01/2024", "31-1-2024", "31.01.2024",
    "31012024"; with ``default``, "05" and "05/11" take the missing month and year from it.
    Empty text is no date (None). Anything else raises ``ValidationError`` with a Vietnamese
    message; an impossible day (31/02/2024) is refused, never moved to a real one."""
    t = (text or "").strip().replace(" ", "")
    if not t:
        return None
    m = _DATE_PARTS.match(t) or _DATE_DIGITS.match(t)
    short = _DATE_SHORT.match(t) if m is None and default is not None else None
    if short is not None:
        t = f"{short.group(1)}/{short.group(2) or default.month}/{default.year}"
        m = _DATE_PARTS.match(t)
    if not m:
        raise ValidationError(f"«{text.strip()}» không phải là ngày. Hãy nhập theo dạng dd/mm/yyyy, "
                              "ví dụ 05/10/2024.", "date")
    day, month, year = (int(g) for g in m.groups())
    if len(m.group(3)) != 4:
        raise ValidationError(f"Năm của ngày «{text.strip()}» cần đủ 4 chữ số (ví dụ 2024).", "date")
    if not DATE_MIN_YEAR <= year <= DATE_MAX_YEAR:
        raise ValidationError(f"Năm {year} không hợp lệ (từ {DATE_MIN_YEAR} đến {DATE_MAX_YEAR}).", "date")
    if not 1 <= month <= 12:
        raise ValidationError(f"Tháng {month} không có: tháng chỉ từ 1 đến 12 (đã nhập «{text.strip()}»).", "date")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValidationError(f"Ngày {day:02d}/{month:02d}/{year} không có: tháng {month:02d}/{year} "
                              f"chỉ có {last} ngày.", "date")
    return date(year, month, day)


# ---------------------------------------------------------------- settings

# Fields that must not be empty, with their Vietnamese names for the message.
REQUIRED_SETTINGS = {
    "parent_agency": "Cơ quan chủ quản",
    "agency": "Cơ quan ban hành",
    "agency_name": "Tên cơ quan trong văn bản",
    "agency_abbrev": "Ký hiệu cơ quan",
    "place_name": "Địa danh",
    "superior_name": "Nơi nhận báo cáo (Kính gửi)",
    "signer_name": "Người ký",
    "signer_title": "Chức vụ người ký",
    "drafter_abbrev": "Đơn vị soạn thảo",
    "report_symbol": "Ký hiệu báo cáo",
    "letter_symbol": "Ký hiệu công văn",
}
SYMBOL_SETTINGS = ("agency_abbrev", "drafter_abbrev", "report_symbol", "letter_symbol")
UPPERCASE_SETTINGS = ("parent_agency", "agency", "signer_title", "signer_authority")
NUMBER_RANGES = {"due_soon_days": ("Số ngày «sắp đến hạn»", 0, 30),
                 "backup_keep": ("Số bản sao lưu giữ lại", 1, 100)}


def clean_settings(settings: Settings) -> Settings:
    """Checked copy of ``settings``: text trimmed, agency names and titles in capitals (as the
    official form prints them). Raises ValidationError naming the field."""
    values = {}
    for name in Settings.keys():
        value = getattr(settings, name)
        if isinstance(value, str):
            value = _clean(value)
            if name in UPPERCASE_SETTINGS:
                value = value.upper()
        values[name] = value
    for name, label in REQUIRED_SETTINGS.items():
        if not values[name]:
            raise ValidationError(f"{label} không được để trống.", name)
    for name in SYMBOL_SETTINGS:
        if any(ch.isspace() for ch in values[name]):
            raise ValidationError(f"{REQUIRED_SETTINGS[name]} không được có dấu cách (ví dụ: BC-VHTT).", name)
    for name, (label, low, high) in NUMBER_RANGES.items():
        value = values[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValidationError(f"{label} phải là số nguyên từ {low} đến {high}.", name)
    return Settings(**values)


SETTING_LABELS = {**REQUIRED_SETTINGS, "signer_authority": "Quyền hạn ký",
                  **{name: label for name, (label, _low, _high) in NUMBER_RANGES.items()}}


def save_checked_settings(session: Session, settings: Settings, base: Settings | None = None) -> Settings:
    """Check and store ``settings``. With ``base`` (the settings the officer started from) only
    what the officer changed is written, and a key another officer changed meanwhile refuses the
    save with ``ConflictError`` saying who changed what (nothing is written)."""
    cleaned = clean_settings(settings)
    try:
        save_settings(session, cleaned, base=base)
    except SettingsChangedError as exc:
        raise ops.ConflictError(settings_conflict_message(exc.conflicts)) from exc
    except (StaleDataError, IntegrityError) as exc:
        raise ops.ConflictError("Cài đặt vừa được người khác lưu cùng lúc. Dữ liệu mới nhất đã được tải lại; "
                                "vui lòng kiểm tra và lưu lại.") from exc
    return cleaned


def settings_conflict_message(conflicts) -> str:
    lines = []
    for c in conflicts:
        who = c.changed_by or "người khác"
        when = ""
        if c.changed_at is not None:
            stamp = c.changed_at if c.changed_at.tzinfo else c.changed_at.replace(tzinfo=timezone.utc)
            when = f" lúc {stamp.astimezone():%H:%M ngày %d/%m/%Y}"
        label = SETTING_LABELS.get(c.key, c.key)
        lines.append(f"- «{label}»: {who} đã sửa thành «{c.theirs}»{when} (anh/chị định sửa thành «{c.mine}»).")
    return ("Cài đặt đã được người khác sửa sau khi anh/chị mở, nên chưa lưu gì:\n" + "\n".join(lines)
            + "\nCài đặt mới nhất đã được tải lại; hãy kiểm tra rồi nhập lại thay đổi nếu vẫn cần.")
