"""The main window's selection: the unit chosen in the tree scopes every list, the task chosen
shows its units, the unit chosen opens its result in the form; the result being edited is never
left with unsaved changes without asking («Lưu» / «Không lưu» / «Hủy» puts the highlight back).

``SelectionMixin`` is mixed into ``desktop.ui.main_window.MainWindow``.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QTimer
from PySide6.QtWidgets import QTableView

from desktop.ui.main_layout import TAB_DASHBOARD, TAB_GRID


class SelectionMixin:
    """Follows the current unit, task and assignment."""

    def _select_row(self, view: QTableView, row: int) -> None:
        self._restoring_selection = True
        try:
            index = view.model().index(row, 0)
            view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            view.scrollTo(index)
        finally:
            self._restoring_selection = False


    def _on_unit_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._restoring_selection:
            return
        unit_id = self.tree_model.unit_id(current) if current.isValid() else None
        if unit_id == self._scope_unit:
            return
        if not self._may_leave_form():
            self._reselect(self.unit_tree, self.tree_model.index_of(self._scope_unit))
            return
        self._scope_unit = unit_id
        self._stale = {TAB_GRID: True, TAB_DASHBOARD: True}
        self._load_tasks()
        self._load_visible_tab()

    def _on_task_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._restoring_selection or not current.isValid():
            return
        line = self.task_model.row_at(current.row())
        key = line.key if line else None
        if key == self._current_task_key:
            return
        if not self._may_leave_form(key):
            row = self.task_model.row_of_key(self._current_task_key) if self._current_task_key else -1
            self._reselect(self.task_table, self.task_model.index(row, 0) if row >= 0 else QModelIndex())
            return
        self._current_task_key = key
        self._load_assignments()

    def _on_assignment_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._restoring_selection or not current.isValid():
            return
        row = self.assignment_model.row_at(current.row())
        if row is None:
            return
        aid = row.row.assignment_id
        if aid == self.form.assignment_id:
            return
        if not self.show_assignment(aid):
            # "Hủy": stay on the assignment being edited.
            back = self.assignment_model.row_of_key(self.form.assignment_id)
            if back >= 0:
                self._select_row(self.assignment_table, back)
            else:
                self._restoring_selection = True
                self.assignment_table.selectionModel().clear()
                self._restoring_selection = False

    def _may_leave_form(self, task_key: tuple[int, str] | None = None) -> bool:
        """Before the result being edited disappears from the lists (another unit or task chosen):
        ask about its unsaved changes. Choosing its own task again asks nothing."""
        detail = self.form.detail
        if not self.form.is_dirty() or detail is None:
            return True
        if task_key is not None and task_key == (detail.row.task_id, detail.row.period):
            return True
        return self.form.maybe_leave()

    def _reselect(self, view, index: QModelIndex) -> None:
        """«Hủy»: put the highlight back on the row that was current, without reloading anything.
        After the view's own click handling, which selects the clicked row once the current-row
        signal has returned."""
        persistent = QPersistentModelIndex(index)
        QTimer.singleShot(0, self, lambda: self._select_again(view, QModelIndex(persistent)))
        self._select_again(view, index)

    def _select_again(self, view, index: QModelIndex) -> None:
        self._restoring_selection = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            if index.isValid():
                view.selectionModel().setCurrentIndex(index, flags)
            else:
                view.selectionModel().clear()
        finally:
            self._restoring_selection = False

    def show_assignment(self, assignment_id: int) -> bool:
        """Show an assignment in the result form (asking about unsaved changes first)."""
        if assignment_id == self.form.assignment_id:
            return True
        if not self.form.maybe_leave():
            self.matrix.select_assignment(self.form.assignment_id)  # «Hủy»: the grid's frame goes back too
            return False
        self.form.load(assignment_id)
        self.matrix.select_assignment(assignment_id)
        detail = self.form.detail
        if detail is not None:
            key = (detail.row.task_id, detail.row.period)
            row = self.task_model.row_of_key(key)
            if row >= 0 and key != self._current_task_key:
                self._current_task_key = key
                self._select_row(self.task_table, row)
                self._pending_assignment = assignment_id
                self._load_assignments()
            elif key == self._current_task_key:
                arow = self.assignment_model.row_of_key(assignment_id)
                if arow >= 0:
                    self._select_row(self.assignment_table, arow)
        return True

    def select_unit(self, unit_id: int | None) -> None:
        index = self.tree_model.index_of(unit_id)
        if index.isValid():
            self.left_stack.setCurrentIndex(0)
            self.unit_tree.setCurrentIndex(index)
            self.unit_tree.scrollTo(index)
