"""Dashboard: overall share (donut), per-unit on-time / late / overdue bars, the next days'
deadlines and the overdue list. Charts are painted with QPainter (PySide6-Essentials has no
QtCharts)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.tracking import labels
from desktop.tracking.board import DashboardData, UnitBar
from desktop.tracking.stats import Summary
from desktop.tracking.status import Status
from desktop.ui.models import DeadlineListModel
from desktop.ui.widgets import elide_words, setup_list_table

GREEN = QColor(labels.STATUS_COLOR[Status.ON_TIME.value])
ORANGE = QColor(labels.STATUS_COLOR[Status.LATE.value])
RED = QColor(labels.STATUS_COLOR[Status.OVERDUE.value])
BLUE = QColor(labels.STATUS_COLOR[Status.IN_PROGRESS.value])
PURPLE = QColor(labels.STATUS_COLOR[Status.PENDING_REVIEW.value])
GREY = QColor("#BDBDBD")


percent = labels.fmt_percent  # the one number format: "59%", "87,5%"


class DonutChart(QWidget):
    """Share of the due assignments done on time, done late and not done."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("donutChart")
        self._summary = Summary()
        self.setMinimumSize(180, 180)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def set_summary(self, summary: Summary) -> None:
        self._summary = summary
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 16
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        s = self._summary
        parts = [(s.on_time, GREEN), (s.late, ORANGE), (s.overdue, RED)]
        total = sum(n for n, _ in parts)
        pen_width = max(14.0, side * 0.16)
        inner = rect.adjusted(pen_width / 2, pen_width / 2, -pen_width / 2, -pen_width / 2)
        if total == 0:
            painter.setPen(QPen(GREY, pen_width))
            painter.drawEllipse(inner)
        else:
            start = 90 * 16
            for n, color in parts:
                if not n:
                    continue
                span = -round(360 * 16 * n / total)
                painter.setPen(QPen(color, pen_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                painter.drawArc(inner, start, span)
                start += span
        painter.setPen(self.palette().windowText().color())
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        painter.setFont(font)
        center = inner.adjusted(pen_width / 2, pen_width / 2, -pen_width / 2, -pen_width / 2)
        top = QRectF(center.left(), center.top(), center.width(), center.height() * 0.58)
        painter.drawText(top, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                         percent(s.on_time_rate))
        font.setBold(False)
        font.setPointSizeF(self.font().pointSizeF())
        painter.setFont(font)
        bottom = QRectF(center.left(), center.top() + center.height() * 0.58, center.width(), center.height() * 0.42)
        painter.drawText(bottom, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), "đúng hạn")
        painter.end()


class UnitBarsChart(QWidget):
    """One stacked bar per unit: on time (green), late (orange), overdue (red), scaled to the unit
    with the most due assignments. Clicking a bar emits ``unitActivated(unit_id)``."""

    unitActivated = Signal(int)
    ROW = 24
    NAME_WIDTH = 190
    NUMBERS_WIDTH = 110

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unitBars")
        self._bars: list[UnitBar] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def bars(self) -> list[UnitBar]:
        return list(self._bars)

    def set_bars(self, bars: list[UnitBar]) -> None:
        self._bars = list(bars)
        self.setFixedHeight(max(self.ROW, len(self._bars) * self.ROW + 4))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, max(self.ROW, len(self._bars) * self.ROW + 4))

    def _row_at(self, y: float) -> int:
        row = int(y // self.ROW)
        return row if 0 <= row < len(self._bars) else -1

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row >= 0:
            self.unitActivated.emit(self._bars[row].unit_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row < 0:
            self.setToolTip("")
            return
        b = self._bars[row]
        s = b.summary
        self.setToolTip(
            f"{b.name}\nĐến hạn: {labels.fmt_int(s.due)}\nĐúng hạn: {labels.fmt_int(s.on_time)}\nQuá hạn đã xong: {labels.fmt_int(s.late)}\n"
            f"Quá hạn chưa xong: {s.overdue}\nĐang thực hiện: {s.in_progress}\nTỷ lệ đúng hạn: {percent(s.on_time_rate)}")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        exposed = event.rect()
        first = max(0, exposed.top() // self.ROW)
        last = min(len(self._bars) - 1, exposed.bottom() // self.ROW)
        scale = max((b.summary.due for b in self._bars), default=0) or 1
        bar_left = self.NAME_WIDTH + 8
        bar_width = max(40, self.width() - bar_left - self.NUMBERS_WIDTH - 8)
        metrics = painter.fontMetrics()
        text_color = self.palette().windowText().color()
        for i in range(first, last + 1):
            b = self._bars[i]
            s = b.summary
            top = i * self.ROW
            if i % 2:
                painter.fillRect(0, top, self.width(), self.ROW, QColor(0, 0, 0, 10))
            painter.setPen(text_color)
            name = elide_words(b.name, metrics, self.NAME_WIDTH)
            painter.drawText(QRectF(4, top, self.NAME_WIDTH, self.ROW),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
            x = float(bar_left)
            for n, color in ((s.on_time, GREEN), (s.late, ORANGE), (s.overdue, RED)):
                if n:
                    w = bar_width * n / scale
                    painter.fillRect(QRectF(x, top + 5, max(w, 2.0), self.ROW - 10), color)
                    x += w
            if s.due == 0:
                painter.setPen(QColor("#808080"))
                painter.drawText(QRectF(bar_left, top, bar_width, self.ROW),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 "chưa có nhiệm vụ đến hạn")
            painter.setPen(text_color)
            numbers = f"{labels.fmt_int(s.on_time)} · {labels.fmt_int(s.late)} · {labels.fmt_int(s.overdue)}"
            painter.drawText(QRectF(bar_left + bar_width + 6, top, self.NUMBERS_WIDTH, self.ROW),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), numbers)
        painter.end()


def _legend_item(color: QColor, text: str) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    swatch = QLabel()
    swatch.setFixedSize(14, 14)
    swatch.setStyleSheet(f"background: {color.name()}; border-radius: 2px;")
    layout.addWidget(swatch)
    layout.addWidget(QLabel(text))
    return box


class _Card(QFrame):
    def __init__(self, title: str, color: QColor | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.value = QLabel("0")
        font = self.value.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.value.setFont(font)
        if color is not None:
            self.value.setStyleSheet(f"color: {color.name()};")
        caption = QLabel(title)
        caption.setWordWrap(True)
        layout.addWidget(self.value)
        layout.addWidget(caption)


class DashboardView(QWidget):
    """Emits ``assignmentActivated(id)`` from the lists and ``unitActivated(id)`` from the bars."""

    assignmentActivated = Signal(int)
    unitActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._data: DashboardData | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.scope_label = QLabel()
        self.scope_label.setObjectName("dashboardScope")
        font = self.scope_label.font()
        font.setBold(True)
        self.scope_label.setFont(font)
        outer.addWidget(self.scope_label)

        top = QHBoxLayout()
        self.donut = DonutChart()
        top.addWidget(self.donut)
        cards = QGridLayout()
        self.card_assigned = _Card("lượt giao (trừ tạm dừng, hủy)")
        self.card_due = _Card("đã đến hạn")
        self.card_on_time = _Card("hoàn thành đúng hạn", GREEN)
        self.card_late = _Card("hoàn thành quá hạn", ORANGE)
        self.card_overdue = _Card("quá hạn, chưa hoàn thành", RED)
        self.card_open = _Card("đang thực hiện, trong hạn", BLUE)
        # Reported, not yet accepted: the office's to act on; neither done nor overdue, not in the rates.
        self.card_pending = _Card("đã báo cáo, chờ duyệt", PURPLE)
        for i, card in enumerate((self.card_assigned, self.card_due, self.card_open, self.card_pending,
                                  self.card_on_time, self.card_late, self.card_overdue)):
            cards.addWidget(card, i // 4, i % 4)
        top.addLayout(cards, 1)
        outer.addLayout(top)

        bars_box = QGroupBox("Theo đơn vị: số nhiệm vụ đến hạn")
        bars_layout = QVBoxLayout(bars_box)
        legend = QHBoxLayout()
        legend.addWidget(_legend_item(GREEN, "Đúng hạn"))
        legend.addWidget(_legend_item(ORANGE, "Quá hạn đã xong"))
        legend.addWidget(_legend_item(RED, "Quá hạn chưa xong"))
        legend.addStretch(1)
        bars_layout.addLayout(legend)
        self.bars = UnitBarsChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.bars)
        bars_layout.addWidget(scroll)
        outer.addWidget(bars_box, 3)

        self.upcoming_model = DeadlineListModel(self)
        self.overdue_model = DeadlineListModel(self)
        self.upcoming_view = self._list_view(self.upcoming_model, "upcomingTable")
        self.overdue_view = self._list_view(self.overdue_model, "overdueTable")
        self.lists = QTabWidget()
        self.lists.setObjectName("dashboardLists")
        self.lists.addTab(self.upcoming_view, "Đến hạn trong 7 ngày tới")
        self.lists.addTab(self.overdue_view, "Quá hạn")
        outer.addWidget(self.lists, 2)
        self.bars.unitActivated.connect(self.unitActivated)

    def _list_view(self, model: DeadlineListModel, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        setup_list_table(view, (DeadlineListModel.C_UNIT, DeadlineListModel.C_TASK))
        view.setSortingEnabled(True)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DeadlineListModel.C_TASK, QHeaderView.ResizeMode.Stretch)
        view.setColumnWidth(DeadlineListModel.C_DEADLINE, 86)
        view.setColumnWidth(DeadlineListModel.C_UNIT, 150)
        view.setColumnWidth(DeadlineListModel.C_STATUS, 170)
        view.clicked.connect(lambda index, m=model: self._activate(m, index))
        view.activated.connect(lambda index, m=model: self._activate(m, index))
        return view

    def _activate(self, model: DeadlineListModel, index: QModelIndex) -> None:
        row = model.row_at(index.row())
        if row is not None:
            self.assignmentActivated.emit(row.row.assignment_id)

    def data(self) -> DashboardData | None:
        return self._data

    def set_data(self, data: DashboardData, scope_text: str) -> None:
        self._data = data
        s = data.overall
        self.scope_label.setText(scope_text)
        self.donut.set_summary(s)
        self.card_assigned.value.setText(labels.fmt_int(s.active))
        self.card_due.value.setText(labels.fmt_int(s.due))
        self.card_on_time.value.setText(f"{labels.fmt_int(s.on_time)} ({percent(s.on_time_rate)})")
        self.card_late.value.setText(f"{labels.fmt_int(s.late)} ({percent(s.late_rate)})")
        self.card_overdue.value.setText(f"{labels.fmt_int(s.overdue)} ({percent(s.not_done_rate)})")
        self.card_open.value.setText(labels.fmt_int(s.in_progress))
        self.card_pending.value.setText(labels.fmt_int(s.pending_review))
        self.bars.set_bars(data.units)
        self.upcoming_model.set_rows(data.upcoming)
        self.upcoming_view.sortByColumn(DeadlineListModel.C_DEADLINE, Qt.SortOrder.AscendingOrder)
        self.overdue_model.set_rows(data.overdue)
        self.overdue_view.sortByColumn(DeadlineListModel.C_STATUS, Qt.SortOrder.AscendingOrder)
        coming = f"Đến hạn trong {data.horizon_days} ngày tới ({labels.fmt_int(data.upcoming_total)})"
        if len(data.upcoming) < data.upcoming_total:
            coming = (f"Đến hạn trong {data.horizon_days} ngày tới ({labels.fmt_int(data.upcoming_total)}; "
                      f"hiện {len(data.upcoming)} gần nhất)")
        self.lists.setTabText(0, coming)
        shown = len(data.overdue)
        title = f"Quá hạn ({labels.fmt_int(data.overdue_total)})"
        if shown < data.overdue_total:
            title = f"Quá hạn ({labels.fmt_int(data.overdue_total)}; hiện {shown} lâu nhất)"
        self.lists.setTabText(1, title)
