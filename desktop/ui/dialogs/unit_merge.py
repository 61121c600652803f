"""«Sáp nhập đơn vị»: the unit that receives a merged one, and the date of the merger."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui import common
from desktop.ui.dialogs import data
from desktop.ui.dialogs.widgets import DateField


class MergeTargetDialog(QDialog):
    """Choose the unit that receives the merged one, and the date of the merger."""

    def __init__(self, source: data.UnitRow, candidates: list[data.UnitRow], today: date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mergeTargetDialog")
        self.setWindowTitle("Sáp nhập đơn vị")
        layout = QVBoxLayout(self)
        intro = QLabel(f"Sáp nhập «{source.name}» vào đơn vị:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.target = QComboBox(self)
        self.target.setObjectName("mergeTargetCombo")
        for unit in candidates:
            self.target.addItem(unit.name, unit.id)
        self.on = DateField(optional=False, default=lambda: today)
        self.on.setObjectName("mergeDate")
        form.addRow("Đơn vị nhận sáp nhập:", self.target)
        form.addRow("Ngày sáp nhập:", self.on)
        layout.addLayout(form)
        layout.addWidget(common.ok_cancel(self))

    def accept(self) -> None:
        message = self.on.error_message()
        if message:  # a date typed wrong is said, never replaced by today's
            common.warn(self, f"Ngày sáp nhập: {message}")
            self.on.setFocus()
            return
        super().accept()
