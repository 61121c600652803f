"""Excel from the command line: ``excel`` (the workbook for the level above), ``template`` (per-unit
report forms) and ``import`` (filled forms back, with a preview; ``--dry-run`` writes nothing)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from desktop.cli import (
    EXIT_FAILED,
    CliError,
    add_db_argument,
    add_today_argument,
    directive_or_fail,
    open_db_or_fail,
    parse_day,
    unit_or_fail,
)


def register(sub) -> None:
    p = sub.add_parser("excel", help="xuất bảng tổng hợp Excel gửi cấp trên (Tổng hợp, Ma trận, Chi tiết, Số liệu)")
    add_db_argument(p, required=True)
    p.add_argument("--directive", help="số ký hiệu văn bản, ví dụ 128/VHTT (mặc định: tất cả)")
    p.add_argument("--out", required=True, help="tệp .xlsx cần ghi")
    add_today_argument(p)
    p.set_defaults(handler=cmd_excel)

    p = sub.add_parser("template", help="lập phiếu báo cáo kết quả (Excel) cho đơn vị điền và gửi lại")
    add_db_argument(p, required=True)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--unit", help="mã đơn vị")
    who.add_argument("--all", action="store_true", help="mọi đơn vị đang có nhiệm vụ (mỗi đơn vị một tệp)")
    p.add_argument("--out", required=True, help="tệp .xlsx (một đơn vị) hoặc thư mục (--all)")
    p.add_argument("--return-by", type=parse_day, default=None,
                   help="hạn gửi lại phiếu, ví dụ 15/10/2024 (mặc định: 7 ngày sau ngày lập)")
    add_today_argument(p)
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("import", help="nhập phiếu báo cáo kết quả do đơn vị gửi lại")
    add_db_argument(p, required=True)
    p.add_argument("files", nargs="+", metavar="FILE", help="các tệp .xlsx cần nhập")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và xem trước, không ghi gì")
    p.add_argument("--accept", action="store_true", help="duyệt luôn các kết quả «Đã hoàn thành»")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    add_today_argument(p)
    p.set_defaults(handler=cmd_import)


def _output_errors(build):
    from desktop.infra.fileio import OutputError

    try:
        return build()
    except OutputError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc


def cmd_excel(args) -> int:
    from desktop.workbooks.export import export_workbook

    if not args.out.lower().endswith(".xlsx"):
        raise CliError(f"Tệp kết quả «{args.out}» phải có đuôi .xlsx.")
    today = args.today or date.today()
    db = open_db_or_fail(args.db, create=False)
    try:
        directive_id = None
        if args.directive:
            with db.session() as s:
                directive_id = directive_or_fail(s, args.directive).id
        path = _output_errors(lambda: export_workbook(db, args.out, today, directive_id))
    finally:
        db.dispose()
    print(f"Đã ghi bảng tổng hợp «{path}».")
    return 0


def cmd_template(args) -> int:
    from desktop.workbooks.template import export_template, export_templates

    today = args.today or date.today()
    return_by = args.return_by
    if return_by is not None and return_by <= today:
        raise CliError(f"Hạn gửi lại ({return_by:%d/%m/%Y}) phải sau ngày lập phiếu ({today:%d/%m/%Y}).")
    db = open_db_or_fail(args.db, create=False)
    try:
        if args.all:
            paths = _output_errors(lambda: export_templates(db, args.out, today, return_by=return_by))
            print(f"Đã lập {len(paths)} phiếu báo cáo trong thư mục «{args.out}».")
            return 0
        if not args.out.lower().endswith(".xlsx"):
            raise CliError(f"Tệp kết quả «{args.out}» phải có đuôi .xlsx.")
        with db.session() as s:
            unit = unit_or_fail(s, args.unit)
            if unit.is_group:
                raise CliError(f"«{unit.name}» là một nhóm; hãy chọn một đơn vị hoặc dùng --all.")
            unit_id, unit_name = unit.id, unit.name
        path = _output_errors(lambda: export_template(db, unit_id, args.out, today, return_by=return_by))
    finally:
        db.dispose()
    print(f"Đã lập phiếu báo cáo cho {unit_name}: «{path}».")
    return 0


def cmd_import(args) -> int:
    from desktop.workbooks.import_model import ACTION_TEXT
    from desktop.workbooks.importer import apply_preview, preview_files

    today = args.today or date.today()
    db = open_db_or_fail(args.db, create=False)
    try:
        preview = preview_files(db, [Path(f) for f in args.files], today)
        result = None if args.dry_run else apply_preview(db, preview, today, accept=args.accept)
    finally:
        db.dispose()
    if args.json:
        payload = preview.as_dict(accept=args.accept)
        payload["dry_run"] = bool(args.dry_run)
        if result is not None:
            applied = {f.file_name: f.as_dict() for f in result.all_files}
            for f in payload["files"]:
                f["applied"] = applied.get(f["file_name"])
            payload["stopped"] = result.stopped or None
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for fp in preview.files:
            verdict = "NHẬN" if fp.accepted else "KHÔNG NHẬN"
            unit = f" — {fp.unit_name}" if fp.unit_name else ""
            print(f"[{verdict}] {fp.file_name}{unit}")
            for notice in fp.notices:
                print(f"    {notice}")
            for row in fp.rows:
                if row.action == "none" and not row.changes:
                    continue
                print(f"    Dòng {row.excel_row} (mã {row.assignment_id}) {ACTION_TEXT[row.action]}: {row.task_title[:70]}"
                      + (f" — {row.note}" if row.note else ""))
                for c in row.changes_for(args.accept):
                    print(f"        {c.field}: «{c.old or '—'}» → «{c.new or '—'}»")
            for p in fp.problems:
                level = "Lỗi" if p.severity == "error" else "Lưu ý"
                where = f" [{p.where}]" if p.where else ""
                print(f"    {level}{where}: {p.message}")
        if result is not None:
            print(result.summary())
        else:
            print("Chạy thử (--dry-run): chưa ghi gì vào cơ sở dữ liệu.")
    if result is not None and result.failed:
        return EXIT_FAILED
    return 0 if all(f.accepted for f in preview.files) else 2
