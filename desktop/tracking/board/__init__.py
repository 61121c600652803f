"""Read functions behind the main window: the unit tree with overdue counts, the task board, the
assignment list, the task × unit grid, the dashboard, the result form's detail and search.

Qt-free; every function takes an open Session and returns plain frozen dataclasses, so the UI can
run them on a worker thread (each thread with its own session) and keep only plain rows.

Scale: 1,000 units and 200,000 assignments. Whole-database figures (tree counts, the task board at
the root, the dashboard) are SQL aggregates read from indexes (:func:`status_groups`, on the
assignment's stored deadline in force and settled status); the status rule is also written as a
SQL ``CASE`` (``status_sql`` of db.status_rule) for rows that need today. Both are tested against
:func:`desktop.tracking.status.compute_status`. Lists of individual assignments go through
:func:`fetch_rows` + ``stats.track`` and are bounded by a unit, a task or a directive.

One module per read model: filters (scope, status filters, SQL blocks), tree, tasks, grid,
dashboard, detail, search; every name is importable from here.
"""

from __future__ import annotations

from db.status_rule import status_sql  # noqa: F401 - the board's SQL status, read with the board
from desktop.tracking.board.dashboard import (  # noqa: F401
    DashboardData,
    UnitBar,
    dashboard,
)
from desktop.tracking.board.detail import (  # noqa: F401
    AssignmentDetail,
    ChangeEntry,
    EvidenceInfo,
    ExtensionInfo,
    IndicatorInfo,
    ReminderInfo,
    ReportInfo,
    assignment_detail,
    history,
)
from desktop.tracking.board.filters import (  # noqa: F401
    FILTER_ALL,
    FILTER_DONE,
    FILTER_DUE_SOON,
    FILTER_EXCLUDED,
    FILTER_IN_PROGRESS,
    FILTER_LATE,
    FILTER_NO_DEADLINE,
    FILTER_ON_TIME,
    FILTER_OPEN,
    FILTER_OVERDUE,
    FILTER_WAITING,
    STATUS_FILTERS,
    Scope,
    fetch_rows,
    passes_filter,
    period_bounds,
    shorten,
    status_groups,
    summary_from_counts,
)
from desktop.tracking.board.grid import (  # noqa: F401
    GridCells,
    GridColumn,
    GridData,
    GridRow,
    directive_list,
    grid,
)
from desktop.tracking.board.search import (  # noqa: F401
    ReportIndex,
    SearchHit,
    SearchResults,
    fast_fold,
    search,
)
from desktop.tracking.board.tasks import (  # noqa: F401
    PRESSING,
    QUICK_FILTERS,
    TaskLine,
    assignment_lines,
    lead_names,
    quick_filter_counts,
    task_board,
    task_status,
    unit_history,
)
from desktop.tracking.board.tree import (  # noqa: F401
    UnitNode,
    overdue_by_unit,
    subtree_ids,
    unit_tree,
)
