"""Files kept with the data: directive files, evidence, received Excel reports. Qt-free.

Every file the program keeps is written here and found here. A file is copied into the
attachments folder (``tep-dinh-kem/<subfolder>/``) under a name that never overwrites another,
written under a temporary name and renamed. The database stores the path relative to
:func:`desktop.infra.paths.attachments_root` (``tep-dinh-kem/…``, "/" separators), so the whole folder
can move (backup, new PC) and, with a PostgreSQL database and a shared folder set on every PC,
each PC opens the files another PC attached.

When the shared folder is set but cannot be reached (share offline, no permission), writing
raises ``OutputError`` with a Vietnamese message naming the folder and nothing is left behind;
callers copy the file *before* writing the record and remove the copy when the record fails,
so a record never points at a file that was not written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path, PureWindowsPath
from typing import Callable

from desktop.infra import paths
from desktop.infra.fileio import OutputError, atomic_write, next_free_name, private_folder, shorten_name

SHARED_ADVICE = ("kiểm tra mạng nội bộ, máy chủ chứa thư mục đã bật chưa và tài khoản này có quyền ghi vào thư mục "
                 "đó không (hoặc sửa ô «Thư mục dùng chung cho tệp đính kèm» trong Cài đặt)")


# ------------------------------------------------------------------ writing


def attach_file(database: str, source: str | Path, kind: str = "minh-chung", today: date | None = None) -> str:
    """Copy ``source`` into ``tep-dinh-kem/<kind>/<yyyy-mm>/``; returns the stored relative path.
    Raises OutputError with a Vietnamese message on failure."""
    day = today or date.today()
    return copy_file(database, source, f"{kind}/{day:%Y-%m}")


def copy_file(database: str, source: str | Path, subfolder: str) -> str:
    """Copy ``source`` into ``tep-dinh-kem/<subfolder>/`` under its own name (``name (2).pdf`` when
    taken); returns the stored relative path. Raises OutputError."""
    src = Path(source)
    if not src.is_file():
        raise OutputError(f"Không tìm thấy tệp «{src}».", src)
    relative, _path, _created = _store(database, subfolder, src.name, lambda tmp: shutil.copyfile(src, tmp))
    return relative


def write_text(database: str, subfolder: str, name: str, text: str) -> str:
    """Keep ``text`` as a UTF-8 file ``tep-dinh-kem/<subfolder>/<name>`` (a free name); the stored
    relative path. Raises OutputError."""
    relative, _path, _created = _store(database, subfolder, name,
                                       lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return relative


def keep_copy(database: str, source: str | Path, subfolder: str, name: str) -> tuple[str, Path, bool]:
    """Copy ``source`` as ``tep-dinh-kem/<subfolder>/<name>`` unless a file of that name is there
    already (the name says it is the same file); ``(relative path, path, created now)``."""
    src = Path(source)
    return _store(database, subfolder, name, lambda tmp: shutil.copyfile(src, tmp), reuse=True)


def remove(path: Path | None) -> None:
    """Remove a copy made for a record that was not saved after all (best effort)."""
    if path is None:
        return
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        pass


def _store(database: str, subfolder: str, name: str, write: Callable[[Path], None],
           reuse: bool = False) -> tuple[str, Path, bool]:
    shared = paths.shared_folder(database)
    root = shared if shared is not None else paths.folder_for(database)
    if shared is not None and not _reachable(shared):
        raise OutputError(f"Không ghi được vào thư mục dùng chung «{shared}»: không truy cập được thư mục này; "
                          f"{SHARED_ADVICE}. Chưa có gì được lưu.", shared)
    # A long name (Vietnamese letters take up to 3 bytes) must fit 255 bytes per name with " (2)"
    # and the temporary prefix added, and the whole path Windows' 260 characters.
    target = root / paths.ATTACHMENTS_FOLDER / subfolder / shorten_name(name)
    relative = target.relative_to(root).as_posix()
    try:
        if reuse and target.exists():
            return relative, target, False
        if shared is None:
            # this PC's own folder: for this user only, as the database and the backups
            # (docs/bao-ve-du-lieu.md); a shared folder keeps the share's permissions
            folder = private_folder(root / paths.ATTACHMENTS_FOLDER)
            for part in target.parent.relative_to(folder).parts:
                folder = private_folder(folder / part)
        if not reuse:
            target = next_free_name(target)
            relative = target.relative_to(root).as_posix()
        atomic_write(target, write)
    except OSError as exc:
        if shared is None:
            raise
        detail = getattr(exc, "message", None) or exc.strerror or str(exc)
        raise OutputError(f"Không ghi được vào thư mục dùng chung «{shared}» ({detail.rstrip('.')}); "
                          f"{SHARED_ADVICE}. Chưa có gì được lưu.", target) from exc
    return relative, target, True


def _reachable(folder: Path) -> bool:
    try:
        return folder.is_dir()
    except OSError:
        return False


# ------------------------------------------------------------------ reading


def _roots(database: str) -> list[Path]:
    roots = [paths.attachments_root(database)]
    local = paths.folder_for(database)
    if local != roots[0]:
        roots.append(local)
    return roots


def _stored_parts(relative: str) -> tuple[bool, list[str]]:
    """(absolute, parts) of a stored path read with both separators, as Windows would read it:
    ``\\\\host\\share``, ``C:\\x`` and ``C:x`` count as absolute wherever the program runs."""
    text = str(relative).replace("\\", "/")
    windows = PureWindowsPath(text)
    absolute = bool(windows.drive or windows.root) or text.startswith("/")
    return absolute, [part for part in text.split("/") if part]


def is_inside_attachments(database: str, path: str | Path) -> bool:
    """True when ``path`` (links and ``..`` resolved) lies inside an attachments folder of this
    database: the only files the program opens or lists for a stored path."""
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    for root in _roots(database):
        try:
            folder = (root / paths.ATTACHMENTS_FOLDER).resolve()
        except (OSError, RuntimeError, ValueError):
            continue
        if resolved != folder and resolved.is_relative_to(folder):
            return True
    return False


def locations(database: str, relative: str) -> list[Path]:
    """Where a stored attachment may be, in the order looked at: the attachments root (the shared
    folder when it applies) and, with a shared folder, this PC's data folder (files attached
    before the shared folder was set). Only places inside an attachments folder are returned: a
    stored path that leads out of it (``/etc/passwd``, ``..\\..\\x``, ``\\\\host\\share\\x.exe``, a link)
    has no location. An absolute path inside the folder is itself."""
    absolute, parts = _stored_parts(relative)
    if not parts:
        return []
    if absolute:
        candidates = [Path(str(relative))]
    else:
        roots = _roots(database)
        candidates = [root.joinpath(*parts) for root in roots]
        if parts[0] != paths.ATTACHMENTS_FOLDER:  # older rows: relative to tep-dinh-kem
            candidates += [root / paths.ATTACHMENTS_FOLDER / Path(*parts) for root in roots]
    return [c.resolve() for c in candidates if is_inside_attachments(database, c)]


def resolve(database: str, relative: str) -> Path:
    """Absolute path of a stored attachment: the first place it is found, else where it belongs.
    Raises ValueError for a stored path that leads outside the attachments folder."""
    found = find(database, relative) or next(iter(locations(database, relative)), None)
    if found is None:
        raise ValueError(f"stored attachment path outside the attachments folder: {relative!r}")
    return found


def find(database: str, relative: str) -> Path | None:
    """The file of a stored attachment, or None when it is in none of :func:`locations` (a path
    outside the attachments folder is never found)."""
    for candidate in locations(database, relative):
        try:
            if candidate.is_file():
                return candidate
        except OSError:
            continue
    return None


def missing_message(database: str, relative: str) -> str:
    """Vietnamese: the file was not found, where it was looked for, and what to check."""
    name = _stored_parts(relative)[1][-1:] or [str(relative)]
    found = locations(database, relative)
    if not found:
        return (f"Không mở tệp «{name[0]}»: đường dẫn đã lưu («{relative}») nằm ngoài thư mục tệp đính kèm "
                f"«{paths.attachments_dir(database)}». Để an toàn, chương trình chỉ mở tệp trong thư mục đó; hãy "
                "đính kèm lại tệp.")
    where = "; ".join(f"«{p}»" for p in dict.fromkeys(found))
    text = f"Không tìm thấy tệp «{name[0]}». Đã tìm ở: {where}."
    shared = paths.shared_folder(database)
    if shared is not None and not _reachable(shared):
        return text + f" Không truy cập được thư mục dùng chung «{shared}»: {SHARED_ADVICE}."
    if paths.is_server(database) and shared is None:
        return text + (" Tệp có thể được đính kèm trên máy khác: hãy đặt «Thư mục dùng chung cho tệp đính kèm» "
                       "trong Cài đặt trên mọi máy.")
    return text + " Tệp có thể đã bị xóa hoặc di chuyển."


# ------------------------------------------------------------------ the shared folder


def check_shared_folder(folder: str | Path) -> str:
    """"" when ``folder`` exists and this account can write in it (a small file is written and
    deleted), else a Vietnamese sentence saying what is wrong."""
    path = Path(folder).expanduser()
    if not str(folder).strip():
        return "Chưa chọn thư mục dùng chung."
    if not path.is_absolute():
        return f"Hãy chọn đường dẫn đầy đủ của thư mục dùng chung (ví dụ \\\\MAYCHU\\TheoDoi), không phải «{folder}»."
    if not _reachable(path):
        return (f"Không truy cập được thư mục dùng chung «{path}»: thư mục không có hoặc máy chứa nó chưa bật; "
                "kiểm tra mạng nội bộ và đường dẫn.")
    try:
        fd, probe = tempfile.mkstemp(prefix=".theodoi-thu-ghi-", suffix=".tmp", dir=path)
        try:
            os.write(fd, b"ok")
        finally:
            os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return (f"Không ghi được vào thư mục dùng chung «{path}» ({exc.strerror or exc}); kiểm tra quyền ghi của "
                "tài khoản này trên thư mục đó.")
    return ""
