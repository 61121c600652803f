"""``--self-test``: prove that a build (in particular the frozen bundle) works end to end.

In a fresh temporary folder whose name has Vietnamese letters and spaces: create a database
(migrations to head), fill it with the demo data, build the main window offscreen, write the
Word report and the Excel workbook through the app's own code (atomic writes), read them back,
back the database up and check the copy. Prints one line per step and exits 0 when all pass.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable

log = logging.getLogger("desktop.selftest")

FOLDER_NAME = "Tự kiểm tra dữ liệu"
DB_NAME = "cơ sở dữ liệu.db"


def _say(line: str) -> None:
    log.info("self-test: %s", line)
    try:
        print(line, flush=True)
    except (OSError, ValueError, AttributeError):  # no console in a windowed build
        pass


class _Steps:
    def __init__(self):
        self.failed = 0

    def run(self, name: str, action):
        started = time.perf_counter()
        try:
            detail = action()
        except Exception:  # noqa: BLE001 - every failure is reported, then the test fails
            self.failed += 1
            _say(f"LỖI  {name}")
            _say(traceback.format_exc())
            return None
        _say(f"ĐẠT  {name} ({(time.perf_counter() - started) * 1000:.0f} ms){': ' + str(detail) if detail else ''}")
        return detail


def run_self_test(app, log_path: Path | None = None, window_class: Callable[[], type] | None = None) -> int:
    """Returns 0 when every step passed, 1 otherwise. ``app`` is the QApplication;
    ``window_class`` gives the main window's class (the start-up passes its own)."""
    _say(f"Tự kiểm tra chương trình (Python {sys.version.split()[0]}, "
         f"{'bản đóng gói' if getattr(sys, 'frozen', False) else 'mã nguồn'})")
    steps = _Steps()
    with tempfile.TemporaryDirectory(prefix="theodoi-tu-kiem-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp) / FOLDER_NAME
        state: dict = {}
        steps.run("tài nguyên (biểu tượng)", _check_resources)
        steps.run("lịch ngày làm việc (ngày lễ Việt Nam)", _check_calendar)
        steps.run("tạo cơ sở dữ liệu và nâng cấp cấu trúc", lambda: _open(folder, state))
        if "db" in state:
            db = state["db"]
            try:
                steps.run("dữ liệu mẫu", lambda: _demo(db, state))
                steps.run("cửa sổ chính (offscreen)", lambda: _window(app, db, state, folder, window_class))
                steps.run("báo cáo Word", lambda: _report(db, state, folder))
                steps.run("bảng Excel", lambda: _workbook(db, state, folder))
                steps.run("sao lưu và kiểm tra bản sao", lambda: _backup(db))
            finally:
                db.dispose()
    if log_path:
        _say(f"Nhật ký: {log_path}")
    _say("KẾT QUẢ: ĐẠT" if not steps.failed else f"KẾT QUẢ: {steps.failed} bước LỖI")
    return 0 if not steps.failed else 1


def _check_resources() -> str:
    from resources import resource_path

    names = ["app.png", "app.ico"]
    for name in names:
        if resource_path(name).stat().st_size == 0:
            raise RuntimeError(f"{name} is empty")
    return ", ".join(names)


def _check_calendar() -> str:
    from datetime import date

    from desktop.tracking.calendar import is_working_day

    holidays = [date(2024, 9, 2), date(2025, 1, 29), date(2024, 4, 18)]  # Quốc khánh, Tết, Giỗ Tổ
    bad = [d for d in holidays if is_working_day(d)]
    if bad or not is_working_day(date(2024, 10, 8)):
        raise RuntimeError(f"holiday calendar wrong: {bad}")
    return "Quốc khánh, Tết, Giỗ Tổ Hùng Vương"


def _open(folder: Path, state: dict) -> str:
    from db import migrate
    from desktop.infra.database import open_database

    db = open_database(folder / DB_NAME)
    state["db"] = db
    current, head = migrate.current_revision(db.engine), migrate.head_revision()
    if current != head:
        raise RuntimeError(f"schema at {current}, head is {head}")
    return f"phiên bản cấu trúc {head}"


def _demo(db, state: dict) -> str:
    from desktop.services.demo import DEMO_TODAY, build_demo

    build_demo(db, DEMO_TODAY)
    state["today"] = DEMO_TODAY
    from desktop.cli.core import status_payload

    payload = status_payload(db, None, None, DEMO_TODAY)
    state["assignments"] = len(payload["assignments"])
    if not payload["assignments"]:
        raise RuntimeError("demo has no assignments")
    return f"{len(payload['assignments'])} lượt giao"


def _window(app, db, state: dict, folder: Path, window_class: Callable[[], type] | None) -> str:
    if window_class is None:
        from desktop.ui.main_window import MainWindow

        window = MainWindow(db, state["today"])
    else:
        window = window_class()(db, state["today"])
    try:
        window.resize(1280, 800)
        window.show()
        rows = _wait_for_rows(app, window)
        image = window.grab()
        if image.isNull() or image.width() < 200:
            raise RuntimeError("the main window did not render")
        shot = folder / "cửa sổ chính.png"
        image.save(str(shot))
        return f"{type(window).__name__} {image.width()}×{image.height()}, {rows} dòng nhiệm vụ"
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def _wait_for_rows(app, window, limit_s: float = 120.0) -> int | None:
    """The main window loads its tables on worker threads: wait until the task table has rows
    (proves the threads and the queries work in this build). None when the window has no
    task table (a stand-in window in tests)."""
    model = getattr(window, "task_model", None)
    deadline = time.monotonic() + limit_s
    while True:
        app.processEvents()
        if model is None:
            return None
        if model.rowCount() > 0:
            return model.rowCount()
        if time.monotonic() > deadline:
            raise RuntimeError("the main window showed no task after loading")
        time.sleep(0.02)


def _report(db, state: dict, folder: Path) -> str:
    from docx import Document

    from desktop.documents.report import build_report

    out = folder / "Báo cáo kết quả.docx"
    build_report(db, out, today=state["today"])
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    if "BÁO CÁO" not in text:
        raise RuntimeError("the report has no title")
    return f"desktop.documents, {out.stat().st_size // 1024} KB"


def _workbook(db, state: dict, folder: Path) -> str:
    from openpyxl import load_workbook

    from desktop.workbooks.export import export_workbook

    out = folder / "Bảng theo dõi.xlsx"
    export_workbook(db, out, state["today"])
    wb = load_workbook(str(out), read_only=True)
    try:
        sheets = wb.sheetnames
    finally:
        wb.close()
    if not sheets:
        raise RuntimeError("the workbook has no sheet")
    return f"desktop.workbooks, {len(sheets)} trang tính"


def _backup(db) -> str:
    from desktop import safety

    path = safety.make_backup(db.location)
    report = safety.check_file(path)
    if report.health != safety.Health.OK:
        raise RuntimeError(report.message)
    return path.name
