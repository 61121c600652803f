"""Small shared UI helpers: Vietnamese message boxes and standard button texts.

Qt ships no Vietnamese translation (no ``qtbase_vi.qm``), so every standard button text is set here.
Tests monkeypatch :func:`ask`, :func:`ask_save`, :func:`info`, :func:`error` and :func:`warn` so no modal
dialog ever blocks; call them through the module (``common.ask(...)``) so the patch takes effect.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QInputDialog,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

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


def ok_cancel(dialog: QDialog, ok_text: str = "") -> QDialogButtonBox:
    """The «OK / Hủy» row of a dialog, wired to its accept and reject; ``ok_text`` names what OK does
    («Khôi phục», «Xuất văn bản» …)."""
    buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


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


# What the window manager adds around a window's client area (title bar, borders): a window whose
# client area is the whole available geometry would put its title bar or its bottom under the taskbar.
FRAME_ALLOWANCE = QSize(16, 40)


def available_rect(widget: QWidget | None = None) -> QRect:
    """The client area a window may take on ``widget``'s screen (the primary one before it is shown):
    the screen less the taskbar (``availableGeometry``) less :data:`FRAME_ALLOWANCE`."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(0, 0, 1366 - FRAME_ALLOWANCE.width(), 728 - FRAME_ALLOWANCE.height())
    area = screen.availableGeometry()
    return QRect(area.left(), area.top(), area.width() - FRAME_ALLOWANCE.width(),
                 area.height() - FRAME_ALLOWANCE.height())


def fit_to_screen(widget: QWidget, width: int | None = None, height: int | None = None) -> None:
    """Resize ``widget`` to ``width`` × ``height`` (default: its current size), but never beyond the
    available part of its screen (1366×768 with a taskbar is the common office laptop), and move it
    back inside that area when it sticks out."""
    area = available_rect(widget)
    if isinstance(widget, QDialog) and widget.minimumSizeHint().height() > area.height():
        scroll_contents(widget)
    if width is None and height is None and not widget.testAttribute(Qt.WidgetAttribute.WA_Resized):
        hint = widget.sizeHint()  # not sized yet: the size it would open at, not Qt's 640×480
        width, height = hint.width(), hint.height()
    width = min(width if width is not None else widget.width(), area.width())
    height = min(height if height is not None else widget.height(), area.height())
    widget.resize(max(width, 1), max(height, 1))
    if widget.isWindow():
        frame = widget.frameGeometry()
        x = min(max(frame.left(), area.left()), max(area.left(), area.right() + 1 - widget.width()))
        y = min(max(frame.top(), area.top()), max(area.top(), area.bottom() + 1 - widget.height()))
        if (x, y) != (frame.left(), frame.top()):
            widget.move(x, y)


def scroll_contents(dialog: QDialog) -> None:
    """Put the dialog's contents in a scroll area, keeping a bottom button box outside it, so a
    dialog taller than the screen keeps its «Lưu» and «Hủy» on screen (done once)."""
    layout = dialog.layout()
    if layout is None or dialog.property("scrolledContents"):
        return
    buttons = None
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    if last is not None and isinstance(last.widget(), QDialogButtonBox):
        buttons = last.widget()
        layout.removeWidget(buttons)
    inner = QWidget()
    inner.setLayout(layout)  # Qt takes the layout, and its widgets, from the dialog
    area = QScrollArea()
    area.setObjectName("dialogScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area, 1)
    if buttons is not None:
        row = QVBoxLayout()
        row.setContentsMargins(9, 0, 9, 9)
        row.addWidget(buttons)
        outer.addLayout(row)
    dialog.setProperty("scrolledContents", True)


def restore_geometry(widget: QWidget, key: str) -> None:
    """Restore a window's or dialog's geometry saved by :func:`save_geometry` (no-op the first time);
    either way the window is then kept within its screen (a size saved on a larger screen, or a
    preferred size set in code, never pushes its buttons below the taskbar)."""
    value = ui_settings().value(f"geometry/{key}")
    if isinstance(value, QByteArray) and not value.isEmpty():
        widget.restoreGeometry(value)
    fit_to_screen(widget)


def save_geometry(widget: QWidget, key: str) -> None:
    ui_settings().setValue(f"geometry/{key}", widget.saveGeometry())


def exec_and_reload(window, dialog: QDialog) -> bool:
    """Run a modal editing dialog; when it saved, the directives and every list are read again."""
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
    if accepted:
        window._load_directives()
        window.reload_all()
    return accepted
