"""Gia hạn: a new deadline for one assignment, with reason and approving document; the original
deadline and earlier extensions stay and are shown."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.models import AssignmentState
from desktop.services import extensions
from desktop.services import operations as ops
from desktop.tracking import labels
from desktop.tracking.status import compute_status
from desktop.ui import common
from desktop.ui.dialogs.widgets import DateField, EditDialog, make_table

_HISTORY_COLUMNS = ["Ngày gia hạn", "Hạn cũ", "Hạn mới", "Lý do", "Văn bản cho phép"]


def _value_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ExtensionDialog(EditDialog):
    """Grant an extension to one assignment; Accepted when saved."""

    geometry_key = "extensionDialog"

    def __init__(self, db, assignment_id: int, today: date, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.assignment_id = assignment_id
        self.today = today
        self.setObjectName("extensionDialog")
        self.setWindowTitle("Gia hạn thực hiện nhiệm vụ")
        self._build()
        self.reload()
        common.restore_geometry(self, self.geometry_key)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        about = QGroupBox("Nhiệm vụ của đơn vị", self)
        about.setObjectName("extensionAbout")
        info = QFormLayout(about)
        self.directive_label = _value_label()
        self.task_label = _value_label()
        self.task_label.setObjectName("extensionTaskLabel")
        self.unit_label = _value_label()
        self.unit_label.setObjectName("extensionUnitLabel")
        self.original_label = _value_label()
        self.original_label.setObjectName("originalDueLabel")
        self.current_label = _value_label()
        self.current_label.setObjectName("currentDueLabel")
        self.status_label = _value_label()
        self.status_label.setObjectName("extensionStatusLabel")
        info.addRow("Văn bản:", self.directive_label)
        info.addRow("Nhiệm vụ:", self.task_label)
        info.addRow("Đơn vị:", self.unit_label)
        info.addRow("Hạn ban đầu:", self.original_label)
        info.addRow("Hạn hiện tại:", self.current_label)
        info.addRow("Tình trạng:", self.status_label)
        layout.addWidget(about)

        grant = QGroupBox("Gia hạn mới", self)
        grant.setObjectName("extensionForm")
        form = QFormLayout(grant)
        self.new_due = DateField(optional=False, default=lambda: self.today)
        self.new_due.setObjectName("newDueField")
        self.reason_edit = QPlainTextEdit(grant)
        self.reason_edit.setObjectName("extensionReasonEdit")
        self.reason_edit.setPlaceholderText("Lý do đơn vị xin gia hạn hoặc lý do gia hạn")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.doc_edit = QLineEdit(grant)
        self.doc_edit.setObjectName("approvingDocEdit")
        self.doc_edit.setPlaceholderText("Ví dụ: Công văn số 215/UBND-VHTT ngày 05/10/2024")
        self.granted_on = DateField(optional=False, default=lambda: self.today)
        self.granted_on.setObjectName("grantedOnField")
        form.addRow("Hạn mới:", self.new_due)
        form.addRow("Lý do:", self.reason_edit)
        form.addRow("Văn bản cho phép:", self.doc_edit)
        form.addRow("Ngày gia hạn:", self.granted_on)
        layout.addWidget(grant)

        history = QGroupBox("Các lần gia hạn trước", self)
        history_layout = QVBoxLayout(history)
        self.history_table = make_table(history, "extensionHistoryTable", _HISTORY_COLUMNS, stretch=(3,))
        history_layout.addWidget(self.history_table)
        layout.addWidget(history, 1)

        self.add_footer(layout)
        self.resize(720, 600)

    def field_widgets(self) -> dict[str, QWidget]:
        return {"new_due": self.new_due, "reason": self.reason_edit, "granted_on": self.granted_on}

    def reload(self) -> None:
        due_soon = self.db.settings().due_soon_days
        self.row, self.history = extensions.extension_view(self.db, self.assignment_id)
        row = self.row
        self.directive_label.setText(f"{row.directive_number} — {row.directive_title}")
        self.task_label.setText(row.task_title + (f" (kỳ {row.period})" if row.period else ""))
        self.unit_label.setText(f"{row.unit_name} ({labels.ROLE.get(row.role, row.role).lower()})")
        self.original_label.setText(labels.fmt_date(row.own_due) or "Không có hạn")
        current = labels.fmt_date(row.effective_due) or "Không có hạn"
        if self.history:
            current += f" (đã gia hạn {len(self.history)} lần)"
        self.current_label.setText(current)
        result = compute_status(row.state, row.effective_due, row.completed_on, self.today, due_soon, row.reported_on)
        text = labels.status_text(result.status.value, result.days_late, result.days_left)
        if row.state not in (AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value):
            text += f" ({labels.STATE.get(row.state, row.state).lower()})"
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {labels.STATUS_COLOR[result.status.value]}; font-weight: bold;")
        base = max(filter(None, [row.effective_due, self.today]))
        self.new_due.set_value(base + timedelta(days=7))
        self.history_table.setRowCount(len(self.history))
        for index, ext in enumerate(self.history):
            values = [labels.fmt_date(ext.granted_on), labels.fmt_date(ext.old_due), labels.fmt_date(ext.new_due),
                      ext.reason, ext.approving_doc]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.history_table.setItem(index, column, item)

    def save(self) -> bool:
        new_due, reason, doc = self.new_due.value(), self.reason_edit.toPlainText(), self.doc_edit.text()
        granted_on = self.granted_on.value()
        if granted_on and granted_on > self.today:
            self.show_error("Ngày gia hạn không được sau ngày hôm nay.", "granted_on")
            return False
        done = self.run_save(lambda s: ops.grant_extension(s, self.assignment_id, new_due, reason, doc,
                                                           granted_on or self.today), "Gia hạn")
        if done is None:
            return False
        self.accept()
        return True
