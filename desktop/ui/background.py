"""Work off the GUI thread, in one place.

- Database reads for the views: :class:`desktop.ui.worker.Runner` (one serial worker, one session per job).
- File work (Excel, Word, reading a directive, copying a database): :func:`start_job` on the global
  thread pool. ``work(progress)`` gets a ``progress(done, total, message)`` callable; it never touches
  a widget. The outcome comes back on the GUI thread through :class:`JobSignals`; the signal object is
  kept alive until the job has reported, so a dialog closed meanwhile is no problem.
- :func:`progress_dialog` is the one progress dialog; :func:`run_with_progress` joins the two, with an
  optional «Dừng» button: the next ``progress`` call then raises the job's cancel exception.
- Saves: :func:`run_save` runs one save on the writer thread (one thread, so saves never overlap) and
  waits for it: the window keeps painting, the officer's clicks and keys wait until it is done, a
  «Đang lưu…» dialog shows when it takes longer than a moment. It returns the save's value or raises
  its exception on the GUI thread, so the caller's messages stay where they were.
"""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from desktop.ui import common
from desktop.ui.worker import Runner

__all__ = ["Cancelled", "JobSignals", "Runner", "error_message", "progress_dialog", "run_save",
           "run_with_progress", "start_job"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
    """Raised inside a job by ``progress`` after the officer pressed «Dừng»."""


class JobSignals(QObject):
    """The handle of one job: its signals (queued to the GUI thread) and its cancel switch."""

    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object, str)  # the exception, its traceback text

    def __init__(self, cancel_error: type[Exception] = Cancelled):
        super().__init__()
        self.cancel_error = cancel_error
        self._cancel = threading.Event()
        self._ended = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next ``progress`` call."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return not self._ended.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job's ``work`` has returned or raised (True), or ``timeout`` seconds passed."""
        return self._ended.wait(timeout)


_RUNNING: set[JobSignals] = set()  # signal objects of jobs that have not reported back yet


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], object], signals: JobSignals):
        super().__init__()
        self.work = work
        self.signals = signals

    def run(self) -> None:  # pool thread: no widget here
        signals = self.signals

        def progress(done: int, total: int, message: str) -> None:
            if signals.cancel_requested:
                raise signals.cancel_error()
            signals.progress.emit(done, total, message)

        try:
            result = self.work(progress)
        except Exception as exc:  # reported on the GUI thread; the pool thread survives
            signals._ended.set()
            signals.failed.emit(exc, traceback.format_exc())
        else:
            signals._ended.set()
            signals.done.emit(result)


def start_job(work: Callable[[Progress], object], on_done: Callable[[object], None],
              on_failed: Callable[[Exception, str], None] | None = None,
              on_progress: Progress | None = None, cancel_error: type[Exception] = Cancelled) -> JobSignals:
    """Start ``work(progress)`` on the global thread pool; the callbacks run on the GUI thread.
    Without ``on_failed`` a failure is logged and shown with :func:`error_message`."""
    signals = JobSignals(cancel_error)
    _RUNNING.add(signals)

    def finish(*_args) -> None:
        _RUNNING.discard(signals)

    if on_progress is not None:
        signals.progress.connect(on_progress)
    signals.done.connect(on_done)
    signals.done.connect(finish)
    signals.failed.connect(on_failed if on_failed is not None else _show_failure)
    signals.failed.connect(finish)
    QThreadPool.globalInstance().start(_Job(work, signals))
    return signals


def error_message(exc: Exception) -> str:
    """The Vietnamese message of a refused or failed job: the error's own for ours, else a generic one."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    return f"Lỗi không mong đợi: {exc}"


def _show_failure(exc: Exception, details: str) -> None:
    if not isinstance(getattr(exc, "message", None), str):
        log.error("Background job failed:\n%s", details)
    common.error(None, error_message(exc))


def progress_dialog(parent: QWidget | None, title: str, maximum: int = 0, minimum_duration: int = 400,
                    cancel_text: str = "") -> QProgressDialog:
    """The progress dialog of every file job: window-modal, stays until closed. No cancel button
    unless ``cancel_text`` (the files are written under a temporary name: stopping gains nothing)."""
    dialog = QProgressDialog(title, cancel_text, 0, maximum, parent)
    dialog.setWindowTitle(common.APP_TITLE)
    if not cancel_text:
        dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(minimum_duration)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # Qt starts the minimum-duration clock only when the value is set to the minimum; without this a
    # job that reports no progress (a save) would show the dialog after Qt's default 4 s
    dialog.setValue(0)
    return dialog


def run_with_progress(parent: QWidget | None, title: str, work: Callable[[Progress], object],
                      on_done: Callable[[object], None],
                      on_failed: Callable[[Exception, str], None] | None = None) -> JobSignals:
    """:func:`start_job` with the progress dialog; a failure is shown to the officer unless ``on_failed``."""
    dialog = progress_dialog(parent, title)

    def progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(message)

    def succeeded(result) -> None:
        dialog.close()
        on_done(result)

    def failed(exc: Exception, details: str) -> None:
        dialog.close()
        if on_failed is not None:
            on_failed(exc, details)
            return
        if not isinstance(getattr(exc, "message", None), str):
            log.error("Background job failed:\n%s", details)
        common.error(parent, error_message(exc))

    return start_job(work, succeeded, failed, progress)


# ---------------------------------------------------------------- saves

_INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Wheel, QEvent.Type.Shortcut,
    QEvent.Type.ShortcutOverride, QEvent.Type.Close, QEvent.Type.ContextMenu,
})


class _HoldInput(QObject):
    """While a save runs: the officer's clicks, keys and window closes are dropped (nothing can start a
    second change or close the window halfway); painting and timers go on."""

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT_EVENTS:
            event.ignore()
            return True
        return False


_writer: QThreadPool | None = None
SAVING = "Đang lưu…"


def _writer_pool() -> QThreadPool:
    global _writer
    if _writer is None:
        _writer = QThreadPool()
        _writer.setMaxThreadCount(1)
        _writer.setExpiryTimeout(-1)
    return _writer


def run_save(parent: QWidget | None, work: Callable[[], object], title: str = SAVING) -> object:
    """Run ``work()`` (a Qt-free save: it opens its own transaction) on the writer thread and wait for it
    with the GUI alive. Returns its value; its exception is raised here."""
    outcome: dict[str, object] = {}
    loop = QEventLoop()
    signals = JobSignals()

    def done(result: object) -> None:
        outcome["value"] = result
        loop.quit()

    def failed(exc: Exception, _details: str) -> None:
        outcome["error"] = exc
        loop.quit()

    signals.done.connect(done)
    signals.failed.connect(failed)
    app = QApplication.instance()
    hold = _HoldInput()
    app.installEventFilter(hold)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    dialog = progress_dialog(parent, title, minimum_duration=600)
    try:
        _writer_pool().start(_Job(lambda _progress: work(), signals))
        loop.exec()  # the job's outcome is a queued signal: it arrives only inside this loop
    finally:
        app.removeEventFilter(hold)
        QApplication.restoreOverrideCursor()
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
