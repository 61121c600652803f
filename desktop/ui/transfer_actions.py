"""«Chuyển dữ liệu sang máy chủ…»: the menu action around the Qt-free ``desktop.infra.transfer``.

Asks where to (prefilled with the PostgreSQL URL chosen in Cài đặt), confirms, copies on a thread
of its own behind a progress dialog that never blocks (shown, not exec'd; «Dừng» undoes the copy),
tells the result, and offers to make the new database the one this PC opens (after a restart, as
in Cài đặt).

Tests monkeypatch :func:`ask_target` and ``desktop.ui.common``'s boxes; call them through the
module so a patch takes effect.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.infra import local_config, paths
from desktop.infra.database import display_location
from desktop.infra.location_check import is_server_url
from desktop.infra.transfer import TransferCancelled, TransferError, TransferResult, copy_database
from desktop.ui import background, common
from desktop.ui.dialogs.settings_dialog import RESTART_TEXT, URL_PLACEHOLDER, choose_database_file

log = logging.getLogger(__name__)

ACTION_TRANSFER = "Chuyển dữ liệu sang máy chủ"
PROGRESS_STEPS = 1000


def _location(db) -> str:
    return str(getattr(db, "location", db))


def suggested_target(source: str) -> str:
    """The PostgreSQL URL chosen in Cài đặt on this PC, unless it is the database in use."""
    chosen = local_config.configured_database()
    if is_server_url(chosen) and chosen.strip() != source.strip():
        return chosen
    return ""


# ------------------------------------------------------------------ where to


class TargetDialog(QDialog):
    """Nơi nhận: a PostgreSQL URL (password shown as ***) or a new file."""

    def __init__(self, parent: QWidget | None, source: str, suggested: str = ""):
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(ACTION_TRANSFER)
        self.source = source
        shown, self._kept_password = local_config.split_password(suggested)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Chép <b>toàn bộ</b> dữ liệu đang dùng (đơn vị, văn bản, nhiệm vụ, kết quả, gia hạn, đôn đốc, lịch sử "
            "thay đổi, cài đặt) sang một cơ sở dữ liệu <b>trống</b>: máy chủ PostgreSQL dùng chung của cơ quan, hoặc "
            "một tệp mới để mang bản sao về một máy. Dữ liệu ở đây giữ nguyên.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        source_label = QLabel(display_location(source), self)
        source_label.setObjectName("transferSource")
        source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Từ:", source_label)
        row = QHBoxLayout()
        self.target_edit = QLineEdit(shown, self)
        self.target_edit.setObjectName("transferTarget")
        self.target_edit.setPlaceholderText(URL_PLACEHOLDER)
        self.target_edit.setToolTip("Địa chỉ máy chủ PostgreSQL (mật khẩu đã lưu hiện là ***), hoặc đường dẫn "
                                    "một tệp mới")
        self.target_edit.textChanged.connect(lambda _t: self.error_label.hide())
        browse = QPushButton("Chọn tệp…", self)
        browse.setObjectName("transferBrowse")
        browse.clicked.connect(self.browse)
        row.addWidget(self.target_edit, 1)
        row.addWidget(browse)
        form.addRow("Sang:", row)
        layout.addLayout(form)
        notes = QLabel(
            "• Nơi nhận phải trống (chưa có đơn vị, văn bản nào); chương trình tự tạo các bảng.\n"
            "• Chép trong một lần: lỗi hoặc bấm «Dừng» giữa chừng thì nơi nhận không có gì thay đổi.\n"
            "• Tệp đính kèm (thư mục «tep-dinh-kem») không nằm trong cơ sở dữ liệu: chép thư mục đó bằng tay.", self)
        notes.setStyleSheet("color: #555;")
        notes.setWordWrap(True)
        layout.addWidget(notes)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("transferError")
        self.error_label.setStyleSheet("color: #B71C1C;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(common.ok_cancel(self, "Chuyển dữ liệu…"))
        self.resize(640, self.sizeHint().height())

    def browse(self) -> None:
        current = self.target_edit.text().strip()
        start = current if current and "://" not in current else str(paths.documents_dir() / "theodoi-ban-sao.db")
        chosen = choose_database_file(self, start)
        if chosen:
            self.target_edit.setText(str(Path(chosen)))

    def target(self) -> str:
        return local_config.restore_password(self.target_edit.text().strip(), self._kept_password)

    def problem(self) -> str:
        """Why the field cannot be used, in Vietnamese; "" when it can."""
        text = self.target()
        if not text:
            return "Chưa nhập nơi nhận: địa chỉ máy chủ PostgreSQL hoặc một tệp mới."
        if "://" in text:
            if not is_server_url(text):
                return "Địa chỉ máy chủ không hợp lệ. Dạng đúng: " + URL_PLACEHOLDER
            return ""
        path = Path(text).expanduser()
        if not path.is_absolute():
            return "Hãy chọn đường dẫn đầy đủ của tệp mới (bấm «Chọn tệp…»)."
        if path.is_dir():
            return f"«{path}» là một thư mục; hãy chọn một tệp."
        return ""

    def accept(self) -> None:
        message = self.problem()
        if message:
            self.error_label.setText(message)
            self.error_label.show()
            self.target_edit.setFocus()
            return
        super().accept()


def ask_target(parent: QWidget | None, source: str) -> str | None:
    """The target the officer typed or chose; None when cancelled."""
    dialog = TargetDialog(parent, source, suggested_target(source))
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.target()
    finally:
        dialog.deleteLater()


# ------------------------------------------------------------------ the copy, off the GUI thread


def _failure_message(exc: Exception, source: str, target: str) -> str:
    if isinstance(exc, TransferError):  # TransferCancelled too: its message says it was stopped
        return exc.message
    log.error("transfer %s -> %s failed", display_location(source), display_location(target), exc_info=exc)
    return (f"Lỗi ngoài dự kiến khi chuyển dữ liệu ({type(exc).__name__}); mọi thay đổi ở nơi "
            "nhận đã được hủy. Chi tiết ghi trong tệp nhật ký.")


class TransferJob(QObject):
    """One copy with its progress dialog. ``finished`` carries ``(result, message)`` once the
    officer has been told (result None when refused, failed or stopped)."""

    finished = Signal(object)

    def __init__(self, parent: QWidget | None, source: str, target: str):
        super().__init__(parent)
        self.parent_widget = parent
        self.source, self.target = source, target
        self.result: TransferResult | None = None
        self.message: str | None = None
        self.dialog = background.progress_dialog(parent, "Đang mở hai cơ sở dữ liệu…", PROGRESS_STEPS,
                                                 minimum_duration=0, cancel_text="Dừng")
        self.dialog.setObjectName("transferProgress")
        self.dialog.setWindowTitle(ACTION_TRANSFER)
        self.dialog.setMinimumWidth(460)
        self.dialog.canceled.connect(self.stop)
        self.job: background.JobSignals | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_and_wait)

    def start(self) -> None:
        self.dialog.setValue(0)
        self.dialog.show()
        source, target = self.source, self.target
        self.job = background.start_job(lambda progress: copy_database(source, target, progress), self._on_done,
                                        self._on_failed, self._on_progress, cancel_error=TransferCancelled)

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    @property
    def stop_requested(self) -> bool:
        return self.job is not None and self.job.cancel_requested

    def stop(self) -> None:
        """«Dừng»: the copy stops at its next chunk and everything written is undone."""
        if self.running and not self.stop_requested:
            self.job.cancel()
            self.dialog.setLabelText("Đang dừng và hủy phần đã chép…")

    def stop_and_wait(self) -> None:
        self.stop()
        if self.job is not None:
            self.job.wait()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self.stop_requested:
            return
        self.dialog.setLabelText(f"{message}\n{done:,} / {total:,} dòng".replace(",", "."))
        self.dialog.setValue(PROGRESS_STEPS * done // total if total else 0)

    def _on_done(self, result: TransferResult) -> None:
        self._ended(result, None)

    def _on_failed(self, exc: Exception, _details: str) -> None:
        self._ended(None, _failure_message(exc, self.source, self.target))

    def _ended(self, result: TransferResult | None, message: str | None) -> None:
        self.result, self.message = result, message
        self.dialog.canceled.disconnect(self.stop)
        self.dialog.close()
        self.dialog.deleteLater()
        global _running
        _running = None
        parent = self.parent_widget
        if self.result is None:
            if self.stop_requested:
                common.info(parent, self.message or "Đã dừng.", ACTION_TRANSFER)
            else:
                common.error(parent, self.message or "Không chuyển được dữ liệu.", ACTION_TRANSFER)
        else:
            _tell_result(parent, self.result, self.target)
        self.finished.emit((self.result, self.message))


_running: TransferJob | None = None  # one copy at a time; also keeps the job alive while it runs


def _tell_result(parent: QWidget | None, result: TransferResult, target: str) -> None:
    question = ("\n\nDùng cơ sở dữ liệu mới này trên máy này từ lần mở chương trình sau?"
                if result.target_is_server else
                "\n\nDùng tệp mới này trên máy này từ lần mở chương trình sau? (Chọn «Không» nếu chỉ cần bản sao.)")
    if not common.ask(parent, result.summary() + question, ACTION_TRANSFER, default_yes=result.target_is_server):
        return
    config = local_config.load_config()
    config.database = target
    try:
        local_config.save_config(config)
    except OSError as exc:  # OutputError carries a Vietnamese message
        common.error(parent, "Chưa lưu được lựa chọn cơ sở dữ liệu của máy này: " + getattr(exc, "message", str(exc)))
        return
    chosen = display_location(target)
    log.info("database of this PC set to %s after a transfer", chosen)
    if paths.database_and_source()[1] == "env":
        common.info(parent, f"Đã lưu lựa chọn cơ sở dữ liệu: {chosen}.\n\nLưu ý: máy này đang đặt biến môi trường "
                            "THEODOI_DB, biến đó được ưu tiên; lựa chọn này chỉ có tác dụng khi bỏ biến đó.")
    else:
        common.info(parent, f"Đã lưu lựa chọn cơ sở dữ liệu: {chosen}.\n\n{RESTART_TEXT}")


def transfer_data(parent: QWidget | None, db) -> TransferJob | None:
    """The menu action: ask, confirm, start the copy. Returns the running job (its ``finished``
    signal says when the officer has been told), or None when nothing was started."""
    global _running
    if _running is not None and _running.running:
        common.info(parent, "Đang chuyển dữ liệu; hãy đợi lần chuyển này xong.", ACTION_TRANSFER)
        return None
    source = _location(db)
    target = ask_target(parent, source)
    if not target:
        return None
    if not common.ask(parent, f"Chuyển toàn bộ dữ liệu từ «{display_location(source)}» sang "
                              f"«{display_location(target)}»?\n\nNơi nhận phải trống. Dữ liệu đang dùng ở đây giữ "
                              "nguyên; trong lúc chuyển, hãy để các máy khác chưa dùng nơi nhận.", ACTION_TRANSFER,
                      default_yes=True):
        return None
    _running = TransferJob(parent, source, target)
    _running.start()
    return _running
