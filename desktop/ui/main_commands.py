"""The main window's menu commands: each a function of the window (``desktop.ui.main_window.
MainWindow``, not imported here: the window imports this module), bound as its method.

The modules they open are imported plainly, at call time (a window that only shows the lists
starts without loading the dialogs, the Word and Excel writers). Each module is reached through
its attribute (``dialogs.DirectiveDialog``, ``workbook_actions.export_excel``) when the command
runs, so tests may replace one entry point on its module.
"""

from __future__ import annotations

from typing import Any

from desktop.infra.database import display_location
from desktop.services import tracking
from desktop.tracking import board
from desktop.ui import common
from desktop.ui.main_layout import TAB_GRID


def current_directive_id(window) -> int | None:
    """The directive in the filter bar, else the one of the selected task, else the grid's."""
    directive_id = window.directive_filter_value()
    if directive_id is not None:
        return directive_id
    line = window.task_model.row_at(window.task_table.currentIndex().row())
    if line is not None:
        return line.directive_id
    if window.tabs.currentIndex() == TAB_GRID:
        return window.matrix.current_directive()
    return None


def selected_assignment_ids(window) -> list[int]:
    rows = {i.row() for i in window.assignment_table.selectionModel().selectedRows()}
    ids = [window.assignment_model.row_at(r).row.assignment_id for r in sorted(rows)]
    if not ids and window.form.assignment_id is not None:
        ids = [window.form.assignment_id]
    return ids


def new_directive(window) -> None:
    from desktop.ui import dialogs

    if window.form.maybe_leave():
        common.exec_and_reload(window, dialogs.DirectiveDialog(window.db, None, window, today=window.today))


def edit_directive(window) -> None:
    from desktop.ui import dialogs

    directive_id = window.current_directive_id()
    if directive_id is None:
        common.info(window, "Hãy chọn một nhiệm vụ hoặc một văn bản ở thanh lọc trước.")
        return
    if window.form.maybe_leave():
        common.exec_and_reload(window, dialogs.DirectiveDialog(window.db, directive_id, window, today=window.today))


def intake_directive(window) -> None:
    from desktop.ui import intake_wizard

    if window.form.maybe_leave():
        common.exec_and_reload(window, intake_wizard.IntakeWizard(window.db, window))


def extend_deadline(window) -> None:
    from desktop.ui import dialogs

    aid = window.form.assignment_id
    if aid is None:
        common.info(window, "Hãy chọn đơn vị được giao nhiệm vụ cần gia hạn.")
        return
    if window.form.maybe_leave():
        common.exec_and_reload(window, dialogs.ExtensionDialog(window.db, aid, window.today, window))


def log_reminder(window) -> None:
    from desktop.ui import dialogs

    ids = window.selected_assignment_ids()
    if not ids:
        common.info(window, "Hãy chọn các đơn vị cần đôn đốc trong danh sách giao nhiệm vụ.")
        return
    if window.form.maybe_leave():
        common.exec_and_reload(window, dialogs.ReminderDialog(window.db, ids, window.today, window))


def edit_units(window) -> None:
    from desktop.ui import dialogs

    if window.form.maybe_leave():
        common.exec_and_reload(window, dialogs.UnitsDialog(window.db, window, today=window.today))


def edit_settings(window) -> None:
    from desktop.ui import dialogs

    if window.form.maybe_leave():
        common.exec_and_reload(window, dialogs.SettingsDialog(window.db, window))


def backup_now(window) -> None:
    from desktop.ui import safety_actions

    safety_actions.backup_now(window, window.db)


def restore_backup(window) -> None:
    from desktop.ui import safety_actions

    if not window.form.maybe_leave():
        return
    if safety_actions.restore_backup(window, window.db):
        window.report_index = board.ReportIndex()
        window._load_directives()
        window.form.load(None)
        window.reload_all()


def check_data(window) -> None:
    from desktop.ui import safety_actions

    safety_actions.check_data(window, window.db)


def transfer_data(window) -> Any:
    from desktop.ui import transfer_actions

    return transfer_actions.transfer_data(window, window.db)


def run_first_run(window) -> Any:
    from desktop.ui import first_run

    return first_run.run_first_run(window, window.db)


def reorganise_units(window) -> Any:
    from desktop.ui import reorganisation_dialog

    return reorganisation_dialog.reorganise_units(window, window.db)


def save_draft(window):
    """Keep the result form's unsaved edits in a file (called by the crash handler)."""
    return window.form.save_draft()


def import_results(window) -> None:
    from desktop.ui import workbook_actions

    if not window.form.maybe_leave():
        return
    dialog = workbook_actions.import_files(window, window.db, today=window.today)
    imported = getattr(dialog, "imported", None)
    if imported is not None:  # the preview dialog is not modal: reload when it has written
        imported.connect(lambda _result: window.reload_all())


def export_directive_id(window) -> int | None:
    """The directive the export dialogs offer first: the one of the filter bar, or on the grid tab
    the grid's; «Tất cả văn bản» offers all of them (never the selected task's, silently)."""
    directive_id = window.directive_filter_value()
    if directive_id is None and window.tabs.currentIndex() == TAB_GRID:
        return window.matrix.current_directive()
    return directive_id


def export_report(window) -> None:
    from desktop.ui import document_actions

    document_actions.export_report(window, window.db, window.export_directive_id(), window.today)


def export_reminder(window) -> None:
    from desktop.ui import document_actions

    unit_ids = window.scope().unit_ids
    document_actions.export_reminder(window, window.db, window.today, directive_id=window.export_directive_id(),
                                     unit_ids=list(unit_ids) if unit_ids is not None else None)


def export_excel(window) -> None:
    from desktop.ui import workbook_actions

    workbook_actions.export_excel(window, window.db, window.today, directive_id=window.export_directive_id())


def export_templates(window) -> None:
    from desktop.ui import workbook_actions

    unit_ids = window.scope().unit_ids
    workbook_actions.export_templates(window, window.db, window.today,
                                      unit_ids=list(unit_ids) if unit_ids is not None else None)


# ------------------------------------------------------------ printing (Ctrl+P)
def current_printout(window):
    """What Ctrl+P prints: the grid on the grid tab, else the task list as filtered and sorted."""
    from desktop.ui import printing

    agency = window.db.settings().agency
    if window.tabs.currentIndex() == TAB_GRID:
        data = window.matrix.model.grid()
        if data is None or not data.rows:
            return None
        return printing.grid(data, agency, window.today)
    model = window.task_model
    columns = list(model.COLUMNS)
    rows = [[model.data(model.index(r, c)) or "" for c in range(len(columns))] for r in range(model.rowCount())]
    return printing.task_list(rows, columns, window._scope_text(), agency, window.today)


def print_view(window) -> None:
    from desktop.ui import printing

    printout = window.current_printout()
    if printout is None:
        common.info(window, "Chưa có gì để in: hãy chọn một văn bản có nhiệm vụ đã giao.")
        return
    printing.preview(window, printout)


def unit_history_printout(window, unit_id: int | None = None):
    """«Phiếu theo dõi của đơn vị» of ``unit_id`` (default: the unit chosen in the tree)."""
    from desktop.ui import printing

    unit_id = window._scope_unit if unit_id is None else unit_id
    node = window.tree_model.node(unit_id) if unit_id is not None else None
    if node is None or node.is_group:
        return None
    tracked = tracking.unit_history(window.db, unit_id, window.today, window.due_soon_days)
    return printing.unit_history(node.name, tracked, window.db.settings().agency, window.today)


def print_unit_history(window) -> None:
    from desktop.ui import printing

    printout = window.unit_history_printout()
    if printout is None:
        common.info(window, "Hãy chọn một đơn vị (không phải nhóm) trong cây đơn vị bên trái, rồi in phiếu theo dõi.")
        return
    printing.preview(window, printout)


def show_shortcuts(window) -> None:
    common.info(window, "\n".join([
        "Ctrl+F: tìm kiếm (gõ không dấu được: «dong khe», «ubnd»)",
        "Ctrl+S: lưu kết quả; Ctrl+Enter: duyệt kết quả",
        "Ctrl+N: văn bản chỉ đạo mới; Ctrl+Shift+N: đọc văn bản từ tệp",
        "Ctrl+E: sửa văn bản; Ctrl+G: gia hạn; Ctrl+D: ghi nhận đôn đốc",
        "Ctrl+1 / Ctrl+2 / Ctrl+3: nhiệm vụ / bảng tổng hợp / tổng quan",
        "Ctrl+I: nhập kết quả từ phiếu Excel; Ctrl+R: báo cáo Word",
        "Ctrl+P: in trang đang xem; Ctrl+Shift+P: in phiếu theo dõi của đơn vị",
        "F5: tải lại dữ liệu",
    ]), "Phím tắt")


def show_about(window) -> None:
    try:
        from importlib.metadata import version

        number = version("theodoi-nhiemvu")
    except Exception:
        number = ""
    common.info(window, f"{common.APP_TITLE} {number}\nTheo dõi văn bản chỉ đạo, nhiệm vụ và kết quả thực hiện "
                        f"của các đơn vị.\nCơ sở dữ liệu: {display_location(str(window.db.location))}", "Giới thiệu")
