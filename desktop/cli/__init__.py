"""Command line: ``python -m desktop <command> ...`` (also the ``theodoi-cli`` script).

Every command takes ``--db PATH``, prints Vietnamese messages and exits non-zero on bad input.
Commands live in modules listed in ``COMMAND_MODULES``; each has ``register(subparsers)`` that
adds its parser with ``set_defaults(handler=function)``; a handler returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from datetime import date

COMMAND_MODULES = [
    "desktop.cli.intake",
    "desktop.cli.core",
    "desktop.cli.safety",
    "desktop.cli.documents",
    "desktop.cli.workbooks",
    "desktop.cli.transfer",
    "desktop.cli.setup",
]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class CliError(Exception):
    """A Vietnamese message for the user; exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.message = message
        self.code = code


def parse_day(text: str) -> date:
    """Accepts YYYY-MM-DD and dd/mm/yyyy."""
    from desktop.tracking.dates import parse_user_date

    value = parse_user_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: «{text}» (dùng YYYY-MM-DD hoặc dd/mm/yyyy)")
    return value


_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "lệnh",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
}


def _vi(message: str) -> str:
    return _ARGPARSE_VI.get(message, message)


# argparse looks its messages up through the module-level gettext alias at call time; Python
# ships no Vietnamese catalogue for it, so the few messages users meet are translated here.
argparse._ = _vi


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # Vietnamese prefix, argparse's own detail
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"Lỗi tham số: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="theodoi", description="Theo dõi nhiệm vụ giao cho các đơn vị.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_db_argument(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """``--db PATH|URL``; else the environment variable THEODOI_DB, else the database chosen in
    Cài đặt on this PC (the same order as the windowed program)."""
    from desktop.infra import local_config

    default = os.environ.get("THEODOI_DB") or local_config.configured_database() or None
    parser.add_argument("--db", required=required and default is None, default=default,
                        help="tệp cơ sở dữ liệu, hoặc URL postgresql://người-dùng:mật-khẩu@máy-chủ/tên-csdl "
                             "(mặc định: biến môi trường THEODOI_DB, rồi cơ sở dữ liệu chọn trong Cài đặt)")


def add_today_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=parse_day, default=None, help="ngày tính trạng thái (mặc định: hôm nay)")


def directive_or_fail(session, number: str):
    """The directive with this số ký hiệu, or a CliError the user understands."""
    from db.queries import find_directive

    found = find_directive(session, number)
    if found is None:
        raise CliError(f"Không tìm thấy văn bản số «{number}».")
    return found


def unit_or_fail(session, code: str):
    """The unit (or group) with this code, or a CliError the user understands."""
    from db.queries import find_unit

    found = find_unit(session, code)
    if found is None:
        raise CliError(f"Không tìm thấy đơn vị mã «{code}».")
    return found


def open_db_or_fail(location: str | None, create: bool = False):
    from desktop.infra.database import DatabaseOpenError, open_database

    try:
        return open_database(location, create=create)
    except DatabaseOpenError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a bad argument already reported in Vietnamese
        return int(exc.code or 0)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(handler(args) or 0)
    except CliError as exc:
        from desktop.infra.redact import redact_text

        print(f"Lỗi: {redact_text(exc.message)}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
