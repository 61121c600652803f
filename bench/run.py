"""``python -m bench [--scale district|city] [--json FILE] [--db FILE] [--fresh] [--only NAME ...]``

Generates (or reuses) the database of the scale, then measures each action of the issue in a
fresh process, with its floor, and prints a table with the machine. Targets are reported, not
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.generate import BENCH_TODAY, SCALES, generate

ROOT = Path(__file__).resolve().parents[1]
GRID_DIRECTIVE = 1  # the generator's directive with 30 tasks given to every unit

LABELS = {
    "start": "Khởi động đến khi cửa sổ có dữ liệu",
    "start_window": "Khởi động đến khi hiện cửa sổ",
    "select_unit": "Chọn một đơn vị",
    "search_keystroke": "Một phím trong ô tìm kiếm",
    "grid": "Mở bảng nhiệm vụ × đơn vị (văn bản lớn nhất)",
    "status_summary": "Tổng hợp tình hình (bảng điều khiển)",
    "word_report": "Báo cáo Word của văn bản lớn nhất",
    "excel_workbook": "Bảng Excel toàn bộ lượt giao",
    "import_template": "Nhập phiếu báo cáo của một đơn vị",
}
UI_TARGET = 0.100
EXCEL_MAX_RATIO = 1.0  # issue 17: no slower than bare openpyxl writing the same cells
EXCEL_MAX_MB = 200.0
IMPORT_MAX_RATIO = 3.0  # issue 17: one unit's form within 3x its floor


@dataclass
class Result:
    """One measurement over its runs (each in its own child process): ``seconds`` and
    ``floor_seconds`` are medians, ``seconds_min``/``seconds_max`` the spread of the runs, and
    ``peak_mb`` the highest peak resident memory of the measurement itself over the runs."""
    name: str
    seconds: float
    floor_seconds: float | None
    ratio: float | None
    target_seconds: float | None
    peak_mb: float | None
    runs: int = 1
    seconds_min: float | None = None
    seconds_max: float | None = None


def median(values: list[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _result(name: str, seconds: float | list[float], floor: float | list[float] | None, target: float | None,
            peak: float | list[float | None] | None = None) -> Result:
    samples = seconds if isinstance(seconds, list) else [seconds]
    floors = floor if isinstance(floor, list) else ([] if floor is None else [floor])
    peaks = [p for p in (peak if isinstance(peak, list) else [peak]) if p is not None]
    value = median(samples)
    floor_value = median(floors) if floors else None
    ratio = value / floor_value if floor_value else None
    return Result(name, round(value, 4), None if floor_value is None else round(floor_value, 4),
                  None if ratio is None else round(ratio, 2), None if target is None else round(target, 4),
                  round(max(peaks), 1) if peaks else None, len(samples), round(min(samples), 4),
                  round(max(samples), 4))


# ---------------------------------------------------------------- the machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    if sys.platform == "win32":
        import ctypes

        class _Mem(ctypes.Structure):
            _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                        ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                        ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                        ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                        ("sullAvailExtendedVirtual", ctypes.c_ulonglong)]

        mem = _Mem()
        mem.dwLength = ctypes.sizeof(_Mem)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(mem)):
            return mem.ullTotalPhys / 2**30
    return None


def machine() -> str:
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    ram = _ram_gb()
    load = ""
    if hasattr(os, "getloadavg"):
        load = " · tải hệ thống lúc đo {:.2f}".format(os.getloadavg()[0])
    return (f"{_cpu_model()} · {os.cpu_count()} lõi · RAM {ram:.1f} GB · " if ram else
            f"{_cpu_model()} · {os.cpu_count()} lõi · ") + (
        f"{platform.system()} {platform.release()} ({platform.platform()}) · Python {platform.python_version()} · "
        f"SQLite {sqlite3.sqlite_version} · PySide6 {v('PySide6-Essentials')} · SQLAlchemy {v('SQLAlchemy')} · "
        f"openpyxl {v('openpyxl')} · python-docx {v('python-docx')} · lxml {v('lxml')}{load}")


# ---------------------------------------------------------------- running children


def _child(*args: str, env: dict | None = None, timeout: float = 3600) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.child", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env, encoding="utf-8")
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise RuntimeError(f"bench.child {args[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")


def _timed_start(kind: str, db: str, env: dict) -> dict:
    started = time.time()
    out = _child(kind, db, BENCH_TODAY.isoformat(), env=env)
    return {"shown": out["shown"] - started, "loaded": out["loaded"] - started, "peak_mb": out.get("peak_mb")}


def measure(db: str, work: Path, only: set[str] | None, log=print, runs: int = 5) -> list[Result]:
    """Every measurement ``runs`` times, each run in fresh child processes; medians and spread."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", THEODOI_DATA_DIR=str(work / "data"),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    env.pop("THEODOI_DB", None)
    results: list[Result] = []
    def want(name: str) -> bool:
        return only is None or name in only

    day = BENCH_TODAY.isoformat()

    if want("start"):
        log(f"… khởi động ({runs} lần)")
        app = [_timed_start("start", db, env) for _ in range(runs)]
        floor = [_timed_start("start_floor", db, env) for _ in range(runs)]
        results.append(_result("start_window", [r["shown"] for r in app], [r["shown"] for r in floor], None))
        results.append(_result("start", [r["loaded"] for r in app], [r["loaded"] for r in floor], 2.0,
                               [r["peak_mb"] for r in app]))
    ui_names = ("select_unit", "search_keystroke", "grid", "status_summary")
    if any(want(n) for n in ui_names):
        log(f"… cửa sổ chính: chọn đơn vị, tìm kiếm, bảng nhiệm vụ × đơn vị, tổng hợp ({runs} lần)")
        uis = [_child("ui", db, day, str(GRID_DIRECTIVE), env=env)["results"] for _ in range(runs)]
        targets = {"select_unit": UI_TARGET, "search_keystroke": UI_TARGET, "grid": 0.300,
                   "status_summary": UI_TARGET}
        for name in ui_names:
            if want(name):
                results.append(_result(name, [u[name]["seconds"] for u in uis], [u[name]["floor"] for u in uis],
                                       targets[name], [u[name].get("peak_mb") for u in uis]))
    if want("word_report"):
        log(f"… báo cáo Word ({runs} lần)")
        out = work / "bao-cao.docx"
        app, floor = [], []
        for _ in range(runs):
            app.append(_child("word", db, day, str(GRID_DIRECTIVE), str(out), env=env))
            floor.append(_child("word_floor", str(out), str(work / "san-docx.docx"), env=env))
        results.append(_result("word_report", [a["seconds"] for a in app], [f["seconds"] for f in floor], 5.0,
                               [a["peak_mb"] for a in app]))
    if want("excel_workbook"):
        log(f"… bảng Excel ({runs} lần)")
        out = work / "tong-hop.xlsx"
        app, floor = [], []
        for _ in range(runs):
            app.append(_child("excel", db, day, str(out), env=env))
            floor.append(_child("excel_floor", str(out), str(work / "san-openpyxl.xlsx"), env=env))
        floor_median = median([f["seconds"] for f in floor])
        results.append(_result("excel_workbook", [a["seconds"] for a in app], [f["seconds"] for f in floor],
                               EXCEL_MAX_RATIO * floor_median, [a["peak_mb"] for a in app]))
    if want("import_template"):
        log(f"… nhập phiếu báo cáo (trên một bản sao, {runs} lần)")
        copy = work / "ban-sao.db"
        app = []
        for _ in range(runs):
            shutil.copyfile(db, copy)
            app.append(_child("import", str(copy), day, str(work), env=env))
            copy.unlink(missing_ok=True)
            if not 0 < app[-1]["reports"] == app[-1]["rows"]:  # a rejected form would time nothing
                raise SystemExit(f"the filled form was not imported whole: {app[-1]}")
        log(f"  {app[0]['reports']} báo cáo mỗi lần (đơn vị có {app[0]['open']} nhiệm vụ đang mở)")
        floor_median = median([a["floor"] for a in app])
        results.append(_result("import_template", [a["seconds"] for a in app], [a["floor"] for a in app],
                               IMPORT_MAX_RATIO * floor_median, [a["peak_mb"] for a in app]))
    return results


# ---------------------------------------------------------------- output


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"


def _spread(r: Result) -> str:
    if r.runs < 2 or r.seconds_min is None or r.seconds_max is None:
        return "—"
    if r.seconds_max < 1:
        return f"{r.seconds_min * 1000:.0f}–{r.seconds_max * 1000:.0f} ms"
    return f"{r.seconds_min:.1f}–{r.seconds_max:.1f} s"


def table(results: list[Result]) -> str:
    head = (f"{'Phép đo':<46} {'Ứng dụng':>10} {'Dao động':>15} {'Sàn':>10} {'Gấp':>7} {'Mục tiêu':>10} "
            f"{'Bộ nhớ':>8}  Đạt?")
    lines = [head, "-" * len(head)]
    for r in results:
        met = "—"
        if r.target_seconds is not None:
            met = "đạt" if r.seconds <= r.target_seconds else "CHƯA"
        if r.name == "excel_workbook" and r.peak_mb is not None and r.peak_mb >= EXCEL_MAX_MB:
            met = "CHƯA (bộ nhớ)" if met != "CHƯA" else "CHƯA (cả bộ nhớ)"
        ratio = "—" if r.ratio is None else f"{r.ratio:.1f}×"
        lines.append(f"{LABELS.get(r.name, r.name):<46} {_fmt(r.seconds):>10} {_spread(r):>15} "
                     f"{_fmt(r.floor_seconds):>10} {ratio:>7} {_fmt(r.target_seconds):>10} "
                     f"{_fmt(r.peak_mb, 'MB'):>8}  {met}")
    return "\n".join(lines)


def load_text() -> str:
    """The system load as ``uptime`` gives it (1, 5 and 15 minutes)."""
    if not hasattr(os, "getloadavg"):
        return "—"
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Đo hiệu năng ở quy mô quận/thành phố.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="district")
    parser.add_argument("--json", metavar="FILE", help="ghi kết quả ra tệp JSON")
    parser.add_argument("--db", metavar="FILE", help="tệp dữ liệu thử (mặc định: trong thư mục tạm, tạo nếu chưa có)")
    parser.add_argument("--fresh", action="store_true", help="tạo lại dữ liệu thử")
    parser.add_argument("--only", nargs="+", choices=sorted(LABELS), help="chỉ đo các mục này")
    parser.add_argument("--runs", type=int, default=5, help="số lần đo mỗi mục, mỗi lần một tiến trình mới "
                        "(kết quả: trung vị và dao động; mặc định 5)")
    args = parser.parse_args(argv)

    scale = SCALES[args.scale]
    db = Path(args.db or Path(tempfile.gettempdir()) / f"theodoi-bench-{scale.name}.db")
    if args.fresh or not db.exists():
        print(f"Tạo dữ liệu thử quy mô {scale.name} tại {db} …", flush=True)
        started = time.perf_counter()
        counts = generate(db, scale)
        print(f"  {counts.line()} ({time.perf_counter() - started:.0f} s)", flush=True)
    else:  # a file kept from an older version: migrated here, not inside the timed start-up
        from desktop.infra.database import open_database

        open_database(str(db), user="bench").dispose()
    the_machine = machine()
    print(f"Máy: {the_machine}\nQuy mô: {scale.name} ({scale.units} đơn vị, {scale.tasks} nhiệm vụ, "
          f"{scale.assignments} lượt giao; văn bản lớn nhất {scale.grid_tasks} nhiệm vụ × {scale.units} đơn vị)",
          flush=True)
    work = Path(tempfile.mkdtemp(prefix="theodoi-bench-"))
    load_before = load_text()
    print(f"Tải hệ thống (1, 5, 15 phút) lúc bắt đầu: {load_before}", flush=True)
    try:
        results = measure(str(db), work, set(args.only) if args.only else None,
                          log=lambda text: print(text, flush=True), runs=max(1, args.runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = load_text()
    print()
    print(table(results))
    print(f"\nMỗi mục đo {max(1, args.runs)} lần, mỗi lần trong một tiến trình mới: «Ứng dụng» và «Sàn» là trung vị, "
          "«Dao động» từ lần nhanh nhất đến lần chậm nhất; «Bộ nhớ»: đỉnh bộ nhớ thường trú của chính phép đo "
          f"(VmHWM của tiến trình con), lớn nhất qua các lần. Tải hệ thống lúc kết thúc: {load_after}.")
    print("\nThời gian của cửa sổ tính từ thao tác đến khi dữ liệu hiện ra (kể cả việc của luồng nền); "
          "ô tìm kiếm không tính 250 ms chờ gõ xong. «Sàn»: SQL trần cho cùng các dòng, openpyxl write-only "
          "cho cùng các ô, python-docx trần cho cùng bảng. Mục tiêu chỉ để báo cáo, không kiểm tra.")
    if args.json:
        payload = {"machine": the_machine, "scale": scale.name, "runs": max(1, args.runs),
                   "load": {"start": load_before, "end": load_after}, "results": [asdict(r) for r in results]}
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"Đã ghi {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
