"""Dates in a directive's sentences: periods, deadlines, report deadlines and recurring ones.

"Trước ngày 15/10" proposes the 15th, as written (the office's decision: the officer compares
the proposal with the text, and offices read it as the last day), like "chậm nhất ngày", "đến
ngày" and "hạn"; only "trước tháng 6" ends with the month before.

A date counts only when a cue says what it is ("từ ngày ... đến ngày ...", "trước ngày ...",
"chậm nhất ngày 20 hằng tháng", "hoàn thành trong tháng 6/2024" ...). Dates without a cue are
left alone, and these are rejected even with one: the dates of cited documents ("Kế hoạch số
234/KH-UBND ngày 03/10/2022"), dates whose year is implausible for the document (a typo such as
"15/10/2202", or an anniversary "10/10/1954"), and dates that do not exist (31/02).

Everything runs on ``fold_keep`` text, so the spans returned point into the text given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from desktop.intake.textutil import fold_keep

# Default days for recurring rules whose text names no day ("định kỳ 6 tháng"). The rule strings
# are those of desktop.tracking.recurrence: the day of the month after the period.
DEFAULT_RECURRENCE_DAY = {"monthly": 5, "quarterly": 15, "semiannual": 15}

# How far from the document's year a deadline may be before it is taken for a typo.
YEARS_BEFORE = 1
YEARS_AFTER = 3


@dataclass(frozen=True)
class DateAtom:
    """One date expression: ``precision`` is day | month | quarter | year."""

    start: int
    end: int
    day: int | None
    month: int | None
    year: int | None
    precision: str


@dataclass
class TaskDates:
    start_date: date | None = None
    due_date: date | None = None
    report_due_date: date | None = None
    recurrence: str | None = None
    ongoing: bool = False
    period_text: str | None = None  # "Quý II/2026": a period that is not a date, kept as written
    used: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, what)
    strict: list[tuple[int, int, date]] = field(default_factory=list)  # "trước ngày X" read as X - 1
    rejected: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, why)

    def empty(self) -> bool:
        return not (self.start_date or self.due_date or self.report_due_date or self.recurrence or self.ongoing)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_NUMERIC = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2})(?!\d))?(?![\d])(?!\s*/\s*[a-z])")
_VERBOSE = re.compile(
    r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:nam|thang|,)\s*(\d{4}))?(?![\d])")
_MONTH = re.compile(r"thang\s+(\d{1,2})(?:\s*(?:/|-|nam)\s*(\d{4}))?(?![\d/])")
_QUARTER = re.compile(r"quy\s+(iv|i{1,3}|[1-4])(?![a-z\d])(?:\s*(?:/|-|nam)\s*(\d{4}))?")
_YEAR = re.compile(r"nam\s+(\d{4})(?![\d])")


def _valid(day: int, month: int, year: int | None) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= (calendar.monthrange(year, month)[1] if year else (29 if month == 2 else 31))


def _year4(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def find_atoms(folded: str) -> list[DateAtom]:
    """Every date-like expression, non-overlapping, in text order."""
    atoms: list[DateAtom] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(atom: DateAtom) -> None:
        if free(atom.start, atom.end):
            atoms.append(atom)
            taken.append((atom.start, atom.end))

    for m in _VERBOSE.finditer(folded):
        d, mo, y = int(m.group(1)), int(m.group(2)), _year4(m.group(3))
        add(DateAtom(m.start(1), m.end(), d, mo, y, "day"))
    for m in _NUMERIC.finditer(folded):
        d, mo, y = int(m.group(1)), int(m.group(3)), _year4(m.group(4))
        if m.group(2) == "." and y is None:
            continue  # "1.2" is a heading number, not a date
        if m.group(2) == "-" and y is None:
            # "01-02 cuộc thi" is a count; a dashed date needs its year
            continue
        add(DateAtom(m.start(), m.end(), d, mo, y, "day"))
    for m in _MONTH.finditer(folded):
        add(DateAtom(m.start(), m.end(), None, int(m.group(1)), _year4(m.group(2)), "month"))
    for m in _QUARTER.finditer(folded):
        q = m.group(1)
        quarter = _ROMAN.get(q) or int(q)
        add(DateAtom(m.start(), m.end(), None, quarter, _year4(m.group(2)), "quarter"))
    for m in _YEAR.finditer(folded):
        add(DateAtom(m.start(), m.end(), None, None, int(m.group(1)), "year"))
    atoms.sort(key=lambda a: a.start)
    return atoms


# ------------------------------------------------------------------ context tests

_CLOCK = r"\d{1,2}\s*(?:gio|h)\s*(?:\d{1,2}\s*(?:phut)?)?\s*"  # 6h30, 7 giờ 30 phút
_TIME = r"(?:" + _CLOCK + r"(?:\d{1,2})?\s*,?\s*)?"
_DEADLINE_CUE = re.compile(
    r"(?:truoc|cham nhat(?: la| vao| truoc| den)?|han chot(?: la)?|han cuoi(?: la)?|thoi han(?: la| den| truoc)?"
    r"|(?<![a-z])han(?: la| den| truoc)?|khong qua|khong muon hon|den het|(?<![a-z])den|(?<![a-z])toi"
    r"|hoan thanh(?: truoc| trong| vao)?|xong(?: truoc| trong)?|ket thuc(?: truoc| vao)?|(?<![a-z])trong|(?<![a-z])vao"
    r"|thoi gian(?: thuc hien| hoan thanh| to chuc)?\s*:)"
    r"\s*:?\s*(?:het\s*)?(?:ngay\s*)?" + _TIME + r"(?:ngay\s*|het ngay\s*)?$")
_BEFORE_PERIOD_CUE = re.compile(r"(?<![a-z])truoc\s*(?:ngay\s*)?$")
_START_CUE = re.compile(r"(?<![a-z])(?:bat dau\s*)?(?:ke\s*)?tu\s*(?:ngay\s*)?" + _TIME + r"(?:ngay\s*)?$")
_RANGE_LINK = re.compile(r"^\s*(?:den|toi|-|–|—)\s*(?:het\s*)?(?:ngay\s*)?" + _TIME + r"(?:ngay\s*)?$")
_CITED = re.compile(
    r"(?:(?:so|hieu)\s*:?\s*)?[0-9a-z.\-]*\d[0-9a-z.\-]*/[0-9a-z&.\-/]+\s*,?\s*(?:ban hanh\s*|ky\s*)?(?:ngay\s*)?$"
    r"|(?:nghi quyet|quyet dinh|ke hoach|cong van|thong bao|chi thi|nghi dinh|thong tu|luat|huong dan|van ban"
    r"|to trinh|bao cao|chuong trinh|de an|cong dien|ket luan|phap lenh|hien phap)(?:\s+so)?\s*\S*\d\S*\s*,?\s*ngay\s*$"
    r"|(?:ban hanh|ky|thong qua|cong bo)\s+(?:ngay\s*)?$"
    r"|(?:dang ngay|ngay dang|cap nhat|ngay cap nhat|dang luc)\s*:?\s*$")
_REPORT = re.compile(r"bao cao(?! vien)|gui (?:ket qua|ve|bao cao|danh sach|san pham)|nop (?:bao cao|ket qua)"
                     r"|tong hop(?: ket qua)?,? gui|cung cap (?:thong tin|so lieu)"
                     # sending something to an office: "gửi đăng ký về Phòng", "gửi Phòng Nội vụ"
                     r"|(?<![a-z])gui\b[^.;]{0,40}?\b(?:ve|den)\b"
                     r"|(?<![a-z])gui (?:cho )?(?:phong|so|uy ban|ubnd|van phong|ban |trung tam|bo phan)")
_CLAUSE_BREAK = re.compile(r"[;\n]|\.\s|\bdong thoi\b")


def _clause_before(folded: str, pos: int) -> str:
    start = 0
    for m in _CLAUSE_BREAK.finditer(folded, 0, pos):
        start = m.end()
    return folded[start:pos]


def is_cited(folded: str, atom: DateAtom) -> bool:
    before = folded[max(0, atom.start - 60):atom.start]
    if atom.start >= 5 and folded[atom.start - 5:atom.start] == "ngay " and _CITED.search(before):
        return True
    return bool(_CITED.search(before))


# ------------------------------------------------------------------ resolution

def _first_day(atom: DateAtom, year: int) -> date:
    if atom.precision == "day":
        return date(year, atom.month, atom.day)
    if atom.precision == "month":
        return date(year, atom.month, 1)
    if atom.precision == "quarter":
        return date(year, (atom.month - 1) * 3 + 1, 1)
    return date(year, 1, 1)


def _last_day(atom: DateAtom, year: int) -> date:
    if atom.precision == "day":
        return date(year, atom.month, atom.day)
    if atom.precision == "month":
        return date(year, atom.month, calendar.monthrange(year, atom.month)[1])
    if atom.precision == "quarter":
        month = atom.month * 3
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 12, 31)


def _plausible(year: int, hint: int | None) -> bool:
    if hint is None:
        return 2000 <= year <= 2100
    return hint - YEARS_BEFORE <= year <= hint + YEARS_AFTER


def _implied_year(atom: DateAtom, hint: int | None, doc_date: date | None) -> int | None:
    if atom.year is not None:
        return atom.year
    if hint is None:
        return None
    year = hint
    if doc_date is not None and atom.month is not None and atom.precision in ("day", "month"):
        try:
            candidate = _last_day(atom, year)
        except ValueError:
            return year
        if candidate < doc_date - timedelta(days=61):
            year += 1  # "trước ngày 15/01" in a December letter means next January
    return year


def _atom_ok(atom: DateAtom, year: int | None, hint: int | None) -> str | None:
    """None when usable, else the reason it is not."""
    if year is None:
        return "no_year"
    if atom.precision == "day" and not _valid(atom.day, atom.month, year):
        return "invalid"
    if atom.precision in ("month", "quarter") and not 1 <= atom.month <= (12 if atom.precision == "month" else 4):
        return "invalid"
    if atom.year is not None and not _plausible(atom.year, hint):
        return "implausible_year"
    return None


# ------------------------------------------------------------------ recurrence

_MONTHLY_DAY = re.compile(
    r"ngay\s*(\d{1,2})\s*(?:cua\s*)?(?:hang|moi|cac)\s*thang(?!\s*(?:\d|nam))")
_MONTHLY_WORD = re.compile(r"(?:hang|moi)\s*thang|dinh ky\s*thang|thang\s*(?:mot lan|1 lan)")
_QUARTERLY_WORD = re.compile(r"(?:(?:hang|moi)\s*quy|dinh ky\s*(?:hang\s*)?quy|theo (?:tung )?quy|quy\s*(?:mot lan|1 lan))"
                             r"(?![a-z])(?!\s*(?:dinh|che|trinh|hoach|mo|tac|doi)\b)")
_SEMIANNUAL_WORD = re.compile(
    r"(?:dinh ky|hang|moi|dinh ky hang)\s*(?:0?6|sau)\s*thang|(?:0?6|sau)\s*thang\s*(?:mot lan|1 lan|/\s*lan)"
    r"|(?:hang|moi)\s*nua nam|dinh ky\s*nua nam")
_YEARLY_WORD = re.compile(r"(?:hang|moi)\s*nam|dinh ky\s*(?:hang\s*)?nam")
_DAY_ONLY = re.compile(r"(?:truoc|cham nhat|vao|den)\s*(?:ngay\s*)?(\d{1,2})(?!\d)(?!\s*[/.\-]\s*\d)(?!\s*thang\s*\d)")
_DAY_MONTH = re.compile(r"(?:truoc|cham nhat|vao|den)\s*(?:ngay\s*)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\d)(?!\s*[/.\-]\s*\d)")
_RECURRENCE_CUE = re.compile(r"bao cao|cham nhat|truoc ngay|gui|nop|dinh ky|cap nhat|tong hop")


def _recurrence(folded: str) -> tuple[str, int, int] | None:
    """(rule, start, end) for a recurring deadline in ``folded``, or None."""
    m = _MONTHLY_DAY.search(folded)
    if m and _RECURRENCE_CUE.search(_clause_before(folded, m.end()) + folded[m.end():m.end() + 40]):
        day = int(m.group(1))
        if 1 <= day <= 31:
            return f"monthly:{day}", m.start(), m.end()
    for regex, kind in ((_SEMIANNUAL_WORD, "semiannual"), (_QUARTERLY_WORD, "quarterly"),
                        (_MONTHLY_WORD, "monthly")):
        m = regex.search(folded)
        if not m:
            continue
        window = folded[max(0, m.start() - 80):m.end() + 80]
        if kind != "semiannual" and not _RECURRENCE_CUE.search(window):
            continue
        day_m = _DAY_ONLY.search(folded, max(0, m.start() - 80), min(len(folded), m.end() + 80))
        day = int(day_m.group(1)) if day_m and 1 <= int(day_m.group(1)) <= 31 else DEFAULT_RECURRENCE_DAY[kind]
        return f"{kind}:{day}", m.start(), m.end()
    m = _YEARLY_WORD.search(folded)
    if m:
        window_start, window_end = max(0, m.start() - 80), min(len(folded), m.end() + 80)
        dm = _DAY_MONTH.search(folded, window_start, window_end)
        if dm and _REPORT.search(folded[window_start:window_end]):
            day, month = int(dm.group(1)), int(dm.group(2))
            if _valid(day, month, 2024):
                return f"yearly:{month}-{day}", m.start(), m.end()
    return None


_ONGOING = re.compile(
    r"thoi gian(?: thuc hien)?\s*:?\s*thuong xuyen|(?:thuc hien|trien khai|tuyen truyen|cap nhat|duy tri)\s*thuong xuyen"
    r"|thuong xuyen\s*,?\s*lien tuc|^\W*thuong xuyen\W*$")


# ------------------------------------------------------------------ main entry

def extract_dates(text: str, year_hint: int | None = None, doc_date: date | None = None,
                  implicit: bool = False) -> TaskDates:
    """The dates of one task's text.

    ``year_hint`` is the document's year (for "10/10" and for rejecting typo'd years);
    ``implicit`` is for a table's time column, where a bare date or month is the deadline.
    """
    folded = fold_keep(text)
    result = TaskDates()
    _extract(folded, result, year_hint, doc_date, implicit, text)
    return result


_WEEKDAY = re.compile(
    r"(?<![a-z])(?:(?<=vao )(?:buoi )?(?:sang|chieu|toi|trua|dem)\s+)?"
    r"(?:thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat|cn)(?![a-z])\s*,?\s*(?=(?:ngay\s*)?\d)"
    r"|(?<=vao )(?:buoi )?(?:sang|chieu|toi|trua|dem)\s+(?=(?:ngay\s*)?\d)")
# "vào ngày 02/3", "Thời gian: ngày 07/3", and an appointment: "có mặt trước 6h30 ngày 02/3/2025" (a
# time of day before the date: the people are there that day, it is not a span ending then)
_APPOINTMENT = (r"(?:co mat|tap trung)\s*(?:truoc|luc|vao|tu)?\s*(?:luc\s*)?" + _CLOCK
                + r",?\s*(?:sang|chieu|toi)?\s*,?\s*(?:ngay\s*)?$")
_APPOINTMENT_CUE = re.compile(_APPOINTMENT)
_EVENT_CUE = re.compile(r"(?:(?:(?<![a-z])vao|thoi gian(?: to chuc| dien ra| khai mac)?\s*:)\s*(?:ngay\s*)?" + _TIME
                        + r"(?:ngay\s*)?$|" + _APPOINTMENT + ")")
_NOT_EVENT = re.compile(r"(?:hoan thanh|xong|ket thuc|nop|gui|truoc|han|cham nhat)\s*(?:vao)?\s*(?:ngay\s*)?$")


def _blank_weekdays(folded: str) -> str:
    """"ngày thứ Hai 03/3/2025", "vào sáng Chủ nhật 14/6/2026": the weekday and the time of day
    blanked out (same length, so spans still point into the text) so that cues reach the date."""
    return _WEEKDAY.sub(lambda m: " " * len(m.group(0)), folded)


_DAY_RANGE = re.compile(r"(?<![a-z])tu\s*(?:ngay\s*)?(\d{1,2})\s*(?:den(?: het)?(?: ngay)?|-|–|—)\s*(?:het\s*)?(?:ngay\s*)?"
                        r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")


def _day_ranges(folded: str, result: TaskDates, hint: int | None, doc_date: date | None) -> str:
    """"từ ngày 01 đến ngày 31/10/2024", "từ 10 - 15/11/2024": the start takes the end's month and
    year. Read here, then blanked so that the date atoms do not read the end again."""
    for m in list(_DAY_RANGE.finditer(folded)):
        d1, d2, month = int(m.group(1)), int(m.group(2)), int(m.group(3))
        end_atom = DateAtom(m.start(2), m.end(), d2, month, int(m.group(4)) if m.group(4) else None, "day")
        year = _implied_year(end_atom, hint, doc_date)
        if year is None or not _valid(d2, month, year) or not _valid(d1, month, year) or d1 > d2 \
                or _atom_ok(end_atom, year, hint):
            continue
        report = bool(_REPORT.search(_clause_before(folded, m.start())))
        end = date(year, month, d2)
        if report:
            result.report_due_date = max(filter(None, (result.report_due_date, end)))
        else:
            result.start_date = result.start_date or date(year, month, d1)
            result.due_date = max(filter(None, (result.due_date, end)))
        result.used.append((m.start(1), m.end(), "period"))
        folded = folded[:m.start()] + " " * (m.end() - m.start()) + folded[m.end():]
    return folded


def _extract(folded: str, result: TaskDates, hint: int | None, doc_date: date | None, implicit: bool,
             original: str = "") -> None:
    folded = _blank_weekdays(folded)
    folded = _day_ranges(folded, result, hint, doc_date)
    atoms = find_atoms(folded)
    recurrence = _recurrence(folded)
    if recurrence:
        result.recurrence = recurrence[0]
        result.used.append((recurrence[1], recurrence[2], "recurrence"))
    if _ONGOING.search(folded):
        result.ongoing = True
    dues: list[tuple[date, bool, DateAtom]] = []
    consumed: set[int] = set()
    prev_end = 0
    for i, atom in enumerate(atoms):
        if i in consumed:
            prev_end = atom.end
            continue
        before = folded[prev_end:atom.start]
        prev_end = atom.end
        if recurrence and recurrence[1] <= atom.start < recurrence[2] + 40 and atom.year is None:
            continue  # the "20" of "ngày 20 hằng tháng"
        if is_cited(folded, atom):
            result.rejected.append((atom.start, atom.end, "cited"))
            continue
        # a period: "từ (ngày) A đến (hết) (ngày) B", or "A - B" in a table cell
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        link = folded[atom.end:nxt.start] if nxt else ""
        starts_period = _START_CUE.search(before) is not None
        if nxt and _RANGE_LINK.match(link) and (starts_period or implicit):
            end_year = _implied_year(nxt, hint, doc_date)
            start_year = atom.year if atom.year is not None else end_year
            if atom.year is None and end_year is not None and atom.month and nxt.month \
                    and atom.precision == nxt.precision and atom.month > nxt.month:
                start_year = end_year - 1
            why = _atom_ok(atom, start_year, hint) or _atom_ok(nxt, end_year, hint)
            consumed.add(i + 1)
            if why:
                result.rejected.append((atom.start, nxt.end, why))
                continue
            start, end = _first_day(atom, start_year), _last_day(nxt, end_year)
            if end < start:
                result.rejected.append((atom.start, nxt.end, "reversed"))
                continue
            report = bool(_REPORT.search(_clause_before(folded, atom.start)))
            if report:
                dues.append((end, True, nxt))
            else:
                result.start_date = result.start_date or start
                dues.append((end, False, nxt))
            result.used.append((atom.start, nxt.end, "period"))
            continue
        if starts_period:
            year = _implied_year(atom, hint, doc_date)
            why = _atom_ok(atom, year, hint)
            if why:
                result.rejected.append((atom.start, atom.end, why))
                continue
            result.start_date = result.start_date or _first_day(atom, year)
            result.used.append((atom.start, atom.end, "start"))
            continue
        cue = _DEADLINE_CUE.search(before) or (_APPOINTMENT_CUE.search(before) if atom.precision == "day" else None)
        if atom.precision == "year" and cue and not re.search(r"(?:truoc|hoan thanh|xong|cham nhat)", cue.group(0)):
            cue = None  # "đến năm 2025", "trong năm 2023" describe, they do not set a deadline
        if atom.precision == "day" and atom.year is None and not cue and not implicit:
            continue
        if not cue and not implicit:
            continue
        year = _implied_year(atom, hint, doc_date)
        why = _atom_ok(atom, year, hint)
        if why:
            result.rejected.append((atom.start, atom.end, why))
            continue
        if atom.precision == "quarter":
            # "trong Quý II/2026" is a period the officer reads, not a deadline to file
            result.period_text = result.period_text or (original[atom.start:atom.end] if original else None)
            result.rejected.append((atom.start, atom.end, "quarter"))
            continue
        event = atom.precision == "day" and (
            (_EVENT_CUE.search(before) is not None and not _NOT_EVENT.search(before))
            or (implicit and before.strip() in ("", "ngay")))
        if cue and _BEFORE_PERIOD_CUE.search(before) and atom.precision != "day":
            # "trước tháng 6/2024" is 31/5/2024. "Trước ngày 15/10" proposes the 15th, as written:
            # the officer compares the proposal with the text, and offices read it as the last day.
            value = _first_day(atom, year) - timedelta(days=1)
        else:
            value = _last_day(atom, year)
        report = bool(_REPORT.search(_clause_before(folded, atom.start)))
        if event and not report:
            # a one-day event ("vào ngày 02/3/2025", "Thời gian: ngày 07/3"): it starts and ends that day
            result.start_date = result.start_date or value
        dues.append((value, report, atom))
        result.used.append((atom.start, atom.end, "report" if report else "due"))
    plain = [d for d, report, _ in dues if not report] + ([result.due_date] if result.due_date else [])
    reports = [d for d, report, _ in dues if report] + ([result.report_due_date] if result.report_due_date else [])
    if plain:
        result.due_date = max(plain)
    if reports:
        result.report_due_date = max(reports)
    if result.recurrence:
        result.ongoing = False


def year_candidates(text: str) -> list[int]:
    """Years of dates that follow a deadline cue, most telling first (for guessing the document's
    year when its header has none)."""
    folded = fold_keep(text)
    years: list[int] = []
    prev_end = 0
    for atom in find_atoms(folded):
        before = folded[prev_end:atom.start]
        prev_end = atom.end
        if atom.year and atom.precision in ("day", "month") and not is_cited(folded, atom) \
                and (_DEADLINE_CUE.search(before) or _START_CUE.search(before) or _RANGE_LINK.match(before)):
            years.append(atom.year)
    return years
