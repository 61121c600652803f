"""Hand-written ground truth for the directives in tests/data/directives, and the scoring used to
report how many tasks, units and dates the reader gets right.

Units are codes of the built-in organisation (resources/default_units.json = the demo's).
A truth task is found among the proposals by a phrase of its source sentence (``key``).
Reading choices written down here:
- a heading that only introduces items ("1. Giao phòng A, phòng B:") is not a task; its items are;
- explanations under an item ("+ Chủ đề ...: ...") belong to the item's task;
- in a Kế hoạch, the "Mục tiêu" and "Kinh phí" sections hold no tasks, each top item of "Nội dung"
  is one task, and "Tổ chức thực hiện" gives one task per item;
- units the organisation does not have (city departments) are not assignees;
- "trước ngày 15/10/2022" proposes 15/10/2022, as written (the office's decision).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "directives"
_UNITS = json.loads((Path(__file__).resolve().parents[2] / "resources" / "default_units.json").read_text("utf-8"))


def kind(k: str) -> list[str]:
    return [u["code"] for u in _UNITS["units"] if u["kind"] == k]


WARDS = kind("phuong")
OFFICES = kind("phong_ban")
SCHOOLS = kind("truong_hoc")
MASS = kind("doan_the")
CENTRE = kind("trung_tam")
SECONDARY = [c for c in SCHOOLS if c.startswith(("THCS", "THPT"))]


@dataclass
class T:
    key: str
    lead: list[str] = field(default_factory=list)
    coord: list[str] = field(default_factory=list)
    execute: list[str] = field(default_factory=list)
    start: str | None = None
    due: str | None = None
    report: str | None = None
    recurrence: str | None = None

    @property
    def units(self) -> dict[str, str]:
        roles = {c: "thuc_hien" for c in self.execute}
        roles.update({c: "phoi_hop" for c in self.coord})
        roles.update({c: "chu_tri" for c in self.lead})
        return roles


SEED_2022 = {
    "doc": {"doc_number": None, "doc_date": None, "issuer": "Ủy ban nhân dân quận", "doc_type": "cong_van",
            "title": None},
    "tasks": [
        T("Chủ trì, phối hợp cùng Trung tâm Văn hóa", lead=["VHTT"], coord=["TTVH"],
          start="2022-10-10", due="2022-10-31"),
        T("Chủ trì, phối hợp phòng Giáo dục và Đào tạo, các trường", lead=["VHTT"], coord=["GDDT"] + SECONDARY,
          report="2022-10-15"),
        T("Phòng Giáo dục và Đào tạo phối hợp phòng Văn hóa", lead=["GDDT"], coord=["VHTT"] + SECONDARY),
        T("Giao Văn phòng Hội đồng nhân dân", execute=["VPUB"]),
        T("Giao các phòng quản lý nhà nước", execute=OFFICES + CENTRE),
        T("Thực hiện công tác tuyên truyền về Ngày Chuyển đổi số", execute=WARDS),
        T("Nghiên cứu tổ chức các hoạt động, sự kiện về hoạt động chuyển đổi số trên địa bàn phường", execute=WARDS),
    ],
}

SEED_2023 = {
    "doc": {"doc_number": None, "doc_date": None, "issuer": "Ủy ban nhân dân thành phố Hải Phòng",
            "doc_type": "ke_hoach", "title": "Truyền thông về chuyển đổi số trên địa bàn thành phố Hải Phòng năm 2023"},
    "tasks": [
        T("Tuyên truyền hoạt động chỉ đạo, điều hành"),
        T("Tuyên truyền, phổ biến nội dung chỉ đạo về chuyển đổi số"),
        T("Tuyên truyền các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm"),
        T("Thông tin tuyên truyền các chương trình"),
        T("Thông tin, chia sẻ kinh nghiệm"),
        T("Hướng dẫn tuyên truyền và triển khai kênh"),
        T("Là cơ quan chủ trì, giúp Ủy ban"),
        T("Chỉ đạo, hướng dẫn các cơ quan báo chí"),
        T("Chủ trì, phối hợp với các cơ quan, địa phương"),
        T("Tổng hợp dự toán kinh phí"),
        T("Phối hợp với Sở Thông tin và Truyền thông, tham mưu"),
        T("Đối với các Sở, ngành"),
        T("Uỷ ban nhân dân các quận, huyện, xã, phường", execute=WARDS),
    ],
}

_RECIPIENTS_2024 = [c for c in OFFICES if c != "VHTT"] + MASS + CENTRE + WARDS + SCHOOLS
SEED_2024 = {
    "doc": {"doc_number": "/VHTT", "doc_date": None, "issuer": "Phòng Văn hóa và Thông tin quận",
            "doc_type": "cong_van",
            "title": "Tuyên truyền triển khai Ngày Chuyển đổi số quốc gia, Ngày Chuyển đổi số thành phố năm 2024"},
    "tasks": [
        T("Tuyên truyền về chủ đề, mục đích", execute=_RECIPIENTS_2024),
        T("Chủ động triển khai các nhiệm vụ", execute=_RECIPIENTS_2024),
        T("Phát động phong trào thi đua", execute=_RECIPIENTS_2024),
        T("Phát động và tổ chức chương trình", execute=_RECIPIENTS_2024),
        T("Tổ chức ra quân Tổ Công nghệ số", execute=_RECIPIENTS_2024),
        T("Tìm kiếm và tôn vinh", execute=_RECIPIENTS_2024),
        T("Phổ cập, truyền thông bộ nhận diện", execute=_RECIPIENTS_2024, start="2024-10-01", due="2024-10-10"),
        T("Khuyến khích cán bộ, công chức", execute=_RECIPIENTS_2024, start="2024-10-01", due="2024-10-10"),
    ],
}

SEEDS = {
    "2022-cv-ubnd-quan-ngay-cds.txt": SEED_2022,
    "2023-kh-ubnd-tp-truyen-thong-cds.txt": SEED_2023,
    "2024-cv-vhtt-ngay-cds.txt": SEED_2024,
}


# ------------------------------------------------------------------ scoring

@dataclass
class Counts:
    tp: int = 0
    predicted: int = 0
    truth: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.truth if self.truth else 1.0

    def __str__(self) -> str:
        return f"{self.tp}/{self.predicted} đúng (P={self.precision:.2f}), {self.tp}/{self.truth} tìm thấy " \
               f"(R={self.recall:.2f})"


@dataclass
class Score:
    tasks: Counts
    units: Counts  # (task, unit) pairs over matched tasks
    roles: Counts  # (task, unit, role) triples over matched tasks
    dates: Counts  # non-empty date fields (start, due, report, recurrence) over matched tasks
    missed: list[str]
    extra: list[str]


def match_tasks(proposal, truth_tasks: list[T]) -> tuple[dict[int, int], list[str]]:
    """truth index -> proposal index, by the key phrase appearing in the evidence."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    missed = []
    for i, t in enumerate(truth_tasks):
        for j, task in enumerate(proposal.tasks):
            if j not in used and t.key in task.evidence:
                pairs[i] = j
                used.add(j)
                break
        else:
            missed.append(t.key)
    return pairs, missed


def score(proposal, truth: dict) -> Score:
    truth_tasks: list[T] = truth["tasks"]
    pairs, missed = match_tasks(proposal, truth_tasks)
    tasks = Counts(len(pairs), len(proposal.tasks), len(truth_tasks))
    units, roles, dates = Counts(), Counts(), Counts()
    for i, j in pairs.items():
        t, p = truth_tasks[i], proposal.tasks[j]
        want = t.units
        got = {a.unit.code: a.role for a in p.assignments}
        units.truth += len(want)
        units.predicted += len(got)
        units.tp += len(set(want) & set(got))
        roles.truth += len(want)
        roles.predicted += len(got)
        roles.tp += sum(1 for c, r in got.items() if want.get(c) == r)
        want_dates = {"start": t.start, "due": t.due, "report": t.report, "recurrence": t.recurrence}
        got_dates = {"start": _iso(p.start_date), "due": _iso(p.due_date), "report": _iso(p.report_due_date),
                     "recurrence": p.recurrence}
        dates.truth += sum(1 for v in want_dates.values() if v)
        dates.predicted += sum(1 for v in got_dates.values() if v)
        dates.tp += sum(1 for k, v in got_dates.items() if v and v == want_dates[k])
    extra = [p.evidence[:60] for j, p in enumerate(proposal.tasks) if j not in pairs.values()]
    return Score(tasks, units, roles, dates, missed, extra)


def _iso(d):
    return d.isoformat() if d else None


def doc_fields_right(proposal, truth: dict) -> tuple[int, int]:
    got = proposal.to_dict()
    want = truth["doc"]
    return sum(1 for k, v in want.items() if got[k] == v), len(want)


if __name__ == "__main__":  # python tests/intake/intake_truth.py: the table for the report
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from intake_corpus import CORPUS  # noqa: E402

    from desktop.intake import read_directive

    for name, truth in list(SEEDS.items()) + list(CORPUS.items()):
        source = truth.get("source") or (DATA / name)
        proposal = read_directive(source() if callable(source) else source, filename=name)
        s = score(proposal, truth)
        ok, total = doc_fields_right(proposal, truth)
        print(f"{name}\n  nhiệm vụ: {s.tasks}\n  đơn vị:   {s.units}\n  vai trò:  {s.roles}\n"
              f"  ngày:     {s.dates}\n  thông tin văn bản: {ok}/{total}")
        if s.missed:
            print("  bỏ sót:", s.missed)
        if s.extra:
            print("  thừa:", s.extra)
