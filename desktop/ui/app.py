"""GUI start-up: the composition root of the windowed program (its Qt-free plumbing is
``desktop.infra.startup``).

Order matters, each step protects the next ones:

1. ``sys.stdout``/``sys.stderr`` are None in a windowed Windows build: replaced first, so no
   ``print`` anywhere can crash the program.
2. A rotating log file in the data folder (``nhat-ky/``) and ``faulthandler`` for hard crashes.
3. The QApplication, with organisation/application names and INI settings in the data folder.
4. One running copy per database (a QLockFile beside it); a second launch says so and exits.
5. The unexpected-error hook (Vietnamese dialog with the log's path, the result form's draft kept).
6. Opening the database checks it: a damaged file is never opened silently, the newest good
   backup is offered and restored after keeping the damaged file aside.
7. The main window.
8. The automatic backup of the day (online backup API, rotation of old ones), on a worker thread.

``--demo`` builds the demo database in the data folder if missing and opens it on the demo's
date. ``--self-test`` checks a frozen bundle end to end and exits 0 when everything works.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from desktop.infra import paths
from desktop.infra.startup import (
    APPLICATION_NAME,
    DISPLAY_NAME,
    EXIT_ALREADY_RUNNING,
    EXIT_BAD_ARGS,
    EXIT_FAILED,
    ORGANIZATION_NAME,
    WINDOWS_APP_ID,
    ArgumentError,
    Options,
    _backup_failed_text,
    _backup_keep,
    build_demo_if_missing,
    database_location,
    guard_streams,
    parse_options,
    setup_logging,
    start_precheck,
)

log = logging.getLogger("desktop.app")


# ------------------------------------------------------------------ arguments


def settings_fallback(opts: Options, location: str) -> str | None:
    """The database chosen in the settings of this PC did not open (a mistyped URL, the server
    off): offer this PC's default file for this session only, so that the officer can reach
    «Cài đặt» and correct the choice. The choice itself is kept. None when declined or when the
    database did not come from the settings."""
    from desktop.ui import common

    if opts.db or opts.demo or paths.database_and_source() != (location, "config"):
        return None
    fallback = str(paths.default_database_file())
    if fallback == location:
        return None
    from desktop.infra.database import display_location

    log.warning("configured database %s did not open; offering %s", display_location(location), fallback)
    if not common.ask(None, "Không mở được cơ sở dữ liệu đã chọn trong Cài đặt:\n"
                            f"{display_location(location)}\n\n"
                            "Mở tạm tệp dữ liệu trên máy này để vào Cài đặt chọn lại? "
                            "(Lựa chọn trong Cài đặt được giữ nguyên cho lần mở sau.)"):
        return None
    return fallback


# ------------------------------------------------------------------ streams and log


# ------------------------------------------------------------------ Qt application


def make_application():
    """The QApplication (reused when one exists, as under pytest-qt), with the names QSettings
    uses and INI settings in the data folder (backed up and reset with it, no registry)."""
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName(ORGANIZATION_NAME)
    QCoreApplication.setApplicationName(APPLICATION_NAME)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(paths.data_dir()))
    if sys.platform == "win32":  # own taskbar group and icon instead of python.exe's
        try:
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(WINDOWS_APP_ID)
        except (AttributeError, OSError):
            pass
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APPLICATION_NAME])
    QApplication.setApplicationDisplayName(DISPLAY_NAME)
    try:
        from resources import resource_path

        app.setWindowIcon(QIcon(str(resource_path("app.png"))))
    except FileNotFoundError:
        log.warning("application icon missing")
    return app


class InstanceLock:
    """One running copy per database: a QLockFile ``<database>.lock``. A lock left by a copy
    that crashed is taken over (Qt checks whether its process still runs)."""

    def __init__(self, database: str):
        from PySide6.QtCore import QLockFile

        from desktop.safety.locking import lock_file_for

        self.path = lock_file_for(database)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # never stale by age: only a dead owner frees it

    def acquire(self) -> str | None:
        """Take the lock; None on success, else a Vietnamese message."""
        from PySide6.QtCore import QLockFile

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"Không tạo được thư mục dữ liệu «{self.path.parent}»: {exc.strerror or exc}."
        if self._lock.tryLock(200):
            return None
        err = self._lock.error()
        if err == QLockFile.LockError.LockFailedError:
            return ("Chương trình đang mở cơ sở dữ liệu này ở một cửa sổ khác. Hãy dùng cửa sổ đang mở "
                    "(xem trên thanh tác vụ), không mở thêm chương trình.")
        if err == QLockFile.LockError.PermissionError:
            return f"Không ghi được vào thư mục «{self.path.parent}» (không có quyền ghi)."
        return f"Không khóa được cơ sở dữ liệu để dùng riêng (tệp «{self.path}»)."

    def release(self) -> None:
        self._lock.unlock()


# ------------------------------------------------------------------ unexpected errors


class CrashHandler:
    """``sys.excepthook`` (and ``threading.excepthook``): log the error, save the result form's
    draft (``MainWindow.save_draft()``), show the Vietnamese dialog with the log's path. Errors
    from other threads are shown on the GUI thread. Never raises; never shows two dialogs at once."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.window = None
        self._showing = False
        self._previous_hook = None
        self._previous_thread_hook = None
        self._relay = None

    def install(self) -> None:
        from PySide6.QtCore import QObject, Signal

        class _Relay(QObject):
            raised = Signal(str, str)

        self._relay = _Relay()
        self._relay.raised.connect(self._show)  # queued when emitted from another thread
        self._previous_hook, sys.excepthook = sys.excepthook, self
        self._previous_thread_hook, threading.excepthook = threading.excepthook, self._thread_hook

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous_hook or sys.__excepthook__
        if self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            (self._previous_hook or sys.__excepthook__)(exc_type, exc, tb)
            return
        from desktop.infra.database import ReadOnlyDatabaseError

        if issubclass(exc_type, ReadOnlyDatabaseError):  # a save refused on purpose: no traceback
            log.warning("save refused, read-only database: %s", exc)
            try:
                from desktop.ui import common

                common.error(self.window, exc.message if hasattr(exc, "message") else str(exc))
            except Exception:  # noqa: BLE001 - the hook must never raise
                pass
            return
        try:
            log.critical("unexpected error", exc_info=(exc_type, exc, tb))
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            summary = f"{exc_type.__name__}: {exc}"[:300]
            self._dispatch(summary, details)
        except Exception:  # noqa: BLE001 - the hook must never raise
            pass

    def _thread_hook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        self(args.exc_type, args.exc_value, args.exc_traceback)

    def _dispatch(self, summary: str, details: str) -> None:
        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if self._relay is not None and app is not None and QThread.currentThread() != app.thread():
            self._relay.raised.emit(summary, details)
        else:
            self._show(summary, details)

    def save_draft(self) -> bool:
        """True when the window kept something the officer was typing."""
        saver = getattr(self.window, "save_draft", None)
        if not callable(saver):
            return False
        try:
            return bool(saver())  # the draft's path, or None when nothing was being typed
        except Exception:  # noqa: BLE001 - the draft is best effort, the error is logged
            log.exception("save_draft failed")
            return False

    def _show(self, summary: str, details: str) -> None:
        saved = self.save_draft()
        if self._showing:
            return
        self._showing = True
        try:
            from desktop.ui import safety_actions

            safety_actions.show_unexpected_error(self.window, summary, self.log_path, details, saved)
        except Exception:  # noqa: BLE001
            log.exception("could not show the error dialog")
        finally:
            self._showing = False


# ------------------------------------------------------------------ database


@dataclass
class Launched:
    """What a successful start holds until the event loop ends."""

    database: object
    window: object
    today: date
    lock: InstanceLock
    crash_handler: CrashHandler
    backup: BackgroundBackup | None = None

    def close(self) -> None:
        if self.backup is not None:
            self.backup.wait()  # never quit in the middle of the day's backup
        self.crash_handler.uninstall()
        try:
            self.database.dispose()
        finally:
            self.lock.release()
        log.info("closed")


def _main_window_class():
    from desktop.ui.main_window import MainWindow

    return MainWindow


class UpgradeNotice:
    """A small window saying the data is being upgraded, while a migration runs on the GUI thread
    before the main window exists (17 s for a city-scale file: without it nothing shows at all)."""

    TEXT = ("Đang nâng cấp dữ liệu lên phiên bản mới của chương trình.\n"
            "Với dữ liệu lớn việc này có thể mất khoảng một phút. Xin đừng tắt chương trình.")

    def __init__(self) -> None:
        self.widget = None

    def show(self, revision: str | None) -> None:
        if revision is None:  # a new database: creating the tables is quick, nothing to say
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QLabel

        log.info("upgrading the database from revision %s", revision)
        label = QLabel(self.TEXT)
        label.setObjectName("upgradeNotice")
        label.setWindowTitle("Theo dõi nhiệm vụ — đang nâng cấp dữ liệu")
        label.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.WindowTitleHint)
        label.setMargin(24)
        label.adjustSize()
        label.show()
        for _ in range(3):  # painted before the GUI thread is busy with the migration
            QApplication.processEvents()
        self.widget = label

    def close(self) -> None:
        if self.widget is not None:
            self.widget.close()
            self.widget.deleteLater()
            self.widget = None


def open_checked(location: str, parent=None, precheck=None):
    """Open the database; when it is damaged, offer the newest good backup. Returns the
    Database, or None when the officer declines or nothing can be done (already told).
    ``precheck``: a ``desktop.infra.database.IntegrityPrecheck`` already running for ``location``."""
    from desktop import safety
    from desktop.infra.database import (
        READ_ONLY_NOTICE,
        DamagedDatabaseError,
        DatabaseOpenError,
        LostDatabaseError,
        display_location,
        open_database,
    )
    from desktop.ui import common, safety_actions

    notice = UpgradeNotice()
    backup = None
    try:
        db = open_database(location, precheck=precheck, on_upgrade=notice.show, new_if_missing=False)
        if getattr(db, "read_only", False):
            log.warning("database %s is read-only: opened read-only", display_location(location))
            common.info(parent, READ_ONLY_NOTICE.format(path=display_location(location)))
        return db
    except LostDatabaseError as exc:  # empty, missing or unreadable, with a good backup beside it
        log.error("lost database %s: %s", display_location(location), exc.report.health)
        if exc.report.health == "unreadable":  # the file is there: no restore over it, the cause is told
            common.error(parent, exc.message)
            return None
        problem, backup = exc.message, exc.backup
    except DamagedDatabaseError as exc:
        log.error("damaged database %s: %s %s", display_location(location), exc.message, getattr(exc.report, "problems", ""))
        if exc.report is not None and not exc.report.damaged:
            # unreadable (locked, no permission) or another program's database: nothing to restore
            common.error(parent, exc.message)
            return None
        problem = exc.message
    except DatabaseOpenError as exc:
        log.error("cannot open %s: %s", display_location(location), exc.message)
        common.error(parent, exc.message)
        return None
    finally:
        notice.close()
    backup = backup or safety.newest_good_backup(location)
    if backup is None:
        common.error(parent, problem + "\n\nChưa có bản sao lưu tốt nào để khôi phục. Tệp được giữ nguyên, chương "
                                       "trình không ghi gì vào tệp. Hãy liên hệ cán bộ tin học.")
        return None
    if not safety_actions.offer_restore(parent, problem, backup):
        log.info("officer declined the restore of %s", backup.path)
        common.info(parent, "Chương trình không mở cơ sở dữ liệu; tệp được giữ nguyên, bản sao lưu vẫn còn.")
        return None
    try:
        result = safety.restore(location, backup.path)
    except safety.SafetyError as exc:
        common.error(parent, exc.message)
        return None
    kept = f"\nTệp hỏng được giữ tại:\n{result.kept_aside}" if result.kept_aside else ""
    common.info(parent, f"Đã khôi phục dữ liệu từ bản sao lưu lúc {backup.taken_at:%H:%M ngày %d/%m/%Y}.{kept}")
    notice = UpgradeNotice()  # a backup made by an older version is upgraded on open
    try:
        return open_database(location, on_upgrade=notice.show)
    except DatabaseOpenError as exc:
        common.error(parent, exc.message)
        return None
    finally:
        notice.close()


def daily_backup(db, parent=None) -> Path | None:
    """The automatic backup of the day, on the calling thread; a failure is told but does not
    stop the program."""
    from desktop import safety
    from desktop.ui import common

    try:
        made = safety.daily_backup(db.location, _backup_keep(db))
    except safety.SafetyError as exc:
        log.error("daily backup failed: %s", exc.message)
        common.warn(parent, _backup_failed_text(exc.message))
        return None
    if made:
        log.info("daily backup %s", made)
    return made


class BackgroundBackup:
    """The automatic backup of the day as a background job (``desktop.ui.background``), started
    once the window shows (a city-scale database takes seconds to copy and check). A failure is
    told on the GUI thread. :meth:`wait` blocks until the job has ended; ``result`` holds the new
    backup's path or None, ``error`` the failure's message."""

    def __init__(self, db, parent=None):
        self.location = db.location
        self.keep = _backup_keep(db)  # read here: sessions stay on the thread that opened them
        self.parent = parent
        self.result: Path | None = None
        self.error: str | None = None
        self.job = None

    def start(self) -> "BackgroundBackup":
        from desktop.ui import background

        self.job = background.start_job(lambda _progress: self._run(), lambda _result: None,
                                        on_failed=self._failed)
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """True once the backup has ended (made, not needed, or failed)."""
        return self.job is None or self.job.wait(timeout)

    def _run(self) -> None:  # on the pool's thread
        from desktop import safety

        try:
            self.result = safety.daily_backup(self.location, self.keep)
            if self.result:
                log.info("daily backup %s", self.result)
        except safety.SafetyError as exc:
            log.error("daily backup failed: %s", exc.message)
            self.error = exc.message
            raise

    def _failed(self, exc: Exception, _details: str) -> None:  # GUI thread
        from desktop import safety

        if isinstance(exc, safety.SafetyError):
            self._tell(exc.message)
        else:
            log.error("daily backup failed: %s\n%s", exc, _details)
            self._tell(str(exc))

    def _tell(self, message: str) -> None:
        from desktop.ui import common

        common.warn(self.parent, _backup_failed_text(message))


# ------------------------------------------------------------------ start


def _offer_first_run(window, db) -> None:
    """A new or empty database opens the first-run assistant over the window (desktop.ui.first_run)."""
    from desktop.ui import first_run

    first_run.offer_on_start(window, db)


def launch(opts: Options, log_path: Path, *, window_factory: Callable | None = None,
           precheck=None) -> Launched | int:
    """Everything up to a visible main window (the QApplication must exist). Returns the
    running state, or an exit code after telling the officer why not. ``precheck``: the
    file's check already started by :func:`start_precheck` (started here when not given)."""
    from desktop.infra.database import display_location
    from desktop.safety.leftovers import clean_leftovers
    from desktop.ui import common

    location = database_location(opts)
    lock = InstanceLock(location)
    message = lock.acquire()
    if message:
        log.warning("lock refused for %s: %s", display_location(location), message)
        common.warn(None, message)
        return EXIT_ALREADY_RUNNING
    handler = CrashHandler(log_path)
    handler.install()
    try:
        today = opts.today
        if opts.demo:
            from desktop.services.demo import DEMO_TODAY

            today = today or DEMO_TODAY
            if "://" not in location:
                build_demo_if_missing(location)
        today = today or date.today()
        # The file's check runs on its own thread while the window's modules load (start-up time
        # at city scale); open_checked waits for its verdict before anything touches the file (a
        # check started for another file is ignored there and the file is checked again).
        precheck = precheck or start_precheck(location)
        factory = window_factory or _main_window_class()
        db = open_checked(location, precheck=precheck)
        fallback = settings_fallback(opts, location) if db is None else None
        if fallback:  # the choice in Cài đặt failed: this PC's own file, so it can be corrected
            lock.release()
            lock = InstanceLock(fallback)
            message = lock.acquire()
            if message:
                common.warn(None, message)
                handler.uninstall()
                return EXIT_ALREADY_RUNNING
            location = fallback
            db = open_checked(location)
        if db is None:
            handler.uninstall()
            lock.release()
            return EXIT_FAILED
        # Everything loaded so far (the modules, Qt, the opened database) lives as long as the
        # program: out of the cyclic collector's reach, the full collections that the data loads
        # trigger on the worker threads stop rescanning it (grid 30 x 1,000 at city scale: 170 ->
        # 120 ms of CPU, median of 7 loads in 5 runs each; see docs/benchmark.md).
        gc.freeze()
        window = factory(db, today)
        handler.window = window
        window.show()
        _offer_first_run(window, db)
        log.info("started on %s (today %s)", display_location(location), today.isoformat())
        clean_leftovers(db)  # files a killed run left behind (partial exports, backups, kept copies)
        backup = BackgroundBackup(db, window).start()
        return Launched(db, window, today, lock, handler, backup)
    except BaseException:
        handler.uninstall()
        lock.release()
        raise


def run_gui(argv: list[str]) -> int:
    guard_streams()
    try:
        opts = parse_options(argv)
    except ArgumentError as exc:
        opts, bad_args = None, exc.message
    else:
        bad_args = None
    if opts is not None and opts.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    location = database_location(opts) if opts else paths.default_database()
    precheck = start_precheck(location) if opts and not opts.self_test and not opts.demo else None
    log_path = setup_logging(paths.logs_dir(location) if "://" not in location else paths.data_dir() / "nhat-ky")
    from desktop.infra.redact import redact_text

    log.info("start %s argv=%s frozen=%s", APPLICATION_NAME, redact_text(str(argv)), getattr(sys, "frozen", False))
    app = make_application()
    if bad_args:
        from desktop.ui import common

        log.error("bad arguments: %s", bad_args)
        print(bad_args, file=sys.stderr)
        common.error(None, bad_args)
        return EXIT_BAD_ARGS
    if opts.self_test:
        from desktop.ui.selftest import run_self_test

        return run_self_test(app, log_path, _main_window_class)
    started = launch(opts, log_path, precheck=precheck)
    if isinstance(started, int):
        return started
    try:
        return app.exec()
    finally:
        started.close()
