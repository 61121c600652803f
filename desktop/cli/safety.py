"""Data safety commands: ``backup``, ``restore`` and ``check``.

None of them migrates or writes to the database they are given except ``restore``; a damaged
or non-database file is refused with a Vietnamese message and a non-zero exit code.
"""

from __future__ import annotations

from desktop.cli import EXIT_BAD_INPUT, EXIT_FAILED, CliError, add_db_argument


def register(sub) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu ngay (hoặc liệt kê các bản sao lưu)")
    add_db_argument(p, required=True)
    p.add_argument("--list", action="store_true", help="chỉ liệt kê các bản sao lưu đã có")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu")
    add_db_argument(p, required=True)
    p.add_argument("--from", dest="source", required=True, help="tệp sao lưu (.db)")
    p.add_argument("--force", action="store_true", help="khôi phục cả khi chương trình có vẻ đang mở tệp")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("check", help="kiểm tra dữ liệu (toàn vẹn, ràng buộc, tệp đính kèm)")
    add_db_argument(p, required=True)
    p.set_defaults(handler=cmd_check)


def _sqlite_path(location: str):
    from desktop.safety import sqlite_file

    path = sqlite_file(location)
    if path is None:
        raise CliError("Lệnh này dùng cho tệp cơ sở dữ liệu SQLite; PostgreSQL dùng công cụ của máy chủ.")
    return path


def cmd_backup(args) -> int:
    from desktop.safety import SafetyError, list_backups, make_backup

    path = _sqlite_path(args.db)
    if args.list:
        backups = list_backups(path)
        if not backups:
            print("Chưa có bản sao lưu nào.")
        for b in backups:
            print(f"{b.taken_at:%d/%m/%Y %H:%M:%S}  {b.label:<24} {b.size / 1024:>9.0f} KB  {b.path}")
        return 0
    if not path.exists():
        raise CliError(f"Không tìm thấy cơ sở dữ liệu «{path}».", EXIT_FAILED)
    try:
        target = make_backup(path)
    except SafetyError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    print(f"Đã sao lưu vào «{target}».")
    return 0


def cmd_restore(args) -> int:
    from pathlib import Path

    from desktop.safety import SafetyError, restore
    from desktop.safety.locking import lock_file_for

    path = _sqlite_path(args.db)
    source = Path(args.source)
    if not source.is_file():
        raise CliError(f"Không tìm thấy bản sao lưu «{source}».", EXIT_BAD_INPUT)
    if lock_file_for(str(path)).exists() and not args.force:
        raise CliError("Chương trình có thể đang mở cơ sở dữ liệu này. Hãy đóng chương trình rồi chạy lại "
                       "lệnh (hoặc thêm --force nếu chắc chắn chương trình đã đóng).", EXIT_FAILED)
    try:
        result = restore(path, source)
    except SafetyError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    print(f"Đã khôi phục «{path}» từ «{result.restored_from}».")
    if result.kept_aside:
        print(f"Tệp trước khi khôi phục được giữ tại «{result.kept_aside}».")
    return 0


def cmd_check(args) -> int:
    from desktop.infra.database import lost_message
    from desktop.safety import Health, check_data, check_file, newest_good_backup

    path = _sqlite_path(args.db)
    report = check_file(path, thorough=False)
    if report.health in (Health.MISSING, Health.EMPTY, Health.UNREADABLE):
        # never "dữ liệu tốt" for a file that holds nothing: say so, and where the data still is
        backup = newest_good_backup(path)
        if backup is not None:
            raise CliError(lost_message(path, report, backup), EXIT_FAILED)
        if report.health == Health.MISSING:
            raise CliError(f"Không tìm thấy cơ sở dữ liệu «{path}».", EXIT_FAILED)
        raise CliError(report.message + " Chưa có bản sao lưu nào của tệp này.", EXIT_FAILED)
    result = check_data(path)
    if result.integrity.health != Health.OK:
        for line in result.integrity.problems[:20]:
            print(f"  {line}")
        raise CliError(result.integrity.message, EXIT_FAILED)
    print(result.summary())
    return 0 if result.ok else EXIT_FAILED
