"""Run a check as an ordinary user, so file permissions bind as they do for an officer.

As root (CI, containers) a chmod stops nothing: the check then runs in a forked child that has handed
the test's folder to the unprivileged user 65534 ("nobody") and taken that user's ids. No program is
started (the child keeps the interpreter already loaded), so nothing needs to be installed or reachable
by that user. Not root: the check runs here, as the user running the tests.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Callable

NOBODY = 65534


def run_unprivileged(check: Callable[[], None], tree: Path) -> None:
    """Run ``check()`` as a user without privileges over ``tree`` (its own folder, handed over when
    running as root); an assertion or error inside it fails the calling test with its traceback."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        check()
        return
    tree = Path(tree)
    opened: list[tuple[Path, int]] = []
    for parent in tree.parents:  # the way down to the tree: traversable (not listable) for the child
        mode = parent.stat().st_mode & 0o7777
        if not mode & 0o001:
            parent.chmod(mode | 0o001)
            opened.append((parent, mode))
    owners = [(p, p.lstat().st_uid, p.lstat().st_gid) for p in [tree, *tree.rglob("*")]]
    for path, _uid, _gid in owners:
        os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, run the check, report, leave without running any teardown
        os.close(read_end)
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            check()
            message = b"ok"
        except BaseException:  # noqa: BLE001 - everything goes back to the parent
            message = traceback.format_exc().encode("utf-8", "replace")
        os.write(write_end, message)
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    for path, uid, gid in owners:
        if path.exists() or path.is_symlink():
            os.chown(path, uid, gid, follow_symlinks=False)
    for parent, mode in opened:
        parent.chmod(mode)
    report = b"".join(chunks).decode("utf-8", "replace")
    assert report == "ok", "as an unprivileged user:\n" + report
