"""What the settings dialog's «Kiểm tra kết nối» asks, without Qt: does this database location open
(the tables created or migrated as every open does), can the shared attachments folder be written,
and do two locations name the same database. Run on a worker thread by the dialog."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from db.models import Directive, Unit
from desktop.infra import attachments
from desktop.infra.database import DatabaseOpenError, display_location, open_database

log = logging.getLogger(__name__)


def is_server_url(text: str) -> bool:
    return text.strip().lower().startswith(("postgresql://", "postgres://"))


def check_shared_folder(outcome: tuple[bool, str], location: str, shared_folder: str) -> tuple[bool, str]:
    """The answer of :func:`check_database` followed by the check of the shared attachments folder
    (written and deleted) when ``location`` is a server that opened and a folder is given. Runs on
    the worker thread with it: a share that is offline may take the system a while to give up."""
    worked, text = outcome
    if not (worked and is_server_url(location) and shared_folder.strip()):
        return outcome
    problem = attachments.check_shared_folder(shared_folder)
    if problem:
        return False, text + "\n\n" + problem
    return True, text + f"\n\nGhi được vào thư mục dùng chung «{Path(shared_folder).expanduser()}»."


def check_database(location: str, user: str) -> tuple[bool, str]:
    """Try to open ``location`` as the app would (creating the tables or migrating them, as the
    app does when it opens a database); ``(worked, Vietnamese sentence)``. Runs on a worker
    thread; touches no widget. A file that does not exist yet is not created: its folder is
    checked instead."""
    server = is_server_url(location)
    if not server:
        path = Path(location).expanduser()
        if not path.exists():
            folder = next((p for p in path.parents if p.exists()), None)
            if folder is None or not folder.is_dir() or not os.access(folder, os.W_OK):
                return False, f"Không ghi được vào thư mục «{path.parent}» để tạo cơ sở dữ liệu mới."
            return True, ("Tệp chưa có. Chương trình sẽ tạo cơ sở dữ liệu mới (trống) tại đây khi mở lại: "
                          f"«{path}».")
    try:
        database = open_database(location, create=False, user=user)
    except DatabaseOpenError as exc:
        return False, exc.message
    except Exception as exc:  # noqa: BLE001 - said to the officer, the traceback goes to the log
        log.exception("connection check of %s failed", display_location(location))
        return False, f"Không mở được cơ sở dữ liệu «{display_location(location)}»: {type(exc).__name__}."
    try:
        with database.session() as s:
            units = s.execute(select(func.count()).select_from(Unit)).scalar_one()
            directives = s.execute(select(func.count()).select_from(Directive)).scalar_one()
    finally:
        database.dispose()
    where = "Kết nối được máy chủ" if server else "Mở được tệp"
    return True, (f"{where}: {units} đơn vị, {directives} văn bản chỉ đạo. Cấu trúc cơ sở dữ liệu đã ở phiên "
                  "bản mới nhất (khi mở, chương trình tự tạo bảng hoặc nâng cấp nếu cần).")


def same_location(first: str, second: str) -> bool:
    if is_server_url(first) or is_server_url(second) or "://" in first or "://" in second:
        return first.strip() == second.strip()
    try:
        return Path(first).expanduser().resolve() == Path(second).expanduser().resolve()
    except OSError:
        return first == second


def url_parses(text: str) -> bool:
    try:
        url = make_url(text)
    except Exception:  # noqa: BLE001
        return False
    return bool(url.host or url.query.get("host")) and bool(url.database)
