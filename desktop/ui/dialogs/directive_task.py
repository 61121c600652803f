"""The directive dialog's two tabs of the selected task, layout and the indicators' table: its
content (title, text, kind, dates, reporting cycle) and the figures units report («Chỉ tiêu»).
``TaskTabsMixin`` is mixed into ``desktop.ui.dialogs.directive.DirectiveDialog``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.models import ValueType
from desktop.tracking import labels
from desktop.ui.dialogs import data
from desktop.ui.dialogs.widgets import DateField, RecurrencePicker, make_table

INDICATOR_COLUMNS = ["Tên chỉ tiêu", "Đơn vị tính", "Kiểu số liệu"]


class TaskTabsMixin:
    """The task's «Nội dung» and «Chỉ tiêu» tabs; the indicators are edited in a table."""

    def _build_content_tab(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("taskContentPage")
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.task_title = QLineEdit(page)
        self.task_title.setObjectName("taskTitleEdit")
        self.task_title.setMaxLength(500)
        self.task_content = QPlainTextEdit(page)
        self.task_content.setObjectName("taskContentEdit")
        self.task_content.setTabChangesFocus(True)
        self.task_content.setMaximumHeight(self.fontMetrics().lineSpacing() * 9 + 12)
        self.kind_combo = QComboBox(page)
        self.kind_combo.setObjectName("taskKindCombo")
        for code, label in labels.TASK_KIND.items():
            self.kind_combo.addItem(label, code)
        self.start_field = DateField(optional=True, default=lambda: self.today)
        self.start_field.setObjectName("taskStartField")
        self.due_field = DateField(optional=True, empty_text="không có hạn", default=lambda: self.today)
        self.due_field.setObjectName("taskDueField")
        self.report_due_field = DateField(optional=True, default=lambda: self.today)
        self.report_due_field.setObjectName("taskReportDueField")
        self.recurrence = RecurrencePicker(page)
        self.recurrence.setObjectName("recurrencePicker")
        self.recurrence_text = QLabel(page)
        self.recurrence_text.setObjectName("recurrenceText")
        self.due_label = QLabel("Hạn hoàn thành:")
        self.kind_note = QLabel(page)
        self.kind_note.setObjectName("taskKindNote")
        self.kind_note.setWordWrap(True)
        self.kind_note.setStyleSheet("color: #555;")
        form.addRow("Tên nhiệm vụ:", self.task_title)
        form.addRow("Nội dung:", self.task_content)
        form.addRow("Loại nhiệm vụ:", self.kind_combo)
        form.addRow("", self.kind_note)
        form.addRow("Ngày bắt đầu:", self.start_field)
        form.addRow(self.due_label, self.due_field)
        form.addRow("Hạn báo cáo:", self.report_due_field)
        form.addRow("Chu kỳ báo cáo:", self.recurrence)
        form.addRow("", self.recurrence_text)
        form.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding))
        self.content_form = form
        return page

    def _build_indicator_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        hint = QLabel("Các số liệu nhiệm vụ yêu cầu đơn vị báo cáo (số tin bài, số buổi, lượt người…); "
                      "được cộng dồn giữa các đơn vị.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.indicator_table = make_table(page, "indicatorTable", INDICATOR_COLUMNS, stretch=(0,), read_only=False)
        layout.addWidget(self.indicator_table, 1)
        row = QHBoxLayout()
        self.add_indicator_button = QPushButton("Thêm chỉ tiêu", page)
        self.add_indicator_button.setObjectName("addIndicatorButton")
        self.remove_indicator_button = QPushButton("Xóa chỉ tiêu", page)
        self.remove_indicator_button.setObjectName("removeIndicatorButton")
        row.addWidget(self.add_indicator_button)
        row.addWidget(self.remove_indicator_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_indicator_button.clicked.connect(lambda: self.add_indicator())
        self.remove_indicator_button.clicked.connect(self.remove_indicator)
        return page

    def _fill_indicators(self, task: data.TaskDraft) -> None:
        self.indicator_table.setRowCount(0)
        for ind in task.indicators:
            self.add_indicator(ind, locked=ind.id in task.used_indicators)

    def add_indicator(self, indicator: data.IndicatorDraft | None = None, locked: bool = False) -> None:
        indicator = indicator or data.IndicatorDraft("")
        row = self.indicator_table.rowCount()
        self.indicator_table.insertRow(row)
        name = QTableWidgetItem(indicator.name)
        name.setData(Qt.ItemDataRole.UserRole, indicator.id)
        self.indicator_table.setItem(row, 0, name)
        self.indicator_table.setItem(row, 1, QTableWidgetItem(indicator.measure))
        combo = QComboBox(self.indicator_table)
        combo.setObjectName("indicatorTypeCombo")
        for code, label in labels.VALUE_TYPE.items():
            combo.addItem(label, code)
        combo.setCurrentIndex(max(combo.findData(indicator.value_type), 0))
        combo.setEnabled(not locked)
        if locked:
            combo.setToolTip("Đã có số liệu đơn vị báo cáo: không đổi được kiểu")
        combo.currentIndexChanged.connect(self._on_task_field_changed)
        self.indicator_table.setCellWidget(row, 2, combo)
        if indicator.id is None and not self._loading:
            self.indicator_table.setCurrentCell(row, 0)
            self.indicator_table.editItem(name)

    def remove_indicator(self) -> None:
        row = self.indicator_table.currentRow()
        task = self.current_task()
        if row < 0 or task is None:
            return
        ind_id = self.indicator_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if ind_id in task.used_indicators:
            self.show_error(f"Chỉ tiêu «{self.indicator_table.item(row, 0).text()}» đã có số liệu đơn vị báo cáo, "
                            "không xóa được.", "indicators")
            return
        self.indicator_table.removeRow(row)
        self._on_task_field_changed()

    def _read_indicators(self, task: data.TaskDraft) -> list[data.IndicatorDraft]:
        result = []
        for row in range(self.indicator_table.rowCount()):
            name_item = self.indicator_table.item(row, 0)
            measure_item = self.indicator_table.item(row, 1)
            combo = self.indicator_table.cellWidget(row, 2)
            name = name_item.text() if name_item else ""
            measure = measure_item.text() if measure_item else ""
            ind_id = name_item.data(Qt.ItemDataRole.UserRole) if name_item else None
            if not name.strip() and not measure.strip() and ind_id is None:
                continue  # an empty row left at the end
            result.append(data.IndicatorDraft(name, measure, combo.currentData() if combo else
                                              ValueType.INTEGER.value, ind_id))
        return result
