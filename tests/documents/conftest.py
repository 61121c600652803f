"""Documents built once per session from a private copy of the demo database."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from db.queries import find_directive
from desktop.documents import Issue, build_reminder, build_report
from desktop.infra.database import Database, open_database
from desktop.services.demo import DEMO_TODAY

FINAL = Issue(final=True, number="5", issued_on=date(2025, 1, 9))


@dataclass
class DemoDocs:
    db: Database
    folder: Path
    report_2790: Path
    report_128: Path
    report_128_final: Path
    letter: Path  # every overdue unit, draft
    letter_2790: Path  # the units late on one directive, named one per line
    letter_reminder_id: int
    letter_assignment_ids: list[int]


def directive_id(db: Database, number: str) -> int:
    with db.session() as s:
        return find_directive(s, number).id


@pytest.fixture(scope="session")
def demo_docs(tmp_path_factory, _demo_template) -> DemoDocs:
    folder = tmp_path_factory.mktemp("demo-docs")
    target = folder / "demo.db"
    shutil.copyfile(_demo_template, target)
    db = open_database(target)
    d2790, d128 = directive_id(db, "2790/UBND-VHTT"), directive_id(db, "128/VHTT")
    r1 = build_report(db, folder / "Báo cáo 2790.docx", today=DEMO_TODAY, directive_ids=[d2790]).path
    r2 = build_report(db, folder / "Báo cáo 128.docx", today=DEMO_TODAY, directive_ids=[d128]).path
    r3 = build_report(db, folder / "Báo cáo 128 final.docx", today=DEMO_TODAY, directive_ids=[d128],
                      issue=FINAL).path
    letter = build_reminder(db, folder / "Công văn đôn đốc.docx", today=DEMO_TODAY)
    letter_2790 = build_reminder(db, folder / "Công văn đôn đốc 2790.docx", today=DEMO_TODAY,
                                 directive_ids=[d2790]).path
    yield DemoDocs(db, folder, r1, r2, r3, letter.path, letter_2790, letter.reminder_id, letter.assignment_ids)
    db.dispose()
