"""Time the main window on a large database: start, selecting a unit, a group, everything, and one
search keystroke (after the debounce pause). Wall and CPU milliseconds, median of a few runs.

    python bench/quick_city.py /tmp/city.db            # ~1,000 units, 200,000 assignments
    QT_QPA_PLATFORM=offscreen python bench/ui_timing.py /tmp/city.db --today 2025-10-08
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def _measure(app, window, action, runs: int = 5, reset=None):
    walls, cpus = [], []
    for _ in range(runs):
        if reset is not None:
            reset()
            _wait(app, window)
        c0, t0 = time.process_time(), time.perf_counter()
        action()
        _wait(app, window)
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _wait(app, window) -> None:
    """Block in an event loop (not a busy loop that would steal the worker's CPU) until idle."""
    from PySide6.QtCore import QEventLoop

    app.processEvents()
    if not window.is_idle():
        loop = QEventLoop()

        def done(busy: bool) -> None:
            if not busy:
                loop.quit()

        window.runner.busyChanged.connect(done)
        if not window.is_idle():
            loop.exec()
        window.runner.busyChanged.disconnect(done)
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--today", default="2025-10-08")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    today = date.fromisoformat(args.today)

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        app = QApplication.instance() or QApplication([])
        from desktop.infra.database import open_database
        from desktop.ui.main_window import MainWindow

        db = open_database(args.db)
        c0, t0 = time.process_time(), time.perf_counter()
        window = MainWindow(db, today)
        window.resize(1440, 860)
        window.show()
        built = (time.perf_counter() - t0) * 1000
        _wait(app, window)
        print(f"assignments shown at start: {sum(line.total for line in window.task_model.rows())}")
        print(f"window built: {built:.0f} ms; first view loaded: {(time.perf_counter() - t0) * 1000:.0f} ms wall, "
              f"{(time.process_time() - c0) * 1000:.0f} ms CPU")
        nodes = window.tree_model.nodes()
        leaves = [n for n in nodes if not n.is_group and n.active]
        groups = sorted((n for n in nodes if n.is_group), key=lambda n: -len([x for x in nodes if x.parent_id == n.id]))
        state = {"i": 0}

        def select(unit_id):
            window.unit_tree.setCurrentIndex(window.tree_model.index_of(unit_id))

        def next_unit():
            state["i"] += 1
            select(leaves[(state["i"] * 37) % len(leaves)].id)

        wall, cpu = _measure(app, window, next_unit, args.runs)
        print(f"select one unit (task table reloaded): {wall:.0f} ms wall, {cpu:.0f} ms CPU (median)")

        def first_task_and_assignment():
            window.task_table.selectRow(0)
            window.assignment_table.selectRow(0)

        wall, cpu = _measure(app, window, first_task_and_assignment, args.runs,
                             reset=lambda: (window.task_table.setCurrentIndex(window.task_model.index(-1, -1)),
                                            setattr(window, "_current_task_key", None), window.form.load(None)))
        print(f"then select its first task and first assignment (list + result form): {wall:.0f} ms wall, "
              f"{cpu:.0f} ms CPU; {window.assignment_model.rowCount()} rows, form shows "
              f"{window.form.assignment_id is not None}")
        group = groups[0]
        size = len([x for x in nodes if x.parent_id == group.id])
        wall, cpu = _measure(app, window, lambda: select(group.id), args.runs, reset=lambda: select(leaves[0].id))
        print(f"select the group «{group.name}» ({size} units): {wall:.0f} ms wall, {cpu:.0f} ms CPU")
        wall, cpu = _measure(app, window, lambda: select(None), args.runs, reset=lambda: select(leaves[0].id))
        print(f"select «Tất cả đơn vị» (every assignment): {wall:.0f} ms wall, {cpu:.0f} ms CPU")

        c0, t0 = time.process_time(), time.perf_counter()
        window.search_box.setText("ubnd")
        window._run_search()
        _wait(app, window)
        print(f"first search (report texts folded in the background after start): {(time.perf_counter() - t0) * 1000:.0f} ms wall, "
              f"{(time.process_time() - c0) * 1000:.0f} ms CPU")
        words = ["ubnd a", "ubnd an", "ubnd bi", "tuyen t", "hoi n", "dong k"]
        state["w"] = 0

        def keystroke():
            state["w"] += 1
            window.search_box.setText(words[state["w"] % len(words)])
            window._search_timer.stop()  # measure the work after the pause, not the pause itself
            window._run_search()

        wall, cpu = _measure(app, window, keystroke, args.runs)
        print(f"one search keystroke (after the {window._search_timer.interval()} ms pause): {wall:.0f} ms wall, "
              f"{cpu:.0f} ms CPU; {window.search_model.rowCount()} hits shown")
        window.search_box.clear()
        window.form.load(None)
        window.close()
        window.runner.shutdown()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
