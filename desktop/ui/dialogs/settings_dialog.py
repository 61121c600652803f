"""Cài đặt: agency names, place name, signer, document symbols, due-soon days, backups (all kept
in the database), and what belongs to this PC (``desktop.infra.local_config``): the database it opens,
the shared folder of the attachments (PostgreSQL) and the officer's name the change log records."""

from __future__ import annotations

import logging
import os
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.infra import attachments, local_config, paths
from desktop.infra.database import display_location, officer_label
from desktop.infra.fileio import OutputError
from desktop.infra.location_check import (
    check_database,
    check_shared_folder,
    is_server_url,
    same_location,
    url_parses,
)
from desktop.services import editing as edits
from desktop.services.settings import Settings
from desktop.ui import common
from desktop.ui.dialogs.widgets import EditDialog
from desktop.ui.worker import Runner

log = logging.getLogger(__name__)

URL_PLACEHOLDER = "postgresql://nguoidung:matkhau@192.168.1.10:5432/theodoi"
DATABASE_FILTER = "Cơ sở dữ liệu (*.db *.sqlite *.sqlite3);;Mọi tệp (*)"
OK_STYLE = "color: #1B5E20;"
FAIL_STYLE = "color: #B71C1C;"
RESTART_TEXT = "Hãy đóng chương trình rồi mở lại để dùng cơ sở dữ liệu mới."
SHARED_PLACEHOLDER = "\\\\MAYCHU\\TheoDoi"
SHARED_LABEL = "Thư mục dùng chung cho tệp đính kèm:"
LOCAL_ONLY_HINT = ("Chưa đặt thư mục dùng chung: tệp đính kèm chỉ lưu trên máy này, các máy khác "
                   "không mở được.")

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


def choose_database_file(parent: QWidget | None, current: str) -> str | None:
    """Pick an existing database file or name a new one (no "replace?" question); None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, "Chọn tệp cơ sở dữ liệu", current, DATABASE_FILTER,
                                          options=QFileDialog.Option.DontConfirmOverwrite)
    return path or None


def choose_shared_folder(parent: QWidget | None, current: str) -> str | None:
    """Pick the shared attachments folder (a mapped network drive or \\\\server\\share); None when cancelled."""
    path = QFileDialog.getExistingDirectory(parent, "Chọn thư mục dùng chung cho tệp đính kèm", current)
    return path or None


class DatabaseChoice(QGroupBox):
    """«Cơ sở dữ liệu»: this PC's own file or the shared PostgreSQL server, with a connection
    check on the worker thread. A password in the URL is shown as *** and kept."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__("Cơ sở dữ liệu", parent)
        self.setObjectName("databaseChoice")
        self.db = db
        self._kept_password: str | None = None
        self._loaded_shared = ""
        self._runner: Runner | None = None
        layout = QVBoxLayout(self)
        self.file_radio = QRadioButton("Tệp trên máy này", self)
        self.file_radio.setObjectName("databaseFileChoice")
        self.server_radio = QRadioButton("Máy chủ PostgreSQL dùng chung", self)
        self.server_radio.setObjectName("databaseServerChoice")
        self.group = QButtonGroup(self)
        self.group.addButton(self.file_radio)
        self.group.addButton(self.server_radio)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.file_radio)
        choice_row.addWidget(self.server_radio)
        choice_row.addStretch(1)
        layout.addLayout(choice_row)

        # one line for the field of the chosen kind: the dialog stays short enough for a 768-pixel screen
        self.fields = QStackedWidget(self)
        file_page = QWidget(self.fields)
        file_row = QHBoxLayout(file_page)
        file_row.setContentsMargins(0, 0, 0, 0)
        self.file_edit = QLineEdit(file_page)
        self.file_edit.setObjectName("databaseFile")
        self.file_edit.setToolTip("Tệp dữ liệu SQLite trên máy này (một máy dùng một mình)")
        self.browse_button = QPushButton("Chọn…", file_page)
        self.browse_button.setObjectName("databaseBrowse")
        self.browse_button.clicked.connect(self.browse)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.url_edit = QLineEdit(self.fields)
        self.url_edit.setObjectName("databaseUrl")
        self.url_edit.setPlaceholderText(URL_PLACEHOLDER)
        self.url_edit.setToolTip("Địa chỉ máy chủ dùng chung trên mạng nội bộ; mật khẩu đã lưu hiện là ***")
        self.fields.addWidget(file_page)
        self.fields.addWidget(self.url_edit)
        self.fields.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.fields)

        # the shared attachments folder: means something only with the server
        self.shared_label = QLabel(SHARED_LABEL, self)
        layout.addWidget(self.shared_label)
        shared_row = QHBoxLayout()
        self.shared_edit = QLineEdit(self)
        self.shared_edit.setObjectName("sharedFolder")
        self.shared_edit.setPlaceholderText(SHARED_PLACEHOLDER)
        self.shared_edit.setToolTip("Thư mục chia sẻ trên mạng nội bộ mà mọi máy đều mở được; tệp minh chứng, văn "
                                    "bản, phiếu Excel đã nhập được lưu ở đó để máy nào cũng mở được")
        self.shared_label.setBuddy(self.shared_edit)
        self.shared_browse = QPushButton("Chọn…", self)
        self.shared_browse.setObjectName("sharedFolderBrowse")
        self.shared_browse.clicked.connect(self.browse_shared)
        shared_row.addWidget(self.shared_edit, 1)
        shared_row.addWidget(self.shared_browse)
        layout.addLayout(shared_row)
        self.shared_hint = QLabel(LOCAL_ONLY_HINT, self)
        self.shared_hint.setObjectName("sharedFolderHint")
        self.shared_hint.setWordWrap(True)
        self.shared_hint.setStyleSheet("color: #8A4B00;")
        layout.addWidget(self.shared_hint)
        self.shared_edit.textChanged.connect(self._sync_shared)

        check_row = QHBoxLayout()
        self.check_button = QPushButton("Kiểm tra kết nối", self)
        self.check_button.setObjectName("databaseCheck")
        self.check_button.clicked.connect(self.check_connection)
        check_row.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        self.check_result = QLabel(self)
        self.check_result.setObjectName("databaseCheckResult")
        self.check_result.setWordWrap(True)
        self.check_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        check_row.addWidget(self.check_result, 1)
        layout.addLayout(check_row)
        self.in_use = QLabel(self)
        self.in_use.setObjectName("databaseInUse")
        self.in_use.setWordWrap(True)
        self.in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.in_use.setStyleSheet("color: #555;")
        layout.addWidget(self.in_use)
        layout.addStretch(1)
        self.file_radio.toggled.connect(self._sync)

    # ------------------------------------------------------------ values

    def load(self, config: local_config.LocalConfig) -> None:
        shown, self._kept_password = local_config.split_password(config.database)
        self._loaded_shared = config.shared_folder
        self.shared_edit.setText(config.shared_folder)
        if is_server_url(config.database):
            self.server_radio.setChecked(True)
            self.url_edit.setText(shown)
            self.file_edit.setText(str(paths.default_database_file()))
        else:
            self.file_radio.setChecked(True)
            self.file_edit.setText(config.database or str(paths.default_database_file()))
            self.url_edit.clear()
        self.in_use.setText(self._in_use_text())
        self._sync()

    def location(self) -> str:
        """What the fields say: the file path or the URL with its real password; "" when empty."""
        if self.server_radio.isChecked():
            return local_config.restore_password(self.url_edit.text(), self._kept_password)
        return self.file_edit.text().strip()

    def checked_location(self) -> tuple[str, str, str]:
        """``(location to store, error message, field name to mark)``; the location is "" for
        the default file of the data folder."""
        text = self.location()
        if self.server_radio.isChecked():
            if not text:
                return "", "Chưa nhập địa chỉ máy chủ PostgreSQL.", "database_url"
            if not is_server_url(text) or not url_parses(text):
                return "", ("Địa chỉ máy chủ không hợp lệ. Dạng đúng: " + URL_PLACEHOLDER), "database_url"
            return text, "", ""
        if not text:
            return "", "Chưa chọn tệp cơ sở dữ liệu (bấm «Chọn…»).", "database_file"
        if "://" in text or not os.path.isabs(os.path.expanduser(text)):
            return "", "Hãy chọn đường dẫn đầy đủ của tệp cơ sở dữ liệu (bấm «Chọn…»).", "database_file"
        path = Path(text).expanduser()
        if path.is_dir():
            return "", f"«{path}» là một thư mục; hãy chọn một tệp.", "database_file"
        if same_location(str(path), str(paths.default_database_file())):
            return "", "", ""  # the default: follows the data folder if it moves
        return str(path), "", ""

    def shared_folder(self) -> str:
        """The shared attachments folder as typed ("" for none)."""
        return self.shared_edit.text().strip()

    def checked_shared_folder(self) -> tuple[str, str]:
        """``(folder to store, error message)``: with the server chosen, a new folder must exist and
        take a file (written and deleted); the one saved before is kept unchecked (a share offline
        today must not stop the officer from saving other settings); with this PC's file it is
        kept as typed, unused."""
        folder = self.shared_folder()
        if not folder or not self.server_radio.isChecked() or folder == self._loaded_shared:
            return folder, ""
        problem = attachments.check_shared_folder(folder)
        return ("", problem) if problem else (folder, "")

    def _in_use_text(self) -> str:
        location, source = paths.database_and_source()
        text = f"Đang dùng: {display_location(self.db.location)}"
        if source == "env" and same_location(location, self.db.location):
            return text + "\n(theo biến môi trường THEODOI_DB, được ưu tiên hơn lựa chọn ở đây)"
        if not same_location(location, self.db.location):
            return text + "\n(khác lựa chọn đã lưu: mở với --db hoặc --demo, hoặc lựa chọn đó không mở được)"
        return text

    def _sync(self, *_args) -> None:
        self.fields.setCurrentIndex(0 if self.file_radio.isChecked() else 1)
        self.check_result.clear()
        self._sync_shared()

    def _sync_shared(self, *_args) -> None:
        server = self.server_radio.isChecked()
        for widget in (self.shared_label, self.shared_edit, self.shared_browse):
            widget.setEnabled(server)
        self.shared_hint.setVisible(server and not self.shared_folder())

    # ------------------------------------------------------------ actions

    def browse(self) -> None:
        chosen = choose_database_file(self, self.file_edit.text())
        if chosen:
            self.file_radio.setChecked(True)
            self.file_edit.setText(str(Path(chosen)))

    def browse_shared(self) -> None:
        chosen = choose_shared_folder(self, self.shared_folder())
        if chosen:
            self.shared_edit.setText(str(Path(chosen)))

    def check_connection(self) -> None:
        """Open what the fields say on the worker thread; the answer shows under the button."""
        location, message, _field = self.checked_location()
        if message:
            self._show_result(False, message)
            return
        location = location or str(paths.default_database_file())
        if self._runner is None:
            self._runner = Runner(self.db, self)
        self.check_button.setEnabled(False)
        self._show_result(None, "Đang kiểm tra kết nối…")
        user = self.db.user  # read here: the job must not read this PC's configuration on its own
        shared = self.shared_folder()
        self._runner.submit(
            "ket-noi", lambda _session: check_shared_folder(check_database(location, user), location, shared),
            self._on_checked)

    def _on_checked(self, outcome: tuple[bool, str]) -> None:
        """A short verdict beside the button; the whole answer (counts, the server's reason) in a box."""
        worked, message = outcome
        self.check_button.setEnabled(True)
        if self.server_radio.isChecked():
            verdict = "Kết nối được." if worked else "Không kết nối được."
        else:
            verdict = "Dùng được." if worked else "Không mở được."
        self._show_result(worked, verdict, message)
        (common.info if worked else common.warn)(self, message, "Kiểm tra kết nối")

    def _show_result(self, worked: bool | None, text: str, details: str = "") -> None:
        self.check_result.setStyleSheet("" if worked is None else OK_STYLE if worked else FAIL_STYLE)
        self.check_result.setText(text)
        self.check_result.setToolTip(details or text)

    def shutdown(self) -> None:
        if self._runner is not None:
            self._runner.shutdown()


class SettingsDialog(EditDialog):
    """Every field of ``desktop.services.settings.Settings`` (in the database) and the configuration of
    this PC (``desktop.infra.local_config``: the database, the officer's name); Accepted when saved."""

    geometry_key = "settingsDialog"

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Cài đặt")
        self.edits: dict[str, QLineEdit] = {}
        self._legacy_officer = ""  # the name older versions kept in the database: left as it is
        self._build()
        self.reload()
        common.restore_geometry(self, self.geometry_key)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        columns = QGridLayout()
        for index, (title, rows) in enumerate(GROUPS):
            box = QGroupBox(title, self)
            # «Cơ quan» in two columns like the groups under it: the dialog fits a 768-pixel screen
            half = (len(rows) + 1) // 2
            parts = [rows[:half], rows[half:]] if index == 0 else [rows]
            halves = QHBoxLayout(box)
            for part in parts:
                form = QFormLayout()
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
                halves.addLayout(form, 1)
                for name, label, hint in part:
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
        self.officer_edit.setPlaceholderText("Họ tên cán bộ dùng máy này")
        self.officer_edit.setToolTip("Lưu riêng trên máy này; ghi trong nhật ký thay đổi cùng tên đăng nhập Windows")
        for spin in (self.due_soon_spin, self.backup_spin):
            spin.setMinimumWidth(self.fontMetrics().horizontalAdvance("100 ngày") + 40)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form.addRow("Số ngày «sắp đến hạn»:", self.due_soon_spin)
        form.addRow("Số bản sao lưu giữ lại:", self.backup_spin)
        form.addRow("Cán bộ dùng máy này:", self.officer_edit)
        columns.addWidget(tracking, 2, 0)
        self.database_choice = DatabaseChoice(self.db, self)
        columns.addWidget(self.database_choice, 2, 1)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)
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
        widgets.update(due_soon_days=self.due_soon_spin, backup_keep=self.backup_spin, officer_name=self.officer_edit,
                       database_file=self.database_choice.file_edit, database_url=self.database_choice.url_edit,
                       shared_folder=self.database_choice.shared_edit)
        return widgets

    def reload(self) -> None:
        settings = self.db.settings()
        self.set_values(settings)
        self.officer_edit.setText(local_config.officer_name(legacy=lambda: settings.officer_name))
        self.database_choice.load(local_config.load_config())

    def set_values(self, settings: Settings) -> None:
        for name, edit in self.edits.items():
            edit.setText(getattr(settings, name))
        self.due_soon_spin.setValue(settings.due_soon_days)
        self.backup_spin.setValue(settings.backup_keep)
        self._legacy_officer = settings.officer_name
        self._loaded = settings  # what the officer starts from: only what differs from it is saved
        self._update_preview()

    def values(self) -> Settings:
        texts = {name: edit.text() for name, edit in self.edits.items()}
        return Settings(**texts, due_soon_days=self.due_soon_spin.value(), backup_keep=self.backup_spin.value(),
                        officer_name=self._legacy_officer)

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
        """The database's settings in one transaction, then this PC's file; the officer's name
        counts at once, a new database after a restart (said so)."""
        self.clear_error()
        location, message, field_name = self.database_choice.checked_location()
        if message:
            self.show_error(message, field_name)
            return False
        shared, message = self.database_choice.checked_shared_folder()
        if message:
            self.show_error(message, "shared_folder")
            return False
        settings = self.values()
        saved = self.run_save(lambda s: edits.save_checked_settings(s, settings, base=self._loaded), "Cài đặt")
        if saved is None:
            return False
        self.set_values(saved)
        officer = " ".join(self.officer_edit.text().split())
        previous = local_config.load_config().database
        try:
            local_config.save_config(local_config.LocalConfig(database=location, officer_name=officer,
                                                              shared_folder=shared))
        except OutputError as exc:
            self.show_error("Đã lưu cài đặt chung, nhưng chưa lưu được cài đặt của máy này: " + exc.message)
            return False
        self.db.set_user(officer_label(officer))
        if not same_location(previous or str(paths.default_database_file()),
                              location or str(paths.default_database_file())):
            self._tell_database_changed(location)
        self.accept()
        return True

    def _tell_database_changed(self, location: str) -> None:
        chosen = display_location(location or str(paths.default_database_file()))
        log.info("database of this PC set to %s", chosen)
        if paths.database_and_source()[1] == "env":
            common.info(self, f"Đã lưu lựa chọn cơ sở dữ liệu: {chosen}.\n\nLưu ý: máy này đang đặt biến môi "
                              "trường THEODOI_DB, biến đó được ưu tiên; lựa chọn này chỉ có tác dụng khi bỏ biến đó.")
        elif not same_location(paths.default_database(), self.db.location):
            common.info(self, f"Đã lưu lựa chọn cơ sở dữ liệu: {chosen}.\n\n{RESTART_TEXT}")

    def done(self, result: int) -> None:
        self.database_choice.shutdown()
        super().done(result)
