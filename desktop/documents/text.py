"""Text and numbers as the official form prints them (Nghị định 30/2020/NĐ-CP; no Qt here).

:func:`clean` makes any value safe for a document (NFC, no XML-illegal control characters),
:func:`inline` puts it on one line; dates, document numbers and the "Số:" line follow PL I of the
decree; ``Issue`` is a document's number and date (blank in a draft).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from desktop.tracking.labels import fmt_number as vn_number  # one number format

# XML 1.0 forbids C0 controls except tab/newline/CR, lone surrogates and U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")


class DocumentError(ValueError):
    """Bad input for a document (e.g. a final document without number); ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean(text: object) -> str:
    """NFC text without the control characters that python-docx refuses (``\\x0b`` from Word, ...)."""
    if text is None:
        return ""
    text = text if type(text) is str else str(text)
    # Fast path (a 1,000-unit report calls this ~100,000 times): a printable string holds no
    # control character, surrogate or non-character, so only NFC could change it.
    if text.isprintable() and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text
    return _ILLEGAL_XML.sub("", unicodedata.normalize("NFC", text))


def inline(text: object) -> str:
    """:func:`clean`, with every run of white space (newlines too) made one space."""
    text = clean(text)
    # Every white-space character except the ASCII space is non-printable: a printable string
    # without doubled, leading or trailing spaces is already inline.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _SPACES.sub(" ", text).strip()


def decree_day(value: date) -> str:
    """Day with a leading zero below 10 ("05", "29")."""
    return f"{value.day:02d}"


def decree_month(value: date) -> str:
    """Months 1 and 2 get a leading zero ("01", "02"); 3-9 do not ("6"); 10-12 as they are."""
    return f"{value.month:02d}" if value.month <= 2 else str(value.month)


def decree_date(value: date) -> str:
    """``ngày 05 tháng 01 năm 2020``; ``ngày 29 tháng 6 năm 2019`` (PL I §II.4.b)."""
    return f"ngày {decree_day(value)} tháng {decree_month(value)} năm {value.year}"


DRAFT_GAP = "\u0020" * 6  # room for the văn thư to write by hand


def place_date_line(place: str, issued_on: date | None, year: int) -> str:
    """``Ngô Quyền, ngày 08 tháng 10 năm 2024``; a draft leaves day and month blank."""
    if issued_on is None:
        return f"{inline(place)}, ngày{DRAFT_GAP}tháng{DRAFT_GAP}năm {year}"
    return f"{inline(place)}, {decree_date(issued_on)}"


def format_doc_number(number: str | int | None) -> str:
    """The document number as printed: Arabic digits, a leading zero below 10 ("5" -> "05").

    Raises DocumentError when it is not a positive whole number.
    """
    text = inline(number if number is not None else "")
    if not text.isdigit() or int(text) <= 0:
        raise DocumentError(f"Số văn bản «{text}» không hợp lệ: chỉ gồm chữ số, lớn hơn 0 (ví dụ 05, 128).")
    return f"{int(text):02d}"


def number_line(number: str | None, symbol: str) -> str:
    """``Số: 05/BC-VHTT``; a draft leaves the number blank (``Số:      /BC-VHTT``)."""
    if not number:
        return f"Số:{DRAFT_GAP}/{inline(symbol)}"
    return f"Số: {format_doc_number(number)}/{inline(symbol)}"


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the word looks like an abbreviation ("UBND")."""
    if len(text) >= 2 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Issue:
    """Number and date of the document: blank in a draft (the văn thư fills them after signing)."""

    final: bool = False
    number: str = ""
    issued_on: date | None = None

    def validated(self) -> "Issue":
        if not self.final:
            return Issue(False, "", None)
        if not inline(self.number):
            raise DocumentError("Bản chính thức cần có số văn bản.")
        if self.issued_on is None:
            raise DocumentError("Bản chính thức cần có ngày ban hành.")
        return Issue(True, format_doc_number(self.number), self.issued_on)

    def check_data_date(self, data_date: date) -> None:
        """A final document cannot be dated before the day its figures are counted to."""
        if self.final and self.issued_on is not None and self.issued_on < data_date:
            raise DocumentError(
                f"Ngày ban hành {self.issued_on:%d/%m/%Y} trước ngày số liệu {data_date:%d/%m/%Y}: văn bản không "
                f"thể ký trước ngày mà số liệu của nó được tính đến. Chọn ngày ban hành từ {data_date:%d/%m/%Y} "
                f"trở đi, hoặc lập lại văn bản với số liệu tính đến ngày ban hành.")


DRAFT = Issue()



__all__ = [
    "DRAFT", "DRAFT_GAP", "DocumentError", "Issue", "clean", "decree_date", "decree_day", "decree_month",
    "format_doc_number", "inline", "lower_first", "number_line", "place_date_line", "vn_number",
]
