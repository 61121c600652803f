"""Báo cáo kết quả thực hiện: for a directive, a set of tasks or a period.

``collect_report`` reads everything in one session into plain data (counts come from
``desktop.tracking.stats`` so they match ``status --json``); ``render_report`` lays it out in the
official form; ``build_report`` does both and writes the file atomically.

Layout: header, "BÁO CÁO" + trích yếu, Kính gửi (when sent upward), the opening "Thực hiện ...",
I. Công tác chỉ đạo, triển khai; II. Kết quả thực hiện (per task: units on time, late, not done by
name, summed figures from accepted reports, the best reported content); III. Đánh giá chung;
IV. Phương hướng; V. Đề xuất, kiến nghị; "./.", signature and Nơi nhận; Phụ lục I (unit × task).

A large scope (a city office: 1,000 units × 30 tasks) reads differently: past ``NAMED_UNITS_MAX``
units the body gives counts (names only for lists of at most ``NAMED_LIST_MAX``, and the
``TOP_SLOW_UNITS`` units most behind), and past ``APPENDIX_MAX_ROWS`` appendix rows Phụ lục I is a
per-unit summary (grouped as in the tree, with the numbers of the tasks each unit is overdue on)
followed by only the overdue and late assignments; the full list is the Excel workbook's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Sequence

from docx.shared import Cm

from db.models import TaskKind
from db.queries import assignment_rows
from desktop.documents.common import (
    DirectiveInfo,
    FigureTotal,
    Lateness,
    LatestReport,
    TaskInfo,
    UnitTree,
    is_issuing_office,
    load_directives,
    load_figure_totals,
    load_latest_reports,
    load_lateness,
    load_reminders,
    load_tasks,
    period_label,
    reminder_summary,
)
from desktop.documents.form import TEXT_WIDTH_PORTRAIT, OfficialDocument
from desktop.documents.metrics import cell_twips, column_needs, fit_columns, longest_line_twips
from desktop.documents.ooxml import MERGE_UP, FullRow
from desktop.documents.text import DRAFT, DocumentError, Issue, decree_date, inline, vn_number
from desktop.labels import STATUS_SHORT, fmt_date, fmt_percent, fmt_period, roman, status_text
from desktop.settings import Settings, load_settings
from desktop.tracking.figures import TASK_PREFIX, number_tasks, task_label, task_order_key
from desktop.tracking.stats import Summary, Tracked, by_unit, summarize, track
from desktop.tracking.status import Status

Progress = Callable[[int, str], None]

POINT_LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]
MATRIX_MAX_TASKS = 8  # beyond this the appendix lists one row per assignment
PORTRAIT_MAX_TASKS = 3
# Beyond this many rows (units in the matrix, assignments in the list) Phụ lục I is a per-unit
# summary followed by only the assignments needing attention: a 30,000-row list is 600 pages.
APPENDIX_MAX_ROWS = 2000
# Beyond this many units the body gives counts instead of naming every unit (a city office
# follows 1,000 units: 30 tasks named unit by unit would be 300 pages) ...
NAMED_UNITS_MAX = 100
# ... except for lists this short, which are still named.
NAMED_LIST_MAX = 20
TOP_SLOW_UNITS = 10  # the units most behind, named in "Tồn tại, hạn chế" of a large report


_percent = fmt_percent


@dataclass
class TaskSection:
    info: TaskInfo
    directive: DirectiveInfo
    tracked: list[Tracked]
    summary: Summary
    figures: list[FigureTotal]
    highlights: list[tuple[str, str]]  # (unit name, content)

    def with_status(self, *statuses: Status) -> list[Tracked]:
        if len(statuses) == 1:
            return list(self._by_status.get(statuses[0], ()))
        return [t for t in self.tracked if t.status in statuses]

    @cached_property
    def _by_status(self) -> dict[Status, list[Tracked]]:
        """The task's assignments by status, in their order (one pass instead of one per status)."""
        out: dict[Status, list[Tracked]] = defaultdict(list)
        for t in self.tracked:
            out[t.status].append(t)
        return out

    @property
    def periodic(self) -> bool:
        return any(t.row.period for t in self.tracked)


@dataclass
class ReportData:
    today: date
    settings: Settings
    directives: list[DirectiveInfo]
    tasks: list[TaskSection]
    tracked: list[Tracked]
    summary: Summary
    tree: UnitTree
    lateness: dict[int, Lateness]
    reminders_text: str
    extensions: int
    due_from: date | None = None
    due_to: date | None = None
    partial_tasks: bool = False
    unit_order: list[int] = field(default_factory=list)

    @property
    def unit_count(self) -> int:
        return len(self.unit_order)

    @property
    def many_units(self) -> bool:
        """Too many units to name them all in the body: counts, and names only for short lists."""
        return self.unit_count > NAMED_UNITS_MAX

    @property
    def matrix_appendix(self) -> bool:
        return len(self.tasks) <= MATRIX_MAX_TASKS

    @property
    def summary_appendix(self) -> bool:
        """Phụ lục I as a per-unit summary plus the late and overdue assignments."""
        rows = self.unit_count if self.matrix_appendix else len(self.tracked)
        return rows > APPENDIX_MAX_ROWS

    @cached_property
    def unit_summaries(self) -> dict[int, Summary]:
        return by_unit(self.tracked)

    @cached_property
    def task_numbers(self) -> dict[int, int]:
        """Task id -> its number in section II and in Phụ lục I (NV1, NV2 ...), as Excel's."""
        return number_tasks((sec.info.id, sec.directive.issued_on, sec.directive.id, sec.info.sort_order)
                            for sec in self.tasks)


# ---------------------------------------------------------------- reading


def merged_summary(parts: Iterable[Summary]) -> Summary:
    """The summary of disjoint groups of assignments from theirs (every count added up): the
    report's total from its tasks', a group's from its units', without another pass over 30,000."""
    total = Summary()
    for part in parts:
        for f in fields(Summary):
            value = getattr(part, f.name)
            if isinstance(value, dict):
                counts = getattr(total, f.name)
                for key, n in value.items():
                    counts[key] = counts.get(key, 0) + n
            else:
                setattr(total, f.name, getattr(total, f.name) + value)
    return total


def collect_report(session, today: date, *, directive_ids: Sequence[int] | None = None,
                   task_ids: Sequence[int] | None = None, due_from: date | None = None,
                   due_to: date | None = None, settings: Settings | None = None) -> ReportData:
    """Everything the report says, as plain data. Raises DocumentError when the scope is empty."""
    settings = settings or load_settings(session)
    rows = assignment_rows(session, directive_ids=directive_ids, task_ids=task_ids, due_from=due_from, due_to=due_to)
    if not rows:
        raise DocumentError("Không có nhiệm vụ nào được giao trong phạm vi báo cáo.")
    tree = UnitTree(session)
    tracked = track(rows, today, settings.due_soon_days)
    tracked.sort(key=lambda t: (tree.order_key(t.row.unit_id), t.row.period))
    tasks = load_tasks(session, {r.task_id for r in rows})
    directives = load_directives(session, {r.directive_id for r in rows})
    assignment_ids = [r.assignment_id for r in rows]
    # Read by task (a handful of queries), not by slices of assignment ids.
    scope_tasks = list(tasks)
    latest = load_latest_reports(session, assignment_ids, scope_tasks)  # accepted ones only
    figures = load_figure_totals(session, scope_tasks, [rep.report_id for rep in latest.values()])
    lateness = load_lateness(session, assignment_ids, scope_tasks)
    reminders = load_reminders(session, assignment_ids, scope_tasks)

    per_task: dict[int, list[Tracked]] = defaultdict(list)
    for t in tracked:
        per_task[t.row.task_id].append(t)
    ordered_tasks = sorted(tasks.values(), key=lambda k: task_order_key(
        directives[k.directive_id].issued_on, k.directive_id, k.sort_order, k.id))
    sections = [
        TaskSection(info=task, directive=directives[task.directive_id], tracked=per_task[task.id],
                    summary=summarize(per_task[task.id]), figures=figures.get(task.id, []),
                    highlights=_highlights(per_task[task.id], latest))
        for task in ordered_tasks
    ]
    ordered_directives = sorted(directives.values(), key=lambda d: (d.issued_on or date.min, d.id))
    return ReportData(
        today=today, settings=settings, directives=ordered_directives, tasks=sections, tracked=tracked,
        summary=merged_summary(sec.summary for sec in sections), tree=tree, lateness=lateness,
        reminders_text=reminder_summary(reminders),
        extensions=sum(len(v.extensions) for v in lateness.values()), due_from=due_from, due_to=due_to,
        partial_tasks=task_ids is not None, unit_order=tree.sorted_ids(r.unit_id for r in rows))


def _highlights(tracked: list[Tracked], latest: dict[int, LatestReport], limit: int = 3) -> list[tuple[str, str]]:
    """The richest distinct contents among accepted reports (an official document number helps)."""
    candidates = []
    for t in tracked:
        rep = latest.get(t.row.assignment_id)
        if rep is None:
            continue
        content = inline(rep.content)
        if not content:
            continue
        number = inline(rep.unit_doc_number)
        candidates.append((len(content) + (40 if number else 0), t, content, number))
    candidates.sort(key=lambda c: -c[0])
    seen, out = set(), []
    for _, t, content, number in candidates:
        key = content.casefold()
        if key in seen:
            continue
        seen.add(key)
        who = t.row.unit_name
        if number:
            who += f" (Báo cáo số {number})"
        out.append((who, content))
        if len(out) == limit:
            break
    return out


# ---------------------------------------------------------------- writing


def _names(items: list[Tracked], detail: Callable[[Tracked], str] | None = None) -> str:
    out = []
    for t in items:
        bits = []
        label = period_label(t.row.period)
        if label:
            bits.append(label)
        if detail:
            d = detail(t)
            if d:
                bits.append(d)
        out.append(f"{t.row.unit_name} ({'; '.join(bits)})" if bits else t.row.unit_name)
    return "; ".join(out)


def _count_word(section: TaskSection, n: int) -> str:
    return f"{vn_number(n)} lượt" if section.periodic else f"{vn_number(n)} đơn vị"


def _point(data: ReportData, section: TaskSection, label: str, items: list[Tracked],
           detail: Callable[[Tracked], str] | None = None, delay: str = "") -> str:
    """One lettered point of a task: "Label (N đơn vị): names." A report on many units names
    only short lists; a longer one gets its count (and the range of the delay) and points to
    Phụ lục I, where every late or overdue assignment is listed."""
    count = _count_word(section, len(items))
    if not data.many_units or len(items) <= NAMED_LIST_MAX:
        return f"{label} ({count}): {_names(items, detail) or 'không có'}."
    if not delay:
        return f"{label}: {count}."
    days = [t.days_late for t in items if t.days_late]
    span = ""
    if days:
        low, high = min(days), max(days)
        span = f", {delay} {low} ngày" if low == high else f", {delay} từ {low} đến {high} ngày"
    return f"{label}: {count}{span} (chi tiết tại Phụ lục I)."


def _subject(data: ReportData) -> str:
    """The trích yếu under "BÁO CÁO"."""
    if data.due_from or data.due_to:
        span = _span_text(data.due_from, data.due_to)
        if len(data.directives) == 1:
            return f"Kết quả thực hiện {data.directives[0].short_ref()} {span}"
        return f"Kết quả thực hiện nhiệm vụ {span}"
    if len(data.directives) == 1:
        d = data.directives[0]
        lead = "Kết quả thực hiện một số nhiệm vụ tại" if data.partial_tasks else "Kết quả thực hiện"
        return f"{lead} {d.short_ref()} {d.about}".strip()
    return "Kết quả thực hiện nhiệm vụ theo các văn bản chỉ đạo"


def _span_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"từ ngày {fmt_date(start)} đến ngày {fmt_date(end)}"
    if start:
        return f"từ ngày {fmt_date(start)}"
    return f"đến ngày {fmt_date(end)}"


def _task_span(section: TaskSection) -> str:
    info = section.info
    if info.kind == TaskKind.ONGOING.value:
        since = f" (từ ngày {fmt_date(info.start_date)})" if info.start_date else ""
        return f"nhiệm vụ thường xuyên{since}"
    dues = [t.row.effective_due for t in section.tracked if t.row.effective_due]
    last = info.due_date or (max(dues) if dues else None)
    if info.start_date and last:
        return f"từ ngày {fmt_date(info.start_date)} đến ngày {fmt_date(last)}"
    if last:
        return f"hạn hoàn thành ngày {fmt_date(last)}"
    return "không quy định thời hạn"


def _reasons(data: ReportData, t: Tracked) -> str:
    found = data.lateness.get(t.row.assignment_id)
    reasons = found.reasons() if found else []
    return "; ".join(reasons) if reasons else "đơn vị chưa nêu lý do"


def _deadline_text(data: ReportData, t: Tracked) -> str:
    text = f"hạn {fmt_date(t.row.effective_due)}"
    if t.row.extended and t.row.own_due:
        text += f", đã gia hạn từ {fmt_date(t.row.own_due)}"
    return text


def render_report(data: ReportData, issue: Issue = DRAFT, send_upward: bool = True,
                  progress: Progress | None = None) -> OfficialDocument:
    issue = issue.validated()
    s = data.settings
    doc = OfficialDocument(s)
    year = (issue.issued_on or data.today).year
    doc.header(issue.number or None, s.report_symbol, issue.issued_on, year)
    doc.title("Báo cáo", _subject(data))
    doc.set_properties(f"Báo cáo: {_subject(data)}", "Báo cáo kết quả thực hiện")
    if send_upward and inline(s.superior_name):
        doc.recipients([s.superior_name])
    agency = inline(s.agency_name)
    refs = "; ".join(d.full_ref(s.agency_name) for d in data.directives)
    doc.body(f"Thực hiện {refs}, {agency} báo cáo kết quả thực hiện tính đến ngày {fmt_date(data.today)} như sau:")

    _section_direction(doc, data)
    if progress:
        progress(20, "Đang viết phần kết quả thực hiện...")
    _section_results(doc, data)
    _section_assessment(doc, data)
    _section_outlook(doc, data)
    _section_proposals(doc, data)
    ref_short = data.directives[0].short_ref() if len(data.directives) == 1 else "các nhiệm vụ được giao"
    if send_upward and inline(s.superior_name):
        doc.body(f"Trên đây là báo cáo kết quả thực hiện {ref_short}, {agency} kính báo cáo "
                 f"{inline(s.superior_name)}./.")
        recipients = ["- Như trên;", f"- Lưu: VT, {inline(s.drafter_abbrev)}."]
    else:
        doc.body(f"Trên đây là báo cáo của {agency} về kết quả thực hiện {ref_short}./.")
        recipients = ["- Lãnh đạo Phòng;", f"- Lưu: VT, {inline(s.drafter_abbrev)}."]
    doc.end_of_body()
    doc.signature(recipients)
    if progress:
        progress(40, "Đang lập Phụ lục I...")
    _appendix(doc, data, issue, progress)
    return doc


def _section_direction(doc: OfficialDocument, data: ReportData) -> None:
    s = data.settings
    doc.section_heading(1, "Công tác chỉ đạo, triển khai")
    starts = [t.info.start_date for t in data.tasks if t.info.start_date]
    dues = [r.row.effective_due for r in data.tracked if r.row.effective_due]
    span = ""
    if starts and dues:
        span = f"; thời gian thực hiện từ ngày {fmt_date(min(starts))} đến ngày {fmt_date(max(dues))}"
    refs = "; ".join(d.short_ref() for d in data.directives)
    doc.body(f"Triển khai {refs}, {inline(s.agency_name)} đã cụ thể hóa thành {vn_number(len(data.tasks))} nhiệm vụ, "
             f"giao {vn_number(data.unit_count)} cơ quan, đơn vị thực hiện (tổng số "
             f"{vn_number(data.summary.assigned)} lượt giao){span}.")
    groups: dict[int | None, list[int]] = defaultdict(list)
    for uid in data.unit_order:
        groups[data.tree.group_of(uid)].append(uid)
    keys = list(groups)
    if data.many_units:
        doc.body("Các cơ quan, đơn vị được giao thực hiện (danh sách cụ thể tại Phụ lục I):", keep_next=True)
    else:
        doc.body("Các cơ quan, đơn vị được giao thực hiện:", keep_next=True)
    for i, gid in enumerate(keys):
        label = data.tree.name(gid) if gid is not None else "Các cơ quan, đơn vị khác"
        end = "." if i == len(keys) - 1 else ";"
        if data.many_units:
            doc.body(f"- {label}: {vn_number(len(groups[gid]))} đơn vị{end}")
            continue
        names = "; ".join(data.tree.name(u) for u in groups[gid])
        doc.body(f"- {label} ({len(groups[gid])}): {names}{end}")
    bits = []
    if data.extensions:
        bits.append(f"gia hạn {vn_number(data.extensions)} lượt nhiệm vụ theo đề nghị của đơn vị")
    if data.reminders_text:
        bits.append(f"đôn đốc {data.reminders_text}")
    if bits:
        doc.body(f"Trong quá trình thực hiện, {inline(s.agency_name)} đã {' và '.join(bits)}.")


def _section_results(doc: OfficialDocument, data: ReportData) -> None:
    m = data.summary
    doc.section_heading(2, "Kết quả thực hiện")
    parts = [f"Tính đến ngày {fmt_date(data.today)}, trong tổng số {vn_number(m.assigned)} lượt nhiệm vụ giao "
             f"cho các đơn vị, có {vn_number(m.due)} lượt đã đến hạn; trong đó hoàn thành đúng hạn "
             f"{vn_number(m.on_time)} lượt ({_percent(m.on_time_rate)}), hoàn thành quá hạn {vn_number(m.late)} lượt "
             f"({_percent(m.late_rate)}), quá hạn chưa hoàn thành {vn_number(m.overdue)} lượt "
             f"({_percent(m.not_done_rate)})"]
    parts.append(f"{vn_number(m.in_progress)} lượt đang thực hiện trong hạn")
    if m.pending_review:
        parts.append(f"{vn_number(m.pending_review)} lượt đơn vị đã báo cáo, đang chờ duyệt (chưa tính là hoàn thành)")
    if m.no_deadline:
        parts.append(f"{vn_number(m.no_deadline)} lượt nhiệm vụ thường xuyên, không có hạn")
    if m.excluded:
        parts.append(f"{vn_number(m.excluded)} lượt tạm dừng hoặc hủy")
    doc.body("; ".join(parts) + ". Kết quả cụ thể của từng đơn vị tại Phụ lục I kèm theo.")
    for section in data.tasks:
        number = data.task_numbers[section.info.id]
        title = inline(section.info.title)
        if len(data.directives) > 1:
            title += f" ({section.directive.short_ref()})"
        doc.item_heading(number, title)
        sm = section.summary
        doc.body(f"Thời gian thực hiện: {_task_span(section)}; số đơn vị được giao: "
                 f"{vn_number(len({t.row.unit_id for t in section.tracked}))} ({vn_number(sm.assigned)} lượt giao).")
        points: list[str] = []
        on_time = section.with_status(Status.ON_TIME)
        late = section.with_status(Status.LATE)
        overdue = section.with_status(Status.OVERDUE)
        pending = section.with_status(Status.PENDING_REVIEW)
        running = section.with_status(Status.IN_PROGRESS, Status.DUE_SOON)
        ongoing = section.with_status(Status.NO_DEADLINE)
        stopped = section.with_status(Status.PAUSED, Status.CANCELLED)
        points.append(_point(data, section, "Hoàn thành đúng hạn", on_time))
        points.append(_point(data, section, "Hoàn thành quá hạn", late, lambda t: f"chậm {t.days_late} ngày",
                             delay="chậm"))
        points.append(_point(data, section, "Chưa hoàn thành, đã quá hạn", overdue,
                             lambda t: f"quá hạn {t.days_late} ngày", delay="quá hạn"))
        if pending:
            points.append(_point(data, section, "Đã báo cáo, đang chờ duyệt", pending, _pending_detail,
                                 delay="báo cáo chậm"))
        if running:
            points.append(_point(data, section, "Đang thực hiện, trong hạn", running))
        if ongoing:
            points.append(_point(data, section, "Thực hiện thường xuyên", ongoing))
        if stopped:
            points.append(_point(data, section, "Tạm dừng, hủy", stopped,
                                 lambda t: "tạm dừng" if t.status is Status.PAUSED else "hủy"))
        for letter, text in zip(POINT_LETTERS, points):
            doc.body(f"{letter}) {text}")
        if section.figures:
            doc.body("Số liệu tổng hợp từ báo cáo đã được duyệt: "
                     + "; ".join(f.text() for f in section.figures) + ".")
        if section.highlights:
            doc.body("Nội dung nổi bật các đơn vị đã báo cáo:", keep_next=True)
            for who, content in section.highlights:
                doc.body(f"- {who}: {content.rstrip('.')}.")


def _pending_detail(t: Tracked) -> str:
    """Where a report awaiting approval came in after the deadline: by how much (to the day received)."""
    return f"báo cáo chậm {t.days_late} ngày" if t.days_late else ""


def _section_assessment(doc: OfficialDocument, data: ReportData) -> None:
    m = data.summary
    doc.section_heading(3, "Đánh giá chung")
    doc.item_heading(1, "Ưu điểm")
    if m.due:
        doc.body(f"Các cơ quan, đơn vị đã quan tâm triển khai các nhiệm vụ được giao. Trong {vn_number(m.due)} lượt "
                 f"nhiệm vụ đã đến hạn, có {vn_number(m.on_time)} lượt hoàn thành đúng hạn "
                 f"(đạt {_percent(m.on_time_rate)}).")
    else:
        doc.body("Các nhiệm vụ đang trong thời hạn thực hiện; các cơ quan, đơn vị đã chủ động triển khai.")
    exemplary = _exemplary_units(data)
    if exemplary and data.many_units and len(exemplary) > NAMED_LIST_MAX:
        doc.body(f"Có {vn_number(len(exemplary))} cơ quan, đơn vị hoàn thành đúng hạn toàn bộ nhiệm vụ đã đến hạn "
                 f"(tỷ lệ đúng hạn 100% tại Phụ lục I).")
    elif exemplary:
        doc.body("Các đơn vị hoàn thành đúng hạn toàn bộ nhiệm vụ đã đến hạn: " + "; ".join(exemplary) + ".")
    doc.item_heading(2, "Tồn tại, hạn chế")
    slow = [t for t in data.tracked if t.status in (Status.LATE, Status.OVERDUE)]
    if not slow:
        doc.body("Không có đơn vị chậm tiến độ trong thực hiện các nhiệm vụ đã đến hạn.")
        return
    per_unit: dict[int, list[Tracked]] = defaultdict(list)
    for t in slow:
        per_unit[t.row.unit_id].append(t)
    if data.many_units:
        _slowest_units(doc, data, per_unit)
        return
    doc.body(f"Còn {vn_number(m.late)} lượt nhiệm vụ hoàn thành quá hạn và {vn_number(m.overdue)} lượt quá hạn "
             f"chưa hoàn thành, cụ thể:", keep_next=True)
    for uid in data.tree.sorted_ids(per_unit):
        items = []
        for t in per_unit[uid]:
            label = period_label(t.row.period)
            task = f"«{inline(t.row.task_title)}»" + (f" ({label})" if label else "")
            what = (f"hoàn thành chậm {t.days_late} ngày" if t.status is Status.LATE
                    else f"chưa hoàn thành, quá hạn {t.days_late} ngày")
            items.append(f"{task} {what} ({_deadline_text(data, t)}; lý do: {_reasons(data, t).rstrip('.')})")
        doc.body(f"- {data.tree.name(uid)}: " + "; ".join(items) + ".")


def _slowest_units(doc: OfficialDocument, data: ReportData, per_unit: dict[int, list[Tracked]]) -> None:
    """Counts, then the units most behind by name (every one of them is in Phụ lục I)."""
    m = data.summary
    doc.body(f"Còn {vn_number(m.late)} lượt nhiệm vụ hoàn thành quá hạn và {vn_number(m.overdue)} lượt quá hạn chưa "
             f"hoàn thành, tại {vn_number(len(per_unit))} cơ quan, đơn vị (danh sách cụ thể tại Phụ lục I).")
    order = {uid: i for i, uid in enumerate(data.tree.sorted_ids(per_unit))}
    counted = []
    for uid, items in per_unit.items():
        overdue = [t for t in items if t.status is Status.OVERDUE]
        counted.append((-len(overdue), -(len(items) - len(overdue)), order[uid], uid, overdue, items))
    counted.sort()
    top = counted[:TOP_SLOW_UNITS]
    doc.body(f"Các cơ quan, đơn vị chậm tiến độ nhiều nhất ({len(top)} đơn vị):", keep_next=True)
    for i, (_, _, _, uid, overdue, items) in enumerate(top):
        bits = []
        if overdue:
            bits.append(f"{len(overdue)} lượt quá hạn chưa hoàn thành ({_task_refs(data, overdue)})")
        late = len(items) - len(overdue)
        if late:
            bits.append(f"{late} lượt hoàn thành quá hạn")
        end = "." if i == len(top) - 1 else ";"
        doc.body(f"- {data.tree.name(uid)}: {', '.join(bits)}{end}")


def _task_refs(data: ReportData, items: list[Tracked], prefix: str = TASK_PREFIX) -> str:
    """"NV3, NV7 (2 lượt)": the task numbers of ``items`` in order, with repeated periods counted."""
    counts: dict[int, int] = defaultdict(int)
    for t in items:
        counts[data.task_numbers[t.row.task_id]] += 1
    return ", ".join(f"{prefix}{n}" + (f" ({c} lượt)" if c > 1 else "") for n, c in sorted(counts.items()))


def _exemplary_units(data: ReportData) -> list[str]:
    names = []
    summaries = data.unit_summaries
    for uid in data.unit_order:
        sm = summaries.get(uid)
        if sm and sm.due and sm.on_time == sm.due:
            names.append(data.tree.name(uid))
    return names


def _section_outlook(doc: OfficialDocument, data: ReportData) -> None:
    s = data.settings
    m = data.summary
    doc.section_heading(4, "Phương hướng, nhiệm vụ thời gian tới")
    overdue = [t for t in data.tracked if t.status is Status.OVERDUE]
    # Counted as the reminder letter counts them: the office does not chase itself.
    chased = [t for t in overdue if not is_issuing_office(s, t.row.unit_name)]
    own = len(overdue) - len(chased)
    if chased:
        doc.body(f"- Tiếp tục đôn đốc {vn_number(len({t.row.unit_id for t in chased}))} đơn vị còn "
                 f"{vn_number(len(chased))} lượt nhiệm vụ quá hạn khẩn trương hoàn thành, báo cáo kết quả về "
                 f"{inline(s.agency_name)}.")
    if own:
        doc.body(f"- {inline(s.agency_name)} khẩn trương hoàn thành {vn_number(own)} lượt nhiệm vụ quá hạn "
                 f"được giao trực tiếp.")
    running = [t for t in data.tracked if t.status in (Status.IN_PROGRESS, Status.DUE_SOON)]
    if running:
        nearest = min(t.row.effective_due for t in running if t.row.effective_due)
        doc.body(f"- Theo dõi, hướng dẫn các đơn vị thực hiện {vn_number(len(running))} lượt nhiệm vụ đang trong hạn, "
                 f"bảo đảm hoàn thành đúng thời hạn (hạn gần nhất ngày {fmt_date(nearest)}).")
    if m.pending_review:
        doc.body(f"- Xem xét, duyệt {vn_number(m.pending_review)} lượt báo cáo của các đơn vị đang chờ duyệt; yêu cầu "
                 f"bổ sung đối với báo cáo chưa đạt yêu cầu.")
    if m.no_deadline:
        doc.body("- Duy trì thực hiện các nhiệm vụ thường xuyên; định kỳ tổng hợp kết quả của các đơn vị.")
    doc.body(f"- Tổng hợp kết quả, kịp thời báo cáo {inline(s.superior_name) or 'cấp trên'} theo quy định.")


def _section_proposals(doc: OfficialDocument, data: ReportData) -> None:
    s = data.settings
    superior = inline(s.superior_name) or "cấp có thẩm quyền"
    doc.section_heading(5, "Đề xuất, kiến nghị")
    if data.summary.overdue:
        doc.body(f"- Đề nghị {superior} chỉ đạo các đơn vị còn nhiệm vụ quá hạn khẩn trương hoàn thành, "
                 f"báo cáo kết quả theo quy định.")
    if _exemplary_units(data):
        doc.body(f"- Đề nghị {superior} biểu dương các đơn vị hoàn thành tốt, đúng hạn các nhiệm vụ được giao.")
    doc.body(f"- Đề nghị {superior} tiếp tục quan tâm chỉ đạo, bố trí nguồn lực để các cơ quan, đơn vị triển khai "
             f"hiệu quả các nhiệm vụ trong thời gian tới.")


# ---------------------------------------------------------------- Phụ lục I


def _cell_lines(t: Tracked, with_period: bool) -> list[str]:
    """A matrix cell, short enough for a 2.6 cm column at 11 pt: the status, then the days late,
    then a date (completion date when done, the deadline in force otherwise)."""
    r = t.row
    s = t.status
    short = STATUS_SHORT[s.value]
    if s is Status.ON_TIME:
        lines = [short, fmt_date(r.completed_on)]
    elif s in (Status.LATE, Status.OVERDUE):
        lines = [short, f"{t.days_late} ngày", fmt_date(r.completed_on if s is Status.LATE else r.effective_due)]
    elif s is Status.PENDING_REVIEW:  # the day the report came in; late by then, if it was
        lines = [short] + ([f"chậm {t.days_late} ngày"] if t.days_late else []) + [fmt_date(r.reported_on)]
    elif s in (Status.DUE_SOON, Status.IN_PROGRESS):
        lines = [short, fmt_date(r.effective_due)]
    else:
        lines = [short]
    if with_period and r.period:
        lines.insert(0, f"{fmt_period(r.period)}:")  # its own line: "2023-H1: Đúng hạn" does not fit the column
    return [line for line in lines if line]


MATRIX_LEGEND = ("Ghi chú: HT: hoàn thành; ngày ghi dưới «Đúng hạn», «HT chậm» là ngày hoàn thành; dưới «Quá hạn», "
                 "«Trong hạn», «Sắp đến hạn» là hạn hiện hành (đã tính gia hạn); «Chờ duyệt»: đơn vị đã báo cáo, "
                 "chưa được duyệt, ngày ghi dưới là ngày nhận báo cáo; ô trống: đơn vị không được giao nhiệm vụ.")


def appendix_caption(data: ReportData, issue: Issue) -> str:
    s = data.settings
    number = issue.number if issue.final else "      "
    when = decree_date(issue.issued_on) if issue.final and issue.issued_on else \
        f"ngày      tháng      năm {data.today.year}"
    return f"(Kèm theo Báo cáo số {number}/{inline(s.report_symbol)} {when} của {inline(s.agency_name)})"


def _appendix(doc: OfficialDocument, data: ReportData, issue: Issue, progress: Progress | None) -> None:
    tasks = data.tasks
    if data.summary_appendix:
        _summary_appendix(doc, data, issue, progress)
        return
    title = "Tình hình thực hiện nhiệm vụ của các cơ quan, đơn vị"
    if data.matrix_appendix:
        size = 11 if len(tasks) > 4 else 12
        layout = _matrix_layout(data, size)
        doc.appendix("I", title, appendix_caption(data, issue), _needs_landscape(layout))
        for section in tasks:
            i = data.task_numbers[section.info.id]
            doc.note(f"{task_label(i)}: {inline(section.info.title)} ({_task_span(section)}).", size=size,
                     before=6 if i == 1 else 2)
        doc.note(MATRIX_LEGEND, size=size, italic=True, before=2)
        _matrix_table(doc, data, layout, progress)
    else:
        layout = _list_layout(data)
        doc.appendix("I", title, appendix_caption(data, issue), _needs_landscape(layout))
        doc.note("Ghi chú: «Hạn» là hạn hiện hành (đã tính gia hạn).", size=LIST_SIZE, italic=True)
        _list_table(doc, layout, progress)


@dataclass
class _Layout:
    """A table's content and what each column needs (twips): ``minimum`` keeps dates, numbers and
    words whole, ``natural`` puts every line of the column on one line, ``stretch`` shares out
    the width left (the columns whose text wraps)."""

    headers: list[str]
    rows: list
    size: float
    align: list[str]
    minimum: list[int]
    natural: list[int]
    stretch: list[float]
    bold_rows: list[int] = field(default_factory=list)
    # Columns whose lines are joined where the width allows (a period's status on one line).
    reflow: list[int] = field(default_factory=list)

    def fitted_rows(self, widths: Sequence[int]) -> list:
        """The rows, the lines of each ``reflow`` column's cells joined while they fit ``widths`` (EMU)."""
        if not self.reflow:
            return self.rows
        out = []
        for index, row in enumerate(self.rows):
            if isinstance(row, FullRow) or index in self.bold_rows:
                out.append(row)
                continue
            row = list(row)
            for col in self.reflow:
                if isinstance(row[col], list):
                    row[col] = _join_lines(row[col], int(widths[col]) // 635, self.size)
            out.append(row)
        return out

    def widths(self, text_width: int) -> list[int]:
        """Column widths (EMU, as ``add_grid_table`` takes them) filling ``text_width`` (EMU)."""
        total = int(text_width) // 635
        # the room left goes first to the reflowed columns: the fewer lines a period's row has,
        # the shorter the unit's block of rows
        preferred = list(self.minimum)
        room = total - sum(self.minimum)
        for i in self.reflow:
            if room > 0:
                preferred[i] += min(self.natural[i] - self.minimum[i], room // len(self.reflow))
        fitted = fit_columns(preferred, self.natural, total, self.stretch)
        if fitted is None:  # wider than a landscape page: shrink every column alike
            scale = total / sum(self.minimum)
            fitted = [int(w * scale) for w in self.minimum]
            fitted[-1] += total - sum(fitted)
        return [w * 635 for w in fitted]


def _join_lines(lines: list[str], width: int, size: float) -> list[str]:
    """Consecutive lines joined by a space while the result still fits ``width`` twips."""
    out: list[str] = []
    for line in lines:
        if out and cell_twips(f"{out[-1]} {line}", size) <= width:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _needs_landscape(layout: _Layout) -> bool:
    """Landscape (allowed for tables, PL I §I.1-2) when the table is not fully readable upright:
    a column would break a date or a word, or its lines would wrap."""
    return sum(layout.natural) > TEXT_WIDTH_PORTRAIT_TWIPS


def _unit_rows(data: ReportData):
    """(group id or None, unit ids) in tree order; groups give Roman-numbered separator rows."""
    groups: dict[int | None, list[int]] = defaultdict(list)
    for uid in data.unit_order:
        groups[data.tree.group_of(uid)].append(uid)
    return list(groups.items())


def _matrix_layout(data: ReportData, size: float) -> _Layout:
    """Unit x task. A unit given a periodic task gets one row per period (column «Kỳ»): the other
    cells of the unit are merged down its rows, a periodic task's cell holds one period."""
    tasks = data.tasks
    cells: dict[tuple[int, int], list[Tracked]] = defaultdict(list)
    for t in data.tracked:
        cells[(t.row.unit_id, t.row.task_id)].append(t)
    summaries = data.unit_summaries
    periodic = [sec.periodic for sec in tasks]
    with_periods = any(periodic)
    rows: list[list[object]] = []
    bold_rows: list[int] = []
    groups = _unit_rows(data)
    counter = 0
    for gi, (gid, unit_ids) in enumerate(groups):
        if gid is not None and len(groups) > 1:
            bold_rows.append(len(rows))
            rows.append([_roman(gi + 1), data.tree.name(gid)] + [""] * (len(tasks) + 1 + with_periods))
        for uid in unit_ids:
            counter += 1
            periods = sorted({t.row.period for sec, p in zip(tasks, periodic) if p
                              for t in cells.get((uid, sec.info.id), []) if t.row.period})
            for pi, period in enumerate(periods or [""]):
                first = pi == 0
                row: list[object] = [str(counter) if first else MERGE_UP, data.tree.name(uid) if first else MERGE_UP]
                if with_periods:
                    row.append(fmt_period(period))
                for sec, p in zip(tasks, periodic):
                    found = cells.get((uid, sec.info.id), [])
                    if p:
                        found = [t for t in found if t.row.period == period or not t.row.period and first]
                    elif not first:
                        row.append(MERGE_UP)
                        continue
                    lines: list[str] = []
                    for t in found:
                        lines += _cell_lines(t, False)
                    row.append(lines or "")
                row.append(_percent(summaries[uid].on_time_rate) if first else MERGE_UP)
                rows.append(row)
    total: list[object] = ["", "Tổng cộng"] + ([""] if with_periods else [])
    for sec in tasks:
        sm = sec.summary
        total.append([f"Đúng hạn: {vn_number(sm.on_time)}", f"HT chậm: {vn_number(sm.late)}",
                      f"Quá hạn: {vn_number(sm.overdue)}"]
                     + ([f"Chờ duyệt: {vn_number(sm.pending_review)}"] if sm.pending_review else []))
    total.append(_percent(data.summary.on_time_rate))
    bold_rows.append(len(rows))
    rows.append(total)

    headers = (["STT", "Cơ quan, đơn vị"] + (["Kỳ"] if with_periods else [])
               + [task_label(data.task_numbers[sec.info.id]) for sec in tasks] + ["Tỷ lệ đúng hạn"])
    n = len(headers)
    columns: list[list[object]] = [[] for _ in range(n)]
    for index, row in enumerate(rows):
        if index in bold_rows:
            continue
        for col, value in enumerate(row):
            if value is not MERGE_UP:
                columns[col].append(value)
    bold_values = [[v for v in rows[i]] for i in bold_rows]
    whole = [True, False] + ([True] if with_periods else []) + [True] * len(tasks) + [True]
    minimum, natural = column_needs(headers, columns, size, whole, bold_values)
    first_task = 2 + with_periods
    reflow = [first_task + k for k, p in enumerate(periodic) if p]
    for col in reflow:  # a period's row is one line when the page is wide enough
        natural[col] = max(natural[col], longest_line_twips(
            [" ".join(v) for v in columns[col] if isinstance(v, list)], size))
    stretch = [0.0, 2.0] + ([0.0] if with_periods else []) + [1.0] * len(tasks) + [0.0]
    align = ["center", "left"] + (["left"] if with_periods else []) + ["center"] * len(tasks) + ["center"]
    return _Layout(headers, rows, size, align, minimum, natural, stretch, bold_rows, reflow)


def _matrix_table(doc: OfficialDocument, data: ReportData, layout: _Layout, progress: Progress | None) -> None:
    widths = layout.widths(doc.text_width)
    doc.add_grid_table(layout.headers, layout.fitted_rows(widths), widths, size=layout.size,
                       align=layout.align, bold_rows=layout.bold_rows,
                       progress=_row_progress(progress, len(layout.rows)))


LIST_SIZE = 12
TEXT_WIDTH_PORTRAIT_TWIPS = int(TEXT_WIDTH_PORTRAIT) // 635


def _list_layout(data: ReportData) -> _Layout:
    """One row per assignment, under the heading of its unit (the unit named once) and of its
    group; a «Tổng cộng» row closes the table."""
    headers = ["STT", "Nhiệm vụ", "Hạn", "Ngày hoàn thành", "Tình trạng"]
    rows: list[object] = []
    by_unit_rows: dict[int, list[Tracked]] = defaultdict(list)
    for t in data.tracked:
        by_unit_rows[t.row.unit_id].append(t)
    counter = 0
    most = 0
    groups = _unit_rows(data)
    for gi, (gid, unit_ids) in enumerate(groups):
        if gid is not None and len(groups) > 1:
            rows.append(FullRow(f"{_roman(gi + 1)}. {inline(data.tree.name(gid)).upper()}"))
        for uid in unit_ids:
            counter += 1
            rows.append(FullRow(f"{counter}. {inline(data.tree.name(uid))}"))
            for number, t in enumerate(by_unit_rows[uid], 1):
                label = period_label(t.row.period)
                task = inline(t.row.task_title) + (f" ({label})" if label else "")
                status = status_text(t.status.value, t.days_late)
                rows.append([str(number), task, fmt_date(t.row.effective_due),
                             fmt_date(t.row.completed_on) if t.status in (Status.ON_TIME, Status.LATE) else "",
                             status])  # status_text: the one wording, with Excel's «Chi tiết»
            most = max(most, len(by_unit_rows[uid]))
    rows.append(FullRow(_total_text(data.summary), keep_next=False))
    columns = [[r[i] for r in rows if not isinstance(r, FullRow)] for i in range(len(headers))]
    # the status one line but for the rare long one (a late report awaiting approval)
    minimum, natural = column_needs(headers, columns, LIST_SIZE, [True, False, True, True, 0.8])
    return _Layout(headers, rows, LIST_SIZE, ["center", "left", "center", "center", "left"], minimum, natural,
                   [0.0, 3.0, 0.0, 0.0, 1.0])


def _total_text(sm: Summary) -> str:
    """The «Tổng cộng» row of a list: the counts of the list's assignments by status."""
    parts = [f"hoàn thành đúng hạn {vn_number(sm.on_time)}", f"hoàn thành quá hạn {vn_number(sm.late)}",
             f"quá hạn chưa hoàn thành {vn_number(sm.overdue)}", f"đang thực hiện trong hạn {vn_number(sm.in_progress)}"]
    if sm.pending_review:
        parts.append(f"đã báo cáo, đang chờ duyệt {vn_number(sm.pending_review)}")
    if sm.no_deadline:
        parts.append(f"thường xuyên {vn_number(sm.no_deadline)}")
    if sm.excluded:
        parts.append(f"tạm dừng, hủy {vn_number(sm.excluded)}")
    return f"Tổng cộng: {vn_number(sm.assigned)} lượt giao nhiệm vụ, trong đó: " + "; ".join(parts) + "."


def _list_table(doc: OfficialDocument, layout: _Layout, progress: Progress | None) -> None:
    doc.add_grid_table(layout.headers, layout.rows, layout.widths(doc.text_width), size=layout.size,
                       align=layout.align, progress=_row_progress(progress, len(layout.rows)))


SUMMARY_NOTE = ("Ghi chú: Phụ lục gồm bảng tổng hợp theo từng cơ quan, đơn vị (mục 1) và danh sách các lượt nhiệm vụ "
                "quá hạn chưa hoàn thành, hoàn thành quá hạn (mục 2); danh sách đầy đủ {count} lượt giao nhiệm vụ "
                "của từng đơn vị tại bảng tổng hợp Excel kèm theo (chức năng «Xuất Excel» của phần mềm theo dõi). "
                "«Chưa đến hạn»: đang thực hiện, chưa đến hạn; số lượt giao gồm cả nhiệm vụ thường xuyên, "
                "tạm dừng, hủy và báo cáo đang chờ duyệt ({pending} lượt); «Hạn» là hạn hiện hành (đã tính gia hạn).")
SUMMARY_SIZE = 11


def _summary_appendix(doc: OfficialDocument, data: ReportData, issue: Issue, progress: Progress | None) -> None:
    """Phụ lục I of a large scope: 1. one row per unit (counts, rate, overdue task numbers),
    grouped as in the tree; 2. only the overdue and late assignments. Portrait: fewer pages."""
    doc.appendix("I", "Tình hình thực hiện nhiệm vụ của các cơ quan, đơn vị", appendix_caption(data, issue), False)
    for section in data.tasks:
        i = data.task_numbers[section.info.id]
        doc.note(f"{task_label(i)}: {inline(section.info.title)} ({_task_span(section)}).", size=SUMMARY_SIZE,
                 before=6 if i == 1 else 2)
    doc.note(SUMMARY_NOTE.format(count=vn_number(data.summary.assigned), pending=vn_number(data.summary.pending_review)), size=SUMMARY_SIZE, italic=True, before=2)
    doc.note("1. Tổng hợp theo cơ quan, đơn vị", size=12, bold=True, before=6)
    if progress:
        progress(40, "Đang lập Phụ lục I, bảng tổng hợp theo đơn vị...")
    _unit_summary_table(doc, data, _part_progress(progress, 40, 60, "bảng tổng hợp"))
    attention = [t for t in data.tracked if t.status in (Status.OVERDUE, Status.LATE)]
    doc.note(f"2. Các lượt nhiệm vụ quá hạn chưa hoàn thành, hoàn thành quá hạn ({vn_number(len(attention))} lượt)",
             size=12, bold=True, before=12)
    if attention:
        if progress:
            progress(60, "Đang lập Phụ lục I, danh sách quá hạn...")
        _attention_table(doc, data, attention, _part_progress(progress, 60, 90, "danh sách quá hạn"))
    else:
        doc.note("Không có lượt nhiệm vụ nào quá hạn.", size=12)


def _counts(sm: Summary) -> list[str]:
    return [vn_number(sm.assigned), vn_number(sm.on_time), vn_number(sm.late), vn_number(sm.overdue),
            vn_number(sm.in_progress), _percent(sm.on_time_rate)]


def _unit_summary_table(doc: OfficialDocument, data: ReportData, progress) -> None:
    width = doc.text_width
    count_w = _cm(1.32)  # "30.000" in bold 11 pt on the group and total rows, cell margins included
    widths = [_cm(1.0), _cm(4.7)] + [count_w] * 5 + [_cm(1.4)]
    widths.append(width - sum(widths))
    headers = ["STT", "Cơ quan, đơn vị", "Số lượt giao", "Đúng hạn", "Hoàn thành quá hạn", "Quá hạn",
               "Chưa đến hạn", "Tỷ lệ đúng hạn", "Nhiệm vụ quá hạn (số thứ tự NV)"]
    overdue: dict[int, list[Tracked]] = defaultdict(list)
    for t in data.tracked:
        if t.status is Status.OVERDUE:
            overdue[t.row.unit_id].append(t)
    members: dict[int | None, list[Summary]] = defaultdict(list)
    for uid, summary in data.unit_summaries.items():
        members[data.tree.group_of(uid)].append(summary)
    group_summaries_ = {gid: merged_summary(parts) for gid, parts in members.items()}
    rows: list[list[object]] = []
    bold_rows: list[int] = []
    groups = _unit_rows(data)
    counter = 0
    for gi, (gid, unit_ids) in enumerate(groups):
        if gid is not None and len(groups) > 1:
            bold_rows.append(len(rows))
            rows.append([_roman(gi + 1), data.tree.name(gid)] + _counts(group_summaries_[gid]) + [""])
        for uid in unit_ids:
            counter += 1
            late_tasks = _task_refs(data, overdue[uid], prefix="") if uid in overdue else ""
            rows.append([str(counter), data.tree.name(uid)] + _counts(data.unit_summaries[uid]) + [late_tasks])
    bold_rows.append(len(rows))
    rows.append(["", "Tổng cộng"] + _counts(data.summary) + [""])
    doc.add_grid_table(headers, rows, widths, size=SUMMARY_SIZE,
                       align=["center", "left"] + ["center"] * 6 + ["left"], bold_rows=bold_rows,
                       progress=progress and (lambda done: progress(done, len(rows))))


def _attention_table(doc: OfficialDocument, data: ReportData, attention: list[Tracked], progress) -> None:
    """Per unit in tree order, under its name (once): its overdue assignments first (the ones to
    chase), then the late ones; a «Tổng cộng» row closes the table."""
    headers = ["STT", "Nhiệm vụ", "Hạn", "Ngày hoàn thành", "Số ngày quá hạn", "Tình trạng"]
    per_unit: dict[int, list[Tracked]] = defaultdict(list)
    for t in attention:
        per_unit[t.row.unit_id].append(t)
    rank = {Status.OVERDUE: 0, Status.LATE: 1}
    rows: list[object] = []
    groups = [(gid, [u for u in unit_ids if u in per_unit]) for gid, unit_ids in _unit_rows(data)]
    groups = [(gid, unit_ids) for gid, unit_ids in groups if unit_ids]
    counter = 0
    for gi, (gid, unit_ids) in enumerate(groups):
        if gid is not None and len(groups) > 1:
            rows.append(FullRow(f"{_roman(gi + 1)}. {inline(data.tree.name(gid)).upper()}"))
        for uid in unit_ids:
            counter += 1
            rows.append(FullRow(f"{counter}. {inline(data.tree.name(uid))}"))
            items = sorted(per_unit[uid], key=lambda t: (rank[t.status], data.task_numbers[t.row.task_id],
                                                        t.row.period))
            for number, t in enumerate(items, 1):
                label = period_label(t.row.period)
                task = task_label(data.task_numbers[t.row.task_id]) + (f" ({label})" if label else "")
                done = t.status is Status.LATE
                rows.append([str(number), task, fmt_date(t.row.effective_due),
                             # a dash, not an empty cell: an empty paragraph is as tall as a 14 pt line
                             fmt_date(t.row.completed_on) if done else "—", str(t.days_late or ""),
                             "Đã hoàn thành" if done else "Chưa hoàn thành"])
    overdue = sum(t.status is Status.OVERDUE for t in attention)
    rows.append(FullRow(f"Tổng cộng: {vn_number(len(attention))} lượt nhiệm vụ tại {vn_number(counter)} cơ quan, "
                        f"đơn vị, trong đó: quá hạn chưa hoàn thành {vn_number(overdue)}; hoàn thành quá hạn "
                        f"{vn_number(len(attention) - overdue)}.", keep_next=False))
    columns = [[r[i] for r in rows if not isinstance(r, FullRow)] for i in range(len(headers))]
    minimum, natural = column_needs(headers, columns, SUMMARY_SIZE, [True, False, True, True, True, True])
    layout = _Layout(headers, rows, SUMMARY_SIZE, ["center", "left", "center", "center", "center", "left"],
                     minimum, natural, [0.0, 1.0, 0.0, 0.0, 1.0, 1.0])
    doc.add_grid_table(headers, rows, layout.widths(doc.text_width), size=SUMMARY_SIZE, align=layout.align,
                       progress=progress and (lambda done: progress(done, len(rows))))


def _part_progress(progress: Progress | None, start: int, end: int, what: str):
    if progress is None:
        return None
    return lambda done, total: progress(start + int((end - start) * done / max(total, 1)),
                                        f"Đang lập Phụ lục I, {what} ({done}/{total} dòng)...")


def _row_progress(progress: Progress | None, total: int):
    if progress is None or not total:
        return None
    return lambda done: progress(40 + int(50 * done / total), f"Đang lập Phụ lục I ({done}/{total} dòng)...")


def _cm(value: float) -> int:
    return int(Cm(value))


_roman = roman


# ---------------------------------------------------------------- entry point


@dataclass(frozen=True)
class ReportResult:
    path: Path
    assignments: int
    units: int
    tasks: int


def build_report(db, out: str | Path, *, today: date, directive_ids: Sequence[int] | None = None,
                 task_ids: Sequence[int] | None = None, due_from: date | None = None, due_to: date | None = None,
                 issue: Issue = DRAFT, send_upward: bool = True, progress: Progress | None = None) -> ReportResult:
    """Write the report to ``out`` (atomically). Raises DocumentError (bad input, empty scope) or
    fileio.OutputError / FileLockedError (the file cannot be written; nothing is left behind).

    Safe to call from a worker thread: it opens its own session.
    """
    issue = issue.validated()
    issue.check_data_date(today)
    if progress:
        progress(5, "Đang đọc dữ liệu...")
    with db.session() as session:
        data = collect_report(session, today, directive_ids=directive_ids, task_ids=task_ids,
                              due_from=due_from, due_to=due_to)
    doc = render_report(data, issue, send_upward, progress)
    if progress:
        progress(92, "Đang ghi tệp...")
    path = doc.save(out)
    if progress:
        progress(100, "Đã xong.")
    return ReportResult(path, data.summary.assigned, data.unit_count, len(data.tasks))
