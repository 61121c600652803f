"""Filling in a proposed task, wherever it was found (a paragraph or a row of a Phụ lục table):
its short title, its dates and the notes about them, its kind."""

from __future__ import annotations

import re

from db.models import TaskKind
from desktop.intake.dates import TaskDates
from desktop.intake.model import TaskProposal
from desktop.intake.textutil import capitalize_first, fold_keep, squeeze

_LEAD_IN = re.compile(r"^[\W\d]*(?:(?:giao(?: cho)?|de nghi|yeu cau|doi voi)\s+)?")
_ROLE_WORDS = re.compile(r"[\s,]*(?:(?:la|lam) (?:co quan|don vi) )?(?:chu tri|cung phoi hop|phoi hop)"
                         r"(?:\s*(?:,|va)?\s*(?:chu tri|phoi hop))?(?:\s+(?:voi|cung))?[\s,]*")
_ASSIGNED_LEAD = re.compile(r"[\s,:]*(?:(?:tren dia ban|thuoc quan|truc thuoc|quan)\b[\s,]*)*(?:va\s+)?"
                            r"(?:co trach nhiem|chiu trach nhiem)?[\s,:]*")


def task_summary(text: str, res) -> str:
    """A short title for the task: the role preamble and the subject removed, the first clause kept."""
    text = squeeze(text)
    start = 0
    folded = fold_keep(text)
    if res is not None and res.subject_at_start is not None:
        start = res.subject_at_start[1]
    else:
        m = _LEAD_IN.match(folded)
        start = m.end() if m and m.end() < len(folded) and not re.match(r"[\W\d]*(?:giao|de nghi|yeu cau)\s*$",
                                                                          folded) else 0
        if start and res is not None and res.subject_at_start is None:
            start = 0 if not re.match(r"[\W\d]*(?:giao|de nghi|yeu cau)", folded) else start
    m = _ROLE_WORDS.match(folded, start)
    if m and m.end() > start:
        start = m.end()
        if res is not None and res.coord_span and res.coord_span[0] <= start + 2:
            start = res.coord_span[1]
            m = _ROLE_WORDS.match(folded, start)  # "..., Y phối hợp tổ chức ..."
            if m and m.end() > start:
                start = m.end()
    m = _ASSIGNED_LEAD.match(folded, start)
    if m:
        start = m.end()
    body = text[start:].lstrip(" ,:;-–")
    if len(body) < 12:
        body = re.sub(r"^[\W\d]*", "", text)
    cut = len(body)
    for pattern in (r";", r"\.\s", r",\s*đồng thời", r":\s", r"\s\(Gợi ý"):
        mm = re.search(pattern, body)
        if mm and mm.start() >= 12:
            cut = min(cut, mm.start())
    body = re.sub(r",?\s*(?:cụ thể|như sau|gồm)\s*$", "", body[:cut].rstrip(" ,.;:"))
    if len(body) > 160:
        body = body[:160].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    return capitalize_first(body)


def apply_dates(task: TaskProposal, d: TaskDates, offset: int, doc_text: str, fill_only: bool = False) -> None:
    """Put the dates ``d`` found at ``offset`` of the cleaned text ``doc_text`` on the task (only
    where it has none when ``fill_only``), with their spans and the notes the officer reads."""
    if not fill_only or not (task.start_date or task.due_date):
        task.start_date = task.start_date or d.start_date
        task.due_date = task.due_date or d.due_date
    task.report_due_date = task.report_due_date or d.report_due_date
    task.recurrence = task.recurrence or d.recurrence
    task.period_text = task.period_text or d.period_text
    if d.ongoing and not task.due_date and not task.recurrence:
        task.kind = TaskKind.ONGOING.value
    for s, e, what in d.used:
        task.date_spans.append((offset + s, offset + e, what))
    for s, e, value in d.strict:
        if value in (task.due_date, task.report_due_date):
            task.notes.append(f"«trước ngày {doc_text[offset + s:offset + e]}» được hiểu là hạn cuối "
                              f"ngày {value:%d/%m/%Y}.")
    for s, e, why in d.rejected:
        if why == "implausible_year":
            task.notes.append("Bỏ qua một ngày có năm bất thường (có thể gõ nhầm): "
                              f"«{doc_text[offset + s:offset + e]}».")
    set_kind(task)


def set_kind(task: TaskProposal) -> None:
    """Periodic when it recurs; a dated task is not ongoing."""
    if task.recurrence:
        task.kind = TaskKind.PERIODIC.value
    elif task.kind == TaskKind.ONGOING.value and task.due_date:
        task.kind = TaskKind.ONCE.value
