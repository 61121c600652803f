"""``read_directive``: from a file, bytes or pasted text to a DirectiveProposal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

from desktop.intake.clean import clean_blocks
from desktop.intake.extract import load_source
from desktop.intake.header import analyse
from desktop.intake.model import DirectiveProposal
from desktop.intake.segment import Segmenter
from desktop.intake.units import UnitMatcher, UnitRef, load_default_units


def read_directive(source: str | Path | bytes, units: Sequence[UnitRef] | None = None,
                   filename: str | None = None) -> DirectiveProposal:
    """Propose the directive's data and its tasks.

    ``source`` is a path (.docx, .pdf, .txt), the file's bytes, or pasted text; ``units`` the
    unit tree to match against (default: resources/default_units.json); ``filename`` helps with
    bytes and pasted text (type and year hints). Raises ``IntakeError`` (Vietnamese message)
    when the file cannot be read. Pure function: no database, no Qt, safe in a worker thread.
    """
    blocks, name = load_source(source, filename)
    doc = clean_blocks(blocks)
    header = analyse(doc, name)
    unit_list = list(units) if units is not None else load_default_units()
    # the day the units are taken at: the directive's date, else the middle of its year
    on = header.doc_date or (date(header.year_hint, 6, 30) if header.year_hint else None)

    issuer_unit = None
    if header.issuer:
        probe = UnitMatcher(unit_list, on=on)
        for m in probe.find(header.issuer):
            if m.group is None and len(m.units) == 1:
                issuer_unit = m.units[0]
                break
    matcher = UnitMatcher(unit_list, issuer_code=issuer_unit.code if issuer_unit else None, on=on)

    recipients: list[UnitRef] = []
    for i in header.recipients:
        for m in matcher.find(doc.paras[i].text):
            for u in m.units:
                if u not in recipients and (issuer_unit is None or u.code != issuer_unit.code):
                    recipients.append(u)

    body = list(range(header.body_start, header.body_end))
    appendix = list(range(header.appendix_start, len(doc.paras))) if header.appendix_start is not None else []
    segmenter = Segmenter(doc, matcher, header.year_hint, header.doc_date, recipients, header.doc_type)
    tasks = segmenter.run(body, appendix)
    return DirectiveProposal(
        doc_number=header.doc_number, doc_date=header.doc_date, issuer=header.issuer, doc_type=header.doc_type,
        title=header.title, tasks=tasks, text=doc.text, filename=name, recipients=recipients,
        issuer_unit=issuer_unit, guessed=set(header.guessed))
