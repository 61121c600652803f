"""Files kept with the data: directive files, evidence, received Excel reports.

A file is copied into the data folder's attachments (``tep-dinh-kem/<kind>/<yyyy-mm>/``) under a
name that never overwrites another, written under a temporary name and renamed. The database stores
the path relative to the data folder so the whole folder can move (backup, new PC).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from desktop import paths
from desktop.fileio import OutputError, atomic_write, next_free_name


def attach_file(database: str, source: str | Path, kind: str = "minh-chung", today: date | None = None) -> str:
    """Copy ``source`` into the attachments folder; returns the path relative to the data folder
    (with "/" separators). Raises OutputError with a Vietnamese message on failure."""
    src = Path(source)
    if not src.is_file():
        raise OutputError(f"Không tìm thấy tệp «{src}».", src)
    day = today or date.today()
    folder = paths.attachments_dir(database) / kind / f"{day:%Y-%m}"
    target = next_free_name(folder / src.name)
    atomic_write(target, lambda tmp: shutil.copyfile(src, tmp))
    return target.relative_to(paths.folder_for(database)).as_posix()


def resolve(database: str, relative: str) -> Path:
    """Absolute path of a stored attachment."""
    return paths.folder_for(database) / Path(relative)
