"""Text helpers for the directive reader: an accent-free view of a text that keeps every offset,
and a token-normalised view (abbreviations expanded) with a map back to the original text.

Rules run on folded text so that "Uỷ/Ủy", "hoá/hóa", "hằng/hàng" and typing without diacritics
all look the same, while the spans they find still point into the text the officer reads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else ch


# Latin, Vietnamese and punctuation ranges folded through one translation table (C speed);
# characters outside it are kept as they are, so the length never changes.
_FOLD_TABLE = {cp: f for cp in range(0x2500) if (f := _fold_char(chr(cp))) != chr(cp)}


def fold_keep(text: str) -> str:
    """Lowercase, accent-free copy of ``text`` with exactly the same length (offsets carry over)."""
    return text.translate(_FOLD_TABLE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Compound abbreviations, matched on folded text before tokenising. Longest first.
_COMPOUND_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"vh\s*[-,]?\s*tt\s*(?:&|va|-)\s*tt|vhttt|vhtt\s*&\s*tt|vhtttt", "van hoa thong tin the thao"),
    (r"vh\s*,?\s*tt\s*&\s*dl|vhttdl", "van hoa the thao du lich"),
    (r"gd\s*(?:&|-|va)\s*dt|gddt", "giao duc dao tao"),
    (r"vh\s*(?:&|-|va)\s*tt|vhtt", "van hoa thong tin"),
    (r"tt\s*(?:&|-|va)\s*tt|tttt", "thong tin truyen thong"),
    (r"tn\s*(?:&|-|va)\s*mt|tnmt", "tai nguyen moi truong"),
    (r"tc\s*(?:&|-)\s*kh|tckh", "tai chinh ke hoach"),
    (r"ld\s*-?\s*tb\s*(?:&|va|-)\s*xh|ldtbxh", "lao dong thuong binh xa hoi"),
    (r"hdnd\s*(?:&|-|va)\s*ubnd", "hoi dong nhan dan uy ban nhan dan"),
]
_COMPOUND_RE = re.compile("|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_COMPOUND_ABBREVIATIONS)))

# Single-token abbreviations (folded) -> expansion.
TOKEN_ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong",
    "mttq": "mat tran to quoc",
    "lhpn": "lien hiep phu nu",
    "ccb": "cuu chien binh",
    "ldld": "lien doan lao dong",
    "qldt": "quan ly do thi",
    "tncs": "thanh nien cong san",
    "vp": "van phong",
    "tp": "thanh pho",
    "cds": "chuyen doi so",
    "tdp": "to dan pho",
    "kdc": "khu dan cu",
}

# Tokens dropped in matching keys: "và", "&" and separators make no difference between
# "Văn hóa - Thông tin và Thể thao" and "Văn hóa, Thông tin và Thể thao".
STOP_TOKENS = {"va"}

_WORD = re.compile(r"[0-9a-z]+")


@dataclass
class NormText:
    """Token-normalised text: ``text`` is tokens joined by single spaces; ``starts``/``ends`` give,
    for every character of ``text``, the span in the original it came from."""

    text: str
    starts: list[int]
    ends: list[int]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original span of ``text[i:j]`` (j exclusive, j > i)."""
        return self.starts[i], self.ends[j - 1]


def normalize_for_match(text: str) -> NormText:
    """Folded tokens with abbreviations expanded and stop tokens dropped; offsets kept."""
    folded = fold_keep(text)
    tokens: list[tuple[str, int, int]] = []
    pos = 0
    n = len(folded)
    while pos < n:
        ch = folded[pos]
        if not ch.isalnum():
            pos += 1
            continue
        # abbreviations must start at a word boundary
        if pos == 0 or not folded[pos - 1].isalnum():
            m = _COMPOUND_RE.match(folded, pos)
            if m and (m.end() >= n or not folded[m.end()].isalnum()):
                idx = int(m.lastgroup[1:])
                for tok in _COMPOUND_ABBREVIATIONS[idx][1].split():
                    tokens.append((tok, m.start(), m.end()))
                pos = m.end()
                continue
        m = _WORD.match(folded, pos)
        if not m:
            pos += 1
            continue
        word = m.group(0)
        if word == "p" and m.end() < n and folded[m.end()] == ".":
            tokens.append(("phuong", m.start(), m.end() + 1))
        elif word in TOKEN_ABBREVIATIONS:
            for tok in TOKEN_ABBREVIATIONS[word].split():
                tokens.append((tok, m.start(), m.end()))
        elif word not in STOP_TOKENS:
            tokens.append((word, m.start(), m.end()))
        pos = m.end()
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for k, (tok, s, e) in enumerate(tokens):
        if k:
            parts.append(" ")
            starts.append(s)
            ends.append(e)
        parts.append(tok)
        starts.extend([s] * len(tok))
        ends.extend([e] * len(tok))
    return NormText("".join(parts), starts, ends)


def match_key(text: str) -> str:
    """The normalised form used to compare names."""
    return normalize_for_match(text).text


_SPACES = re.compile(r"[ \t]+")


def squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


_PLACE_WORDS = {"tỉnh", "thành phố", "quận", "huyện", "phường", "xã", "thị xã", "thị trấn"}
_NAME_STOP = {"và", "về", "năm", "giai", "trên", "của", "đến", "tại", "theo", "cho", "hội", "với", "trong"}
_ORGAN_WORDS = ("văn phòng", "trung tâm", "chi cục", "liên đoàn", "phòng", "sở", "bộ", "ban", "cục", "hội")


def sentence_case(text: str, organisation: bool = False) -> str:
    """An ALL-CAPS heading in normal Vietnamese case: the first letter and the names after place
    words ("quận Ngô Quyền") capitalised; with ``organisation`` also the parts of an organ's name
    ("Phòng Văn hóa và Thông tin", "Trung tâm Văn hóa - Thông tin và Thể thao")."""
    words = text.lower().split()
    result: list[str] = []
    in_name = False
    for k, w in enumerate(words):
        bare = w.strip(",;.:()")
        prev = words[k - 1] if k else ""
        prev_bare = prev.strip(",;.:()")
        prev2 = f"{words[k - 2]} {prev_bare}" if k >= 2 else ""
        after_place = (prev_bare in _PLACE_WORDS or prev2 in _PLACE_WORDS) and prev == prev_bare
        if after_place and bare not in _NAME_STOP and not bare[:1].isdigit():
            in_name = True
        elif bare in _NAME_STOP or bare in _PLACE_WORDS or bare[:1].isdigit() or not bare:
            in_name = False
        if in_name:
            w = w[:1].upper() + w[1:]
        result.append(w)
        if w != bare and prev != prev_bare:
            in_name = False
        if w.endswith((",", ";", ".")):
            in_name = False
    if organisation and result:
        joined = " ".join(result)
        low = joined.lower()
        for organ in _ORGAN_WORDS:
            if low.startswith(organ + " ") and not low.startswith("ủy ban"):
                head = joined[: len(organ)]
                rest = joined[len(organ) + 1:]
                parts = re.split(r"(\s+(?:và|-|–)\s+|,\s*)", rest)
                rest = "".join(p if i % 2 else p[:1].upper() + p[1:] for i, p in enumerate(parts))
                joined = f"{head} {rest}"
                break
        text = joined
    else:
        text = " ".join(result)
    return text[:1].upper() + text[1:]


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
