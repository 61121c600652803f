"""Preview of filled "Phiếu báo cáo" files before anything is written ("Nhập phiếu báo cáo").

Left: one line per file, accepted (green) or rejected (red). Right: for the chosen file, the
changes row by row (old -> new) and every problem with its cell. "Nhập dữ liệu" applies the
accepted files (each in one transaction); "Lưu bản có ghi chú lỗi…" saves a copy of a rejected file
with its problem cells marked, for the unit. More .xlsx files can be dropped onto the dialog.

Reading and applying run on the thread pool (``background.start_job``); the dialog only
shows plain preview objects. Tests patch ``desktop.ui.common`` and ``files.offer_open``.
"""

from __future__ import annotations

from datetime import date, timezone
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.infra.fileio import OutputError, next_free_name
from desktop.infra.paths import documents_dir
from desktop.tracking.labels import fmt_date
from desktop.ui import background, common, files
from desktop.workbooks.import_annotated import annotated_name, save_annotated
from desktop.workbooks.import_model import (
    ACTION_NONE,
    ACTION_SKIP,
    ACTION_TEXT,
    ERROR,
    ApplyResult,
    FilePreview,
    ImportPreview,
)
from desktop.workbooks.importer import apply_preview, is_excel_path, preview_files

ACCEPTED_COLOUR = QColor("#2E7D32")
REJECTED_COLOUR = QColor("#C62828")
WARNING_COLOUR = QColor("#EF6C00")
SKIPPED_COLOUR = QColor("#757575")


class ImportPreviewDialog(QDialog):
    """``ImportPreviewDialog(db, paths, parent)``; emits ``previewReady`` after each check and
    ``imported(ApplyResult)`` after "Nhập dữ liệu"."""

    previewReady = Signal()
    imported = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self, db, paths: Sequence[str | Path], parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or date.today()
        self.paths: list[Path] = []
        self.preview: ImportPreview | None = None
        self._busy = False
        self._applying = False
        self.setWindowTitle("Nhập phiếu báo cáo kết quả — xem trước")
        self.setAcceptDrops(True)
        self.resize(1180, 680)
        self._build()
        common.restore_geometry(self, "importPreview")
        self.add_paths(paths)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        intro = QLabel("Chương trình đã kiểm tra các phiếu dưới đây; <b>chưa có gì được ghi</b>. Xem các thay đổi và "
                       "lỗi, rồi bấm «Nhập dữ liệu». Có thể kéo thả thêm tệp .xlsx vào cửa sổ này.")
        intro.setWordWrap(True)

        self.file_list = QListWidget()
        self.file_list.setMinimumWidth(300)
        self.file_list.setWordWrap(True)
        self.file_list.setSpacing(2)
        self.file_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.file_list.currentRowChanged.connect(self._show_file)

        self.file_summary = QLabel()
        self.file_summary.setWordWrap(True)
        self.file_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.changes = QTableWidget(0, 5)
        self.changes.setHorizontalHeaderLabels(["Dòng", "Nhiệm vụ", "Nội dung", "Trước", "Sau"])
        self._table_defaults(self.changes)
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 50), (2, 150), (3, 170), (4, 190)):
            self.changes.setColumnWidth(col, width)

        self.problems = QTableWidget(0, 3)
        self.problems.setHorizontalHeaderLabels(["Mức", "Ô", "Vấn đề"])
        self._table_defaults(self.problems)
        self.problems.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems.setColumnWidth(0, 70)
        self.problems.setColumnWidth(1, 130)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.file_summary)
        right_layout.addWidget(QLabel("<b>Thay đổi sẽ ghi</b>"))
        right_layout.addWidget(self.changes, 3)
        right_layout.addWidget(QLabel("<b>Lỗi và lưu ý</b>"))
        right_layout.addWidget(self.problems, 2)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Các tệp</b>"))
        left_layout.addWidget(self.file_list)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 860])

        self.accept_box = QCheckBox("Duyệt luôn các kết quả «Đã hoàn thành» (không chờ duyệt)")
        self.accept_box.toggled.connect(lambda _on: self._show_file(self.file_list.currentRow()))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()

        self.annotate_button = QPushButton("Lưu bản có ghi chú lỗi…")
        self.annotate_button.clicked.connect(self._save_annotated)
        self.import_button = QPushButton("Nhập dữ liệu")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._apply)
        self.cancel_button = QPushButton("Hủy")
        self.cancel_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_box)
        buttons.addStretch(1)
        buttons.addWidget(self.annotate_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self._update_buttons()

    @staticmethod
    def _table_defaults(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)

    # ------------------------------------------------------------------ files and checking

    def add_paths(self, paths: Sequence[str | Path]) -> int:
        """Add files (duplicates ignored) and check them all again; returns how many were new."""
        known = {p.resolve() for p in self.paths}
        added = 0
        for p in paths:
            path = Path(p)
            if path.resolve() not in known:
                self.paths.append(path)
                known.add(path.resolve())
                added += 1
        if added:
            self._check()
        return added

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        self.status.setText(message)
        self._update_buttons()
        self.busyChanged.emit(busy)

    def _check(self) -> None:
        paths, db, today = list(self.paths), self.db, self.today
        self._set_busy(True, f"Đang kiểm tra {len(paths)} tệp…")
        background.start_job(lambda progress: preview_files(db, paths, today, progress), self._preview_done,
                          self._failed, self._progress)

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(message)

    def _failed(self, exc: Exception, _details: str = "") -> None:
        self._applying = False
        self._set_busy(False)
        common.error(self, background.error_message(exc))

    def _preview_done(self, preview: ImportPreview) -> None:
        self.preview = preview
        current = self.file_list.currentRow()
        self.file_list.blockSignals(True)
        self.file_list.clear()
        for fp in preview.files:
            item = QListWidgetItem(self._file_line(fp))
            item.setForeground(QBrush(ACCEPTED_COLOUR if fp.accepted else REJECTED_COLOUR))
            item.setToolTip(str(fp.path))
            self.file_list.addItem(item)
        self.file_list.blockSignals(False)
        accepted = len(preview.accepted)
        rows = sum(len(f.actionable) for f in preview.accepted)
        self._set_busy(False, f"{len(preview.files)} tệp: {accepted} nhận, {len(preview.files) - accepted} không nhận; "
                              f"{rows} dòng sẽ được ghi.")
        self.file_list.setCurrentRow(current if 0 <= current < len(preview.files) else 0)
        self._show_file(self.file_list.currentRow())
        self.previewReady.emit()

    @staticmethod
    def _file_line(fp: FilePreview) -> str:
        verdict = "✔ Nhận" if fp.accepted else "✘ Không nhận"
        detail = f"{len(fp.actionable)} dòng thay đổi" if fp.accepted else f"{len(fp.errors)} lỗi"
        unit = f"\n{fp.unit_name}" if fp.unit_name else ""
        return f"{verdict} — {detail}\n{fp.file_name}{unit}"

    def current_file(self) -> FilePreview | None:
        row = self.file_list.currentRow()
        if self.preview is None or not 0 <= row < len(self.preview.files):
            return None
        return self.preview.files[row]

    def _show_file(self, _row: int) -> None:
        fp = self.current_file()
        self.changes.setRowCount(0)
        self.problems.setRowCount(0)
        self._update_buttons()
        if fp is None:
            self.file_summary.setText("")
            return
        lines = [f"<b>{fp.file_name}</b>"]
        if fp.unit_name:
            lines.append(f"Đơn vị: <b>{fp.unit_name}</b> (mã {fp.unit_code})")
        if fp.created_on:
            lines.append(f"Phiếu lập ngày {fmt_date(date.fromisoformat(fp.created_on))}")
        if fp.file_time:
            local = fp.file_time.replace(tzinfo=timezone.utc).astimezone()
            lines.append(f"đơn vị lưu tệp lúc {local:%H:%M} ngày {local:%d/%m/%Y}")
        verdict = ("<span style='color:#2E7D32'><b>Nhận</b></span>" if fp.accepted else
                   "<span style='color:#C62828'><b>Không nhận</b>: sửa các lỗi bên dưới (có thể lưu bản có ghi chú "
                   "lỗi để gửi lại đơn vị)</span>")
        text = " · ".join(lines[1:])
        notices = "".join(f"<br>{n}" for n in fp.notices)
        self.file_summary.setText(f"{lines[0]} — {verdict}<br>{text}{notices}")
        accept = self.accept_box.isChecked()
        for row in fp.rows:
            if row.action == ACTION_NONE and not row.note.startswith(("Giống", "Đã nhập")):
                continue
            changes = row.changes_for(accept)
            colour = SKIPPED_COLOUR if row.action in (ACTION_SKIP, ACTION_NONE) else None
            if not changes:
                note = "Có lỗi, xem bảng lỗi bên dưới" if row.note == "Có lỗi" else row.note
                self._add_change(str(row.excel_row), row.task_title, ACTION_TEXT[row.action], note, "", colour)
                continue
            for i, c in enumerate(changes):
                self._add_change(str(row.excel_row) if i == 0 else "", row.task_title if i == 0 else "", c.field,
                                 c.old or "—", c.new or "—", colour)
        for p in fp.problems:
            self._add_problem(p.severity, p.where or "Cả tệp", p.message)
        self.changes.resizeRowsToContents()
        self.problems.resizeRowsToContents()

    def _add_change(self, row: str, task: str, field: str, old: str, new: str, colour: QColor | None) -> None:
        index = self.changes.rowCount()
        self.changes.insertRow(index)
        for col, value in enumerate((row, task, field, old, new)):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if colour is not None:
                item.setForeground(QBrush(colour))
            self.changes.setItem(index, col, item)

    def _add_problem(self, severity: str, where: str, message: str) -> None:
        index = self.problems.rowCount()
        self.problems.insertRow(index)
        level = QTableWidgetItem("Lỗi" if severity == ERROR else "Lưu ý")
        level.setForeground(QBrush(REJECTED_COLOUR if severity == ERROR else WARNING_COLOUR))
        self.problems.setItem(index, 0, level)
        self.problems.setItem(index, 1, QTableWidgetItem(where))
        item = QTableWidgetItem(message)
        item.setToolTip(message)
        self.problems.setItem(index, 2, item)

    def _update_buttons(self) -> None:
        fp = self.current_file()
        can_import = self.preview is not None and any(f.actionable for f in self.preview.accepted)
        self.import_button.setEnabled(not self._busy and can_import)
        self.annotate_button.setEnabled(not self._busy and fp is not None and not fp.accepted and fp.loadable)
        self.accept_box.setEnabled(not self._busy)
        self.cancel_button.setEnabled(not self._applying)

    # ------------------------------------------------------------------ actions

    def _apply(self) -> None:
        if self.preview is None or self._busy:
            return
        preview, db, today, accept = self.preview, self.db, self.today, self.accept_box.isChecked()
        rejected = len(preview.rejected)
        if rejected and not common.ask(self, f"{rejected} tệp không được nhận vì có lỗi. Vẫn nhập các tệp còn lại?"):
            return
        self._applying = True
        self._set_busy(True, "Đang nhập dữ liệu…")
        background.start_job(lambda progress: apply_preview(db, preview, today, accept, progress), self._applied,
                          self._failed, self._progress)

    def _applied(self, result: ApplyResult) -> None:
        self._applying = False
        self._set_busy(False, result.summary())
        self.imported.emit(result)
        if result.failed:
            common.warn(self, result.summary())
            self._check()  # show the files again as they now stand
            return
        common.info(self, result.summary())
        self.accept()

    def _save_annotated(self) -> None:
        fp = self.current_file()
        if fp is None or fp.accepted or not fp.loadable:
            return
        suggested = next_free_name(documents_dir() / annotated_name(fp))
        chosen = common.choose_save_file(self, "Lưu bản có ghi chú lỗi", str(suggested), files.EXCEL_FILTER)
        if not chosen:
            return
        target = files.with_suffix(chosen)
        try:
            written = save_annotated(fp, target)
        except OutputError as exc:
            common.error(self, exc.message)
            return
        except Exception as exc:
            common.error(self, f"Không lập được bản có ghi chú lỗi: {exc}")
            return
        files.offer_open(self, f"Đã lưu bản có ghi chú lỗi (các ô lỗi tô đỏ, có chú thích) để gửi lại đơn vị:\n"
                                 f"{written}", written)

    # ------------------------------------------------------------------ drag and drop

    @staticmethod
    def _dropped_paths(event) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and is_excel_path(u.toLocalFile())]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_paths(event) and not self._busy:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_paths(event) and not self._busy:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    def reject(self) -> None:
        if self._applying:  # the transaction finishes first; closing now would hide its outcome
            return
        super().reject()

    def done(self, result: int) -> None:
        common.save_geometry(self, "importPreview")
        super().done(result)
