"""Menu actions for Excel: "Xuất Excel", "Lập phiếu báo cáo", "Nhập phiếu báo cáo".

The work runs off the GUI thread through ``desktop.ui.background`` (the Qt-free functions of
``desktop.workbooks``); progress and the result come back through signals, so the window stays
responsive on 200,000 assignments. Default file names are Vietnamese and go to the user's Documents folder. A file still open in Excel gets a
new name instead of an error. Tests monkeypatch ``desktop.ui.common`` (ask/info/error/choose_*)
and this module's ``choose_folder`` and ``offer_open``; call them through the module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.infra.fileio import FileLockedError, next_free_name
from desktop.infra.paths import documents_dir
from desktop.ui import background, common
from desktop.ui.files import EXCEL_FILTER, offer_open
from desktop.ui.files import with_suffix as _with_suffix

log = logging.getLogger(__name__)

IMPORT_FILTER = "Phiếu báo cáo Excel (*.xlsx *.xlsm);;Mọi tệp (*)"


# ------------------------------------------------------------------ dialogs tests replace


class ExcelScopeDialog(QDialog):
    """«Xuất bảng tổng hợp Excel»: which directive (or all), as of which date."""

    def __init__(self, parent: QWidget | None, db, today: date, directive_id: int | None):
        super().__init__(parent)
        from desktop.ui.document_actions import ScopeBox

        self.setWindowTitle("Xuất bảng tổng hợp Excel")
        layout = QVBoxLayout(self)
        self.scope_box = ScopeBox(db, today, directive_id, parent=self)
        layout.addWidget(self.scope_box)
        layout.addWidget(common.ok_cancel(self, "Chọn tệp và xuất…"))

    def scope(self) -> tuple[int | None, date]:
        return self.scope_box.directive_id(), self.scope_box.as_of()


def ask_excel_scope(parent: QWidget | None, db, today: date, directive_id: int | None
                    ) -> tuple[int | None, date] | None:
    """(directive id or None for all, as-of date), or None when cancelled."""
    dialog = ExcelScopeDialog(parent, db, today, directive_id)
    common.fit_to_screen(dialog)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.scope()


class ReturnDateDialog(QDialog):
    """«Lập phiếu báo cáo»: the date by which the units send their forms back («Hạn gửi lại»,
    printed on each form), a week from today unless the officer sets another."""

    def __init__(self, parent: QWidget | None, today: date):
        super().__init__(parent)
        from desktop.ui.widgets import OptionalDateEdit
        from desktop.workbooks.template import RETURN_DAYS

        self.today = today
        self.setObjectName("returnDateDialog")
        self.setWindowTitle("Lập phiếu báo cáo")
        self.setMinimumWidth(440)  # the explanation on one or two lines, not squeezed into five
        layout = QVBoxLayout(self)
        intro = QLabel("Hạn gửi lại được in trên phiếu: đơn vị điền phiếu và gửi lại trước ngày này.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.date_edit = OptionalDateEdit(self, default_date=today + timedelta(days=RETURN_DAYS))
        self.date_edit.setObjectName("returnDate")
        self.date_edit.set_value(today + timedelta(days=RETURN_DAYS))
        form.addRow("Hạn gửi lại:", self.date_edit)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("returnDateProblem")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addWidget(common.ok_cancel(self, "Tiếp tục…"))

    def problem_text(self) -> str:
        """Why the date cannot be used (Vietnamese), or ""."""
        if self.date_edit.is_empty():
            return "Chưa nhập hạn gửi lại."
        message = self.date_edit.error_message()
        if message:
            return message
        if self.date_edit.value() <= self.today:
            return f"Hạn gửi lại phải sau ngày lập phiếu ({self.today:%d/%m/%Y})."
        return ""

    def accept(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        if problem:
            self.adjustSize()  # room for the message under the field
            self.date_edit.setFocus()
            return  # stays open: nothing is lost, the officer corrects the date
        super().accept()

    def return_date(self) -> date | None:
        return None if self.problem_text() else self.date_edit.value()


def ask_return_date(parent: QWidget | None, today: date) -> date | None:
    """«Hạn gửi lại» for the forms, or None when cancelled."""
    dialog = ReturnDateDialog(parent, today)
    common.fit_to_screen(dialog)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.return_date()


def choose_folder(parent: QWidget | None, title: str, folder: str) -> str | None:
    path = QFileDialog.getExistingDirectory(parent, title, folder)
    return path or None


def _suggest(name: str) -> Path:
    return next_free_name(documents_dir() / name)


@dataclass
class Written:
    path: Path
    note: str = ""  # e.g. the original name was locked


def _write_avoiding_lock(path: Path, write: Callable[[Path], Path]) -> Written:
    try:
        return Written(write(path))
    except FileLockedError:
        other = next_free_name(path)
        return Written(write(other), f"Tệp «{path.name}» đang mở trong chương trình khác nên đã ghi sang tên "
                                     f"mới «{other.name}».")


# ------------------------------------------------------------------ actions


def export_excel(parent: QWidget | None, db, today: date, directive_id: int | None = None) -> background.JobSignals | None:
    """"Xuất Excel": the workbook for the level above (all directives or one)."""
    from desktop.documents.naming import directive_number
    from desktop.workbooks.export import default_file_name, export_workbook

    scope = ask_excel_scope(parent, db, today, directive_id)
    if scope is None:
        return None
    directive_id, as_of = scope
    chosen = common.choose_save_file(parent, "Xuất bảng tổng hợp Excel",
                                     str(_suggest(default_file_name(directive_number(db, directive_id), as_of))),
                                     EXCEL_FILTER)
    if not chosen:
        return None
    target = _with_suffix(chosen)

    def work(progress):
        return _write_avoiding_lock(target, lambda p: export_workbook(db, p, as_of, directive_id, progress))

    def done(written: Written) -> None:
        text = f"Đã xuất bảng tổng hợp Excel:\n{written.path}"
        if written.note:
            text += f"\n\n{written.note}"
        offer_open(parent, text, written.path)

    return background.run_with_progress(parent, "Đang xuất bảng tổng hợp Excel…", work, done)


def export_templates(parent: QWidget | None, db, today: date, unit_ids: Sequence[int] | None = None
                     ) -> background.JobSignals | None:
    """"Lập phiếu báo cáo": one unit (a file) or several/all units (a folder of files)."""
    from desktop.workbooks import template as tpl
    from desktop.workbooks.template import export_template, template_file_name, template_units

    return_by = ask_return_date(parent, today)
    if return_by is None:
        return None
    if unit_ids is not None and len(unit_ids) == 1:
        units = template_units(db, unit_ids)
        if not units:
            common.warn(parent, "Đơn vị đã chọn là một nhóm hoặc không còn trong danh sách.")
            return None
        uid, name = units[0]
        chosen = common.choose_save_file(parent, "Lập phiếu báo cáo", str(_suggest(template_file_name(name, today))),
                                         EXCEL_FILTER)
        if not chosen:
            return None
        target = _with_suffix(chosen)

        def work_one(progress):
            return _write_avoiding_lock(target, lambda p: export_template(db, uid, p, today, return_by=return_by))

        def done_one(written: Written) -> None:
            text = f"Đã lập phiếu báo cáo cho {name}:\n{written.path}"
            if written.note:
                text += f"\n\n{written.note}"
            offer_open(parent, text, written.path)

        return background.run_with_progress(parent, f"Đang lập phiếu cho {name}…", work_one, done_one)

    folder = choose_folder(parent, "Chọn thư mục lưu các phiếu báo cáo", str(documents_dir()))
    if not folder:
        return None
    target_folder = next_free_name(Path(folder) / f"Phiếu báo cáo ngày {today:%d-%m-%Y}")

    def work_all(progress):
        return tpl.export_templates(db, target_folder, today, unit_ids, progress, return_by=return_by)

    def done_all(paths: list[Path]) -> None:
        if not paths:
            common.info(parent, "Không có đơn vị nào đang có nhiệm vụ cần báo cáo.")
            return
        offer_open(parent, f"Đã lập {len(paths)} phiếu báo cáo trong thư mục:\n{target_folder}", target_folder)

    return background.run_with_progress(parent, "Đang lập phiếu báo cáo cho các đơn vị…", work_all, done_all)


def import_files(parent: QWidget | None, db, paths: Sequence[str | Path] | None = None, today: date | None = None):
    """"Nhập phiếu báo cáo": choose files (unless given) and show the preview dialog (not blocking).
    Returns the dialog, or None when nothing was chosen."""
    from desktop.ui.import_dialog import ImportPreviewDialog

    if paths is None:
        paths = common.choose_open_files(parent, "Chọn phiếu báo cáo do đơn vị gửi lại", IMPORT_FILTER,
                                         str(documents_dir()))
    if not paths:
        return None
    dialog = ImportPreviewDialog(db, [Path(p) for p in paths], parent, today=today)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog


__all__ = ["EXCEL_FILTER", "export_excel", "export_templates", "import_files", "offer_open", "choose_folder"]
