"""An office's first day: the kinds of office (presets, data in ``resources/preset-*.json``), the
header settings they give, and a new database set up from one of them with the office's own
units. Used by the first-run assistant (``desktop.ui.first_run``) and ``python -m desktop init``.

Presets are data, not constants: the names, groups and units are in the JSON files; the only
code here fills the place name («phường …» until the officer names it) into the header texts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Directive, Unit, UnitKind, UnitReport
from desktop.services import operations as ops
from desktop.services.settings import Settings, save_settings

PRESET_KEYS = ("phuong", "quan", "so")
DEMO_KEY = "demo"
UNNAMED = "…"  # the place in the header until the officer names it


def _resources() -> Path:
    import resources

    return Path(resources.__file__).resolve().parent


@dataclass
class PresetGroup:
    code: str
    name: str
    kind: str


@dataclass
class PresetUnit:
    code: str
    name: str
    kind: str
    group: str | None
    aliases: tuple[str, ...] = ()
    short_name: str = ""


@dataclass
class Preset:
    key: str
    label: str
    description: str
    place_kind: str  # «phường», «quận», «thành phố»: fills {cap} in the header texts
    settings_template: dict[str, str]
    default_place: str = ""
    groups: list[PresetGroup] = field(default_factory=list)
    units: list[PresetUnit] = field(default_factory=list)
    source: str = ""  # where the unit list comes from (the resolution for the city preset)

    def settings(self, place: str = "") -> Settings:
        """Header settings with the place filled in; «…» while it is not named."""
        place = " ".join((place or self.default_place).split()) or UNNAMED
        values = {"{TEN}": place.upper() if place != UNNAMED else UNNAMED, "{Ten}": place,
                  "{CAP}": self.place_kind.upper(), "{cap}": self.place_kind}
        result = Settings()
        for f in fields(Settings):
            template = self.settings_template.get(f.name)
            if template is None or not isinstance(getattr(result, f.name), str):
                continue
            text = template
            for token, value in values.items():
                text = text.replace(token, value)
            setattr(result, f.name, text)
        return result


def _units_from(data: dict) -> tuple[list[PresetGroup], list[PresetUnit]]:
    groups = [PresetGroup(g["code"], g["name"], g.get("kind", UnitKind.OTHER.value)) for g in data.get("groups", [])]
    units = [PresetUnit(u["code"], u["name"], u.get("kind", UnitKind.OTHER.value), u.get("group"),
                        tuple(u.get("aliases", ())), u.get("short_name", "")) for u in data.get("units", [])]
    return groups, units


def load_preset(key: str) -> Preset:
    if key not in PRESET_KEYS:
        raise ValueError(f"unknown preset {key!r}")
    folder = _resources()
    data = json.loads((folder / f"preset-{key}.json").read_text(encoding="utf-8"))
    groups, units = _units_from(data)
    source = ""
    if data.get("units_file"):  # the district: the demo's organisation, kept once in default_units.json
        more_groups, more_units = _units_from(json.loads((folder / data["units_file"]).read_text(encoding="utf-8")))
        groups, units = more_groups + groups, more_units + units
    if data.get("communes"):  # the city: its communes, wards and special zones
        communes = json.loads((folder / data["communes"]).read_text(encoding="utf-8"))
        source = communes.get("source", "")
        groups = [PresetGroup(g["code"], g["name"], UnitKind.WARD.value) for g in communes["groups"]] + groups
        by_kind = {g["kind"]: g["code"] for g in communes["groups"]}
        units = [PresetUnit(u["code"], u["name"], UnitKind.WARD.value, by_kind[u["kind"]], tuple(u.get("aliases", ())))
                 for u in communes["units"]] + units
    return Preset(key=key, label=data["label"], description=data.get("description", ""),
                  place_kind=data.get("place_kind", ""), settings_template=data["settings"],
                  default_place=data.get("default_place", ""), groups=groups, units=units, source=source)


def all_presets() -> list[Preset]:
    return [load_preset(k) for k in PRESET_KEYS]


# ------------------------------------------------------------------ state of a database


@dataclass
class Contents:
    units: int
    directives: int
    reports: int

    @property
    def empty(self) -> bool:
        return self.units == 0 and self.directives == 0


NO_UNITS, NO_DIRECTIVES, NO_RESULTS, FILLED = "no_units", "no_directives", "no_results", ""


def state_of(held: Contents) -> str:
    """What an office should do next: units first, then a directive, then results."""
    if held.units == 0:
        return NO_UNITS
    if held.directives == 0:
        return NO_DIRECTIVES
    if held.reports == 0:
        return NO_RESULTS
    return FILLED


def contents(session: Session) -> Contents:
    """How much the database holds: drives the first-run assistant and the empty states."""
    units = session.execute(select(func.count()).select_from(Unit).where(Unit.is_group.is_(False))).scalar_one()
    directives = session.execute(select(func.count()).select_from(Directive)).scalar_one()
    reports = session.execute(select(func.count()).select_from(UnitReport)).scalar_one()
    return Contents(int(units), int(directives), int(reports))


# ------------------------------------------------------------------ setting up


def add_preset_units(session: Session, preset: Preset, include_units: bool = True,
                     group_codes: set[str] | None = None) -> int:
    """Add the preset's groups (those in ``group_codes`` when given) and, with ``include_units``,
    its units. Codes already in the database are left alone. Returns the number of units added."""
    taken = {c for (c,) in session.execute(select(Unit.code))}
    group_ids: dict[str, int] = {u.code: u.id for u in session.execute(select(Unit).where(Unit.is_group)).scalars()}
    order = len(group_ids)
    for group in preset.groups:
        if group_codes is not None and group.code not in group_codes:
            continue
        if group.code in taken:
            continue
        order += 1
        unit = ops.add_unit(session, ops.UnitInput(code=group.code, name=group.name, kind=group.kind,
                                                   is_group=True, sort_order=order))
        group_ids[group.code] = unit.id
        taken.add(group.code)
    added = 0
    if include_units:
        counters: dict[str | None, int] = {}
        for item in preset.units:
            if item.code in taken or (item.group and item.group not in group_ids):
                continue
            counters[item.group] = counters.get(item.group, 0) + 1
            ops.add_unit(session, ops.UnitInput(
                code=item.code, name=item.name, kind=item.kind, short_name=item.short_name,
                parent_id=group_ids.get(item.group) if item.group else None, sort_order=counters[item.group],
                aliases="; ".join(item.aliases)))
            taken.add(item.code)
            added += 1
    session.flush()
    return added


def set_up_office(session: Session, preset: Preset, settings: Settings, unit_list=None,
                  include_preset_units: bool = True) -> dict[str, int]:
    """Write an office's header settings, the preset's groups and units, and its own unit list
    (a checked ``desktop.workbooks.unit_list.UnitListPreview``) in the caller's transaction."""
    from desktop.workbooks.unit_list import apply_unit_list

    save_settings(session, settings)
    preset_units = add_preset_units(session, preset, include_units=include_preset_units)
    imported = groups = 0
    if unit_list is not None:
        result = apply_unit_list(session, unit_list)
        imported, groups = result.units, result.groups
    return {"preset_units": preset_units, "imported": imported, "new_groups": groups}
