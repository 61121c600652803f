"""Getting the text out of a directive: .docx (paragraphs with their list numbers, and tables in
body order), .pdf with a text layer (pypdf), .txt in any common encoding, or pasted text.

The result is a list of blocks: ``soft`` text whose line breaks may be broken lines (pasted
text, PDF, .txt), ``para`` paragraphs whose boundaries are real (.docx), and ``table`` rows.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path


class IntakeError(Exception):
    """The directive cannot be read; ``message`` is Vietnamese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Block:
    kind: str  # "soft" | "para" | "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


MAX_BYTES = 30 * 2**20  # a directive is a few hundred kB; refuse what cannot be one
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\u200c\u200d\ufeff]")


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no control characters, non-breaking spaces as spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\xa0", " ").replace("\u202f", " ").replace("\t", "\t")
    # emoji and pictographs of forwarded messages ("👉 Kính gửi", "🔴 THÔNG BÁO KHẨN") carry no text
    text = "".join(ch for ch in text if unicodedata.category(ch) != "So" and not 0xFE00 <= ord(ch) <= 0xFE0F)
    return _ILLEGAL.sub("", text)


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1258", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def sniff(data: bytes, filename: str | None) -> str:
    """"docx" | "pdf" | "doc" | "text"."""
    suffix = Path(filename).suffix.lower() if filename else ""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".doc":
        return "doc"
    if suffix in (".docx", ".pdf"):
        return suffix[1:]
    return "text"


def load_source(source, filename: str | None = None) -> tuple[list[Block], str | None]:
    """Blocks of a file path, bytes, or pasted text; also the file name used (for hints)."""
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise IntakeError(f"Tệp «{path.name}» quá lớn ({size // 2**20} MB) để là một văn bản chỉ đạo.")
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise IntakeError(f"Không tìm thấy tệp «{path}».") from exc
        except PermissionError as exc:
            raise IntakeError(f"Không mở được tệp «{path.name}»: không có quyền đọc hoặc tệp đang bị khóa.") from exc
        except IsADirectoryError as exc:
            raise IntakeError(f"«{path}» là một thư mục, không phải tệp văn bản.") from exc
        return blocks_from_bytes(data, filename or path.name), filename or path.name
    if isinstance(source, (bytes, bytearray)):
        if len(source) > MAX_BYTES:
            raise IntakeError("Dữ liệu quá lớn để là một văn bản chỉ đạo.")
        return blocks_from_bytes(bytes(source), filename), filename
    if isinstance(source, str):
        return [Block("soft", normalize_text(source))], filename
    raise TypeError(f"unsupported source: {type(source)!r}")


def _looks_like_path(text: str) -> bool:
    if "\n" in text or len(text) > 400 or not text.strip():
        return False
    try:
        return os.path.isfile(text) or Path(text).suffix.lower() in (".docx", ".pdf", ".txt", ".doc")
    except (OSError, ValueError):
        return False


def blocks_from_bytes(data: bytes, filename: str | None) -> list[Block]:
    kind = sniff(data, filename)
    if kind == "doc":
        raise IntakeError("Tệp .doc (Word 97-2003) chưa đọc được trực tiếp. Hãy mở bằng Word và lưu lại "
                          "dưới dạng .docx hoặc PDF, rồi chọn lại tệp.")
    if kind == "docx":
        return docx_blocks(data)
    if kind == "pdf":
        return pdf_blocks(data)
    return [Block("soft", normalize_text(decode_text(data)))]


# ------------------------------------------------------------------ .docx

def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > 2000 or sum(i.file_size for i in infos) > 200 * 2**20:
                raise IntakeError("Tệp .docx có cấu trúc bất thường (quá nhiều hoặc quá lớn khi giải nén).")
            if "word/document.xml" not in z.namelist():
                raise IntakeError("Tệp không phải văn bản Word .docx hợp lệ.")
    except zipfile.BadZipFile as exc:
        raise IntakeError("Tệp .docx bị hỏng, không mở được.") from exc


def docx_blocks(data: bytes) -> list[Block]:
    _check_zip(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds on broken packages
        raise IntakeError(f"Không đọc được tệp .docx: {exc}") from exc
    numbering = _Numbering(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = normalize_text(item.text)
            marker = numbering.marker(item)
            if marker and text.strip():
                text = f"{marker} {text.lstrip()}"
            if text.strip():
                blocks.append(Block("para", text))
        elif isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = []
                previous = None
                for cell in row.cells:
                    # a horizontally merged cell comes back once per grid column
                    if previous is not None and cell._tc is previous:
                        continue
                    previous = cell._tc
                    parts = []
                    for p in cell.paragraphs:
                        t = normalize_text(p.text).strip()
                        m = numbering.marker(p)
                        if t:
                            parts.append(f"{m} {t}" if m else t)
                    cells.append("\n".join(parts))
                rows.append(cells)
            if rows:
                blocks.append(Block("table", rows=rows))
    return blocks


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


_LETTERS = "abcdđeghiklmnopqrstuvxy"


def _format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "lowerLetter":
        return _LETTERS[(n - 1) % len(_LETTERS)]
    if fmt == "upperLetter":
        return _LETTERS[(n - 1) % len(_LETTERS)].upper()
    if fmt == "bullet":
        return "-"
    return str(n)


class _Numbering:
    """Word's automatic list numbers, which ``paragraph.text`` leaves out: "1.", "a)", "-"."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt_el = lvl.find(qn("w:numFmt"))
                text_el = lvl.find(qn("w:lvlText"))
                start_el = lvl.find(qn("w:start"))
                fmt = fmt_el.get(qn("w:val")) if fmt_el is not None else "decimal"
                text = text_el.get(qn("w:val")) if text_el is not None else f"%{ilvl + 1}."
                start = int(start_el.get(qn("w:val"))) if start_el is not None else 1
                lv[ilvl] = (fmt, text, start)
            abstract[an.get(qn("w:abstractNumId"))] = lv
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    def marker(self, paragraph) -> str:
        qn = self.qn
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style = paragraph.style if num_pr is None else None
        while num_pr is None and style is not None:
            # a list style ("List Number") carries the numbering itself
            sppr = style.element.pPr
            num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
            style = style.base_style
        if num_pr is None:
            return ""
        num_id_el = num_pr.find(qn("w:numId"))
        ilvl_el = num_pr.find(qn("w:ilvl"))
        if num_id_el is None:
            return ""
        num_id = num_id_el.get(qn("w:val"))
        ilvl = int(ilvl_el.get(qn("w:val"))) if ilvl_el is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        fmt, text, start = levels[ilvl]
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for (nid, lv) in list(self.counters):
            if nid == num_id and lv > ilvl:
                del self.counters[(nid, lv)]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""

        def repl(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            lv_fmt = levels.get(level, ("decimal", "", 1))[0]
            value = self.counters.get((num_id, level), levels.get(level, ("", "", 1))[2])
            return _format_number(value, lv_fmt)

        return re.sub(r"%(\d)", repl, text).strip()


# ------------------------------------------------------------------ .pdf

def pdf_blocks(data: bytes) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise IntakeError("Tệp PDF có mật khẩu, không đọc được. Hãy dùng bản không khóa.") from exc
        pages = _pdf_pages_by_position(data)
        if pages is None:
            pages = [page.extract_text() or "" for page in reader.pages]
    except IntakeError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IntakeError(f"Tệp PDF bị hỏng, không đọc được ({exc}).") from exc
    text = "\n\f\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 40:
        raise IntakeError("Tệp PDF không có lớp chữ (có thể là bản quét ảnh). Hãy dùng bản .docx, PDF có chữ, "
                          "hoặc sao chép nội dung văn bản rồi dán vào.")
    return [Block("soft", normalize_text(text))]


WRAPPED = "\u2060"  # ends a PDF line that the printer wrapped at the margin: join it to the next
_ITEM_START = re.compile(r"^\s*(?:[-+•–]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[IVX]+\.|Điều \d)")


def _join_wrapped(rows: list[tuple[str, float, float, bool]],
                  margins: tuple[float, float] | None = None) -> list[str]:
    """Lines the PDF wrapped at the right margin, marked to be joined back into their paragraph:
    a line that reaches the margin and does not end a sentence continues on the next line
    (whatever the case of its first letter), so the PDF reads like the text it was printed from."""
    full = [r for r in rows if not r[3]]
    if not full:
        return [r[0] for r in rows]
    left, right = margins or (min(r[1] for r in full), max(r[2] for r in full))
    width = right - left
    out: list[str] = []
    for k, (text, x0, x1, split) in enumerate(rows):
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        wrapped = bool(
            width > 200 and not split and nxt is not None and not nxt[3]
            and x1 >= right - 0.1 * width and abs(nxt[1] - left) < 0.05 * width and x0 - left < 0.2 * width
            and not re.search(r"[.;:!?]\W*$", text) and not _ITEM_START.match(nxt[0]))
        # marked, not joined: the lines keep the lengths the text-level joining measures
        out.append(text + WRAPPED if wrapped else text)
    return out


def _pdf_pages_by_position(data: bytes) -> list[str] | None:
    """Each page's text rebuilt from its glyphs' positions.

    A PDF printed from Times New Roman (LibreOffice, Word) puts the Vietnamese letters that the
    font's first subset lacks ("ả", "ướ", "Ủ") into a second font drawn after the line; text
    extractors that follow the drawing order then give "qu n lý nhà n c ... ả ướ". Sorting the
    glyphs of each printed line by x restores the words. A wide gap inside a line (the two
    columns of the header, table cells) starts a new line. None when pdfminer cannot read it."""
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTChar
    except ImportError:  # pragma: no cover - a dependency of the package
        return None

    def chars(obj):
        if isinstance(obj, LTChar):
            yield obj
            return
        if hasattr(obj, "__iter__"):
            for child in obj:
                yield from chars(child)

    page_rows: list[list[tuple[str, float, float, bool]]] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams(char_margin=200, line_margin=0.05)):
            lines: list[tuple[float, list]] = []
            for c in sorted(chars(page), key=lambda c: (-(c.y0 + c.y1) / 2, c.x0)):
                mid = (c.y0 + c.y1) / 2
                for mid0, members in lines:
                    if abs(mid0 - mid) < 0.4 * max(c.size, 1.0):
                        members.append(c)
                        break
                else:
                    lines.append((mid, [c]))
            rows: list[tuple[str, float, float, bool]] = []  # text, x0, x1, one of several segments
            for _, members in sorted(lines, key=lambda ln: -ln[0]):
                members.sort(key=lambda c: c.x0)
                segments: list[tuple[str, float, float]] = []
                text, prev, start = "", None, members[0].x0
                for c in members:
                    t = c.get_text()
                    if prev is not None:
                        gap = c.x0 - prev.x1
                        if gap > 2.5 * max(c.size, 1.0):
                            segments.append((text, start, prev.x1))
                            text, start = "", c.x0
                        elif gap > 0.2 * max(c.size, 1.0) and not text.endswith(" ") and t != " ":
                            text += " "
                    text += t
                    prev = c
                segments.append((text, start, prev.x1))
                segments = [sg for sg in segments if sg[0].strip()]
                if len(segments) >= 3:
                    # a table row printed in columns: its cells, tab-separated, as a table is read
                    rows.append(("\t".join(sg[0].strip() for sg in segments), segments[0][1], segments[-1][2], True))
                    continue
                for seg_text, x0, x1 in segments:
                    rows.append((seg_text.rstrip(), x0, x1, len(segments) > 1))
            page_rows.append(rows)
    except Exception:  # noqa: BLE001 - any pdfminer failure falls back to pypdf's reading
        return None
    # the text block's margins over the whole document: a page of short lines (a table's cells)
    # has no line that reaches the margin
    full = [r for rows in page_rows for r in rows if not r[3]]
    margins = None
    if full:
        margins = (min(r[1] for r in full), max(r[2] for r in full))
    return ["\n".join(_join_wrapped(rows, margins)) for rows in page_rows]
