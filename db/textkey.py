"""Accent-free search keys for Vietnamese text.

The key is stored beside every searchable name so that SQL ``LIKE`` (which folds ASCII only)
can find "Đông Khê" from "dong khe". Abbreviations common in Vietnamese administration are
expanded in both the stored key and the query, so "ubnd" finds "Ủy ban nhân dân" and the reverse.
"""

from __future__ import annotations

import re
import unicodedata

# Folded long form -> folded abbreviation. Both sides are already folded (no marks, lowercase).
ABBREVIATIONS: dict[str, str] = {
    "uy ban nhan dan": "ubnd",
    "hoi dong nhan dan": "hdnd",
    "trung hoc co so": "thcs",
    "trung hoc pho thong": "thpt",
    "tieu hoc": "th",
    "mam non": "mn",
    "van hoa va thong tin": "vhtt",
    "van hoa - thong tin va the thao": "vhttt",
    "chuyen doi so": "cds",
    "thanh pho": "tp",
    "phuong": "p.",
}

_SPACES = re.compile(r"\s+")
_TOKEN_SPLIT = re.compile(r"[^0-9a-z.]+")


def fold(text: str | None) -> str:
    """Lowercase, accent-free form: NFD, combining marks dropped, đ→d, casefolded, spaces squeezed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def search_key(*parts: str | None) -> str:
    """Key stored beside a record: the folded text plus the abbreviated and expanded variants."""
    folded = " | ".join(p for p in (fold(x) for x in parts) if p)
    variants = [folded]
    for long_form, short in ABBREVIATIONS.items():
        if short == "p.":
            continue  # "p." is only expanded in queries; adding it to every ward name adds noise
        if long_form in folded:
            variants.append(folded.replace(long_form, short))
        if re.search(rf"\b{re.escape(short)}\b", folded):
            variants.append(re.sub(rf"\b{re.escape(short)}\b", long_form, folded))
    return " || ".join(dict.fromkeys(variants))


def query_terms(query: str) -> list[str]:
    """Folded terms of a user query; each must occur in a record's key for the record to match.

    A query made only of an abbreviation ("ubnd", "p. may to") is expanded so that it also
    matches the long form stored in older keys.
    """
    folded = fold(query)
    if not folded:
        return []
    folded = re.sub(r"\bp\.\s*", "phuong ", folded)
    return [t for t in folded.split(" ") if t]


def like_pattern(term: str) -> str:
    """``LIKE`` pattern for one folded term, with ``\\`` as the escape character."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(key: str, query: str) -> bool:
    """Python twin of the SQL match, for in-memory filtering (every term is a substring)."""
    return all(term in key for term in query_terms(query))


# Characters that show nothing but change what a text is: zero-width spaces and joiners, the soft
# hyphen, the BOM, and the bidirectional overrides and isolates that can make "12/BC" display as
# something else. Vietnamese never needs them; text received from outside is stripped of them.
INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def strip_invisible(text: str) -> str:
    """``text`` without zero-width, soft-hyphen, BOM and bidi-control characters."""
    return INVISIBLE_RE.sub("", text)


def nfc(text: str | None) -> str | None:
    """NFC form of user input (Unikey/VNI and PDF copies can be decomposed)."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text)


def directive_identity(number: str | None, issuer: str | None, issued_on) -> str:
    """What makes a directive one document: its number, its issuer and its date, compared in NFC
    and case-folded, spaces dropped from the number and squeezed in the issuer. Stored in
    ``directive.identity_key`` under a unique index (migration 0009 keeps this same rule)."""
    who = unicodedata.normalize("NFC", unicodedata.normalize("NFC", issuer or "").casefold())
    day = issued_on.isoformat() if issued_on else ""
    return f"{directive_number_key(number)}|{_SPACES.sub(' ', who).strip()}|{day}"


def directive_number_key(number: str | None) -> str:
    """A directive's number compared: NFC, case-folded, without spaces ("128 / vhtt" = "128/VHTT")."""
    return _SPACES.sub("", unicodedata.normalize("NFC", unicodedata.normalize("NFC", number or "").casefold()))
