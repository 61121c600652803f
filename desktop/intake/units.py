"""Finding the units a directive names and mapping them onto the unit tree.

Three kinds of mention:
- a named unit ("Phòng Giáo dục và Đào tạo", "Trung tâm VH-TT&TT", "UBND phường Máy Chai"),
  found through its name, short name and aliases with abbreviations expanded, or fuzzily
  (difflib) when a head word ("Phòng", "Trung tâm" ...) starts a phrase that is nearly a name;
- a group phrase ("Ủy ban nhân dân các phường", "UBND 12 phường", "các trường THCS, THPT",
  "các phòng, ban, ngành, đoàn thể", "các đơn vị sự nghiệp") mapped by unit kind;
- "các cơ quan, đơn vị", which means the letter's addressees (Kính gửi) when there are any.
A phrase that looks like a unit but names nobody in the tree (a city department) is returned
as unmatched, so that the reader still knows a unit was meant.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from db.models import UnitKind
from desktop.intake.textutil import NormText, fold_keep, match_key, normalize_for_match


@dataclass(frozen=True)
class UnitRef:
    """A unit the reader may propose. ``id`` is the database id (None for the built-in list)."""

    id: int | None
    code: str
    name: str
    kind: str
    group_code: str | None = None
    aliases: tuple[str, ...] = ()
    short_name: str = ""
    archived_on: date | None = None  # archived (or merged) from that day: not a unit of later directives
    merged_into: str | None = None  # code of the unit it was merged into


@dataclass
class Mention:
    start: int
    end: int
    units: tuple[UnitRef, ...]
    phrase: str
    group: str | None = None  # None for a named unit, else the group phrase's kinds ("phuong+truong_hoc")
    fuzzy: bool = False
    unmatched: bool = False
    recipients: bool = False  # "các cơ quan, đơn vị": the addressees

    @property
    def codes(self) -> list[str]:
        return [u.code for u in self.units]


# ------------------------------------------------------------------ loading units

def _resources_dir() -> Path:
    import resources

    return Path(resources.__file__).resolve().parent


def load_default_units(path: str | Path | None = None) -> list[UnitRef]:
    """The built-in organisation (resources/default_units.json), used without a database."""
    file = Path(path) if path else _resources_dir() / "default_units.json"
    data = json.loads(file.read_text(encoding="utf-8"))
    result = []
    for item in data["units"]:
        result.append(UnitRef(
            id=None, code=item["code"], name=item["name"], kind=item.get("kind", UnitKind.OTHER.value),
            group_code=item.get("group"), aliases=tuple(item.get("aliases", ())),
            short_name=item.get("short_name", ""),
            archived_on=date.fromisoformat(item["archived_on"]) if item.get("archived_on") else None,
            merged_into=item.get("merged_into")))
    return result


def units_from_session(session) -> list[UnitRef]:
    """Active, non-group units of a database, with their parent group's code."""
    from sqlalchemy import select

    from db.models import Unit, UnitNameHistory

    rows = session.execute(select(Unit)).scalars().all()
    by_id = {u.id: u for u in rows}
    former: dict[int, list[str]] = {}
    for h in session.execute(select(UnitNameHistory)).scalars():
        former.setdefault(h.unit_id, []).append(h.old_name)
    result = []
    for u in sorted(rows, key=lambda u: (u.sort_order, u.name)):
        if u.is_group:
            continue
        # an archived unit without a date is out of every directive; with one (a merged ward) it
        # still names itself in directives written before that day, and its successor after it
        if not u.active and u.archived_on is None and u.merged_on is None:
            continue
        parent = by_id.get(u.parent_id) if u.parent_id else None
        aliases = tuple(a.strip() for a in (u.aliases or "").split(";") if a.strip())
        aliases += tuple(n for n in former.get(u.id, []) if n not in aliases and n != u.name)  # older names
        target = by_id.get(u.merged_into_id) if u.merged_into_id else None
        result.append(UnitRef(id=u.id, code=u.code, name=u.name, kind=u.kind,
                              group_code=parent.code if parent else None, aliases=aliases,
                              short_name=u.short_name or "",
                              archived_on=None if u.active else (u.merged_on or u.archived_on),
                              merged_into=target.code if target else None))
    return result


# ------------------------------------------------------------------ variants

# First tokens of a unit's name; a short name counts as a variant only when it starts with one.
HEADS = (
    "uy ban nhan dan", "van phong", "trung tam", "phong", "truong", "trung hoc co so", "trung hoc pho thong",
    "tieu hoc", "mam non", "phuong", "hoi", "quan doan", "doan", "lien doan", "mat tran", "thanh tra",
    "cong an", "ban", "so", "chi cuc", "cuc", "bo", "ban chi huy", "quan uy", "thanh uy", "tinh uy",
)
_HEAD_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted((re.escape(h) for h in HEADS), key=len, reverse=True))
                      + r")(?![a-z0-9])")
_TRAILING_PLACE = re.compile(r"\s+(?:quan|thuoc quan)(?:\s+ngo quyen)?$")


def _variants(unit: UnitRef) -> set[str]:
    keys: set[str] = set()
    for text in (unit.name, *unit.aliases):
        key = match_key(text)
        if key:
            keys.add(key)
    short = match_key(unit.short_name) if unit.short_name else ""
    if short and _HEAD_RE.match(short) and len(short.split()) >= 2:
        keys.add(short)
    for key in list(keys):
        stripped = _TRAILING_PLACE.sub("", key)
        if stripped != key and len(stripped.split()) >= 3:
            keys.add(stripped)
        if key.startswith("uy ban nhan dan phuong "):
            keys.add(key[len("uy ban nhan dan "):])
        elif key.startswith("phuong "):
            keys.add("uy ban nhan dan " + key)
        m = _NEIGHBOURHOOD.match(key)
        if m:
            # "Tổ dân phố số 5" is written "tổ dân phố 5", "TDP 5", "TDP số 5", "tổ 5"
            kind, number = m.group(1), m.group(2)
            keys |= {f"{kind} {number}", f"{kind} so {number}"}
            if kind == "to dan pho":
                keys |= {f"to {number}", f"to so {number}"}
        if key.startswith("truong ") and _HEAD_RE.match(key[7:]):
            keys.add(key[7:])
        elif key.startswith(("trung hoc co so ", "trung hoc pho thong ", "tieu hoc ", "mam non ")):
            keys.add("truong " + key)
    return keys


_PROPER_NAMED = (UnitKind.WARD.value, UnitKind.SCHOOL.value)


def _subsequence(want: list[str], have: list[str]) -> bool:
    it = iter(have)
    return len(want) < len(have) and all(w in it for w in want)


_NEIGHBOURHOOD = re.compile(r"^(to dan pho|thon|khu dan cu|khu pho|ap|ban)(?: so)? (\d+[a-z]?)$")


def is_neighbourhood(unit: UnitRef) -> bool:
    """A tổ dân phố, thôn or khu dân cư: the units "các tổ dân phố" names."""
    return bool(re.match(r"^(?:to dan pho|thon|khu dan cu|khu pho)\b", match_key(unit.name)))


def _bare_ward_name(unit: UnitRef) -> str | None:
    for text in (unit.name, unit.short_name):
        key = match_key(text)
        m = re.match(r"^(?:uy ban nhan dan )?phuong (.+)$", key)
        if m:
            return m.group(1)
    return None


# ------------------------------------------------------------------ group phrases

_SCHOOL_LEVELS = ("mam non", "tieu hoc", "trung hoc co so", "trung hoc pho thong")
# Category phrases inside a group ("các phòng, ban, ngành, đoàn thể"): token tuple -> kind.
_CATEGORIES: list[tuple[tuple[str, ...], str]] = sorted([
    (("phong", "ban", "nganh"), UnitKind.OFFICE.value),
    (("phong", "ban"), UnitKind.OFFICE.value),
    (("phong", "chuyen", "mon"), UnitKind.OFFICE.value),
    (("phong", "quan", "ly", "nha", "nuoc"), UnitKind.OFFICE.value),
    (("co", "quan", "chuyen", "mon"), UnitKind.OFFICE.value),
    (("ban", "nganh"), UnitKind.OFFICE.value),
    (("phong",), UnitKind.OFFICE.value),
    (("nganh",), UnitKind.OFFICE.value),
    (("doan", "the"), UnitKind.MASS_ORG.value),
    (("to", "chuc", "doan", "the"), UnitKind.MASS_ORG.value),
    (("to", "chuc", "chinh", "tri", "xa", "hoi"), UnitKind.MASS_ORG.value),
    (("hoi", "doan", "the"), UnitKind.MASS_ORG.value),
    (("don", "vi", "su", "nghiep"), UnitKind.CENTRE.value),
    (("truong", "hoc"), UnitKind.SCHOOL.value),
    (("truong",), UnitKind.SCHOOL.value),
    (("co", "so", "giao", "duc"), UnitKind.SCHOOL.value),
    (("mam", "non"), "level"),
    (("tieu", "hoc"), "level"),
    (("trung", "hoc", "co", "so"), "level"),
    (("trung", "hoc", "pho", "thong"), "level"),
    (("uy", "ban", "nhan", "dan", "phuong"), UnitKind.WARD.value),
    (("phuong",), UnitKind.WARD.value),
    (("co", "quan", "don", "vi", "dia", "phuong"), "recipients"),
    (("co", "quan", "don", "vi"), "recipients"),
    (("co", "quan"), "recipients"),
    (("don", "vi"), "recipients"),
    (("dia", "phuong"), "recipients"),
    (("so",), "city"),
    (("to", "dan", "pho"), "neighbourhood"),
    (("thon",), "neighbourhood"),
    (("khu", "dan", "cu"), "neighbourhood"),
    (("thon", "to", "dan", "pho"), "neighbourhood"),
    (("dac", "khu"), "filler"),
    (("chuyen", "mon"), "filler"),
    (("quan",), "filler"),
    (("huyen",), "filler"),
    (("xa",), "filler"),
    (("thi", "tran"), "filler"),
], key=lambda c: len(c[0]), reverse=True)
_FILLERS = {("cac",), ("thuoc",), ("tren", "dia", "ban"), ("truc", "thuoc"), ("cap",), ("quan",), ("tat", "ca"),
            ("toan", "bo")}
# Words after a group phrase that make it name nobody in particular ("các đơn vị liên quan",
# "các cơ quan báo chí").
_VAGUE_SUFFIXES = (("lien", "quan"), ("bao", "chi"), ("truyen", "thong"), ("trung", "uong"), ("khac",))
_GROUP_STARTS = (("cac", "dong", "chi", "to", "truong"), ("dong", "chi", "to", "truong"), ("to", "truong", "cac"),
                 ("to", "truong"), ("cac",), ("tat", "ca", "cac"), ("toan", "bo", "cac"), ("muoi", "hai"), ("truong", "cac"),
                 ("hieu", "truong", "cac"), ("thu", "truong", "cac"), ("chu", "tich", "cac"),
                 ("chu", "tich", "uy", "ban", "nhan", "dan", "cac"))


@dataclass
class _Token:
    text: str
    start: int  # offset in NormText.text
    end: int


def _tokens(norm: NormText) -> list[_Token]:
    return [_Token(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", norm.text)]


def _match_seq(tokens: list[_Token], i: int, seq: tuple[str, ...]) -> bool:
    return i + len(seq) <= len(tokens) and all(tokens[i + k].text == seq[k] for k in range(len(seq)))


class UnitMatcher:
    """Finds unit mentions in text. ``issuer_code`` is left out of group phrases (an office
    writing to "các phòng, ban" does not write to itself)."""

    FUZZY_THRESHOLD = 0.86

    def __init__(self, units: Sequence[UnitRef], issuer_code: str | None = None, on: date | None = None):
        self.units = list(units)
        self.issuer_code = issuer_code
        self.on = on or date.today()
        by_code = {u.code: u for u in self.units}
        self._by_key: dict[str, UnitRef] = {}
        # units of the directive's day first; a name of a unit merged before that day then means
        # the unit it was merged into ("phường Gia Viên" in 2026 is the new ward, not the old one)
        for unit in sorted(self.units, key=lambda u: not self.current(u)):
            target = unit
            if not self.current(unit):
                target = self._successor(unit, by_code)
                if target is None:
                    continue
            for key in _variants(unit):
                self._by_key.setdefault(key, target)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._exact = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![a-z0-9])") \
            if keys else None
        self._wards_by_bare = {}
        for unit in sorted(self.units, key=lambda u: not self.current(u)):
            bare = _bare_ward_name(unit) if unit.kind == UnitKind.WARD.value and self.current(unit) else None
            if bare:
                self._wards_by_bare[bare] = unit
        self._bare_re = re.compile(r"(?:" + "|".join(
            re.escape(k) for k in sorted(self._wards_by_bare, key=len, reverse=True)) + r")(?![a-z0-9])") \
            if self._wards_by_bare else None

    def current(self, unit: UnitRef) -> bool:
        """The unit exists on the directive's day (not archived or merged before it)."""
        return unit.archived_on is None or unit.archived_on > self.on

    def _successor(self, unit: UnitRef, by_code: dict[str, UnitRef]) -> UnitRef | None:
        seen = set()
        while unit is not None and not self.current(unit) and unit.code not in seen:
            seen.add(unit.code)
            unit = by_code.get(unit.merged_into) if unit.merged_into else None
        return unit

    # -------------------------------------------------------------- public

    def find(self, text: str, recipients: Sequence[UnitRef] = ()) -> list[Mention]:
        norm = normalize_for_match(text)
        tokens = _tokens(norm)
        mentions: list[Mention] = []
        covered: list[tuple[int, int]] = []  # NormText spans

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in covered)

        i = 0
        while i < len(tokens):
            found = self._group_at(tokens, i, recipients)
            if found:
                j, units, label, is_recipients, vague = found
                s_norm, e_norm = tokens[i].start, tokens[j - 1].end
                extra, e_norm2 = self._extend_bare_wards(norm.text, e_norm) if UnitKind.WARD.value in label else ([], e_norm)
                if extra:
                    units = tuple(extra)  # "UBND các phường Máy Chai, Lạch Tray": only those
                    e_norm = e_norm2
                s, e = norm.span(s_norm, e_norm)
                mentions.append(Mention(s, e, tuple(units), text[s:e], group=label, unmatched=vague and not units,
                                        recipients=is_recipients))
                covered.append((s_norm, e_norm))
                i = j
                while i < len(tokens) and tokens[i].start < e_norm:
                    i += 1
                continue
            i += 1
        if self._exact:
            for m in self._exact.finditer(norm.text):
                if not free(m.start(), m.end()):
                    continue
                unit = self._by_key[m.group(0)]
                units = [unit]
                e_norm = m.end()
                if unit.kind == UnitKind.WARD.value:
                    extra, e2 = self._extend_bare_wards(norm.text, e_norm)
                    if extra:
                        units += [u for u in extra if u not in units]
                        e_norm = e2
                s, e = norm.span(m.start(), e_norm)
                mentions.append(Mention(s, e, tuple(units), text[s:e]))
                covered.append((m.start(), e_norm))
        mentions.extend(self._heads(text, norm, covered))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def expand_group(self, kinds: Iterable[str], levels: Iterable[str] = ()) -> list[UnitRef]:
        kinds = set(kinds)
        chosen = [u for u in self.units if self.current(u) and u.code != self.issuer_code
                  and ((u.kind in kinds and not is_neighbourhood(u)) or ("neighbourhood" in kinds and is_neighbourhood(u)))]
        levels = list(levels)
        if levels and UnitKind.SCHOOL.value in kinds:
            schools = [u for u in chosen if u.kind == UnitKind.SCHOOL.value]
            picked = [u for u in schools if any(lv in match_key(u.name + " " + u.short_name) for lv in levels)]
            if picked:
                chosen = [u for u in chosen if u.kind != UnitKind.SCHOOL.value or u in picked]
        return chosen

    # -------------------------------------------------------------- internals

    def _group_at(self, tokens: list[_Token], i: int, recipients: Sequence[UnitRef]):
        """(end token index, units, label, is_recipients, vague) for a group phrase at ``i``."""
        j = i
        prefix_ubnd = _match_seq(tokens, j, ("uy", "ban", "nhan", "dan"))
        if prefix_ubnd:
            j += 4
        start_len = next((len(s) for s in _GROUP_STARTS if _match_seq(tokens, j, s)), 0)
        if not start_len and j < len(tokens) and tokens[j].text.isdigit() and 2 <= int(tokens[j].text) <= 999 \
                and (j == 0 or tokens[j - 1].text not in ("so", "to", "pho", "thon", "ngay", "thang", "nam", "khu")) \
                and j + 1 < len(tokens) and tokens[j + 1].text in ("phuong", "xa", "uy") \
                and (tokens[j + 1].text != "uy" or _match_seq(tokens, j + 1, ("uy", "ban", "nhan", "dan", "phuong"))):
            start_len = 1  # "UBND 9 phường", "114 xã, phường, đặc khu": a count of them, i.e. all of them
        if not start_len:
            return None
        j += start_len
        kinds: list[str] = []
        levels: list[str] = []
        recips = city = False
        last_category_end = None
        while j < len(tokens):
            cat = next(((seq, kind) for seq, kind in _CATEGORIES if _match_seq(tokens, j, seq)), None)
            if cat:
                seq, kind = cat
                if kind == "filler":
                    j += len(seq)
                    if last_category_end is not None:
                        last_category_end = j  # "... xã, phường, thị trấn", "... thuộc quận"
                    continue
                if kind == "level":
                    levels.append(" ".join(seq))
                    if UnitKind.SCHOOL.value not in kinds:
                        kinds.append(UnitKind.SCHOOL.value)
                elif kind == "recipients":
                    recips = True
                elif kind == "city":
                    city = True
                elif kind == "neighbourhood":
                    if "neighbourhood" not in kinds:
                        kinds.append("neighbourhood")
                elif kind not in kinds:
                    kinds.append(kind)
                j += len(seq)
                last_category_end = j
                continue
            filler = next((f for f in _FILLERS if _match_seq(tokens, j, f)), None)
            if filler and last_category_end is not None:
                # fillers only between or after categories; "các ... X" needs a category soon
                if filler == ("cac",) and j + 1 < len(tokens) and tokens[j + 1].text in ("uy",):
                    break
                j += len(filler)
                if filler in (("thuoc",), ("truc", "thuoc"), ("tren", "dia", "ban")) and j < len(tokens) \
                        and tokens[j].text == "quan":
                    j += 1
                    last_category_end = j
                continue
            break
        if last_category_end is None:
            return None
        if prefix_ubnd and not kinds and not recips:
            return None
        label_parts = list(kinds)
        units: list[UnitRef] = []
        vague = False
        if city:
            vague = True
            kinds = [k for k in kinds if k == UnitKind.WARD.value]
        if kinds:
            units = self.expand_group(kinds, levels)
            named = [u for u in recipients if u in units]
            if named and not recips:
                # a letter to three wards: "UBND các phường" in it means those three
                units = named
            if not units and not recips:
                vague = True  # "các tổ dân phố" in a tree that has none: a name to list, not to drop
        if recips:
            label_parts.append("recipients")
            extra = [u for u in recipients if u not in units]
            units.extend(extra)
            if not recipients and not kinds:
                vague = True
        suffix = next((v for v in _VAGUE_SUFFIXES if _match_seq(tokens, last_category_end, v)), None)
        if suffix:
            units, vague = [], True
            last_category_end += len(suffix)
        return last_category_end, tuple(units), "+".join(label_parts) or "city", recips, vague

    def _extend_bare_wards(self, normtext: str, pos: int) -> tuple[list[UnitRef], int]:
        """Ward names listed bare after a ward mention: "phường Máy Chai, Lạch Tray và Cầu Tre"."""
        if not self._bare_re:
            return [], pos
        found: list[UnitRef] = []
        end = pos
        while True:
            m = re.compile(r" (?:phuong )?").match(normtext, end)
            if not m:
                break
            m2 = self._bare_re.match(normtext, m.end())
            if not m2:
                break
            found.append(self._wards_by_bare[m2.group(0)])
            end = m2.end()
        return found, end

    def _heads(self, text: str, norm: NormText, covered: list[tuple[int, int]]) -> list[Mention]:
        """Unit-like phrases not matched exactly: fuzzy matches, else unmatched mentions."""
        result: list[Mention] = []
        for m in _HEAD_RE.finditer(norm.text):
            if any(a <= m.start() < b for a, b in covered):
                continue
            s_orig = norm.starts[m.start()]
            if not text[s_orig:s_orig + 1].isupper() and text[s_orig:s_orig + 4].lower() not in ("ubnd",):
                continue  # "phòng" in running text is not a unit; unit names are capitalised
            head = m.group(0)
            rest = norm.text[m.end():].split()[:9]
            best: tuple[float, UnitRef | None, int] = (0.0, None, 0)
            for key, unit in self._by_key.items():
                if not key.startswith(head + " "):
                    continue
                if unit.kind in _PROPER_NAMED or is_neighbourhood(unit):
                    continue  # "phường Hàng Kênh" is not "phường Vạn Mỹ": a ward is its own name
                n = len(key.split())
                for extra in (-1, 0, 1):
                    size = n + extra
                    if size < 2:
                        continue
                    window = " ".join(([head] + rest)[:size]) if False else " ".join(
                        (head.split() + rest)[:size])
                    if sorted(window.split()) == sorted(key.split()):
                        ratio = 0.99
                    else:
                        matcher = difflib.SequenceMatcher(None, window, key)
                        if matcher.real_quick_ratio() < self.FUZZY_THRESHOLD or \
                                matcher.quick_ratio() < self.FUZZY_THRESHOLD:
                            continue
                        ratio = matcher.ratio()
                    if ratio > best[0]:
                        best = (ratio, unit, len(window))
            end_norm = m.end()
            if best[1] is not None and best[0] >= self.FUZZY_THRESHOLD:
                end_norm = m.start() + best[2]
                s, e = norm.span(m.start(), end_norm)
                result.append(Mention(s, e, (best[1],), text[s:e], fuzzy=True))
                covered.append((m.start(), end_norm))
                continue
            # unmatched: the capitalised name after the head word, up to punctuation
            e_orig = self._name_extent(text, s_orig, norm.ends[m.end() - 1])
            short = self._shortened(norm, m.start(), text, e_orig)
            if short is not None:
                unit, end_norm = short
                s, e = norm.span(m.start(), end_norm)
                result.append(Mention(s, e, (unit,), text[s:e], fuzzy=True))
                covered.append((m.start(), end_norm))
                continue
            if e_orig > norm.ends[m.end() - 1] or head in ("so", "uy ban nhan dan", "cong an"):
                phrase = text[s_orig:e_orig]
                result.append(Mention(s_orig, e_orig, (), phrase, unmatched=True))
                covered.append((m.start(), m.end()))
        return result

    def _shortened(self, norm: NormText, start: int, text: str, e_orig: int) -> tuple[UnitRef, int] | None:
        """A shortened name ("Trung tâm Văn hóa quận", "Hội Phụ nữ quận"): its words, in order, are
        part of the name of exactly one unit (not a ward, school or tổ dân phố). A guess."""
        tokens = [t for t in _tokens(NormText(norm.text[start:], [], [])) if norm.starts[start + t.start] < e_orig]
        words = [t.text for t in tokens]
        for size in range(min(len(words), 8), 2, -1):
            want = words[:size]
            if want[-1] in ("va", "cac", "quan", "phuong", "huyen") and size > 3 and want[-2] in ("va", "cac"):
                continue
            found = {u.code: u for key, u in self._by_key.items()
                     if u.kind not in _PROPER_NAMED and not is_neighbourhood(u) and _subsequence(want, key.split())
                     and key.split()[0] == want[0]}
            if len(found) == 1:
                return next(iter(found.values())), start + tokens[size - 1].end
        return None

    @staticmethod
    def _name_extent(text: str, start: int, head_end: int) -> int:
        """End of a capitalised name such as "Sở Thông tin và Truyền thông" starting at ``start``."""
        words = list(re.finditer(r"\S+", text[head_end:head_end + 120]))
        end = head_end
        capitals_seen = False
        for k, w in enumerate(words):
            word = w.group(0)
            core = word.strip(",;.:()“”\"")
            if not core:
                break
            if fold_keep(core) in ("quan", "huyen", "tinh", "thanh", "pho", "phuong", "xa"):
                pass
            elif core[:1].isupper() or core[:1].isdigit():
                capitals_seen = True
            elif core in ("và", "-", "–", "&") and k + 1 < len(words) and words[k + 1].group(0)[:1].isupper():
                pass
            elif not capitals_seen or k == 0:
                break
            elif not core[:1].isupper():
                # lower-case continuation of a component ("Tài chính", "Thông tin và Truyền thông")
                prev = words[k - 1].group(0)
                if prev[:1].isupper() and not prev.endswith((",", ";", ".", ":")):
                    pass
                else:
                    break
            end = head_end + w.end() - (len(word) - len(word.rstrip(",;.:()")))
            if word.endswith((",", ";", ".", ":", ")")):
                break
            if k >= 8:
                break
        return end
