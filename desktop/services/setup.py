"""Setting up an office: reading a unit list, applying it, the first-run assistant's save."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from desktop.services import office_setup
from desktop.services.settings import Settings, load_settings
from desktop.workbooks.unit_list import UnitListPreview, apply_unit_list, read_unit_list


def preview_unit_list(db, path: str | Path, known_groups: Sequence[str] = (),
                      known_codes: Sequence[str] = ()) -> UnitListPreview:
    """Read a unit list against the units already there; raises UnitListError (Vietnamese message)."""
    with db.session() as s:
        return read_unit_list(path, s, known_groups=list(known_groups), known_codes=list(known_codes))


def import_unit_list(db, preview: UnitListPreview) -> None:
    """Add the good rows of ``preview``, in one transaction."""
    with db.session(context=f"nhap-don-vi:{preview.file_name}") as s:
        apply_unit_list(s, preview)


def office_state(db) -> tuple[bool, Settings]:
    """(the database holds no unit and no directive, the settings now)."""
    with db.session() as s:
        return office_setup.contents(s).empty, load_settings(s)


def is_empty(db) -> bool:
    with db.session() as s:
        return office_setup.contents(s).empty


def set_up_office(db, preset, settings: Settings, unit_list: UnitListPreview | None,
                  include_preset_units: bool) -> None:
    """The first-run assistant's «Hoàn tất»: settings, groups and units in one transaction."""
    with db.session(context="bat-dau") as s:
        office_setup.set_up_office(s, preset, settings, unit_list, include_preset_units=include_preset_units)
