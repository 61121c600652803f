"""Who does a task, and in which role, from the words around the units a sentence names.

- "Giao X ...", "Đề nghị X ...", "X ..." at the start of a clause: X is the subject (thực hiện);
- "X chủ trì", "X là cơ quan chủ trì": X leads; "phối hợp (với|cùng) Y": Y coordinates, and the
  subject then leads ("Phòng GD&ĐT phối hợp Phòng VH&TT ..." — GD&ĐT is accountable);
- under a unit heading ("a) Phòng Văn hóa và Thông tin:") the heading's unit is the subject:
  "- Chủ trì, phối hợp ..." makes it lead, "- Phối hợp ..." makes it coordinate;
- units after "hướng dẫn", "tham mưu", "báo cáo", "gửi", "của", "tại", "chỉ đạo" ... are objects,
  not assignees; a unit followed by "đề nghị/yêu cầu/ban hành" is the requester.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.models import Role
from desktop.intake.textutil import fold_keep
from desktop.intake.units import Mention, UnitRef

_CONNECTOR = re.compile(r"^[\s,;&/()\-–]*(?:(?:va|cung|voi|cac|tren dia ban|thuoc quan|quan|hoac|ngo quyen)"
                        r"[\s,;&/()\-–]*)*$")
_CLAUSE_BREAK = re.compile(r"[;:\n]|\.\s|,\s*dong thoi\b|\bdong thoi\b")
_INTRODUCER = re.compile(r"^[\W\d]*(?:(?:trong|tren co so|de|nham|can cu|theo do|dong thoi|ben canh do|ngoai ra|sau khi"
                         r"|truoc)\b[^,;:]{0,120},\s*)?(?:(?:giao(?: cho)?|de nghi|yeu cau|doi voi|dong y giao|phan cong|trach nhiem cua"
                         r"|dong chi|ubnd quan giao)\s*)?[\W]*$")
_OBJECT_BEFORE = re.compile(
    r"(?:huong dan|tham muu(?: cho)?|bao cao(?: ve| cho| len)?|gui(?: ve| cho| den| toi)?|trinh|cua|de xuat(?: voi)?"
    r"|xin y kien|tham van(?: y kien)?(?: cua)?|chi dao|don doc|kiem tra|ho tro|(?<![a-z])den|(?<![a-z])toi"
    r"|(?<![a-z])cho|(?<![a-z])tai|giup(?: cho)?|(?<![a-z])qua|theo de nghi cua|lien he(?: voi)?|thong bao(?: cho| den)?"
    r"|(?<![a-z])moi|(?<![a-z])tu|(?<![a-z])ve|(?<![a-z])tren|(?<![a-z])thuoc|(?<![a-z])o|(?<![a-z])tham gia"
    r"|phat dong|phan anh|cung cap cho|dang tai tren)\s*$")
_COORD_BEFORE = re.compile(r"(?:phoi hop(?: chat che)?(?: voi| cung)?|tham gia cung)\s*$")
_LEAD_AFTER = re.compile(r"^[\s,]*(?:(?:la|lam) (?:co quan|don vi) )?(?:chu tri|chiu trach nhiem chinh)")
_COORD_AFTER = re.compile(r"^[\s,]*(?:(?:la|lam) (?:co quan|don vi) )?(?:cung )?phoi hop")
_REQUESTER_AFTER = re.compile(r"^[\s,]*(?:quan |huyen |thanh pho )?(?:de nghi|yeu cau|ban hanh|co y kien"
                              # "UBND quận thông báo: ..." informs; "Trưởng các TDP thông báo trên loa" is a task
                              r"|thong bao(?=\s*(?::|nhu sau|ket luan|y kien|ve viec|lich|den cac|cho cac|de\b|toi|den))"
                              r"|giao|quyet dinh)(?![a-z])")
_LEAD_GUIDES = re.compile(r"chu tri,? huong dan\s*$")  # after the lead chain
_ADVISER_IN_BRACKETS = re.compile(r"\(\s*$")  # "(X tham mưu)" after what a superior body is asked to do
_STARTS_LEAD = re.compile(r"^[\W\d]*(?:la (?:co quan|don vi) )?chu tri")
_STARTS_COORD = re.compile(r"^[\W\d]*(?:cung )?phoi hop")

_RANK = {Role.LEAD.value: 0, Role.COORDINATE.value: 1, Role.EXECUTE.value: 2}


@dataclass
class Subject:
    """Units given by a heading or an introduction, and the role they carry down."""

    units: list[UnitRef] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    role: str = Role.EXECUTE.value

    def named(self) -> bool:
        return bool(self.units or self.unmatched)


@dataclass
class RoleResult:
    roles: dict[str, tuple[UnitRef, str, str]] = field(default_factory=dict)  # code -> (unit, role, phrase)
    unmatched: list[str] = field(default_factory=list)
    subject_at_start: tuple[int, int] | None = None  # span of the subject chain at the start, in the text
    coord_span: tuple[int, int] | None = None  # span of the first "phối hợp Y" chain
    own_subject: bool = False

    def add(self, unit: UnitRef, role: str, phrase: str) -> None:
        current = self.roles.get(unit.code)
        if current is None or _RANK[role] < _RANK[current[1]]:
            self.roles[unit.code] = (unit, role, phrase)

    def ordered(self) -> list[tuple[UnitRef, str, str]]:
        return sorted(self.roles.values(), key=lambda x: _RANK[x[1]])


@dataclass
class _Chain:
    mentions: list[Mention]

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end


def _chains(folded: str, mentions: list[Mention]) -> list[_Chain]:
    chains: list[_Chain] = []
    for m in mentions:
        if chains and _CONNECTOR.match(folded[chains[-1].end:m.start]):
            chains[-1].mentions.append(m)
        else:
            chains.append(_Chain([m]))
    return chains


def _clause_start(folded: str, pos: int) -> int:
    start = 0
    for m in _CLAUSE_BREAK.finditer(folded, 0, pos):
        start = m.end()
    return start


def assign_roles(text: str, mentions: list[Mention], inherited: Subject | None = None,
                 defaults: Subject | None = None) -> RoleResult:
    """Roles for the units of one task's ``text`` (mentions found in that same text)."""
    folded = fold_keep(text)
    result = RoleResult()
    subjects: list[_Chain] = []
    leads: list[_Chain] = []
    coords: list[_Chain] = []
    lead_by_word = False
    for chain in _chains(folded, mentions):
        c_start = _clause_start(folded, chain.start)
        before = folded[c_start:chain.start]
        after = folded[chain.end:chain.end + 60]
        if _COORD_BEFORE.search(before):
            coords.append(chain)
        elif _LEAD_AFTER.match(after):
            leads.append(chain)
            lead_by_word = True
            if _INTRODUCER.match(folded[:chain.start]) and result.subject_at_start is None:
                result.subject_at_start = (chain.start, chain.end)
        elif _REQUESTER_AFTER.match(after) and not re.search(r"(?:giao|de nghi|yeu cau)\s*$", before):
            continue
        elif leads and _LEAD_GUIDES.search(before):
            subjects.append(chain)  # "X chủ trì hướng dẫn UBND các phường tổ chức …": the wards carry it out
        elif _OBJECT_BEFORE.search(before) and not _INTRODUCER.match(before):
            continue
        elif _INTRODUCER.match(before) or re.search(r"(?:giao(?: cho)?|de nghi|yeu cau)\s*$", before):
            if _COORD_AFTER.match(after) and lead_by_word:
                coords.append(chain)
            else:
                subjects.append(chain)
                if _INTRODUCER.match(folded[:chain.start]) and result.subject_at_start is None:
                    result.subject_at_start = (chain.start, chain.end)
        elif _COORD_AFTER.match(after) and (leads or subjects):
            coords.append(chain)
        elif _ADVISER_IN_BRACKETS.search(before) and re.match(r"^\s*tham muu\b", after):
            subjects.append(chain)  # "Đề nghị UBND quận ban hành … (Phòng Tư pháp tham mưu)": the office's unit
    if coords:
        result.coord_span = (coords[0].start, coords[0].end)
    if subjects and not leads and all(not m.units for c in subjects for m in c.mentions):
        # "đề nghị UBND các quận, huyện chỉ đạo Phòng Văn hóa và Thông tin ...": the asked body is
        # not in the tree, the unit it is to direct is
        for chain in _chains(folded, mentions):
            if chain.start > subjects[0].end and re.search(r"(?:chi dao|giao)\s*(?:cho\s*)?$",
                                                           folded[_clause_start(folded, chain.start):chain.start]) \
                    and any(m.units for m in chain.mentions):
                subjects.append(chain)

    def put(chain: _Chain, role: str) -> None:
        for m in chain.mentions:
            if m.unmatched or not m.units:
                if m.phrase not in result.unmatched:
                    result.unmatched.append(m.phrase)
            for u in m.units:
                result.add(u, role, m.phrase)

    for chain in leads:
        put(chain, Role.LEAD.value)
    for chain in subjects:
        after = folded[chain.end:chain.end + 60]
        role = Role.EXECUTE.value
        if _COORD_AFTER.match(after) and not lead_by_word:
            role = Role.LEAD.value  # "X phối hợp Y ...": X is accountable
        elif coords and not leads:
            role = Role.LEAD.value
        put(chain, role)
    result.own_subject = bool(leads or subjects)
    if not result.own_subject:
        source = inherited if inherited is not None and inherited.named() else None
        if source is None and defaults is not None and defaults.units:
            source = defaults  # the addressees, or the units an introduction named
        if source is not None:
            body = folded
            if _STARTS_LEAD.match(body) or (coords and not _STARTS_COORD.match(body)):
                role = Role.LEAD.value
            elif _STARTS_COORD.match(body):
                role = Role.LEAD.value if coords else Role.COORDINATE.value
            else:
                role = source.role
            for u in source.units:
                result.add(u, role, source.phrases[0] if source.phrases else "")
            for name in source.unmatched:
                if name not in result.unmatched:
                    result.unmatched.append(name)
    for chain in coords:
        put(chain, Role.COORDINATE.value)
    return result


def subject_of_heading(text: str, mentions: list[Mention]) -> Subject | None:
    """The units a heading hands down to its items ("1. Giao phòng VH&TT, phòng GD&ĐT:",
    "a) Phòng Văn hóa và Thông tin:", "1. Sở Thông tin và Truyền thông"), or None."""
    res = assign_roles(text, mentions)
    if not res.own_subject:
        return None
    subject = Subject()
    roles = set()
    for unit, role, phrase in res.ordered():
        if role == Role.COORDINATE.value:
            continue
        subject.units.append(unit)
        subject.phrases.append(phrase)
        roles.add(role)
    subject.unmatched = list(res.unmatched)
    if roles == {Role.LEAD.value}:
        subject.role = Role.LEAD.value
    return subject if subject.named() else None
