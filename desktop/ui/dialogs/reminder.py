"""Đôn đốc: log one chase (call, letter, message) covering several assignments."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.models import ReminderMethod
from desktop.services import operations as ops
from desktop.services import reminders
from desktop.tracking import labels
from desktop.tracking.stats import track
from desktop.tracking.status import Status
from desktop.ui import common
from desktop.ui.dialogs.widgets import DateField, EditDialog, make_table

_COLUMNS = ["Đơn vị", "Văn bản", "Nhiệm vụ", "Hạn", "Quá hạn", "Đã đôn đốc"]
ID_ROLE = Qt.ItemDataRole.UserRole


class ReminderDialog(EditDialog):
    """Log a reminder for the given assignments (each can be unticked); Accepted when saved."""

    geometry_key = "reminderDialog"

    def __init__(self, db, assignment_ids: list[int], today: date, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.assignment_ids = list(dict.fromkeys(assignment_ids))
        self.today = today
        self.setObjectName("reminderDialog")
        self.setWindowTitle("Ghi nhận đôn đốc")
        self._build()
        self.reload()
        common.restore_geometry(self, self.geometry_key)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setObjectName("reminderIntro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = make_table(self, "reminderTable", _COLUMNS, stretch=(2,))
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 1)

        box = QGroupBox("Lần đôn đốc", self)
        box.setObjectName("reminderForm")
        form = QFormLayout(box)
        self.sent_on = DateField(optional=False, default=lambda: self.today)
        self.sent_on.setObjectName("reminderDateField")
        self.method_combo = QComboBox(box)
        self.method_combo.setObjectName("reminderMethodCombo")
        for code, label in labels.REMINDER_METHOD.items():
            self.method_combo.addItem(label, code)
        self.letter_edit = QLineEdit(box)
        self.letter_edit.setObjectName("reminderLetterEdit")
        self.letter_edit.setPlaceholderText("Ví dụ: 131/VHTT")
        self.letter_edit.setMaxLength(60)
        self.note_edit = QPlainTextEdit(box)
        self.note_edit.setObjectName("reminderNoteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("Nội dung trao đổi, người nhận, hẹn ngày báo cáo…")
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        form.addRow("Ngày đôn đốc:", self.sent_on)
        form.addRow("Hình thức:", self.method_combo)
        form.addRow("Số công văn:", self.letter_edit)
        form.addRow("Ghi chú:", self.note_edit)
        self.form = form
        layout.addWidget(box)

        self.add_footer(layout)
        self.resize(900, 560)
        self.method_combo.currentIndexChanged.connect(self._on_method_changed)
        self.table.itemChanged.connect(lambda _item: self._update_intro())
        self._on_method_changed()

    def field_widgets(self) -> dict[str, QWidget]:
        return {"method": self.method_combo, "sent_on": self.sent_on, "rows": self.table}

    def reload(self) -> None:
        due_soon = self.db.settings().due_soon_days
        rows, counts = reminders.reminder_view(self.db, self.assignment_ids)
        rows.sort(key=lambda r: (r.unit_parent_id or 0, r.unit_name, r.effective_due or date.max))
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for index, tracked in enumerate(track(rows, self.today, due_soon)):
            row, result = tracked.row, tracked.result
            late = f"{result.days_late} ngày" if result.status is Status.OVERDUE and result.days_late else ""
            count, last = counts.get(row.assignment_id, (0, None))
            reminded = f"{count} lần, gần nhất {labels.fmt_date(last)}" if count else "Chưa"
            task = row.task_title + (f" (kỳ {row.period})" if row.period else "")
            due = labels.fmt_date(row.effective_due) + (" (gia hạn)" if row.extended else "")
            values = [row.unit_name, row.directive_number, task, due, late, reminded]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 4 and late:
                    item.setForeground(QBrush(QColor(labels.STATUS_COLOR[Status.OVERDUE.value])))
                self.table.setItem(index, column, item)
            first = self.table.item(index, 0)
            first.setData(ID_ROLE, row.assignment_id)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked)
        self.table.blockSignals(False)
        self.table.horizontalHeader().resizeSection(2, 320)
        self._update_intro()

    def checked_ids(self) -> list[int]:
        result = []
        for index in range(self.table.rowCount()):
            item = self.table.item(index, 0)
            if item.checkState() == Qt.CheckState.Checked:
                result.append(item.data(ID_ROLE))
        return result

    def set_checked(self, assignment_id: int, checked: bool) -> None:
        for index in range(self.table.rowCount()):
            item = self.table.item(index, 0)
            if item.data(ID_ROLE) == assignment_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _update_intro(self) -> None:
        units = {r.unit_id for r in self.rows if r.assignment_id in set(self.checked_ids())}
        self.intro.setText(f"Đôn đốc {len(self.checked_ids())}/{len(self.rows)} nhiệm vụ của {len(units)} đơn vị. "
                           "Bỏ đánh dấu những dòng không đôn đốc lần này.")

    def _on_method_changed(self, *_args) -> None:
        letter = self.method_combo.currentData() == ReminderMethod.LETTER.value
        self.form.setRowVisible(self.letter_edit, letter)

    def save(self) -> bool:
        self.clear_error()
        if not self.check_dates():
            return False
        sent_on = self.sent_on.value()
        if sent_on > self.today:
            self.show_error("Ngày đôn đốc không được sau ngày hôm nay.", "sent_on")
            return False
        ids, method = self.checked_ids(), self.method_combo.currentData()
        letter = self.letter_edit.text() if method == ReminderMethod.LETTER.value else ""
        note = self.note_edit.toPlainText()
        if not ids:
            self.show_error("Chưa chọn nhiệm vụ nào để đôn đốc.", "rows")
            return False
        done = self.run_save(lambda s: ops.log_reminder(s, ids, sent_on, method, letter, note), "Đôn đốc")
        if done is None:
            return False
        self.accept()
        return True
