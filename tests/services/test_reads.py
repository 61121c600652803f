"""The read services return plain rows (no ORM objects outlive their session) and leave nothing changed."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import Assignment, Directive, DirectiveType
from desktop.services import directives, extensions, reminders, tracking, units
from desktop.services.demo import DEMO_TODAY


def test_a_merge_preview_counts_without_merging(demo_db):
    rows = [u for u in units.all_units(demo_db) if u.active and not u.is_group]
    source, target = rows[0], rows[1]
    with demo_db.session() as s:
        before = s.execute(select(func.count()).select_from(Assignment)
                           .where(Assignment.unit_id == source.id)).scalar_one()
    moved, open_count = units.merge_preview(demo_db, source.id, target.id, DEMO_TODAY)
    assert 0 <= moved <= open_count == units.open_count(demo_db, source.id)
    assert units.all_units(demo_db) == units.all_units(demo_db)
    with demo_db.session() as s:
        assert s.execute(select(func.count()).select_from(Assignment)
                         .where(Assignment.unit_id == source.id)).scalar_one() == before
    assert isinstance(units.history_of(demo_db, source.id), list)


def test_editor_data_of_a_new_and_an_existing_directive(demo_db):
    new = directives.editor_data(demo_db, None, DirectiveType.PLAN.value)
    assert new.draft.id is None and new.draft.doc_type == DirectiveType.PLAN.value and new.units and new.issuers
    with demo_db.session() as s:
        did = s.execute(select(Directive.id).order_by(Directive.id)).scalars().first()
    existing = directives.editor_data(demo_db, did, DirectiveType.PLAN.value)
    assert existing.draft.id == did and existing.draft.tasks


def test_extension_and_reminder_views(demo_db):
    with demo_db.session() as s:
        ids = s.execute(select(Assignment.id).order_by(Assignment.id).limit(3)).scalars().all()
    row, history = extensions.extension_view(demo_db, ids[0])
    assert row.assignment_id == ids[0] and isinstance(history, list)
    rows, counts = reminders.reminder_view(demo_db, ids)
    assert sorted(r.assignment_id for r in rows) == ids and set(counts) <= set(ids)
    assert reminders.reminder_view(demo_db, []) == ([], {})


def test_tracking_reads(demo_db):
    listed = tracking.directive_list(demo_db)
    assert listed and all(len(item) == 4 for item in listed)
    assert tracking.office_contents(demo_db) is not None
