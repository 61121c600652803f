"""Small reusable widgets: a date field that may be empty, a status chip."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, QModelIndex, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
    QWidgetAction,
)

from desktop.services.editing import parse_date_text
from desktop.services.operations import ValidationError
from desktop.tracking import labels
from desktop.tracking.labels import fmt_date


class OptionalDateEdit(QLineEdit):
    """A dd/mm/yyyy date field that may be empty, with a calendar popup.

    It is a plain text field: what is typed is what is read, by ``desktop.services.editing.parse_date_text``.
    Only digits and separators can be typed; an impossible date (31/02/2024) stays as typed, is
    shown in red with the reason and is refused on save, never moved to a real day. Ctrl+A and
    typing a whole date works, Tab leaves the field, Delete empties it. A partly typed date is
    completed from ``default_date`` ("05" is the 5th of its month, "05/11" the 5th of November of
    its year) and shown whole when the field is left; an empty field is never filled by itself.
    """

    valueChanged = Signal()
    DISPLAY = "dd/mm/yyyy"

    def __init__(self, parent: QWidget | None = None, default_date: date | None = None):
        super().__init__(parent)
        self._default = default_date or date.today()
        self._last: date | None = None
        self.setPlaceholderText(self.DISPLAY)
        # Typing is held to a date's characters by the validator; the length leaves room for the
        # "empty" words a DateField shows ("không có hạn"), which are set, never typed.
        self.setMaxLength(24)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9/.\- ]{0,12}"), self))
        self.setToolTip("Nhập ngày dạng dd/mm/yyyy (ví dụ 05/10/2024); xóa (Delete) để bỏ trống.")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 40)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 80)
        self._calendar_action = self.addAction(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
                                               QLineEdit.ActionPosition.TrailingPosition)
        self._calendar_action.setToolTip("Chọn ngày trên lịch")
        self._calendar_action.triggered.connect(self.show_calendar)
        self._menu: QMenu | None = None
        self.textChanged.connect(self._on_text_changed)
        self.editingFinished.connect(self._tidy)

    # -- value
    def set_default_date(self, value: date) -> None:
        self._default = value

    def is_empty(self) -> bool:
        return not self.text().strip()

    def error_message(self) -> str:
        """Why the text is not a date (Vietnamese), or "" when it is one or is empty."""
        try:
            parse_date_text(self.text(), self._default)
        except ValidationError as exc:
            return exc.message
        return ""

    def hasAcceptableInput(self) -> bool:  # noqa: N802 (Qt name)
        return not self.error_message()

    def value(self) -> date | None:
        """The date typed, or None when empty or not a date (see :meth:`hasAcceptableInput`)."""
        try:
            return parse_date_text(self.text(), self._default)
        except ValidationError:
            return None

    def set_value(self, value: date | None) -> None:
        self.setText(fmt_date(value))

    def clear_value(self) -> None:
        self.setText("")

    def _mark(self, message: str) -> None:
        self.setProperty("invalid", bool(message))
        self.setStyleSheet("QLineEdit { border: 1px solid #C62828; background: #FFF5F5; }" if message else "")
        self.setToolTip(message or "Nhập ngày dạng dd/mm/yyyy (ví dụ 05/10/2024); xóa (Delete) để bỏ trống.")

    def _on_text_changed(self, _text: str) -> None:
        # While typing, a half-typed date is not yet wrong; a whole one (or one set by code) is judged.
        whole = len(self.text().strip()) >= 8 or not self.hasFocus()
        self._mark(self.error_message() if whole and self.isEnabled() else "")
        value = self.value()
        if value != self._last:
            self._last = value
            self.valueChanged.emit()

    def _tidy(self) -> None:
        self._mark(self.error_message() if self.isEnabled() else "")
        value = self.value()
        if value is not None and self.text() != fmt_date(value):
            self.set_value(value)  # 5-10-2024 reads as 05/10/2024; an invalid text stays as typed

    # -- calendar
    def show_calendar(self) -> None:
        calendar = QCalendarWidget()
        calendar.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        start = self.value() or self._default
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def picked(qdate: QDate) -> None:
            self.set_value(date(qdate.year(), qdate.month(), qdate.day()))
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        menu.aboutToHide.connect(menu.deleteLater)
        self._menu = menu
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))


class StatusChip(QLabel):
    """A rounded label coloured like the status it shows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("statusChip")
        self.set_status(None)

    def set_status(self, status: str | None, text: str = "") -> None:
        self.setProperty("status", status or "")
        if not status:
            self.setText("")
            self.setStyleSheet("")
            return
        self.setText(text or labels.STATUS.get(status, status))
        fill = labels.STATUS_FILL.get(status, "#FFFFFF")
        border = labels.STATUS_COLOR.get(status, "#000000")
        self.setStyleSheet(f"QLabel {{ background: {fill}; border: 1px solid {border}; border-radius: 8px; "
                           f"padding: 2px 8px; color: #202020; }}")


def elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """Fit ``text`` in ``width`` pixels, cutting between words with "…".

    Qt's own elision cuts inside a syllable, and a cut Vietnamese syllable may read as another
    word (the common "lồng ghép" would show as an improper word). A single word too long for the
    column is left to Qt.
    """
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    shown = ""
    for word in words:
        candidate = f"{shown} {word}" if shown else word
        if metrics.horizontalAdvance(candidate + "…") > width:
            break
        shown = candidate
    return (shown.rstrip(" ,;:-–") + "…") if shown else text


class WordElideDelegate(QStyledItemDelegate):
    """Item delegate eliding texts between words (see :func:`elide_words`)."""

    MARGIN = 8  # item padding of the usual styles (Fusion, Windows), with a little to spare

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if opt.text and "\n" not in opt.text:
            opt.text = elide_words(opt.text, opt.fontMetrics, opt.rect.width() - self.MARGIN)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


class ElidedLabel(QLabel):
    """A one-line label that never asks for more width than it is given: a long text is cut
    between words with "…" and shown whole in the tooltip (a plain QLabel with a long task title
    widened the main window beyond a 1366-pixel screen)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(1)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()

    def minimumSizeHint(self):  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        hint.setWidth(1)
        return hint

    def sizeHint(self):  # noqa: N802 - Qt override
        hint = super().sizeHint()
        hint.setWidth(min(hint.width(), 200))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = elide_words(self._full, self.fontMetrics(), max(1, self.width() - 4))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


def setup_list_table(view: QTableView, text_columns: tuple[int, ...] = ()) -> None:
    """A read-only list of rows (the window's tables, the dashboard's lists): whole rows selected one
    at a time, no editing, no wrap, alternating rows of 24 px; ``text_columns`` elide at word
    boundaries where long Vietnamese text is cut."""
    for column in text_columns:
        view.setItemDelegateForColumn(column, WordElideDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setHighlightSections(False)
