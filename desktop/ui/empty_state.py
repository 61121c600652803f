"""Empty states of the main window: with no unit, no directive or no result yet, a bar under the
menu says what to do next, with the button that does it. A toolbar of its own, so that it stays
out of the window's layout; it hides itself as soon as the database has units, directives and results."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolBar, QWidget

from desktop.services import tracking
from desktop.services.office_setup import FILLED, NO_DIRECTIVES, NO_RESULTS, NO_UNITS, state_of  # noqa: F401 - re-exported

TEXTS = {
    NO_UNITS: "Chưa có đơn vị nào. Hãy nhập danh sách đơn vị của cơ quan (Excel hoặc CSV), hoặc dùng trợ lý bắt "
              "đầu để chọn mẫu cơ quan.",
    NO_DIRECTIVES: "Chưa có văn bản chỉ đạo nào. Đọc văn bản từ tệp (.docx, .pdf) để chương trình đề xuất nhiệm vụ, "
                   "hoặc nhập tay.",
    NO_RESULTS: "Chưa có kết quả nào của đơn vị. Chọn một nhiệm vụ, chọn đơn vị được giao rồi nhập kết quả ở khung "
                "bên phải; hoặc gửi phiếu báo cáo Excel cho đơn vị và nhập lại khi họ gửi về.",
}


class EmptyStateBar(QToolBar):
    def __init__(self, window):
        super().__init__("Bắt đầu", window)
        self.window_ = window
        self.setObjectName("emptyStateBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not a toolbar the officer hides from a menu
        box = QWidget(self)
        box.setObjectName("emptyStateBox")
        box.setStyleSheet("#emptyStateBox { background: #fff8e1; border: 1px solid #f0c36d; border-radius: 3px; }")
        layout = QHBoxLayout(box)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(box)
        self.label.setObjectName("emptyStateText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
            ("emptyImportUnits", "Nhập danh sách đơn vị…", self._import_units),
            ("emptyFirstRun", "Trợ lý bắt đầu…", self._first_run),
            ("emptyIntake", "Đọc văn bản chỉ đạo…", lambda: window.intake_directive()),
            ("emptyNewDirective", "Thêm văn bản…", lambda: window.new_directive()),
            ("emptyImportResults", "Nhập kết quả từ phiếu Excel…", lambda: window.import_results()),
            ("emptyTemplates", "Phiếu báo cáo cho đơn vị…", lambda: window.export_templates()),
        ):
            button = QPushButton(text, box)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, f=slot: f())
            layout.addWidget(button)
            self.buttons[name] = button
        self.addWidget(box)
        self.state = None

    def _import_units(self) -> None:
        from desktop.ui.first_run import import_unit_list

        if import_unit_list(self.window_, self.window_.db):
            self.window_._load_directives()
            self.window_.reload_all()

    def _first_run(self) -> None:
        from desktop.ui.first_run import open_wizard

        open_wizard(self.window_, self.window_.db)

    def refresh(self) -> None:
        self.state = state_of(tracking.office_contents(self.window_.db))
        shown = {NO_UNITS: ("emptyImportUnits", "emptyFirstRun"),
                 NO_DIRECTIVES: ("emptyIntake", "emptyNewDirective"),
                 NO_RESULTS: ("emptyTemplates", "emptyImportResults")}.get(self.state, ())
        for name, button in self.buttons.items():
            button.setVisible(name in shown)
        self.label.setText(TEXTS.get(self.state, ""))
        self.setVisible(self.state != FILLED)


def install(window) -> EmptyStateBar:
    """Add the bar under the menu of the main window and keep it current on every reload."""
    bar = EmptyStateBar(window)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    window.refreshed.connect(bar.refresh)
    bar.refresh()
    return bar
