"""Screenshots of the editing dialogs on a database (the demo one), for the README and the guide.

``scripts/screenshots.py`` (main window) calls :func:`save_dialog_screenshots`; it needs a
QApplication and works offscreen (``QT_QPA_PLATFORM=offscreen``). Nothing is saved in the
database: the dialogs are only shown and grabbed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from db.models import Directive, Extension
from db.queries import assignment_rows, find_unit
from desktop.infra.fileio import atomic_write
from desktop.tracking.stats import track
from desktop.tracking.status import Status
from desktop.ui import common
from desktop.ui.dialogs.directive import DirectiveDialog
from desktop.ui.dialogs.extension import ExtensionDialog
from desktop.ui.dialogs.reminder import ReminderDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.units import UnitsDialog

SIZES = {
    "dlg-units.png": (980, 660),
    "dlg-directive.png": (1120, 780),
    "dlg-directive-units.png": (1120, 780),
    "dlg-extension.png": (760, 620),
    "dlg-reminder.png": (980, 600),
    "dlg-settings.png": (880, 720),
}


def _grab(dialog: QDialog, path: Path) -> Path:
    width, height = SIZES[path.name]
    common.fit_to_screen(dialog, width, height)  # as the officer's 1366×768 laptop shows it
    dialog.show()
    app = QApplication.instance()
    for _ in range(3):  # layouts settle over a few event-loop turns
        app.processEvents()
    pixmap = dialog.grab()

    def write(tmp: Path) -> None:
        if not pixmap.save(str(tmp), "PNG"):
            raise OSError(f"cannot write {path}")

    atomic_write(path, write)
    dialog.hide()
    dialog.deleteLater()
    return path


def save_dialog_screenshots(db, out_dir: str | Path, today: date) -> list[Path]:
    """Grab each editing dialog into ``out_dir/dlg-*.png``; returns the files written.

    On the demo database: the unit tree with «UBND phường Đông Khê» selected; the newest directive
    (its first task, then its units); the latest extended assignment; the ten most recently
    overdue assignments for a reminder; the settings."""
    out = Path(out_dir)
    written: list[Path] = []
    with db.session() as s:
        ward = find_unit(s, "P-DK")
        newest = s.execute(select(Directive).order_by(Directive.issued_on.desc(), Directive.id.desc())
                           ).scalars().first()
        rows = assignment_rows(s)
        extended = s.execute(select(Extension.assignment_id).order_by(Extension.id.desc())).scalars().first()
    due_soon = db.settings().due_soon_days
    late = [t.row for t in track(rows, today, due_soon) if t.status is Status.OVERDUE]
    late.sort(key=lambda r: r.effective_due, reverse=True)  # the most recent ones are the ones chased
    overdue = [r.assignment_id for r in late[:10]]

    units = UnitsDialog(db, today=today)
    if ward is not None:
        units.select_unit(ward.id)
    written.append(_grab(units, out / "dlg-units.png"))
    if newest is not None:
        directive = DirectiveDialog(db, newest.id, today=today)
        written.append(_grab(directive, out / "dlg-directive.png"))
        directive = DirectiveDialog(db, newest.id, today=today)
        directive.tabs.setCurrentIndex(2)
        written.append(_grab(directive, out / "dlg-directive-units.png"))
    if extended is not None:
        written.append(_grab(ExtensionDialog(db, extended, today), out / "dlg-extension.png"))
    if overdue:
        written.append(_grab(ReminderDialog(db, overdue, today), out / "dlg-reminder.png"))
    written.append(_grab(SettingsDialog(db), out / "dlg-settings.png"))
    return written
