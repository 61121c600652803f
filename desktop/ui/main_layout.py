"""The main window's panes and their memory: the task tables' columns (widths, the header's
menu to show or hide them), the splitters, and the layout kept between sessions (QSettings, INI).

``PanesMixin`` is mixed into ``desktop.ui.main_window.MainWindow``; it uses the window's views
(``task_table``, ``assignment_table``, the splitters, the filters) and keeps no other state.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QMenu, QSplitter, QStyle, QTableView

from desktop.tracking import board
from desktop.ui import common
from desktop.ui.models import AssignmentTableModel, TaskTableModel
from desktop.ui.widgets import setup_list_table

TAB_TASKS, TAB_GRID, TAB_DASHBOARD = range(3)


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


class PaneSplitter(QSplitter):
    """A splitter that says when it has shared its width out anew: after a resize, and after a
    child asked for another size (LayoutRequest)."""

    resized = Signal()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.resized.emit()
        return handled


class PanesMixin:
    """Columns, splitters and the saved layout of the main window."""

    def _size_columns(self) -> None:
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
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per right click, gone when closed
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
        setup_list_table(view, text_columns)

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
