"""Start-up plumbing shared by the window and the command line, without Qt: the window's
arguments, the streams of a windowed build, the rotating private log, the demo file, the early
integrity check. The window's own start-up (the composition root) is ``desktop.ui.app``.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.infra import paths
from desktop.infra.fileio import remove_sqlite_files

log = logging.getLogger("desktop.app")

ORGANIZATION_NAME = "PhongVHTT"
APPLICATION_NAME = paths.APP_NAME
DISPLAY_NAME = "Theo dõi nhiệm vụ"
WINDOWS_APP_ID = "PhongVHTT.TheoDoiNhiemVu"
LOG_FILE_NAME = "theodoi.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
DEMO_FILE_NAME = "du-lieu-mau.db"

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_ARGS = 2
EXIT_ALREADY_RUNNING = 3


class ArgumentError(ValueError):
    """Bad command-line argument; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Options:
    db: str | None = None
    today: date | None = None
    demo: bool = False
    self_test: bool = False


def parse_options(argv: list[str]) -> Options:
    """``--db PATH``, ``--today D``, ``--demo``, ``--self-test`` (also ``--db=PATH``)."""
    from desktop.tracking.dates import parse_user_date

    opts = Options()
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, inline = arg.partition("=")
        if name in ("--db", "--today"):
            if eq:
                value = inline
            elif args:
                value = args.pop(0)
            else:
                raise ArgumentError(f"Thiếu giá trị sau {name}.")
            if name == "--db":
                if not value.strip():
                    raise ArgumentError("Đường dẫn cơ sở dữ liệu đang trống.")
                opts.db = value
            else:
                opts.today = parse_user_date(value)
                if opts.today is None:
                    raise ArgumentError(f"Ngày không hợp lệ: «{value}» (dùng dd/mm/yyyy hoặc YYYY-MM-DD).")
        elif arg == "--demo":
            opts.demo = True
        elif arg == "--self-test":
            opts.self_test = True
        else:
            raise ArgumentError(f"Không hiểu tham số «{arg}». Dùng: --db TỆP, --today NGÀY, --demo, --self-test.")
    return opts


def database_location(opts: Options) -> str:
    if opts.db:
        return opts.db
    if opts.demo:
        return str(paths.data_dir() / DEMO_FILE_NAME)
    return paths.default_database()


class _NullStream:
    """Stands in for the missing console of a windowed build."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def guard_streams() -> None:
    """A windowed Windows build has ``sys.stdout = sys.stderr = None``: libraries that print
    would crash the program. Give them a sink (everything worth keeping goes to the log)."""
    if sys.stdout is None:
        sys.stdout = _NullStream()
    if sys.stderr is None:
        sys.stderr = _NullStream()


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log file, and each file it rotates into, readable by this user only
    (``desktop.infra.fileio.PRIVATE_FILE_MODE``)."""

    def _open(self):
        from desktop.infra.fileio import make_private

        stream = super()._open()
        make_private(self.baseFilename)
        return stream


_log_handler: logging.Handler | None = None


_fault_file = None


def setup_logging(folder: Path) -> Path:
    """A rotating UTF-8 log in ``folder`` (falls back to the temp folder when it cannot be
    written). Returns the log file's path. Calling it again moves the log."""
    global _log_handler, _fault_file
    from desktop.infra.fileio import make_private, private_folder
    from desktop.infra.redact import RedactingFormatter

    for candidate in (folder, Path(tempfile.gettempdir()) / f"{APPLICATION_NAME}-nhat-ky"):
        try:
            private_folder(candidate)
            handler = _PrivateRotatingFileHandler(
                candidate / LOG_FILE_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
            break
        except OSError:
            continue
    else:  # nowhere to write: keep running without a file log
        return folder / LOG_FILE_NAME
    # every line goes through desktop.infra.redact: a database password never reaches the log
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger()
    if _log_handler is not None:
        root.removeHandler(_log_handler)
        _log_handler.close()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # a dozen lines per start
    _log_handler = handler
    log_path = Path(handler.baseFilename)
    try:  # a crash inside Qt or SQLite leaves a Python traceback here
        fault = open(log_path.with_name("loi-nghiem-trong.log"), "a", encoding="utf-8")
        make_private(fault.name)
        faulthandler.enable(file=fault, all_threads=True)
        if _fault_file is not None:
            _fault_file.close()
        _fault_file = fault
    except (OSError, RuntimeError):
        pass
    return log_path


def shutdown_logging() -> None:
    """Detach the file log and the crash log (at exit, and between tests)."""
    global _log_handler, _fault_file
    if _log_handler is not None:
        logging.getLogger().removeHandler(_log_handler)
        _log_handler.close()
        _log_handler = None
    if _fault_file is not None:
        if sys.stderr is not None and hasattr(sys.stderr, "fileno"):
            try:
                faulthandler.enable(file=sys.stderr)
            except (OSError, ValueError, RuntimeError, AttributeError):
                faulthandler.disable()
        else:
            faulthandler.disable()
        _fault_file.close()
        _fault_file = None


def build_demo_if_missing(location: str) -> bool:
    """Build the demo database at ``location`` unless it exists; built under a temporary name
    and renamed, so an interrupted build never leaves half a demo. Returns True when built."""
    from desktop.infra.database import open_database
    from desktop.services.demo import DEMO_TODAY, build_demo

    target = Path(location)
    if target.exists() and target.stat().st_size > 0:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".~{target.stem}-dang-tao.db")
    remove_sqlite_files(tmp)
    db = open_database(tmp)
    try:
        build_demo(db, DEMO_TODAY)
        with db.engine.connect() as conn:  # everything into the main file before the rename
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    remove_sqlite_files(tmp, main=False)
    os.replace(tmp, target)
    log.info("demo database built at %s", target)
    return True


def _backup_keep(db) -> int:
    try:
        return db.settings().backup_keep
    except Exception:  # noqa: BLE001 - a damaged setting must not block the backup
        return 10


def _backup_failed_text(message: str) -> str:
    return ("Chưa sao lưu tự động được hôm nay: " + message +
            "\nDữ liệu vẫn dùng bình thường; hãy dùng «Kiểm tra dữ liệu» và «Sao lưu» trong menu.")


def start_precheck(location: str):
    """Begin the start-up check of a SQLite file on its own thread, as early as possible: it needs
    only sqlite3, so it runs while SQLAlchemy, Qt and the window load (0.6 s saved at city scale)."""
    from desktop.safety.integrity import IntegrityPrecheck

    return IntegrityPrecheck(location)
