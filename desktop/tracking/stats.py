"""Statistics on tracked assignments: by unit, task, directive, period, and overall.

Counting follows the government's practice: among the assignments that are *due* (done either way,
or overdue), the share done on time, done late and not done. Paused and cancelled assignments are
counted apart and never enter the rates; so are reports awaiting approval (``pending_review``), until
the office accepts (done) or returns them (then by their deadline).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Hashable, Iterable

from db.queries import AssignmentRow
from desktop.tracking.status import Status, StatusResult, compute_status, is_due


@dataclass(frozen=True, slots=True)
class Tracked:
    """An assignment row with its status on a given day."""

    row: AssignmentRow
    result: StatusResult

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def days_late(self) -> int | None:
        return self.result.days_late


def track(rows: Iterable[AssignmentRow], today: date, due_soon_days: int) -> list[Tracked]:
    return [
        Tracked(r, compute_status(r.state, r.effective_due, r.completed_on, today, due_soon_days, r.reported_on))
        for r in rows
    ]


@dataclass
class Summary:
    assigned: int = 0  # everything, paused and cancelled included
    excluded: int = 0  # paused + cancelled
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    in_progress: int = 0  # within time, due soon included
    due_soon: int = 0
    no_deadline: int = 0
    pending_review: int = 0  # reported, awaiting the office's acceptance: neither done nor overdue
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, t: Tracked) -> None:
        s = t.status
        self.assigned += 1
        self.counts[s.value] = self.counts.get(s.value, 0) + 1
        if s in (Status.PAUSED, Status.CANCELLED):
            self.excluded += 1
            return
        if is_due(t.result):
            self.due += 1
        if s is Status.ON_TIME:
            self.on_time += 1
        elif s is Status.LATE:
            self.late += 1
        elif s is Status.OVERDUE:
            self.overdue += 1
        elif s is Status.NO_DEADLINE:
            self.no_deadline += 1
        elif s is Status.PENDING_REVIEW:
            self.pending_review += 1
        else:
            self.in_progress += 1
            if s is Status.DUE_SOON:
                self.due_soon += 1

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def active(self) -> int:
        return self.assigned - self.excluded

    def rate(self, part: int) -> float | None:
        """Share of the due assignments, in percent with one decimal; None when nothing is due."""
        return round(100.0 * part / self.due, 1) if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.on_time)

    @property
    def late_rate(self) -> float | None:
        return self.rate(self.late)

    @property
    def not_done_rate(self) -> float | None:
        return self.rate(self.overdue)

    def as_dict(self) -> dict:
        return {
            "assigned": self.assigned,
            "excluded": self.excluded,
            "due": self.due,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "in_progress": self.in_progress,
            "due_soon": self.due_soon,
            "no_deadline": self.no_deadline,
            "pending_review": self.pending_review,
            "on_time_rate": self.on_time_rate,
            "late_rate": self.late_rate,
            "not_done_rate": self.not_done_rate,
        }


def summarize(tracked: Iterable[Tracked]) -> Summary:
    summary = Summary()
    for t in tracked:
        summary.add(t)
    return summary


def group_summaries(tracked: Iterable[Tracked], key: Callable[[Tracked], Hashable]) -> dict[Hashable, Summary]:
    groups: dict[Hashable, Summary] = defaultdict(Summary)
    for t in tracked:
        groups[key(t)].add(t)
    return dict(groups)


def by_unit(tracked: Iterable[Tracked]) -> dict[int, Summary]:
    return group_summaries(tracked, lambda t: t.row.unit_id)


def by_task(tracked: Iterable[Tracked]) -> dict[int, Summary]:
    return group_summaries(tracked, lambda t: t.row.task_id)
