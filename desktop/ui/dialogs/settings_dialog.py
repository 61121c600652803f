"""Cài đặt: agency names, place name, signer, document symbols, due-soon days, backups."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import Settings
from desktop.ui import common
from desktop import editing as edits
from desktop.ui.dialogs.widgets import EditDialog

# (field, label, hint) per group, in the order shown.
GROUPS: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("Cơ quan", [
        ("parent_agency", "Cơ quan chủ quản:", "In hoa, ví dụ: UBND QUẬN NGÔ QUYỀN"),
        ("agency", "Cơ quan ban hành:", "In hoa, ví dụ: PHÒNG VĂN HÓA VÀ THÔNG TIN"),
        ("agency_name", "Tên trong văn bản:", "Tên cơ quan viết thường trong câu văn"),
        ("agency_abbrev", "Ký hiệu cơ quan:", "Ví dụ: VHTT"),
        ("place_name", "Địa danh:", "Trong dòng «Ngô Quyền, ngày … tháng … năm …»"),
        ("superior_name", "Nơi nhận báo cáo (Kính gửi):", "Ví dụ: Ủy ban nhân dân quận Ngô Quyền"),
    ]),
    ("Người ký", [
        ("signer_name", "Người ký:", "Họ và tên"),
        ("signer_title", "Chức vụ:", "In hoa, ví dụ: PHÓ TRƯỞNG PHÒNG"),
        ("signer_authority", "Quyền hạn ký:", "Ví dụ: KT. TRƯỞNG PHÒNG; để trống khi Trưởng phòng ký"),
    ]),
    ("Ký hiệu văn bản", [
        ("report_symbol", "Ký hiệu báo cáo:", "Ví dụ: BC-VHTT → Số: …/BC-VHTT"),
        ("letter_symbol", "Ký hiệu công văn:", "Ví dụ: VHTT → Số: …/VHTT"),
        ("drafter_abbrev", "Đơn vị soạn thảo:", "Trong «Lưu: VT, VHTT.»"),
    ]),
]


class SettingsDialog(EditDialog):
    """Every field of ``desktop.settings.Settings``; Accepted when saved."""

    geometry_key = "settingsDialog"

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Cài đặt")
        self.edits: dict[str, QLineEdit] = {}
        self._build()
        self.reload()
        common.restore_geometry(self, self.geometry_key)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        columns = QGridLayout()
        for index, (title, rows) in enumerate(GROUPS):
            box = QGroupBox(title, self)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for name, label, hint in rows:
                edit = QLineEdit(box)
                edit.setObjectName(f"setting_{name}")
                edit.setPlaceholderText(hint)
                edit.setToolTip(hint)
                edit.textChanged.connect(self._update_preview)
                self.edits[name] = edit
                form.addRow(label, edit)
            columns.addWidget(box, 0 if index == 0 else 1, 0 if index < 2 else 1, 1, 2 if index == 0 else 1)
        tracking = QGroupBox("Theo dõi và sao lưu", self)
        form = QFormLayout(tracking)
        self.due_soon_spin = QSpinBox(tracking)
        self.due_soon_spin.setObjectName("setting_due_soon_days")
        self.due_soon_spin.setRange(0, 30)
        self.due_soon_spin.setSuffix(" ngày")
        self.due_soon_spin.setToolTip("Nhiệm vụ còn từ số ngày này trở xuống thì hiện là «sắp đến hạn»")
        self.backup_spin = QSpinBox(tracking)
        self.backup_spin.setObjectName("setting_backup_keep")
        self.backup_spin.setRange(1, 100)
        self.backup_spin.setSuffix(" bản")
        self.officer_edit = QLineEdit(tracking)
        self.officer_edit.setObjectName("setting_officer_name")
        self.officer_edit.setPlaceholderText("Họ tên cán bộ theo dõi (ghi trên bảng biểu)")
        for spin in (self.due_soon_spin, self.backup_spin):
            spin.setMinimumWidth(self.fontMetrics().horizontalAdvance("100 ngày") + 40)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form.addRow("Số ngày «sắp đến hạn»:", self.due_soon_spin)
        form.addRow("Số bản sao lưu giữ lại:", self.backup_spin)
        form.addRow("Cán bộ theo dõi:", self.officer_edit)
        columns.addWidget(tracking, 2, 0, 1, 2)
        layout.addLayout(columns)

        preview_box = QGroupBox("Xem trước phần đầu và chữ ký văn bản", self)
        preview_layout = QVBoxLayout(preview_box)
        self.preview = QLabel(preview_box)
        self.preview.setObjectName("settingsPreview")
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setStyleSheet("background: white; color: black; padding: 6px;")
        preview_layout.addWidget(self.preview)
        layout.addWidget(preview_box)

        self.add_footer(layout)
        self.resize(860, 700)

    def field_widgets(self) -> dict[str, QWidget]:
        widgets: dict[str, QWidget] = dict(self.edits)
        widgets.update(due_soon_days=self.due_soon_spin, backup_keep=self.backup_spin, officer_name=self.officer_edit)
        return widgets

    def reload(self) -> None:
        self.set_values(self.db.settings())

    def set_values(self, settings: Settings) -> None:
        for name, edit in self.edits.items():
            edit.setText(getattr(settings, name))
        self.due_soon_spin.setValue(settings.due_soon_days)
        self.backup_spin.setValue(settings.backup_keep)
        self.officer_edit.setText(settings.officer_name)
        self._update_preview()

    def values(self) -> Settings:
        texts = {name: edit.text() for name, edit in self.edits.items()}
        return Settings(**texts, due_soon_days=self.due_soon_spin.value(), backup_keep=self.backup_spin.value(),
                        officer_name=self.officer_edit.text())

    def _update_preview(self, *_args) -> None:
        v = {name: escape(edit.text().strip()) for name, edit in self.edits.items()}
        year = date.today().year
        authority = f"<b>{v['signer_authority'].upper()}</b><br>" if v["signer_authority"] else ""
        self.preview.setText(
            "<table width='100%' cellspacing='0' cellpadding='2' style='font-family: \"Times New Roman\", serif;'>"
            f"<tr><td align='center'>{v['parent_agency'].upper()}<br><b>{v['agency'].upper()}</b><br>"
            f"Số: &nbsp;&nbsp;&nbsp;/{v['report_symbol']} "
            f"&nbsp;(công văn: Số: &nbsp;&nbsp;&nbsp;/{v['letter_symbol']})</td>"
            "<td align='center'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br>"
            f"<i>{v['place_name']}, ngày &nbsp;&nbsp; tháng &nbsp;&nbsp; năm {year}</i></td></tr>"
            f"<tr><td><b><i>Kính gửi:</i></b> {v['superior_name']}.<br>"
            f"<b><i>Nơi nhận:</i></b> Lưu: VT, {v['drafter_abbrev']}.</td>"
            f"<td align='center'>{authority}<b>{v['signer_title'].upper()}</b><br><br>"
            f"<b>{v['signer_name']}</b></td></tr></table>")

    def save(self) -> bool:
        settings = self.values()
        saved = self.run_save(lambda s: edits.save_checked_settings(s, settings), "Cài đặt")
        if saved is None:
            return False
        self.set_values(saved)
        self.accept()
        return True
