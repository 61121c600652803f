"""One measurement in a fresh process (start-up, peak memory), printing one JSON line.

    python -m bench.child KIND DB TODAY [ARGS...]

Kinds: start, start_floor, ui, word, word_floor, excel, excel_floor, import. Run by bench.run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_mb() -> float | None:
    """Peak resident memory of this process so far."""
    try:
        import resource
    except ImportError:  # Windows
        try:
            import psutil  # type: ignore

            return psutil.Process().memory_info().peak_wset / 2**20
        except Exception:
            return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def own_peak_mb() -> float | None:
    """Peak resident memory of this process alone. On Linux ``ru_maxrss`` outlives ``exec``: a
    child started by a parent that once held 338 MB (the data generation) says 338 MB whatever it
    did itself; ``VmHWM`` belongs to the new process image."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_mb()


def reset_peak() -> bool:
    """Start a new peak: Linux resets ``VmHWM`` to the current resident size when "5" is written
    to ``/proc/self/clear_refs`` (so one process can report the peak of each of its actions)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _emit(**values) -> None:
    print("BENCH " + json.dumps(values), flush=True)


def _wait(app, predicate, timeout: float = 600.0) -> None:
    """Until ``predicate()`` holds, asleep in Qt's event loop as the program itself waits for its
    worker. Checked when the window's reader reports (its ``busyChanged``, found on ``app``) and every
    5 ms. A Python loop polling every 0.5 ms took the GIL from the worker thread 2,000 times a second:
    10-20 ms more on the dashboard than the officer waits."""
    from PySide6.QtCore import QEventLoop, QTimer

    if not predicate():
        deadline = time.perf_counter() + timeout
        loop = QEventLoop()

        def check(*_args) -> None:
            if predicate() or time.perf_counter() > deadline:
                loop.quit()

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(check)
        runners = _runners(app)
        for runner in runners:
            runner.busyChanged.connect(check)
        timer.start()
        loop.exec()
        timer.stop()
        for runner in runners:
            runner.busyChanged.disconnect(check)
        if not predicate():
            raise TimeoutError("the window did not finish loading")
    app.processEvents()


def _runners(app) -> list:
    from desktop.ui.worker import Runner

    return [r for w in app.topLevelWidgets() for r in w.findChildren(Runner)]


# ---------------------------------------------------------------- start-up


def start(db: str, today: date) -> None:
    """What the officer's double-click does (desktop.ui.app.launch), until the unit tree and the
    task table show their data."""
    from desktop.infra import paths
    from desktop.ui.app import launch, make_application, parse_options, setup_logging, start_precheck

    precheck = start_precheck(db)  # as desktop.ui.app.run_gui does, before the heavy imports
    log_path = setup_logging(paths.logs_dir(db))
    app = make_application()
    started = launch(parse_options(["--db", db, "--today", today.isoformat()]), log_path, precheck=precheck)
    if isinstance(started, int):
        raise SystemExit(f"launch failed: {started}")
    shown = time.time()
    window = started.window
    _wait(app, lambda: window.tree_model.rowCount() > 0 and window.task_model.rowCount() > 0)
    loaded = time.time()
    _emit(shown=shown, loaded=loaded, peak_mb=own_peak_mb())
    _wait(app, window.is_idle)
    started.backup.wait(600)
    started.close()


def start_floor(db: str, today: date) -> None:
    """An empty Qt main window shown, plus the bare SQL of the first screen's rows."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    from bench.floors import connect, start_sql

    app = QApplication([])
    window = QMainWindow()
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    conn = connect(db)
    start_sql(conn, today, 3)
    _emit(shown=time.time(), loaded=time.time())
    window.close()


# ---------------------------------------------------------------- interactive actions


def _median(values: list[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def ui(db: str, today: date, directive_id: int) -> None:
    """Selecting a unit, a search keystroke, the grid and the summary in the real main window;
    each timed from the action to its data on screen (the worker thread's job included)."""
    from PySide6.QtWidgets import QApplication

    from bench.floors import connect, grid_sql, search_sql, subtree, summary_sql, task_board_sql
    from desktop.infra.database import open_database
    from desktop.ui.app import make_application
    from desktop.ui.main_window import TAB_DASHBOARD, TAB_GRID, TAB_TASKS, MainWindow

    # As the program does: UI state (last tab, splitters) in the fresh data folder's INI, not the
    # developer's own ~/.config one (a remembered «Tổng quan» tab would load it on every click).
    app = QApplication.instance() or make_application()
    database = open_database(db)
    import gc

    gc.freeze()  # as desktop.ui.app.launch does before it makes the window
    window = MainWindow(database, today)
    window.resize(1400, 900)
    window.show()
    _wait(app, lambda: window.tree_model.rowCount() > 0 and window.task_model.rowCount() > 0)
    _wait(app, window.is_idle)  # the search index warms up after the first load
    conn = connect(db)
    soon = database.settings().due_soon_days
    out: dict[str, dict] = {}
    # Each action's peak: VmHWM restarted before it (the window and its first load are not counted twice).
    reset_peak()

    def timed(action, done) -> float:
        started = time.perf_counter()
        action()
        _wait(app, lambda: done() and window.is_idle())
        return time.perf_counter() - started

    # selecting a unit: a few units of different groups, then back to all
    groups = [n for n in window._nodes if n.is_group]
    leaves = [n for n in window._nodes if not n.is_group]
    picks = [leaves[i * len(leaves) // 5] for i in range(5)] + groups[:2]
    app_times, floor_times = [], []
    for node in picks:
        index = window.tree_model.index_of(node.id)
        app_times.append(timed(lambda: window.unit_tree.setCurrentIndex(index), lambda: True))
        floor_times.append(task_board_sql(conn, today, soon, subtree(conn, node.id))[0])
    window.unit_tree.setCurrentIndex(window.tree_model.index_of(None))
    _wait(app, window.is_idle)
    out["select_unit"] = {"seconds": _median(app_times), "floor": _median(floor_times), "samples": len(app_times),
                          "peak_mb": own_peak_mb()}
    reset_peak()

    # a search keystroke: the debounce delay is left out (the timer fires at once)
    window._search_timer.setInterval(0)
    app_times, floor_times = [], []
    for query in ("u", "ub", "ubnd", "dong k", "tuyen truyen", "bang ron"):
        window.search_box.setText(query[:-1])
        _wait(app, lambda: not window._search_timer.isActive() and window.is_idle())
        app_times.append(timed(lambda: window.search_box.setText(query),
                               lambda: not window._search_timer.isActive()))
        floor_times.append(search_sql(conn, query.split()[-1]))
    window.search_box.setText("")
    _wait(app, window.is_idle)
    out["search_keystroke"] = {"seconds": _median(app_times), "floor": _median(floor_times), "samples": len(app_times),
                               "peak_mb": own_peak_mb()}
    reset_peak()

    # the task x unit grid of the widest directive
    app_times, floor_times = [], []
    for _ in range(3):
        window.tabs.setCurrentIndex(TAB_TASKS)
        window._stale[TAB_GRID] = True
        window.matrix.select_directive(directive_id)
        app_times.append(timed(lambda: window.tabs.setCurrentIndex(TAB_GRID), lambda: True))
        floor_times.append(grid_sql(conn, directive_id)[0])
    out["grid"] = {"seconds": _median(app_times), "floor": _median(floor_times), "samples": len(app_times),
                   "cells": grid_sql(conn, directive_id)[1], "peak_mb": own_peak_mb()}
    reset_peak()

    # the status summary (dashboard) of everything
    app_times, floor_times = [], []
    for _ in range(3):
        window.tabs.setCurrentIndex(TAB_TASKS)
        window._stale[TAB_DASHBOARD] = True
        app_times.append(timed(lambda: window.tabs.setCurrentIndex(TAB_DASHBOARD), lambda: True))
        floor_times.append(summary_sql(conn, today, soon)[0])
    out["status_summary"] = {"seconds": _median(app_times), "floor": _median(floor_times), "samples": len(app_times),
                             "peak_mb": own_peak_mb()}
    _emit(results=out, peak_mb=own_peak_mb())
    window.close()
    database.dispose()


# ---------------------------------------------------------------- documents and workbooks


def word(db: str, today: date, directive_id: int, out: str) -> None:
    from desktop.documents import build_report
    from desktop.infra.database import open_database

    database = open_database(db)
    started = time.perf_counter()
    result = build_report(database, out, today=today, directive_ids=[directive_id])
    seconds = time.perf_counter() - started
    _emit(seconds=seconds, peak_mb=own_peak_mb(), units=result.units, assignments=result.assignments)


def word_floor(source: str, out: str) -> None:
    from bench.floors import read_docx_tables, write_docx_tables

    tables = read_docx_tables(source)
    _emit(seconds=write_docx_tables(tables, out), rows=sum(len(t) for t in tables), peak_mb=own_peak_mb())


def excel(db: str, today: date, out: str) -> None:
    from desktop.infra.database import open_database
    from desktop.workbooks.export import export_workbook

    database = open_database(db)
    started = time.perf_counter()
    export_workbook(database, out, today)
    seconds = time.perf_counter() - started
    _emit(seconds=seconds, peak_mb=own_peak_mb())


def excel_floor(source: str, out: str) -> None:
    from bench.floors import read_xlsx_cells, write_xlsx_cells

    sheets = read_xlsx_cells(source)
    cells = sum(len(r) for _, rows in sheets for r in rows)
    _emit(seconds=write_xlsx_cells(sheets, out), cells=cells, peak_mb=own_peak_mb())


def import_one(db: str, today: date, folder: str) -> None:
    """One unit's template, every row filled in as done, previewed and applied (on a copy)."""
    import sqlite3

    from openpyxl import load_workbook

    from bench.floors import connect
    from desktop.infra.database import open_database
    from desktop.workbooks.importer import apply_preview, preview_files
    from desktop.workbooks.template import (
        CHOICE_DONE,
        SHEET_FORM,
        SHEET_META,
        Layout,
        export_template,
        open_assignment_ids,
        read_meta_rows,
    )

    database = open_database(db)
    conn = connect(db)
    # a unit with a typical number of open assignments (the median unit)
    counts = conn.execute("SELECT unit_id, count(*) FROM assignment WHERE state IN "
                          "('chua_thuc_hien','dang_thuc_hien','tra_lai','cho_duyet') GROUP BY unit_id "
                          "ORDER BY count(*), unit_id").fetchall()
    unit_id, _ = counts[len(counts) // 2]
    conn.close()
    with database.session() as s:
        n_open = len(open_assignment_ids(s, unit_id))
    path = export_template(database, unit_id, Path(folder) / "phieu.xlsx", today)
    wb = load_workbook(path)
    meta, _ = read_meta_rows(wb[SHEET_META].iter_rows(values_only=True))
    layout = Layout.from_meta(meta["layout"])
    ws = wb[SHEET_FORM]
    for excel_row, _aid, _ind in meta["rows"]:
        ws.cell(excel_row, layout.columns["state"]).value = CHOICE_DONE
        ws.cell(excel_row, layout.columns["completed"]).value = today.strftime("%d/%m/%Y")
        ws.cell(excel_row, layout.columns["content"]).value = "Đã tổ chức tuyên truyền, treo băng rôn tại trụ sở."
        ws.cell(excel_row, layout.columns["doc_number"]).value = "15/BC-UBND"
    wb.save(path)
    ids = [aid for _row, aid, _ind in meta["rows"]]

    # The setup above (export, fill in openpyxl's normal mode) leaves a full garbage collection due that
    # would land inside whichever part is timed next (37 ms): collected first, before each part.
    import gc

    gc.collect()
    # floor: read the same cells, write the same number of reports and states with bare SQL
    started = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
    finally:
        wb.close()
    raw = sqlite3.connect(db)
    try:
        raw.execute("BEGIN")
        raw.executemany("INSERT INTO unit_report (assignment_id, received_on, channel, unit_doc_number, content, "
                        "source_file, created_at, version, search_key) VALUES (?, ?, 'excel', '15/BC-UBND', "
                        "'Đã tổ chức tuyên truyền', '', '2025-10-08 00:00:00', 1, '')",
                        [(aid, today.isoformat()) for aid in ids])
        raw.executemany("UPDATE assignment SET state = 'cho_duyet', completed_on = ?, version = version + 1 "
                        "WHERE id = ?", [(today.isoformat(), aid) for aid in ids])
        raw.rollback()
    finally:
        raw.close()
    floor = time.perf_counter() - started

    reset_peak()  # the import's own peak, not the template's export and filling above
    gc.collect()
    started = time.perf_counter()
    preview = preview_files(database, [path], today)
    result = apply_preview(database, preview, today)
    seconds = time.perf_counter() - started
    _emit(seconds=seconds, floor=floor, rows=len(ids), open=n_open, reports=result.reports,
          peak_mb=own_peak_mb())
    database.dispose()


def main(argv: list[str]) -> int:
    kind, rest = argv[0], argv[1:]
    if kind in ("word_floor", "excel_floor"):
        globals()[kind](*rest)
        return 0
    db, today = rest[0], date.fromisoformat(rest[1])
    extra = rest[2:]
    if kind in ("ui", "word"):
        extra[0] = int(extra[0])
    {"start": start, "start_floor": start_floor, "ui": ui, "word": word, "excel": excel,
     "import": import_one}[kind](db, today, *extra)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
