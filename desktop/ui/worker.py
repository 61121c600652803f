"""Read jobs off the GUI thread.

All jobs run one at a time on one worker thread (a QThreadPool of one), each with its own
database session; the result comes back to the GUI thread through a queued signal. Jobs are
grouped in channels ("tasks", "tree" ...): a job superseded by a newer one of its channel is
skipped if it has not started, and its result is dropped if it has. A job never touches widgets.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    # One tuple (channel, generation, result, error text): passing None itself through a queued
    # ``object`` argument corrupts None's reference count in PySide6 (crash at exit).
    finished = Signal(object)


class _Job(QRunnable):
    def __init__(self, runner: "Runner", channel: str, generation: int, fn: Callable[[Any], Any]):
        super().__init__()
        self.setAutoDelete(True)
        self._runner = runner
        self._channel = channel
        self._generation = generation
        self._fn = fn

    def run(self) -> None:  # worker thread
        relay = self._runner._relay
        if self._runner._generations.get(self._channel) != self._generation:
            relay.finished.emit((self._channel, self._generation, None, None))
            return
        try:
            with self._runner.db.session() as session:
                result = self._fn(session)
        except Exception:  # reported on the GUI thread
            relay.finished.emit((self._channel, self._generation, None, traceback.format_exc()))
            return
        relay.finished.emit((self._channel, self._generation, result, None))


class Runner(QObject):
    """Serial background reader. ``busyChanged`` tells the status bar when work is pending."""

    busyChanged = Signal(bool)
    failed = Signal(str, str)  # channel, traceback text

    def __init__(self, db, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # keep the thread: starting one costs ~5 ms per job
        self._relay = _Relay()
        self._relay.finished.connect(self._on_finished)
        self._generations: dict[str, int] = {}
        self._callbacks: dict[tuple[str, int], Callable[[Any], None]] = {}
        self._pending = 0
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(self, channel: str, fn: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        """Run ``fn(session)`` on the worker; call ``on_done(result)`` on the GUI thread unless a newer
        job of the same channel was submitted meanwhile."""
        if self._closed:
            return
        generation = self._generations.get(channel, 0) + 1
        self._generations[channel] = generation
        self._callbacks[(channel, generation)] = on_done
        self._pending += 1
        if self._pending == 1:
            self.busyChanged.emit(True)
        self._pool.start(_Job(self, channel, generation, fn))

    def cancel(self, channel: str) -> None:
        """Forget the pending result of a channel."""
        self._generations[channel] = self._generations.get(channel, 0) + 1

    @Slot(object)
    def _on_finished(self, outcome: tuple) -> None:
        channel, generation, result, error = outcome
        callback = self._callbacks.pop((channel, generation), None)
        self._pending -= 1
        try:
            if self._closed or self._generations.get(channel) != generation:
                return
            if error is not None:
                log.error("Background job %s failed:\n%s", channel, error)
                self.failed.emit(channel, error)
            elif callback is not None:
                callback(result)
        finally:
            if self._pending == 0:
                self.busyChanged.emit(False)

    def shutdown(self, timeout_ms: int = 10000) -> None:
        """Stop accepting work, drop queued jobs and wait for the running one."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
