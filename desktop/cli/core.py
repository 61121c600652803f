"""Core commands: ``demo`` (create the demo database) and ``status`` (who has done what)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from desktop.cli import (
    EXIT_BAD_INPUT,
    CliError,
    add_db_argument,
    add_today_argument,
    directive_or_fail,
    open_db_or_fail,
    unit_or_fail,
)
from desktop.infra.fileio import remove_sqlite_files


def register(sub) -> None:
    p = sub.add_parser("demo", help="tạo cơ sở dữ liệu mẫu")
    add_db_argument(p, required=True)
    add_today_argument(p)
    p.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("status", help="bảng theo dõi: đơn vị nào đã làm gì, ai chậm")
    add_db_argument(p, required=True)
    p.add_argument("--directive", help="số ký hiệu văn bản, ví dụ 234/KH-UBND")
    p.add_argument("--unit", help="mã đơn vị (hoặc nhóm)")
    add_today_argument(p)
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(handler=cmd_status)


def cmd_demo(args) -> int:
    from desktop.services.demo import DEMO_TODAY, build_demo

    target = args.db
    if "://" not in target:
        path = Path(target)
        if path.exists():
            if not args.force:
                raise CliError(f"Tệp «{path}» đã tồn tại; thêm --force để ghi đè.")
            remove_sqlite_files(path)
    db = open_db_or_fail(target, create=True)
    try:
        build_demo(db, args.today or DEMO_TODAY)
    finally:
        db.dispose()
    print(f"Đã tạo dữ liệu mẫu tại «{target}» (ngày tính: {(args.today or DEMO_TODAY):%d/%m/%Y}).")
    return 0


def status_payload(db, directive: str | None, unit: str | None, today: date) -> dict:
    """The ``status --json`` document; also used by tests to compare the UI and reports with it."""
    from db.queries import assignment_rows, unit_subtree_ids
    from desktop.services.settings import load_settings
    from desktop.tracking.stats import summarize, track

    with db.session() as s:
        settings = load_settings(s)
        directive_ids = unit_ids = None
        if directive:
            directive_ids = [directive_or_fail(s, directive).id]
        if unit:
            unit_ids = unit_subtree_ids(s, unit_or_fail(s, unit).id)
        rows = assignment_rows(s, directive_ids=directive_ids, unit_ids=unit_ids)
    tracked = track(rows, today, settings.due_soon_days)
    return {
        "today": today.isoformat(),
        "assignments": [
            {
                "directive": t.row.directive_number,
                "task": t.row.task_title,
                "period": t.row.period or None,
                "unit": t.row.unit_name,
                "unit_code": t.row.unit_code,
                "role": t.row.role,
                "deadline": t.row.effective_due.isoformat() if t.row.effective_due else None,
                "original_deadline": t.row.own_due.isoformat() if t.row.own_due else None,
                "completed_on": t.row.completed_on.isoformat() if t.row.completed_on else None,
                "state": t.row.state,
                "status": t.status.value,
                "days_late": t.days_late,
                # awaiting approval: the day the report came in, which its days late count to
                "reported_on": t.row.reported_on.isoformat() if t.row.reported_on else None,
            }
            for t in tracked
        ],
        "summary": summarize(tracked).as_dict(),
    }


def cmd_status(args) -> int:
    from desktop.tracking.labels import ROLE, fmt_date, fmt_int, fmt_percent, status_text

    today = args.today or date.today()
    db = open_db_or_fail(args.db)
    try:
        payload = status_payload(db, args.directive, args.unit, today)
    finally:
        db.dispose()
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    rows = payload["assignments"]
    if not rows:
        print("Không có nhiệm vụ nào phù hợp.")
        return 0
    print(f"Tình hình thực hiện tính đến ngày {today:%d/%m/%Y}")
    for r in rows:
        deadline = fmt_date(date.fromisoformat(r["deadline"])) if r["deadline"] else "—"
        done = fmt_date(date.fromisoformat(r["completed_on"])) if r["completed_on"] else ""
        print(f"{r['directive']:<16} {r['unit']:<40} {ROLE.get(r['role'], r['role']):<10} hạn {deadline:<10} "
              f"{status_text(r['status'], r['days_late']):<32} {done}  {r['task'][:60]}")
    s = payload["summary"]
    n = {k: fmt_int(v) for k, v in s.items() if isinstance(v, int)}
    print(f"\nTổng: {n['assigned']} lượt giao; đến hạn {n['due']}; đúng hạn {n['on_time']}; quá hạn đã xong "
          f"{n['late']}; quá hạn chưa xong {n['overdue']}; đã báo cáo, chờ duyệt {n['pending_review']}; "
          f"tỷ lệ đúng hạn {fmt_percent(s['on_time_rate'])}.")
    return 0


__all__ = ["register", "status_payload", "EXIT_BAD_INPUT"]
