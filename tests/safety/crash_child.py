"""Child process for the kill -9 tests: runs a large import or a large export and says on
stdout when it is in the middle, so the parent can kill it there.

    python crash_child.py import DB HALF TOTAL
    python crash_child.py export-bytes OUT HALF_BYTES
    python crash_child.py export-xlsx OUT ROWS
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path


def large_import(db_path: str, half: int, total: int) -> None:
    """``half`` = 0: say HALF as soon as the open transaction has spilled pages into the -wal
    file (SQLite's page cache is full), the hardest moment to die in."""
    from sqlalchemy import select

    from db.models import Assignment, AssignmentState
    from desktop.infra.database import open_database
    from desktop.services import operations as ops

    today = date(2024, 10, 8)
    db = open_database(db_path)
    with db.session("import:kiểm-tra-ngắt.xlsx") as s:
        ids = list(s.execute(select(Assignment.id).where(
            Assignment.state.not_in([AssignmentState.PAUSED.value, AssignmentState.CANCELLED.value]))).scalars())
        n, said = 0, False
        while n < total:
            for aid in ids:
                ops.record_report(s, aid, ops.ReportInput(
                    received_on=today, content="Kết quả nhập hàng loạt " + "x" * 300,
                    unit_doc_number=f"{n}/BC"), today=today)
                n += 1
                if half and n == half or not half and n % 100 == 0 and not said and _wal_size(db_path) > 0:
                    s.flush()
                    print("HALF", flush=True)
                    said = True
                if n >= total:
                    break
        print("COMMITTING", flush=True)
    print("COMMITTED", flush=True)
    db.dispose()


def _wal_size(db_path: str) -> int:
    wal = Path(db_path + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def export_bytes(out: str, half: int) -> None:
    from desktop.infra.fileio import atomic_write

    chunk = ("Dòng dữ liệu xuất ra tệp lớn; " * 100).encode("utf-8")

    def write(tmp: Path) -> None:
        written = 0
        with open(tmp, "wb") as fh:
            while True:  # never finishes: the parent kills it
                fh.write(chunk)
                written += len(chunk)
                if written >= half and written - len(chunk) < half:
                    fh.flush()
                    print("HALF", flush=True)

    atomic_write(out, write)


def export_xlsx(out: str, rows: int) -> None:
    from openpyxl import Workbook

    from desktop.infra.fileio import atomic_write

    def write(tmp: Path) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Chi tiết")
        for i in range(rows):
            ws.append([i, f"Đơn vị số {i}", "Hoàn thành đúng hạn", date(2024, 10, 8), i * 1.5])
            if i == rows // 2:
                print("HALF", flush=True)
        wb.save(tmp)

    atomic_write(out, write)
    print("DONE", flush=True)


if __name__ == "__main__":
    mode, target, *numbers = sys.argv[1:]
    if mode == "import":
        large_import(target, int(numbers[0]), int(numbers[1]))
    elif mode == "export-bytes":
        export_bytes(target, int(numbers[0]))
    elif mode == "export-xlsx":
        export_xlsx(target, int(numbers[0]))
    else:
        raise SystemExit(f"unknown mode {mode}")
