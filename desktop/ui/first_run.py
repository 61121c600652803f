"""The first-run assistant (``firstRunWizard``): what kind of office, its names in the document
header (with a live preview of the header as it prints), its units (the preset's groups and its own
Excel/CSV list, previewed row by row), then straight into the first directive. It opens by itself
when the program starts on a new or empty database (:func:`offer_on_start`) and from the menu.

Nothing is written until «Hoàn tất»; the writing is ``desktop.services.office_setup.set_up_office`` (or the
demo) in one transaction. The same list import is offered from the units dialog
(:class:`UnitListImportDialog`).
"""

from __future__ import annotations

import logging
import re
import traceback
from dataclasses import fields
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.documents.form import MOTTO, NATIONAL_NAME
from desktop.documents.text import number_line, place_date_line
from desktop.services import office_setup
from desktop.services import setup as office
from desktop.services.settings import Settings
from desktop.ui import background, common
from desktop.workbooks.unit_list import UnitListError, UnitListPreview

log = logging.getLogger(__name__)

LIST_FILTER = "Danh sách đơn vị (*.xlsx *.csv);;Excel (*.xlsx);;CSV UTF-8 (*.csv)"
FIRST_INTAKE, FIRST_NEW, FIRST_LATER = "intake", "new", ""

# Header fields the officer edits: (Settings field, label, hint)
HEADER_FIELDS = [
    ("parent_agency", "Cơ quan chủ quản:", "in hoa, ví dụ ỦY BAN NHÂN DÂN PHƯỜNG GIA VIÊN"),
    ("agency", "Cơ quan ban hành:", "in hoa, ví dụ PHÒNG VĂN HÓA - XÃ HỘI"),
    ("agency_name", "Tên cơ quan trong câu văn:", "ví dụ Phòng Văn hóa - Xã hội"),
    ("place_name", "Địa danh:", "ghi trước «, ngày … tháng … năm …»"),
    ("agency_abbrev", "Ký hiệu cơ quan:", "ví dụ VHXH"),
    ("report_symbol", "Ký hiệu báo cáo:", "ví dụ BC-VHXH"),
    ("signer_name", "Người ký:", "họ và tên"),
    ("signer_title", "Chức vụ người ký:", "in hoa, ví dụ TRƯỞNG PHÒNG"),
    ("superior_name", "Cấp trên nhận báo cáo:", "Kính gửi, ví dụ Ủy ban nhân dân phường Gia Viên"),
]


# ------------------------------------------------------------------ pieces


class HeaderPreview(QFrame):
    """The two-column header of a Word document as it will print (agency | Quốc hiệu, Số | date),
    drawn small on a white page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("headerPreview")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#headerPreview { background: white; } QLabel { color: black; }")
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(16)
        self.parent_label = self._label()
        self.agency_label = self._label(bold=True, underline=True)
        self.nation_label = self._label(bold=True)
        self.motto_label = self._label(bold=True, underline=True)
        self.number_label = self._label()
        self.date_label = self._label(italic=True)
        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(self.parent_label)
        left.addWidget(self.agency_label)
        right = QVBoxLayout()
        right.setSpacing(0)
        right.addWidget(self.nation_label)
        right.addWidget(self.motto_label)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(self.number_label, 1, 0)
        grid.addWidget(self.date_label, 1, 1)
        grid.setColumnStretch(0, 4)
        grid.setColumnStretch(1, 6)
        self.nation_label.setText(NATIONAL_NAME)
        self.motto_label.setText(MOTTO)

    @staticmethod
    def _label(bold: bool = False, italic: bool = False, underline: bool = False) -> QLabel:
        label = QLabel()
        font = QFont()
        font.setFamilies(["Times New Roman", "Liberation Serif", "DejaVu Serif"])  # as printed; Linux fallbacks
        font.setPointSize(10)
        font.setBold(bold)
        font.setItalic(italic)
        font.setUnderline(underline)
        label.setFont(font)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        label.setWordWrap(True)
        label.setContentsMargins(0, 4, 0, 0)  # accents on capitals (Ủ, Ờ) rise above the font's ascent
        return label

    def show_settings(self, settings: Settings, today: date) -> None:
        self.parent_label.setText((settings.parent_agency or "").upper())
        self.agency_label.setText((settings.agency or "").upper())
        self.number_label.setText(number_line(None, settings.report_symbol))
        self.date_label.setText(place_date_line(settings.place_name, None, today.year))

    def texts(self) -> list[str]:
        return [w.text() for w in (self.parent_label, self.agency_label, self.nation_label, self.motto_label,
                                   self.number_label, self.date_label)]


class UnitListTable(QTableWidget):
    """A unit list's rows as read, the bad ones in red with their errors."""

    HEADERS = ["Dòng", "Mã", "Tên đơn vị", "Nhóm", "Người liên hệ", "Điện thoại", "Kiểm tra"]

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(self.HEADERS), parent)
        self.setObjectName("unitListPreview")
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)  # the errors: what the officer must read
        self.verticalHeader().setDefaultSectionSize(22)

    def show_preview(self, preview: UnitListPreview | None) -> None:
        # the rows to correct first: a list of 60 good lines must not hide its two bad ones
        rows = sorted(preview.rows, key=lambda r: (r.ok, r.line)) if preview else []
        self.setRowCount(len(rows))
        red = QColor("#b71c1c")
        for i, row in enumerate(rows):
            check = "; ".join(row.errors) if row.errors else ("Hợp lệ" + (" — " + " ".join(row.notes) if row.notes else ""))
            for j, value in enumerate([str(row.line), row.code, row.name, row.group, row.contact_person, row.phone,
                                       check]):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if row.errors:
                    item.setForeground(red)
                self.setItem(i, j, item)


def choose_unit_list(parent: QWidget | None) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Chọn danh sách đơn vị (Excel hoặc CSV)", "", LIST_FILTER)
    return path or None


class UnitListImportDialog(QDialog):
    """«Nhập danh sách đơn vị từ Excel/CSV» from the units dialog: preview, then write on «Nhập»."""

    def __init__(self, db, path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setObjectName("unitListImportDialog")
        self.setWindowTitle("Nhập danh sách đơn vị")
        self.preview: UnitListPreview | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("unitListSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = UnitListTable(self)
        layout.addWidget(self.table, 1)
        note = QLabel("Chưa ghi gì vào dữ liệu cho đến khi bấm «Nhập». Các dòng có lỗi được bỏ qua; sửa tệp rồi nhập "
                      "lại các dòng đó sau.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = common.ok_cancel(self, "Nhập")
        layout.addWidget(self.buttons)
        self.resize(900, 520)
        try:
            self.preview = office.preview_unit_list(db, path)
        except UnitListError as exc:
            self.summary.setText(exc.message)
        if self.preview is not None:
            self.summary.setText(f"«{self.preview.file_name}»: {self.preview.summary()}")
            self.table.show_preview(self.preview)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.preview and self.preview.good_rows))

    def accept(self) -> None:
        try:
            preview = self.preview
            background.run_save(self, lambda: office.import_unit_list(self.db, preview))
        except Exception as exc:  # noqa: BLE001 - told to the officer; the transaction rolled back
            common.error(self, f"Chưa nhập được danh sách: {getattr(exc, 'message', exc)}",
                         details=traceback.format_exc())
            return
        super().accept()


def import_unit_list(parent: QWidget, db) -> bool:
    """Choose a file, preview it, import on confirmation. True when units were written."""
    path = choose_unit_list(parent)
    if not path:
        return False
    dialog = UnitListImportDialog(db, path, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


# ------------------------------------------------------------------ the wizard


class _KindPage(QWizardPage):
    def __init__(self, wizard: "FirstRunWizard"):
        super().__init__(wizard)
        self.setTitle("Cơ quan của anh/chị")
        self.setSubTitle("Chọn loại cơ quan. Tên cơ quan, danh sách đơn vị đều sửa được ở các bước sau và về sau.")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for preset in wizard.presets.values():
            button = QRadioButton(preset.label, self)
            button.setObjectName(f"preset_{preset.key}")
            text = QLabel(preset.description, self)
            text.setWordWrap(True)
            text.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(button)
            layout.addWidget(text)
            self.group.addButton(button)
            self.buttons[preset.key] = button
        demo = QRadioButton("Mở dữ liệu mẫu", self)
        demo.setObjectName("preset_demo")
        demo_text = QLabel("Dữ liệu mẫu của Phòng Văn hóa và Thông tin quận Ngô Quyền năm 2024 với ba văn bản chỉ "
                           "đạo và kết quả của các đơn vị: để xem thử chương trình.", self)
        demo_text.setWordWrap(True)
        demo_text.setContentsMargins(24, 0, 0, 8)
        if not wizard.database_empty:
            demo.setEnabled(False)
            demo_text.setText(demo_text.text() + " (Chỉ mở được trên cơ sở dữ liệu trống.)")
        layout.addWidget(demo)
        layout.addWidget(demo_text)
        layout.addStretch(1)
        self.group.addButton(demo)
        self.buttons[office_setup.DEMO_KEY] = demo
        self.buttons["phuong"].setChecked(True)
        self.group.buttonToggled.connect(lambda *_: wizard.preset_changed())

    def choice(self) -> str:
        return next(k for k, b in self.buttons.items() if b.isChecked())

    def nextId(self) -> int:
        return -1 if self.choice() == office_setup.DEMO_KEY else FirstRunWizard.PAGE_HEADER

    def isFinalPage(self) -> bool:  # noqa: N802 - Qt override
        return self.choice() == office_setup.DEMO_KEY


class _HeaderPage(QWizardPage):
    def __init__(self, wizard: "FirstRunWizard"):
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle("Tiêu đề văn bản")
        self.setSubTitle("Tên cơ quan như in trên báo cáo và công văn. Khung dưới cho thấy tiêu đề khi in.")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.place_edit = QLineEdit(self)
        self.place_edit.setObjectName("placeNameEdit")
        self.place_label = QLabel("Tên phường/xã:")
        form.addRow(self.place_label, self.place_edit)
        self.edits: dict[str, QLineEdit] = {}
        for name, label, hint in HEADER_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"header_{name}")
            edit.setPlaceholderText(hint)
            edit.textChanged.connect(lambda _t: self.update_preview())
            form.addRow(label, edit)
            self.edits[name] = edit
        layout.addLayout(form)
        self.preview = HeaderPreview(self)
        layout.addWidget(QLabel("Tiêu đề khi in:"))
        layout.addWidget(self.preview)
        self.place_edit.textChanged.connect(self._place_edited)

    def fill(self, settings: Settings, place_kind: str) -> None:
        self.place_label.setText(f"Tên {place_kind or 'địa phương'}:")
        for name, edit in self.edits.items():
            edit.setText(str(getattr(settings, name)))
        self.update_preview()

    def _place_edited(self, text: str) -> None:
        preset = self.wizard_.preset()
        if preset is not None:  # naming the ward fills it into every header field
            self.fill(preset.settings(text), preset.place_kind)

    def settings(self) -> Settings:
        base = self.wizard_.base_settings()
        for name, edit in self.edits.items():
            setattr(base, name, " ".join(edit.text().split()))
        return base

    def update_preview(self) -> None:
        self.preview.show_settings(self.settings(), self.wizard_.today)


class _UnitsPage(QWizardPage):
    def __init__(self, wizard: "FirstRunWizard"):
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle("Đơn vị")
        self.setSubTitle("Các nhóm đơn vị của mẫu, và danh sách đơn vị của cơ quan từ Excel hoặc CSV (cột Mã, Tên đơn "
                         "vị, Nhóm; có thể thêm Người liên hệ, Điện thoại, Email, Tên khác).")
        layout = QVBoxLayout(self)
        self.groups_label = QLabel(self)
        self.groups_label.setObjectName("presetGroupsLabel")
        self.groups_label.setWordWrap(True)
        layout.addWidget(self.groups_label)
        self.preset_units = QCheckBox(self)
        self.preset_units.setObjectName("presetUnitsCheck")
        layout.addWidget(self.preset_units)
        row = QHBoxLayout()
        self.import_button = QPushButton("Nhập danh sách từ Excel/CSV…", self)
        self.import_button.setObjectName("importUnitListButton")
        self.clear_button = QPushButton("Bỏ danh sách", self)
        self.clear_button.setObjectName("clearUnitListButton")
        row.addWidget(self.import_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.summary = QLabel("Chưa chọn danh sách. Có thể bỏ qua và thêm đơn vị sau ở Công cụ → Danh mục đơn vị.", self)
        self.summary.setObjectName("unitListSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = UnitListTable(self)
        layout.addWidget(self.table, 1)
        self._path: str | None = None
        self.import_button.clicked.connect(self.choose_file)
        self.clear_button.clicked.connect(self._clear)
        # the sample units' codes are checked against the list: read it again when they come or go
        self.preset_units.toggled.connect(lambda _on: self._path and self.load_file(self._path))

    def _clear(self) -> None:
        self._path = None
        self.set_preview(None)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        preset = self.wizard_.preset()
        if preset is None:
            return
        groups = ", ".join(g.name for g in preset.groups)
        self.groups_label.setText(f"Nhóm đơn vị của mẫu: {groups}.")
        count = len(preset.units)
        self.preset_units.setVisible(count > 0)
        act = re.search(r"Nghị quyết số \S+", preset.source)
        self.preset_units.setText(f"Thêm {count} đơn vị có sẵn của mẫu" + (f" (theo {act.group(0)})" if act else ""))
        self.preset_units.setToolTip(preset.source)
        self.preset_units.setChecked(self.wizard_.unit_list is None or preset.key == "so")

    def choose_file(self) -> None:
        path = choose_unit_list(self)
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        preset = self.wizard_.preset()
        self._path = path
        if preset is not None and preset.key != "so" and self.wizard_.unit_list is None:
            # The office's own list replaces the preset's sample units (the city keeps its communes).
            self.preset_units.blockSignals(True)
            self.preset_units.setChecked(False)
            self.preset_units.blockSignals(False)
        known = [g.name for g in preset.groups] if preset else []
        codes = [u.code for u in preset.units] if preset and self.preset_units.isChecked() else []
        try:
            preview = office.preview_unit_list(self.wizard_.db, path, known_groups=known, known_codes=codes)
        except UnitListError as exc:
            self.set_preview(None)
            self.summary.setText(exc.message)
            return
        self.set_preview(preview)

    def set_preview(self, preview: UnitListPreview | None) -> None:
        self.wizard_.unit_list = preview
        self.table.show_preview(preview)
        if preview is None:
            self.summary.setText("Chưa chọn danh sách.")
        else:
            self.summary.setText(f"«{preview.file_name}»: {preview.summary()} Chưa ghi gì cho đến khi bấm «Hoàn tất».")


class _FirstDirectivePage(QWizardPage):
    def __init__(self, wizard: "FirstRunWizard"):
        super().__init__(wizard)
        self.setTitle("Văn bản chỉ đạo đầu tiên")
        self.setSubTitle("Bấm «Hoàn tất» để lưu. Sau đó chương trình mở ngay việc anh/chị chọn dưới đây.")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.intake = QRadioButton("Đọc văn bản chỉ đạo… (từ tệp .docx, .pdf hoặc nội dung dán vào: chương trình đề "
                                   "xuất nhiệm vụ, đơn vị, thời hạn)", self)
        self.intake.setObjectName("firstIntake")
        self.new = QRadioButton("Thêm văn bản… (nhập tay số ký hiệu, trích yếu và các nhiệm vụ)", self)
        self.new.setObjectName("firstNewDirective")
        self.later = QRadioButton("Để sau", self)
        self.later.setObjectName("firstLater")
        for b in (self.intake, self.new, self.later):
            b.setStyleSheet("QRadioButton { padding: 4px; }")
            self.group.addButton(b)
            layout.addWidget(b)
        self.intake.setChecked(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("firstRunSummary")
        self.summary.setWordWrap(True)
        layout.addSpacing(12)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        wizard: FirstRunWizard = self.wizard()
        settings = wizard.header_page.settings()
        lines = [f"Tiêu đề: {settings.parent_agency} / {settings.agency}."]
        preset = wizard.preset()
        if preset is not None:
            lines.append(f"Nhóm đơn vị của mẫu: {len(preset.groups)}"
                         + (f"; đơn vị có sẵn: {len(preset.units)}" if wizard.units_page.preset_units.isChecked() else "")
                         + ".")
        if wizard.unit_list is not None:
            lines.append(f"Danh sách «{wizard.unit_list.file_name}»: {wizard.unit_list.summary()}")
        self.summary.setText("\n".join(lines))

    def choice(self) -> str:
        if self.intake.isChecked():
            return FIRST_INTAKE
        if self.new.isChecked():
            return FIRST_NEW
        return FIRST_LATER


class FirstRunWizard(QWizard):
    """``exec()``/``open()``; on «Hoàn tất» the database is set up (or the demo built) and
    ``finished_setup`` is emitted with the first step chosen (``FIRST_INTAKE``, ``FIRST_NEW``, ``""``)
    and whether the demo was built."""

    PAGE_KIND, PAGE_HEADER, PAGE_UNITS, PAGE_FIRST = range(4)
    finished_setup = Signal(str, bool)

    def __init__(self, db, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.setObjectName("firstRunWizard")
        self.setWindowTitle("Bắt đầu — Theo dõi nhiệm vụ")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.WizardButton.NextButton, "Tiếp >"), (QWizard.WizardButton.BackButton, "< Quay lại"),
                             (QWizard.WizardButton.FinishButton, "Hoàn tất"), (QWizard.WizardButton.CancelButton, "Hủy")):
            self.setButtonText(button, text)
        self.presets = {p.key: p for p in office_setup.all_presets()}
        self.database_empty, self.current_settings = office.office_state(db)
        self.unit_list: UnitListPreview | None = None
        self.first_step = FIRST_LATER
        self.built_demo = False
        self.kind_page = _KindPage(self)
        self.header_page = _HeaderPage(self)
        self.units_page = _UnitsPage(self)
        self.first_page = _FirstDirectivePage(self)
        self.setPage(self.PAGE_KIND, self.kind_page)
        self.setPage(self.PAGE_HEADER, self.header_page)
        self.setPage(self.PAGE_UNITS, self.units_page)
        self.setPage(self.PAGE_FIRST, self.first_page)
        self.resize(860, 640)
        self.preset_changed()
        if not self.database_empty:  # from the menu on a working database: start from its own header
            self.header_page.place_edit.clear()
            self.header_page.fill(self.current_settings, self.preset().place_kind)

    def preset(self) -> office_setup.Preset | None:
        return self.presets.get(self.kind_page.choice())

    def base_settings(self) -> Settings:
        """Settings the header page does not show (due-soon days, backups …) are kept as they are."""
        result = Settings()
        for f in fields(Settings):
            setattr(result, f.name, getattr(self.current_settings, f.name))
        return result

    def preset_changed(self) -> None:
        preset = self.preset()
        if preset is None:
            return
        self.header_page.place_edit.setText(preset.default_place)
        self.header_page.fill(preset.settings(preset.default_place), preset.place_kind)

    def accept(self) -> None:
        choice = self.kind_page.choice()
        try:
            if choice == office_setup.DEMO_KEY:
                from desktop.services.demo import build_demo

                background.run_save(self, lambda: build_demo(self.db), "Đang tạo dữ liệu mẫu…")
                self.built_demo = True
            else:
                preset = self.presets[choice]
                settings, unit_list = self.header_page.settings(), self.unit_list
                with_preset_units = self.units_page.preset_units.isChecked()
                background.run_save(self, lambda: office.set_up_office(
                    self.db, preset, settings, unit_list, include_preset_units=with_preset_units))
                self.first_step = self.first_page.choice()
        except Exception as exc:  # noqa: BLE001 - one transaction: nothing was kept; say why
            log.exception("first-run setup failed")
            common.error(self, f"Chưa lưu được: {getattr(exc, 'message', exc)}", details=traceback.format_exc())
            return
        super().accept()
        self.finished_setup.emit(self.first_step, self.built_demo)


# ------------------------------------------------------------------ entry points


def _after_setup(window, first_step: str, built_demo: bool) -> None:
    if built_demo:
        from desktop.services.demo import DEMO_TODAY

        window.today = DEMO_TODAY  # the demo's statuses are told relative to its own day
        window.form.set_today(DEMO_TODAY, window.due_soon_days)
    window._tree_expanded_once = False  # the new units shown unfolded, as on a first start
    window._load_directives()
    window.reload_all()
    if first_step == FIRST_INTAKE:
        QTimer.singleShot(0, window.intake_directive)
    elif first_step == FIRST_NEW:
        QTimer.singleShot(0, window.new_directive)


def open_wizard(window, db) -> FirstRunWizard:
    """Show the assistant over the main window without blocking (window-modal)."""
    wizard = FirstRunWizard(db, window, today=getattr(window, "today", None))
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    wizard.finished_setup.connect(lambda step, demo: _after_setup(window, step, demo))
    wizard.open()
    return wizard


def run_first_run(window, db) -> FirstRunWizard:
    """The menu's «Trợ lý bắt đầu…»."""
    return open_wizard(window, db)


def offer_on_start(window, db) -> FirstRunWizard | None:
    """At start-up: the assistant when the database holds no unit and no directive."""
    if not hasattr(window, "reload_all"):
        return None  # not the main window (a placeholder in tests of the start-up path)
    if not office.is_empty(db):
        return None
    log.info("empty database: first-run assistant")
    return open_wizard(window, db)


def current_wizard(window) -> FirstRunWizard | None:
    return window.findChild(FirstRunWizard, "firstRunWizard")
