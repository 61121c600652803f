"""Screenshots of the first day (the user guide's chapter «Ngày đầu tiên»), offscreen, at 1366×768.

    python scripts/screenshots_first_day.py [--out docs/img]

Starts the main window on a new, empty database in a temporary folder, walks the first-run assistant
as a ward's Phòng Văn hóa - Xã hội would (ward preset, the ward named «Gia Viên», the sample unit list
docs/mau-danh-sach-don-vi.csv), and grabs each page, then the main window after it with its
empty-state bar. UI settings go to the temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SCREEN = (1366, 768)
SAMPLE_LIST = ROOT / "docs" / "mau-danh-sach-don-vi.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(tmp) / "qsettings"))
        from screenshots import _save, _settle  # noqa: E402 - the sibling script's helpers

        from desktop.infra.database import open_database
        from desktop.ui import first_run
        from desktop.ui.main_window import MainWindow

        db = open_database(Path(tmp) / "moi.db")
        window = MainWindow(db, date(2026, 3, 2))
        window.resize(*SCREEN)
        window.show()
        _settle(app, window)
        _save(window, out / "first-empty-window.png")
        wizard = first_run.open_wizard(window, db)
        _settle(app)
        _save(wizard, out / "first-kind.png")
        wizard.next()
        wizard.header_page.place_edit.setText("Gia Viên")
        wizard.header_page.edits["signer_name"].setText("Trần Thị Hoa")
        _settle(app)
        _save(wizard, out / "first-header.png")
        wizard.next()
        # the sample list as an officer's first try: a repeated code and a line without a name
        with_errors = Path(tmp) / "danh-sach-don-vi.csv"
        with_errors.write_bytes(SAMPLE_LIST.read_bytes() + "TDP05,Tổ dân phố số 5 (ghi trùng),Tổ dân phố,,,,\r\n"
                                "KP1,,Tổ dân phố,,,,\r\n".encode())
        wizard.units_page.load_file(str(with_errors))
        _settle(app)
        _save(wizard, out / "first-units.png")
        wizard.next()
        _settle(app)
        _save(wizard, out / "first-directive.png")
        wizard.first_page.later.setChecked(True)  # the intake wizard has screenshots of its own
        wizard.accept()
        _settle(app, window)
        _save(window, out / "first-window-units.png")
        window.runner.shutdown()
        window.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
