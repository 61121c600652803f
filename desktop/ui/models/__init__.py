"""Item models of the main window. They hold plain rows from ``desktop.tracking.board`` (never
ORM objects), sort in the model itself with a Vietnamese collation (Đ after D, "Phường 2" before
"Phường 10") and answer ``data()`` from precomputed values.

One module per family: ``base`` (roles, collation, colours, the sorted table model), ``tree``
(units), ``tasks`` (tasks, a task's assignments, deadlines), ``grid`` (task × unit), ``history``
and ``search``. Import from the package: ``from desktop.ui.models import TaskTableModel``.
"""

from desktop.ui.models.base import ID_ROLE, STATUS_ROLE, collator, sort_key, status_brush, status_color
from desktop.ui.models.grid import GridModel, grid_tooltip
from desktop.ui.models.history import FIELD_LABELS, TABLE_LABELS, HistoryModel, history_text, local_time
from desktop.ui.models.search import SearchResultsModel
from desktop.ui.models.tasks import AssignmentTableModel, DeadlineListModel, TaskTableModel, deadline_text, task_title
from desktop.ui.models.tree import UnitTreeModel

__all__ = [
    "FIELD_LABELS",
    "ID_ROLE",
    "STATUS_ROLE",
    "TABLE_LABELS",
    "AssignmentTableModel",
    "DeadlineListModel",
    "GridModel",
    "HistoryModel",
    "SearchResultsModel",
    "TaskTableModel",
    "UnitTreeModel",
    "collator",
    "deadline_text",
    "grid_tooltip",
    "history_text",
    "local_time",
    "sort_key",
    "status_brush",
    "status_color",
    "task_title",
]
