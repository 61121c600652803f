"""desktop.services.setup: a unit list is read without writing, and added in one transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import Unit
from desktop.services import setup
from tests.firstday.lists import bad_rows, ward_rows, write_csv


def _count(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Unit)).scalar_one()


def test_preview_writes_nothing_and_import_adds_the_good_rows(db, tmp_path):
    empty, settings = setup.office_state(db)
    assert empty and setup.is_empty(db) and settings is not None
    path = write_csv(tmp_path / "danh-sach.csv", ward_rows() + bad_rows())
    preview = setup.preview_unit_list(db, path)
    assert len(preview.good_rows) == 46 and len(preview.bad_rows) == 3
    assert _count(db) == 0
    setup.import_unit_list(db, preview)
    assert _count(db) == 46 + len(preview.new_groups)
    assert not setup.is_empty(db)
