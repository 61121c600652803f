"""The 1 July 2025 reorganisation in one step: an office that kept the district's units (old wards)
maps each old ward to its new ward on a date, and every old ward is merged into the new one with
``desktop.services.operations.merge_units``: the old unit is archived with a pointer to the new one and keeps
its history; its open assignments due on or after the date move to the new ward; what was done, or
due before the date, stays counted under the old ward for the old periods.

The mapping is the office's data (a CSV or Excel list with the columns «Đơn vị cũ» — code or name —
and «Đơn vị mới»), never a constant here: which streets went where is the office's to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Assignment, AssignmentState, Unit, UnitKind
from db.textkey import fold
from desktop.services import operations as ops
from desktop.workbooks.unit_list import UnitListError, cell_text, make_code, table_rows

OLD_HEADINGS = ("don vi cu", "ma don vi cu", "ma cu", "phuong cu", "xa cu")
NEW_HEADINGS = ("don vi moi", "ten don vi moi", "phuong moi", "xa moi")
OPEN_STATES = (AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value, AssignmentState.RETURNED.value)


@dataclass
class MergeStep:
    line: int
    old_text: str
    new_name: str
    old_id: int | None = None
    old_name: str = ""
    target_id: int | None = None  # an existing unit, else one is created with new_name
    moves: int = 0  # open assignments that will move to the new unit
    stays: int = 0  # open assignments of old periods that stay with the old unit
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    on: date
    steps: list[MergeStep]
    new_units: list[str]  # names of the units to be created

    @property
    def ok(self) -> bool:
        return all(not s.errors for s in self.steps)


def read_mapping(path: str | Path) -> list[tuple[int, str, str]]:
    """(line, old code or name, new name) rows of a mapping file; raises UnitListError."""
    path = Path(path)
    table = table_rows(path)
    for i, values in enumerate(table[:15]):
        keys = [fold(cell_text(v)).strip(" :*") for v in values]
        old_at = next((k for k, v in enumerate(keys) if v in OLD_HEADINGS), None)
        new_at = next((k for k, v in enumerate(keys) if v in NEW_HEADINGS), None)
        if old_at is not None and new_at is not None:
            rows = []
            for line, row in enumerate(table[i + 1:], start=i + 2):
                old = cell_text(row[old_at]) if old_at < len(row) else ""
                new = cell_text(row[new_at]) if new_at < len(row) else ""
                if old or new:
                    rows.append((line, old, new))
            return rows
    raise UnitListError(f"Không tìm thấy dòng tiêu đề trong tệp «{path.name}»: cần hai cột «Đơn vị cũ» (mã hoặc "
                        "tên) và «Đơn vị mới».")


def plan(session: Session, rows: list[tuple[int, str, str]], on: date) -> Plan:
    """What the reorganisation would do; writes nothing."""
    units = [u for u in session.execute(select(Unit)).scalars() if not u.is_group]
    by_code = {u.code.upper(): u for u in units}
    by_name: dict[str, list[Unit]] = {}
    for u in units:
        by_name.setdefault(fold(u.name), []).append(u)
    steps: list[MergeStep] = []
    seen_old: set[int] = set()
    for line, old_text, new_name in rows:
        step = MergeStep(line=line, old_text=old_text, new_name=new_name)
        steps.append(step)
        if not new_name:
            step.errors.append("Thiếu tên đơn vị mới.")
        old = by_code.get(old_text.upper())
        if old is None:
            matches = [u for u in by_name.get(fold(old_text), []) if u.active]
            old = matches[0] if len(matches) == 1 else None
            if len(matches) > 1:
                step.errors.append(f"Có {len(matches)} đơn vị tên «{old_text}»; hãy ghi mã đơn vị.")
        if old is None:
            if not step.errors:
                step.errors.append(f"Không tìm thấy đơn vị cũ «{old_text}».")
            continue
        if not old.active:
            step.errors.append(f"Đơn vị «{old.name}» đã lưu trữ hoặc đã sáp nhập.")
        if old.id in seen_old:
            step.errors.append(f"Đơn vị «{old.name}» có ở hai dòng.")
        seen_old.add(old.id)
        step.old_id, step.old_name = old.id, old.name
    olds = {s.old_id for s in steps if s.old_id}
    new_units: list[str] = []
    for step in steps:
        if step.errors or not step.new_name:
            continue
        # A unit of that name that is not itself being merged (a ward kept its name: a new unit).
        existing = [u for u in by_name.get(fold(step.new_name), []) if u.active and u.id not in olds]
        if existing:
            step.target_id = existing[0].id
        elif not any(fold(n) == fold(step.new_name) for n in new_units):
            new_units.append(step.new_name)
        open_rows = session.execute(select(Assignment.effective_due).where(
            Assignment.unit_id == step.old_id, Assignment.state.in_(OPEN_STATES))).all()
        step.stays = sum(1 for (due,) in open_rows if due is not None and due < on)
        step.moves = len(open_rows) - step.stays
    return Plan(on=on, steps=steps, new_units=new_units)


def apply(session: Session, the_plan: Plan) -> dict[str, int]:
    """Carry the plan out in the caller's transaction; refuses a plan with errors."""
    if not the_plan.ok:
        raise ops.ValidationError("Bảng chuyển đổi còn lỗi; chưa sáp nhập đơn vị nào.")
    on = the_plan.on
    created: dict[str, int] = {}
    group_id = None
    if the_plan.new_units:
        taken = {c for (c,) in session.execute(select(Unit.code))}
        order = max([u.sort_order for u in session.execute(select(Unit).where(Unit.parent_id.is_(None))).scalars()]
                    or [0])
        group = ops.add_unit(session, ops.UnitInput(
            code=make_code(f"PX {on:%Y}", taken), name=f"UBND phường, xã (từ {on:%d/%m/%Y})",
            kind=UnitKind.WARD.value, is_group=True, sort_order=order + 1))
        group_id = group.id
        taken.add(group.code)
        for i, name in enumerate(the_plan.new_units, 1):
            plain = name
            for head in ("UBND ", "Ủy ban nhân dân "):
                if plain.startswith(head):
                    plain = plain[len(head):]
            unit = ops.add_unit(session, ops.UnitInput(
                code=make_code(f"{plain} {on:%Y}", taken), name=name, kind=UnitKind.WARD.value, parent_id=group_id,
                sort_order=i, aliases=f"{plain}; Ủy ban nhân dân {plain}" if plain != name else ""))
            taken.add(unit.code)
            created[fold(name)] = unit.id
    moved = merged = 0
    for step in the_plan.steps:
        target = step.target_id or created[fold(step.new_name)]
        moved += ops.merge_units(session, step.old_id, target, on, move_open=True, keep_due_before=on)
        merged += 1
    session.flush()
    return {"merged": merged, "created": len(created), "moved": moved}
