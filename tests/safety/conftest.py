"""Helpers for the data-safety tests: corrupting a file, a stand-in main window, dialogs that
never block (each call is recorded instead)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PAGE = 4096


def corrupt_pages(path: Path, first_page: int | None = None, count: int = 8, seed: int = 7) -> None:
    """Overwrite ``count`` pages in the middle of a (checkpointed, closed) SQLite file."""
    size = path.stat().st_size
    pages = size // PAGE
    assert pages > count + 3, f"file too small to corrupt: {pages} pages"
    start = first_page if first_page is not None else pages // 2
    rng = random.Random(seed)
    with open(path, "r+b") as fh:
        fh.seek(start * PAGE)
        fh.write(bytes(rng.randrange(256) for _ in range(count * PAGE)))


def checkpoint_and_close(db) -> None:
    """Everything into the main file (no -wal left), connections closed."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()


@dataclass
class DialogLog:
    calls: list[tuple[str, str]] = field(default_factory=list)
    ask_answer: bool = True
    offer_answer: bool = True
    chosen_backup: object = None  # for choose_backup; None = the first offered

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, text in self.calls if kind is None or k == kind]


@pytest.fixture
def dialogs(monkeypatch) -> DialogLog:
    """Patch every dialog the safety code shows; the test reads ``dialogs.calls``."""
    from desktop.ui import common, safety_actions

    log = DialogLog()

    def record(kind):
        def show(parent, text, *args, **kwargs):
            log.calls.append((kind, text))
        return show

    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(common, kind, record(kind))

    def ask(parent, text, *args, **kwargs):
        log.calls.append(("ask", text))
        return log.ask_answer

    def offer(parent, problem, backup):
        log.calls.append(("offer_restore", f"{problem} | {backup.path.name}"))
        log.offered = backup
        return log.offer_answer

    def choose(parent, backups):
        log.calls.append(("choose_backup", ", ".join(b.path.name for b in backups)))
        return log.chosen_backup or backups[0]

    def crash(parent, summary, log_path, details, draft_saved):
        log.calls.append(("unexpected_error", f"{summary} | {log_path} | draft={draft_saved}"))
        log.crash_details = details

    monkeypatch.setattr(common, "ask", ask)
    monkeypatch.setattr(safety_actions, "offer_restore", offer)
    monkeypatch.setattr(safety_actions, "choose_backup", choose)
    monkeypatch.setattr(safety_actions, "show_unexpected_error", crash)
    return log


@pytest.fixture
def placeholder_window_class(qapp):
    """A minimal main window (the real one is built by another module); records its arguments
    and offers ``save_draft`` like the real one."""
    from PySide6.QtWidgets import QLabel, QMainWindow

    class PlaceholderWindow(QMainWindow):
        instances: list = []

        def __init__(self, db, today):
            super().__init__()
            self.db, self.today = db, today
            self.drafts_saved = 0
            self.setCentralWidget(QLabel(f"Hôm nay: {today:%d/%m/%Y}"))
            PlaceholderWindow.instances.append(self)

        def save_draft(self):
            self.drafts_saved += 1
            return Path("ban-nhap.json")

    PlaceholderWindow.instances = []
    yield PlaceholderWindow
    for w in PlaceholderWindow.instances:
        w.close()
        w.deleteLater()
