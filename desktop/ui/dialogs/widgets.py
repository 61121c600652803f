"""Pieces shared by the editing dialogs: a date field that may be empty, the recurrence picker,
the inline error banner, and the base class that runs a save in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from sqlalchemy.orm.exc import StaleDataError

from desktop.infra.fileio import OutputError
from desktop.services.operations import ConflictError, DuplicateDirectiveError, ValidationError
from desktop.tracking.recurrence import RecurrenceError, parse_rule
from desktop.ui import background, common
from desktop.ui.widgets import OptionalDateEdit

VI_LOCALE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)

ERROR_STYLE = "color: #B71C1C; background: #FFEBEE; border: 1px solid #EF9A9A; border-radius: 3px; padding: 4px 6px;"
INVALID_PROPERTY = "invalid"
# Red frame on the widget the message is about (set through a dynamic property).
INVALID_SHEET = "*[invalid=\"true\"] { border: 1px solid #C62828; background: #FFF5F5; }"


class DateField(QWidget):
    """A dd/mm/yyyy date field (``desktop.ui.widgets.OptionalDateEdit``: typed text, calendar
    popup, impossible dates refused); when ``optional``, a check box in front turns the date on
    and off (unchecked = no date, shown as ``empty_text``)."""

    changed = Signal()

    def __init__(self, optional: bool = True, empty_text: str = "không có", parent: QWidget | None = None,
                 default: Callable[[], date] | None = None):
        super().__init__(parent)
        self._optional = optional
        self._empty_text = empty_text
        self._default = default or date.today
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.check = QCheckBox(self)
        self.check.setObjectName("dateEnabled")
        self.check.setToolTip("Bỏ đánh dấu để để trống ngày này")
        self.check.setVisible(optional)
        self.edit = OptionalDateEdit(self, default_date=self._default())
        self.edit.setObjectName("dateEdit")
        width = max(self.edit.minimumWidth(), self.edit.fontMetrics().horizontalAdvance(empty_text) + 48)
        self.edit.setMinimumWidth(width)
        self.edit.setMaximumWidth(max(width, self.edit.maximumWidth()))
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.check.toggled.connect(self._on_toggled)
        self.edit.valueChanged.connect(self.changed.emit)
        self.set_value(None if optional else self._default())

    def _on_toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on and self.edit.value() is None:
            self.edit.set_value(self._default())
        elif not on:
            self.edit.setText(self._empty_text)
        self.changed.emit()

    def value(self) -> date | None:
        if self._optional and not self.check.isChecked():
            return None
        return self.edit.value()

    def error_message(self) -> str:
        """Why the date cannot be saved (Vietnamese), or "" (see ``OptionalDateEdit``)."""
        if self._optional and not self.check.isChecked():
            return ""
        if self.edit.is_empty():
            return "" if self._optional else "Cần nhập ngày."
        return self.edit.error_message()

    def set_value(self, value: date | None) -> None:
        if value is None and self._optional:
            self.check.setChecked(False)
            self.edit.setEnabled(False)
            self.edit.setText(self._empty_text)
            return
        value = value or self._default()
        self.check.setChecked(True)
        self.edit.setEnabled(True)
        self.edit.set_value(value)

# ---------------------------------------------------------------- recurrence


RECURRENCE_KINDS = [
    ("monthly", "Hằng tháng"),
    ("quarterly", "Hằng quý"),
    ("semiannual", "6 tháng một lần"),
    ("yearly", "Hằng năm"),
]


def describe_rule(rule: str) -> str:
    """Vietnamese sentence for a recurrence rule, e.g. "Chậm nhất ngày 07 hằng tháng (báo cáo tháng trước)"."""
    try:
        kind, first, second = parse_rule(rule)
    except RecurrenceError:
        return ""
    if kind == "monthly":
        return f"Chậm nhất ngày {first:02d} hằng tháng (báo cáo kết quả tháng trước)"
    if kind == "quarterly":
        return f"Chậm nhất ngày {first:02d} tháng đầu quý sau (báo cáo hằng quý)"
    if kind == "semiannual":
        return f"Chậm nhất ngày {first:02d} tháng 7 và tháng 1 năm sau (báo cáo 6 tháng)"
    return f"Chậm nhất ngày {second:02d}/{first:02d} năm sau (báo cáo năm)"


class RecurrencePicker(QWidget):
    """Friendly editor for the rule strings of ``desktop.tracking.recurrence``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox(self)
        self.kind.setObjectName("recurrenceKind")
        for code, label in RECURRENCE_KINDS:
            self.kind.addItem(label, code)
        self.day = QSpinBox(self)
        self.day.setObjectName("recurrenceDay")
        self.day.setRange(1, 31)
        self.day.setValue(7)
        self.day.setPrefix("ngày ")
        self.month = QSpinBox(self)
        self.month.setObjectName("recurrenceMonth")
        self.month.setRange(1, 12)
        self.month.setValue(1)
        self.month.setPrefix("tháng ")
        self.month.setToolTip("Tháng của năm sau, khi báo cáo năm")
        self.setFocusProxy(self.kind)
        layout.addWidget(self.kind)
        layout.addWidget(self.day)
        layout.addWidget(self.month)
        layout.addStretch(1)
        self.kind.currentIndexChanged.connect(self._sync)
        self.day.valueChanged.connect(self._sync)
        self.month.valueChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.month.setVisible(self.kind.currentData() == "yearly")
        self.changed.emit()

    def rule(self) -> str:
        kind = self.kind.currentData()
        if kind == "yearly":
            return f"yearly:{self.month.value()}-{self.day.value()}"
        return f"{kind}:{self.day.value()}"

    def set_rule(self, rule: str) -> None:
        try:
            kind, first, second = parse_rule(rule) if rule else ("monthly", 7, None)
        except RecurrenceError:
            kind, first, second = "monthly", 7, None
        self.kind.setCurrentIndex(self.kind.findData(kind))
        if kind == "yearly":
            self.month.setValue(first)
            self.day.setValue(second or 1)
        else:
            self.day.setValue(first)


def make_table(parent: QWidget, object_name: str, columns: list[str], stretch: tuple[int, ...] = (),
               read_only: bool = True) -> QTableWidget:
    """A table as the dialogs use it: column titles, no row numbers, columns sized to their
    contents except the ``stretch`` ones; read-only tables select whole, compact rows."""
    table = QTableWidget(0, len(columns), parent)
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    if read_only:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    for column in range(len(columns)):
        mode = QHeaderView.ResizeMode.Stretch if column in stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return table


# ---------------------------------------------------------------- errors and saving


class ErrorBanner(QLabel):
    """The Vietnamese message of a refused save, shown inside the dialog (no extra window)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")
        self.hide()


def mark_invalid(widget: QWidget | None, invalid: bool) -> None:
    """Red frame on ``widget`` (and on its focus proxy: the input inside a composite field)."""
    if widget is None:
        return
    for target in {widget, widget.focusProxy() or widget}:
        target.setProperty(INVALID_PROPERTY, invalid)
        target.style().unpolish(target)
        target.style().polish(target)


class EditDialog(QDialog):
    """Base of the editing dialogs.

    ``exec()`` returns Accepted only when something was saved. A save runs through
    :meth:`run_save`: one transaction (``db.in_transaction``) on the writer thread; a ``ValidationError`` shows its message in
    the banner and marks the field named by its ``field_name`` (see :meth:`field_widgets`); a
    conflict (someone else saved first) is reported and the dialog reloads.
    """

    geometry_key = ""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.saved = False
        self.error_banner = ErrorBanner(self)
        self._marked: list[QWidget] = []
        self.setStyleSheet(INVALID_SHEET)
        self.setLocale(VI_LOCALE)

    # Subclasses map ValidationError.field_name -> the widget to mark and focus.
    def field_widgets(self) -> dict[str, QWidget]:
        return {}

    def reload(self) -> None:
        """Load the data again from the database (after a conflict)."""

    def save(self) -> bool:
        """Save what the dialog shows; dialogs with a "Lưu" button override it."""
        return False

    def offer_existing_directive(self, exc: DuplicateDirectiveError) -> None:
        """A directive was refused as already registered: dialogs that make directives offer to
        open the first one."""

    def add_footer(self, layout: QBoxLayout, buttons: QDialogButtonBox.StandardButton = (
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)) -> QDialogButtonBox:
        """The error banner and the Vietnamese button box at the bottom: "Lưu" saves, "Hủy"/"Đóng" closes."""
        layout.addWidget(self.error_banner)
        box = common.button_box(buttons, self)
        box.setObjectName("dialogButtons")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        return box

    def show_error(self, message: str, field_name: str = "") -> None:
        self.clear_error()
        self.error_banner.show_message(message)
        widget = self.field_widgets().get(field_name)
        if widget is not None:
            mark_invalid(widget, True)
            self._marked.append(widget)
            widget.setFocus()

    def check_dates(self) -> bool:
        """False, with the reason shown and the field marked, when a date field holds no real date
        (31/02/2024) or a required one is empty. ``run_save`` checks this before anything else."""
        for date_field in self.findChildren(DateField):
            message = date_field.error_message()
            if message and date_field.isVisibleTo(self):
                self.error_banner.show_message(message)
                mark_invalid(date_field, True)
                self._marked.append(date_field)
                date_field.setFocus()
                return False
        return True

    def clear_error(self) -> None:
        self.error_banner.clear()
        for widget in self._marked:
            mark_invalid(widget, False)
        self._marked.clear()

    def run_save(self, work: Callable, context: str = "") -> object | None:
        """Run ``work(session)`` in one transaction; the result, or None when it was refused
        (the message is shown and nothing is saved)."""
        self.clear_error()
        if not self.check_dates():
            return None
        try:
            result = background.run_save(self, lambda: self.db.in_transaction(work, context))
        except ValidationError as exc:
            self.show_error(exc.message, exc.field_name)
            if isinstance(exc, DuplicateDirectiveError):
                self.offer_existing_directive(exc)
            return None
        except (ConflictError, StaleDataError) as exc:
            message = exc.message if isinstance(exc, ConflictError) else ConflictError().message
            common.warn(self, message)
            self.reload()
            return None
        except OutputError as exc:
            self.show_error(exc.message)
            return None
        self.saved = True
        return True if result is None else result

    def finish(self) -> None:
        """Close: Accepted when something was saved during the dialog's life."""
        self.done(QDialog.DialogCode.Accepted if self.saved else QDialog.DialogCode.Rejected)

    def done(self, result: int) -> None:
        if self.geometry_key:
            common.save_geometry(self, self.geometry_key)
        super().done(result)
