"""``chuyen-du-lieu``: copy the whole database into an empty one (a SQLite file to the shared
PostgreSQL server, the server back into a file, a file into another file).

Passwords in URLs are never printed (``display_location``)."""

from __future__ import annotations

import sys

from desktop.cli import EXIT_FAILED, CliError


def register(sub) -> None:
    p = sub.add_parser("chuyen-du-lieu",
                       help="chuyển toàn bộ dữ liệu sang một cơ sở dữ liệu trống (ví dụ từ tệp sang máy chủ PostgreSQL)")
    p.add_argument("--from", dest="source", default=None,
                   help="cơ sở dữ liệu nguồn: tệp hoặc URL postgresql://… (mặc định: cơ sở dữ liệu đang dùng — "
                        "biến môi trường THEODOI_DB, lựa chọn trong Cài đặt, rồi tệp trong thư mục dữ liệu)")
    p.add_argument("--to", dest="target", required=True,
                   help="nơi nhận, phải trống: URL postgresql://người-dùng:mật-khẩu@máy-chủ/tên-csdl hoặc tệp mới")
    p.set_defaults(handler=cmd_transfer)


class _Printer:
    """A line when the copy moves to another table, and every further 10 % inside a big one (not
    one per chunk: a log file stays readable)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.current = ""
        self.tenth = -1

    def __call__(self, done: int, total: int, message: str) -> None:
        percent = 100 * done // total if total else 100
        if message != self.current or percent // 10 > self.tenth:
            self.current, self.tenth = message, percent // 10
            print(f"[{percent:3d}%] {message}", file=self.stream, flush=True)


def cmd_transfer(args) -> int:
    from desktop.infra import paths
    from desktop.infra.database import display_location
    from desktop.infra.transfer import TransferError, copy_database

    source = args.source or paths.default_database()
    print(f"Chuyển dữ liệu từ «{display_location(source)}» sang «{display_location(args.target)}».", flush=True)
    try:
        result = copy_database(source, args.target, progress=_Printer())
    except TransferError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    print(result.summary())
    return 0
