"""Deterministic test data at the scales of product.md, written with bulk inserts.

District: 60 units, 1,500 tasks, 40,000 assignments. City: 1,000 units, 5,000 tasks, 200,000
assignments. One directive (the "grid directive", id 1) gives 30 tasks to every unit, so the
task x unit grid and the Word report can be timed at full width. Results are spread the way a
real office's are: most past deadlines met, some late, some overdue; reports with figures,
extensions and reminders; a few paused or cancelled.

The same scale and seed always give the same rows (ids included): the random generator is seeded
and nothing depends on the clock. Rows are inserted with SQLAlchemy Core ``executemany``; the ORM
(and with it the change log) is bypassed on purpose, as for any bulk load.

    python -m bench.generate city /tmp/city.db
"""

from __future__ import annotations

import math
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from pathlib import Path
from typing import Iterator

from sqlalchemy import func, insert, select, text

from db.models import (
    Assignment,
    AssignmentState,
    Channel,
    Directive,
    DirectiveType,
    Evidence,
    Extension,
    Indicator,
    Reminder,
    ReminderItem,
    ReportFigure,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitKind,
    UnitReport,
)
from db.textkey import search_key

BENCH_TODAY = date(2025, 10, 8)
SEED = 20251008
CHUNK = 20_000


@dataclass(frozen=True)
class Scale:
    name: str
    units: int  # units that receive tasks (groups come on top)
    tasks: int
    assignments: int
    directives: int
    grid_tasks: int = 30  # tasks of the grid directive, each given to every unit

    @property
    def grid_assignments(self) -> int:
        return self.grid_tasks * self.units


SCALES = {
    "district": Scale("district", units=60, tasks=1_500, assignments=40_000, directives=250),
    "city": Scale("city", units=1_000, tasks=5_000, assignments=200_000, directives=700),
}


@dataclass
class Counts:
    units: int = 0
    groups: int = 0
    directives: int = 0
    tasks: int = 0
    indicators: int = 0
    assignments: int = 0
    reports: int = 0
    figures: int = 0
    evidence: int = 0
    extensions: int = 0
    reminders: int = 0
    reminder_items: int = 0
    states: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (f"{self.units} đơn vị ({self.groups} nhóm), {self.directives} văn bản, {self.tasks} nhiệm vụ, "
                f"{self.assignments} lượt giao, {self.reports} báo cáo, {self.figures} số liệu, "
                f"{self.extensions} gia hạn, {self.reminders} lần đôn đốc")


# ---------------------------------------------------------------- vocabulary

PLACES = ["An Bình", "An Hòa", "Bình Minh", "Cát Bi", "Cầu Đất", "Đằng Hải", "Đông Hải", "Đông Khê", "Gia Viên",
          "Hải An", "Hòa Nghĩa", "Hưng Đạo", "Kiến An", "Lạc Viên", "Lãm Hà", "Lê Lợi", "Minh Đức", "Nam Sơn",
          "Ngọc Sơn", "Phù Liễn", "Quán Trữ", "Tân Dương", "Thành Tô", "Thủy Đường", "Tràng Cát", "Tràng Minh",
          "Văn Đẩu", "Vạn Mỹ", "Vĩnh Niệm", "Máy Chai", "Máy Tơ", "Cầu Tre", "Đổng Quốc Bình", "Lạch Tray",
          "Dư Hàng", "Hàng Kênh", "An Dương", "Trần Nguyên Hãn", "Niệm Nghĩa", "Nghĩa Xá", "Đồng Hòa", "Bắc Sơn",
          "Ngọc Xuyên", "Hợp Đức", "Bàng La", "Tân Thành", "Lưu Kiếm", "Phục Lễ", "Tam Hưng", "Thủy Sơn"]
OFFICES = ["Văn phòng", "Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Giáo dục và Đào tạo", "Sở Y tế",
           "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Xây dựng", "Sở Công Thương",
           "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo", "Thanh tra", "Ban Quản lý các khu công nghiệp",
           "Công an", "Bộ Chỉ huy Quân sự", "Đài Phát thanh và Truyền hình", "Báo", "Trung tâm Văn hóa - Điện ảnh",
           "Trung tâm Thông tin - Triển lãm"]
MASS_ORGS = ["Ủy ban Mặt trận Tổ quốc Việt Nam", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
             "Hội Cựu chiến binh", "Hội Nông dân", "Liên đoàn Lao động", "Hội Chữ thập đỏ", "Hội Người cao tuổi"]
SCHOOL_LEVELS = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường THPT"]
ISSUERS = ["UBND thành phố", "UBND quận", "Sở Văn hóa, Thể thao và Du lịch", "Ban Tuyên giáo", "Văn phòng UBND"]
DOC_KINDS = [(DirectiveType.PLAN, "KH"), (DirectiveType.OFFICIAL_LETTER, "CV"), (DirectiveType.DECISION, "QĐ"),
             (DirectiveType.NOTICE, "TB"), (DirectiveType.INSTRUCTION, "CT"), (DirectiveType.GUIDANCE, "HD")]
TOPICS = ["Ngày Chuyển đổi số quốc gia", "phòng, chống dịch bệnh", "Tháng hành động vì an toàn thực phẩm",
          "xây dựng đời sống văn hóa ở khu dân cư", "kỷ niệm Ngày Quốc khánh 2/9", "Tết Nguyên đán",
          "bầu cử đại biểu Quốc hội và HĐND các cấp", "phòng, chống bạo lực gia đình", "Ngày Sách và Văn hóa đọc",
          "an toàn giao thông", "cải cách hành chính", "bảo vệ môi trường", "phổ biến, giáo dục pháp luật",
          "Đại hội Thể dục thể thao", "quản lý quảng cáo ngoài trời", "Ngày Gia đình Việt Nam",
          "phòng cháy, chữa cháy", "Tháng hành động vì trẻ em", "xây dựng chính quyền điện tử",
          "sáp nhập đơn vị hành chính cấp xã"]
ACTIONS = ["Tuyên truyền", "Treo băng rôn, khẩu hiệu về", "Tổ chức hội nghị quán triệt", "Đăng tải tin, bài về",
           "Phát thanh trên hệ thống loa truyền thanh về", "Kiểm tra, giám sát việc thực hiện",
           "Báo cáo kết quả thực hiện", "Tổ chức các hoạt động hưởng ứng", "Rà soát, thống kê", "Xây dựng kế hoạch"]
INDICATORS = [("Số tin, bài tuyên truyền", "tin, bài", 40), ("Số buổi phát thanh", "buổi", 25),
              ("Số băng rôn, khẩu hiệu", "chiếc", 30), ("Số lượt người tham gia", "lượt người", 800),
              ("Số hội nghị đã tổ chức", "hội nghị", 3), ("Kinh phí thực hiện", "triệu đồng", 15)]
CONTENTS = ["Đã tổ chức tuyên truyền trên hệ thống loa truyền thanh {n} buổi.",
            "Đã treo {n} băng rôn, khẩu hiệu tại trụ sở và các tuyến đường chính.",
            "Đã đăng tải {n} tin, bài trên Trang thông tin điện tử của đơn vị.",
            "Đã tổ chức hội nghị quán triệt cho cán bộ, công chức, người lao động với {n} lượt người tham dự.",
            "Đã xây dựng kế hoạch và triển khai đến các tổ dân phố; đang tiếp tục thực hiện.",
            "Đã phối hợp với Đoàn Thanh niên ra quân hỗ trợ người dân cài đặt ứng dụng ({n} lượt).",
            "Đã rà soát, thống kê và gửi số liệu theo mẫu."]
RETURN_NOTES = ["Yêu cầu bổ sung: thiếu số liệu kèm theo.", "Yêu cầu bổ sung: chưa có hình ảnh minh chứng."]


# ---------------------------------------------------------------- helpers


def _chunks(rows: list[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _stamp(day: date, minute: int = 0) -> datetime:
    return datetime.combine(day, dtime(8, 0), tzinfo=timezone.utc) + timedelta(minutes=minute)


def _split(total: int, parts: int, rng: random.Random, weights: list[float]) -> list[int]:
    """``parts`` positive integers summing to ``total``, roughly proportional to ``weights``."""
    scale = (total - parts) / sum(weights)
    raw = [1 + w * scale for w in weights]
    sizes = [int(x) for x in raw]
    short = total - sum(sizes)
    order = sorted(range(parts), key=lambda i: (raw[i] - sizes[i], rng.random()), reverse=True)
    for i in order[:short]:
        sizes[i] += 1
    return sizes


def _group_plan(scale: Scale) -> list[tuple[str, str, str, int]]:
    """(code, name, kind, member count) of the unit groups, members adding up to ``scale.units``."""
    if scale.units >= 500:  # a city after 2025: communes and wards, departments, schools, organisations
        shares = [("XA", "UBND các xã", UnitKind.WARD.value, 0.36), ("PHUONG", "UBND các phường", UnitKind.WARD.value, 0.24),
                  ("SO", "Sở, ban, ngành", UnitKind.OFFICE.value, 0.06), ("TRUONG", "Trường học", UnitKind.SCHOOL.value, 0.28),
                  ("DT", "Mặt trận và đoàn thể", UnitKind.MASS_ORG.value, 0.06)]
    else:  # a district office
        shares = [("PHUONG", "UBND các phường", UnitKind.WARD.value, 0.30), ("PHONG", "Phòng, ban chuyên môn", UnitKind.OFFICE.value, 0.25),
                  ("SUNGHIEP", "Đơn vị sự nghiệp", UnitKind.CENTRE.value, 0.08), ("DOANTHE", "Mặt trận và đoàn thể", UnitKind.MASS_ORG.value, 0.12),
                  ("TRUONG", "Trường học", UnitKind.SCHOOL.value, 0.25)]
    counts = [max(1, round(scale.units * s)) for *_, s in shares]
    counts[-1] += scale.units - sum(counts)
    return [(code, name, kind, n) for (code, name, kind, _), n in zip(shares, counts)]


def _unit_name(group: str, i: int, rng: random.Random) -> tuple[str, str]:
    place = PLACES[(i * 7 + len(group)) % len(PLACES)]
    round_no = i // len(PLACES)
    suffix = f" {round_no + 1}" if round_no else ""
    if group == "XA":
        return f"UBND xã {place}{suffix}", f"Xã {place}{suffix}"
    if group == "PHUONG":
        return f"UBND phường {place}{suffix}", f"P. {place}{suffix}"
    if group in ("SO", "PHONG"):
        base = OFFICES[i % len(OFFICES)]
        extra = f" - {place}" if i >= len(OFFICES) else ""
        return f"{base}{extra}", f"{base}{extra}"
    if group in ("DT", "DOANTHE"):
        base = MASS_ORGS[i % len(MASS_ORGS)]
        extra = f" {place}" if i >= len(MASS_ORGS) else ""
        return f"{base}{extra}", f"{base}{extra}"
    if group == "SUNGHIEP":
        return f"Trung tâm Văn hóa - Thông tin và Thể thao {place}", f"TTVH {place}"
    level = SCHOOL_LEVELS[rng.randrange(len(SCHOOL_LEVELS))]
    return f"{level} {place}{suffix}", f"{level.removeprefix('Trường ')} {place}{suffix}"


# ---------------------------------------------------------------- the generator


class _Builder:
    def __init__(self, scale: Scale, seed: int, today: date):
        self.scale, self.today = scale, today
        self.rng = random.Random(seed)
        self.counts = Counts()
        self.units: list[dict] = []
        self.member_ids: list[int] = []  # units that receive tasks, in group order
        self.directives: list[dict] = []
        self.tasks: list[dict] = []
        self.indicators: list[dict] = []
        self.task_indicators: dict[int, list[tuple[int, int]]] = {}  # task id -> [(indicator id, typical value)]
        self.assignments: list[dict] = []
        self.reports: list[dict] = []
        self.figures: list[dict] = []
        self.evidence: list[dict] = []
        self.extensions: list[dict] = []
        self.reminders: list[dict] = []
        self.reminder_items: list[dict] = []

    # units -------------------------------------------------------
    def build_units(self) -> None:
        uid = 0
        for order, (code, name, kind, count) in enumerate(_group_plan(self.scale), 1):
            uid += 1
            gid = uid
            gcode = f"NHOM-{code}"
            self.units.append(dict(id=gid, parent_id=None, is_group=True, kind=kind, code=gcode, name=name,
                                   short_name=name, sort_order=order, search_key=search_key(name, gcode)))
            self.counts.groups += 1
            for i in range(count):
                uid += 1
                full, short = _unit_name(code, i, self.rng)
                ucode = f"{code}-{i + 1:04d}"
                self.units.append(dict(id=uid, parent_id=gid, is_group=False, kind=kind, code=ucode, name=full,
                                       short_name=short, sort_order=i + 1, phone=f"0225.3{self.rng.randrange(10**6):06d}",
                                       search_key=search_key(full, short, ucode)))
                self.member_ids.append(uid)
        self.counts.units = len(self.member_ids)

    # directives and tasks ----------------------------------------
    def build_directives_and_tasks(self) -> None:
        sc, rng = self.scale, self.rng
        # Tasks per directive: the grid directive has grid_tasks; the others share the rest.
        weights = [rng.paretovariate(1.6) for _ in range(sc.directives - 1)]
        per_directive = [sc.grid_tasks] + _split(sc.tasks - sc.grid_tasks, sc.directives - 1, rng,
                                                 [min(w, 12) for w in weights])
        first_day = self.today - timedelta(days=3 * 365)
        task_id = 0
        for d_index, n_tasks in enumerate(per_directive, 1):
            kind, symbol = DOC_KINDS[rng.randrange(len(DOC_KINDS))]
            if d_index == 1:
                kind, symbol = DirectiveType.PLAN, "KH"
                issued = self.today - timedelta(days=40)
            else:
                issued = first_day + timedelta(days=int((d_index / sc.directives) * 3 * 365) + rng.randrange(10))
            issuer = ISSUERS[rng.randrange(len(ISSUERS))]
            topic = TOPICS[rng.randrange(len(TOPICS))]
            number = f"{d_index}/{symbol}-UBND"
            title = (f"Kế hoạch thực hiện các nhiệm vụ trọng tâm năm {issued.year} trên địa bàn" if d_index == 1
                     else f"Về việc {topic} năm {issued.year}")
            self.directives.append(dict(id=d_index, number=number, issued_on=issued, received_on=issued + timedelta(days=2),
                                        issuer=issuer, doc_type=kind.value, title=title, file_path="", notes="",
                                        search_key=search_key(number, issuer, title),
                                        created_at=_stamp(issued, d_index % 500)))
            for order in range(1, n_tasks + 1):
                task_id += 1
                action = ACTIONS[rng.randrange(len(ACTIONS))]
                t_topic = topic if rng.random() < 0.7 else TOPICS[rng.randrange(len(TOPICS))]
                start = issued + timedelta(days=rng.randrange(0, 10))
                due = start + timedelta(days=rng.choice((7, 10, 14, 15, 20, 30, 45, 60, 90)))
                task_kind = TaskKind.ONCE.value
                if rng.random() < 0.04:
                    task_kind, due = TaskKind.ONGOING.value, None
                title_t = f"{action} {t_topic}"
                content = (f"{title_t}; hoàn thành trước ngày {due:%d/%m/%Y}." if due else f"{title_t} thường xuyên.")
                self.tasks.append(dict(id=task_id, directive_id=d_index, sort_order=order, title=title_t, content=content,
                                       kind=task_kind, start_date=start, due_date=due,
                                       report_due_date=due, recurrence="",
                                       search_key=search_key(title_t, content[:600])))
                if rng.random() < 0.5:
                    picks = rng.sample(range(len(INDICATORS)), rng.randint(1, 3))
                    for k, pick in enumerate(picks, 1):
                        name, measure, typical = INDICATORS[pick]
                        ind_id = len(self.indicators) + 1
                        self.indicators.append(dict(id=ind_id, task_id=task_id, sort_order=k, name=name,
                                                    measure=measure, value_type="integer"))
                        self.task_indicators.setdefault(task_id, []).append((ind_id, typical))
        self.counts.directives, self.counts.tasks = len(self.directives), len(self.tasks)
        self.counts.indicators = len(self.indicators)

    # assignments and results -------------------------------------
    def build_assignments(self) -> None:
        sc, rng = self.scale, self.rng
        members = self.member_ids
        grid_task_ids = [t["id"] for t in self.tasks if t["directive_id"] == 1]
        other_tasks = [t for t in self.tasks if t["directive_id"] != 1]
        rest = sc.assignments - len(grid_task_ids) * len(members)
        if not len(other_tasks) <= rest <= len(other_tasks) * len(members):
            raise ValueError("scale: the assignments do not fit the tasks and units")
        # Most tasks go to a handful of units, some to a whole group, a few to nearly everyone.
        weights = []
        for _ in other_tasks:
            r = rng.random()
            weights.append(rng.uniform(1, 6) if r < 0.55 else rng.uniform(8, 60) if r < 0.9 else rng.uniform(80, 400))
        sizes = _split(rest, len(other_tasks), rng, weights)
        overflow = 0
        for i, size in enumerate(sizes):  # no task can have more units than there are
            if size > len(members):
                overflow += size - len(members)
                sizes[i] = len(members)
        i = 0
        while overflow:
            if sizes[i] < len(members):
                add = min(overflow, len(members) - sizes[i])
                sizes[i] += add
                overflow -= add
            i = (i + 1) % len(sizes)
        plan = [(tid, len(members)) for tid in grid_task_ids] + [(t["id"], n) for t, n in zip(other_tasks, sizes)]
        tasks_by_id = {t["id"]: t for t in self.tasks}
        aid = 0
        for task_id, n_units in plan:
            task = tasks_by_id[task_id]
            if n_units == len(members):
                chosen = members
            else:  # a contiguous run (units of one group together), like "all wards of the east"
                begin = rng.randrange(len(members))
                chosen = [members[(begin + k) % len(members)] for k in range(n_units)]
            for k, unit_id in enumerate(chosen):
                aid += 1
                role = Role.LEAD.value if k == 0 else (Role.COORDINATE.value if k < 3 and n_units > 3 else Role.EXECUTE.value)
                self._assignment(aid, task, unit_id, role)
        self.counts.assignments = len(self.assignments)

    def _assignment(self, aid: int, task: dict, unit_id: int, role: str) -> None:
        rng, today = self.rng, self.today
        due: date | None = task["due_date"]
        start: date = task["start_date"]
        state = AssignmentState.NOT_STARTED.value
        completed = accepted = None
        note = ""
        r = rng.random()
        if r < 0.015:
            state = AssignmentState.CANCELLED.value
        elif r < 0.03:
            state = AssignmentState.PAUSED.value
        else:
            horizon = (due or today) if due is None or due <= today else today
            past = due is not None and due < today
            # how likely the unit has done it, and how late
            p_done = 0.82 if past else (0.35 if start <= today else 0.0)
            if due is None:
                p_done = 0.25
            if rng.random() < p_done:
                if due is not None and rng.random() < 0.18:
                    completed = due + timedelta(days=rng.randint(1, 25))  # late
                else:
                    span = max(((due or horizon) - start).days, 1)
                    completed = start + timedelta(days=rng.randint(0, span))
                if completed > today:
                    completed = today
                if rng.random() < 0.85:
                    state = AssignmentState.DONE.value
                    accepted = min(completed + timedelta(days=rng.randint(0, 5)), today)
                elif rng.random() < 0.8:
                    state = AssignmentState.REPORTED.value
                else:
                    state = AssignmentState.RETURNED.value
                    note = RETURN_NOTES[rng.randrange(len(RETURN_NOTES))]
                    completed = None
            elif start <= today and rng.random() < 0.5:
                state = AssignmentState.IN_PROGRESS.value
        self.counts.states[state] = self.counts.states.get(state, 0) + 1
        self.assignments.append(dict(id=aid, task_id=task["id"], unit_id=unit_id, period="", role=role, due_date=due,
                                     state=state, completed_on=completed, accepted_on=accepted, note=note))
        if state in (AssignmentState.DONE.value, AssignmentState.REPORTED.value, AssignmentState.RETURNED.value):
            self._report(aid, task, completed, state)
        if due is not None and state != AssignmentState.CANCELLED.value and rng.random() < 0.03:
            new_due = due + timedelta(days=rng.choice((7, 10, 15, 30)))
            self.extensions.append(dict(id=len(self.extensions) + 1, assignment_id=aid, old_due=due, new_due=new_due,
                                        reason="Đơn vị đề nghị gia hạn do chờ bố trí kinh phí", approving_doc="",
                                        granted_on=min(due, today), created_at=_stamp(min(due, today))))

    def _report(self, aid: int, task: dict, completed: date | None, state: str) -> None:
        rng = self.rng
        received = completed or min(task["due_date"] or self.today, self.today)
        received = min(received + timedelta(days=rng.randint(0, 3)), self.today)
        n = rng.randint(1, 40)
        content = CONTENTS[rng.randrange(len(CONTENTS))].format(n=n)
        number = f"{rng.randint(1, 480)}/BC-UBND"
        rid = len(self.reports) + 1
        channel = (Channel.E_OFFICE, Channel.EMAIL, Channel.ZALO, Channel.PAPER)[rng.randrange(4)].value
        self.reports.append(dict(id=rid, assignment_id=aid, received_on=received, channel=channel, unit_doc_number=number,
                                 content=content, completed_on=completed, source_file="",
                                 created_at=_stamp(received, rid % 600), search_key=search_key(number, content)))
        for ind_id, typical in self.task_indicators.get(task["id"], ()):
            if rng.random() < 0.9:
                value = max(0, round(rng.lognormvariate(math.log(typical), 0.6)))
                self.figures.append(dict(id=len(self.figures) + 1, report_id=rid, indicator_id=ind_id,
                                         value_number=float(value), value_text=""))
        if rng.random() < 0.1:
            self.evidence.append(dict(id=len(self.evidence) + 1, report_id=rid, kind="link",
                                      target=f"https://thongtin.example.vn/tin/{rid}", label=""))

    def build_reminders(self) -> None:
        """Letters chasing overdue units: per directive, some of its overdue assignments."""
        open_states = {AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value, AssignmentState.RETURNED.value}
        task_directive = {t["id"]: t["directive_id"] for t in self.tasks}
        overdue: dict[int, list[int]] = {}
        for a in self.assignments:
            if a["state"] in open_states and a["due_date"] is not None and a["due_date"] < self.today:
                overdue.setdefault(task_directive[a["task_id"]], []).append(a["id"])
        for directive_id in sorted(overdue):
            ids = overdue[directive_id]
            if self.rng.random() < 0.4:
                continue
            rid = len(self.reminders) + 1
            sent = self.today - timedelta(days=self.rng.randint(1, 60))
            method = "cong_van" if self.rng.random() < 0.5 else "dien_thoai"
            self.reminders.append(dict(id=rid, sent_on=sent, method=method,
                                       letter_number=f"{rid}/VHTT" if method == "cong_van" else "", note="",
                                       file_path="", created_at=_stamp(sent)))
            for aid in ids[: max(1, len(ids) // 2)]:
                self.reminder_items.append(dict(id=len(self.reminder_items) + 1, reminder_id=rid, assignment_id=aid))

    def finish_counts(self) -> None:
        c = self.counts
        c.reports, c.figures, c.evidence = len(self.reports), len(self.figures), len(self.evidence)
        c.extensions, c.reminders, c.reminder_items = len(self.extensions), len(self.reminders), len(self.reminder_items)

    def tables(self) -> list[tuple[object, list[dict]]]:
        return [(Unit, self.units), (Directive, self.directives), (Task, self.tasks), (Indicator, self.indicators),
                (Assignment, self.assignments), (UnitReport, self.reports), (ReportFigure, self.figures),
                (Evidence, self.evidence), (Extension, self.extensions), (Reminder, self.reminders),
                (ReminderItem, self.reminder_items)]


def build_rows(scale: Scale, seed: int = SEED, today: date = BENCH_TODAY) -> _Builder:
    """All rows in memory (deterministic for the same arguments)."""
    b = _Builder(scale, seed, today)
    b.build_units()
    b.build_directives_and_tasks()
    b.build_assignments()
    b.build_reminders()
    b.finish_counts()
    return b


def generate(target: str | Path, scale: Scale | str, seed: int = SEED, today: date = BENCH_TODAY,
             replace: bool = True) -> Counts:
    """Create (or replace) a database at ``target`` (a file path or a URL) filled at ``scale``."""
    from db.derived import refresh_derived
    from desktop.infra.database import open_database

    scale = SCALES[scale] if isinstance(scale, str) else scale
    location = str(target)
    if "://" not in location and replace:
        for suffix in ("", "-wal", "-shm"):
            Path(location + suffix).unlink(missing_ok=True)
    builder = build_rows(scale, seed, today)
    db = open_database(location, user="bench")
    try:
        with db.engine.begin() as conn:
            if conn.execute(select(func.count()).select_from(Unit)).scalar():
                raise ValueError(f"{location} already has data")
            for model, rows in builder.tables():
                for chunk in _chunks(rows):
                    conn.execute(insert(model.__table__), chunk)
            refresh_derived(conn)  # Core inserts bypass the ORM hook that keeps the derived columns
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequences past them
                for model, _ in builder.tables():
                    name = model.__tablename__
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"GREATEST((SELECT max(id) FROM {name}), 1))"))
        if db.engine.dialect.name == "postgresql":  # autovacuum would do it within minutes on a server
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        # SQLite: no ANALYZE, like an officer's own file (the app never runs it), so the timings
        # use the same query plans the officer gets.
    finally:
        db.dispose()
    return builder.counts


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.generate", description="Tạo dữ liệu thử ở quy mô quận/thành phố.")
    parser.add_argument("scale", choices=sorted(SCALES))
    parser.add_argument("target", help="tệp .db (bị ghi đè) hoặc URL postgresql:// của một cơ sở dữ liệu trống")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.target, args.scale, args.seed)
    print(f"{counts.line()} — {time.perf_counter() - started:.1f} s -> {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
