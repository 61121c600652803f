"""The intake wizard's two pages, layout only: the source (open a file, drop it, or paste the
text) and the review (the directive's fields; its text beside the proposed tasks and the editor
of the selected one). ``IntakePagesMixin`` is mixed into ``desktop.ui.intake_wizard.IntakeWizard``,
whose methods the buttons and fields are connected to.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.tracking import labels
from desktop.ui.dialogs.unit_picker import UnitChecklist
from desktop.ui.dialogs.widgets import DateField, RecurrencePicker

FILE_FILTER = "Văn bản (*.docx *.pdf *.txt);;Mọi tệp (*)"
COLUMNS = ["Tạo", "Nhiệm vụ", "Đơn vị", "Bắt đầu", "Hạn", "Hạn báo cáo", "Định kỳ"]
COL_INCLUDE, COL_TITLE, COL_UNITS, COL_START, COL_DUE, COL_REPORT, COL_RECURRENCE = range(7)
EVIDENCE_COLOR = QColor("#FFF59D")
DATE_COLOR = QColor("#A5D6A7")
# How sure the reader is of a proposed field: a guess is shown as one, for the officer to check.
CHECK_COLOR = {"medium": QColor("#FFE082"), "low": QColor("#FFCDD2")}
CHECK_TIP = {"medium": "Đề xuất suy ra từ văn bản (đoán): hãy kiểm tra lại.",
             "low": "Chưa đọc được chắc chắn: hãy điền hoặc kiểm tra."}
COLUMN_FIELD = {COL_TITLE: "summary", COL_UNITS: "units", COL_START: "start_date", COL_DUE: "due_date",
                 COL_REPORT: "report_due_date", COL_RECURRENCE: "recurrence"}


class IntakePagesMixin:
    """Builds the wizard's pages onto the wizard (``self``)."""

    def _build_source_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        intro = QLabel("Chọn tệp văn bản chỉ đạo (.docx, .pdf có chữ, .txt), kéo thả tệp vào cửa sổ này, hoặc dán nội "
                       "dung văn bản vào ô dưới. "
                       "Chương trình sẽ đề xuất các nhiệm vụ, đơn vị thực hiện, vai trò và thời hạn để anh/chị "
                       "kiểm tra, sửa rồi mới tạo.", page)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.open_button = QPushButton("Mở tệp văn bản…", page)
        self.open_button.setObjectName("openFileButton")
        self.open_button.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.paste_edit = QPlainTextEdit(page)
        self.paste_edit.setObjectName("pasteEdit")
        self.paste_edit.setPlaceholderText("Hoặc dán nội dung văn bản vào đây (sao chép từ PDF, trang web, Zalo…)")
        layout.addWidget(self.paste_edit, 1)
        row = QHBoxLayout()
        self.read_button = QPushButton("Đọc nội dung đã dán", page)
        self.read_button.setObjectName("readTextButton")
        self.read_button.clicked.connect(self.read_pasted)
        row.addStretch(1)
        row.addWidget(self.read_button)
        layout.addLayout(row)
        self.status_label = QLabel("", page)
        self.status_label.setObjectName("readStatus")
        layout.addWidget(self.status_label)
        return page

    def _build_review_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        head = QGroupBox("Văn bản", page)
        form = QFormLayout(head)
        self.number_edit = QLineEdit(head)
        self.number_edit.setObjectName("numberEdit")
        self.number_edit.setPlaceholderText("ví dụ 234/KH-UBND")
        self.issued_on = DateField(optional=True, empty_text="chưa rõ", parent=head)
        self.issued_on.setObjectName("issuedOn")
        self.issuer_edit = QLineEdit(head)
        self.issuer_edit.setObjectName("issuerEdit")
        self.type_combo = QComboBox(head)
        self.type_combo.setObjectName("typeCombo")
        for code, label in labels.DIRECTIVE_TYPE.items():
            self.type_combo.addItem(label, code)
        self.title_edit = QLineEdit(head)
        self.title_edit.setObjectName("titleEdit")
        first = QHBoxLayout()
        first.addWidget(self.number_edit, 2)
        first.addWidget(QLabel("Ngày ban hành:"))
        first.addWidget(self.issued_on)
        first.addWidget(QLabel("Loại:"))
        first.addWidget(self.type_combo)
        form.addRow("Số ký hiệu:", first)
        form.addRow("Cơ quan ban hành:", self.issuer_edit)
        form.addRow("Trích yếu:", self.title_edit)
        layout.addWidget(head)

        splitter = QSplitter(Qt.Orientation.Horizontal, page)
        splitter.setObjectName("intakeSplitter")
        source_box = QGroupBox("Nội dung văn bản (câu của nhiệm vụ đang chọn được tô vàng, ngày tháng tô xanh)",
                               splitter)
        source_layout = QVBoxLayout(source_box)
        self.source_view = QPlainTextEdit(source_box)
        self.source_view.setObjectName("sourceView")
        self.source_view.setReadOnly(True)
        font = QFont("Times New Roman")
        font.setPointSize(12)
        self.source_view.setFont(font)
        source_layout.addWidget(self.source_view)
        splitter.addWidget(source_box)

        right = QSplitter(Qt.Orientation.Vertical, splitter)
        table_box = QGroupBox("Nhiệm vụ đề xuất (bỏ dấu ở cột «Tạo» để không tạo)", right)
        table_layout = QVBoxLayout(table_box)
        self.table = QTableWidget(0, len(COLUMNS), table_box)
        self.table.setObjectName("proposalTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for col in (COL_INCLUDE, COL_START, COL_DUE, COL_REPORT):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(COL_UNITS, 180)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemChanged.connect(self._on_table_item_changed)
        table_layout.addWidget(self.table)
        self.count_label = QLabel("", table_box)
        self.count_label.setObjectName("proposalCount")
        table_layout.addWidget(self.count_label)
        right.addWidget(table_box)

        editor = QGroupBox("Nhiệm vụ đang chọn", right)
        editor_layout = QVBoxLayout(editor)
        eform = QFormLayout()
        self.summary_edit = QLineEdit(editor)
        self.summary_edit.setObjectName("taskTitle")
        self.summary_edit.textEdited.connect(self._on_editor_changed)
        eform.addRow("Tên nhiệm vụ:", self.summary_edit)
        dates = QHBoxLayout()
        self.start_field = DateField(optional=True, empty_text="không có", parent=editor)
        self.start_field.setObjectName("startDate")
        self.due_field = DateField(optional=True, empty_text="không có hạn", parent=editor)
        self.due_field.setObjectName("dueDate")
        self.report_field = DateField(optional=True, empty_text="không có", parent=editor)
        self.report_field.setObjectName("reportDate")
        for label, widget in (("Bắt đầu:", self.start_field), ("Hạn:", self.due_field),
                              ("Hạn báo cáo:", self.report_field)):
            dates.addWidget(QLabel(label))
            dates.addWidget(widget)
        eform.addRow("Thời gian:", dates)
        rec = QHBoxLayout()
        self.recurring_check = QCheckBox("Báo cáo định kỳ", editor)
        self.recurring_check.setObjectName("recurringCheck")
        self.recurrence = RecurrencePicker(editor)
        self.recurrence.setObjectName("recurrencePicker")
        rec.addWidget(self.recurring_check)
        rec.addWidget(self.recurrence, 1)
        eform.addRow("", rec)
        self.recurrence_label = QLabel("", editor)
        self.recurrence_label.setObjectName("recurrenceText")
        eform.addRow("", self.recurrence_label)
        editor_layout.addLayout(eform)
        for widget in (self.start_field, self.due_field, self.report_field, self.recurrence):
            widget.changed.connect(self._on_editor_changed)
        self.recurring_check.toggled.connect(self._on_editor_changed)
        self.unmatched_label = QLabel("", editor)
        self.unmatched_label.setObjectName("unmatchedLabel")
        self.unmatched_label.setWordWrap(True)
        self.unmatched_label.setStyleSheet("color: #8D6E00;")
        editor_layout.addWidget(self.unmatched_label)
        self.checklist = UnitChecklist(editor)
        self.checklist.set_units(self.unit_rows)
        self.checklist.changed.connect(self._on_editor_changed)
        editor_layout.addWidget(self.checklist, 1)
        right.addWidget(editor)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        return page
