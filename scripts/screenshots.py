"""Regenerate the screenshots in docs/img from the demo database, offscreen.

    python scripts/screenshots.py [--out docs/img] [--db existing-demo.db]

Builds the demo database in a temporary folder (unless --db is given; it is never written), opens
the main window at the demo's date (08/10/2024) on a 1366×768 screen and grabs: the main window, the task × unit grid,
the dashboard, the result form and a search; then the editing dialogs
(``scripts.dialog_screenshots.save_dialog_screenshots``). UI settings go to the temporary
folder, never to the user's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The screen most offices have: a 1366×768 laptop (the offscreen platform's own screen is 800×800).
SCREEN_CONFIG = ROOT / "tests" / "data" / "screen-1366x768.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_CONFIG}"

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


def _settle(app: QApplication, window=None) -> None:
    for _ in range(5):
        app.processEvents()
    if window is not None:
        while not window.is_idle():
            app.processEvents()
        for _ in range(5):
            app.processEvents()


def _save(widget: QWidget, path: Path) -> Path:
    from desktop.infra.fileio import atomic_write

    pixmap = widget.grab()

    def write(tmp: Path) -> None:
        if not pixmap.save(str(tmp), "PNG"):
            raise OSError(f"cannot write {path}")

    atomic_write(path, write)
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


def _assignment_with_figures(db, today):
    """A recent accepted result with figures and a link, the nicest form to show."""
    from sqlalchemy import select

    from db.models import Evidence, ReportFigure, UnitReport
    from desktop.tracking import board

    with db.session() as s:
        with_link = set(s.execute(select(UnitReport.assignment_id).join(Evidence, Evidence.report_id == UnitReport.id)
                                  ).scalars())
        with_figures = set(s.execute(select(UnitReport.assignment_id).join(
            ReportFigure, ReportFigure.report_id == UnitReport.id)).scalars())
        rows = board.fetch_rows(s, directive_ids=[board.directive_list(s)[0][0]])
    for row in rows:
        if row.assignment_id in with_link and row.assignment_id in with_figures and row.state == "hoan_thanh":
            return row.assignment_id
    return rows[0].assignment_id


def _most_varied_directive(db, today) -> int | None:
    """The directive whose grid shows the most different statuses (the most telling picture)."""
    from desktop.tracking import board

    best, best_count = None, -1
    with db.session() as s:
        for did, *_rest in board.directive_list(s):
            grid = board.grid(s, did, today, db.settings().due_soon_days)
            count = len({t.status for t in grid.cells.values()})
            if count > best_count:
                best, best_count = did, count
    return best


def take(db, out: Path, today) -> list[Path]:
    from desktop.ui.main_window import TAB_DASHBOARD, TAB_GRID, TAB_TASKS, MainWindow

    app = QApplication.instance()
    written = []
    window = MainWindow(db, today)
    window.show()  # maximised on the 1366×768 screen, as on a first run
    _settle(app, window)

    aid = _assignment_with_figures(db, today)
    window.show_assignment(aid)
    _settle(app, window)
    written.append(_save(window, out / "main-window.png"))
    written.append(_save(window.form, out / "result-form.png"))

    window.form.tabs.setCurrentIndex(2)
    _settle(app, window)
    written.append(_save(window.form, out / "result-history.png"))
    window.form.tabs.setCurrentIndex(0)

    window.tabs.setCurrentIndex(TAB_GRID)
    _settle(app, window)
    colourful = _most_varied_directive(db, today)
    if colourful is not None:
        window.matrix.select_directive(colourful)
        window._load_grid()
        _settle(app, window)
        grid = window.matrix.model.grid()
        late = [t for t in grid.cells.values() if t.status.value == "overdue"]
        if late:  # show the result form of an overdue cell beside the grid
            window.show_assignment(late[0].row.assignment_id)
            _settle(app, window)
    _settle(app, window)
    written.append(_save(window, out / "grid.png"))

    window.tabs.setCurrentIndex(TAB_DASHBOARD)
    _settle(app, window)
    written.append(_save(window, out / "dashboard.png"))

    window.tabs.setCurrentIndex(TAB_TASKS)
    window.search_box.setText("dong khe")
    window._run_search()
    _settle(app, window)
    written.append(_save(window, out / "search.png"))
    window.search_box.clear()
    _settle(app, window)

    window.close()
    window.runner.shutdown()

    from desktop.ui.transfer_actions import TargetDialog

    transfer = TargetDialog(None, str(db.location), "postgresql://canbo@192.168.1.10:5432/theodoi")
    transfer.show()
    _settle(app)
    written.append(_save(transfer, out / "dlg-transfer.png"))
    transfer.close()
    try:
        from scripts.dialog_screenshots import save_dialog_screenshots
    except ImportError:
        print("  (dialogs: not available)")
    else:
        for path in save_dialog_screenshots(db, out, today):
            print(f"  {path}")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    parser.add_argument("--db", help="an existing demo database (copied, not changed)")
    args = parser.parse_args(argv)

    import shutil

    from desktop.infra import local_config, paths
    from desktop.infra.database import open_database
    from desktop.services.demo import DEMO_TODAY, build_demo

    # One fixed folder (emptied before and after): the dialogs that show the database's path show the
    # same path on every run, so regenerating changes an image only when the program changed.
    tmp = Path(tempfile.gettempdir()) / "TheoDoi-anh-minh-hoa"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(tmp) / "qsettings"))
        # this PC's configuration (database, officer) comes from the temporary folder, never the user's
        os.environ["THEODOI_DATA_DIR"] = os.environ["THEODOI_CONFIG_DIR"] = str(Path(tmp) / paths.APP_NAME)
        os.environ.pop("THEODOI_DB", None)
        local_config.save_config(local_config.LocalConfig(officer_name="Nguyễn Thị Lan"))
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("Theo dõi nhiệm vụ")
        target = paths.default_database_file()  # the settings show the database in use as the default one
        if args.db:
            shutil.copyfile(args.db, target)
            db = open_database(target)
        else:
            db = open_database(target)
            build_demo(db, DEMO_TODAY)
        try:
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            print(f"Ảnh chụp màn hình -> {out}")
            take(db, out, DEMO_TODAY)
        finally:
            db.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
