"""The unit tree with each unit's overdue count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    Unit,
)
from desktop.tracking.board.filters import (
    Scope,
    _scope_conditions,
)
from desktop.tracking.status import (
    overdue_condition,
)

# ---------------------------------------------------------------- unit tree


@dataclass(frozen=True)
class UnitNode:
    id: int
    parent_id: int | None
    code: str
    name: str
    short_name: str
    is_group: bool
    active: bool
    sort_order: int
    overdue: int  # its own overdue assignments
    overdue_total: int  # itself and everything under it
    search_key: str


def overdue_by_unit(session: Session, today: date, unit_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Number of overdue assignments per unit id (units without any are absent)."""
    conditions = _scope_conditions(Scope(unit_ids=tuple(unit_ids) if unit_ids is not None else None),
                                   open_only=True)
    stmt = (
        select(Assignment.unit_id, func.count())
        .where(overdue_condition(Assignment.state, Assignment.effective_due, today), *conditions)
        .group_by(Assignment.unit_id)
    )
    return {uid: n for uid, n in session.execute(stmt)}


def unit_tree(session: Session, today: date) -> list[UnitNode]:
    """Every unit and group (archived ones flagged), with overdue counts summed up the tree."""
    units = session.execute(
        select(Unit.id, Unit.parent_id, Unit.code, Unit.name, Unit.short_name, Unit.is_group, Unit.active,
               Unit.sort_order, Unit.search_key)
    ).all()
    own = overdue_by_unit(session, today)
    parent_of = {u.id: u.parent_id for u in units}
    totals: dict[int, int] = defaultdict(int)
    for uid, n in own.items():
        current, seen = uid, set()
        while current is not None and current not in seen:  # guard against a damaged cyclic tree
            seen.add(current)
            totals[current] += n
            current = parent_of.get(current)
    return [
        UnitNode(u.id, u.parent_id, u.code, u.name, u.short_name, u.is_group, u.active, u.sort_order,
                 own.get(u.id, 0), totals.get(u.id, 0), u.search_key)
        for u in units
    ]


def subtree_ids(nodes: Sequence[UnitNode], root_id: int) -> tuple[int, ...]:
    """The unit and everything under it, from an already loaded tree (no query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n.id)
    result, stack = [], [root_id]
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.append(current)
        stack.extend(children.get(current, []))
    return tuple(result)
