"""What the reader proposes: plain dataclasses, serialisable to the issue's JSON shape."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from db.models import Role, TaskKind
from desktop.intake.units import UnitRef

ROLE_ORDER = {Role.LEAD.value: 0, Role.COORDINATE.value: 1, Role.EXECUTE.value: 2}


@dataclass
class ProposedAssignment:
    unit: UnitRef
    role: str  # a Role code
    phrase: str = ""  # the words of the source that named it


@dataclass
class TaskProposal:
    summary: str
    evidence: str  # the source sentence(s), as in the cleaned text
    span: tuple[int, int]  # offsets of ``evidence`` in DirectiveProposal.text
    content: str = ""  # the evidence with the sub-items that belong to it
    assignments: list[ProposedAssignment] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # unit names not found in the tree
    start_date: date | None = None
    due_date: date | None = None
    report_due_date: date | None = None
    recurrence: str | None = None
    period_text: str | None = None  # a period that is not a date ("Quý II/2026"), as written
    kind: str = TaskKind.ONCE.value
    date_spans: list[tuple[int, int, str]] = field(default_factory=list)  # absolute, for highlighting
    notes: list[str] = field(default_factory=list)  # Vietnamese remarks (a typo'd year was ignored ...)
    guessed: set[str] = field(default_factory=set)  # fields proposed by inference, for the officer to check

    @property
    def units(self) -> list[str]:
        return [a.unit.name for a in self.assignments]

    @property
    def lead_units(self) -> list[str]:
        return [a.unit.name for a in self.assignments if a.role == Role.LEAD.value]

    @property
    def unit_codes(self) -> list[str]:
        return [a.unit.code for a in self.assignments]

    def role_of(self, code: str) -> str | None:
        return next((a.role for a in self.assignments if a.unit.code == code), None)

    def to_dict(self) -> dict:
        return {
            "summary": self.summary,
            "evidence": self.evidence,
            "units": self.units,
            "lead_units": self.lead_units,
            "unit_codes": self.unit_codes,
            "start_date": _iso(self.start_date),
            "due_date": _iso(self.due_date),
            "report_due_date": _iso(self.report_due_date),
            "recurrence": self.recurrence,
        }


@dataclass
class DirectiveProposal:
    doc_number: str | None = None
    doc_date: date | None = None
    issuer: str | None = None
    doc_type: str | None = None  # a DirectiveType code
    title: str | None = None
    tasks: list[TaskProposal] = field(default_factory=list)
    text: str = ""  # the cleaned text every span points into
    filename: str | None = None
    recipients: list[UnitRef] = field(default_factory=list)  # Kính gửi, mapped
    issuer_unit: UnitRef | None = None

    def to_dict(self) -> dict:
        return {
            "doc_number": self.doc_number,
            "doc_date": _iso(self.doc_date),
            "issuer": self.issuer,
            "doc_type": self.doc_type,
            "title": self.title,
            "tasks": [t.to_dict() for t in self.tasks],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
