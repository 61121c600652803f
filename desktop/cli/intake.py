"""``read-directive FILE [--json] [--db PATH]``: propose tasks, units, roles and dates from a
directive's text (.docx, .pdf, .txt, or ``-`` for text on standard input)."""

from __future__ import annotations

import sys

from desktop.cli import EXIT_FAILED, CliError, add_db_argument, open_db_or_fail


def register(sub) -> None:
    p = sub.add_parser("read-directive",
                       help="đọc văn bản chỉ đạo: đề xuất nhiệm vụ, đơn vị, vai trò và thời hạn")
    p.add_argument("file", help="tệp .docx, .pdf, .txt (hoặc - để đọc văn bản dán vào từ đầu vào chuẩn)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    add_db_argument(p)
    p.set_defaults(handler=cmd_read_directive)


def cmd_read_directive(args) -> int:
    from desktop.intake import IntakeError, read_directive, units_from_session

    units = None
    if args.db:
        db = open_db_or_fail(args.db, create=False)
        try:
            with db.session() as session:
                units = units_from_session(session)
        finally:
            db.dispose()
        if not units:
            raise CliError("Cơ sở dữ liệu chưa có đơn vị nào để đối chiếu.", EXIT_FAILED)
    source = sys.stdin.read() if args.file == "-" else args.file
    try:
        proposal = read_directive(source, units=units)
    except IntakeError as exc:
        raise CliError(exc.message, EXIT_FAILED) from exc
    if args.json:
        print(proposal.to_json())
        return 0
    _print_text(proposal)
    return 0


FIELD_LABEL = {"units": "đơn vị", "start_date": "ngày bắt đầu", "due_date": "hạn", "report_due_date": "hạn báo cáo",
               "recurrence": "định kỳ", "summary": "tên nhiệm vụ"}


def _print_text(proposal) -> None:
    from desktop.tracking.labels import DIRECTIVE_TYPE, ROLE, fmt_date

    def show(value) -> str:
        return value if value else "—"

    print(f"Số ký hiệu: {show(proposal.doc_number)}")
    print(f"Ngày ban hành: {fmt_date(proposal.doc_date) if proposal.doc_date else '—'}")
    print(f"Cơ quan ban hành: {show(proposal.issuer)}")
    print(f"Loại văn bản: {DIRECTIVE_TYPE.get(proposal.doc_type, '—') if proposal.doc_type else '—'}")
    print(f"Trích yếu: {show(proposal.title)}")
    print(f"Đề xuất {len(proposal.tasks)} nhiệm vụ:")
    for n, task in enumerate(proposal.tasks, 1):
        print(f"\n{n}. {task.summary}")
        if task.assignments:
            by_role: dict[str, list[str]] = {}
            for a in task.assignments:
                by_role.setdefault(a.role, []).append(a.unit.name)
            for a in task.assignments:
                if a.guess:
                    by_role[a.role][by_role[a.role].index(a.unit.name)] = f"≈ {a.unit.name} (đoán)"
            for role, names in by_role.items():
                print(f"   {ROLE.get(role, role)}: {', '.join(names)}")
        else:
            print("   Đơn vị: chưa xác định")
        if task.unmatched:
            print(f"   Không có trong danh sách đơn vị: {'; '.join(task.unmatched)}")
        dates = []
        if task.start_date:
            dates.append(f"bắt đầu {fmt_date(task.start_date)}")
        if task.due_date:
            dates.append(f"hạn {fmt_date(task.due_date)}")
        if task.report_due_date:
            dates.append(f"hạn báo cáo {fmt_date(task.report_due_date)}")
        if task.recurrence:
            dates.append(f"định kỳ {task.recurrence}")
        if task.period_text and not task.due_date:
            dates.append(f"thời gian «{task.period_text}» (chưa thành ngày)")
        if dates:
            print(f"   Thời gian: {', '.join(dates)}")
        doubtful = [FIELD_LABEL[k] for k, v in task.confidence().items() if v != "high" and k in FIELD_LABEL]
        if doubtful:
            print(f"   Cần kiểm tra: {', '.join(doubtful)}")
        for note in task.notes:
            print(f"   Lưu ý: {note}")
