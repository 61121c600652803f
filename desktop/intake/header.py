"""The document's own data: số ký hiệu, date, issuer, type, trích yếu; and where its body, its
signature block and its appendix (Phụ lục) are."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from db.models import DirectiveType
from desktop.intake.clean import CleanDoc, is_caps_heading, marker_of
from desktop.intake.dates import year_candidates
from desktop.intake.textutil import capitalize_first, fold_keep, sentence_case, squeeze


@dataclass
class Header:
    doc_number: str | None = None
    doc_date: date | None = None
    year_hint: int | None = None
    issuer: str | None = None
    doc_type: str | None = None
    title: str | None = None
    body_start: int = 0  # paragraph indexes
    body_end: int = 0
    appendix_start: int | None = None
    recipients: list[int] = field(default_factory=list)  # paragraph indexes of the Kính gửi list
    guessed: set[str] = field(default_factory=set)  # fields read from the body, not from the header


_TYPE_WORDS = [
    ("ke hoach", DirectiveType.PLAN.value),
    ("quyet dinh", DirectiveType.DECISION.value),
    ("thong bao", DirectiveType.NOTICE.value),
    ("chi thi", DirectiveType.INSTRUCTION.value),
    ("huong dan", DirectiveType.GUIDANCE.value),
    ("chuong trinh", DirectiveType.PROGRAMME.value),
    ("cong van", DirectiveType.OFFICIAL_LETTER.value),
    ("cong dien", DirectiveType.OFFICIAL_LETTER.value),
]
_TYPE_HEADING = re.compile(r"^(" + "|".join(w for w, _ in _TYPE_WORDS) + r")\b")
# Type part of a số ký hiệu: "234/KH-UBND" -> KH.
_SYMBOL_TYPES = {"kh": DirectiveType.PLAN.value, "qd": DirectiveType.DECISION.value,
                 "tb": DirectiveType.NOTICE.value, "ct": DirectiveType.INSTRUCTION.value,
                 "hd": DirectiveType.GUIDANCE.value, "ctr": DirectiveType.PROGRAMME.value,
                 "cd": DirectiveType.OFFICIAL_LETTER.value}
_FILENAME_TYPES = {"cv": DirectiveType.OFFICIAL_LETTER.value, **_SYMBOL_TYPES}

_NUMBER = re.compile(r"^s[oố]\s*(?:hiệu|hieu)?\s*[:.]?\s*(?P<num>[0-9]*\s*/\s*[0-9A-Za-zĐđ][0-9A-Za-zĐđ\-&./]*)",
                     re.IGNORECASE)
_DATE_LINE = re.compile(r"ngay\s*(\d{1,2}|[.…_ ]*)\s*thang\s*(\d{1,2}|[.…_ ]*)\s*nam\s*(\d{4})")
_META_DATE = re.compile(r"ngay ban hanh\s*:?\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_MOTTO = re.compile(r"^(?:cong hoa xa hoi|doc lap\s*-|doc lap,|(?:chu )?nghia viet nam\W*$)")
_ORGAN_START = re.compile(r"^(?:uy ban|ubnd|phong|so|bo|ban|trung tam|van phong|hoi dong|cuc|chi cuc|tinh uy|"
                          r"thanh uy|quan uy|huyen uy|dang uy|mat tran|cong an|hoi|lien doan|truong)\b")
_PLACE_START = re.compile(r"^(?:quan|huyen|tinh|thanh pho|phuong|xa|thi xa|thi tran|tp\.?)\b")
_AUTHORITY = re.compile(r"^(?:uy ban nhan dan|chu tich|giam doc|truong phong|pho chu tich)\b")
_SIGNATURE = re.compile(r"^(?:noi nhan|tm\.|t/m|kt\.|tl\.|tuq\.|q\.\s|tran trong)")
_SIGNATURE_TITLE = re.compile(r"^(?:chu tich|pho chu tich|truong phong|pho truong phong|giam doc|pho giam doc"
                              r"|chanh van phong)\W*$")
_APPENDIX = re.compile(r"^(?:phu luc|danh muc nhiem vu)\b")
_CITED_BEFORE = re.compile(r"(?:ke hoach|cong van|quyet dinh|thong bao|chi thi|nghi quyet|huong dan|van ban)\s+(?:so\s+)?\S*/")
_BODY_OPENERS = re.compile(r"^(?:thuc hien|can cu|theo|xet|nham|de |trong thoi gian|huong ung|ngay \d|"
                           r"tiep theo|ve viec)")
_ISSUER_PHRASE = re.compile(
    r"((?:Ủy|Uỷ|ỦY|UỶ) ban nhân dân (?:quận|huyện|thành phố|tỉnh|phường|xã|thị xã)(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*"
    r"|UBND (?:quận|huyện|thành phố|tỉnh|phường|xã)(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*"
    r"|(?:Phòng|Sở|Trung tâm) [A-ZĐÀ-Ỹ][^,.;:]{2,60}?(?: quận| huyện| thành phố)?)"
    r"\s+(?P<verb>ban hành|có ý kiến|đề nghị|yêu cầu|thông báo|hướng dẫn|chỉ đạo|giao)\b")


def _levels(lines: list[str]) -> list[str]:
    """Issuer lines grouped into levels: "ỦY BAN NHÂN DÂN" + "QUẬN NGÔ QUYỀN" is one level."""
    levels: list[str] = []
    for line in lines:
        folded = fold_keep(line).strip()
        if levels and (_PLACE_START.match(folded) or not _ORGAN_START.match(folded)):
            levels[-1] += " " + line
        else:
            levels.append(line)
    return levels


def analyse(doc: CleanDoc, filename: str | None = None) -> Header:
    paras = [p.text for p in doc.paras]
    folded = [fold_keep(t).strip() for t in paras]
    h = Header(body_end=len(paras))
    limit = min(len(paras), 40)

    # Kính gửi and its list
    kg = next((i for i in range(limit) if folded[i].startswith("kinh gui")), None)
    body_start = 0
    if kg is not None:
        h.recipients.append(kg)
        j = kg + 1
        inline = len(folded[kg].split(":", 1)[-1].strip()) > 3 if ":" in folded[kg] else len(folded[kg]) > 12
        while j < len(paras) and len(paras[j]) < 160 and (
                marker_of(paras[j])[0] in ("dash", "bullet", "plus")
                or (j == kg + 1 and not inline and marker_of(paras[j])[0] is None and len(paras[j]) < 120
                    and not _BODY_OPENERS.match(folded[j]))):
            h.recipients.append(j)
            if paras[j].rstrip().endswith(".") and marker_of(paras[j])[0] is None:
                j += 1
                break
            j += 1
        body_start = j

    # the type heading ("KẾ HOẠCH", or "KẾ HOẠCH Triển khai ..." on one line) and the title under it
    for i in range(limit):
        m = _TYPE_HEADING.match(folded[i])
        if not m or len(paras[i]) >= 250:
            continue
        word = m.group(1)
        caps_word = paras[i][:len(word)].isupper()
        if not (is_caps_heading(paras[i]) and len(paras[i]) < 60) and not (caps_word and len(paras[i]) < 200) \
                and len(folded[i]) > len(word) + 2:
            continue
        h.doc_type = dict(_TYPE_WORDS)[word]
        rest = paras[i][len(word):].strip(" :")
        title_parts = [rest] if rest else []
        j = i + 1
        while j < len(paras) and len(title_parts) < 4:
            t, f = paras[j], folded[j]
            if (_BODY_OPENERS.match(f) and not f.startswith("ve viec")) or marker_of(t)[0] \
                    or f.startswith(("kinh gui", "can cu", "(")) or _AUTHORITY.match(f) or _MOTTO.match(f) \
                    or len(t) > 300 or _NUMBER.match(t) or (is_caps_heading(t) and _ORGAN_START.match(f)):
                break
            if title_parts and re.search(r"[.;]\W*$", t) and len(t) > 60:
                break  # a sentence of the body: the trích yếu does not end with a full stop
            title_parts.append(t)
            j += 1
        if title_parts:
            h.title = _clean_title(" ".join(title_parts))
        body_start = max(body_start, j)
        break

    # skip what is still header furniture: issuer lines, number, place and date, motto, V/v
    k = body_start
    while k < min(len(paras), body_start + 12) and (
            _MOTTO.match(folded[k]) or _NUMBER.match(paras[k])
            or (_DATE_LINE.search(folded[k]) and len(paras[k]) < 90)
            or (is_caps_heading(paras[k]) and len(paras[k]) < 90 and not marker_of(paras[k])[0]
                and not _TYPE_HEADING.match(folded[k]))
            or folded[k].startswith("v/v")):
        k += 1
    body_start = k
    zone = range(0, min(max(body_start, 1), len(paras)))
    zone_end = body_start
    for i in zone:
        if h.doc_number is None:
            m = _NUMBER.match(paras[i])
            if m:
                h.doc_number = re.sub(r"\s+", "", m.group("num")).rstrip(".")
        if h.doc_date is None and h.year_hint is None:
            m = _DATE_LINE.search(folded[i])
            if m and not _CITED_BEFORE.search(folded[i][:m.start()]):
                day, month, year = m.group(1).strip(), m.group(2).strip(), int(m.group(3))
                h.year_hint = year
                if day.isdigit() and month.isdigit():
                    try:
                        h.doc_date = date(year, int(month), int(day))
                    except ValueError:
                        pass
            m = _META_DATE.search(folded[i])
            if m and h.doc_date is None:
                try:
                    h.doc_date = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    pass
    if h.doc_date:
        h.year_hint = h.doc_date.year

    # a letter's trích yếu: "V/v ..." and the short lines after it
    if h.title is None:
        for i in zone:
            if folded[i].startswith(("v/v", "ve viec")):
                parts = [re.sub(r"^(?:V/v|v/v|V/V|Về việc|VỀ VIỆC)\s*:?\s*", "", paras[i])]
                j = i + 1
                while j < len(paras) and j < zone_end and len(paras[j]) < 120 and not folded[j].startswith(
                        ("kinh gui", "so:", "cong hoa", "doc lap")) and not _DATE_LINE.search(folded[j]) \
                        and not is_caps_heading(paras[j]) and not marker_of(paras[j])[0]:
                    parts.append(paras[j])
                    j += 1
                h.title = _clean_title(" ".join(parts))
                if h.doc_type is None:
                    h.doc_type = DirectiveType.OFFICIAL_LETTER.value
                break

    # issuer: the header's organ lines, else a sentence of the body, else the signature
    issuer_lines = []
    for i in zone:
        t, f = paras[i], folded[i]
        if _MOTTO.match(f) or _NUMBER.match(t) or _DATE_LINE.search(f) or _TYPE_HEADING.match(f):
            if issuer_lines and not _MOTTO.match(f):
                break
            continue
        if is_caps_heading(t) and len(t) < 90 and (_ORGAN_START.match(f) or (issuer_lines and _PLACE_START.match(f))):
            issuer_lines.append(t)
        elif issuer_lines:
            break
    if issuer_lines:
        h.issuer = sentence_case(_levels(issuer_lines)[-1], organisation=True)

    # body end: the signature block; then the appendix
    for i in range(max(body_start, 0), len(paras)):
        if _SIGNATURE.match(folded[i]) or (_SIGNATURE_TITLE.match(folded[i]) and is_caps_heading(paras[i])):
            h.body_end = i
            break
    for i in range(h.body_end, len(paras)):
        if _APPENDIX.match(folded[i]) or doc.paras[i].kind in ("row", "header_row"):
            h.appendix_start = i
            break
    h.body_start = body_start

    body_text = "\n".join(paras[h.body_start:h.body_end])
    if h.doc_number is None and kg is None:
        _from_summary(h, "\n".join(paras))
    if h.issuer is None:
        for m in _ISSUER_PHRASE.finditer(body_text):
            after = body_text[m.end():m.end() + 40]
            if m.group("verb") == "ban hành" and re.match(r"\s*(?:Kế hoạch|Quyết định|Công văn|Thông báo|Chỉ thị)"
                                                           r"\s+(?:số|\d)", after):
                continue  # "UBND thành phố ban hành Kế hoạch số 234": a cited document
            h.issuer = capitalize_first(m.group(1).strip())
            break
    if h.issuer is None:
        for i in range(h.body_end, min(len(paras), h.body_end + 12)):
            m = re.match(r"^(?:TM|T/M)\.\s*(.+)$", paras[i])
            if m:
                h.issuer = sentence_case(m.group(1), organisation=True)
                break

    # type from the symbol, the letter form, or the file name
    if h.doc_type is None and h.doc_number:
        parts = fold_keep(h.doc_number).split("/", 1)
        if len(parts) == 2:
            code = re.split(r"[-.]", parts[1])[0]
            h.doc_type = _SYMBOL_TYPES.get(code, DirectiveType.OFFICIAL_LETTER.value if code else None)
    if h.doc_type is None and kg is not None:
        h.doc_type = DirectiveType.OFFICIAL_LETTER.value
    if h.doc_type is None and filename:
        for token in re.split(r"[^a-z]+", fold_keep(filename)):
            if token in _FILENAME_TYPES:
                h.doc_type = _FILENAME_TYPES[token]
                break

    # the year, for dates written without one
    if h.year_hint is None and filename:
        m = re.search(r"(?<!\d)(20\d{2})(?!\d)", filename)
        if m:
            h.year_hint = int(m.group(1))
    if h.year_hint is None:
        cands = year_candidates(body_text)
        if cands:
            h.year_hint = Counter(cands).most_common(1)[0][0]
    if h.year_hint is None and h.title:
        m = re.search(r"năm (20\d{2})", h.title)
        if m:
            h.year_hint = int(m.group(1))
    if h.year_hint is None:
        years = re.findall(r"(?<![\d/])(20\d{2})(?!\d)", body_text)
        if years:
            h.year_hint = int(Counter(years).most_common(1)[0][0])
    if h.issuer:
        h.issuer = _modern_spelling(h.issuer)
    return h


_DOC_TYPES = r"(?:Kế hoạch|Công văn|Văn bản|Thông báo|Quyết định|Chỉ thị|Hướng dẫn|Chương trình|Công điện|Kết luận)"
_SYMBOL = r"(?P<num>\d+[0-9A-Za-zĐđ.\-&]*/[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-&/]*[0-9A-Za-zĐđ])"
_DMY = (r"(?P<d>\d{1,2})(?:\s*[/.\-]\s*|\s+tháng\s+)(?P<m>\d{1,2})(?:\s*[/.\-]\s*|\s*,?\s+năm\s+)"
        r"(?P<y>\d{4})")
# "Ngày 12/3/2026, UBND phường Gia Viên ban hành Thông báo số 57/TB-UBND ...": a portal's summary
_SUMMARY_ISSUED = re.compile(r"(?:^|(?<=[\s,(]))[Nn]gày\s+" + _DMY + r"\s*,\s*(?P<who>[^,.;\n]{3,90}?)\s+(?:đã\s+)?"
                             r"(?:vừa\s+)?(?:ban hành|có|gửi|phát hành)\s+(?:" + _DOC_TYPES + r"\s+)?(?:số\s*)?" + _SYMBOL)
_SUMMARY_NUMBER_ONLY = re.compile(r"(?:ban hành|vừa ban hành|phát hành)\s+" + _DOC_TYPES + r"\s+(?:số\s*)?" + _SYMBOL)
# "(Nguồn: Công văn số 88/UBND-KT ngày 10/5/2024 của UBND quận ...)"
_SUMMARY_SOURCE = re.compile(r"(?:Nguồn|Theo nguồn|Nguồn tin)\s*:\s*" + _DOC_TYPES + r"\s+(?:số\s*)?" + _SYMBOL
                             + r"\s*,?\s*ngày\s+" + _DMY)


def _organ_key(name: str) -> str:
    key = fold_keep(name).strip()
    return re.sub(r"^ubnd\b", "uy ban nhan dan", key)


def _from_summary(h: Header, text: str) -> None:
    """The document's own number and date when a portal's summary gives them only in a sentence.
    A document cited as the ground ("Thực hiện Công văn số ...", "Căn cứ ...") is never taken: it is
    never the subject of "ban hành" after its date."""
    m = _SUMMARY_NUMBER_ONLY.search(text)
    if m and h.doc_date is None and not _SUMMARY_ISSUED.search(text) and not _SUMMARY_SOURCE.search(text) \
            and not re.search(r"(?:Thực hiện|Căn cứ|Theo)\s+[^.;\n]{0,20}$", text[max(0, m.start() - 40):m.start()]):
        h.doc_number = m.group("num").rstrip(".")
        h.guessed.add("doc_number")
        return
    for regex in (_SUMMARY_ISSUED, _SUMMARY_SOURCE):
        m = regex.search(text)
        if not m:
            continue
        try:
            when = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        who = m.groupdict().get("who")
        if who:
            # "Ngày 03/10, UBND thành phố ban hành Kế hoạch số 234 ... UBND quận có ý kiến như sau":
            # another organ then speaks, so the plan is cited, not this document
            mine = _organ_key(who)
            speaker = next((x for x in _ISSUER_PHRASE.finditer(text, m.end()) if x.group("verb") != "ban hành"), None)
            if speaker is not None:
                other = _organ_key(speaker.group(1))
                if not (mine.startswith(other) or other.startswith(mine)):
                    continue
        if h.doc_date is not None and h.doc_date != when:
            continue  # the header's own date names another day: this sentence is about another document
        if h.doc_date is None:
            h.guessed.add("doc_date")
        h.doc_number, h.doc_date, h.year_hint = m.group("num").rstrip("."), when, when.year
        h.guessed.add("doc_number")
        if who and h.issuer is None and _ORGAN_START.match(fold_keep(who).strip()):
            h.issuer = capitalize_first(re.sub(r"^UBND\b", "Ủy ban nhân dân", who.strip()))
            h.guessed.add("issuer")
        return


def _modern_spelling(text: str) -> str:
    """"Uỷ ban" (old tone placement) as the app writes it: "Ủy ban"."""
    text = re.sub(r"^(?:Ubnd|UBND)\b", "Ủy ban nhân dân", text)  # "UBND PHƯỜNG GIA VIÊN" in the header
    return text.replace("Uỷ", "Ủy").replace("uỷ", "ủy").replace("UỶ", "ỦY")


def _clean_title(text: str) -> str:
    text = squeeze(text).strip(" :;")
    if is_caps_heading(text):
        text = sentence_case(text)
    text = re.sub(r"^(?:V/v|Về việc)\s*:?\s*", "", text, flags=re.IGNORECASE)
    return capitalize_first(text)
