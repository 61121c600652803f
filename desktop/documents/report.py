"""Báo cáo kết quả thực hiện: for a directive, a set of tasks or a period.

``report_data.collect_report`` reads everything in one session into plain data (counts come from
``desktop.tracking.stats`` so they match ``status --json``); ``render_report`` lays it out in the
official form (Phụ lục I in ``report_appendix``); ``build_report`` does both and writes the file
atomically.

Layout: header, "BÁO CÁO" + trích yếu, Kính gửi (when sent upward), the opening "Thực hiện ...",
I. Công tác chỉ đạo, triển khai; II. Kết quả thực hiện (per task: units on time, late, not done by
name, summed figures from accepted reports, the best reported content); III. Đánh giá chung;
IV. Phương hướng; V. Đề xuất, kiến nghị; "./.", signature and Nơi nhận; Phụ lục I (unit × task).

A large scope (a city office: 1,000 units × 30 tasks) reads differently: past ``NAMED_UNITS_MAX``
units the body gives counts (names only for lists of at most ``NAMED_LIST_MAX``, and the
``TOP_SLOW_UNITS`` units most behind), and past ``APPENDIX_MAX_ROWS`` appendix rows Phụ lục I is a
per-unit summary (grouped as in the tree, with the numbers of the tasks each unit is overdue on)
followed by only the overdue and late assignments; the full list is the Excel workbook's (both
limits in ``report_data``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from desktop.documents.common import is_issuing_office, period_label
from desktop.documents.form import OfficialDocument
from desktop.documents.report_appendix import Progress, render_appendix, task_refs, task_span
from desktop.documents.report_data import ReportData, TaskSection, collect_report
from desktop.documents.text import DRAFT, Issue, inline, vn_number
from desktop.tracking.labels import fmt_date, fmt_percent
from desktop.tracking.stats import Tracked
from desktop.tracking.status import Status

POINT_LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]
# Lists this short are still named when the body gives counts (past ``NAMED_UNITS_MAX`` units).
NAMED_LIST_MAX = 20
TOP_SLOW_UNITS = 10  # the units most behind, named in "Tồn tại, hạn chế" of a large report


_percent = fmt_percent


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
    render_appendix(doc, data, issue, progress)
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
        doc.body(f"Thời gian thực hiện: {task_span(section)}; số đơn vị được giao: "
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
            bits.append(f"{len(overdue)} lượt quá hạn chưa hoàn thành ({task_refs(data, overdue)})")
        late = len(items) - len(overdue)
        if late:
            bits.append(f"{late} lượt hoàn thành quá hạn")
        end = "." if i == len(top) - 1 else ";"
        doc.body(f"- {data.tree.name(uid)}: {', '.join(bits)}{end}")


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
