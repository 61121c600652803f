"""The result form: what one unit reported for one assignment, and the officer's decision.

The form only collects values: ``desktop.services.operations.results`` decides and saves them in one transaction. Unsaved changes are never lost
silently: ``maybe_leave()`` asks "Lưu / Không lưu / Hủy" before the form shows something else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidgetItem, QStyle, QWidget

from db.models import AssignmentState, Channel, ValueType
from desktop.infra import attachments, paths
from desktop.infra.fileio import atomic_write
from desktop.services import operations as ops
from desktop.services.errors import ConflictError, OutputError, ValidationError
from desktop.services.operations import results
from desktop.tracking import board, labels
from desktop.ui import background, common
from desktop.ui.result_view import ResultFormView, format_figure, info_html, meta_html
from desktop.ui.widgets import OptionalDateEdit


def open_url(url: QUrl) -> bool:
    """Open a file or link with the system's program (patched in tests)."""
    return QDesktopServices.openUrl(url)


def drafts_dir(db_location: str) -> Path:
    """Where unsaved result forms are kept when the program stops unexpectedly."""
    return paths.folder_for(db_location) / "ban-nhap"


def draft_path(db_location: str, assignment_id: int) -> Path:
    return drafts_dir(db_location) / f"ket-qua-{assignment_id}.json"


@dataclass
class _Pending:
    kind: str  # "file" | "link"
    target: str  # absolute source path (file) or URL


class ResultForm(ResultFormView):
    """Result of the selected assignment. Signals ``saved(assignment_id)`` after every write."""

    saved = Signal(int)
    dirtyChanged = Signal(bool)

    def __init__(self, db, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("resultForm")
        self.db = db
        self.today = today
        self.due_soon_days = 3
        self._detail: board.AssignmentDetail | None = None
        self._snapshot: dict | None = None
        self._pending: list[_Pending] = []
        self._figure_edits: list[tuple[board.IndicatorInfo, QLineEdit]] = []
        self._loading = False
        self._dirty = False
        self._build()
        self._connect()
        self.load(None)

    # ------------------------------------------------------------ signals
    def _connect(self) -> None:
        self.restore_draft_button.clicked.connect(self.restore_draft)
        self.drop_draft_button.clicked.connect(self.drop_draft)
        self.evidence_list.itemClicked.connect(self._open_evidence)
        for signal in (self.state_combo.currentIndexChanged, self.channel_combo.currentIndexChanged,
                       self.received_edit.valueChanged, self.completed_edit.valueChanged,
                       self.doc_edit.textChanged, self.content_edit.textChanged):
            signal.connect(self._on_edited)
        self.save_button.clicked.connect(self.save)
        self.accept_button.clicked.connect(self.accept_result)
        self.unaccept_button.clicked.connect(self.unaccept_result)
        self.return_button.clicked.connect(self.return_for_more)
        self.add_file_button.clicked.connect(self._add_files)
        self.add_link_button.clicked.connect(self._add_link)
        self.remove_pending_button.clicked.connect(self._remove_pending)

    # ------------------------------------------------------------ state
    @property
    def assignment_id(self) -> int | None:
        return self._detail.row.assignment_id if self._detail else None

    @property
    def detail(self) -> board.AssignmentDetail | None:
        return self._detail

    def is_dirty(self) -> bool:
        return self._dirty

    def set_today(self, today: date, due_soon_days: int) -> None:
        self.today = today
        self.due_soon_days = due_soon_days
        self.received_edit.set_default_date(today)
        self.completed_edit.set_default_date(today)

    def _set_enabled(self, enabled: bool) -> None:
        for w in (self.tabs, self.accept_button, self.return_button, self.save_button, self.title_label,
                  self.meta_label, self.chip):
            w.setVisible(enabled)
        self.unaccept_button.setVisible(False)
        self.placeholder.setVisible(not enabled)
        if not enabled:
            self.draft_banner.hide()

    def load(self, assignment_id: int | None) -> None:
        """Show an assignment (None: nothing). Discards unsaved edits: call maybe_leave() first."""
        detail = None
        changes: list[board.ChangeEntry] = []
        if assignment_id is not None:
            detail, changes = results.load_result(self.db, assignment_id, self.today, self.due_soon_days)
        self._loading = True
        try:
            self._detail = detail
            self._pending = []
            self._set_enabled(detail is not None)
            if detail is None:
                self.history_model.set_rows([])
                self._snapshot = None
                return
            self._fill(detail)
            self.history_model.set_rows(changes)
            self._snapshot = self._values()
        finally:
            self._loading = False
        self._set_dirty(False)
        self._show_draft_banner()

    def reload(self) -> None:
        self.load(self.assignment_id)

    def _fill(self, d: board.AssignmentDetail) -> None:
        r = d.row
        period = labels.fmt_period(r.period)
        self.title_label.setText(r.task_title + (f" ({period})" if period else ""))
        self.meta_label.setText(meta_html(d))
        t = d.tracked
        self.chip.set_status(t.status.value, labels.status_text(t.status.value, t.result.days_late, t.result.days_left))
        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(r.state)))
        latest = d.latest
        # Empty until the officer gives it: saving only a text must not record "received today".
        self.received_edit.set_value(latest.received_on if latest else None)
        self.completed_edit.set_value(r.completed_on or (latest.completed_on if latest else None))
        channel = latest.channel if latest else Channel.PAPER.value
        self.channel_combo.setCurrentIndex(max(0, self.channel_combo.findData(channel)))
        self.doc_edit.setText(latest.unit_doc_number if latest else "")
        self.content_edit.setPlainText(latest.content if latest else "")
        self._build_figures(d)
        self._fill_evidence()
        self.info_view.setHtml(info_html(d))
        closed = r.state in (AssignmentState.PAUSED.value, AssignmentState.CANCELLED.value)
        accepted = r.state == AssignmentState.DONE.value
        self.accept_button.setEnabled(not closed)
        self.accept_button.setVisible(not accepted)
        self.unaccept_button.setVisible(accepted)
        self.return_button.setEnabled(bool(d.reports) and not closed)

    def _build_figures(self, d: board.AssignmentDetail) -> None:
        while self.figures_layout.rowCount():
            self.figures_layout.removeRow(0)
        self._figure_edits = []
        latest = d.latest
        for ind in d.indicators:
            edit = QLineEdit()
            edit.setObjectName(f"figure_{ind.id}")
            if ind.value_type == ValueType.TEXT.value:
                edit.setPlaceholderText("văn bản")
            elif ind.value_type == ValueType.INTEGER.value:
                edit.setPlaceholderText("số nguyên")
            else:
                edit.setPlaceholderText("số, ví dụ 12,5")
            if latest and ind.id in latest.figures:
                number, text = latest.figures[ind.id]
                edit.setText(format_figure(number, text, ind.value_type))
            edit.textChanged.connect(self._on_edited)
            edit.textChanged.connect(lambda _t, e=edit, i=ind: self._check_figure(e, i))
            label = f"{ind.name} ({ind.measure}):" if ind.measure else f"{ind.name}:"
            row_label = QLabel(label)
            row_label.setWordWrap(True)
            self.figures_layout.addRow(row_label, edit)
            self._figure_edits.append((ind, edit))
        self.figures_title.setVisible(bool(d.indicators))
        self.figures_box.setVisible(bool(d.indicators))

    def _check_figure(self, edit: QLineEdit, ind: board.IndicatorInfo) -> bool:
        try:
            ops.parse_figure(edit.text(), ind.value_type, ind.name)
        except ops.ValidationError as exc:
            edit.setStyleSheet("QLineEdit { border: 1px solid #C62828; background: #FFEBEE; }")
            edit.setToolTip(exc.message)
            return False
        edit.setStyleSheet("")
        edit.setToolTip("")
        return True

    def _fill_evidence(self) -> None:
        self.evidence_list.clear()
        d = self._detail
        style = self.style()
        file_icon = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        link_icon = style.standardIcon(QStyle.StandardPixmap.SP_FileLinkIcon)
        if d is not None:
            for e in d.evidence:
                text = e.label or e.target.rsplit("/", 1)[-1] if e.kind == "file" else e.target
                item = QListWidgetItem(file_icon if e.kind == "file" else link_icon, text)
                item.setData(Qt.ItemDataRole.UserRole, (e.kind, e.target, False))
                item.setToolTip(f"Bấm để mở: {e.target}")
                self.evidence_list.addItem(item)
        for p in self._pending:
            text = Path(p.target).name if p.kind == "file" else p.target
            item = QListWidgetItem(file_icon if p.kind == "file" else link_icon, f"{text} (mới, chưa lưu)")
            item.setData(Qt.ItemDataRole.UserRole, (p.kind, p.target, True))
            item.setToolTip(f"Bấm để mở: {p.target}")
            self.evidence_list.addItem(item)
        if self.evidence_list.count() == 0:
            item = QListWidgetItem("Chưa có tệp hoặc liên kết minh chứng")
            item.setData(Qt.ItemDataRole.UserRole, ("", "", False))  # never read an unset role: see worker.py
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.evidence_list.addItem(item)
        self.remove_pending_button.setEnabled(bool(self._pending))


    def _values(self) -> dict:
        return {
            "state": self.state_combo.currentData(),
            "received": self._date_value(self.received_edit),
            "completed": self._date_value(self.completed_edit),
            "channel": self.channel_combo.currentData(),
            "doc": self.doc_edit.text().strip(),
            "content": self.content_edit.toPlainText().strip(),
            "figures": tuple(e.text().strip() for _, e in self._figure_edits),
            "new_files": tuple(p.target for p in self._pending if p.kind == "file"),
            "new_links": tuple(p.target for p in self._pending if p.kind == "link"),
        }

    @staticmethod
    def _date_value(edit: OptionalDateEdit) -> date | str | None:
        # A text that is not a date is kept as text, so typing it still counts as an edit.
        return edit.value() if edit.hasAcceptableInput() else edit.text()

    def _on_edited(self, *_args) -> None:
        if self._loading or self._snapshot is None:
            return
        self._set_dirty(self._values() != self._snapshot)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)
        self.save_button.setEnabled(dirty)

    # ------------------------------------------------------------ evidence
    def _add_files(self) -> None:
        if self._detail is None:
            return
        files = common.choose_open_files(self, "Chọn tệp minh chứng",
                                         "Tài liệu và hình ảnh (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.jpeg *.png);;"
                                         "Mọi tệp (*)")
        for f in files:
            self._pending.append(_Pending("file", f))
        if files:
            self._fill_evidence()
            self._on_edited()

    def _add_link(self) -> None:
        if self._detail is None:
            return
        text = common.ask_text(self, "Đường dẫn (bắt đầu bằng http:// hoặc https://), mỗi dòng một đường dẫn:",
                               "Thêm liên kết minh chứng")
        if not text:
            return
        for line in text.splitlines():
            line = line.strip()
            if line:
                self._pending.append(_Pending("link", line))
        self._fill_evidence()
        self._on_edited()

    def _remove_pending(self) -> None:
        item = self.evidence_list.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item else None
        if data and data[2]:
            self._pending = [p for p in self._pending if not (p.kind == data[0] and p.target == data[1])]
        elif self._pending:
            self._pending.pop()
        self._fill_evidence()
        self._on_edited()

    def _open_evidence(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if not data or not data[0]:
            return
        kind, target, pending = data
        if kind == "link":
            open_url(QUrl(target))
            return
        path = Path(target) if pending else attachments.find(self.db.location, target)
        if path is None or not path.exists():
            common.warn(self, f"Không tìm thấy tệp «{target}». Tệp có thể đã bị xóa hoặc di chuyển." if pending
                        else attachments.missing_message(self.db.location, target))
            return
        open_url(QUrl.fromLocalFile(str(path)))

    # ------------------------------------------------------------ drafts (unexpected stop)
    def draft(self) -> dict | None:
        """The unsaved edits as plain JSON-able data, or None when nothing is unsaved."""
        if not self._dirty or self._detail is None:
            return None
        values = self._values()
        return {
            "assignment_id": self._detail.row.assignment_id,
            "version": self._detail.row.version,
            "saved_at": datetime.now().strftime("%d/%m/%Y %H:%M"),
            "state": values["state"],
            "received": values["received"].isoformat() if isinstance(values["received"], date) else None,
            "completed": values["completed"].isoformat() if isinstance(values["completed"], date) else None,
            "channel": values["channel"],
            "doc": values["doc"],
            "content": values["content"],
            "figures": {str(ind.id): edit.text() for ind, edit in self._figure_edits},
            "pending": [[p.kind, p.target] for p in self._pending],
        }

    def save_draft(self) -> Path | None:
        """Write the unsaved edits beside the database (used when the program stops unexpectedly)."""
        data = self.draft()
        if data is None:
            return None
        target = draft_path(self.db.location, data["assignment_id"])
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write(target, lambda tmp: tmp.write_bytes(payload))
        return target

    def _read_draft(self) -> dict | None:
        if self._detail is None:
            return None
        path = draft_path(self.db.location, self._detail.row.assignment_id)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _show_draft_banner(self) -> None:
        data = self._read_draft()
        if data is None:
            self.draft_banner.hide()
            return
        self.draft_label.setText(f"Có một bản nháp chưa lưu của kết quả này (lúc {data.get('saved_at', '')}), "
                                 "giữ lại khi chương trình dừng đột ngột.")
        self.draft_banner.show()

    def restore_draft(self) -> None:
        data = self._read_draft()
        if data is None:
            self.draft_banner.hide()
            return

        def as_date(text):
            return date.fromisoformat(text) if text else None

        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(data.get("state"))))
        self.received_edit.set_value(as_date(data.get("received")))
        self.completed_edit.set_value(as_date(data.get("completed")))
        self.channel_combo.setCurrentIndex(max(0, self.channel_combo.findData(data.get("channel"))))
        self.doc_edit.setText(data.get("doc", ""))
        self.content_edit.setPlainText(data.get("content", ""))
        figures = data.get("figures", {})
        for ind, edit in self._figure_edits:
            if str(ind.id) in figures:
                edit.setText(figures[str(ind.id)])
        self._pending = [_Pending(kind, target) for kind, target in data.get("pending", [])]
        self._fill_evidence()
        self._on_edited()
        self.draft_banner.hide()

    def drop_draft(self) -> None:
        if self._detail is not None:
            draft_path(self.db.location, self._detail.row.assignment_id).unlink(missing_ok=True)
        self.draft_banner.hide()

    # ------------------------------------------------------------ decisions
    def maybe_leave(self) -> bool:
        """True when the form may show something else: nothing unsaved, saved, or discarded."""
        if not self._dirty or self._detail is None:
            return True
        choice = common.ask_save(
            self, f"Kết quả của «{self._detail.row.unit_name}» có thay đổi chưa lưu. Lưu lại trước khi chuyển?")
        if choice is common.SaveChoice.SAVE:
            return self.save()
        if choice is common.SaveChoice.DISCARD:
            self.reload()
            return True
        return False

    def save(self) -> bool:
        """Lưu: record what changed. Returns True when saved (or nothing to save)."""
        return self._commit(accept=False)

    def accept_result(self) -> bool:
        """Duyệt: accept the result (recording the edited report first). An approved result that
        was not edited stays as it is (Ctrl+Enter twice does not move its approval date)."""
        d = self._detail
        if d is not None and d.row.state == AssignmentState.DONE.value and not self._dirty:
            return True
        return self._commit(accept=True)

    def unaccept_result(self) -> bool:
        """Hủy duyệt: the approval is taken back (kept in the history); the report waits again."""
        d = self._detail
        if d is None or not self.maybe_leave():
            return False
        d = self._detail
        try:
            background.run_save(self, lambda: results.take_back_approval(
                self.db, d.row.assignment_id, d.row.version, self.today))
        except ValidationError as exc:
            common.warn(self, exc.message, "Không hủy duyệt được")
            return False
        except ConflictError as exc:
            common.error(self, exc.message, "Dữ liệu đã thay đổi")
            self.reload()
            self.saved.emit(d.row.assignment_id)
            return False
        self.reload()
        self.saved.emit(d.row.assignment_id)
        return True

    def return_for_more(self) -> bool:
        """Yêu cầu bổ sung: ask for a reason (required), then return the report to the unit."""
        if self._detail is None:
            return False
        reason = common.ask_text(self, "Nội dung đề nghị đơn vị bổ sung:", "Yêu cầu bổ sung")
        if reason is None:
            return False
        if not reason.strip():
            common.warn(self, "Cần nêu nội dung đơn vị phải bổ sung; báo cáo chưa được trả lại.",
                        "Thiếu nội dung yêu cầu bổ sung")
            return False
        return self._commit(accept=False, return_reason=reason)

    def _check_dates(self) -> bool:
        for edit, label in ((self.received_edit, "Ngày nhận báo cáo"), (self.completed_edit, "Ngày hoàn thành")):
            message = edit.error_message()
            if message:
                common.warn(self, f"{label}: {message}", "Ngày không hợp lệ")
                self.tabs.setCurrentIndex(0)
                edit.setFocus()
                return False
        return True

    def _confirm_gaps(self, plan: results.SavePlan, values: dict) -> bool:
        """Before approving: a report without content, figures or evidence is approved only when
        the officer says so, told exactly what is missing."""
        d = self._detail
        gaps = results.form_approval_gaps(self.db, d.row.assignment_id, plan, values)
        if not gaps:
            return True
        return common.ask(
            self, f"Báo cáo của «{d.row.unit_name}» chưa có: {', '.join(gaps)}.\n\n"
                  "Duyệt nghĩa là nhiệm vụ của đơn vị được tính là hoàn thành. Vẫn duyệt?",
            "Duyệt báo cáo còn thiếu", default_yes=False)

    def _commit(self, accept: bool, return_reason: str | None = None) -> bool:
        """Collect the values, let ``services.operations.results`` decide and save; show the outcome."""
        d = self._detail
        if d is None or self._snapshot is None:
            return False
        if not self._check_dates():
            return False
        values = self._values()
        plan = results.plan_save(values, self._snapshot, bool(d.reports), accept, return_reason)
        if plan.nothing_to_do:
            return True
        if plan.missing_received:
            common.warn(self, "Cần nhập ngày nhận báo cáo.", "Dữ liệu chưa hợp lệ")
            self._focus_field("received_on")
            return False
        values["figure_values"] = tuple((ind.id, edit.text()) for ind, edit in self._figure_edits)
        if plan.confirm_gaps and not self._confirm_gaps(plan, values):
            return False
        aid = d.row.assignment_id
        try:
            version = d.row.version
            background.run_save(self, lambda: results.save_result(
                self.db, aid, version, plan, values, self.today, accept, return_reason))
        except ValidationError as exc:
            common.warn(self, exc.message, "Dữ liệu chưa hợp lệ")
            self._focus_field(exc.field_name)
            return False
        except ConflictError as exc:
            common.error(self, exc.message, "Dữ liệu đã thay đổi")
            self.reload()
            self.saved.emit(aid)
            return False
        except OutputError as exc:
            common.error(self, exc.message, "Không sao chép được tệp")
            return False
        draft_path(self.db.location, aid).unlink(missing_ok=True)
        self.reload()
        self.saved.emit(aid)
        return True

    def _focus_field(self, field_name: str) -> None:
        target = {
            "received_on": self.received_edit, "completed_on": self.completed_edit, "channel": self.channel_combo,
            "state": self.state_combo, "links": self.evidence_list,
        }.get(field_name)
        if field_name == "figures":
            for ind, edit in self._figure_edits:
                if not self._check_figure(edit, ind):
                    target = edit
                    break
        if target is not None:
            self.tabs.setCurrentIndex(0)
            target.setFocus()
