"""Văn bản chỉ đạo: a directive, its tasks (dates, recurrence, indicators) and their units."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.models import DirectiveType, TaskKind
from desktop.infra import attachments
from desktop.infra.fileio import OutputError
from desktop.services import directives
from desktop.services import editing as edits
from desktop.services import operations as ops
from desktop.services.operations import ValidationError
from desktop.tracking import labels
from desktop.ui import common
from desktop.ui.dialogs import data
from desktop.ui.dialogs.directive_task import TaskTabsMixin
from desktop.ui.dialogs.unit_picker import UnitChecklist
from desktop.ui.dialogs.widgets import DateField, EditDialog, describe_rule, make_table

ATTACHMENT_SUBFOLDER = "van-ban"
_TASK_COLUMNS = ["STT", "Nhiệm vụ", "Hạn", "Đơn vị"]


def copy_attachment(source: Path, database: str) -> str:
    """Copy a directive's file into the attachments (``tep-dinh-kem/van-ban/``); the stored relative path."""
    return attachments.copy_file(database, source, ATTACHMENT_SUBFOLDER)


class DirectiveDialog(TaskTabsMixin, EditDialog):
    """Add (``directive_id=None``) or edit a directive with its tasks and their assignment to units.

    ``exec()`` returns Accepted when saved; ``directive_id`` then holds the saved directive's id."""

    geometry_key = "directiveDialog"

    def __init__(self, db, directive_id: int | None = None, parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(db, parent)
        self.today = today or date.today()
        self.directive_id = directive_id
        self.setObjectName("directiveDialog")
        self.draft = data.DirectiveDraft()
        self.units: list[data.UnitRow] = []
        self.current_index = -1
        self._loaded: tuple | None = None  # snapshot to tell whether anything changed
        self._pending_file: Path | None = None
        self._loading = False
        self._build()
        self.reload()
        common.restore_geometry(self, self.geometry_key)

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        head = QGroupBox("Văn bản chỉ đạo", self)
        head.setObjectName("directiveForm")
        grid = QGridLayout(head)
        self.number_edit = QLineEdit(head)
        self.number_edit.setObjectName("directiveNumberEdit")
        self.number_edit.setPlaceholderText("Ví dụ: 234/KH-UBND")
        self.number_edit.setMaxLength(60)
        self.issued_on = DateField(optional=True, default=lambda: self.today)
        self.issued_on.setObjectName("directiveIssuedOn")
        self.received_on = DateField(optional=True, default=lambda: self.today)
        self.received_on.setObjectName("directiveReceivedOn")
        self.issuer_combo = QComboBox(head)
        self.issuer_combo.setObjectName("directiveIssuerCombo")
        self.issuer_combo.setEditable(True)
        self.issuer_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.issuer_combo.lineEdit().setPlaceholderText("Cơ quan ban hành văn bản")
        self.type_combo = QComboBox(head)
        self.type_combo.setObjectName("directiveTypeCombo")
        for code, label in labels.DIRECTIVE_TYPE.items():
            self.type_combo.addItem(label, code)
        self.title_edit = QPlainTextEdit(head)
        self.title_edit.setObjectName("directiveTitleEdit")
        self.title_edit.setPlaceholderText("Trích yếu nội dung văn bản")
        self.title_edit.setTabChangesFocus(True)
        self.title_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.notes_edit = QLineEdit(head)
        self.notes_edit.setObjectName("directiveNotesEdit")
        self.file_label = QLabel(head)
        self.file_label.setObjectName("directiveFileLabel")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_file_button = QPushButton("Chọn tệp…", head)
        self.choose_file_button.setObjectName("chooseFileButton")
        self.open_file_button = QPushButton("Mở tệp", head)
        self.open_file_button.setObjectName("openFileButton")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_file_button)
        file_row.addWidget(self.open_file_button)
        grid.addWidget(QLabel("Số, ký hiệu:"), 0, 0)
        grid.addWidget(self.number_edit, 0, 1)
        grid.addWidget(QLabel("Ngày ban hành:"), 0, 2)
        grid.addWidget(self.issued_on, 0, 3)
        grid.addWidget(QLabel("Cơ quan ban hành:"), 1, 0)
        grid.addWidget(self.issuer_combo, 1, 1)
        grid.addWidget(QLabel("Loại văn bản:"), 1, 2)
        grid.addWidget(self.type_combo, 1, 3)
        grid.addWidget(QLabel("Trích yếu:"), 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.title_edit, 2, 1, 1, 3)
        grid.addWidget(QLabel("Ghi chú:"), 3, 0)
        grid.addWidget(self.notes_edit, 3, 1)
        grid.addWidget(QLabel("Ngày đến:"), 3, 2)
        grid.addWidget(self.received_on, 3, 3)
        grid.addWidget(QLabel("Tệp văn bản:"), 4, 0)
        grid.addLayout(file_row, 4, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 1)
        outer.addWidget(head)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("directiveSplitter")
        tasks_box = QGroupBox("Nhiệm vụ", splitter)
        tasks_layout = QVBoxLayout(tasks_box)
        self.task_table = make_table(tasks_box, "directiveTaskTable", _TASK_COLUMNS, stretch=(1,))
        self.task_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.task_table.setWordWrap(False)
        tasks_layout.addWidget(self.task_table, 1)
        task_buttons = QHBoxLayout()
        self.add_task_button = QPushButton("Thêm nhiệm vụ", tasks_box)
        self.add_task_button.setObjectName("addTaskButton")
        self.remove_task_button = QPushButton("Bỏ nhiệm vụ", tasks_box)
        self.remove_task_button.setObjectName("removeTaskButton")
        task_buttons.addWidget(self.add_task_button)
        task_buttons.addWidget(self.remove_task_button)
        task_buttons.addStretch(1)
        tasks_layout.addLayout(task_buttons)

        self.tabs = QTabWidget(splitter)
        self.tabs.setObjectName("taskTabs")
        self.tabs.addTab(self._build_content_tab(), "Nội dung, thời hạn")
        self.tabs.addTab(self._build_indicator_tab(), "Chỉ tiêu, số liệu")
        self.unit_checklist = UnitChecklist(self)
        self.tabs.addTab(self.unit_checklist, "Đơn vị thực hiện")
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 620])
        outer.addWidget(splitter, 1)

        self.buttons = self.add_footer(outer)
        self.resize(1100, 760)

        self.task_table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._select_task(row))
        self.add_task_button.clicked.connect(self.add_task)
        self.remove_task_button.clicked.connect(self.remove_task)
        self.choose_file_button.clicked.connect(self._choose_file)
        self.open_file_button.clicked.connect(self._open_file)
        self.task_title.textEdited.connect(self._on_task_field_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        for field in (self.start_field, self.due_field, self.report_due_field):
            field.changed.connect(self._on_task_field_changed)
        self.recurrence.changed.connect(self._on_recurrence_changed)
        self.unit_checklist.changed.connect(self._on_task_field_changed)

    def field_widgets(self) -> dict[str, QWidget]:
        return {"number": self.number_edit, "doc_type": self.type_combo, "title": self.task_title,
                "kind": self.kind_combo, "due_date": self.due_field, "report_due_date": self.report_due_field,
                "recurrence": self.recurrence, "indicators": self.indicator_table, "units": self.unit_checklist.tree}

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        settings = self.db.settings() if self.directive_id is None else None
        loaded = directives.editor_data(self.db, self.directive_id, DirectiveType.PLAN.value)
        self.units, issuers, self.draft = loaded.units, loaded.issuers, loaded.draft
        self.unit_checklist.set_units(self.units)
        self._loading = True
        self.setWindowTitle("Thêm văn bản chỉ đạo" if self.directive_id is None
                            else f"Sửa văn bản chỉ đạo {self.draft.number}")
        self.issuer_combo.clear()
        self.issuer_combo.addItems(issuers)
        self.number_edit.setText(self.draft.number)
        self.issued_on.set_value(self.draft.issued_on)
        self.received_on.set_value(self.draft.received_on)
        self.issuer_combo.setEditText(self.draft.issuer or (settings.superior_name if settings else ""))
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(self.draft.doc_type), 0))
        self.title_edit.setPlainText(self.draft.title)
        self.notes_edit.setText(self.draft.notes)
        self._pending_file = None
        self._show_file()
        self._loading = False
        if not self.draft.tasks and self.directive_id is None:
            self.draft.tasks.append(self._new_task())
        self.current_index = -1
        self._refill_task_table()
        self._select_task(0 if self.draft.tasks else -1)
        self._loaded = self._snapshot()

    def _show_file(self) -> None:
        if self._pending_file is not None:
            self.file_label.setText(f"{self._pending_file.name} (sẽ sao chép khi lưu)")
        else:
            self.file_label.setText(self.draft.file_path or "(chưa có tệp)")
        self.open_file_button.setEnabled(bool(self._pending_file or self.draft.file_path))

    def _refill_task_table(self) -> None:
        self.task_table.blockSignals(True)
        self.task_table.setRowCount(len(self.draft.tasks))
        for row in range(len(self.draft.tasks)):
            self._refresh_task_row(row)
        self.task_table.blockSignals(False)

    def _refresh_task_row(self, row: int) -> None:
        task = self.draft.tasks[row]
        deadline = task.due_date or task.report_due_date
        if task.kind == TaskKind.PERIODIC.value:
            deadline_text = "Định kỳ"
        elif task.kind == TaskKind.ONGOING.value and deadline is None:
            deadline_text = "Thường xuyên"
        else:
            deadline_text = labels.fmt_date(deadline) or "—"
        values = [str(row + 1), task.title or "(nhiệm vụ mới)", deadline_text, str(len(task.roles))]
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 1:
                item.setToolTip(task.title)
            if column in (0, 3):
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.task_table.setItem(row, column, item)

    # ------------------------------------------------------------ tasks

    def _new_task(self) -> data.TaskDraft:
        return data.TaskDraft(start_date=self.issued_on.value() or self.today)

    def add_task(self) -> None:
        self._store_task()
        self.draft.tasks.append(self._new_task())
        self._refill_task_table()
        self.task_table.selectRow(len(self.draft.tasks) - 1)
        self._select_task(len(self.draft.tasks) - 1)
        self.tabs.setCurrentIndex(0)
        self.task_title.setFocus()

    def remove_task(self) -> None:
        """Drop a task that is not saved yet (a saved task is kept: its history matters)."""
        index = self.current_index
        if index < 0:
            return
        if self.draft.tasks[index].id is not None:
            self.show_error("Nhiệm vụ đã lưu không bỏ được ở đây; hãy chuyển các đơn vị sang trạng thái «Hủy».")
            return
        del self.draft.tasks[index]
        self.current_index = -1
        self._refill_task_table()
        self._select_task(min(index, len(self.draft.tasks) - 1))

    def _select_task(self, index: int) -> None:
        if index == self.current_index:
            return
        self._store_task()
        self.current_index = index
        self._load_task()

    def select_task(self, index: int) -> None:
        """Show task ``index`` (0-based) in the editor and the list."""
        self.task_table.blockSignals(True)
        self.task_table.selectRow(index)
        self.task_table.blockSignals(False)
        self._select_task(index)

    def current_task(self) -> data.TaskDraft | None:
        if 0 <= self.current_index < len(self.draft.tasks):
            return self.draft.tasks[self.current_index]
        return None

    def _load_task(self) -> None:
        task = self.current_task()
        self._loading = True
        enabled = task is not None
        self.tabs.setEnabled(enabled)
        self.remove_task_button.setEnabled(enabled and task.id is None)
        task = task or data.TaskDraft()
        self.task_title.setText(task.title)
        self.task_title.setCursorPosition(0)
        self.task_content.setPlainText(task.content)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(task.kind), 0))
        self.start_field.set_value(task.start_date)
        self.due_field.set_value(task.due_date)
        self.report_due_field.set_value(task.report_due_date)
        self.recurrence.set_rule(task.recurrence)
        frozen = task.has_assignments  # kind and period rule made the assignments: fixed now
        self.kind_combo.setEnabled(not frozen)
        self.recurrence.setEnabled(not frozen)
        self.kind_combo.setToolTip("Nhiệm vụ đã giao cho đơn vị: không đổi được loại" if frozen else "")
        self._fill_indicators(task)
        self.unit_checklist.set_roles(task.roles, task.locked_units)
        self._loading = False
        self._on_kind_changed()
        self._update_unit_tab_title()

    def _store_task(self) -> None:
        """Copy the editor's values into the current task draft."""
        task = self.current_task()
        if task is None:
            return
        task.title = self.task_title.text()
        task.content = self.task_content.toPlainText()
        task.kind = self.kind_combo.currentData()
        task.start_date = self.start_field.value()
        task.due_date = self.due_field.value()
        periodic = task.kind == TaskKind.PERIODIC.value
        task.report_due_date = None if periodic else self.report_due_field.value()
        task.recurrence = self.recurrence.rule() if periodic else ""
        task.indicators = self._read_indicators(task)
        task.roles = self.unit_checklist.roles()

    def _on_task_field_changed(self, *_args) -> None:
        if self._loading or self.current_task() is None:
            return
        self._store_task()
        self._refresh_task_row(self.current_index)
        self._update_unit_tab_title()

    def _on_kind_changed(self, *_args) -> None:
        kind = self.kind_combo.currentData()
        periodic = kind == TaskKind.PERIODIC.value
        self.content_form.setRowVisible(self.recurrence, periodic)
        self.content_form.setRowVisible(self.recurrence_text, periodic)
        self.content_form.setRowVisible(self.report_due_field, not periodic)
        if periodic:
            self.due_label.setText("Theo dõi đến ngày:")
            self.kind_note.setText("Mỗi kỳ báo cáo là một lần giao cho từng đơn vị, hạn theo chu kỳ dưới đây.")
        elif kind == TaskKind.ONGOING.value:
            self.due_label.setText("Hạn (nếu có):")
            self.kind_note.setText("Nhiệm vụ thường xuyên: thường không có hạn, theo dõi liên tục.")
        else:
            self.due_label.setText("Hạn hoàn thành:")
            self.kind_note.setText("")
        self.content_form.setRowVisible(self.kind_note, bool(self.kind_note.text()))
        self._on_recurrence_changed()
        self._on_task_field_changed()

    def _on_recurrence_changed(self) -> None:
        self.recurrence_text.setText(describe_rule(self.recurrence.rule()))
        self._on_task_field_changed()

    def _update_unit_tab_title(self) -> None:
        count = len(self.unit_checklist.roles())
        self.tabs.setTabText(2, f"Đơn vị thực hiện ({count})" if count else "Đơn vị thực hiện")

    # ------------------------------------------------------------ file

    def _choose_file(self) -> None:
        files = common.choose_open_files(self, "Chọn tệp văn bản",
                                         "Văn bản (*.pdf *.docx *.doc *.odt *.jpg *.png);;Mọi tệp (*)")
        if files:
            self.set_attachment(Path(files[0]))

    def set_attachment(self, source: Path) -> None:
        """Attach a file; it is copied into the data folder when the directive is saved."""
        self._pending_file = Path(source)
        self._show_file()

    def _open_file(self) -> None:
        if self._pending_file is not None:
            target = self._pending_file if self._pending_file.exists() else None
            missing = f"Không tìm thấy tệp «{self._pending_file}»."
        elif self.draft.file_path:
            target = attachments.find(self.db.location, self.draft.file_path)
            missing = attachments.missing_message(self.db.location, self.draft.file_path)
        else:
            target, missing = None, "Văn bản chưa có tệp đính kèm."
        if target is None:
            common.warn(self, missing)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    # ------------------------------------------------------------ saving

    def directive_input(self) -> ops.DirectiveInput:
        return ops.DirectiveInput(
            number=self.number_edit.text(), issued_on=self.issued_on.value(), received_on=self.received_on.value(),
            issuer=self.issuer_combo.currentText(),
            doc_type=self.type_combo.currentData(), title=self.title_edit.toPlainText(),
            notes=self.notes_edit.text(), file_path=self.draft.file_path)

    @staticmethod
    def task_edit(task: data.TaskDraft, unchanged: bool = False) -> edits.TaskEdit:
        indicators = [ops.IndicatorInput(i.name, i.measure, i.value_type) for i in task.indicators]
        return edits.TaskEdit(
            data=ops.TaskInput(title=task.title, content=task.content, kind=task.kind, start_date=task.start_date,
                               due_date=task.due_date, report_due_date=task.report_due_date,
                               recurrence=task.recurrence, indicators=indicators),
            roles=dict(task.roles), indicator_ids=[i.id for i in task.indicators], task_id=task.id,
            expected_version=task.version, unchanged=unchanged and task.id is not None)

    def _check_tasks(self, task_edits: list[edits.TaskEdit]) -> bool:
        """Validate every task before anything is written; on error show the task and the field."""
        for index, edit in enumerate(task_edits):
            try:
                ops.validate_task(edit.data, index + 1)
            except ValidationError as exc:
                self.select_task(index)
                self.tabs.setCurrentIndex(1 if exc.field_name == "indicators" else 0)
                self.show_error(exc.message, exc.field_name)
                return False
        return True

    def save(self) -> bool:
        """Save the directive, its tasks and units in one transaction; close when saved."""
        self._store_task()
        self.clear_error()
        directive = self.directive_input()
        loaded = {t.id: t for t in self._loaded[1] if t.id is not None} if self._loaded else {}
        task_edits = [self.task_edit(t, unchanged=loaded.get(t.id) == t) for t in self.draft.tasks]
        if not self._check_tasks(task_edits):
            return False
        copied: Path | None = None
        if self._pending_file is not None:
            try:
                directive.file_path = copy_attachment(self._pending_file, self.db.location)
            except (OutputError, OSError) as exc:
                self.show_error(getattr(exc, "message", None) or f"Không sao chép được tệp: {exc}")
                return False
            copied = attachments.resolve(self.db.location, directive.file_path)
        draft = self.draft
        saved_id = self.run_save(lambda s: edits.save_directive(s, directive, task_edits, draft.id, draft.version),
                                 "Văn bản chỉ đạo")
        if saved_id is None:
            attachments.remove(copied)
            return False
        self.directive_id = saved_id
        self.accept()
        return True

    def offer_existing_directive(self, exc: ops.DuplicateDirectiveError) -> None:
        """Ctrl+N on a directive already registered: open the first one here instead."""
        if exc.existing_id == self.directive_id:
            return
        if not common.ask(self, f"{exc.message}\n\nMở văn bản đã có để xem và sửa? "
                                "Những gì vừa nhập ở đây sẽ không được lưu.", "Văn bản đã có", default_yes=True):
            return
        if self._pending_file is not None:
            self._pending_file = None
        self.directive_id = exc.existing_id
        self.clear_error()
        self.reload()

    def _snapshot(self) -> tuple:
        self._store_task()
        return (self.directive_input(), copy.deepcopy(self.draft.tasks), self._pending_file)

    def has_unsaved_changes(self) -> bool:
        return self._loaded is not None and self._snapshot() != self._loaded

    def reject(self) -> None:
        if self.has_unsaved_changes():
            choice = common.ask_save(self, "Văn bản và nhiệm vụ đã thay đổi nhưng chưa lưu. Lưu lại không?")
            if choice is common.SaveChoice.CANCEL:
                return
            if choice is common.SaveChoice.SAVE:
                self.save()
                return
        self.finish()
