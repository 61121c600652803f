"""A quick city-scale database for timing the main window: ~1,000 units in groups, 5,000 tasks,
200,000 assignments with mixed states, reports and extensions. Bulk inserts, a minute or so.

    python bench/quick_city.py /tmp/city.db [--today 2025-10-08] [--assignments 200000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from db.models import (  # noqa: E402
    Assignment,
    AssignmentState,
    Channel,
    Directive,
    DirectiveType,
    Extension,
    Indicator,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitKind,
    UnitReport,
)
from db.textkey import search_key  # noqa: E402
from desktop.infra.database import open_database  # noqa: E402

SYLLABLES = ["An", "Bình", "Đông", "Tây", "Nam", "Bắc", "Hòa", "Phú", "Thạnh", "Long", "Mỹ", "Tân", "Hưng", "Lạc",
             "Quang", "Trung", "Vĩnh", "Khánh", "Đức", "Thủy", "Sơn", "Hải", "Cát", "Kiến", "Lê", "Ngô", "Đằng"]
GROUPS = [
    ("XA", "UBND các xã", UnitKind.WARD, 420), ("PHUONG", "UBND các phường", UnitKind.WARD, 330),
    ("SO", "Sở, ban, ngành", UnitKind.OFFICE, 40), ("TRUONG", "Trường học", UnitKind.SCHOOL, 180),
    ("DT", "Mặt trận và đoàn thể", UnitKind.MASS_ORG, 30),
]
CONTENT = ["Đã tổ chức tuyên truyền trên hệ thống loa truyền thanh", "Đã treo băng rôn, khẩu hiệu tại trụ sở",
           "Đã đăng tải trên Cổng thông tin điện tử", "Tổ chức hội nghị quán triệt cho cán bộ, công chức",
           "Phối hợp Đoàn Thanh niên ra quân chuyển đổi số"]


def build(path: Path, today: date, n_assignments: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(path)
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        units, group_ids, unit_ids = [], [], []
        uid = 0
        for order, (code, name, kind, count) in enumerate(GROUPS, 1):
            uid += 1
            group_ids.append(uid)
            units.append(dict(id=uid, parent_id=None, is_group=True, kind=kind.value, code=f"NHOM-{code}", name=name,
                              short_name="", sort_order=order, search_key=search_key(name, f"NHOM-{code}")))
            gid = uid
            for i in range(1, count + 1):
                uid += 1
                place = f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"
                prefix = {"XA": "UBND xã", "PHUONG": "UBND phường", "SO": "Sở", "TRUONG": "Trường THCS",
                          "DT": "Hội"}[code]
                unit_name = f"{prefix} {place} {i}"
                ucode = f"{code}-{i:04d}"
                units.append(dict(id=uid, parent_id=gid, is_group=False, kind=kind.value, code=ucode, name=unit_name,
                                  short_name=f"{place} {i}", sort_order=i, search_key=search_key(unit_name, ucode)))
                unit_ids.append(uid)
        conn.execute(insert(Unit.__table__), units)
        directives, tasks, indicators = [], [], []
        n_tasks = 5000
        n_directives = 500
        for d in range(1, n_directives + 1):
            number = f"{d}/KH-UBND"
            title = f"Kế hoạch triển khai nhiệm vụ văn hóa, thông tin năm {2023 + d % 3} (đợt {d})"
            directives.append(dict(id=d, number=number, issued_on=date(2023 + d % 3, 1 + d % 12, 1 + d % 27),
                                   issuer="UBND thành phố", doc_type=DirectiveType.PLAN.value, title=title,
                                   search_key=search_key(number, "UBND thành phố", title),
                                   created_at=datetime.now(timezone.utc)))
        for t in range(1, n_tasks + 1):
            d = (t - 1) // (n_tasks // n_directives) + 1
            start = today - timedelta(days=rng.randint(-60, 700))
            due = start + timedelta(days=rng.randint(7, 90))
            title = f"Nhiệm vụ {t}: tuyên truyền {rng.choice(SYLLABLES).lower()} {rng.choice(SYLLABLES).lower()}"
            tasks.append(dict(id=t, directive_id=d, sort_order=t, title=title, content="", kind=TaskKind.ONCE.value,
                              start_date=start, due_date=due, search_key=search_key(title)))
            indicators.append(dict(task_id=t, sort_order=1, name="Số tin bài", measure="tin", value_type="integer"))
        conn.execute(insert(Directive.__table__), directives)
        conn.execute(insert(Task.__table__), tasks)
        conn.execute(insert(Indicator.__table__), indicators)
        per_task = n_assignments // n_tasks
        assignments, reports, extensions = [], [], []
        aid = 0
        for task in tasks:
            chosen = rng.sample(unit_ids, per_task)
            for k, unit in enumerate(chosen):
                aid += 1
                due = task["due_date"]
                roll = rng.random()
                state, completed, accepted = AssignmentState.NOT_STARTED.value, None, None
                if roll < 0.03:
                    state = AssignmentState.PAUSED.value
                elif roll < 0.05:
                    state = AssignmentState.CANCELLED.value
                elif due < today + timedelta(days=30):
                    fate = rng.random()
                    done = None
                    if fate < 0.6:
                        done = task["start_date"] + timedelta(days=rng.randint(0, (due - task["start_date"]).days))
                    elif fate < 0.8:
                        done = due + timedelta(days=rng.randint(1, 20))
                    if done is not None and done <= today:
                        state, completed, accepted = AssignmentState.DONE.value, done, min(today, done + timedelta(2))
                        reports.append(dict(assignment_id=aid, received_on=min(today, done + timedelta(1)),
                                            channel=Channel.E_OFFICE.value, unit_doc_number=f"{rng.randint(1, 999)}/BC",
                                            content=rng.choice(CONTENT), completed_on=done, source_file="",
                                            created_at=datetime.now(timezone.utc)))
                if rng.random() < 0.03:
                    extensions.append(dict(assignment_id=aid, old_due=due, new_due=due + timedelta(days=10),
                                           reason="Gia hạn", approving_doc="", granted_on=due,
                                           created_at=datetime.now(timezone.utc)))
                assignments.append(dict(id=aid, task_id=task["id"], unit_id=unit, period="",
                                        role=Role.LEAD.value if k == 0 else Role.EXECUTE.value, due_date=due,
                                        state=state, completed_on=completed, accepted_on=accepted, note=""))
        for chunk in range(0, len(assignments), 20000):
            conn.execute(insert(Assignment.__table__), assignments[chunk:chunk + 20000])
        for chunk in range(0, len(reports), 20000):
            conn.execute(insert(UnitReport.__table__), reports[chunk:chunk + 20000])
        conn.execute(insert(Extension.__table__), extensions)
    db.dispose()
    print(f"{len(unit_ids)} đơn vị, {n_tasks} nhiệm vụ, {len(assignments)} lượt giao, {len(reports)} báo cáo "
          f"({time.perf_counter() - t0:.1f} s) -> {path}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--today", default="2025-10-08")
    parser.add_argument("--assignments", type=int, default=200_000)
    args = parser.parse_args()
    build(Path(args.path), date.fromisoformat(args.today), args.assignments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
