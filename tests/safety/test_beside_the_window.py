"""Commands run beside the open window (issue 12 §1).

On POSIX, closing ANY descriptor of a file drops every lock the process holds on it. A plain
``open()``/``close()`` of the database file in the window's process (a header read, a raw copy)
silently freed SQLite's locks: the next command believed it was alone, checkpointed and deleted
the window's ``-wal``/``-shm``, and what the window saved afterwards was lost.

Decision: a command works beside the open window (SQLite's WAL lets readers and one writer share
the file); only ``restore`` refuses while the window holds the file (it replaces the content).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.services.demo import DEMO_TODAY

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("window_child.py")


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["THEODOI_DATA_DIR"] = str(tmp_path / "data")
    env["THEODOI_CONFIG_DIR"] = str(tmp_path / "config")
    env.pop("THEODOI_DB", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _cli(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def _wait_for(path: Path, child: subprocess.Popen, limit: float = 300) -> None:
    """Until the child writes ``path`` (a generous bound only against a hung child)."""
    end = time.monotonic() + limit
    while not path.exists():
        if child.poll() is not None:
            raise AssertionError(f"the window ended early ({child.returncode}): {child.stderr.read()}")
        if time.monotonic() > end:
            raise AssertionError(f"the window never wrote {path.name}")
        time.sleep(0.05)


def _deleted_files_of(pid: int, name: str) -> list[str]:
    """The files of the database the process still has open although they were deleted."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if name in target and "(deleted)" in target:
            found.append(target)
    return found


def _open_files_of(pid: int, name: str) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if name in target:
            found.add(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_status_and_check_beside_the_real_window_keep_its_journal(tmp_path, demo_db):
    db_file = Path(demo_db.location)
    demo_db.dispose()
    env = _env(tmp_path)
    control = tmp_path / "control"
    control.mkdir()
    child = subprocess.Popen([sys.executable, str(CHILD), str(db_file), str(control)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        _wait_for(control / "ready", child)
        pid = child.pid
        opened = _open_files_of(pid, db_file.name)
        assert str(db_file) + "-wal" in opened and str(db_file) + "-shm" in opened, opened

        for args in (["status", "--db", str(db_file), "--today", DEMO_TODAY.isoformat()],
                     ["check", "--db", str(db_file)]):
            done = _cli(env, *args)
            assert done.returncode == 0, done.stderr
            assert _deleted_files_of(pid, db_file.name) == [], args
            assert Path(str(db_file) + "-wal").exists() and Path(str(db_file) + "-shm").exists()

        # what the window saves now is read by the next command
        unit = json.loads(_cli(env, "status", "--db", str(db_file), "--json", "--today",
                               DEMO_TODAY.isoformat()).stdout)["assignments"][0]["unit_code"]
        order = control / "save.tmp"
        order.write_text(f"{unit}\nPhường Đã Đổi Tên Bên Cạnh\n", encoding="utf-8")
        order.replace(control / "save")
        _wait_for(control / "saved", child)
        after = _cli(env, "status", "--db", str(db_file), "--json", "--unit", unit, "--today",
                     DEMO_TODAY.isoformat())
        assert after.returncode == 0, after.stderr
        assert {a["unit"] for a in json.loads(after.stdout)["assignments"]} == {"Phường Đã Đổi Tên Bên Cạnh"}
        checked = _cli(env, "check", "--db", str(db_file))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert _deleted_files_of(pid, db_file.name) == []
    finally:
        (control / "quit").write_text("", encoding="utf-8")
        try:
            child.wait(timeout=120)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    assert child.returncode == 0, child.stderr.read()
    # and once the window is closed, everything is in the file
    final = _cli(env, "status", "--db", str(db_file), "--json", "--unit", unit, "--today", DEMO_TODAY.isoformat())
    assert {a["unit"] for a in json.loads(final.stdout)["assignments"]} == {"Phường Đã Đổi Tên Bên Cạnh"}


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_checks_and_backups_in_a_process_with_a_connection_keep_its_locks(demo_db, tmp_path):
    """What the window runs itself (start-up check, backup of the day, «Kiểm tra dữ liệu») while
    it holds a connection: another process opening and closing the file must still see it in use."""
    from desktop import safety

    db_file = Path(demo_db.location)
    with demo_db.engine.connect() as conn:  # the pool keeps this connection open afterwards
        conn.exec_driver_sql("SELECT count(*) FROM unit").fetchone()
    safety.check_file(db_file)
    safety.make_backup(db_file)
    safety.check_data(db_file)
    safety.newest_good_backup(db_file)
    other = subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                            "c.execute('select count(*) from unit').fetchone(); c.close()", str(db_file)],
                           capture_output=True, text=True, timeout=120)
    assert other.returncode == 0, other.stderr
    assert Path(str(db_file) + "-wal").exists()
    assert _deleted_files_of(os.getpid(), db_file.name) == []
