"""Units and groups: plain rows for the units dialog, their name history, "what would a merge move"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Assignment, AssignmentState, Unit, UnitNameHistory
from desktop.services import operations as ops

T = TypeVar("T")


def dry_run(db, work: Callable[[Session], T]) -> T:
    """Run ``work`` in a transaction that is always rolled back: "what would happen if ...".

    Used to count what an operation would change (e.g. assignments moved by a merge) with the
    operation's own rules instead of a copy of them."""
    session = db.sessions()
    try:
        return work(session)
    finally:
        session.rollback()
        session.close()



@dataclass(frozen=True)
class UnitRow:
    id: int
    parent_id: int | None
    is_group: bool
    kind: str
    code: str
    name: str
    short_name: str
    sort_order: int
    contact_person: str
    phone: str
    email: str
    aliases: str
    active: bool
    archived_on: date | None
    merged_into_id: int | None
    merged_on: date | None
    version: int
    key: str  # accent-free search key, kept up to date by db.audit on every save


@dataclass(frozen=True)
class NameChange:
    changed_on: date
    old_name: str
    new_name: str


def load_units(session: Session) -> list[UnitRow]:
    """Every unit and group (archived ones too), in tree order: sort order, then name."""
    columns = (Unit.id, Unit.parent_id, Unit.is_group, Unit.kind, Unit.code, Unit.name, Unit.short_name,
               Unit.sort_order, Unit.contact_person, Unit.phone, Unit.email, Unit.aliases, Unit.active,
               Unit.archived_on, Unit.merged_into_id, Unit.merged_on, Unit.version, Unit.search_key)
    rows = session.execute(select(*columns).order_by(Unit.sort_order, Unit.name, Unit.id))
    return [UnitRow(*row) for row in rows]


def name_history(session: Session, unit_id: int) -> list[NameChange]:
    stmt = (select(UnitNameHistory).where(UnitNameHistory.unit_id == unit_id)
            .order_by(UnitNameHistory.changed_on, UnitNameHistory.id))
    return [NameChange(h.changed_on, h.old_name, h.new_name) for h in session.execute(stmt).scalars()]


OPEN_STATES = (AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value,
               AssignmentState.RETURNED.value)


def open_assignment_count(session: Session, unit_id: int) -> int:
    stmt = select(func.count()).select_from(Assignment).where(
        Assignment.unit_id == unit_id, Assignment.state.in_(OPEN_STATES))
    return session.execute(stmt).scalar_one()



# ---------------------------------------------------------------- with their own session


def all_units(db) -> list[UnitRow]:
    with db.session() as session:
        return load_units(session)


def history_of(db, unit_id: int) -> list[NameChange]:
    with db.session() as session:
        return name_history(session, unit_id)


def open_count(db, unit_id: int) -> int:
    with db.session() as session:
        return open_assignment_count(session, unit_id)


def merge_preview(db, source_id: int, target_id: int, on: date) -> tuple[int, int]:
    """(assignments the merge would move, open assignments of the source); raises ValidationError
    when the merge is refused."""
    moved = dry_run(db, lambda s: ops.merge_units(s, source_id, target_id, on))
    return moved, open_count(db, source_id)


def intake_units(db) -> tuple[list[UnitRow], list]:
    """For the directive reading wizard: the unit rows (tree, picker) and the references the reader
    matches names against (``desktop.intake.units_from_session``)."""
    from desktop.intake import units_from_session

    with db.session() as session:
        return load_units(session), units_from_session(session)


def reorganisation_plan(db, rows: list[tuple[int, str, str]], on: date):
    """What the administrative reorganisation table would merge, checked against the database."""
    from desktop.services import reorganisation

    with db.session() as s:
        return reorganisation.plan(s, rows, on)


def reorganise(db, rows: list[tuple[int, str, str]], on: date):
    """Plan again as the database is now and apply it, in one transaction; returns the plan applied.
    Raises (nothing merged) when any line is refused."""
    from desktop.services import reorganisation

    with db.session(context="sap-xep") as s:
        the_plan = reorganisation.plan(s, rows, on)
        reorganisation.apply(s, the_plan)
        return the_plan
