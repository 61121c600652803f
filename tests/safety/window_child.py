"""Child process: the REAL main window, started as ``python -m desktop --db FILE`` starts it
(``desktop.ui.app.launch``: lock, checks, window, backup of the day), driven through files in a
control folder so that a test can run commands beside it.

    python window_child.py DB CONTROL_DIR

Writes ``CONTROL_DIR/ready`` (its pid) once the window shows and the backup of the day is done;
on ``CONTROL_DIR/save`` (a unit code and a new name, one per line) renames that unit through the
window's own database and writes ``CONTROL_DIR/saved``; on ``CONTROL_DIR/quit`` closes.
Dialogs never block: their texts go to ``CONTROL_DIR/dialogs.txt``.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path


def main(db_path: str, control_dir: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.infra import paths
    from desktop.ui import app as startup

    control = Path(control_dir)
    startup.guard_streams()
    log_path = startup.setup_logging(paths.logs_dir(db_path))
    qapp = startup.make_application()

    from desktop.ui import common

    def record(kind):
        def show(parent, text, *args, **kwargs):
            with open(control / "dialogs.txt", "a", encoding="utf-8") as fh:
                fh.write(f"{kind}: {text}\n")
            return False
        return show

    for kind in ("info", "warn", "error", "ask"):
        setattr(common, kind, record(kind))

    started = startup.launch(startup.Options(db=db_path, today=date(2024, 10, 8)), log_path)
    if isinstance(started, int):
        return started
    if started.backup is not None:
        started.backup.wait()  # the backup of the day reads the file too: done before "ready"
    from PySide6.QtCore import QTimer
    from sqlalchemy import select

    from db.models import Unit

    (control / "ready").write_text(str(os.getpid()), encoding="utf-8")

    def poll() -> None:
        order = control / "save"
        if order.exists() and not (control / "saved").exists():
            code, name = order.read_text(encoding="utf-8").splitlines()[:2]
            with started.database.session("thu-nghiem") as s:
                unit = s.execute(select(Unit).where(Unit.code == code)).scalar_one()
                unit.name = name
            (control / "saved").write_text("ok", encoding="utf-8")
        if (control / "quit").exists():
            timer.stop()
            started.window.close()
            qapp.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    try:
        return qapp.exec()
    finally:
        started.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
