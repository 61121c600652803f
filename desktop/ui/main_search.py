"""The main window's search panel: the box above the unit tree, its results in place of the tree
(units, directives, tasks, results), and going to a hit.

``SearchMixin`` is mixed into ``desktop.ui.main_window.MainWindow``; the search itself runs on the
window's worker (``board.search`` over the report index).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from desktop.tracking import board
from desktop.ui.main_layout import TAB_TASKS
from desktop.ui.models import SearchResultsModel
from desktop.ui.widgets import WordElideDelegate

SEARCH_DELAY_MS = 250


class SearchMixin:
    """The search box, its results and the jump to a hit."""

    def _build_search_box(self) -> QLineEdit:
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Tìm đơn vị, văn bản, nhiệm vụ, kết quả (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        return self.search_box

    def _build_search_page(self) -> QWidget:
        """The results, shown in place of the unit tree while the box holds text."""
        self.search_model = SearchResultsModel(self)
        self.search_view = QTableView()
        self.search_view.setObjectName("searchResults")
        self.search_view.setModel(self.search_model)
        self.search_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.search_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.search_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.search_view.verticalHeader().hide()
        self.search_view.horizontalHeader().setStretchLastSection(True)
        self.search_view.setWordWrap(False)
        self.search_view.setItemDelegate(WordElideDelegate(self.search_view))
        self.search_status = QLabel()
        self.search_status.setWordWrap(True)
        search_page = QWidget()
        search_layout = QVBoxLayout(search_page)
        search_layout.setContentsMargins(0, 0, 0, 0)
        search_layout.addWidget(self.search_status)
        search_layout.addWidget(self.search_view, 1)
        return search_page

    def _connect_search(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search_box.textChanged.connect(self._on_search_text)
        self.search_box.returnPressed.connect(self._activate_first_result)
        self.search_view.activated.connect(self._on_search_activated)
        self.search_view.clicked.connect(self._on_search_activated)
        self.search_box.installEventFilter(self)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.search_box.clear()
                self.unit_tree.setFocus()
                return True
            if event.key() == Qt.Key.Key_Down and self.search_model.rowCount():
                self.search_view.setFocus()
                self.search_view.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    def _on_search_text(self, text: str) -> None:
        if text.strip():
            self.left_stack.setCurrentIndex(1)
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.runner.cancel("search")
            self.search_model.set_rows([])
            self.left_stack.setCurrentIndex(0)

    def _run_search(self) -> None:
        query = self.search_box.text()
        index = self.report_index
        self.search_status.setText("Đang tìm…")
        self.runner.submit("search", lambda s: board.search(s, query, index), self._on_search_done)

    def _on_search_done(self, results: board.SearchResults) -> None:
        if not self.search_box.text().strip():
            return
        self.search_model.set_results(results)
        if len(results):
            parts = [f"{n} {label}" for n, label in ((len(results.units), "đơn vị"),
                                                     (len(results.directives), "văn bản"),
                                                     (len(results.tasks), "nhiệm vụ"),
                                                     (len(results.results), "kết quả")) if n]
            self.search_status.setText("Tìm thấy " + ", ".join(parts) + ". Bấm để mở; Esc để đóng.")
        else:
            self.search_status.setText("Không tìm thấy gì phù hợp.")

    def _activate_first_result(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._run_search()
            return
        if self.search_model.rowCount():
            self._on_search_activated(self.search_model.index(0, 0))

    def _on_search_activated(self, index: QModelIndex) -> None:
        hit = self.search_model.row_at(index.row())
        if hit is None:
            return
        self.navigate(hit)

    def navigate(self, hit: board.SearchHit) -> None:
        """Go to a search hit: a unit filters everything; a directive, task or result is shown."""
        if hit.kind == "unit":
            self.search_box.clear()
            self.select_unit(hit.id)
            self.tabs.setCurrentIndex(TAB_TASKS)
            return
        if hit.kind == "directive":
            self.search_box.clear()
            self._reset_filters(hit.id)
            self._on_filter_changed()
            return
        if hit.kind == "task":
            self.search_box.clear()
            self._pending_task = (hit.id, None)
            self._reset_filters(hit.directive_id)
            self.tabs.setCurrentIndex(TAB_TASKS)
            self._on_filter_changed()
            return
        if hit.kind == "result":
            if not self.show_assignment(hit.id):
                return
            detail = self.form.detail
            self.search_box.clear()
            if detail is not None:
                self._pending_task = (detail.row.task_id, detail.row.period)
                self._pending_assignment = hit.id
                self._reset_filters(detail.row.directive_id)
                if self._scope_unit is not None and detail.row.unit_id not in (self.scope().unit_ids or ()):
                    self._scope_unit = None
                    self._restoring_selection = True
                    self.unit_tree.setCurrentIndex(self.tree_model.index_of(None))
                    self._restoring_selection = False
                self.tabs.setCurrentIndex(TAB_TASKS)
                self._on_filter_changed()
