"""The main window: unit tree and search (left), filter bar with the task table and assignment
list, the task × unit grid and the dashboard (centre), the result form (right).

Reads run on a worker thread (``desktop.ui.worker.Runner``) through ``desktop.tracking.board``;
writes go through ``desktop.operations`` in the result form and the editing dialogs.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import traceback
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop import labels
from desktop.database import display_location
from desktop.services import tracking
from desktop.tracking import board
from desktop.ui import common
from desktop.ui.dashboard import DashboardView
from desktop.ui.grid_view import MatrixView
from desktop.ui.models import (
    AssignmentTableModel,
    SearchResultsModel,
    TaskTableModel,
    UnitTreeModel,
    sort_key,
)
from desktop.ui.result_form import ResultForm
from desktop.ui.widgets import ElidedLabel, OptionalDateEdit, WordElideDelegate
from desktop.ui.worker import Runner

log = logging.getLogger(__name__)

STATUS_FILTER_LABELS = {
    board.FILTER_ALL: "Tất cả trạng thái",
    board.FILTER_OPEN: "Chưa hoàn thành",
    board.FILTER_OVERDUE: "Quá hạn",
    board.FILTER_DUE_SOON: "Sắp đến hạn",
    board.FILTER_IN_PROGRESS: "Đang thực hiện, trong hạn",
    board.FILTER_WAITING: "Chờ duyệt",
    board.FILTER_DONE: "Đã hoàn thành",
    board.FILTER_ON_TIME: "Hoàn thành đúng hạn",
    board.FILTER_LATE: "Hoàn thành quá hạn",
    board.FILTER_NO_DEADLINE: "Không có hạn (thường xuyên)",
    board.FILTER_EXCLUDED: "Tạm dừng, hủy",
}
PERIOD_LABELS = {"": "Mọi thời hạn", "month": "Tháng này", "quarter": "Quý này", "year": "Năm nay",
                 "custom": "Tùy chọn…"}

TAB_TASKS, TAB_GRID, TAB_DASHBOARD = range(3)
SEARCH_DELAY_MS = 250


def header_width(header: QHeaderView, section: int) -> int:
    """The width a header section needs to show its whole text, with margins and a sort arrow.

    Measured line by line: Qt's own hint measures a two-line header («Số\nvăn bản») as one long
    line, which gave the document number 123 px of a laptop's table and the task's title 91."""
    model = header.model()
    if model is None:
        return 0
    text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str):
        return header.sectionSizeHint(section)
    metrics = header.fontMetrics()
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) if header.isSortIndicatorShown() else 0
    widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    return widest + 4 * margin + arrow + 8


class _Splitter(QSplitter):
    """A splitter that says when it has shared its width out anew: after a resize, and after a
    child asked for another size (LayoutRequest)."""

    resized = Signal()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.resized.emit()
        return handled


class MainWindow(QMainWindow):
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
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Tìm đơn vị, văn bản, nhiệm vụ, kết quả (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        left_layout.addWidget(self.search_box)
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
        self.left_stack.addWidget(self.unit_tree)
        self.left_stack.addWidget(search_page)
        left_layout.addWidget(self.left_stack, 1)

        # -- centre: filter bar and tabs
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 4, 0, 4)
        bar = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        for code, text in STATUS_FILTER_LABELS.items():
            self.status_filter.addItem(text, code)
        self.period_filter = QComboBox()
        self.period_filter.setObjectName("periodFilter")
        for code, text in PERIOD_LABELS.items():
            self.period_filter.addItem(text, code)
        self.period_from = OptionalDateEdit(default_date=self.today)
        self.period_from.setObjectName("periodFrom")
        self.period_to = OptionalDateEdit(default_date=self.today)
        self.period_to.setObjectName("periodTo")
        self.period_dash = QLabel("–")
        self.directive_filter = QComboBox()
        self.directive_filter.setObjectName("directiveFilter")
        self.directive_filter.setMinimumContentsLength(12)
        # Combos sized by their longest entry would set the window's minimum width beyond a laptop's.
        for combo in (self.status_filter, self.period_filter):
            combo.setMinimumContentsLength(10)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.directive_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        bar.addWidget(QLabel("Trạng thái:"))
        bar.addWidget(self.status_filter)
        bar.addWidget(QLabel("Hạn:"))
        bar.addWidget(self.period_filter)
        bar.addWidget(self.period_from)
        bar.addWidget(self.period_dash)
        bar.addWidget(self.period_to)
        bar.addWidget(QLabel("Văn bản:"))
        bar.addWidget(self.directive_filter, 1)
        for w in (self.period_from, self.period_dash, self.period_to):
            w.hide()
        centre_layout.addLayout(bar)
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
        self.task_splitter = _Splitter(Qt.Orientation.Vertical)
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

        self.main_splitter = _Splitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(centre)
        self.main_splitter.addWidget(self.form)
        self.main_splitter.setStretchFactor(0, 0)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setStretchFactor(2, 0)
        self.main_splitter.setSizes([270, 760, 420])
        self.setCentralWidget(self.main_splitter)

        # -- task table columns
        # The task's title takes what is left: it is the column the officer reads.
        widths = {TaskTableModel.C_NUMBER: 84, TaskTableModel.C_START: 78, TaskTableModel.C_DEADLINE: 78,
                  TaskTableModel.C_LEAD: 96, TaskTableModel.C_PROGRESS: 50, TaskTableModel.C_STATUS: 132,
                  TaskTableModel.C_LATE: 64}
        header = self.task_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TaskTableModel.C_TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in widths.items():
            self.task_table.setColumnWidth(column, width)
        header = self.assignment_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AssignmentTableModel.C_UNIT, QHeaderView.ResizeMode.Stretch)
        for column, width in {AssignmentTableModel.C_ROLE: 76, AssignmentTableModel.C_DEADLINE: 112,
                              AssignmentTableModel.C_DONE: 82, AssignmentTableModel.C_STATUS: 186,
                              AssignmentTableModel.C_STATE: 140}.items():
            self.assignment_table.setColumnWidth(column, width)
        # Dates and «Thường xuyên» whole in their columns, whatever the font.
        metrics = self.task_table.fontMetrics()
        for column, text in ((TaskTableModel.C_START, "00/00/0000"), (TaskTableModel.C_DEADLINE, "Thường xuyên"),
                             (TaskTableModel.C_STATUS, "Hoàn thành đúng hạn")):
            self.task_table.setColumnWidth(column, max(self.task_table.columnWidth(column),
                                                       metrics.horizontalAdvance(text) + 12))
        # On a laptop the title needs the room: «Chủ trì» (also in the list of units below) is
        # hidden until the officer shows it from the header's menu.
        self.task_table.setColumnHidden(TaskTableModel.C_LEAD, True)
        for view in (self.task_table, self.assignment_table):
            view.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.horizontalHeader().customContextMenuRequested.connect(
                lambda pos, v=view: self._column_menu(v, pos))
        self._fit_header_texts()

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
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search_box.textChanged.connect(self._on_search_text)
        self.search_box.returnPressed.connect(self._activate_first_result)
        self.search_view.activated.connect(self._on_search_activated)
        self.search_view.clicked.connect(self._on_search_activated)
        self.search_box.installEventFilter(self)

    QUICK_FILTER_TEXT = {board.FILTER_OVERDUE: "Quá hạn", board.FILTER_DUE_SOON: "Sắp đến hạn",
                         board.FILTER_WAITING: "Chờ duyệt", board.FILTER_ALL: "Tất cả"}
    QUICK_FILTER_NAMES = {board.FILTER_OVERDUE: "chipOverdue", board.FILTER_DUE_SOON: "chipDueSoon",
                          board.FILTER_WAITING: "chipWaiting", board.FILTER_ALL: "chipAll"}

    def _build_quick_filters(self) -> QWidget:
        """One click to what needs doing, with how many tasks each shows (in the unit, directive
        and period chosen): Quá hạn, Sắp đến hạn, Chờ duyệt, Tất cả. They set the status filter."""
        row = QWidget()
        row.setObjectName("quickFilters")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(6)
        self.quick_filter_buttons: dict[str, QToolButton] = {}
        self.quick_filter_counts: dict[str, int] = {}
        for code in board.QUICK_FILTERS:
            button = QToolButton()
            button.setObjectName(self.QUICK_FILTER_NAMES[code])
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setText(self.QUICK_FILTER_TEXT[code])
            button.clicked.connect(lambda _checked=False, c=code: self.set_status_filter(c))
            layout.addWidget(button)
            self.quick_filter_buttons[code] = button
        layout.addStretch(1)
        return row

    def set_status_filter(self, code: str) -> None:
        index = self.status_filter.findData(code)
        if index >= 0 and index != self.status_filter.currentIndex():
            self.status_filter.setCurrentIndex(index)
        self._sync_quick_filters()

    def _sync_quick_filters(self) -> None:
        current = self.status_filter.currentData() or board.FILTER_ALL
        for code, button in self.quick_filter_buttons.items():
            button.setChecked(code == current)
            count = self.quick_filter_counts.get(code)
            text = self.QUICK_FILTER_TEXT[code]
            button.setText(text if count is None else f"{text} ({labels.fmt_int(count)})")

    def _load_quick_filter_counts(self, lines: list[board.TaskLine]) -> None:
        """The chips' counts: from the lines shown when nothing is filtered by status, else from an
        unfiltered read of the same scope."""
        if not (self.status_filter.currentData() or ""):
            self._on_quick_counts(board.quick_filter_counts(lines))
            return
        scope = dataclasses.replace(self.scope(), status=board.FILTER_ALL)
        today, soon, leads = self.today, self.due_soon_days, self._leads
        self.runner.submit("quickCounts", lambda s: board.quick_filter_counts(
            board.task_board(s, scope, today, soon, leads)), self._on_quick_counts)

    def _on_quick_counts(self, counts: dict[str, int]) -> None:
        self.quick_filter_counts = counts
        self._sync_quick_filters()

    def _fit_header_texts(self) -> None:
        """No column header is ever cut («Trễ (ngày)» read «rễ (ngày»): each section at least as
        wide as its text, its margins and a sort arrow (also after restoring saved widths)."""
        for view in (self.task_table, self.assignment_table):
            header = view.horizontalHeader()
            for column in range(header.count()):
                if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
                    continue
                needed = header_width(header, column)
                if header.sectionSize(column) < needed:
                    header.resizeSection(column, needed)

    def _column_menu(self, view: QTableView, pos) -> None:
        """Right click on a header: show or hide each column; the stretching one (the title, the
        unit) always stays. The choice is saved with the columns' widths."""
        header = view.horizontalHeader()
        model = view.model()
        menu = QMenu(self)
        menu.setObjectName("columnMenu")
        for column in range(header.count()):
            name = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            action = menu.addAction(str(name).replace("\n", " "))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch)
            action.toggled.connect(lambda on, c=column: (view.setColumnHidden(c, not on), self._fit_header_texts()))
        menu.popup(header.mapToGlobal(pos))

    @staticmethod
    def _setup_table(view: QTableView, text_columns: tuple[int, ...] = ()) -> None:
        for column in text_columns:  # word-boundary elision where long Vietnamese text is cut
            view.setItemDelegateForColumn(column, WordElideDelegate(view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(24)
        view.horizontalHeader().setHighlightSections(False)

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
        self._action(m, "Chuyển &dữ liệu sang máy chủ…", lambda: self._call_action(
            "desktop.ui.transfer_actions", "transfer_data", "Chuyển dữ liệu"), None, "actTransfer",
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
        self._action(m, "Trợ lý &bắt đầu (tên cơ quan, đơn vị)…", lambda: self._call_action(
            "desktop.ui.first_run", "run_first_run", "Trợ lý bắt đầu"), None, "actFirstRun",
            "Chọn mẫu cơ quan, sửa tiêu đề văn bản, nhập danh sách đơn vị từ Excel/CSV")
        self._action(m, "Sắp &xếp đơn vị hành chính (01/7/2025)…", lambda: self._call_action(
            "desktop.ui.reorganisation_dialog", "reorganise_units", "Sắp xếp đơn vị hành chính"), None,
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
        self.today_label = QLabel(f"Ngày tính: {labels.fmt_date(self.today)}")
        status.addPermanentWidget(self.today_label)
        self.busy_label.hide()
        self.busy_bar.hide()
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(400)
        self._busy_timer.timeout.connect(self._show_busy)

    # ------------------------------------------------------------ UI state (QSettings, INI)
    def _restore_ui_state(self) -> None:
        settings = common.ui_settings()
        self._default_splitter = not isinstance(settings.value("main/mainSplitter"), QByteArray)
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            common.fit_to_screen(self)  # saved on a larger screen, or with another taskbar
            # restoreGeometry maximises only when shown: the state is kept beside it
            self._opens_maximised = str(settings.value("main/maximized", False)).lower() in ("true", "1")
        else:
            # First run: the whole screen (a 1366×768 laptop has no room to spare), and a size
            # within it for when the officer leaves the maximised state.
            common.fit_to_screen(self, 1440, 860)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            self._opens_maximised = True
        state = settings.value("main/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self._saved_splitters = []
        self._restoring_panes = False
        self._reached_maximised = False
        for key, widget in (("main/mainSplitter", self.main_splitter), ("main/taskSplitter", self.task_splitter)):
            value = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                widget.restoreState(value)
                self._saved_splitters.append((widget, value))
                widget.splitterMoved.connect(self._forget_saved_splitters)
                widget.resized.connect(self._on_splitter_resized)
        for key, view in (("main/taskColumns", self.task_table), ("main/assignmentColumns", self.assignment_table)):
            value = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                view.horizontalHeader().restoreState(value)
        self._fit_header_texts()
        tab = settings.value("main/tab", TAB_TASKS)
        try:
            # Silently: reload_all loads the tab after the tree and the tasks (a signal here would
            # load the dashboard first, and then again).
            blocked = self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(int(tab))
        except (TypeError, ValueError):
            pass
        finally:
            self.tabs.blockSignals(blocked)
        # Where to start: this year's deadlines (a new office's first look is not 2022's backlog);
        # afterwards the period and status the officer left.
        for key, combo, default in (("main/periodFilter", self.period_filter, "year"),
                                    ("main/statusFilter", self.status_filter, board.FILTER_ALL)):
            value = settings.value(key, default)
            index = combo.findData(value if isinstance(value, str) else default)
            if index >= 0 and index != combo.currentIndex():
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
        if self.period_filter.currentData() == "custom":  # its dates are not kept: start from the month
            self.period_filter.blockSignals(True)
            self.period_filter.setCurrentIndex(self.period_filter.findData("month"))
            self.period_filter.blockSignals(False)
        self._sync_quick_filters()
        show_archived = settings.value("main/showArchived", False)
        self.act_archived.setChecked(str(show_archived).lower() in ("true", "1"))

    def save_ui_state(self) -> None:
        settings = common.ui_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/maximized", self.isMaximized())
        settings.setValue("main/state", self.saveState())
        settings.setValue("main/mainSplitter", self.main_splitter.saveState())
        settings.setValue("main/taskSplitter", self.task_splitter.saveState())
        settings.setValue("main/taskColumns", self.task_table.horizontalHeader().saveState())
        settings.setValue("main/assignmentColumns", self.assignment_table.horizontalHeader().saveState())
        settings.setValue("main/tab", self.tabs.currentIndex())
        settings.setValue("main/showArchived", self.act_archived.isChecked())
        settings.setValue("main/periodFilter", self.period_filter.currentData() or "")
        settings.setValue("main/statusFilter", self.status_filter.currentData() or "")
        settings.sync()

    # ------------------------------------------------------------ scope and loading
    def scope(self, with_status: bool = True) -> board.Scope:
        unit_ids = None
        if self._scope_unit is not None:
            unit_ids = board.subtree_ids(self._nodes, self._scope_unit)
        due_from, due_to = self._period_range()
        return board.Scope(unit_ids=unit_ids, directive_id=self.directive_filter_value(), due_from=due_from,
                           due_to=due_to, status=self.status_filter.currentData() if with_status else "")

    def _period_range(self) -> tuple[date | None, date | None]:
        kind = self.period_filter.currentData()
        if kind == "custom":
            return self.period_from.value(), self.period_to.value()
        return board.period_bounds(kind or "", self.today)

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

    def _load_directives(self) -> None:
        self._directives = tracking.directive_list(self.db)
        current = self.directive_filter_value()
        self.directive_filter.blockSignals(True)
        self.directive_filter.clear()
        self.directive_filter.addItem("Tất cả văn bản", 0)  # never None: PySide6 6.12 crashes on None item data
        for did, number, title, issued in self._directives:
            text = number + (f" ngày {labels.fmt_date(issued)}" if issued else "")
            self.directive_filter.addItem(text, did)
            self.directive_filter.setItemData(self.directive_filter.count() - 1, f"{number}: {title}",
                                              Qt.ItemDataRole.ToolTipRole)
        index = self.directive_filter.findData(current or 0)
        self.directive_filter.setCurrentIndex(max(0, index))
        self.directive_filter.blockSignals(False)
        grid_current = self.matrix.current_directive() or current
        self.matrix.set_directives(self._directives, grid_current)
        self.task_table.setColumnWidth(TaskTableModel.C_NUMBER, TaskTableModel.number_width(
            self.task_table.fontMetrics(), [d[1] for d in self._directives],
            self.task_table.columnWidth(TaskTableModel.C_NUMBER)))

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

    def _select_row(self, view: QTableView, row: int) -> None:
        self._restoring_selection = True
        try:
            index = view.model().index(row, 0)
            view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            view.scrollTo(index)
        finally:
            self._restoring_selection = False

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

    def _scope_text(self) -> str:
        parts = []
        if self._scope_unit is None:
            parts.append("Tất cả đơn vị")
        else:
            node = self.tree_model.node(self._scope_unit)
            parts.append(node.name if node else "")
        if self.directive_filter_value() is not None:
            parts.append(f"văn bản {self.directive_filter.currentText()}")
        due_from, due_to = self._period_range()
        if due_from or due_to:
            parts.append(f"hạn từ {labels.fmt_date(due_from) or '…'} đến {labels.fmt_date(due_to) or '…'}")
        return " · ".join(parts) + f" — tính đến ngày {labels.fmt_date(self.today)}"

    def _update_status(self) -> None:
        lines = self.task_model.rows()
        overdue = sum(line.counts.get("overdue", 0) for line in lines)
        waiting = sum(line.waiting for line in lines)
        node_name = "tất cả đơn vị" if self._scope_unit is None else (
            self.tree_model.node(self._scope_unit).name if self.tree_model.node(self._scope_unit) else "")
        self.status_label.setText(
            f"{labels.fmt_int(len(lines))} nhiệm vụ ({node_name}) · {labels.fmt_int(overdue)} lượt quá hạn · "
            f"{labels.fmt_int(waiting)} báo cáo chờ duyệt")

    # ------------------------------------------------------------ selection handlers
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

    def _on_filter_changed(self, *_args) -> None:
        self._sync_quick_filters()
        self._stale = {TAB_GRID: True, TAB_DASHBOARD: True}
        self._load_tasks()
        self._load_visible_tab()

    def _on_period_changed(self, index: int) -> None:
        custom = self.period_filter.currentData() == "custom"
        for w in (self.period_from, self.period_to, self.period_dash):
            w.setVisible(custom)
        if custom and self.period_from.is_empty() and self.period_to.is_empty():
            start, end = board.period_bounds("month", self.today)
            for w, value in ((self.period_from, start), (self.period_to, end)):
                w.blockSignals(True)
                w.set_value(value)
                w.blockSignals(False)
        self._on_filter_changed()

    def directive_filter_value(self) -> int | None:
        value = self.directive_filter.currentData()
        return int(value) if value else None

    def _on_directive_filter(self, _index: int) -> None:
        directive_id = self.directive_filter_value()
        if directive_id is not None:
            self.matrix.select_directive(directive_id)
        self._on_filter_changed()

    def set_directive_filter(self, directive_id: int | None) -> None:
        index = self.directive_filter.findData(directive_id or 0)
        if index >= 0 and index != self.directive_filter.currentIndex():
            self.directive_filter.setCurrentIndex(index)

    def _reset_filters(self, directive_id: int | None) -> None:
        """Show everything of a directive (used when jumping to a task or a result)."""
        for combo, value in ((self.status_filter, ""), (self.period_filter, "")):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(value))
            combo.blockSignals(False)
        for w in (self.period_from, self.period_to, self.period_dash):
            w.hide()
        self.directive_filter.blockSignals(True)
        self.directive_filter.setCurrentIndex(max(0, self.directive_filter.findData(directive_id or 0)))
        self.directive_filter.blockSignals(False)
        if directive_id is not None:
            self.matrix.select_directive(directive_id)

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

    # ------------------------------------------------------------ search
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched, event) -> bool:
        from PySide6.QtCore import QEvent

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

    # ------------------------------------------------------------ other helpers' entry points
    def _entry_point(self, module_name: str, attribute: str, feature: str) -> Any | None:
        """Import ``module.attribute`` at call time; tell the user when it is not installed yet."""
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                common.not_ready(self, feature)
                return None
            common.error(self, f"Không mở được chức năng “{feature}”.", details=traceback.format_exc())
            return None
        except Exception:
            common.error(self, f"Không mở được chức năng “{feature}”.", details=traceback.format_exc())
            return None
        target = getattr(module, attribute, None)
        if target is None:
            common.not_ready(self, feature)
        return target

    def _run_dialog(self, module_name: str, class_name: str, feature: str, *args, **kwargs) -> bool:
        cls = self._entry_point(module_name, class_name, feature)
        if cls is None:
            return False
        dialog = cls(self.db, *args, self, **kwargs)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if accepted:
            self._load_directives()
            self.reload_all()
        return accepted

    def _call_action(self, module_name: str, function: str, feature: str, *args, **kwargs) -> Any:
        fn = self._entry_point(module_name, function, feature)
        if fn is None:
            return None
        result = fn(self, self.db, *args, **kwargs)
        return result

    def current_directive_id(self) -> int | None:
        """The directive in the filter bar, else the one of the selected task, else the grid's."""
        directive_id = self.directive_filter_value()
        if directive_id is not None:
            return directive_id
        line = self.task_model.row_at(self.task_table.currentIndex().row())
        if line is not None:
            return line.directive_id
        if self.tabs.currentIndex() == TAB_GRID:
            return self.matrix.current_directive()
        return None

    def selected_assignment_ids(self) -> list[int]:
        rows = {i.row() for i in self.assignment_table.selectionModel().selectedRows()}
        ids = [self.assignment_model.row_at(r).row.assignment_id for r in sorted(rows)]
        if not ids and self.form.assignment_id is not None:
            ids = [self.form.assignment_id]
        return ids

    def new_directive(self) -> None:
        if self.form.maybe_leave():
            self._run_dialog("desktop.ui.dialogs", "DirectiveDialog", "Văn bản chỉ đạo mới", None,
                             today=self.today)

    def edit_directive(self) -> None:
        directive_id = self.current_directive_id()
        if directive_id is None:
            common.info(self, "Hãy chọn một nhiệm vụ hoặc một văn bản ở thanh lọc trước.")
            return
        if self.form.maybe_leave():
            self._run_dialog("desktop.ui.dialogs", "DirectiveDialog", "Sửa văn bản chỉ đạo", directive_id,
                             today=self.today)

    def intake_directive(self) -> None:
        if not self.form.maybe_leave():
            return
        cls = self._entry_point("desktop.ui.intake_wizard", "IntakeWizard", "Đọc văn bản chỉ đạo")
        if cls is None:
            return
        wizard = cls(self.db, self)
        try:
            accepted = wizard.exec() == QDialog.DialogCode.Accepted
        finally:
            wizard.deleteLater()
        if accepted:
            self._load_directives()
            self.reload_all()

    def extend_deadline(self) -> None:
        aid = self.form.assignment_id
        if aid is None:
            common.info(self, "Hãy chọn đơn vị được giao nhiệm vụ cần gia hạn.")
            return
        if self.form.maybe_leave():
            self._run_dialog("desktop.ui.dialogs", "ExtensionDialog", "Gia hạn", aid, self.today)

    def log_reminder(self) -> None:
        ids = self.selected_assignment_ids()
        if not ids:
            common.info(self, "Hãy chọn các đơn vị cần đôn đốc trong danh sách giao nhiệm vụ.")
            return
        if self.form.maybe_leave():
            self._run_dialog("desktop.ui.dialogs", "ReminderDialog", "Ghi nhận đôn đốc", ids, self.today)

    def edit_units(self) -> None:
        if not self.form.maybe_leave():
            return
        cls = self._entry_point("desktop.ui.dialogs", "UnitsDialog", "Danh mục đơn vị")
        if cls is None:
            return
        dialog = cls(self.db, self, today=self.today)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if accepted:
            self._load_directives()
            self.reload_all()

    def backup_now(self) -> None:
        self._call_action("desktop.ui.safety_actions", "backup_now", "Sao lưu")

    def restore_backup(self) -> None:
        if not self.form.maybe_leave():
            return
        if self._call_action("desktop.ui.safety_actions", "restore_backup", "Khôi phục"):
            self.report_index = board.ReportIndex()
            self._load_directives()
            self.form.load(None)
            self.reload_all()

    def check_data(self) -> None:
        self._call_action("desktop.ui.safety_actions", "check_data", "Kiểm tra dữ liệu")

    def save_draft(self):
        """Keep the result form's unsaved edits in a file (called by the crash handler)."""
        return self.form.save_draft()

    def edit_settings(self) -> None:
        if self.form.maybe_leave():
            self._run_dialog("desktop.ui.dialogs", "SettingsDialog", "Cài đặt")

    def import_results(self) -> None:
        if not self.form.maybe_leave():
            return
        dialog = self._call_action("desktop.ui.workbook_actions", "import_files", "Nhập kết quả từ phiếu Excel",
                                   today=self.today)
        imported = getattr(dialog, "imported", None)
        if imported is not None:  # the preview dialog is not modal: reload when it has written
            imported.connect(lambda _result: self.reload_all())

    def export_directive_id(self) -> int | None:
        """The directive the export dialogs offer first: the one of the filter bar, or on the grid tab
        the grid's; «Tất cả văn bản» offers all of them (never the selected task's, silently)."""
        directive_id = self.directive_filter_value()
        if directive_id is None and self.tabs.currentIndex() == TAB_GRID:
            return self.matrix.current_directive()
        return directive_id

    def export_report(self) -> None:
        self._call_action("desktop.ui.document_actions", "export_report", "Báo cáo kết quả thực hiện",
                          self.export_directive_id(), self.today)

    def export_reminder(self) -> None:
        unit_ids = self.scope().unit_ids
        self._call_action("desktop.ui.document_actions", "export_reminder", "Công văn đôn đốc", self.today,
                          directive_id=self.export_directive_id(),
                          unit_ids=list(unit_ids) if unit_ids is not None else None)

    def export_excel(self) -> None:
        self._call_action("desktop.ui.workbook_actions", "export_excel", "Xuất bảng tổng hợp Excel", self.today,
                          directive_id=self.export_directive_id())

    def export_templates(self) -> None:
        unit_ids = self.scope().unit_ids
        self._call_action("desktop.ui.workbook_actions", "export_templates", "Phiếu báo cáo cho đơn vị", self.today,
                          unit_ids=list(unit_ids) if unit_ids is not None else None)

    # ------------------------------------------------------------ printing (Ctrl+P)
    def current_printout(self):
        """What Ctrl+P prints: the grid on the grid tab, else the task list as filtered and sorted."""
        from desktop.ui import printing

        agency = self.db.settings().agency
        if self.tabs.currentIndex() == TAB_GRID:
            data = self.matrix.model.grid()
            if data is None or not data.rows:
                return None
            return printing.grid(data, agency, self.today)
        model = self.task_model
        columns = list(model.COLUMNS)
        rows = [[model.data(model.index(r, c)) or "" for c in range(len(columns))] for r in range(model.rowCount())]
        return printing.task_list(rows, columns, self._scope_text(), agency, self.today)

    def print_view(self) -> None:
        from desktop.ui import printing

        printout = self.current_printout()
        if printout is None:
            common.info(self, "Chưa có gì để in: hãy chọn một văn bản có nhiệm vụ đã giao.")
            return
        printing.preview(self, printout)

    def unit_history_printout(self, unit_id: int | None = None):
        """«Phiếu theo dõi của đơn vị» of ``unit_id`` (default: the unit chosen in the tree)."""
        from desktop.ui import printing

        unit_id = self._scope_unit if unit_id is None else unit_id
        node = self.tree_model.node(unit_id) if unit_id is not None else None
        if node is None or node.is_group:
            return None
        tracked = tracking.unit_history(self.db, unit_id, self.today, self.due_soon_days)
        return printing.unit_history(node.name, tracked, self.db.settings().agency, self.today)

    def print_unit_history(self) -> None:
        from desktop.ui import printing

        printout = self.unit_history_printout()
        if printout is None:
            common.info(self, "Hãy chọn một đơn vị (không phải nhóm) trong cây đơn vị bên trái, rồi in phiếu theo dõi.")
            return
        printing.preview(self, printout)

    def show_shortcuts(self) -> None:
        common.info(self, "\n".join([
            "Ctrl+F: tìm kiếm (gõ không dấu được: «dong khe», «ubnd»)",
            "Ctrl+S: lưu kết quả; Ctrl+Enter: duyệt kết quả",
            "Ctrl+N: văn bản chỉ đạo mới; Ctrl+Shift+N: đọc văn bản từ tệp",
            "Ctrl+E: sửa văn bản; Ctrl+G: gia hạn; Ctrl+D: ghi nhận đôn đốc",
            "Ctrl+1 / Ctrl+2 / Ctrl+3: nhiệm vụ / bảng tổng hợp / tổng quan",
            "Ctrl+I: nhập kết quả từ phiếu Excel; Ctrl+R: báo cáo Word",
            "Ctrl+P: in trang đang xem; Ctrl+Shift+P: in phiếu theo dõi của đơn vị",
            "F5: tải lại dữ liệu",
        ]), "Phím tắt")

    def show_about(self) -> None:
        try:
            from importlib.metadata import version

            number = version("theodoi-nhiemvu")
        except Exception:
            number = ""
        common.info(self, f"{common.APP_TITLE} {number}\nTheo dõi văn bản chỉ đạo, nhiệm vụ và kết quả thực hiện "
                          f"của các đơn vị.\nCơ sở dữ liệu: {display_location(str(self.db.location))}", "Giới thiệu")

    def _forget_saved_splitters(self, *_args) -> None:
        self._saved_splitters = []

    def _on_splitter_resized(self) -> None:
        """The saved panes again once the window has its real size: a maximised window reaches it
        after being shown, and the panes restored before were shared out anew. Kept up while the
        window stays maximised (its panes' contents load later), until the officer moves a pane."""
        if not getattr(self, "_saved_splitters", None) or not self.isVisible() or self._restoring_panes:
            return
        if self._opens_maximised and not self.isMaximized() and self._reached_maximised:
            self._saved_splitters = []  # the officer left the maximised state: their sizes now
            return
        self._restoring_panes = True
        try:
            for widget, value in self._saved_splitters:
                widget.restoreState(value)
        finally:
            self._restoring_panes = False
        if not self._opens_maximised:
            self._saved_splitters = []
        elif self.isMaximized():
            self._reached_maximised = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_default_splitter", False):
            # First run: share the width once the window has its real size.
            self._default_splitter = False
            width = max(self.main_splitter.width(), 1000)
            form = max(320, int(width * 0.24))
            left = max(260, int(width * 0.19))
            self.main_splitter.setSizes([left, width - left - form, form])

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
