"""The task × unit grid of one directive."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping, Sequence

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from db.models import (
    Assignment,
    Directive,
    Task,
    Unit,
)
from db.queries import (
    AssignmentRow,
    has_extension,
    plain_rows,
    reported_on,
)
from db.textkey import fold
from desktop.tracking.board.filters import (
    summary_from_counts,
)
from desktop.tracking.board.tasks import (
    _as_date,
)
from desktop.tracking.stats import Summary, Tracked
from desktop.tracking.status import (
    compute_status,
    status_sql,
)

# ---------------------------------------------------------------- task × unit grid


@dataclass(frozen=True)
class GridColumn:
    unit_id: int
    name: str
    short_name: str
    group_id: int | None
    group_name: str


@dataclass(frozen=True)
class GridRow:
    task_id: int
    period: str
    title: str
    task_order: int


class GridCells(Mapping):
    """(row index, column index) -> the cell's ``Tracked``, built on first access.

    A 30 × 1,000 grid keeps 30,000 compact database rows; the view asks only for the cells it
    paints, so only those become AssignmentRow + StatusResult (building all of them cost 0.5 s at
    city scale). Iterating gives every key; ``position_of`` finds an assignment's cell."""

    def __init__(self, by_row: list[dict[int, tuple]], build) -> None:
        self._rows = by_row  # per grid row: column index -> the database row
        self._build = build
        self._made: dict[tuple[int, int], Tracked] = {}
        self._positions: dict[int, tuple[int, int]] | None = None

    def raw(self, key: tuple[int, int]) -> tuple:
        row, column = key
        if not 0 <= row < len(self._rows):
            raise KeyError(key)
        return self._rows[row][column]

    def __getitem__(self, key: tuple[int, int]) -> Tracked:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._build(self.raw(key))
        return made

    def __iter__(self):
        for row, columns in enumerate(self._rows):
            for column in columns:
                yield (row, column)

    def __len__(self) -> int:
        return sum(len(columns) for columns in self._rows)

    def __contains__(self, key) -> bool:
        try:
            self.raw(key)
        except (KeyError, TypeError, ValueError):
            return False
        return True

    def position_of(self, assignment_id: int) -> tuple[int, int] | None:
        if self._positions is None:
            self._positions = {r[0]: (i, c) for i, columns in enumerate(self._rows) for c, r in columns.items()}
        return self._positions.get(assignment_id)


@dataclass(frozen=True)
class GridData:
    directive_id: int
    directive_number: str
    directive_title: str
    rows: list[GridRow]
    columns: list[GridColumn]
    cells: Mapping[tuple[int, int], Tracked]  # (row index, column index) -> its assignment
    counts: dict[str, int] = field(default_factory=dict)  # assignments per status value

    def summary(self) -> Summary:
        return summary_from_counts(self.counts)


def directive_list(session: Session) -> list[tuple[int, str, str, date | None]]:
    """(id, number, title, issued_on) of every directive, newest first."""
    stmt = select(Directive.id, Directive.number, Directive.title, Directive.issued_on).order_by(
        Directive.issued_on.is_(None), Directive.issued_on.desc(), Directive.id.desc())
    return [tuple(r) for r in session.execute(stmt)]


def grid(session: Session, directive_id: int, today: date, due_soon_days: int,
         unit_ids: Sequence[int] | None = None, collate=None) -> GridData:
    """Rows: the directive's tasks (periods in order); columns: the units assigned, grouped and
    ordered as in the tree. ``collate`` (a sort key for names, e.g. QCollator.sortKey) orders
    units of equal sort order; default the folded name.

    One Core query of the assignments' own columns (no joins, no ORM rows) with the status
    computed in SQL; tasks and units are read once and each cell is built when first asked for."""
    key = collate or fold
    conn = session.connection()
    directive = conn.execute(select(Directive.number, Directive.title).where(Directive.id == directive_id)).first()
    tasks = {t[0]: t for t in conn.execute(
        select(Task.id, Task.sort_order, Task.title, Task.kind, Task.start_date).where(Task.directive_id == directive_id))}
    status = status_sql(Assignment.effective_due, today, due_soon_days)
    # Dates as the driver gives them (ISO text on SQLite), parsed only for the cells built: the
    # Date result processor on 4 columns × 30,000 rows was a third of the grid's time.
    own, eff, completed, accepted = (type_coerce(c, String) for c in (
        Assignment.due_date, Assignment.effective_due, Assignment.completed_on, Assignment.accepted_on))
    stmt = select(Assignment.id, Assignment.task_id, Assignment.period, Assignment.unit_id, Assignment.role,
                  Assignment.state, own, eff, has_extension(), completed, accepted, Assignment.version,
                  status, type_coerce(reported_on(), String)).where(Assignment.task_id.in_(list(tasks) or [-1]))
    if unit_ids is not None:
        stmt = stmt.where(Assignment.unit_id.in_(list(unit_ids)))
    raw_rows = plain_rows(conn, stmt)
    units = {u[0]: u for u in conn.execute(
        select(Unit.id, Unit.parent_id, Unit.code, Unit.name, Unit.short_name, Unit.sort_order))}

    present_rows = {(r[1], r[2]) for r in raw_rows}
    grid_rows = sorted((tasks[t][1], t, period, tasks[t][2]) for t, period in present_rows)

    name_keys: dict[str, object] = {}

    def name_key(name: str):  # once per name: a group's name is asked for by each of its units
        found = name_keys.get(name)
        if found is None:
            found = name_keys[name] = key(name)
        return found

    def sort_key(uid: int):
        u = units[uid]
        parent = units.get(u[1]) if u[1] else None
        return ((parent[5] if parent else -1), name_key(parent[3]) if parent else "", u[5], name_key(u[3]))

    ordered = sorted({r[3] for r in raw_rows}, key=sort_key)
    columns = []
    for uid in ordered:
        u = units[uid]
        parent = units.get(u[1]) if u[1] else None
        columns.append(GridColumn(uid, u[3], u[4] or u[3], parent[0] if parent else None, parent[3] if parent else ""))
    col_index = {c.unit_id: i for i, c in enumerate(columns)}
    # One pass: each row into its grid row's {column: row} and its status counted. Nested lookups
    # instead of a dict keyed by (row, column) tuples: 30,000 tuples cost 70 ms at city scale.
    by_task: dict[int, dict[str, dict[int, tuple]]] = defaultdict(dict)
    by_row: list[dict[int, tuple]] = []
    for _order, task_id, period, _title in grid_rows:
        cells_of_row: dict[int, tuple] = {}
        by_task[task_id][period] = cells_of_row
        by_row.append(cells_of_row)
    counts: dict[str, int] = defaultdict(int)
    for r in raw_rows:
        by_task[r[1]][r[2]][col_index[r[3]]] = r
        counts[r[12]] += 1
    number, title = (directive[0], directive[1]) if directive else ("", "")

    def build(r) -> Tracked:
        aid, task_id, period, unit_id, role, state, own, eff, ext, completed, accepted, version, _, reported = r
        own, eff, completed, accepted = _as_date(own), _as_date(eff), _as_date(completed), _as_date(accepted)
        reported = _as_date(reported)
        t, u = tasks[task_id], units[unit_id]
        row = AssignmentRow(aid, task_id, directive_id, number, title, t[2], t[1], t[3], t[4], unit_id, u[2], u[3],
                            u[4], u[1], role, period, state, own, eff, bool(ext), completed, accepted, version, reported)
        return Tracked(row, compute_status(state, eff, completed, today, due_soon_days, reported))

    return GridData(
        directive_id=directive_id,
        directive_number=number,
        directive_title=title,
        rows=[GridRow(r[1], r[2], r[3], r[0]) for r in grid_rows],
        columns=columns,
        cells=GridCells(by_row, build),
        counts=dict(counts),
    )
