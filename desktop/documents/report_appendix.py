"""Phụ lục I of the Báo cáo kết quả thực hiện: how each unit did on each task.

Up to ``MATRIX_MAX_TASKS`` tasks a unit × task matrix, beyond that one row per assignment under
its unit; past ``APPENDIX_MAX_ROWS`` rows a per-unit summary (grouped as in the tree, with the
numbers of the tasks each unit is overdue on) followed by only the overdue and late assignments.
Column widths come from what each column must keep on one line (``metrics``); a table that does
not read upright goes landscape.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from docx.shared import Cm

from db.models import TaskKind
from desktop.documents.common import period_label
from desktop.documents.form import TEXT_WIDTH_PORTRAIT, OfficialDocument
from desktop.documents.metrics import cell_twips, column_needs, fit_columns, longest_line_twips
from desktop.documents.ooxml import MERGE_UP, FullRow
from desktop.documents.report_data import ReportData, TaskSection, merged_summary
from desktop.documents.text import Issue, decree_date, inline, vn_number
from desktop.tracking.figures import TASK_PREFIX, task_label
from desktop.tracking.labels import STATUS_SHORT, fmt_date, fmt_percent, fmt_period, roman, status_text
from desktop.tracking.stats import Summary, Tracked
from desktop.tracking.status import Status

Progress = Callable[[int, str], None]

_percent = fmt_percent


def task_span(section: TaskSection) -> str:
    """The task's time frame in words (section II of the report and Phụ lục I)."""
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


def task_refs(data: ReportData, items: list[Tracked], prefix: str = TASK_PREFIX) -> str:
    """"NV3, NV7 (2 lượt)": the task numbers of ``items`` in order, with repeated periods counted."""
    counts: dict[int, int] = defaultdict(int)
    for t in items:
        counts[data.task_numbers[t.row.task_id]] += 1
    return ", ".join(f"{prefix}{n}" + (f" ({c} lượt)" if c > 1 else "") for n, c in sorted(counts.items()))


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


def render_appendix(doc: OfficialDocument, data: ReportData, issue: Issue, progress: Progress | None) -> None:
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
            doc.note(f"{task_label(i)}: {inline(section.info.title)} ({task_span(section)}).", size=size,
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


def _numbered_units(data: ReportData, keep=None) -> Iterator[tuple[str, int | None, int | None]]:
    """The units in tree order, numbered 1, 2, … across their groups; each group first as a heading
    numbered I, II, … (when there is more than one group): ``(number, group id, None)`` for a heading,
    ``(number, None, unit id)`` for a unit. ``keep``: only these units (a group left empty is skipped)."""
    groups: dict[int | None, list[int]] = defaultdict(list)
    for uid in data.unit_order:
        if keep is None or uid in keep:
            groups[data.tree.group_of(uid)].append(uid)
    headed = len(groups) > 1
    counter = 0
    for gi, (gid, unit_ids) in enumerate(groups.items()):
        if gid is not None and headed:
            yield _roman(gi + 1), gid, None
        for uid in unit_ids:
            counter += 1
            yield str(counter), None, uid


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
    for number, gid, uid in _numbered_units(data):
        if uid is None:
            bold_rows.append(len(rows))
            rows.append([number, data.tree.name(gid)] + [""] * (len(tasks) + 1 + with_periods))
            continue
        periods = sorted({t.row.period for sec, p in zip(tasks, periodic) if p
                          for t in cells.get((uid, sec.info.id), []) if t.row.period})
        for pi, period in enumerate(periods or [""]):
            first = pi == 0
            row: list[object] = [number if first else MERGE_UP, data.tree.name(uid) if first else MERGE_UP]
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
    for heading, gid, uid in _numbered_units(data):
        if uid is None:
            rows.append(FullRow(f"{heading}. {inline(data.tree.name(gid)).upper()}"))
            continue
        rows.append(FullRow(f"{heading}. {inline(data.tree.name(uid))}"))
        for number, t in enumerate(by_unit_rows[uid], 1):
            label = period_label(t.row.period)
            task = inline(t.row.task_title) + (f" ({label})" if label else "")
            status = status_text(t.status.value, t.days_late)
            rows.append([str(number), task, fmt_date(t.row.effective_due),
                         fmt_date(t.row.completed_on) if t.status in (Status.ON_TIME, Status.LATE) else "",
                         status])  # status_text: the one wording, with Excel's «Chi tiết»
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
        doc.note(f"{task_label(i)}: {inline(section.info.title)} ({task_span(section)}).", size=SUMMARY_SIZE,
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
    for number, gid, uid in _numbered_units(data):
        if uid is None:
            bold_rows.append(len(rows))
            rows.append([number, data.tree.name(gid)] + _counts(group_summaries_[gid]) + [""])
            continue
        late_tasks = task_refs(data, overdue[uid], prefix="") if uid in overdue else ""
        rows.append([number, data.tree.name(uid)] + _counts(data.unit_summaries[uid]) + [late_tasks])
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
    units = 0
    for heading, gid, uid in _numbered_units(data, keep=per_unit):
        if uid is None:
            rows.append(FullRow(f"{heading}. {inline(data.tree.name(gid)).upper()}"))
            continue
        units += 1
        rows.append(FullRow(f"{heading}. {inline(data.tree.name(uid))}"))
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
    rows.append(FullRow(f"Tổng cộng: {vn_number(len(attention))} lượt nhiệm vụ tại {vn_number(units)} cơ quan, "
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
