"""Small shared UI helpers: Vietnamese message boxes and standard button texts.

Qt ships no Vietnamese translation (no ``qtbase_vi.qm``), so every standard button text is set here.
Tests monkeypatch :func:`ask`, :func:`ask_save`, :func:`info`, :func:`error` and :func:`warn` so no modal
dialog ever blocks; call them through the module (``common.ask(...)``) so the patch takes effect.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QMessageBox, QWidget

APP_TITLE = "Theo dõi nhiệm vụ"
SETTINGS_ORG = "TheoDoiNhiemVu"
SETTINGS_APP = "TheoDoiNhiemVu"

# Vietnamese texts for the standard buttons used anywhere in the application.
BUTTON_TEXT: dict[QDialogButtonBox.StandardButton, str] = {
    QDialogButtonBox.StandardButton.Ok: "Đồng ý",
    QDialogButtonBox.StandardButton.Cancel: "Hủy",
    QDialogButtonBox.StandardButton.Yes: "Có",
    QDialogButtonBox.StandardButton.No: "Không",
    QDialogButtonBox.StandardButton.Save: "Lưu",
    QDialogButtonBox.StandardButton.Discard: "Không lưu",
    QDialogButtonBox.StandardButton.Close: "Đóng",
    QDialogButtonBox.StandardButton.Apply: "Áp dụng",
    QDialogButtonBox.StandardButton.Reset: "Đặt lại",
    QDialogButtonBox.StandardButton.RestoreDefaults: "Khôi phục mặc định",
    QDialogButtonBox.StandardButton.Help: "Trợ giúp",
    QDialogButtonBox.StandardButton.Open: "Mở",
    QDialogButtonBox.StandardButton.Abort: "Hủy bỏ",
    QDialogButtonBox.StandardButton.Retry: "Thử lại",
    QDialogButtonBox.StandardButton.Ignore: "Bỏ qua",
    QDialogButtonBox.StandardButton.YesToAll: "Có tất cả",
    QDialogButtonBox.StandardButton.NoToAll: "Không tất cả",
    QDialogButtonBox.StandardButton.SaveAll: "Lưu tất cả",
}


def translate_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    """Set Vietnamese texts on every standard button of ``box``; returns ``box`` for chaining."""
    for standard, text in BUTTON_TEXT.items():
        button = box.button(standard)
        if button is not None:
            button.setText(text)
    return box


def button_box(
    buttons: QDialogButtonBox.StandardButton,
    parent: QWidget | None = None,
) -> QDialogButtonBox:
    """A QDialogButtonBox with Vietnamese button texts, e.g. ``button_box(Save | Cancel, self)``."""
    return translate_buttons(QDialogButtonBox(buttons, parent))


def _message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str | None,
    text: str,
    details: str | None = None,
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title or APP_TITLE)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    return box


def _translate_message_box(box: QMessageBox) -> None:
    for standard, text in BUTTON_TEXT.items():
        button = box.button(QMessageBox.StandardButton(standard.value))
        if button is not None:
            button.setText(text)


def info(parent: QWidget | None, text: str, title: str | None = None) -> None:
    """Information message with a single "Đóng" button."""
    box = _message_box(parent, QMessageBox.Icon.Information, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    _translate_message_box(box)
    box.exec()


def warn(parent: QWidget | None, text: str, title: str | None = None) -> None:
    """Warning (bad input, refused action) with a single "Đóng" button."""
    box = _message_box(parent, QMessageBox.Icon.Warning, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    _translate_message_box(box)
    box.exec()


def error(parent: QWidget | None, text: str, title: str | None = None, details: str | None = None) -> None:
    """Error message with a single "Đóng" button; ``details`` go in the expandable section."""
    box = _message_box(parent, QMessageBox.Icon.Critical, title or "Lỗi", text, details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    _translate_message_box(box)
    box.exec()


def ask(parent: QWidget | None, text: str, title: str | None = None, default_yes: bool = False) -> bool:
    """Yes/no question ("Có" / "Không"); True when the user answers "Có"."""
    box = _message_box(parent, QMessageBox.Icon.Question, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No)
    _translate_message_box(box)
    return box.exec() == QMessageBox.StandardButton.Yes


class SaveChoice(Enum):
    """Answer to "save changes?": save, throw the changes away, or stay where you are."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_save(parent: QWidget | None, text: str, title: str | None = None) -> SaveChoice:
    """"Lưu" / "Không lưu" / "Hủy" question for unsaved changes; Escape means Hủy."""
    box = _message_box(parent, QMessageBox.Icon.Warning, title, text)
    box.setStandardButtons(
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    _translate_message_box(box)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SaveChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def not_ready(parent: QWidget | None, feature: str) -> None:
    """Shown when a menu action's module is not installed yet."""
    info(parent, f"Chức năng “{feature}” chưa sẵn sàng trong phiên bản này.")


def ask_text(parent: QWidget | None, label: str, title: str | None = None, text: str = "") -> str | None:
    """Multi-line text input ("Đồng ý" / "Hủy"); None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title or APP_TITLE)
    dialog.setLabelText(label)
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput, True)
    dialog.setTextValue(text)
    dialog.setOkButtonText("Đồng ý")
    dialog.setCancelButtonText("Hủy")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def choose_open_files(parent: QWidget | None, title: str, filter_text: str = "Mọi tệp (*)", folder: str = "") -> list[str]:
    """Pick existing files; empty list when cancelled."""
    files, _ = QFileDialog.getOpenFileNames(parent, title, folder, filter_text)
    return files


def choose_save_file(parent: QWidget | None, title: str, suggested: str, filter_text: str) -> str | None:
    """Pick a file name to write; None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_text)
    return path or None


def ui_settings() -> QSettings:
    """Per-user UI state (window geometry, splitters, column widths) in an INI file.

    Tests redirect it with ``QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tmp)``.
    """
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, SETTINGS_ORG, SETTINGS_APP)


def restore_geometry(widget: QWidget, key: str) -> None:
    """Restore a window's or dialog's geometry saved by :func:`save_geometry` (no-op the first time)."""
    value = ui_settings().value(f"geometry/{key}")
    if isinstance(value, QByteArray) and not value.isEmpty():
        widget.restoreGeometry(value)


def save_geometry(widget: QWidget, key: str) -> None:
    ui_settings().setValue(f"geometry/{key}", widget.saveGeometry())
