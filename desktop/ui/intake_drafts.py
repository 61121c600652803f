"""The intake wizard's working copy of a proposal: one ``TaskDraft`` per proposed task, as the
officer edits it (plain data, unit ids of the database), and how a draft reads in the table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from db.models import Role, TaskKind
from desktop.intake import DirectiveProposal
from desktop.tracking import labels


@dataclass
class TaskDraft:
    """One proposed task as the officer edits it (plain data; unit ids of the database)."""

    include: bool
    title: str
    content: str
    span: tuple[int, int]
    date_spans: list[tuple[int, int, str]] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    report: date | None = None
    recurrence: str = ""
    ongoing: bool = False
    roles: dict[int, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confidence: dict[str, str] = field(default_factory=dict)  # field -> "high" | "medium" | "low"
    guessed_units: set[int] = field(default_factory=set)  # unit ids found by a similar or shortened name
    period_text: str = ""  # "Quý II/2026": a period the reader did not turn into a date

    def kind(self) -> str:
        if self.recurrence:
            return TaskKind.PERIODIC.value
        if self.ongoing and not self.due:
            return TaskKind.ONGOING.value
        return TaskKind.ONCE.value


def drafts_from_proposal(proposal: DirectiveProposal, unit_refs) -> list[TaskDraft]:
    """The proposal's tasks as drafts; units known by code only are found among ``unit_refs``."""
    ids = {u.code: u.id for u in unit_refs}
    drafts = []
    for task in proposal.tasks:
        roles = {}
        guessed = set()
        for a in task.assignments:
            uid = a.unit.id if a.unit.id is not None else ids.get(a.unit.code)
            if uid is not None:
                roles[uid] = a.role
                if a.guess:
                    guessed.add(uid)
        drafts.append(TaskDraft(
            include=True, title=task.summary, content=task.content, span=task.span,
            date_spans=list(task.date_spans), start=task.start_date, due=task.due_date,
            report=task.report_due_date, recurrence=task.recurrence or "",
            ongoing=task.kind == TaskKind.ONGOING.value, roles=roles, unmatched=list(task.unmatched),
            notes=list(task.notes), confidence=task.confidence(), guessed_units=guessed,
            period_text=task.period_text or ""))
    return drafts


def unit_text(draft: TaskDraft, unit_rows) -> str:
    """The «Đơn vị» cell: the units by role, a unit found by a similar name marked as a guess."""
    names = {u.id: (u.short_name or u.name) for u in unit_rows}
    parts = []
    for role in (Role.LEAD.value, Role.COORDINATE.value, Role.EXECUTE.value):
        ids = [uid for uid, r in draft.roles.items() if r == role]
        if not ids:
            continue
        label = labels.ROLE[role]
        # a unit found by a similar name is shown as a guess: "≈ TT VH-TT&TT (đoán)"
        shown = ", ".join(f"≈ {names.get(i, '?')} (đoán)" if i in draft.guessed_units else names.get(i, "?")
                          for i in ids) if len(ids) <= 3 else f"{len(ids)} đơn vị"
        if len(ids) > 3 and draft.guessed_units & set(ids):
            shown += f" (≈ {len(draft.guessed_units & set(ids))} đoán)"
        parts.append(f"{label}: {shown}")
    if not parts:
        return "(chưa có đơn vị)"
    return "; ".join(parts)
