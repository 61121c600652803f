"""Cleaning extracted text into paragraphs: broken lines joined, page furniture (page numbers,
running headers) and web-page clutter (menus, share buttons, posting dates, related news)
dropped, markdown marks removed, tables kept as rows.

The cleaned text is what the officer sees in the wizard; every span the reader reports points
into it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from desktop.intake.extract import WRAPPED, Block
from desktop.intake.textutil import fold_keep, squeeze

# ------------------------------------------------------------------ list markers

MARKER = re.compile(
    r"^(?:"
    r"(?P<roman>[IVX]{1,5})\s*[.)]\s+"
    r"|(?P<article>Điều\s+\d{1,3})\s*[.:]\s*"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*(?:\.|\))(?!\d)\s*"
    r"|(?P<letter>[a-zđ])\s*\)\s*"
    r"|(?P<letterdot>[a-zđ])\.\s+(?=[A-ZĐÀ-Ỹ])"
    r"|(?P<dash>[-–—+•*▪●○◦·])\s*(?=\S)"
    r")")

# Nesting order of marker kinds: a smaller rank contains the larger ones.
MARKER_RANK = {"roman": 0, "article": 1, "num": 1, "letter": 2, "letterdot": 2, "dash": 3, "plus": 4, "bullet": 3}


def marker_of(text: str) -> tuple[str | None, str, int]:
    """(kind, marker text, offset where the item's own text starts)."""
    m = MARKER.match(text)
    if not m:
        return None, "", 0
    kind = m.lastgroup
    label = m.group(kind)
    if kind == "dash":
        if label == "+":
            kind = "plus"
        elif label in "•*▪●○◦·":
            kind = "bullet"
        rest = text[m.end():]
        if label in "-–—" and rest[:1].islower() and text[1:2] != " ":
            return None, "", 0  # "-xã hội" is a broken word, not a bullet
    if kind == "num" and "." in label:
        kind = "num"
    return kind, label, m.end()


def num_depth(label: str) -> int:
    return label.count(".")


def is_caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85


# ------------------------------------------------------------------ clutter and furniture

_PAGE_NUMBER = re.compile(r"^(?:[-–—]?\s*\d{1,3}\s*[-–—]?|(?:trang|page)\s*\d{1,3}(?:\s*(?:/|cua|of)\s*\d{1,3})?"
                          r"|\d{1,3}\s*/\s*\d{1,3})$")
_CLUTTER = re.compile(
    r"^(?:trang chu|tin tuc|gioi thieu|lien he|so do (?:trang|website)|dang nhap|dang ky|tim kiem|menu|chia se|share"
    r"|in bai(?: viet)?|in trang|in van ban|print|gui email|gui bai|luu(?: lai)?|tai ve|download|xem them|doc them"
    r"|quay lai|tro ve|ve dau trang|len dau trang|facebook|zalo|twitter|tweet|like|thich|binh luan|gui binh luan"
    r"|y kien (?:ban doc|cua ban)|thong ke truy cap|dang (?:truy cap|online).*|tong (?:so )?luot truy cap.*"
    r"|luot xem.*|luot truy cap.*|ban in|co chu|a\+|a-|gop y|rss|sitemap|english|tieng viet|skip to content"
    r"|danh gia bai viet|xem ban in|phong to|thu nho|nghe doc bai|tai file|tai tep|file dinh kem|tep dinh kem"
    r"|dinh kem|van ban goc|xem van ban goc)\W*$")
_META = re.compile(
    r"^(?:ngay dang|dang ngay|dang luc|ngay cap nhat|cap nhat(?: luc)?|thoi gian dang|ngay xuat ban|tac gia|nguon"
    r"|nguoi dang|nguoi viet|bien tap|luot xem|ban quyen|©|copyright|giay phep|chiu trach nhiem|dia chi|dien thoai"
    r"|fax|e-?mail|website|loai van ban|noi ban hanh|nguoi ky|ngay hieu luc|ngay cong bao|so cong bao|linh vuc"
    r"|tinh trang|ngay het hieu luc|tom tat|noi dung toan van|thuoc tinh|luoc do|tai van ban)\b.{0,160}$")
_STAMP = re.compile(
    r"^\W*(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:sa|ch|am|pm)?\s*[,|\-]?\s*)?(?:thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])"
    r"\s*,?\s*|chu nhat\s*,?\s*)?(?:ngay\s*)?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}"
    r"(?:\s*[,|\-]?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:sa|ch|am|pm)?)?\s*(?:\|.*)?$")
_TAIL = re.compile(
    r"^(?:tin lien quan|cac tin khac|tin khac|bai viet lien quan|tin cung chuyen muc|binh luan|y kien ban doc"
    r"|gui binh luan|van ban lien quan|cac bai viet khac|tin moi nhat|tin da dua|tin doc nhieu)\W*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)]*)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_MD_EMPH = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_SEPARATOR = re.compile(r"^[-_=*~.–—\s]{3,}$")


def _strip_markdown(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _ANGLE_URL.sub(r"\1", line)
    line = _MD_HEADING.sub("", line)
    if line.startswith("> "):
        line = line[2:]
    line = _MD_EMPH.sub("", line)
    return line


def _is_clutter(line: str, continues: bool = False) -> bool:
    """A web page's or a printer's furniture line. ``continues``: the line before was cut in the
    middle of its sentence, so this one is the sentence's tail ("... đến" + "ngày 10/10/2024"),
    however much it looks like a date stamp or a menu entry; only a page number is furniture there."""
    folded = fold_keep(line).strip()
    if not folded:
        return False
    if _PAGE_NUMBER.match(folded):
        return True
    if continues:
        return False
    if len(folded) <= 100 and (_CLUTTER.match(folded) or _STAMP.match(folded)):
        return True
    if len(folded) <= 180 and _META.match(folded):
        return True
    seps = len(re.findall(r"\s[>»›]\s", line))
    if seps >= 2 and all(len(p.strip()) < 50 for p in re.split(r"[>»›]", line)):
        return True  # breadcrumb "Trang chủ > Văn bản > Chỉ đạo điều hành"
    return False


# ------------------------------------------------------------------ tables in plain text

def _pipe_cells(line: str) -> list[str] | None:
    if line.count("|") < 2 and not (line.count("|") == 1 and len(line) > 3):
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 2:
        return None
    return cells


def _is_md_rule(line: str) -> bool:
    return bool(re.match(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", line))


# ------------------------------------------------------------------ joining broken lines

_TERMINAL = re.compile(r"(?:[.;:!?…]|\./\.)[\"”’)\]]*\s*$")
_CONTINUES = re.compile(r"(?:[,\-–&/(]|\b(?:và|hoặc|của|các|về|với|cho|tại|theo|trong|để|từ|đến|ngày|số|năm|"
                        r"tháng|là|được|những|một|như|trên|dưới|thuộc|giữa)\s*)$")
# a unit's name cut after its head word: "... gửi về Phòng" + "Văn hóa và Thông tin trước ngày ..."
_NAME_HEAD_AT_END = re.compile(r"\s(?:Phòng|Sở|Trung tâm|Ủy ban nhân dân|Ủy ban|UBND|Văn phòng|Hội|Trường|Ban|Công an"
                               r")$")
_LIST_START = re.compile(r"^(?:Căn cứ|Thực hiện|Theo|Xét)\b")
_STRUCTURAL = re.compile(r"^(?:Kính gửi|Nơi nhận|Số\s*:|V/v|TM\.|T/M|KT\.|Q\.|TL\.|PHỤ LỤC|Phụ lục\b|CỘNG HÒA|CỘNG HOÀ)",
                         re.IGNORECASE)


def _wrap_width(lines: list[str]) -> tuple[int, bool]:
    lengths = [len(x) for x in lines if len(x) > 10]
    if len(lengths) < 10:
        return 0, False
    lengths.sort()
    width = lengths[int(len(lengths) * 0.85) - 1] if len(lengths) > 1 else lengths[0]
    near = [x for x in lines if 0.8 * width <= len(x) <= 1.1 * width and not _TERMINAL.search(x)]
    return width, len(near) >= 4 and len(near) >= 0.3 * len(lengths) and width < 160


def join_lines(lines: list[str], wrap: tuple[int, bool] | None = None) -> list[str]:
    """Paragraphs from lines that may be broken (PDF copies, hard-wrapped text). ``wrap`` is the
    (width, hard-wrapped) of the whole text when ``lines`` is only a part of it."""
    lines = [squeeze(x) for x in lines]
    lines = [x for x in lines if x]
    width, hard = wrap if wrap is not None else _wrap_width(lines)
    paras: list[str] = []
    last_line = ""
    for line in lines:
        if paras and (last_line.endswith(WRAPPED) or _should_join(last_line, line, width, hard)):
            paras[-1] = paras[-1].rstrip(WRAPPED)
            last_para = paras[-1]
            if last_para.endswith("-") and not last_para.endswith(" -") and line[:1].isdigit():
                paras[-1] = last_para + line  # "2022-" + "2025"
            else:
                paras[-1] = last_para + " " + line
        else:
            paras.append(line)
        last_line = line
    return [p.replace(WRAPPED, "") for p in paras]


def _should_join(prev: str, nxt: str, width: int, hard: bool) -> bool:
    if marker_of(nxt)[0] is not None or _STRUCTURAL.match(nxt):
        return False
    prev_caps, next_caps = is_caps_heading(prev), is_caps_heading(nxt)
    if prev_caps or next_caps:
        # a heading wrapped over two lines stays one heading
        return prev_caps and next_caps and hard and len(prev) >= 0.6 * width and not _TERMINAL.search(prev)
    if _TERMINAL.search(prev):
        if prev.endswith((";", ",")) and nxt[:1].islower():
            return True  # "...an toàn thực phẩm;" + "hoàn thành trước ngày ..."
        # in hard-wrapped text a full line may end at a ";" inside a long enumeration
        full_line = hard and len(prev) >= 0.85 * width
        return full_line and prev.endswith(";") and not _LIST_START.match(nxt)
    if _CONTINUES.search(prev) or _NAME_HEAD_AT_END.search(prev):
        return True
    first = nxt[:1]
    if first.islower() or first.isdigit() or first in "(“\"'‘":
        return True
    return hard and len(prev) >= 0.72 * width


# ------------------------------------------------------------------ the cleaned document

@dataclass
class Para:
    start: int
    end: int
    text: str
    kind: str = "p"  # "p" | "row" | "header_row"
    table: int | None = None
    cells: list[str] | None = None


@dataclass
class CleanDoc:
    text: str
    paras: list[Para]
    tables: dict[int, dict[str, int]] = field(default_factory=dict)  # task tables: column role -> index


_COLUMN_WORDS = [
    ("coord", re.compile(r"phoi hop")),
    ("lead", re.compile(r"chu tri|thuc hien|trach nhiem|dau moi")),
    ("time", re.compile(r"thoi gian|thoi han|tien do|han hoan thanh|hoan thanh|moc")),
    ("content", re.compile(r"noi dung|nhiem vu|hoat dong|cong viec|de an|giai phap")),
    ("product", re.compile(r"san pham|ket qua")),
    ("index", re.compile(r"^(?:stt|tt|so tt|so thu tu)\W*$")),
    ("note", re.compile(r"ghi chu")),
]


def task_table_columns(rows: list[list[str]]) -> tuple[dict[str, int], int] | None:
    """Column roles of a task table (Phụ lục) and the index of its first data row, or None."""
    for h in range(min(3, len(rows))):
        cols: dict[str, int] = {}
        for j, cell in enumerate(rows[h]):
            folded = fold_keep(squeeze(cell.replace("\n", " "))).strip()
            for role, regex in _COLUMN_WORDS:
                if regex.search(folded) and role not in cols and len(folded) < 80:
                    if role == "lead" and "content" not in cols and re.search(r"noi dung|nhiem vu", folded):
                        continue
                    cols[role] = j
                    break
        if "content" in cols and ("lead" in cols or "time" in cols or "coord" in cols):
            first = h + 1
            # a second header row splitting "Đơn vị thực hiện" into "Chủ trì" / "Phối hợp"
            if first < len(rows):
                sub = [fold_keep(c).strip() for c in rows[first]]
                if any(re.search(r"^chu tri", c) for c in sub) and any(re.search(r"^phoi hop", c) for c in sub):
                    for j, c in enumerate(sub):
                        if c.startswith("chu tri"):
                            cols["lead"] = j
                        elif c.startswith("phoi hop"):
                            cols["coord"] = j
                    first += 1
            return cols, first
    return None


def clean_blocks(blocks: list[Block]) -> CleanDoc:
    units: list[tuple[str, str, int | None, list[str] | None]] = []  # (kind, text, table, cells)
    tables: dict[int, dict[str, int]] = {}
    table_count = 0

    def add_table(rows: list[list[str]]) -> None:
        nonlocal table_count
        found = task_table_columns(rows)
        if found:
            cols, first = found
            tid = table_count
            table_count += 1
            tables[tid] = cols
            for k, row in enumerate(rows):
                cells = [squeeze(c.replace("\n", " ")) for c in row]
                if not any(cells) or k < first - 1:
                    continue
                kind = "header_row" if k < first else "row"
                units.append((kind, " | ".join(c for c in cells), tid, cells))
        else:
            # a layout table (the two-column header, the signature block): its cells as paragraphs
            for row in rows:
                seen = set()
                for cell in row:
                    if cell in seen:
                        continue
                    seen.add(cell)
                    for line in join_lines(cell.split("\n")):
                        units.append(("p", line, None, None))

    for block in _paragraph_runs_as_text(blocks):
        if block.kind == "table":
            add_table(block.rows)
        elif block.kind == "para":
            for line in join_lines(_strip_markdown(block.text).split("\n")):
                units.append(("p", line, None, None))
        else:
            lines = _soft_lines(block.text)
            wrap = _wrap_width([x for x in lines if _pipe_cells(x) is None])
            pending: list[str] = []
            table_rows: list[list[str]] = []
            table_kind = ""
            for line in lines + [None]:
                cells = _pipe_cells(line) if line is not None else None
                if line is not None and _is_md_rule(line):
                    continue
                if line is not None and cells is None and "\t" in line and line.count("\t") >= 1:
                    parts = [p.strip() for p in line.split("\t")]
                    if len([p for p in parts if p]) >= 2:
                        cells = parts
                if cells is not None:
                    kind_now = "pipe" if "|" in line else "tab"
                    if table_rows and kind_now != table_kind:
                        add_table(table_rows)
                        table_rows = []
                    table_kind = kind_now
                    if pending:
                        for p in join_lines(pending, wrap):
                            units.append(("p", p, None, None))
                        pending = []
                    table_rows.append(cells)
                    continue
                if table_rows:
                    add_table(table_rows)
                    table_rows = []
                if line is not None:
                    pending.append(line)
            if pending:
                for p in join_lines(pending, wrap):
                    units.append(("p", p, None, None))
    # assemble the text with offsets
    paras: list[Para] = []
    parts: list[str] = []
    pos = 0
    for kind, text, tid, cells in units:
        text = squeeze(text.replace(WRAPPED, ""))
        cells = [c.replace(WRAPPED, "") for c in cells] if cells else cells
        if not text:
            continue
        paras.append(Para(pos, pos + len(text), text, kind, tid, cells))
        parts.append(text)
        pos += len(text) + 1
    return CleanDoc("\n".join(parts), paras, tables)


_HEADER_CELL = re.compile(
    r"^(?:(?:noi dung|nhiem vu|hoat dong|cong viec|don vi|co quan|chu tri|phoi hop|thoi gian|thoi han|tien do"
    r"|san pham|ket qua|ghi chu|kinh phi|moc)\b.{0,40}|trach nhiem.{0,30})$")
_INDEX_CELL = re.compile(r"^(?:\d{1,3}|[IVX]{1,5})\.?$")
_TIME_CELL = re.compile(r"\d{1,2}\s*/\s*\d{1,4}|thang|quy\s|nam \d{4}|thuong xuyen|truoc|hang (?:thang|quy|nam)"
                        r"|dinh ky")
_TABLE_END = re.compile(r"^(?:noi nhan|tm\.|t/m|kt\.|phu luc|(?:chu tich|giam doc|truong phong)\W*$)")


def _cell_lines_to_rows(lines: list[str]) -> list[str]:
    """A table pasted one cell per line (what copying a web page's or a PDF's table gives):
    "STT", "Nội dung", "Đơn vị thực hiện", "Thời gian", then "1", "<task>", "<unit>", "<date>" ...
    becomes pipe rows ("| 1 | <task> | <unit> | <date> |") that are read like any other table.
    A blank cell is a line of spaces; where blank cells were dropped, a cell that reads as a time
    goes to the time column."""
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        folded = fold_keep(lines[i]).strip()
        if folded not in ("stt", "tt", "so tt", "so thu tu"):
            out.append(lines[i])
            i += 1
            continue
        header = [lines[i].strip()]
        j = i + 1
        while j < n and len(lines[j].strip()) <= 60 and _HEADER_CELL.match(fold_keep(lines[j]).strip()):
            header.append(lines[j].strip())
            j += 1
        cols = len(header)
        while j < n and not lines[j].strip():
            j += 1  # a page break between the header and the first row
        if cols < 3 or j >= n or not _INDEX_CELL.match(lines[j].strip()):
            out.append(lines[i])
            i += 1
            continue
        time_col = next((k for k, h in enumerate(header) if re.match(r"(?:thoi gian|thoi han|tien do|moc)",
                                                                    fold_keep(h))), None)
        out.append("| " + " | ".join(header) + " |")
        expected = 1
        while j < n and _INDEX_CELL.match(lines[j].strip()):
            index = lines[j].strip()
            k = j + 1
            cells: list[str] = []
            while k < n and len(cells) < cols - 1:
                line = lines[k]
                stripped = line.strip()
                if stripped and (_TABLE_END.match(fold_keep(stripped)) or (
                        stripped.rstrip(".") in (str(expected + 1),) and cells)):
                    break
                if not line:
                    k += 1  # an empty line separates; a blank cell is a line of spaces
                    continue
                cells.append(stripped)
                k += 1
            if len(cells) < cols - 1 and time_col is not None and cells and _TIME_CELL.search(fold_keep(cells[-1])):
                time = cells.pop()
                cells += [""] * (cols - 1 - len(cells))
                cells[time_col - 1] = time
            cells += [""] * (cols - 1 - len(cells))
            out.append("| " + " | ".join([index] + cells) + " |")
            if index.rstrip(".").isdigit():
                expected = int(index.rstrip(".")) + 1
            j = k
            while j < n and not lines[j].strip():
                j += 1
            if j < n and not _INDEX_CELL.match(lines[j].strip()):
                break
        i = j
    return out


_MOTTO_INSIDE = re.compile(r"\s+(?=(?:CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập\s*[-–]\s*Tự do))")
_NUMBER_THEN_PLACE = re.compile(r"^(Số\s*:?\s*[^\s,]*)\s+(\S[^,]{1,40},\s*ngày\b.*)$")


def _split_header_columns(line: str) -> list[str]:
    """The two columns of a header copied as one line ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA
    VIỆT NAM", "Số: 415/KH-UBND Ngô Quyền, ngày 30 tháng 10 năm 2024") back into their lines."""
    if len(line) > 160:
        return [line]
    parts = [p for p in _MOTTO_INSIDE.split(line) if p.strip()]
    out: list[str] = []
    for part in parts:
        m = _NUMBER_THEN_PLACE.match(part.strip())
        out.extend([m.group(1), m.group(2)] if m else [part])
    return out or [line]


def _paragraph_runs_as_text(blocks: list[Block]) -> list[Block]:
    """A .docx's paragraphs between tables read as lines of text, like a .txt or a PDF.

    PDF-to-Word converters and copy-paste make one Word paragraph per printed line; a real
    paragraph is just a line that needs no joining. Reading both the same way as pasted text
    gives the same proposal whatever the file's form."""
    out: list[Block] = []
    run: list[str] = []
    for block in blocks:
        if block.kind == "para":
            run.append(block.text)
            continue
        if run:
            out.append(Block("soft", "\n".join(run)))
            run = []
        out.append(block)
    if run:
        out.append(Block("soft", "\n".join(run)))
    return out


def _soft_lines(text: str) -> list[str]:
    """Lines of pasted or extracted text with markdown, furniture and clutter removed."""
    raw = text.replace("\f", "\n").split("\n")
    lines = _cell_lines_to_rows([part for x in raw for part in _split_header_columns(_strip_markdown(x).rstrip())])
    stripped = [squeeze(x.replace("\t", "\u0001")).replace("\u0001", "\t") for x in lines]
    # running headers/footers: the same short line on three or more pages
    counts = Counter(s for s in stripped if 3 <= len(s) <= 80 and marker_of(s)[0] is None)
    repeated = {s for s, n in counts.items() if n >= 3 and not _TERMINAL.search(s)}
    out: list[str] = []
    for s in stripped:
        if not s.strip() or _SEPARATOR.match(s):
            continue
        folded = fold_keep(s).strip()
        if _TAIL.match(folded) and len(out) > 5:
            break
        continues = bool(out) and (out[-1].endswith(WRAPPED) or bool(_CONTINUES.search(out[-1])))
        if _is_clutter(s, continues):
            continue
        if s in repeated and len(out) >= 3 and not continues:
            continue  # a running header or footer; kept only where it opens the document
        out.append(s)
    return _drop_page_top(out)


_HEADER_LIKE = re.compile(r"^(?:cong hoa xa hoi|so\s*(?:hieu)?\s*:|kinh gui|(?:uy ban nhan dan|ubnd|phong|so|trung tam|"
                          r"van phong)\b.*$|(?:ke hoach|cong van|quyet dinh|thong bao|chi thi|huong dan)\b)")


def _drop_page_top(lines: list[str]) -> list[str]:
    """A web page's menu and breadcrumbs before the document's header: short lines before the
    first header line (organ name in capitals, "CỘNG HÒA ...", "Số:", "Kính gửi", the type)."""
    for i, line in enumerate(lines[:60]):
        folded = fold_keep(line).strip()
        organ_line = folded.startswith(("phong", "so ", "trung", "van", "uy ban", "ubnd")) and ":" not in folded[:12]
        if _HEADER_LIKE.match(folded) and (is_caps_heading(line) or not organ_line):
            if i and all(len(x) < 80 and not _TERMINAL.search(x) for x in lines[:i]):
                return lines[i:]
            return lines
    return lines
