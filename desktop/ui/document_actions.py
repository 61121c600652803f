"""Menu actions for Word documents: "Xuất báo cáo" and "Công văn đôn đốc".

Each action asks for the file name and the draft/final choice (a Vietnamese default name in the
Documents folder), builds the document off the GUI thread (``desktop.ui.background``) with a progress dialog
(``desktop.documents`` is Qt-free and opens its own session), then shows a small result dialog with
"Mở" (open in Word) and "In" (the system's print verb where it exists, else open).

A file still open in Word (``FileLockedError``) is never a crash: the user is told in Vietnamese and
the document is written under a new name (``fileio.next_free_name``). Tests monkeypatch
``ask_options``, ``show_result`` and ``desktop.ui.common`` (warn/error); call them through the module.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from PySide6.QtCore import QDate, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIntValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.documents import DocumentError, Issue, build_reminder, build_report
from desktop.documents.naming import directive_number, reminder_file_name, report_file_name
from desktop.documents.pdf import PdfError, convert_to_pdf, pdf_path_for
from desktop.infra.fileio import FileLockedError, OutputError, next_free_name
from desktop.infra.paths import documents_dir
from desktop.services import reminders, tracking
from desktop.services.operations import ValidationError
from desktop.services.reminders import Recipient
from desktop.ui import background, common
from desktop.ui.files import no_program, open_folder

log = logging.getLogger(__name__)

WORD_FILTER = "Văn bản Word (*.docx)"
MAX_RENAMES = 5
REPORT = "report"
REMINDER = "reminder"


KEEP = "keep"  # ExportOptions.directive_id when the dialog offered no choice: the caller's directive


@dataclass(frozen=True)
class ExportOptions:
    path: Path
    issue: Issue = Issue()
    respond_by: date | None = None  # reminders only
    directive_id: int | None | str = KEEP  # chosen in the dialog: a directive, or None for all of them
    as_of: date | None = None  # «Tính đến ngày» chosen in the dialog (None: the caller's today)
    unit_ids: tuple[int, ...] | None = None  # reminders: the units chosen to receive the letter


def reminder_recipients(db, today: date, directive_id: int | None, unit_ids: Sequence[int] | None
                        ) -> list[Recipient]:
    """Who a reminder would go to (see ``desktop.services.reminders.recipients``)."""
    return reminders.recipients(db, today, directive_id, unit_ids)


class ScopeBox(QGroupBox):
    """«Phạm vi»: which directive (or all), as of which date, and for a reminder which units
    receive it, with a preview of the recipients. Used by the Word and Excel export dialogs."""

    def __init__(self, db, today: date, directive_id: int | None, unit_ids: Sequence[int] | None = None,
                 with_units: bool = False, parent: QWidget | None = None):
        super().__init__("Phạm vi", parent)
        self.db = db
        self.scope_unit_ids = list(unit_ids) if unit_ids else None
        form = QFormLayout(self)
        self.directive_combo = QComboBox()
        self.directive_combo.setObjectName("scopeDirective")
        self.directive_combo.setMinimumContentsLength(30)
        self.directive_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.directive_combo.addItem("Tất cả văn bản", 0)  # never None as item data (PySide6 6.12)
        for did, number, title, issued in tracking.directive_list(db):
            text = number + (f" ngày {issued:%d/%m/%Y}" if issued else "") + (f" — {title}" if title else "")
            self.directive_combo.addItem(text, did)
            self.directive_combo.setItemData(self.directive_combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.directive_combo.setCurrentIndex(max(0, self.directive_combo.findData(directive_id or 0)))
        form.addRow("Văn bản:", self.directive_combo)
        self.date_edit = ExportOptionsDialog._date_edit(today)
        self.date_edit.setObjectName("scopeDate")
        form.addRow("Tính đến ngày:", self.date_edit)
        self.unit_list: QListWidget | None = None
        self.preview_label: QLabel | None = None
        if with_units:
            self.unit_list = QListWidget()
            self.unit_list.setObjectName("recipientList")
            self.unit_list.setMinimumHeight(110)
            self.unit_list.setMaximumHeight(200)
            form.addRow("Gửi đến:", self.unit_list)
            self.preview_label = QLabel()
            self.preview_label.setObjectName("recipientPreview")
            self.preview_label.setWordWrap(True)
            self.preview_label.setMinimumHeight(self.preview_label.fontMetrics().lineSpacing() * 3)
            form.addRow(self.preview_label)
            self.unit_list.itemChanged.connect(lambda _item: self._update_preview())
            self.directive_combo.currentIndexChanged.connect(lambda _i: self.refresh_units())
            self.date_edit.dateChanged.connect(lambda _d: self.refresh_units())
            self.refresh_units()

    def directive_id(self) -> int | None:
        value = self.directive_combo.currentData()
        return int(value) if value else None

    def as_of(self) -> date:
        return self.date_edit.date().toPython()

    def refresh_units(self) -> None:
        """The units with something overdue in the chosen scope, all ticked."""
        if self.unit_list is None:
            return
        self.recipients = reminder_recipients(self.db, self.as_of(), self.directive_id(), self.scope_unit_ids)
        self.unit_list.blockSignals(True)
        self.unit_list.clear()
        for r in self.recipients:
            item = QListWidgetItem(f"{r.name} — {r.overdue} nhiệm vụ quá hạn")
            item.setData(Qt.ItemDataRole.UserRole, r.unit_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.unit_list.addItem(item)
        self.unit_list.blockSignals(False)
        self._update_preview()

    def chosen_units(self) -> list[int]:
        if self.unit_list is None:
            return []
        return [self.unit_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.unit_list.count())
                if self.unit_list.item(i).checkState() == Qt.CheckState.Checked]

    def _update_preview(self) -> None:
        if self.preview_label is None:
            return
        chosen = set(self.chosen_units())
        picked = [r for r in self.recipients if r.unit_id in chosen]
        if not self.recipients:
            self.preview_label.setText(f"Đến ngày {self.date_edit.date().toString('dd/MM/yyyy')} không có nhiệm vụ "
                                       "quá hạn nào cần đôn đốc trong phạm vi này.")
        elif not picked:
            self.preview_label.setText("Chưa chọn đơn vị nào nhận công văn.")
        else:
            names = ", ".join(r.name for r in picked[:6]) + (f" và {len(picked) - 6} đơn vị khác" if len(picked) > 6
                                                             else "")
            items = sum(r.overdue for r in picked)
            self.preview_label.setText(f"Công văn gửi {len(picked)} đơn vị ({items} lượt nhiệm vụ quá hạn): {names}.")


# ------------------------------------------------------------------ opening and printing


def open_document(path: Path) -> bool:
    """Open in the associated program (Word). ``fromLocalFile``: spaces and Vietnamese survive."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_document(path: Path) -> str:
    """Send to the printer through Windows' "print" verb (Word prints to the default printer);
    elsewhere, or when no program registers the verb, open the file for the user to print.
    Returns "print", "open", or "" when no program took the file."""
    if sys.platform == "win32" and hasattr(os, "startfile"):
        try:
            os.startfile(str(path), "print")  # noqa: S606 - the user's own file, by design
            return "print"
        except OSError:  # e.g. WinError 1155: no application associated with the verb
            log.info("No print verb for %s; opening it instead", path)
    if open_document(path):
        return "open"
    return ""


# ------------------------------------------------------------------ dialogs


class ExportOptionsDialog(QDialog):
    """File name, draft or final (number and date), and for a reminder the new report-by date."""

    def __init__(self, parent: QWidget | None, kind: str, suggested: Path, today: date,
                 respond_by: date | None = None, db=None, directive_id: int | None = None,
                 unit_ids: Sequence[int] | None = None):
        super().__init__(parent)
        self.kind = kind
        self.today = today
        self.setWindowTitle("Xuất báo cáo" if kind == REPORT else "Công văn đôn đốc")
        layout = QVBoxLayout(self)
        self.scope_box: ScopeBox | None = None
        if db is not None:
            self.scope_box = ScopeBox(db, today, directive_id, unit_ids, with_units=kind == REMINDER, parent=self)
            layout.addWidget(self.scope_box)
            self._suggested = str(suggested)
            self.scope_box.directive_combo.currentIndexChanged.connect(lambda _i: self._follow_directive(db))

        form = QFormLayout()
        self.path_edit = QLineEdit(str(suggested))
        self.path_edit.setMinimumWidth(420)
        browse = QPushButton("Chọn…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("Lưu vào tệp:", row)
        self.respond_edit = None
        if kind == REMINDER:
            self.respond_edit = self._date_edit(respond_by or today)
            form.addRow("Hạn báo cáo mới:", self.respond_edit)
        layout.addLayout(form)

        box = QGroupBox("Số và ngày văn bản")
        inner = QVBoxLayout(box)
        self.draft_radio = QRadioButton("Dự thảo: để trống số và ngày (văn thư điền sau khi ký)")
        self.final_radio = QRadioButton("Bản chính thức, có số và ngày:")
        group = QButtonGroup(self)
        group.addButton(self.draft_radio)
        group.addButton(self.final_radio)
        self.draft_radio.setChecked(True)
        inner.addWidget(self.draft_radio)
        inner.addWidget(self.final_radio)
        final_form = QFormLayout()
        self.number_edit = QLineEdit()
        self.number_edit.setValidator(QIntValidator(1, 999999, self))
        self.number_edit.setPlaceholderText("ví dụ 05")
        self.date_edit = self._date_edit(today)
        final_form.addRow("Số:", self.number_edit)
        final_form.addRow("Ngày ban hành:", self.date_edit)
        inner.addLayout(final_form)
        layout.addWidget(box)
        self.final_radio.toggled.connect(self._update)
        self._update()

        layout.addWidget(common.ok_cancel(self, "Xuất văn bản"))

    @staticmethod
    def _date_edit(value: date) -> QDateEdit:
        edit = QDateEdit(QDate(value.year, value.month, value.day))
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        return edit

    def _update(self) -> None:
        final = self.final_radio.isChecked()
        self.number_edit.setEnabled(final)
        self.date_edit.setEnabled(final)

    def _follow_directive(self, db) -> None:
        """The suggested file name follows the chosen directive, unless the officer typed one."""
        if self.path_edit.text() != self._suggested:
            return
        number = directive_number(db, self.scope_box.directive_id())
        name = (report_file_name if self.kind == REPORT else reminder_file_name)(self.today, number)
        self._suggested = str(_suggest(name))
        self.path_edit.setText(self._suggested)

    def _browse(self) -> None:
        chosen = common.choose_save_file(self, self.windowTitle(), self.path_edit.text(), WORD_FILTER)
        if chosen:
            self.path_edit.setText(chosen)

    def options(self) -> ExportOptions:
        path = Path(self.path_edit.text().strip())
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        issue = Issue()
        if self.final_radio.isChecked():
            issue = Issue(True, self.number_edit.text().strip(), self.date_edit.date().toPython())
        respond_by = self.respond_edit.date().toPython() if self.respond_edit is not None else None
        if self.scope_box is None:
            return ExportOptions(path, issue, respond_by)
        units = tuple(self.scope_box.chosen_units()) if self.kind == REMINDER else None
        return ExportOptions(path, issue, respond_by, self.scope_box.directive_id(), self.scope_box.as_of(), units)

    def accept(self) -> None:
        if not self.path_edit.text().strip():
            common.warn(self, "Cần chọn tệp để lưu văn bản.")
            return
        options = self.options()
        try:
            options.issue.validated()
        except DocumentError as exc:
            common.warn(self, exc.message)
            return
        as_of = options.as_of or self.today
        if options.respond_by is not None and options.respond_by <= as_of:
            common.warn(self, "Hạn báo cáo mới phải sau ngày tính đến.")
            return
        if self.kind == REMINDER and self.scope_box is not None and not options.unit_ids:
            common.warn(self, "Chưa có đơn vị nào nhận công văn: hãy chọn văn bản, ngày hoặc đánh dấu đơn vị.")
            return
        super().accept()


def ask_options(parent: QWidget | None, kind: str, suggested: Path, today: date,
                respond_by: date | None = None, **scope) -> ExportOptions | None:
    """``scope`` (db, directive_id, unit_ids) adds the choice of directive, date and recipients."""
    dialog = ExportOptionsDialog(parent, kind, suggested, today, respond_by, **scope)
    common.fit_to_screen(dialog)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.options()


class ResultDialog(QDialog):
    """"Đã xuất văn bản": Mở, In, Mở thư mục, Đóng."""

    def __init__(self, parent: QWidget | None, text: str, path: Path):
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(common.APP_TITLE)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(label)
        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton("Mở", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = buttons.addButton("In", QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button = buttons.addButton("Xuất PDF", QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.setToolTip("Lưu thêm bản PDF cùng tên (để ký số, gửi qua hệ thống văn bản điện tử)")
        self.pdf_button.setVisible(self.path.suffix.lower() == ".docx")
        self.folder_button = buttons.addButton("Mở thư mục", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._open)
        self.print_button.clicked.connect(self._print)
        self.pdf_button.clicked.connect(self._export_pdf)
        self.folder_button.clicked.connect(lambda: open_folder(self.path))
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _open(self) -> None:
        if not open_document(self.path):
            no_program(self, self.path)
        self.accept()

    def _print(self) -> None:
        if not print_document(self.path):
            no_program(self, self.path)
        self.accept()

    def _export_pdf(self) -> None:
        self.accept()
        self.pdf_export = export_pdf(self.parentWidget(), self.path)


def show_result(parent: QWidget | None, text: str, path: Path) -> None:
    ResultDialog(parent, text, path).exec()


# ------------------------------------------------------------------ the background job


class DocumentExport(QObject):
    """One export: progress dialog, the job, renaming around a locked file, the result dialog.

    ``finished`` carries the written path, or None when nothing was written.
    """

    finished = Signal(object)

    _alive: set["DocumentExport"] = set()  # keep running exports referenced

    def __init__(self, parent: QWidget | None, title: str, build, path: Path, describe: Callable[[object], str]):
        super().__init__(parent)
        self.parent_widget = parent
        self.title = title
        self.build = build
        self.path = Path(path)
        self.original_path = Path(path)
        self.describe = describe
        self.renames = 0
        self.progress_values: list[int] = []
        self.dialog: QProgressDialog | None = None

    def start(self) -> None:
        DocumentExport._alive.add(self)
        self.dialog = background.progress_dialog(self.parent_widget, self.title, 100, minimum_duration=300)
        self._launch()

    def _launch(self) -> None:
        build, path = self.build, self.path
        self._job = background.start_job(lambda progress: build(path, lambda value, message: progress(
            value, 100, message)), self._on_done, self._on_failed, self._on_progress)

    def _on_progress(self, value: int, _total: int, message: str) -> None:
        self.progress_values.append(value)
        dialog = self.dialog
        if dialog is not None:
            dialog.setLabelText(message)
            dialog.setValue(value)  # a modal progress dialog processes events here: nothing may follow

    def _close_progress(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _finish(self, path: Path | None) -> None:
        DocumentExport._alive.discard(self)
        self.finished.emit(path)

    def _on_done(self, result) -> None:
        self._close_progress()
        path = Path(result.path)
        text = self.describe(result)
        if path != self.original_path:
            text += (f"\n\nTệp «{self.original_path.name}» đang được mở trong chương trình khác nên văn bản "
                     f"đã được lưu với tên mới.")
        show_result(self.parent_widget, text, path)
        self._finish(path)

    def _on_failed(self, exc: Exception, details: str) -> None:
        if isinstance(exc, FileLockedError) and self.renames < MAX_RENAMES:
            self.renames += 1
            new_path = next_free_name(self.path)
            common.warn(self.parent_widget, f"{exc.message}\n\nVăn bản sẽ được lưu với tên mới: «{new_path.name}».")
            self.path = new_path
            self._launch()
            return
        self._close_progress()
        if isinstance(exc, (DocumentError, ValidationError, PdfError)):
            common.warn(self.parent_widget, exc.message)
        elif isinstance(exc, OutputError):
            common.error(self.parent_widget, exc.message)
        else:
            log.error("Document export failed:\n%s", details)
            common.error(self.parent_widget, f"Không xuất được văn bản do lỗi không mong đợi: {exc}", details=details)
        self._finish(None)


# ------------------------------------------------------------------ actions


def _suggest(name: str) -> Path:
    return next_free_name(documents_dir() / name)


@dataclass(frozen=True)
class PdfResult:
    path: Path
    source: Path


def export_pdf(parent: QWidget | None, docx: Path) -> DocumentExport:
    """«Xuất PDF»: the PDF next to ``docx`` (Word, else LibreOffice), off the GUI thread; a file of
    that name still open elsewhere gets a new name, as for the .docx."""
    docx = Path(docx)

    def build(path: Path, progress):
        progress(10, "Đang chuyển sang PDF…")
        return PdfResult(convert_to_pdf(docx, path), docx)

    def describe(result) -> str:
        return f"Đã xuất bản PDF của «{docx.name}».\n\nTệp: {result.path}"

    export = DocumentExport(parent, "Đang chuyển văn bản sang PDF…", build, pdf_path_for(docx), describe)
    export.start()
    return export


def export_report(parent: QWidget | None, db, directive_id: int | None, today: date) -> DocumentExport | None:
    """"Xuất báo cáo": Báo cáo kết quả thực hiện a directive (or of all), with Phụ lục I; the
    dialog offers ``directive_id`` and ``today`` and the officer may choose others."""
    suggested = _suggest(report_file_name(today, directive_number(db, directive_id)))
    options = ask_options(parent, REPORT, suggested, today, db=db, directive_id=directive_id)
    if options is None:
        return None
    chosen = directive_id if options.directive_id == KEEP else options.directive_id
    as_of = options.as_of or today

    def build(path: Path, progress):
        return build_report(db, path, today=as_of, directive_ids=[chosen] if chosen is not None else None,
                            issue=options.issue, progress=progress)

    def describe(result) -> str:
        kind = "bản chính thức" if options.issue.final else "dự thảo"
        return (f"Đã xuất báo cáo ({kind}): {result.tasks} nhiệm vụ, {result.units} đơn vị, "
                f"{result.assignments} lượt giao.\n\nTệp: {result.path}")

    export = DocumentExport(parent, "Đang lập báo cáo…", build, options.path, describe)
    export.start()
    return export


def export_reminder(parent: QWidget | None, db, today: date, directive_id: int | None = None,
                    unit_ids: Sequence[int] | None = None) -> DocumentExport | None:
    """"Công văn đôn đốc" to the units with overdue tasks (of a directive, or among ``unit_ids``);
    issuing it logs the reminder on each assignment it names."""
    from desktop.tracking.calendar import add_working_days

    suggested = _suggest(reminder_file_name(today, directive_number(db, directive_id)))
    options = ask_options(parent, REMINDER, suggested, today, add_working_days(today, 5), db=db,
                          directive_id=directive_id, unit_ids=list(unit_ids) if unit_ids else None)
    if options is None:
        return None
    chosen = directive_id if options.directive_id == KEEP else options.directive_id
    directive_ids = [chosen] if chosen is not None else None
    units = list(options.unit_ids) if options.unit_ids else (list(unit_ids) if unit_ids else None)
    as_of = options.as_of or today

    def build(path: Path, progress):
        return build_reminder(db, path, today=as_of, directive_ids=directive_ids, unit_ids=units,
                              respond_by=options.respond_by, issue=options.issue, progress=progress)

    def describe(result) -> str:
        recorded = ("đã ghi nhận đôn đốc vào từng nhiệm vụ" if result.recorded
                    else "dự thảo chưa được ghi nhận là đã đôn đốc")
        return (f"Đã soạn công văn đôn đốc gửi {result.unit_count} đơn vị ({len(result.assignment_ids)} lượt "
                f"nhiệm vụ quá hạn); {recorded}.\n\nTệp: {result.path}")

    export = DocumentExport(parent, "Đang soạn công văn đôn đốc…", build, options.path, describe)
    export.start()
    return export


__all__ = ["KEEP", "DocumentExport", "ExportOptions", "Recipient", "ScopeBox", "reminder_recipients", "ExportOptionsDialog", "PdfResult", "ResultDialog", "ask_options",
           "export_pdf", "no_program",
           "export_reminder", "export_report", "open_document", "print_document", "show_result"]
