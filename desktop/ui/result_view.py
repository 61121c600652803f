"""The result form's layout: its widgets, tabs and buttons, and the text of its read-only parts
(the heading, the «Thông tin» tab). No decisions here: ``desktop.ui.result_form.ResultForm``
builds on this view, fills it and wires its signals to what the officer asks for.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.models import ValueType
from desktop.tracking import board, labels
from desktop.ui.models import HistoryModel, deadline_text
from desktop.ui.widgets import OptionalDateEdit, StatusChip


def format_figure(number: float | None, text: str, value_type: str) -> str:
    if value_type == ValueType.TEXT.value:
        return text or ""
    if number is None:
        return ""
    if value_type == ValueType.INTEGER.value or float(number).is_integer():
        return str(int(number))
    return f"{number:g}".replace(".", ",")


def meta_html(d: board.AssignmentDetail) -> str:
    """Under the title: the unit, its role, the directive and the deadline."""
    r = d.row
    role = labels.ROLE.get(r.role, r.role)
    deadline = deadline_text(d.tracked)
    meta = (f"<b>{html.escape(r.unit_name)}</b> · {html.escape(role)}<br>"
            f"Văn bản {html.escape(r.directive_number)} · Hạn: <b>{html.escape(deadline)}</b>")
    if r.extended:
        meta += f" (hạn ban đầu {labels.fmt_date(r.own_due)})"
    return meta


def info_html(d: board.AssignmentDetail) -> str:
    """The «Thông tin» tab: the directive and task, deadlines, extensions, reminders, earlier reports."""
    r = d.row
    parts = [f"<p><b>Văn bản:</b> {html.escape(r.directive_number)} — {html.escape(r.directive_title)}</p>",
             f"<p><b>Nhiệm vụ:</b> {html.escape(r.task_title)}</p>"]
    if d.task_content:
        parts.append(f"<p>{html.escape(d.task_content)}</p>")
    dates = []
    if r.task_start:
        dates.append(f"bắt đầu {labels.fmt_date(r.task_start)}")
    dates.append(f"hạn {deadline_text(d.tracked)}")
    parts.append(f"<p><b>Thời hạn:</b> {', '.join(dates)}</p>")
    if d.extensions:
        items = "".join(
            f"<li>{labels.fmt_date(e.old_due) or '—'} → <b>{labels.fmt_date(e.new_due)}</b>: "
            f"{html.escape(e.reason)}{(' (' + html.escape(e.approving_doc) + ')') if e.approving_doc else ''}</li>"
            for e in d.extensions)
        parts.append(f"<p><b>Gia hạn:</b></p><ul>{items}</ul>")
    if d.reminders:
        items = "".join(
            f"<li>{labels.fmt_date(m.sent_on)}: {html.escape(labels.REMINDER_METHOD.get(m.method, m.method))}"
            f"{(' số ' + html.escape(m.letter_number)) if m.letter_number else ''}"
            f"{(' — ' + html.escape(m.note)) if m.note else ''}</li>" for m in d.reminders)
        parts.append(f"<p><b>Đôn đốc:</b></p><ul>{items}</ul>")
    if len(d.reports) > 1:
        items = "".join(
            f"<li>{labels.fmt_date(rep.received_on)} ({html.escape(labels.CHANNEL.get(rep.channel, rep.channel))})"
            f"{(' số ' + html.escape(rep.unit_doc_number)) if rep.unit_doc_number else ''}: "
            f"{html.escape(rep.content[:200])}</li>" for rep in d.reports)
        parts.append(f"<p><b>Các lần báo cáo:</b></p><ul>{items}</ul>")
    if d.note:
        parts.append(f"<p><b>Ghi chú:</b><br>{html.escape(d.note).replace(chr(10), '<br>')}</p>")
    return "".join(parts)


class ResultFormView(QWidget):
    """The widgets of the result form; ``today`` is the default of its date fields."""

    today: date

    def _build(self) -> None:
        """Layout only: the form connects the signals (``ResultForm._connect``)."""
        self.setMinimumWidth(320)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.title_label = QLabel()
        self.title_label.setObjectName("resultTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title_label.setFont(font)
        self.meta_label = QLabel()
        self.meta_label.setWordWrap(True)
        self.meta_label.setTextFormat(Qt.TextFormat.RichText)
        self.chip = StatusChip()
        chip_row = QHBoxLayout()
        chip_row.addWidget(self.chip)
        chip_row.addStretch(1)
        outer.addWidget(self.title_label)
        outer.addWidget(self.meta_label)
        outer.addLayout(chip_row)
        self.draft_banner = QFrame()
        self.draft_banner.setObjectName("draftBanner")
        self.draft_banner.setStyleSheet("#draftBanner { background: #FFF8E1; border: 1px solid #FFB300; }")
        banner_layout = QVBoxLayout(self.draft_banner)
        banner_layout.setContentsMargins(6, 4, 6, 4)
        self.draft_label = QLabel()
        self.draft_label.setWordWrap(True)
        banner_layout.addWidget(self.draft_label)
        banner_buttons = QHBoxLayout()
        self.restore_draft_button = QPushButton("Khôi phục bản nháp")
        self.restore_draft_button.setObjectName("restoreDraftButton")
        self.drop_draft_button = QPushButton("Bỏ bản nháp")
        banner_buttons.addWidget(self.restore_draft_button)
        banner_buttons.addWidget(self.drop_draft_button)
        banner_buttons.addStretch(1)
        banner_layout.addLayout(banner_buttons)
        outer.addWidget(self.draft_banner)
        self.draft_banner.hide()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultTabs")
        outer.addWidget(self.tabs, 1)

        # -- result tab
        page = QWidget()
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("stateCombo")
        for code, text in labels.STATE.items():
            self.state_combo.addItem(text, code)
        self.received_edit = OptionalDateEdit(default_date=self.today)
        self.received_edit.setObjectName("receivedDate")
        self.received_edit.setPlaceholderText("chưa nhận")
        self.received_today_button = QPushButton("Hôm nay")
        self.received_today_button.setObjectName("receivedTodayButton")
        self.received_today_button.setToolTip("Đơn vị gửi báo cáo hôm nay")
        self.received_today_button.clicked.connect(lambda: self.received_edit.set_value(self.today))
        received_row = QHBoxLayout()
        received_row.addWidget(self.received_edit)
        received_row.addWidget(self.received_today_button)
        received_row.addStretch(1)
        self.completed_edit = OptionalDateEdit(default_date=self.today)
        self.completed_edit.setObjectName("completedDate")
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("channelCombo")
        for code, text in labels.CHANNEL.items():
            self.channel_combo.addItem(text, code)
        self.doc_edit = QLineEdit()
        self.doc_edit.setObjectName("unitDocNumber")
        self.doc_edit.setPlaceholderText("Ví dụ: 125/BC-UBND")
        self.content_edit = QPlainTextEdit()
        self.content_edit.setObjectName("reportContent")
        self.content_edit.setPlaceholderText("Kết quả đơn vị đã thực hiện")
        self.content_edit.setMinimumHeight(70)
        self.content_edit.setMaximumHeight(150)  # keep the figures and evidence in view
        self.content_edit.setTabChangesFocus(True)
        self.figures_box = QWidget()
        self.figures_layout = QFormLayout(self.figures_box)
        self.figures_layout.setContentsMargins(0, 0, 0, 0)
        self.figures_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.evidence_list = QListWidget()
        self.evidence_list.setObjectName("evidenceList")
        self.evidence_list.setMaximumHeight(96)
        self.evidence_list.setCursor(Qt.CursorShape.PointingHandCursor)
        self.add_file_button = QPushButton("Thêm tệp…")
        self.add_file_button.setObjectName("addFileButton")
        self.add_link_button = QPushButton("Thêm liên kết…")
        self.add_link_button.setObjectName("addLinkButton")
        self.remove_pending_button = QPushButton("Bỏ")
        self.remove_pending_button.setToolTip("Bỏ tệp hoặc liên kết vừa thêm, chưa lưu")
        evidence_buttons = QHBoxLayout()
        evidence_buttons.addWidget(self.add_file_button)
        evidence_buttons.addWidget(self.add_link_button)
        evidence_buttons.addWidget(self.remove_pending_button)
        evidence_buttons.addStretch(1)
        evidence_box = QVBoxLayout()
        evidence_box.addWidget(self.evidence_list)
        evidence_box.addLayout(evidence_buttons)

        form.addRow("Tình trạng xử lý:", self.state_combo)
        form.addRow("Ngày nhận báo cáo:", received_row)
        form.addRow("Ngày hoàn thành:", self.completed_edit)
        form.addRow("Hình thức nhận:", self.channel_combo)
        form.addRow("Số văn bản của đơn vị:", self.doc_edit)
        form.addRow("Nội dung kết quả:", self.content_edit)
        self.figures_title = QLabel("Số liệu:")
        form.addRow(self.figures_title, self.figures_box)
        form.addRow("Minh chứng:", evidence_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "Kết quả")

        # -- info tab
        self.info_view = QTextBrowser()
        self.info_view.setObjectName("taskInfo")
        self.info_view.setOpenExternalLinks(False)
        self.tabs.addTab(self.info_view, "Thông tin")

        # -- history tab
        self.history_model = HistoryModel(self)
        self.history_view = QTableView()
        self.history_view.setObjectName("historyTable")
        self.history_view.setModel(self.history_model)
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.setWordWrap(True)
        self.history_view.verticalHeader().hide()
        self.history_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        self.history_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.history_view, "Lịch sử")

        # -- buttons
        self.accept_button = QPushButton("Duyệt")
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.setToolTip("Chấp nhận kết quả: nhiệm vụ của đơn vị được tính là hoàn thành")
        self.unaccept_button = QPushButton("Hủy duyệt")
        self.unaccept_button.setObjectName("unacceptButton")
        self.unaccept_button.setToolTip("Rút lại việc duyệt: báo cáo trở về «chờ duyệt», ngày hoàn thành được xóa")
        self.return_button = QPushButton("Yêu cầu bổ sung")
        self.return_button.setObjectName("returnButton")
        self.return_button.setToolTip("Trả lại báo cáo, đề nghị đơn vị bổ sung")
        self.save_button = QPushButton("Lưu")
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip("Lưu thay đổi (Ctrl+S)")
        self.save_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.unaccept_button)
        buttons.addWidget(self.return_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)

        self.placeholder = QLabel("Chọn một đơn vị trong danh sách giao nhiệm vụ để xem và nhập kết quả.")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        outer.addWidget(self.placeholder)
