"""What the Báo cáo kết quả thực hiện says, as plain data (Qt-free; no Word here).

``collect_report`` reads everything in one session: the assignments in scope tracked as of a day
(counts come from ``desktop.tracking.stats`` so they match ``status --json``), per task its
summary, summed figures and the best reported content, the lateness reasons, reminders and
extensions, and the units in tree order. ``report`` renders it in the official form.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import Iterable, Sequence

from db.queries import assignment_rows
from desktop.documents.common import (
    DirectiveInfo,
    FigureTotal,
    Lateness,
    LatestReport,
    TaskInfo,
    UnitTree,
    load_directives,
    load_figure_totals,
    load_lateness,
    load_latest_reports,
    load_reminders,
    load_tasks,
    reminder_summary,
)
from desktop.documents.text import DocumentError, inline
from desktop.services.settings import Settings, load_settings
from desktop.tracking.figures import number_tasks, task_order_key
from desktop.tracking.stats import Summary, Tracked, by_unit, summarize, track
from desktop.tracking.status import Status

MATRIX_MAX_TASKS = 8  # beyond this the appendix lists one row per assignment
PORTRAIT_MAX_TASKS = 3
# Beyond this many rows (units in the matrix, assignments in the list) Phụ lục I is a per-unit
# summary followed by only the assignments needing attention: a 30,000-row list is 600 pages.
APPENDIX_MAX_ROWS = 2000
# Beyond this many units the body gives counts instead of naming every unit (a city office
# follows 1,000 units: 30 tasks named unit by unit would be 300 pages; ``report.NAMED_LIST_MAX``).
NAMED_UNITS_MAX = 100


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
