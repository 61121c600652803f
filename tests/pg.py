"""A throw-away PostgreSQL server for the test suite.

The suite starts its own server (Debian's ``postgresql`` package: initdb and pg_ctl under
/usr/lib/postgresql/*/bin) in a temporary folder, listening on 127.0.0.1 on a free port, once per
test session. ``THEODOI_TEST_PG_URL`` (e.g. ``postgresql://user:pw@host/postgres``) uses an
existing server instead, for developers who have one (Windows). Each test gets its own database,
cloned from a migrated template with ``CREATE DATABASE ... TEMPLATE``, which is much faster than
migrating again.

initdb refuses to run as root, so as root the server runs as the ``postgres`` system user
(created by the Debian package) through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

ENV_URL = "THEODOI_TEST_PG_URL"


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here; the message says why (used as the skip reason)."""


def _find_bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0, reverse=True)
    for folder in candidates:
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    if found and Path(found).resolve().with_name("initdb").exists():
        return Path(found).resolve().parent
    raise PostgresUnavailable("không tìm thấy initdb/pg_ctl (cài gói Debian «postgresql»: bash scripts/test.sh làm việc đó)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A server owned by the test session: ``start()``, ``url(dbname)``, ``stop()``."""

    def __init__(self) -> None:
        self.bin_dir: Path | None = None
        self.base: Path | None = None
        self.port: int | None = None
        self.superuser = "postgres"
        self._external: str | None = os.environ.get(ENV_URL) or None
        self._run_as: str | None = None

    # -------------------------------------------------------------- lifecycle

    def start(self) -> "PostgresServer":
        if self._external:
            return self
        self.bin_dir = _find_bin_dir()
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable("đang chạy với quyền root nhưng không có người dùng hệ thống «postgres»") from exc
            if not shutil.which("runuser"):
                raise PostgresUnavailable("đang chạy với quyền root nhưng không có lệnh runuser")
            self._run_as = "postgres"
        self.base = Path(tempfile.mkdtemp(prefix="theodoi-pg-"))
        data, sockets = self.base / "data", self.base / "sock"
        data.mkdir()
        sockets.mkdir()
        if self._run_as:
            entry = pwd.getpwnam(self._run_as)
            for path in (self.base, data, sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()
        self._run([str(self.bin_dir / "initdb"), "-D", str(data), "-U", self.superuser, "--auth=trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], timeout=120)
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {sockets} -c fsync=off "
                   f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.base / "server.log"),
                   "-w", "-t", "60", "start"], timeout=90)
        return self

    def stop(self) -> None:
        if self._external or self.base is None:
            return
        try:
            self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate", "-w",
                       "stop"], timeout=60)
        except PostgresUnavailable:
            pass
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None

    def _run(self, argv: list[str], timeout: float) -> None:
        if self._run_as:
            argv = ["runuser", "-u", self._run_as, "--", *argv]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd="/")
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PostgresUnavailable(f"{Path(argv[0]).name}: {exc}") from exc
        if proc.returncode != 0:
            log = ""
            if self.base and (self.base / "server.log").exists():
                log = (self.base / "server.log").read_text(errors="replace")[-2000:]
            raise PostgresUnavailable(f"{' '.join(argv[:6])} … thất bại ({proc.returncode}): "
                                      f"{proc.stderr.strip()[-1500:]} {log}")

    # -------------------------------------------------------------- databases

    def url(self, dbname: str = "postgres") -> str:
        """A plain ``postgresql://`` URL, as a user would type it."""
        if self._external:
            return make_url(self._external).set(database=dbname).render_as_string(hide_password=False)
        return f"postgresql://{self.superuser}@127.0.0.1:{self.port}/{dbname}"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def create_database(self, template: str | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        clause = f" TEMPLATE {template}" if template else ""
        for attempt in range(20):  # a template being cloned concurrently is "in use" for a moment
            try:
                self._admin(f"CREATE DATABASE {name}{clause}")
                return name
            except Exception as exc:  # psycopg.errors.ObjectInUse
                if "being accessed by other users" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.1)
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
