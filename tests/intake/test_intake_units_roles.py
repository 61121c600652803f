"""Unit matching (names, aliases, abbreviations, fuzzy, group phrases) and role detection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from intake_truth import MASS, OFFICES, SCHOOLS, WARDS

from db.models import Role
from desktop.intake.roles import Subject, assign_roles, subject_of_heading
from desktop.intake.textutil import fold_keep, normalize_for_match
from desktop.intake.units import UnitMatcher, UnitRef, load_default_units

UNITS = load_default_units()
M = UnitMatcher(UNITS)


def codes(text: str, recipients=()) -> list[list[str]]:
    return [m.codes for m in M.find(text, recipients)]


def flat(text: str) -> set[str]:
    return {c for cs in codes(text) for c in cs}


# ------------------------------------------------------------------ named units

@pytest.mark.parametrize("text, code", [
    ("Phòng Văn hóa và Thông tin", "VHTT"),
    ("phòng Văn hoá - Thông tin quận", "VHTT"),
    ("Phòng VH&TT", "VHTT"),
    ("Phòng GD&ĐT", "GDDT"),
    ("Phòng Giáo dục - Đào tạo", "GDDT"),
    ("Phong Giao duc va Dao tao", "GDDT"),  # typed without diacritics
    ("Trung tâm Văn hóa - Thông tin và Thể thao", "TTVH"),
    ("Trung tâm VH-TT&TT quận", "TTVH"),
    ("Trung tâm Văn hóa, Thông tin và Thể thao", "TTVH"),
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "VPUB"),
    ("Văn phòng HĐND và UBND quận", "VPUB"),
    ("Uỷ ban nhân dân phường Máy Chai", "P-MC"),
    ("UBND phường Đổng Quốc Bình", "P-DQB"),
    ("P. Đông Khê", "P-DK"),
    ("Trường THCS Chu Văn An", "THCS-CVA"),
    ("trường trung học cơ sở Lê Lợi", "THCS-LL"),
    ("Hội Liên hiệp Phụ nữ quận", "HLHPN"),
    ("Quận đoàn", "QDOAN"),
])
def test_named_units(text, code):
    assert codes(text) == [[code]]


def test_school_and_ward_with_the_same_name_stay_apart():
    assert codes("UBND phường Lê Lợi và Trường THCS Lê Lợi") == [["P-LL"], ["THCS-LL"]]


def test_ward_names_listed_after_one_mention():
    assert codes("UBND các phường Máy Chai, Lạch Tray và Cầu Tre") == [["P-MC", "P-LT", "P-CT"]]
    assert codes("phường Đông Khê, Gia Viên") == [["P-DK", "P-GV"]]


def test_bare_street_names_are_not_wards():
    assert flat("tại các tuyến phố Lê Lợi, Lạch Tray") == set()


@pytest.mark.parametrize("text, code", [
    ("Trung tâm Văn hóa Thể thao và Thông tin", "TTVH"),  # words in another order
    ("Phòng Giáo dụv và Đào tạo", "GDDT"),  # a typo
    ("Trung tâm Văn hóa - Thông tn và Thể thao", "TTVH"),
])
def test_fuzzy_matches(text, code):
    (mention,) = M.find(text)
    assert mention.codes == [code] and mention.fuzzy


def test_unknown_units_are_reported_unmatched():
    (m,) = M.find("phối hợp với Sở Thông tin và Truyền thông, tham mưu")
    assert m.unmatched and m.phrase == "Sở Thông tin và Truyền thông" and not m.units
    assert M.find("Sở Tài chính")[0].phrase == "Sở Tài chính"


def test_lower_case_common_words_are_not_units():
    assert M.find("trên hệ thống truyền thanh phường, tại phòng họp số 2") == []


def test_aliases_from_the_database_are_used():
    unit = UnitRef(7, "BQL", "Ban Quản lý dự án đầu tư xây dựng quận", "trung_tam", None, ("BQLDA quận",))
    assert UnitMatcher([unit]).find("Giao BQLDA quận lập hồ sơ")[0].codes == ["BQL"]


# ------------------------------------------------------------------ group phrases

@pytest.mark.parametrize("text, expected", [
    ("Ủy ban nhân dân các phường", WARDS),
    ("UBND 12 phường", WARDS),
    ("Uỷ ban nhân dân các quận, huyện, xã, phường, thị trấn", WARDS),
    ("các trường học thuộc quận", SCHOOLS),
    ("các trường trung học cơ sở, trung học phổ thông trên địa bàn", SCHOOLS),
    ("các phòng, ban, ngành", OFFICES),
    ("các phòng quản lý nhà nước", OFFICES),
    ("Các phòng, ban, ngành, đoàn thể thuộc quận", OFFICES + MASS),
    ("các đơn vị sự nghiệp", ["TTVH"]),
    ("các phòng quản lý nhà nước, đơn vị sự nghiệp thuộc quận", OFFICES + ["TTVH"]),
])
def test_group_phrases(text, expected):
    assert sorted(flat(text)) == sorted(expected)


def test_school_levels_narrow_the_group():
    units = UNITS + [UnitRef(None, "TH-1", "Trường Tiểu học Lê Lợi", "truong_hoc", "NHOM-TRUONG")]
    matcher = UnitMatcher(units)
    found = {c for m in matcher.find("các trường trung học cơ sở") for c in m.codes}
    assert found == {c for c in SCHOOLS if c.startswith("THCS")}


def test_the_issuer_is_not_in_its_own_group():
    matcher = UnitMatcher(UNITS, issuer_code="VHTT")
    found = {c for m in matcher.find("Các phòng, ban, ngành thuộc quận") for c in m.codes}
    assert "VHTT" not in found and found == set(OFFICES) - {"VHTT"}


def test_agencies_and_units_mean_the_addressees():
    recipients = [u for u in UNITS if u.code in ("GDDT", "TTVH")]
    (m,) = M.find("các cơ quan, đơn vị", recipients)
    assert m.recipients and m.codes == ["GDDT", "TTVH"]
    (m,) = M.find("các cơ quan, đơn vị")
    assert m.unmatched and not m.units


@pytest.mark.parametrize("text", ["các đơn vị liên quan", "các cơ quan báo chí", "các Sở, ban, ngành thành phố"])
def test_vague_or_city_groups_name_nobody(text):
    assert flat(text) == set()


# ------------------------------------------------------------------ roles

def roles(text: str, inherited: Subject | None = None, defaults: Subject | None = None) -> dict[str, str]:
    res = assign_roles(text, M.find(text), inherited, defaults)
    return {code: role for code, (u, role, p) in res.roles.items()}


L, C, E = Role.LEAD.value, Role.COORDINATE.value, Role.EXECUTE.value


def test_giao_makes_the_units_executors():
    assert roles("Giao Văn phòng HĐND và UBND quận đăng tải Kế hoạch") == {"VPUB": E}


def test_de_nghi_makes_the_units_executors():
    assert roles("Đề nghị Hội Liên hiệp Phụ nữ quận vận động") == {"HLHPN": E}


def test_the_lead_guides_units_that_carry_it_out():
    """«X chủ trì hướng dẫn Y tổ chức …»: Y carry it out; without «chủ trì», «X hướng dẫn Y …» is
    X's task alone (Y are whom it guides)."""
    wards = {c for c in flat("UBND các phường")}
    assert len(wards) > 5
    found = roles("Ủy ban Mặt trận Tổ quốc Việt Nam quận chủ trì hướng dẫn UBND các phường tổ chức Ngày hội tại "
                  "các khu dân cư")
    assert found == {"MTTQ": L} | {w: E for w in wards}
    assert roles("Giao Phòng Tư pháp hướng dẫn các phường số hóa sổ hộ tịch") == {"TP": E}


def test_units_joined_with_tham_gia_cung_coordinate():
    """«X … tham gia cùng Y»: Y coordinate, X is accountable (as with «phối hợp với Y»)."""
    wards = {c for c in flat("UBND các phường")}
    assert roles("Quận đoàn huy động đoàn viên thanh niên tham gia cùng UBND các phường") == \
        {"QDOAN": L} | {w: C for w in wards}


def test_the_unit_that_advises_a_superior_body_carries_the_task():
    """«Đề nghị UBND quận ban hành … (Phòng Tư pháp tham mưu)»: the district's people's committee is
    not a unit the office follows; the department that drafts for it is."""
    assert roles("Đề nghị Ủy ban nhân dân quận ban hành quy chế phối hợp trước ngày 15/5/2025 "
                 "(Phòng Tư pháp tham mưu).") == {"TP": E}
    assert roles("Phòng Tư pháp tham mưu Ủy ban nhân dân quận ban hành quy chế phối hợp") == {"TP": E}


def test_x_chu_tri_y_phoi_hop():
    assert roles("Giao Phòng Văn hóa và Thông tin chủ trì, Trung tâm VH-TT&TT phối hợp tổ chức") == \
        {"VHTT": L, "TTVH": C}


def test_x_chu_tri_phoi_hop_voi_y():
    assert roles("Phòng Văn hóa và Thông tin chủ trì, phối hợp với Quận Đoàn tổ chức Hội thi") == \
        {"VHTT": L, "QDOAN": C}


def test_subject_phoi_hop_partner_makes_the_subject_accountable():
    assert roles("Phòng Giáo dục và Đào tạo phối hợp phòng Văn hóa và Thông tin nghiên cứu") == \
        {"GDDT": L, "VHTT": C}


def test_objects_are_not_assignees():
    assert roles("Giao Phòng Nội vụ hướng dẫn các phường rà soát; báo cáo Ủy ban nhân dân quận") == {"NV": E}
    assert roles("Phòng Giáo dục và Đào tạo chỉ đạo các trường học tổ chức") == {"GDDT": E}
    assert roles("Tổng hợp, báo cáo về Phòng Văn hóa và Thông tin") == {}


def test_the_requester_is_not_an_assignee():
    assert roles("Phòng Văn hóa và Thông tin quận đề nghị Ủy ban nhân dân 12 phường tổ chức") == \
        {c: E for c in WARDS}


def test_a_heading_hands_its_unit_down():
    heading = "Phòng Văn hóa và Thông tin:"
    subject = subject_of_heading(heading, M.find(heading))
    assert [u.code for u in subject.units] == ["VHTT"]
    assert roles("Chủ trì, phối hợp cùng Trung tâm Văn hóa - Thông tin và Thể thao tăng cường", subject) == \
        {"VHTT": L, "TTVH": C}
    assert roles("Tổng hợp kết quả thực hiện của các đơn vị", subject) == {"VHTT": E}
    assert roles("Phối hợp tổ chức các hoạt động", subject) == {"VHTT": C}
    # an item naming its own subject does not take the heading's
    assert roles("Phòng Giáo dục và Đào tạo phối hợp phòng Văn hóa và Thông tin", subject) == {"GDDT": L, "VHTT": C}


def test_an_unknown_heading_unit_blocks_the_defaults():
    heading = "1. Sở Thông tin và Truyền thông"
    subject = subject_of_heading(heading[3:], M.find(heading[3:]))
    assert subject.unmatched == ["Sở Thông tin và Truyền thông"] and not subject.units
    defaults = Subject(units=[u for u in UNITS if u.code == "GDDT"])
    res = assign_roles("Chỉ đạo, hướng dẫn các cơ quan báo chí", [], subject, defaults)
    assert res.roles == {} and res.unmatched == ["Sở Thông tin và Truyền thông"]


def test_defaults_apply_when_nobody_is_named():
    defaults = Subject(units=[u for u in UNITS if u.code in ("GDDT", "TTVH")])
    assert roles("Phát động phong trào thi đua", None, defaults) == {"GDDT": E, "TTVH": E}


def test_one_role_per_unit_lead_first():
    assert roles("Phòng VH&TT chủ trì, phối hợp với các phòng, ban, ngành tổ chức")["VHTT"] == L


# ------------------------------------------------------------------ text keys (property)

@given(st.text(max_size=60))
def test_fold_keeps_offsets(text):
    assert len(fold_keep(text)) == len(text)


@given(st.text(alphabet="abcđĐÁàẢãạ &-,.PpUuBbNnDd0123456789 ", max_size=60))
def test_normalized_spans_stay_inside_the_text(text):
    norm = normalize_for_match(text)
    assert len(norm.starts) == len(norm.text) == len(norm.ends)
    for s, e in zip(norm.starts, norm.ends):
        assert 0 <= s < e <= len(text)
