"""Files a killed or failed run leaves behind, removed on the next start. Qt-free.

Every file is written under a temporary name and renamed (``desktop.infra.fileio.atomic_write``), so a
kill never leaves an incomplete file under a final name; it can leave the temporary file:
``.~<name>-xxxx.<ext>.tmp`` beside an export or an attachment, ``<db>-…-truoc-khoi-phuc-….db.tmp``
(or any ``*.db.tmp``) in the backups folder. An import killed between copying the received form
into ``tep-dinh-kem/phieu-excel/`` and committing leaves a kept copy no report points to.

Only files an hour old or more are removed: another PC sharing the attachments folder, or this
program's own backup thread, may be writing a younger one right now.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from sqlalchemy import select

from db.models import Evidence, UnitReport
from desktop.infra import paths
from desktop.infra.fileio import STALE_AFTER_SECONDS  # the same age atomic_write removes its own at

log = logging.getLogger(__name__)

TEMP_PATTERN = ".~*.tmp"  # desktop.infra.fileio.atomic_write's temporary names
KEPT_IMPORTS = paths.KEPT_FORMS_FOLDER  # the copies the importer keeps


def _stale(path: Path, now: float) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and now - path.stat().st_mtime >= STALE_AFTER_SECONDS
    except OSError:
        return False


def _remove(path: Path, removed: list[Path]) -> None:
    try:
        path.unlink()
        removed.append(path)
    except OSError as exc:  # in use (Windows) or not ours to remove: left for next time
        log.info("leftover %s not removed: %s", path, exc)


def _glob(folder: Path, pattern: str, recursive: bool = False) -> list[Path]:
    try:
        if not folder.is_dir():
            return []
        return list(folder.rglob(pattern) if recursive else folder.glob(pattern))
    except OSError:
        return []


def _referenced_kept_copies(db) -> set[str]:
    prefix = f"{paths.ATTACHMENTS_FOLDER}/{KEPT_IMPORTS}/"
    with db.session() as s:
        names = set(s.execute(select(UnitReport.source_file).where(UnitReport.source_file.like(prefix + "%"))).scalars())
        names |= set(s.execute(select(Evidence.target).where(Evidence.target.like(prefix + "%"))).scalars())
    return {n.rsplit("/", 1)[-1] for n in names}


def clean_leftovers(db, now: float | None = None, documents: Path | None = None) -> list[Path]:
    """Remove what killed or failed runs left behind (see the module docstring); the removed paths.
    Never raises: a leftover that cannot be removed stays until the next start."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        location = db.location
        roots = list(dict.fromkeys([paths.attachments_root(location), paths.folder_for(location)]))
        candidates: list[Path] = []
        for root in roots:
            candidates += _glob(root, TEMP_PATTERN)
            candidates += _glob(root / paths.ATTACHMENTS_FOLDER, TEMP_PATTERN, recursive=True)
        if not paths.is_server(location):
            candidates += _glob(paths.backups_dir(location), "*.db.tmp")
        candidates += _glob(documents if documents is not None else paths.documents_dir(), TEMP_PATTERN)
        for path in dict.fromkeys(candidates):
            if _stale(path, now):
                _remove(path, removed)
        kept_folders = [root / paths.ATTACHMENTS_FOLDER / KEPT_IMPORTS for root in roots]
        if any(folder.is_dir() for folder in kept_folders):
            referenced = _referenced_kept_copies(db)
            for folder in kept_folders:
                for path in _glob(folder, "*"):
                    if path.name not in referenced and not path.name.startswith(".") and _stale(path, now):
                        _remove(path, removed)
    except Exception:  # noqa: BLE001 - cleaning up must never stop the program from starting
        log.exception("cleaning leftovers failed")
    if removed:
        log.info("removed %d leftover file(s): %s", len(removed), ", ".join(str(p) for p in removed))
    return removed
