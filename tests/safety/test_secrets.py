"""A PostgreSQL password never reaches a file the program writes (issue 12 §2), whichever way
it came: ``--db``, ``THEODOI_DB`` or the database chosen in Cài đặt; and one permission policy
for what the program writes (0600 files, 0700 folders on POSIX)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.infra import startup as boot
from desktop.infra.redact import hide_password, redact_text
from desktop.ui import app as startup

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "MatKhauBiMat-7391"
URL = f"postgresql://canbo:{PASSWORD}@127.0.0.1:1/theodoi"  # port 1: nothing listens, refused at once


def _files_holding(folder: Path, secret: str, skip: set[Path] = frozenset()) -> list[str]:
    found = []
    for file in folder.rglob("*"):
        if file.is_file() and file not in skip and secret.encode() in file.read_bytes():
            found.append(str(file))
    return found


def _env(tmp_path: Path, way: str) -> dict:
    env = dict(os.environ)
    env["THEODOI_DATA_DIR"] = str(tmp_path / "data")
    env["THEODOI_CONFIG_DIR"] = str(tmp_path / "config")
    env.pop("THEODOI_DB", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if way == "env":
        env["THEODOI_DB"] = URL
    return env


def _save_choice(tmp_path: Path) -> Path:
    """The database chosen in Cài đặt (the officer's own setting: the one file that holds it)."""
    config = tmp_path / "config" / "cau-hinh.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"database": URL}), encoding="utf-8")
    return config


@pytest.mark.parametrize("way", ["--db", "env", "config"])
def test_command_line_never_writes_or_prints_the_password(tmp_path, way):
    env = _env(tmp_path, way)
    config = _save_choice(tmp_path) if way == "config" else None
    db_args = ["--db", URL] if way == "--db" else []
    outputs = []
    for command in (["status"], ["backup"], ["excel", "--out", str(tmp_path / "out" / "bang.xlsx")],
                    ["chuyen-du-lieu", "--to", str(tmp_path / "out" / "moi.db")]):
        args = command[:1] + db_args + command[1:] if command[0] != "chuyen-du-lieu" else \
            command + (["--from", URL] if way == "--db" else [])
        done = subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, encoding="utf-8", timeout=300)
        assert done.returncode != 0, (args, done.stdout)
        outputs.append(done.stdout + done.stderr)
    assert not [o for o in outputs if PASSWORD in o], outputs
    assert any("canbo:***@127.0.0.1" in o for o in outputs), outputs
    assert "Traceback" not in "".join(outputs)
    assert _files_holding(tmp_path, PASSWORD, {config} if config else set()) == []


@pytest.mark.parametrize("way", ["--db", "env", "config"])
def test_window_never_writes_the_password(qapp, tmp_path, monkeypatch, dialogs, way):
    monkeypatch.setenv("THEODOI_CONFIG_DIR", str(tmp_path / "config"))
    config = None
    argv = []
    if way == "--db":
        argv = ["--db", URL]
    elif way == "env":
        monkeypatch.setenv("THEODOI_DB", URL)
    else:
        config = _save_choice(tmp_path)
    dialogs.ask_answer = False  # do not open this PC's file instead
    monkeypatch.setattr(startup, "make_application", lambda: qapp)
    try:
        code = startup.run_gui(argv)
    finally:
        boot.shutdown_logging()
    assert code == startup.EXIT_FAILED
    shown = "\n".join(dialogs.texts())
    assert PASSWORD not in shown and "canbo:***@127.0.0.1" in shown, shown
    log_folder = tmp_path / "data" / "nhat-ky"
    assert "start" in (log_folder / boot.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert _files_holding(tmp_path, PASSWORD, {config} if config else set()) == []


def test_one_function_hides_every_form_of_address():
    assert hide_password(URL) == "postgresql://canbo:***@127.0.0.1:1/theodoi"
    assert hide_password("postgres//canbo:pw@h/db") == "postgres//canbo:***@h/db"
    assert hide_password("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db"
    assert hide_password("postgresql://h/db?user=u&password=zz") == "postgresql://h/db?user=u&password=***"
    assert hide_password(r"C:\Dữ liệu\theodoi.db") == r"C:\Dữ liệu\theodoi.db"
    line = f"start argv=['--db', '{URL}'] lỗi «postgresql+psycopg://canbo:{PASSWORD}@h/x» lúc 10:30"
    assert redact_text(line) == ("start argv=['--db', 'postgresql://canbo:***@127.0.0.1:1/theodoi'] "
                                 "lỗi «postgresql+psycopg://canbo:***@h/x» lúc 10:30")
    assert redact_text("postgresql://u@h/db") == "postgresql://u@h/db"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_log_database_and_backups_are_for_this_user_only(qapp, tmp_path):
    from desktop import safety
    from desktop.infra import attachments
    from desktop.infra.database import open_database
    from desktop.infra.fileio import atomic_write_bytes

    db_file = tmp_path / "moi" / "theodoi.db"
    open_database(db_file).dispose()
    export = atomic_write_bytes(tmp_path / "xuat" / "bang.xlsx", b"x")
    log_path = startup.setup_logging(tmp_path / "nhat-ky")
    try:
        boot.log.info("thử")
    finally:
        boot.shutdown_logging()
    backup = safety.make_backup(db_file)
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    stored = attachments.locations(str(db_file), attachments.attach_file(str(db_file), evidence))[0]
    for file in (log_path, log_path.with_name("loi-nghiem-trong.log"), db_file, backup, export, stored):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    for folder in (log_path.parent, backup.parent, stored.parent, stored.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
