"""Rows of a Phụ lục table to tasks: the table's columns (content, lead, coordinating units, time)
were recognised by ``clean``; a row that only heads a section gives the dates of the rows under it."""

from __future__ import annotations

import re
from datetime import date

from db.models import Role
from desktop.intake.clean import CleanDoc, is_caps_heading
from desktop.intake.dates import TaskDates, extract_dates
from desktop.intake.model import ProposedAssignment, TaskProposal
from desktop.intake.proposal import apply_dates, set_kind, task_summary
from desktop.intake.units import UnitMatcher, UnitRef


def table_tasks(doc: CleanDoc, matcher: UnitMatcher, recipients: list[UnitRef], year: int | None,
                doc_date: date | None) -> list[TaskProposal]:
    """One task per row of a Phụ lục table with a content column: its units from the lead and
    coordinating columns, its dates from the time column (or the section row above it)."""
    tasks: list[TaskProposal] = []
    section_dates: TaskDates | None = None
    for para in doc.paras:
        if para.kind != "row" or para.table is None:
            continue
        cols = doc.tables[para.table]
        cells = para.cells or []

        def cell(role: str) -> str:
            j = cols.get(role)
            return cells[j] if j is not None and j < len(cells) else ""

        content = cell("content").strip()
        index = cell("index").strip()
        distinct = {c for c in cells if c}
        if not content or len(distinct) == 1 or re.fullmatch(r"[IVX]+\.?", index) or \
                (is_caps_heading(content) and not cell("lead")):
            section_dates = extract_dates(cell("time"), year, doc_date, implicit=True) \
                if cell("time") else None
            continue
        task = TaskProposal(summary=task_summary(content, None), evidence=para.text, span=(para.start, para.end),
                            content=content)
        lead_role = Role.LEAD.value if "coord" in cols else Role.EXECUTE.value
        for role_col, role in (("lead", lead_role), ("coord", Role.COORDINATE.value)):
            text = cell(role_col)
            for m in matcher.find(text, recipients):
                if m.unmatched or not m.units:
                    task.unmatched.append(m.phrase)
                for u in m.units:
                    if u.code not in task.unit_codes:
                        task.assignments.append(ProposedAssignment(u, role, m.phrase, guess=m.fuzzy))
                if m.fuzzy:
                    task.guessed.add("units")
        time_text = cell("time")
        offset = para.text.find(time_text) + para.start if time_text else para.start
        if time_text:
            apply_dates(task, extract_dates(time_text, year, doc_date, implicit=True), offset, doc.text)
        content_off = para.text.find(content) + para.start
        apply_dates(task, extract_dates(content, year, doc_date), content_off, doc.text)
        if section_dates is not None and not (task.start_date or task.due_date or task.recurrence):
            task.start_date, task.due_date = section_dates.start_date, section_dates.due_date
            task.recurrence = section_dates.recurrence
        set_kind(task)
        tasks.append(task)
    return tasks
