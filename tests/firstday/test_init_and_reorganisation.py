"""``init`` from a preset and the office's list; the presets' data; the 1 July 2025 reorganisation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from lists import bad_rows, ward_rows, write_csv, write_xlsx
from sqlalchemy import select

from db.models import Assignment, AssignmentState, Unit
from desktop.cli import main
from desktop.infra.database import open_database
from desktop.services import office_setup, reorganisation
from desktop.services.settings import load_settings

# The seed directive, as the repository keeps it (a copy of shared/seeds).
SEED = Path(__file__).resolve().parents[1] / "data" / "directives" / "2024-cv-vhtt-ngay-cds.txt"


def test_init_ward_with_45_units_then_read_a_seed_against_it(tmp_path, capsys):
    units = write_csv(tmp_path / "list.csv", ward_rows())
    target = tmp_path / "phuong.db"
    assert main(["init", "--db", str(target), "--preset", "phuong", "--units", str(units)]) == 0
    out = capsys.readouterr().out
    assert "Đã nhập 45 đơn vị" in out
    db = open_database(target)
    try:
        with db.session() as s:
            settings = load_settings(s)
            assert settings.parent_agency == "ỦY BAN NHÂN DÂN PHƯỜNG …"
            assert settings.agency == "PHÒNG VĂN HÓA - XÃ HỘI"
            assert settings.agency_name == "Phòng Văn hóa - Xã hội" and settings.report_symbol == "BC-VHXH"
            rows = s.execute(select(Unit)).scalars().all()
            by_id = {u.id: u for u in rows}
            members = [u for u in rows if not u.is_group]
            assert len(members) == 45  # the office's list replaces the preset's sample units
            groups = {}
            for u in members:
                groups.setdefault(by_id[u.parent_id].name, []).append(u)
            assert len(groups["Tổ dân phố"]) == 40 and len(groups["Trường học"]) == 3
            assert [u.name for u in groups["Công an, quân sự"]] == ["Công an phường Gia Viên"]
    finally:
        db.dispose()
    assert main(["read-directive", str(SEED), "--db", str(target), "--json"]) == 0
    proposal = json.loads(capsys.readouterr().out)
    assert proposal["tasks"]
    codes = {c for t in proposal["tasks"] for c in t["unit_codes"]}
    assert codes and codes <= {u.code for u in members}  # the office's own units, not the district's


def test_init_names_the_ward_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "gv.db"
    assert main(["init", "--db", str(target), "--preset", "phuong", "--ten", "Gia Viên"]) == 0
    db = open_database(target)
    with db.session() as s:
        settings = load_settings(s)
        names = {u.name for u in s.execute(select(Unit)).scalars()}
    db.dispose()
    assert settings.parent_agency == "ỦY BAN NHÂN DÂN PHƯỜNG GIA VIÊN" and settings.place_name == "Gia Viên"
    assert "Công an phường" in names  # no list: the preset's own units
    assert main(["init", "--db", str(target), "--preset", "quan"]) == 2
    assert "--force" in capsys.readouterr().err


def test_a_bad_list_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "ds.csv"
    bad.write_bytes(b"a,b\r\n1,2\r\n")
    target = tmp_path / "x.db"
    assert main(["init", "--db", str(target), "--preset", "phuong", "--units", str(bad)]) == 2
    assert "tiêu đề" in capsys.readouterr().err
    assert not target.exists()


def test_init_from_xlsx_skips_bad_rows(tmp_path, capsys):
    units = write_xlsx(tmp_path / "ds.xlsx", ward_rows() + bad_rows())
    assert main(["init", "--db", str(tmp_path / "y.db"), "--preset", "phuong", "--units", str(units)]) == 0
    out = capsys.readouterr().out
    assert "Đã nhập 47 đơn vị" in out and out.count("Bỏ qua dòng") == 3


def test_city_preset_has_the_114_communes_with_their_source():
    preset = office_setup.load_preset("so")
    assert "1669/NQ-UBTVQH15" in preset.source
    communes = [u for u in preset.units if u.group in ("NHOM-PHUONG", "NHOM-XA", "NHOM-DACKHU")]
    assert len(communes) == 114
    by_group = {}
    for u in communes:
        by_group.setdefault(u.group, []).append(u.name)
    assert (len(by_group["NHOM-PHUONG"]), len(by_group["NHOM-XA"]), len(by_group["NHOM-DACKHU"])) == (45, 67, 2)
    assert "UBND phường Gia Viên" in by_group["NHOM-PHUONG"] and "UBND đặc khu Bạch Long Vĩ" in by_group["NHOM-DACKHU"]
    assert len({u.name for u in communes}) == 114 and len({u.code for u in communes}) == 114
    settings = preset.settings()
    assert settings.parent_agency == "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"


def test_city_init(tmp_path, capsys):
    target = tmp_path / "so.db"
    assert main(["init", "--db", str(target), "--preset", "so"]) == 0
    assert "1669/NQ-UBTVQH15" in capsys.readouterr().out
    db = open_database(target)
    with db.session() as s:
        assert office_setup.contents(s).units == 114
    db.dispose()


def test_district_preset_is_the_demo_organisation():
    from desktop.services import demo

    preset = office_setup.load_preset("quan")
    codes = {u.code for u in preset.units}
    assert {demo.ward_code(w) for w in demo.WARDS} <= codes
    assert {c for c, *_ in demo.OFFICES + demo.CENTRES + demo.MASS_ORGS + demo.SCHOOLS} <= codes
    assert preset.settings().parent_agency == "UBND QUẬN NGÔ QUYỀN"


def test_reorganisation_keeps_old_periods_under_the_old_ward(demo_db, tmp_path):
    on = date(2024, 10, 9)  # inside the demo's data, so that open assignments fall on both sides
    mapping = write_csv(tmp_path / "sap-xep.csv", [], bom=True)
    mapping.write_text("\ufeffĐơn vị cũ,Đơn vị mới\r\nP-CD,UBND phường Gia Viên\r\nP-GV,UBND phường Gia Viên\r\n"
                       "UBND phường Máy Chai,UBND phường Ngô Quyền\r\n", encoding="utf-8")
    rows = reorganisation.read_mapping(mapping)
    with demo_db.session() as s:
        ids = {u.code: u.id for u in s.execute(select(Unit)).scalars()}
        before = {(a.id, a.unit_id, a.state, a.effective_due) for a in s.execute(select(Assignment)).scalars()
                  if a.unit_id in (ids["P-CD"], ids["P-GV"], ids["P-MC"])}
        the_plan = reorganisation.plan(s, rows, on)
        assert the_plan.ok and the_plan.new_units == ["UBND phường Gia Viên", "UBND phường Ngô Quyền"]
        done = reorganisation.apply(s, the_plan)
    assert done["merged"] == 3 and done["created"] == 2
    open_states = {AssignmentState.NOT_STARTED.value, AssignmentState.IN_PROGRESS.value, AssignmentState.RETURNED.value}
    with demo_db.session() as s:
        units = {u.id: u for u in s.execute(select(Unit)).scalars()}
        new_gv = next(u for u in units.values() if u.name == "UBND phường Gia Viên" and u.active)
        old_gv = units[ids["P-GV"]]
        assert not old_gv.active and old_gv.merged_into_id == new_gv.id and old_gv.merged_on == on
        assert units[ids["P-CD"]].merged_into_id == new_gv.id
        assert "phường Gia Viên" in new_gv.aliases
        after = {a.id: a for a in s.execute(select(Assignment)).scalars()}
        moved = kept = 0
        for aid, unit_id, state, due in before:
            now = after[aid]
            if state in open_states and (due is None or due >= on):
                moved += now.unit_id != unit_id
            else:  # done, or an old period: still counted under the old ward
                assert now.unit_id == unit_id
                kept += 1
        assert moved == done["moved"] and moved > 0 and kept > 0


def test_reorganisation_errors_write_nothing(demo_db, tmp_path, capsys):
    mapping = tmp_path / "m.csv"
    mapping.write_text("Đơn vị cũ,Đơn vị mới\nP-XX,UBND phường Ngô Quyền\nP-MC,\n", encoding="utf-8")
    assert main(["sap-xep", "--db", str(demo_db.location), "--mapping", str(mapping)]) == 2
    out = capsys.readouterr().out
    assert "Không tìm thấy đơn vị cũ «P-XX»" in out and "Thiếu tên đơn vị mới" in out
    with demo_db.session() as s:
        assert all(u.active for u in s.execute(select(Unit)).scalars())


def test_empty_states_in_order():
    from desktop.services.office_setup import Contents

    assert office_setup.state_of(Contents(0, 0, 0)) == office_setup.NO_UNITS
    assert office_setup.state_of(Contents(45, 0, 0)) == office_setup.NO_DIRECTIVES
    assert office_setup.state_of(Contents(45, 1, 0)) == office_setup.NO_RESULTS
    assert office_setup.state_of(Contents(45, 1, 3)) == office_setup.FILLED
    assert Contents(0, 0, 0).empty and not Contents(0, 1, 0).empty
