"""Menu actions that keep the data safe ("Sao lưu", "Khôi phục", "Kiểm tra dữ liệu") and the
start-up dialogs about a damaged database, a second running copy and an unexpected error.

The work itself is in the Qt-free ``desktop.safety``; this module only asks and tells. Tests
monkeypatch the dialog functions (``offer_restore``, ``choose_backup``, ``show_unexpected_error``)
and ``desktop.ui.common``'s ``ask``/``info``/``warn``/``error``; call them through the module so a
patch takes effect.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import safety
from desktop.safety import BackupInfo, SafetyError
from desktop.ui import common

log = logging.getLogger(__name__)

ACTION_BACKUP = "Sao lưu"
ACTION_RESTORE = "Khôi phục"
ACTION_CHECK = "Kiểm tra dữ liệu"


def _busy():
    """Context manager showing the wait cursor while a short blocking job runs."""

    class _Busy:
        def __enter__(self):
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

        def __exit__(self, *exc):
            QGuiApplication.restoreOverrideCursor()
            return False

    return _Busy()


def _location(db) -> str:
    return str(getattr(db, "location", db))


def _server_database(parent: QWidget | None, db) -> bool:
    if safety.sqlite_file(_location(db)) is None:
        common.info(parent, "Cơ sở dữ liệu dùng chung (PostgreSQL) được sao lưu và khôi phục trên máy chủ, "
                            "bằng công cụ của máy chủ.")
        return True
    return False


# ------------------------------------------------------------------ menu actions


def backup_now(parent: QWidget | None, db) -> Path | None:
    """"Sao lưu": copy the database now. Returns the backup's path, or None."""
    if _server_database(parent, db):
        return None
    try:
        with _busy():
            target = safety.make_backup(_location(db))
    except SafetyError as exc:
        common.error(parent, exc.message)
        return None
    common.info(parent, f"Đã sao lưu dữ liệu vào tệp:\n{target}")
    return target


def restore_backup(parent: QWidget | None, db) -> bool:
    """"Khôi phục": pick a backup, confirm, restore. Returns True when the data changed (the
    caller then reloads every view: the database object stays valid)."""
    if _server_database(parent, db):
        return False
    location = _location(db)
    backups = [b for b in safety.list_backups(location) if b.kind != "hong"]
    if not backups:
        common.info(parent, "Chưa có bản sao lưu nào của cơ sở dữ liệu này.")
        return False
    chosen = choose_backup(parent, backups)
    if chosen is None:
        return False
    if not common.ask(parent, f"Khôi phục dữ liệu về bản sao lưu lúc {chosen.taken_at:%H:%M ngày %d/%m/%Y}?\n\n"
                              "Mọi thay đổi sau thời điểm đó sẽ không còn trong dữ liệu đang dùng. Dữ liệu hiện tại "
                              "vẫn được giữ lại thành một bản riêng trong thư mục sao lưu."):
        return False
    try:
        with _busy():
            # The window's pooled connections are closed first: a damaged file is copied aside
            # raw and replaced, and no connection may be left on the file that goes away.
            engine = getattr(db, "engine", None)
            if engine is not None:
                engine.dispose()
            result = safety.restore(location, chosen.path)
            _upgrade_after_restore(db)
    except SafetyError as exc:
        common.error(parent, exc.message)
        return False
    kept = f"\nDữ liệu trước khi khôi phục được giữ tại:\n{result.kept_aside}" if result.kept_aside else ""
    common.info(parent, f"Đã khôi phục dữ liệu từ bản sao lưu lúc {chosen.taken_at:%H:%M ngày %d/%m/%Y}.{kept}")
    return True


def _upgrade_after_restore(db) -> None:
    # A backup taken before a schema upgrade comes back with the old schema.
    engine = getattr(db, "engine", None)
    if engine is None:
        return
    from db import migrate

    try:
        migrate.upgrade(engine, backup_dir=safety.backups.backups_folder(_location(db)))
    except Exception as exc:  # noqa: BLE001 - reported, the restored file itself is sound
        log.exception("upgrade after restore failed")
        raise SafetyError(f"Đã khôi phục nhưng không nâng cấp được cấu trúc dữ liệu: {exc}") from exc


def check_data(parent: QWidget | None, db) -> bool:
    """"Kiểm tra dữ liệu": full check, result in a message box. Returns True when all is well."""
    if _server_database(parent, db):
        return True
    with _busy():
        result = safety.check_data(_location(db))
    if result.ok:
        common.info(parent, result.summary(), title=ACTION_CHECK)
    elif result.integrity.health == safety.Health.OK:
        common.warn(parent, result.summary(), title=ACTION_CHECK)
    else:
        log.error("data check: %s", result.integrity.problems)
        common.error(parent, result.summary() + "\n\nHãy dùng «Khôi phục» để lấy lại dữ liệu từ bản sao lưu tốt gần "
                             "nhất.", title=ACTION_CHECK)
    return result.ok


def make_actions(parent: QWidget, db) -> list[QAction]:
    """The three menu actions, connected (the main window may also build its own and call the
    functions above). ``db`` may be a callable returning the current database."""

    def current():
        return db() if callable(db) else db

    backup = QAction(ACTION_BACKUP + "…", parent)
    backup.setShortcut(QKeySequence("Ctrl+Shift+S"))
    backup.setStatusTip("Sao lưu cơ sở dữ liệu ngay bây giờ")
    backup.triggered.connect(lambda: backup_now(parent, current()))
    restore = QAction(ACTION_RESTORE + "…", parent)
    restore.setStatusTip("Khôi phục dữ liệu từ một bản sao lưu")
    restore.triggered.connect(lambda: restore_backup(parent, current()))
    check = QAction(ACTION_CHECK, parent)
    check.setStatusTip("Kiểm tra toàn vẹn dữ liệu, tệp đính kèm và các bản sao lưu")
    check.triggered.connect(lambda: check_data(parent, current()))
    return [backup, restore, check]


# ------------------------------------------------------------------ dialogs


class BackupChooser(QDialog):
    """A list of backups, newest first; the officer picks one."""

    def __init__(self, parent: QWidget | None, backups: list[BackupInfo]):
        super().__init__(parent)
        self.setWindowTitle("Chọn bản sao lưu để khôi phục")
        self.backups = backups
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Các bản sao lưu (mới nhất ở trên):"))
        self.table = QTableWidget(len(backups), 3, self)
        self.table.setHorizontalHeaderLabels(["Thời điểm", "Loại", "Dung lượng"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, b in enumerate(backups):
            self.table.setItem(row, 0, QTableWidgetItem(f"{b.taken_at:%d/%m/%Y %H:%M:%S}"))
            self.table.setItem(row, 1, QTableWidgetItem(b.label))
            size = QTableWidgetItem(f"{b.size / 1024:,.0f} KB".replace(",", "."))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 2, size)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if backups:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(self.accept)
        layout.addWidget(self.table)
        layout.addWidget(common.ok_cancel(self, "Khôi phục"))
        self.resize(560, 360)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None


def choose_backup(parent: QWidget | None, backups: list[BackupInfo]) -> BackupInfo | None:
    dialog = BackupChooser(parent, backups)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.selected()


def offer_restore(parent: QWidget | None, problem: str, backup: BackupInfo) -> bool:
    """At start, the database is damaged: restore the newest good backup? True for "Khôi phục"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(common.APP_TITLE)
    box.setText(problem)
    box.setInformativeText(
        f"Có bản sao lưu tốt lúc {backup.taken_at:%H:%M ngày %d/%m/%Y}. Khôi phục từ bản này?\n"
        "Các thay đổi sau thời điểm đó sẽ không có. Tệp hỏng được giữ nguyên một bản trong thư mục sao lưu.")
    restore = box.addButton("Khôi phục", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() == restore


def show_unexpected_error(parent: QWidget | None, summary: str, log_path: Path, details: str,
                          draft_saved: bool) -> None:
    """The Vietnamese dialog for an error nobody expected, with the log file's path."""
    draft = ("Nội dung đang nhập trong phiếu kết quả đã được giữ lại.\n" if draft_saved else "")
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Lỗi ngoài dự kiến")
    box.setText("Chương trình gặp một lỗi ngoài dự kiến. Dữ liệu đã lưu không bị ảnh hưởng.\n" + draft +
                "Chi tiết lỗi được ghi trong tệp nhật ký:")
    box.setInformativeText(f"{log_path}\n\nHãy gửi tệp này cho cán bộ tin học. ({summary})")
    # No setDetailedText: its "Show Details..." button has no Vietnamese text in Qt; the
    # traceback is in the log file named above.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    open_folder = box.addButton("Mở thư mục nhật ký", QMessageBox.ButtonRole.ActionRole)
    close = box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(close)
    box.exec()
    if box.clickedButton() == open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(log_path).parent)))
