"""«Sắp xếp đơn vị hành chính (01/7/2025)…»: an office that kept the district's wards merges each old
ward into its new ward in one step, from a mapping file (Excel or CSV: «Đơn vị cũ», «Đơn vị mới»),
previewed before anything is written (``desktop.services.reorganisation``)."""

from __future__ import annotations

import traceback
from datetime import date

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services import reorganisation
from desktop.services import units as units_service
from desktop.tracking.labels import fmt_date
from desktop.ui import background, common
from desktop.ui.dialogs.widgets import DateField
from desktop.workbooks.unit_list import UnitListError

MAPPING_FILTER = "Bảng chuyển đổi (*.xlsx *.csv)"
REORGANISATION_DAY = date(2025, 7, 1)


class ReorganisationDialog(QDialog):
    """``exec()`` returns Accepted when the units were merged."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.rows: list[tuple[int, str, str]] = []
        self.plan: reorganisation.Plan | None = None
        self.setObjectName("reorganisationDialog")
        self.setWindowTitle("Sắp xếp đơn vị hành chính")
        layout = QVBoxLayout(self)
        intro = QLabel("Mỗi đơn vị cũ được sáp nhập vào đơn vị mới từ ngày có hiệu lực: đơn vị cũ được lưu trữ cùng "
                       "lịch sử; nhiệm vụ đang thực hiện có hạn từ ngày đó chuyển sang đơn vị mới; kết quả đã có và "
                       "nhiệm vụ của kỳ trước vẫn tính cho đơn vị cũ. Bảng chuyển đổi (Excel hoặc CSV) có hai cột "
                       "«Đơn vị cũ» (mã hoặc tên) và «Đơn vị mới».", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        row = QHBoxLayout()
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("mappingFileEdit")
        self.file_edit.setReadOnly(True)
        self.choose_button = QPushButton("Chọn tệp…", self)
        self.choose_button.setObjectName("chooseMappingButton")
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.choose_button)
        form.addRow("Bảng chuyển đổi:", row)
        self.date_field = DateField(optional=False, default=lambda: REORGANISATION_DAY)
        self.date_field.setObjectName("reorganisationDate")
        self.date_field.set_value(REORGANISATION_DAY)
        form.addRow("Ngày có hiệu lực:", self.date_field)
        layout.addLayout(form)
        self.summary = QLabel(self)
        self.summary.setObjectName("reorganisationSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("reorganisationPreview")
        self.table.setHorizontalHeaderLabels(["Dòng", "Đơn vị cũ", "Đơn vị mới", "Nhiệm vụ chuyển / giữ lại",
                                              "Kiểm tra"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.buttons = common.button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Sáp nhập")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.choose_button.clicked.connect(self.choose_file)
        self.date_field.changed.connect(self.refresh)
        self.resize(900, 520)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn bảng chuyển đổi", "", MAPPING_FILTER)
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        self.file_edit.setText(path)
        try:
            self.rows = reorganisation.read_mapping(path)
        except UnitListError as exc:
            self.rows = []
            self.plan = None
            self.summary.setText(exc.message)
            self.table.setRowCount(0)
            self.ok_button.setEnabled(False)
            return
        self.refresh()

    def refresh(self) -> None:
        if not self.rows:
            return
        on = self.date_field.value() or REORGANISATION_DAY
        self.plan = units_service.reorganisation_plan(self.db, self.rows, on)
        steps = sorted(self.plan.steps, key=lambda st: (not st.errors, st.line))
        self.table.setRowCount(len(steps))
        red = QColor("#b71c1c")
        for i, step in enumerate(steps):
            values = [str(step.line), step.old_name or step.old_text, step.new_name,
                      "" if step.errors else f"{step.moves} / {step.stays}",
                      "; ".join(step.errors) or "Hợp lệ"]
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if step.errors:
                    item.setForeground(red)
                self.table.setItem(i, j, item)
        text = f"{len(self.plan.steps)} đơn vị cũ sáp nhập từ ngày {fmt_date(on)}"
        if self.plan.new_units:
            text += f"; đơn vị mới sẽ tạo: {', '.join(self.plan.new_units)}"
        if not self.plan.ok:
            text += ". Còn dòng lỗi: sửa bảng chuyển đổi rồi chọn lại; chưa sáp nhập đơn vị nào"
        self.summary.setText(text + ".")
        self.ok_button.setEnabled(self.plan.ok)

    def accept(self) -> None:
        if self.plan is None or not self.plan.ok:
            return
        try:
            rows, on = self.rows, self.plan.on  # planned again as the database is now
            self.plan = background.run_save(self, lambda: units_service.reorganise(self.db, rows, on))
        except Exception as exc:  # noqa: BLE001 - one transaction: nothing was merged; say why
            common.error(self, f"Chưa sáp nhập được: {getattr(exc, 'message', exc)}", details=traceback.format_exc())
            return
        super().accept()


def reorganise_units(window, db) -> bool:
    """The menu's «Sắp xếp đơn vị hành chính (01/7/2025)…»."""
    return common.exec_and_reload(window, ReorganisationDialog(db, window))
