"""Small reusable widgets: a date field that may be empty, a status chip."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QDateEdit, QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop import labels


class OptionalDateEdit(QDateEdit):
    """A dd/MM/yyyy date field with a calendar popup and an empty state.

    Empty is shown as blank (the minimum date carries the special value text). Delete or
    Backspace on a fully selected field empties it; clicking an empty field starts from
    ``default_date`` (today) so the calendar does not open in 1900.
    """

    EMPTY = QDate(1900, 1, 1)
    valueChanged = Signal()

    def __init__(self, parent: QWidget | None = None, default_date: date | None = None):
        super().__init__(parent)
        self._default = default_date or date.today()
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(self.EMPTY)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText(" ")
        self.setDate(self.EMPTY)
        self.setToolTip("Nhập ngày dạng dd/mm/yyyy; xóa (Delete) để bỏ trống.")
        self.dateChanged.connect(lambda _d: self.valueChanged.emit())
        calendar = self.calendarWidget()
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)

    def set_default_date(self, value: date) -> None:
        self._default = value

    def is_empty(self) -> bool:
        return self.date() == self.EMPTY

    def value(self) -> date | None:
        if self.is_empty():
            return None
        d = self.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(self.EMPTY if value is None else QDate(value.year, value.month, value.day))

    def clear_value(self) -> None:
        self.setDate(self.EMPTY)

    def _start_from_default(self) -> None:
        if self.is_empty():
            self.set_value(self._default)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._start_from_default()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            line = self.lineEdit()
            if self.is_empty() or line.selectedText() == line.text():
                self.clear_value()
                return
        if self.is_empty() and event.text().isdigit():
            self._start_from_default()
            self.setSelectedSection(QDateEdit.Section.DaySection)
        super().keyPressEvent(event)


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

    def full_text(self) -> str:
        return self._full

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
