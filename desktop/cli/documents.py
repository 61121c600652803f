"""Word documents from the command line: ``report`` (Báo cáo kết quả thực hiện) and ``reminder``
(công văn đôn đốc; the final letter, numbered and dated, is recorded as a reminder on every assignment it
names, a draft is not)."""

from __future__ import annotations

from datetime import date

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
    p = sub.add_parser("report", help="xuất báo cáo kết quả thực hiện (.docx, thể thức Nghị định 30)")
    add_db_argument(p, required=True)
    p.add_argument("--directive", required=True, help="số ký hiệu văn bản, ví dụ 128/VHTT")
    p.add_argument("--out", required=True, help="tệp .docx cần ghi")
    add_today_argument(p)
    p.add_argument("--final", action="store_true", help="bản chính thức (có số và ngày); mặc định là dự thảo")
    p.add_argument("--number", help="số văn bản (bản chính thức), ví dụ 05")
    p.add_argument("--date", type=parse_day, help="ngày ban hành (bản chính thức)")
    p.add_argument("--no-kinh-gui", action="store_true", help="không ghi «Kính gửi» (báo cáo không gửi cấp trên)")
    _add_pdf_argument(p)
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("reminder", help="soạn công văn đôn đốc các đơn vị quá hạn (.docx); bản chính thức (--final) được ghi nhận đôn đốc")
    add_db_argument(p, required=True)
    p.add_argument("--directive", help="số ký hiệu văn bản, ví dụ 2790/UBND-VHTT")
    p.add_argument("--unit", action="append", help="mã đơn vị hoặc nhóm (có thể lặp lại)")
    p.add_argument("--out", required=True, help="tệp .docx cần ghi")
    add_today_argument(p)
    p.add_argument("--respond-by", type=parse_day, help="hạn báo cáo mới (mặc định: sau 5 ngày làm việc)")
    p.add_argument("--final", action="store_true", help="bản chính thức (có số và ngày); mặc định là dự thảo")
    p.add_argument("--number", help="số văn bản (bản chính thức)")
    p.add_argument("--date", type=parse_day, help="ngày ban hành (bản chính thức)")
    _add_pdf_argument(p)
    p.set_defaults(handler=cmd_reminder)


def _add_pdf_argument(p) -> None:
    p.add_argument("--pdf", action="store_true",
                   help="ghi thêm bản PDF cùng tên (qua Microsoft Word, hoặc LibreOffice nếu không có Word)")


def _write_pdf(args, docx_path) -> None:
    """``--pdf``: the PDF next to the .docx; the .docx stays written when the PDF cannot be made."""
    if not getattr(args, "pdf", False):
        return
    from desktop.documents.pdf import PdfError, convert_to_pdf
    from desktop.infra.fileio import OutputError

    try:
        pdf = convert_to_pdf(docx_path)
    except PdfError as exc:
        raise CliError(f"Đã ghi tệp Word «{docx_path}» nhưng chưa có bản PDF. {exc.message}", EXIT_FAILED) from exc
    except OutputError as exc:
        raise CliError(f"Đã ghi tệp Word «{docx_path}» nhưng chưa ghi được bản PDF: {exc.message}",
                       EXIT_FAILED) from exc
    print(f"Đã ghi bản PDF «{pdf}».")


def _issue(args):
    from desktop.documents import Issue

    if not args.final and (args.number or args.date):
        raise CliError("--number và --date chỉ dùng cùng --final (bản chính thức).")
    return Issue(final=bool(args.final), number=args.number or "", issued_on=args.date)


def _check_out(path: str) -> None:
    if not path.lower().endswith(".docx"):
        raise CliError(f"Tệp kết quả «{path}» phải có đuôi .docx.")


def _directive_ids(db, number: str | None) -> list[int] | None:

    if not number:
        return None
    with db.session() as s:
        return [directive_or_fail(s, number).id]


def _unit_ids(db, codes: list[str] | None) -> list[int] | None:

    if not codes:
        return None
    ids = []
    with db.session() as s:
        for code in codes:
            ids.append(unit_or_fail(s, code).id)
    return ids


def _run(build):
    from desktop.documents import DocumentError
    from desktop.infra.fileio import OutputError
    from desktop.services.operations import ValidationError

    try:
        return build()
    except DocumentError as exc:
        raise CliError(exc.message) from exc
    except ValidationError as exc:
        raise CliError(exc.message) from exc
    except OutputError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc


def cmd_report(args) -> int:
    from desktop.documents import build_report

    _check_out(args.out)
    issue = _issue(args)
    today = args.today or date.today()
    db = open_db_or_fail(args.db)
    try:
        ids = _directive_ids(db, args.directive)
        result = _run(lambda: build_report(db, args.out, today=today, directive_ids=ids, issue=issue,
                                           send_upward=not args.no_kinh_gui))
    finally:
        db.dispose()
    kind = "bản chính thức" if issue.final else "dự thảo"
    print(f"Đã ghi báo cáo ({kind}) «{result.path}»: {result.tasks} nhiệm vụ, {result.units} đơn vị, "
          f"{result.assignments} lượt giao.")
    _write_pdf(args, result.path)
    return 0


def cmd_reminder(args) -> int:
    from desktop.documents import build_reminder

    _check_out(args.out)
    issue = _issue(args)
    today = args.today or date.today()
    db = open_db_or_fail(args.db)
    try:
        directive_ids = _directive_ids(db, args.directive)
        unit_ids = _unit_ids(db, args.unit)
        result = _run(lambda: build_reminder(db, args.out, today=today, directive_ids=directive_ids,
                                             unit_ids=unit_ids, respond_by=args.respond_by, issue=issue))
    finally:
        db.dispose()
    what = f"«{result.path}»: {result.unit_count} đơn vị, {len(result.assignment_ids)} lượt nhiệm vụ quá hạn"
    if result.recorded:
        print(f"Đã ban hành công văn đôn đốc {what}; đã ghi nhận đôn đốc (mã {result.reminder_id}).")
    else:
        print(f"Đã soạn dự thảo công văn đôn đốc {what}; dự thảo chưa được ghi nhận là đã đôn đốc (khi ban hành: "
              f"--final --number SỐ --date NGÀY).")
    _write_pdf(args, result.path)
    return 0
