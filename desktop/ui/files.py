"""Files the officer saves and opens: the Excel filter, "Mở"/"Đóng" after a file was written,
opening a file or its folder with the system's programs.

Shared by the Excel, Word and import actions (so that none of them imports another). Tests patch
``offer_open`` here; call it through the module.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.ui import common

EXCEL_FILTER = "Bảng tính Excel (*.xlsx)"


def with_suffix(path: str) -> Path:
    """The chosen name, with ``.xlsx`` added when the officer left it out."""
    p = Path(path)
    return p if p.suffix.lower() == ".xlsx" else p.with_name(p.name + ".xlsx")


def open_path(path: Path) -> bool:
    """Open a file in its program (or a folder in the file manager)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def no_program(parent: QWidget | None, path: Path) -> None:
    """Nothing opened the file: say so and offer its folder (the officer can copy the file, attach
    it to an e-mail, or open it from another program)."""
    kind = {".docx": "văn bản Word (.docx)", ".pdf": "tệp PDF", ".xlsx": "bảng tính Excel (.xlsx)"}.get(
        Path(path).suffix.lower(), "tệp này")
    text = (f"Máy này chưa có chương trình nào mở được {kind}, nên không mở hoặc in được «{Path(path).name}».\n\n"
            f"Tệp đã được lưu tại: {Path(path).parent}\n\nMở thư mục chứa tệp?")
    if common.ask(parent, text, default_yes=True):
        open_folder(path)


def offer_open(parent: QWidget | None, text: str, path: Path) -> None:
    """Tell where the file went, with "Mở" (open in Excel or the file manager) and "Đóng"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(common.APP_TITLE)
    box.setText(text)
    open_button = box.addButton("Mở", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    if box.clickedButton() is open_button and not open_path(path):
        no_program(parent, path)
