"""The reader against hand-written ground truth: the three seed directives (real) and the
constructed layouts. The numbers printed by ``python tests/intake/intake_truth.py`` are the ones
reported; here every document must stay at least this good."""

from __future__ import annotations

import pytest
from intake_corpus import CORPUS
from intake_truth import DATA, SEEDS, doc_fields_right, match_tasks, score

from desktop.intake import read_directive

ALL = {**SEEDS, **CORPUS}


def _read(name: str, truth: dict):
    source = truth.get("source")
    return read_directive(source() if callable(source) else DATA / name, filename=name)


@pytest.mark.parametrize("name", list(ALL))
def test_document_fields(name):
    truth = ALL[name]
    proposal = _read(name, truth)
    right, total = doc_fields_right(proposal, truth)
    assert right == total, (proposal.to_dict() | {"tasks": None}, truth["doc"])


@pytest.mark.parametrize("name", list(ALL))
def test_tasks_units_roles_dates(name):
    truth = ALL[name]
    s = score(_read(name, truth), truth)
    assert not s.missed and not s.extra, (s.missed, s.extra)
    for what, counts in (("units", s.units), ("roles", s.roles), ("dates", s.dates)):
        assert counts.precision >= 0.95 and counts.recall >= 0.95, (what, str(counts))


@pytest.mark.parametrize("name", list(SEEDS))
def test_seed_tasks_exactly(name):
    """On the real directives every matched task has exactly the units, roles and dates written down."""
    truth = SEEDS[name]
    proposal = _read(name, truth)
    pairs, missed = match_tasks(proposal, truth["tasks"])
    assert not missed
    for i, j in pairs.items():
        t, p = truth["tasks"][i], proposal.tasks[j]
        assert {a.unit.code: a.role for a in p.assignments} == t.units, t.key
        got = tuple(x.isoformat() if x else None for x in (p.start_date, p.due_date, p.report_due_date))
        assert got + (p.recurrence,) == (t.start, t.due, t.report, t.recurrence), t.key


def test_scoring_notices_mistakes():
    """The scoring itself: a proposal with a task dropped and a unit changed scores lower."""
    name = "2022-cv-ubnd-quan-ngay-cds.txt"
    proposal = _read(name, SEEDS[name])
    del proposal.tasks[3]
    proposal.tasks[0].assignments.pop()
    s = score(proposal, SEEDS[name])
    assert s.tasks.recall < 1 and s.units.recall < 1 and s.missed == ["Giao Văn phòng Hội đồng nhân dân"]
