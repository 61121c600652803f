"""Use cases on units: add, edit, archive, restore, merge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    AssignmentState,
    Unit,
    UnitKind,
    UnitNameHistory,
)
from db.queries import unit_subtree_ids
from desktop.services.operations.common import (
    ValidationError,
    _get,
    _require,
    _text,
    check_version,
)

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
    check_version(unit, expected_version, "đơn vị")
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
