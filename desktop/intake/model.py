"""What the reader proposes: plain dataclasses, serialisable to the issue's JSON shape."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from db.models import Role, TaskKind
from desktop.intake.units import UnitRef

HIGH, MEDIUM, LOW = "high", "medium", "low"
ROLE_ORDER = {Role.LEAD.value: 0, Role.COORDINATE.value: 1, Role.EXECUTE.value: 2}


@dataclass
class ProposedAssignment:
    unit: UnitRef
    role: str  # a Role code
    phrase: str = ""  # the words of the source that named it
    guess: bool = False  # found by a similar or shortened name: the officer confirms it


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
            "period_text": self.period_text,
            "unmatched": list(self.unmatched),
            "guessed_units": [a.unit.name for a in self.assignments if a.guess],
            "confidence": self.confidence(),
        }

    def confidence(self) -> dict[str, str]:
        """How sure the reader is of each proposed field: "high", "medium" (inferred: check it) or
        "low" (missing or doubtful: fill it in). The wizard highlights what is not "high"."""
        conf: dict[str, str] = {}
        if not self.assignments:
            conf["units"] = LOW
        elif "units" in self.guessed or any(a.guess for a in self.assignments) or self.unmatched \
                or all(a.phrase == "Kính gửi" for a in self.assignments):
            conf["units"] = MEDIUM
        else:
            conf["units"] = HIGH
        for name in ("start_date", "due_date", "report_due_date", "recurrence"):
            value = getattr(self, name)
            if value is None:
                continue
            conf[name] = MEDIUM if name in self.guessed else HIGH
        if self.period_text and self.due_date is None:
            conf["due_date"] = LOW  # "trong Quý II/2026": the officer decides the day
        if self.notes and any("năm bất thường" in n for n in self.notes):
            conf["due_date"] = LOW
        conf["summary"] = MEDIUM if self.summary.endswith("…") else HIGH  # cut short: the officer words it
        return conf


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
    guessed: set[str] = field(default_factory=set)  # document fields read from the body, not the header

    def confidence(self) -> dict[str, str]:
        conf = {}
        for name in ("doc_number", "doc_date", "issuer", "title", "doc_type"):
            value = getattr(self, name)
            # "Số: /VHTT" is a draft's number with the figure still blank
            blank = not value or (isinstance(value, str) and value.startswith("/"))
            conf[name] = LOW if blank else (MEDIUM if name in self.guessed else HIGH)
        return conf

    def to_dict(self) -> dict:
        return {
            "doc_number": self.doc_number,
            "doc_date": _iso(self.doc_date),
            "issuer": self.issuer,
            "doc_type": self.doc_type,
            "title": self.title,
            "confidence": self.confidence(),
            "tasks": [t.to_dict() for t in self.tasks],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
