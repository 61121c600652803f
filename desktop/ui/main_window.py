"""The main window: unit tree and search (left), filter bar with the task table and assignment
list, the task × unit grid and the dashboard (centre), the result form (right).

This module composes the window, its menus and status bar, loads what it shows and follows the
selection. Its parts live beside it: the filter bar and quick filters (``main_filters``), the
search panel (``main_search``), the columns, splitters and saved layout (``main_layout``) and the
menu commands (``main_commands``, bound here as methods).

Reads run on a worker thread (``desktop.ui.worker.Runner``) through ``desktop.tracking.board``;
writes go through ``desktop.services.operations`` in the result form and the editing dialogs.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Callable

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.infra.database import display_location
from desktop.services import tracking
from desktop.tracking import board, labels
from desktop.ui import common
from desktop.ui import main_commands as commands
from desktop.ui.dashboard import DashboardView
from desktop.ui.grid_view import MatrixView
from desktop.ui.main_filters import FiltersMixin
from desktop.ui.main_layout import TAB_DASHBOARD, TAB_GRID, TAB_TASKS, PanesMixin, PaneSplitter, header_width
from desktop.ui.main_search import SearchMixin
from desktop.ui.main_selection import SelectionMixin
from desktop.ui.models import AssignmentTableModel, TaskTableModel, UnitTreeModel, sort_key
from desktop.ui.result_form import ResultForm
from desktop.ui.widgets import ElidedLabel, WordElideDelegate
from desktop.ui.worker import Runner

__all__ = ["TAB_DASHBOARD", "TAB_GRID", "TAB_TASKS", "MainWindow"]

log = logging.getLogger(__name__)


class MainWindow(FiltersMixin, SearchMixin, SelectionMixin, PanesMixin, QMainWindow):
    """``today`` is fixed for tests and the demo; otherwise the real date."""

    refreshed = Signal()  # a full reload was requested (after a dialog saved ...)

    def __init__(self, db, today: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.due_soon_days = db.settings().due_soon_days
        self.runner = Runner(db, self)
        self.report_index = board.ReportIndex()  # touched only by jobs on the (single) worker thread
        self._leads: dict[int, str] = {}  # lead unit names per task, filled by the worker, reset on reload
        self._nodes: list[board.UnitNode] = []
        self._scope_unit: int | None = None
        self._current_task_key: tuple[int, str] | None = None
        self._pending_task: tuple[int, str | None] | None = None
        self._pending_assignment: int | None = None
        self._stale = {TAB_GRID: True, TAB_DASHBOARD: True}
        self._directives: list[tuple] = []
        self._closing = False
        self._tree_expanded_once = False
        self._restoring_selection = False
        self._index_warmed = False

        self.setObjectName("mainWindow")
        self.setWindowTitle(f"{common.APP_TITLE}[*] — {self._db_label()}")
        self._build_widgets()
        self._build_menus()
        self._build_status_bar()
        self._install_empty_state()
        self._restore_ui_state()
        self._load_directives()
        self.reload_all()

    # ------------------------------------------------------------ construction
    def _db_label(self) -> str:
        location = str(self.db.location)
        if "://" in location:
            return display_location(location)  # a server URL: never show its password
        label = location.replace("\\", "/").rsplit("/", 1)[-1]
        return label + " (chỉ đọc)" if getattr(self.db, "read_only", False) else label

    def _build_widgets(self) -> None:
        # -- left: search and unit tree
        left = QWidget()
        left.setMinimumWidth(200)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 0, 4)
        left_layout.addWidget(self._build_search_box())
        self.left_stack = QStackedWidget()
        self.tree_model = UnitTreeModel(self)
        self.unit_tree = QTreeView()
        self.unit_tree.setObjectName("unitTree")
        self.unit_tree.setModel(self.tree_model)
        self.unit_tree.setUniformRowHeights(True)
        self.unit_tree.setIndentation(12)
        # Word-boundary elision only where long Vietnamese names are cut (a Python delegate costs).
        self.unit_tree.setItemDelegateForColumn(0, WordElideDelegate(self.unit_tree))
        self.unit_tree.setAlternatingRowColors(False)
        self.unit_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.unit_tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, header_width(header, 1))
        search_page = self._build_search_page()
        self.left_stack.addWidget(self.unit_tree)
        self.left_stack.addWidget(search_page)
        left_layout.addWidget(self.left_stack, 1)

        # -- centre: filter bar and tabs
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 4, 0, 4)
        centre_layout.addLayout(self._build_filter_bar())
        centre_layout.addWidget(self._build_quick_filters())

        self.tabs = QTabWidget()
        self.tabs.setObjectName("viewTabs")
        task_page = QWidget()
        task_layout = QVBoxLayout(task_page)
        task_layout.setContentsMargins(0, 0, 0, 0)
        self.task_model = TaskTableModel(self)
        self.task_table = QTableView()
        self.task_table.setObjectName("taskTable")
        self.task_table.setModel(self.task_model)
        self._setup_table(self.task_table, (TaskTableModel.C_TITLE, TaskTableModel.C_LEAD, TaskTableModel.C_STATUS))
        self.task_table.setSortingEnabled(True)
        self.task_table.horizontalHeader().setSortIndicator(TaskTableModel.C_DEADLINE, Qt.SortOrder.AscendingOrder)
        self.assignment_model = AssignmentTableModel(self)
        self.assignment_table = QTableView()
        self.assignment_table.setObjectName("assignmentTable")
        self.assignment_table.setModel(self.assignment_model)
        self._setup_table(self.assignment_table, (AssignmentTableModel.C_UNIT, AssignmentTableModel.C_STATE))
        self.assignment_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Unsorted until the user clicks a header: the read layer's order (deadline, unit order).
        self.assignment_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.assignment_table.setSortingEnabled(True)
        self.assignment_label = ElidedLabel("Đơn vị được giao")
        self.assignment_label.setObjectName("assignmentLabel")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.assignment_label)
        lower_layout.addWidget(self.assignment_table)
        self.task_splitter = PaneSplitter(Qt.Orientation.Vertical)
        self.task_splitter.setObjectName("taskSplitter")
        self.task_splitter.addWidget(self.task_table)
        self.task_splitter.addWidget(lower)
        self.task_splitter.setStretchFactor(0, 3)
        self.task_splitter.setStretchFactor(1, 2)
        task_layout.addWidget(self.task_splitter)
        self.matrix = MatrixView()
        self.dashboard = DashboardView()
        self.tabs.addTab(task_page, "Nhiệm vụ")
        self.tabs.addTab(self.matrix, "Bảng tổng hợp")
        self.tabs.addTab(self.dashboard, "Tổng quan")
        centre_layout.addWidget(self.tabs, 1)

        # -- right: result form
        self.form = ResultForm(self.db, self.today)
        self.form.set_today(self.today, self.due_soon_days)

        self.main_splitter = PaneSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(centre)
        self.main_splitter.addWidget(self.form)
        self.main_splitter.setStretchFactor(0, 0)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setStretchFactor(2, 0)
        self.main_splitter.setSizes([270, 760, 420])
        self.setCentralWidget(self.main_splitter)

        self._size_columns()
        # -- signals
        self.unit_tree.selectionModel().currentChanged.connect(self._on_unit_current)
        self.task_table.selectionModel().currentChanged.connect(self._on_task_current)
        self.assignment_table.selectionModel().currentChanged.connect(self._on_assignment_current)
        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.period_filter.currentIndexChanged.connect(self._on_period_changed)
        self.period_from.valueChanged.connect(self._on_filter_changed)
        self.period_to.valueChanged.connect(self._on_filter_changed)
        self.directive_filter.currentIndexChanged.connect(self._on_directive_filter)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.matrix.assignmentActivated.connect(self.show_assignment)
        self.matrix.directiveChosen.connect(lambda _d: self._load_grid())
        self.dashboard.assignmentActivated.connect(self.show_assignment)
        self.dashboard.unitActivated.connect(self.select_unit)
        self.form.saved.connect(self._after_save)
        self.form.dirtyChanged.connect(self.setWindowModified)
        self.runner.busyChanged.connect(self._on_busy)
        self.runner.failed.connect(self._on_job_failed)
        self._connect_search()

    def _action(self, menu, text: str, slot: Callable, shortcut: QKeySequence | str | None = None,
                name: str = "", tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&Tệp")
        self._action(m, "Văn bản chỉ đạo &mới…", self.new_directive, QKeySequence.StandardKey.New, "actNewDirective",
                     "Nhập một văn bản chỉ đạo và các nhiệm vụ của nó")
        self._action(m, "Đọc văn bản &từ tệp hoặc nội dung dán vào…", self.intake_directive, "Ctrl+Shift+N",
                     "actIntake", "Chương trình đọc văn bản (.docx, .pdf) và đề xuất nhiệm vụ, đơn vị, thời hạn")
        m.addSeparator()
        self._action(m, "Nhập &kết quả từ phiếu Excel…", self.import_results, "Ctrl+I", "actImport",
                     "Nhập các phiếu báo cáo Excel do đơn vị gửi lại")
        m.addSeparator()
        self._action(m, "&Sao lưu…", self.backup_now, "Ctrl+Shift+S", "actBackup", "Sao lưu cơ sở dữ liệu ngay bây giờ")
        self._action(m, "&Khôi phục từ bản sao lưu…", self.restore_backup, None, "actRestore",
                     "Khôi phục dữ liệu từ một bản sao lưu")
        self._action(m, "Chuyển &dữ liệu sang máy chủ…", self.transfer_data, None, "actTransfer",
            "Chép toàn bộ dữ liệu sang máy chủ PostgreSQL dùng chung (hoặc sang một tệp mới)")
        m.addSeparator()
        self._action(m, "T&hoát", self.close, QKeySequence.StandardKey.Quit, "actQuit")

        m = bar.addMenu("&Sửa")
        self.act_save = self._action(m, "&Lưu kết quả", self.form.save, QKeySequence.StandardKey.Save, "actSave")
        self.act_accept = self._action(m, "&Duyệt kết quả", self.form.accept_result, "Ctrl+Return", "actAccept")
        self.act_return = self._action(m, "&Yêu cầu bổ sung…", self.form.return_for_more, None, "actReturn")
        m.addSeparator()
        self._action(m, "Sửa &văn bản chỉ đạo…", self.edit_directive, "Ctrl+E", "actEditDirective")
        self._action(m, "&Gia hạn…", self.extend_deadline, "Ctrl+G", "actExtend")
        self._action(m, "Ghi nhận đô&n đốc…", self.log_reminder, "Ctrl+D", "actRemind")
        m.addSeparator()
        self._action(m, "&Tìm kiếm", self.focus_search, QKeySequence.StandardKey.Find, "actFind")

        m = bar.addMenu("&Xem")
        self._action(m, "&Nhiệm vụ", lambda: self.tabs.setCurrentIndex(TAB_TASKS), "Ctrl+1", "actViewTasks")
        self._action(m, "&Bảng tổng hợp nhiệm vụ × đơn vị", lambda: self.tabs.setCurrentIndex(TAB_GRID), "Ctrl+2",
                     "actViewGrid")
        self._action(m, "&Tổng quan", lambda: self.tabs.setCurrentIndex(TAB_DASHBOARD), "Ctrl+3", "actViewDashboard")
        m.addSeparator()
        self._action(m, "Tải &lại", self.reload_all, QKeySequence.StandardKey.Refresh, "actReload")
        self.act_archived = QAction("Hiện đơn vị đã &lưu trữ", self)
        self.act_archived.setObjectName("actShowArchived")
        self.act_archived.setCheckable(True)
        self.act_archived.toggled.connect(self._on_show_archived)
        m.addAction(self.act_archived)

        m = bar.addMenu("&Báo cáo")
        self.act_print = self._action(m, "&In trang đang xem…", self.print_view, QKeySequence.StandardKey.Print,
                                      "actPrint", "Xem trước và in danh sách nhiệm vụ hoặc bảng tổng hợp đang xem (A4)")
        self.act_print_unit = self._action(
            m, "In p&hiếu theo dõi của đơn vị…", self.print_unit_history, "Ctrl+Shift+P", "actPrintUnit",
            "Mọi nhiệm vụ giao cho đơn vị đang chọn, để gửi cán bộ của đơn vị")
        # Also from the unit tree (right click), where the unit is chosen.
        self.unit_tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.unit_tree.addAction(self.act_print_unit)
        m.addSeparator()
        self._action(m, "Báo cáo &kết quả thực hiện (Word)…", self.export_report, "Ctrl+R", "actReport")
        self._action(m, "Công văn đôn đốc (&Word)…", self.export_reminder, None, "actReminderLetter")
        m.addSeparator()
        self._action(m, "Xuất bảng tổng hợp &Excel…", self.export_excel, "Ctrl+Shift+E", "actExportExcel")
        self._action(m, "&Phiếu báo cáo cho đơn vị (Excel)…", self.export_templates, None, "actTemplates")

        m = bar.addMenu("&Công cụ")
        self._action(m, "Danh mục &đơn vị…", self.edit_units, None, "actUnits")
        self._action(m, "Trợ lý &bắt đầu (tên cơ quan, đơn vị)…", self.run_first_run, None, "actFirstRun",
            "Chọn mẫu cơ quan, sửa tiêu đề văn bản, nhập danh sách đơn vị từ Excel/CSV")
        self._action(m, "Sắp &xếp đơn vị hành chính (01/7/2025)…", self.reorganise_units, None,
            "actReorganise", "Sáp nhập các phường cũ vào phường mới từ một bảng chuyển đổi")
        self._action(m, "&Cài đặt…", self.edit_settings, None, "actSettings")
        m.addSeparator()
        self._action(m, "&Kiểm tra dữ liệu", self.check_data, None, "actCheckData",
                     "Kiểm tra toàn vẹn dữ liệu, tệp đính kèm và các bản sao lưu")

        m = bar.addMenu("Trợ &giúp")
        self._action(m, "&Phím tắt", self.show_shortcuts, QKeySequence.StandardKey.HelpContents, "actHelp")
        self._action(m, "&Giới thiệu", self.show_about, None, "actAbout")

    def _install_empty_state(self) -> None:
        """What to do next on an empty database (desktop.ui.empty_state), under the menu."""
        from desktop.ui import empty_state

        self.empty_state = empty_state.install(self)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.status_label = QLabel()
        self.status_label.setObjectName("statusSummary")
        status.addWidget(self.status_label, 1)
        self.busy_label = QLabel("Đang tải…")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.setMaximumHeight(14)
        status.addPermanentWidget(self.busy_label)
        status.addPermanentWidget(self.busy_bar)
        if getattr(self.db, "read_only", False):
            # always in sight, not only in the title: nothing typed here can be saved
            self.read_only_label = QLabel("CHỈ ĐỌC: không lưu được thay đổi")
            self.read_only_label.setObjectName("readOnlyLabel")
            self.read_only_label.setStyleSheet("color: #b00020; font-weight: bold")
            self.read_only_label.setToolTip("Tệp dữ liệu hoặc thư mục chứa nó không cho ghi; mở để xem và in.")
            status.addPermanentWidget(self.read_only_label)
        self.today_label = QLabel(f"Ngày tính: {labels.fmt_date(self.today)}")
        status.addPermanentWidget(self.today_label)
        self.busy_label.hide()
        self.busy_bar.hide()
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(400)
        self._busy_timer.timeout.connect(self._show_busy)


    def is_idle(self) -> bool:
        return not self.runner.busy

    def reload_all(self) -> None:
        """Reload everything shown (after F5 or a dialog that saved)."""
        self.due_soon_days = self.db.settings().due_soon_days
        self.form.set_today(self.today, self.due_soon_days)
        self._leads = {}  # a dialog may have changed who leads
        self._load_tree()
        self._load_tasks()
        self._stale = {TAB_GRID: True, TAB_DASHBOARD: True}
        self._load_visible_tab()
        if self.form.assignment_id is not None and not self.form.is_dirty():
            self.form.reload()
        self.refreshed.emit()


    def _load_tree(self) -> None:
        today = self.today
        self.runner.submit("tree", lambda s: board.unit_tree(s, today), self._on_tree_loaded)

    def _expanded_units(self) -> set[int | None]:
        """The unit ids (None for «Tất cả đơn vị») whose branch is open in the tree."""
        model, view, found = self.tree_model, self.unit_tree, set()
        pending = [QModelIndex()]
        while pending:
            parent = pending.pop()
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                if model.rowCount(index) and view.isExpanded(index):
                    found.add(model.unit_id(index))
                    pending.append(index)
        return found

    def _on_tree_loaded(self, nodes: list[board.UnitNode]) -> None:
        self._nodes = nodes
        self._restoring_selection = True
        try:
            # A reload (after every save) keeps the branches the officer opened or closed.
            expanded = self._expanded_units() if self._tree_expanded_once else None
            self.tree_model.set_nodes(nodes)
            if expanded is None:
                self._tree_expanded_once = True
                if sum(1 for n in nodes if not n.is_group) <= 80:
                    self.unit_tree.expandAll()
                else:
                    self.unit_tree.expandToDepth(0)
            else:
                for unit_id in expanded:
                    index = self.tree_model.index_of(unit_id)
                    if index.isValid():
                        self.unit_tree.setExpanded(index, True)
            index = self.tree_model.index_of(self._scope_unit)
            if not index.isValid():
                index = self.tree_model.index_of(None)
            self.unit_tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.unit_tree.scrollTo(index)
        finally:
            self._restoring_selection = False
        self._update_status()

    def _load_tasks(self) -> None:
        scope, today, soon = self.scope(), self.today, self.due_soon_days
        if scope.unit_ids is None and self._scope_unit is not None:
            return  # the tree is not loaded yet; _on_unit_current reloads
        leads = self._leads
        self.runner.submit("tasks", lambda s: board.task_board(s, scope, today, soon, leads), self._on_tasks_loaded)

    def _on_tasks_loaded(self, lines: list[board.TaskLine]) -> None:
        wanted = self._current_task_key
        if self._pending_task is not None:
            task_id, period = self._pending_task
            wanted = next((line.key for line in lines if line.task_id == task_id
                           and (period is None or line.period == period)), None)
            self._pending_task = None
        self.task_model.set_rows(lines)
        self._load_quick_filter_counts(lines)
        row = self.task_model.row_of_key(wanted) if wanted is not None else -1
        if row >= 0:
            self._select_row(self.task_table, row)
            self._load_assignments()
        else:
            self._current_task_key = None
            self.assignment_model.set_rows([])
            self.assignment_label.set_full_text("Đơn vị được giao")
        self._update_status()
        if not self._index_warmed:
            # Fold every report's text once now, so that the first search keystroke is quick.
            self._index_warmed = True
            index = self.report_index
            self.runner.submit("index", index.refresh, lambda _result: None)

    def _load_assignments(self) -> None:
        key = self._current_task_key
        if key is None:
            self.assignment_model.set_rows([])
            return
        scope = self.scope()
        rows = tracking.assignment_lines(self.db, key[0], key[1], scope, self.today, self.due_soon_days)
        self.assignment_model.set_rows(rows)
        line = self.task_model.row_at(self.task_model.row_of_key(key))
        title = labels.fmt_period(key[1])
        self.assignment_label.set_full_text(
            f"Đơn vị được giao: {len(rows)}" + (f" — {line.title}" if line else "") + (f" ({title})" if title else ""))
        wanted = self._pending_assignment or self.form.assignment_id
        self._pending_assignment = None
        row = self.assignment_model.row_of_key(wanted) if wanted is not None else -1
        if row < 0 and len(rows) == 1:
            row = 0
        if row >= 0:
            self._select_row(self.assignment_table, row)
            aid = self.assignment_model.key_of(self.assignment_model.row_at(row))
            if aid != self.form.assignment_id:
                if not self.show_assignment(aid):
                    self.assignment_table.clearSelection()

    def _load_visible_tab(self) -> None:
        tab = self.tabs.currentIndex()
        if tab == TAB_GRID and self._stale.get(TAB_GRID):
            self._load_grid()
        elif tab == TAB_DASHBOARD and self._stale.get(TAB_DASHBOARD):
            self._load_dashboard()

    def _load_grid(self) -> None:
        self._stale[TAB_GRID] = False
        directive_id = self.matrix.current_directive()
        if directive_id is None:
            self.matrix.set_grid(None)
            return
        unit_ids = self.scope().unit_ids
        today, soon = self.today, self.due_soon_days
        collate = sort_key

        def job(s):
            return board.grid(s, directive_id, today, soon, unit_ids=unit_ids, collate=collate)

        self.runner.submit("grid", job, self._on_grid_loaded)

    def _on_grid_loaded(self, data: board.GridData) -> None:
        self.matrix.set_grid(data)
        self.matrix.select_assignment(self.form.assignment_id)

    def _load_dashboard(self) -> None:
        self._stale[TAB_DASHBOARD] = False
        scope = self.scope(with_status=False)
        today, soon = self.today, self.due_soon_days
        text = self._scope_text()
        self.runner.submit("dashboard", lambda s: board.dashboard(s, scope, today, soon),
                           lambda data: self.dashboard.set_data(data, text))


    def _update_status(self) -> None:
        lines = self.task_model.rows()
        overdue = sum(line.counts.get("overdue", 0) for line in lines)
        waiting = sum(line.waiting for line in lines)
        node_name = "tất cả đơn vị" if self._scope_unit is None else (
            self.tree_model.node(self._scope_unit).name if self.tree_model.node(self._scope_unit) else "")
        self.status_label.setText(
            f"{labels.fmt_int(len(lines))} nhiệm vụ ({node_name}) · {labels.fmt_int(overdue)} lượt quá hạn · "
            f"{labels.fmt_int(waiting)} báo cáo chờ duyệt")


    def _on_tab_changed(self, _index: int) -> None:
        self._load_visible_tab()

    def _on_show_archived(self, checked: bool) -> None:
        self.tree_model.set_show_archived(checked)
        self.unit_tree.expandToDepth(0)
        index = self.tree_model.index_of(self._scope_unit)
        if index.isValid():
            self._restoring_selection = True
            self.unit_tree.setCurrentIndex(index)
            self._restoring_selection = False

    def _on_busy(self, busy: bool) -> None:
        # Shown only for work that lasts: a quick reload must not make the status bar flicker.
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy_label.hide()
            self.busy_bar.hide()

    def _show_busy(self) -> None:
        if self.runner.busy:
            self.busy_label.show()
            self.busy_bar.show()

    def _on_job_failed(self, channel: str, details: str) -> None:
        if self._closing:
            return
        common.error(self, "Không đọc được dữ liệu từ cơ sở dữ liệu. Hãy thử tải lại (F5).", details=details)

    def _after_save(self, _assignment_id: int) -> None:
        self._stale = {TAB_GRID: True, TAB_DASHBOARD: True}
        self._load_tree()
        self._load_tasks()
        self._load_visible_tab()


    # ------------------------------------------------------------ menu commands (desktop.ui.main_commands)
    current_directive_id = commands.current_directive_id
    selected_assignment_ids = commands.selected_assignment_ids
    new_directive = commands.new_directive
    edit_directive = commands.edit_directive
    intake_directive = commands.intake_directive
    extend_deadline = commands.extend_deadline
    log_reminder = commands.log_reminder
    edit_units = commands.edit_units
    edit_settings = commands.edit_settings
    backup_now = commands.backup_now
    restore_backup = commands.restore_backup
    check_data = commands.check_data
    transfer_data = commands.transfer_data
    run_first_run = commands.run_first_run
    reorganise_units = commands.reorganise_units
    save_draft = commands.save_draft
    import_results = commands.import_results
    export_directive_id = commands.export_directive_id
    export_report = commands.export_report
    export_reminder = commands.export_reminder
    export_excel = commands.export_excel
    export_templates = commands.export_templates
    current_printout = commands.current_printout
    print_view = commands.print_view
    unit_history_printout = commands.unit_history_printout
    print_unit_history = commands.print_unit_history
    show_shortcuts = commands.show_shortcuts
    show_about = commands.show_about

    # ------------------------------------------------------------ closing
    def may_close(self) -> bool:
        """Closing the program with an unsaved result: «Lưu» / «Không lưu» / «Hủy» (stay open)."""
        detail = self.form.detail
        if not self.form.is_dirty() or detail is None:
            return True
        choice = common.ask_save(
            self, f"Kết quả của «{detail.row.unit_name}» có thay đổi chưa lưu. Lưu lại trước khi thoát chương trình?",
            "Thoát chương trình")
        if choice is common.SaveChoice.SAVE:
            return self.form.save()
        return choice is common.SaveChoice.DISCARD

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close():
            event.ignore()
            return
        self._closing = True
        self.save_ui_state()
        self._search_timer.stop()
        self.runner.shutdown()
        event.accept()
        super().closeEvent(event)
