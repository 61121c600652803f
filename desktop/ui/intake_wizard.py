"""Đọc văn bản chỉ đạo: open a directive (.docx, .pdf, .txt) or paste its text, check the proposed
tasks beside the source text (the selected task's sentence highlighted), fix units, roles and
dates, then create the directive, its tasks and assignments in one transaction.

Reading runs on a worker thread (``desktop.intake.read_directive`` is pure); the result comes back
through a queued signal. The directive's file (or the pasted text, saved as .txt) is copied into
the data folder's attachments and recorded as ``Directive.file_path``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.models import DirectiveType, Role
from desktop.infra import attachments
from desktop.infra.fileio import OutputError
from desktop.intake import DirectiveProposal, IntakeError, read_directive
from desktop.services import operations as ops
from desktop.services import units as units_service
from desktop.services.operations import ValidationError
from desktop.tracking import labels
from desktop.ui import background, common
from desktop.ui.dialogs.directive import ATTACHMENT_SUBFOLDER, DirectiveDialog, copy_attachment
from desktop.ui.dialogs.widgets import EditDialog, describe_rule
from desktop.ui.intake_drafts import TaskDraft, drafts_from_proposal, unit_text
from desktop.ui.intake_pages import (
    CHECK_COLOR,
    CHECK_TIP,
    COL_DUE,
    COL_INCLUDE,
    COL_RECURRENCE,
    COL_REPORT,
    COL_START,
    COL_TITLE,
    COL_UNITS,
    COLUMN_FIELD,
    DATE_COLOR,
    EVIDENCE_COLOR,
    FILE_FILTER,
    IntakePagesMixin,
)


def _read_failure(exc: Exception) -> str:
    if isinstance(exc, IntakeError):
        return exc.message
    return f"Không đọc được văn bản: {exc}"  # an unexpected fault must reach the user


def _qt_offset(text: str, index: int) -> int:
    """Qt counts UTF-16 code units; Python counts code points."""
    return len(text[:index].encode("utf-16-le")) // 2


class IntakeWizard(IntakePagesMixin, EditDialog):
    """Read a directive and create it with its tasks. ``exec()`` returns Accepted when created;
    ``directive_id`` then holds the new directive's id."""

    proposalReady = Signal()
    readFailed = Signal(str)
    geometry_key = "intakeWizard"

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(db, parent)
        self.setObjectName("intakeWizard")
        self.setWindowTitle("Đọc văn bản chỉ đạo")
        self.directive_id: int | None = None
        self.proposal: DirectiveProposal | None = None
        self.drafts: list[TaskDraft] = []
        self.current = -1
        self.source_path: Path | None = None
        self.pasted_text: str | None = None
        self._signals: background.JobSignals | None = None
        self._loading = False
        self.unit_rows, self.unit_refs = units_service.intake_units(db)
        self._build()
        self.setAcceptDrops(True)
        common.restore_geometry(self, self.geometry_key)

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_banner)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("intakePages")
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._build_source_page())
        self.pages.addWidget(self._build_review_page())
        buttons = QHBoxLayout()
        self.back_button = QPushButton("← Chọn văn bản khác", self)
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.go_back)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.create_button = QPushButton("Tạo văn bản và nhiệm vụ", self)
        self.create_button.setObjectName("createButton")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create)
        buttons.addWidget(self.create_button)
        self.cancel_button = QPushButton("Đóng", self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._show_page(0)
        self.resize(1280, 800)


    def field_widgets(self) -> dict[str, QWidget]:
        return {"number": self.number_edit, "doc_type": self.type_combo, "title": self.summary_edit,
                "due_date": self.due_field, "report_due_date": self.report_field, "recurrence": self.recurrence}

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setVisible(index == 1)
        self.create_button.setVisible(index == 1)
        self.cancel_button.setText("Hủy" if index == 1 else "Đóng")

    # ------------------------------------------------------------ reading

    def choose_file(self) -> None:
        files = common.choose_open_files(self, "Chọn văn bản chỉ đạo", FILE_FILTER)
        if files:
            self.read_file(Path(files[0]))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.pages.currentIndex() == 0 and event.mimeData().hasUrls() and any(
                u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files and self.pages.currentIndex() == 0:
            event.acceptProposedAction()
            self.read_file(Path(files[0]))

    def read_file(self, path: str | Path) -> None:
        self.source_path, self.pasted_text = Path(path), None
        self._start_read(Path(path), Path(path).name)

    def read_pasted(self) -> None:
        text = self.paste_edit.toPlainText()
        if not text.strip():
            common.warn(self, "Chưa có nội dung: hãy dán văn bản vào ô trên, hoặc chọn «Mở tệp văn bản…».")
            return
        self.source_path, self.pasted_text = None, text
        self._start_read(text.encode("utf-8"), None)  # bytes: a pasted line is never taken for a file name

    def _start_read(self, source, filename: str | None) -> None:
        self.clear_error()
        self.status_label.setText("Đang đọc văn bản…")
        self.open_button.setEnabled(False)
        self.read_button.setEnabled(False)
        units = list(self.unit_refs)
        self._signals = background.start_job(
            lambda _progress: read_directive(source, units=units, filename=filename), self._on_read,
            self._on_read_error)

    def _reading_done(self) -> None:
        self.open_button.setEnabled(True)
        self.read_button.setEnabled(True)
        self.status_label.setText("")

    def _on_read_error(self, exc: Exception, _details: str) -> None:
        self._on_read_failed(_read_failure(exc))

    def _on_read_failed(self, message: str) -> None:
        self._reading_done()
        common.error(self, message, "Không đọc được văn bản")
        self.readFailed.emit(message)

    def _on_read(self, proposal: DirectiveProposal) -> None:
        self._reading_done()
        self.show_proposal(proposal)
        self.proposalReady.emit()

    # ------------------------------------------------------------ showing a proposal

    def show_proposal(self, proposal: DirectiveProposal) -> None:
        self.proposal = proposal
        self.drafts = drafts_from_proposal(proposal, self.unit_refs)
        self.number_edit.setText(proposal.doc_number or "")
        self.issued_on.set_value(proposal.doc_date)
        self.issuer_edit.setText(proposal.issuer or "")
        doc_type = proposal.doc_type or DirectiveType.OTHER.value
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(doc_type), 0))
        self.title_edit.setText(proposal.title or "")
        conf = proposal.confidence()
        for widget, name in ((self.number_edit, "doc_number"), (self.issued_on, "doc_date"),
                             (self.issuer_edit, "issuer"), (self.title_edit, "title")):
            self._mark_field(widget, conf.get(name, "high"))
        self.source_view.setPlainText(proposal.text)
        self.current = -1
        self._fill_table()
        self._show_page(1)
        if self.drafts:
            self.select_task(0)
        else:
            self._load_editor(None)
            common.info(self, "Không tìm thấy nhiệm vụ nào trong văn bản. Anh/chị có thể nhập nhiệm vụ bằng tay "
                              "trong «Văn bản chỉ đạo».")

    @staticmethod
    def _mark_field(widget: QWidget, level: str) -> None:
        """A document field the reader is unsure of gets the colour of its doubt and says why."""
        color = CHECK_COLOR.get(level)
        widget.setProperty("confidence", level)
        widget.setStyleSheet(f"background-color: {color.name()};" if color else "")
        widget.setToolTip(CHECK_TIP.get(level, ""))

    def cells_to_check(self) -> list[tuple[int, int, str]]:
        """(row, column, level) of every proposal cell highlighted for checking."""
        out = []
        for row in range(self.table.rowCount()):
            for col in COLUMN_FIELD:
                item = self.table.item(row, col)
                level = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
                if level in CHECK_COLOR:
                    out.append((row, col, level))
        return out

    def _fill_table(self) -> None:
        self._loading = True
        self.table.setRowCount(len(self.drafts))
        for row in range(len(self.drafts)):
            self._refresh_row(row)
        self._loading = False
        self._update_count()

    def _refresh_row(self, row: int) -> None:
        draft = self.drafts[row]
        was = self._loading
        self._loading = True
        include = QTableWidgetItem()
        include.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        include.setCheckState(Qt.CheckState.Checked if draft.include else Qt.CheckState.Unchecked)
        self.table.setItem(row, COL_INCLUDE, include)
        title = QTableWidgetItem(draft.title)
        title.setToolTip(draft.content)
        self.table.setItem(row, COL_TITLE, title)
        values = {
            COL_UNITS: unit_text(draft, self.unit_rows),
            COL_START: labels.fmt_date(draft.start) if draft.start else "",
            COL_DUE: labels.fmt_date(draft.due) if draft.due else ("thường xuyên" if draft.ongoing
                                                                   else draft.period_text),
            COL_REPORT: labels.fmt_date(draft.report) if draft.report else "",
            COL_RECURRENCE: describe_rule(draft.recurrence) if draft.recurrence else "",
        }
        for col, text in values.items():
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if col == COL_UNITS and not draft.roles:
                item.setForeground(QColor("#B71C1C"))
            self.table.setItem(row, col, item)
        for col, name in COLUMN_FIELD.items():
            level = draft.confidence.get(name, "high")
            item = self.table.item(row, col)
            item.setData(Qt.ItemDataRole.UserRole, level)
            if level in CHECK_COLOR:
                item.setBackground(CHECK_COLOR[level])
                item.setToolTip(CHECK_TIP[level] + (f"\n{draft.content}" if col == COL_TITLE else ""))
        self._loading = was

    def _update_count(self) -> None:
        chosen = sum(1 for d in self.drafts if d.include)
        no_unit = sum(1 for d in self.drafts if d.include and not d.roles)
        text = f"{chosen}/{len(self.drafts)} nhiệm vụ sẽ được tạo."
        if no_unit:
            text += f" {no_unit} nhiệm vụ chưa có đơn vị thực hiện."
        to_check = sum(1 for d in self.drafts if d.include and any(v != "high" for v in d.confidence.values()))
        if to_check:
            text += f" {to_check} nhiệm vụ có ô tô màu cần kiểm tra (vàng: đoán, đỏ: chưa chắc)."
        self.count_label.setText(text)

    # ------------------------------------------------------------ selection and editing

    def select_task(self, index: int) -> None:
        if 0 <= index < len(self.drafts):
            self.table.selectRow(index)
            if self.current != index:
                self._on_selection()

    def _on_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        index = rows[0].row() if rows else -1
        if index == self.current:
            return
        self._store_editor()
        self.current = index
        self._load_editor(self.drafts[index] if 0 <= index < len(self.drafts) else None)
        self._highlight()

    def _load_editor(self, draft: TaskDraft | None) -> None:
        self._loading = True
        try:
            enabled = draft is not None
            for widget in (self.summary_edit, self.start_field, self.due_field, self.report_field,
                           self.recurring_check, self.recurrence, self.checklist):
                widget.setEnabled(enabled)
            if draft is None:
                self.summary_edit.clear()
                self.checklist.set_roles({})
                self.unmatched_label.clear()
                return
            self.summary_edit.setText(draft.title)
            self.summary_edit.setCursorPosition(0)
            self.summary_edit.setToolTip(draft.content)
            self.start_field.set_value(draft.start)
            self.due_field.set_value(draft.due)
            self.report_field.set_value(draft.report)
            self.recurring_check.setChecked(bool(draft.recurrence))
            self.recurrence.set_rule(draft.recurrence)
            self.recurrence.setEnabled(bool(draft.recurrence))
            self.recurrence_label.setText(describe_rule(draft.recurrence) if draft.recurrence else "")
            self.checklist.set_roles(draft.roles)
            notes = []
            if draft.unmatched:
                notes.append("Văn bản nêu đơn vị không có trong danh sách: " + "; ".join(
                    f"«{name}»" for name in draft.unmatched) + ". Nếu cần, hãy chọn đơn vị tương ứng ở dưới.")
            if not draft.roles:
                notes.append("Chưa xác định được đơn vị thực hiện: hãy đánh dấu đơn vị ở dưới.")
            notes.extend(draft.notes)
            self.unmatched_label.setText("\n".join(notes))
        finally:
            self._loading = False

    def _store_editor(self) -> None:
        if not (0 <= self.current < len(self.drafts)):
            return
        draft = self.drafts[self.current]
        before = (draft.title, draft.start, draft.due, draft.report, draft.recurrence, dict(draft.roles))
        draft.title = self.summary_edit.text().strip()
        draft.start = self.start_field.value()
        draft.due = self.due_field.value()
        draft.report = self.report_field.value()
        draft.recurrence = self.recurrence.rule() if self.recurring_check.isChecked() else ""
        draft.roles = self.checklist.roles()
        after = (draft.title, draft.start, draft.due, draft.report, draft.recurrence, draft.roles)
        # what the officer set is checked: its highlight goes
        for name, old, new in zip(("summary", "start_date", "due_date", "report_due_date", "recurrence", "units"),
                                  before, after):
            if old != new:
                draft.confidence[name] = "high"
                if name == "units":
                    draft.guessed_units = set()

    def _on_editor_changed(self, *_args) -> None:
        if self._loading or not (0 <= self.current < len(self.drafts)):
            return
        self.recurrence.setEnabled(self.recurring_check.isChecked())
        self._store_editor()
        draft = self.drafts[self.current]
        self.recurrence_label.setText(describe_rule(draft.recurrence) if draft.recurrence else "")
        self._refresh_row(self.current)
        self._update_count()

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        row = item.row()
        if not (0 <= row < len(self.drafts)):
            return
        draft = self.drafts[row]
        if item.column() == COL_INCLUDE:
            draft.include = item.checkState() == Qt.CheckState.Checked
            self._update_count()
        elif item.column() == COL_TITLE:
            draft.title = item.text().strip()
            if row == self.current:
                self._loading = True
                self.summary_edit.setText(draft.title)
                self._loading = False

    def set_included(self, index: int, include: bool) -> None:
        """Tick or untick a proposal, as a click on its «Tạo» box does."""
        self.table.item(index, COL_INCLUDE).setCheckState(
            Qt.CheckState.Checked if include else Qt.CheckState.Unchecked)

    def _highlight(self) -> None:
        selections = []
        draft = self.drafts[self.current] if 0 <= self.current < len(self.drafts) else None
        if draft is not None and self.proposal is not None:
            text = self.proposal.text
            doc = self.source_view.document()

            def selection(start: int, end: int, color: QColor):
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(doc)
                cursor.setPosition(_qt_offset(text, start))
                cursor.setPosition(_qt_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cursor
                sel.format.setBackground(color)
                return sel

            selections.append(selection(draft.span[0], draft.span[1], EVIDENCE_COLOR))
            for start, end, _what in draft.date_spans:
                selections.append(selection(start, end, DATE_COLOR))
            cursor = QTextCursor(doc)
            cursor.setPosition(_qt_offset(text, draft.span[1]))
            self.source_view.setTextCursor(cursor)
            self.source_view.ensureCursorVisible()
            cursor.setPosition(_qt_offset(text, draft.span[0]))
            self.source_view.setTextCursor(cursor)
            self.source_view.ensureCursorVisible()
        self.source_view.setExtraSelections(selections)

    def highlighted_text(self) -> str:
        """The source text highlighted as the selected task's sentence (for tests and checks)."""
        for sel in self.source_view.extraSelections():
            if sel.format.background().color() == EVIDENCE_COLOR:
                return sel.cursor.selectedText().replace("\u2029", "\n")
        return ""

    # ------------------------------------------------------------ back / create

    def go_back(self) -> None:
        if self.drafts and not common.ask(self, "Bỏ các đề xuất đang sửa và chọn văn bản khác?"):
            return
        self.proposal, self.drafts, self.current = None, [], -1
        self.table.setRowCount(0)
        self.clear_error()
        self._show_page(0)

    def _task_input(self, draft: TaskDraft, issued_on: date | None) -> ops.TaskInput:
        leads = [u for u, r in draft.roles.items() if r == Role.LEAD.value]
        coords = [u for u, r in draft.roles.items() if r == Role.COORDINATE.value]
        execs = [u for u, r in draft.roles.items() if r == Role.EXECUTE.value]
        start = draft.start
        if draft.recurrence and start is None:
            start = issued_on
        return ops.TaskInput(
            title=draft.title, content=draft.content, kind=draft.kind(), start_date=start, due_date=draft.due,
            report_due_date=draft.report, recurrence=draft.recurrence, unit_ids=execs, lead_unit_ids=leads,
            coordinate_unit_ids=coords)

    def directive_input(self) -> ops.DirectiveInput:
        name = self.source_path.name if self.source_path else "nội dung dán vào"
        return ops.DirectiveInput(
            number=self.number_edit.text(), issued_on=self.issued_on.value(), issuer=self.issuer_edit.text(),
            doc_type=self.type_combo.currentData(), title=self.title_edit.text(),
            notes=f"Nhập bằng chức năng «Đọc văn bản chỉ đạo» từ {name}.")

    def create(self) -> bool:
        """Create the directive with the ticked tasks in one transaction; close when done."""
        self._store_editor()
        self.clear_error()
        directive = self.directive_input()
        chosen = [(i, d) for i, d in enumerate(self.drafts) if d.include]
        if not chosen:
            self.show_error("Chưa chọn nhiệm vụ nào để tạo: hãy đánh dấu ở cột «Tạo».")
            return False
        tasks = []
        for n, (index, draft) in enumerate(chosen, 1):
            task = self._task_input(draft, directive.issued_on)
            try:
                ops.validate_task(task, n)
            except ValidationError as exc:
                self.select_task(index)
                self.show_error(exc.message, exc.field_name)
                return False
            tasks.append(task)
        try:
            directive.file_path = self._store_source(directive.number)
        except (OutputError, OSError) as exc:
            self.show_error(getattr(exc, "message", None) or f"Không sao chép được tệp văn bản: {exc}")
            return False
        saved = self.run_save(lambda s: ops.create_directive(s, directive, tasks).id, "Đọc văn bản chỉ đạo")
        if saved is None:
            if directive.file_path:
                attachments.remove(attachments.resolve(self.db.location, directive.file_path))
            return False
        self.directive_id = int(saved)
        self.accept()
        return True

    def offer_existing_directive(self, exc: ops.DuplicateDirectiveError) -> None:
        """The directive read is already registered: offer to open the first one (this wizard then
        closes without creating anything)."""
        if not common.ask(self, f"{exc.message}\n\nMở văn bản đã có? Các nhiệm vụ đề xuất ở đây sẽ không được tạo.",
                          "Văn bản đã có", default_yes=True):
            return
        dialog = DirectiveDialog(self.db, exc.existing_id, self.parentWidget())
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
        self.directive_id = exc.existing_id
        # Accepted: the window reloads its lists and the existing directive may have been edited.
        self.saved = True
        self.finish()

    def _store_source(self, number: str) -> str:
        """Copy the directive's file (or save the pasted text) into the attachments; relative path."""
        if self.source_path is not None:
            return copy_attachment(self.source_path, self.db.location)
        if self.pasted_text:
            stem = re.sub(r"[^\w\-]+", "-", number.strip(), flags=re.UNICODE).strip("-") or "van-ban"
            return attachments.write_text(self.db.location, ATTACHMENT_SUBFOLDER, f"{stem}.txt", self.pasted_text)
        return ""

    def reject(self) -> None:
        if self.pages.currentIndex() == 1 and self.drafts and not common.ask(
                self, "Đóng mà không tạo văn bản? Các đề xuất đã sửa sẽ mất."):
            return
        super().reject()
