"""Writing output files safely: a temporary name in the same folder, renamed when complete.

A file held open by Word/Excel on Windows cannot be replaced (PermissionError); the caller gets
``FileLockedError`` with a Vietnamese message and may retry with ``next_free_name``.
"""

from __future__ import annotations

import errno
import glob
import os
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Callable

# One permission policy for what the program writes (POSIX; Windows keeps its per-user ACLs):
# the database, its backups, the log, exports and attachments are for this user only. The log
# and the database hold names, reports and the addresses of the office's units; a copy of the
# database is as sensitive as the database itself. See docs/bao-ve-du-lieu.md.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_private(path: str | Path, mode: int = PRIVATE_FILE_MODE) -> None:
    """Only this user may read or write ``path`` (POSIX). Best effort: a file system that has
    no permissions (a USB stick, a network share) is left as it is."""
    if os.name != "posix":
        return
    try:
        os.chmod(path, mode)
    except OSError:
        pass


def private_folder(path: str | Path) -> Path:
    """Create (if needed) a folder of the program's own (``nhat-ky``, ``sao-luu``) for this user only."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    make_private(path, PRIVATE_DIR_MODE)
    return path


class OutputError(OSError):
    """Writing an output file failed; ``message`` is Vietnamese, for the user. Nothing was
    left under the final name."""

    def __init__(self, message: str, path: Path):
        super().__init__(message)
        self.message = message
        self.path = path


class FileLockedError(OutputError):
    pass


SQLITE_SIDECARS = ("-wal", "-shm", "-journal")  # write-ahead log, its shared memory, rollback journal


def sqlite_files(path: str | Path, main: bool = True) -> list[Path]:
    """A SQLite database's file (unless ``main`` is False) and the files SQLite keeps beside it."""
    return [Path(str(path) + suffix) for suffix in (("",) if main else ()) + SQLITE_SIDECARS]


def remove_sqlite_files(path: str | Path, main: bool = True) -> None:
    """Delete a SQLite database (unless ``main`` is False) and every file SQLite keeps beside it."""
    for file in sqlite_files(path, main):
        file.unlink(missing_ok=True)


def next_free_name(path: Path, pattern: str = "{stem} ({n}){suffix}") -> Path:
    """``Báo cáo.docx`` -> ``Báo cáo (2).docx`` ... the first name not taken."""
    path = Path(path)
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(pattern.format(stem=path.stem, n=n, suffix=path.suffix))
        if not candidate.exists():
            return candidate
        n += 1


def _message(exc: OSError, path: Path, replacing: bool = True) -> OutputError:
    """``replacing``: the failure came when putting the finished file under its name (so a
    PermissionError there means another program holds that file)."""
    if replacing and isinstance(exc, PermissionError) and path.exists():
        return FileLockedError(
            f"Không ghi được «{path.name}»: tệp đang được mở bằng chương trình khác (Word, Excel). "
            "Hãy đóng tệp rồi thử lại, hoặc lưu với tên khác.", path)
    if exc.errno == errno.ENOSPC:
        return OutputError(f"Không ghi được «{path.name}»: ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại.", path)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EROFS, errno.EACCES):
        return OutputError(f"Không ghi được vào thư mục «{path.parent}»: không có quyền ghi.", path)
    if exc.errno == errno.ENOENT:
        return OutputError(f"Thư mục «{path.parent}» không tồn tại.", path)
    return OutputError(f"Không ghi được «{path.name}»: {exc.strerror or exc}.", path)


def shorten_name(name: str, max_bytes: int = 120, max_chars: int = 80) -> str:
    """``name`` cut so that it takes at most ``max_bytes`` in UTF-8 (Linux and macOS allow 255
    bytes per name; a Vietnamese letter takes up to 3) and ``max_chars`` characters (Windows
    counts the whole path against 260), keeping the extension and never cutting a character."""
    name = unicodedata.normalize("NFC", name)
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > 10 or " " in suffix:
        stem, suffix = name, ""
    ext = f".{suffix}" if suffix else ""
    budget_bytes = max(max_bytes - len(ext.encode("utf-8")), 1)
    budget_chars = max(max_chars - len(ext), 1)
    if len(stem) <= budget_chars and len(stem.encode("utf-8")) <= budget_bytes:
        return name
    cut = stem[:budget_chars]
    while len(cut.encode("utf-8")) > budget_bytes:
        cut = cut[:-1]
    cut = cut.rstrip(" .-_") or "tep"
    return cut + ext


STALE_AFTER_SECONDS = 3600


def _temp_prefix(path: Path) -> str:
    return ".~" + path.stem[:40] + "-"


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of the same output left by a killed program (an hour old or more)."""
    now = time.time()
    try:
        candidates = list(path.parent.glob(glob.escape(_temp_prefix(path)) + "*" + glob.escape(path.suffix) + ".tmp"))
    except OSError:
        return
    for leftover in candidates:
        try:
            if now - leftover.stat().st_mtime > STALE_AFTER_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # in use or not ours to remove: harmless


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file to ``path``.

    On any failure the temporary file is removed and the final name is untouched.
    Raises OutputError/FileLockedError for file-system problems; other exceptions pass through.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=path.suffix + ".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _message(exc, path, replacing=False) from exc
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _message(exc, path) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))
