"""Công văn đôn đốc: the letter that chases units with overdue assignments.

Who is named: every assignment that is overdue on ``today`` (status rule of
``desktop.tracking.status``) inside the chosen scope (directives, units, or exact assignments): the
report's "chưa hoàn thành, quá hạn" list, but for the issuing office itself. A report awaiting
approval is not overdue (its status is pending_review), in the letter as in the report.
A draft records nothing: a document exists once it is numbered and dated. Issuing the final letter
(``--final --number N --date D``, or the window's «ban hành» step through :func:`issue_reminder`)
records one reminder (method "cong_van", its number and date) covering every assignment it names,
in the same transaction as the file write: no file, no record; no record, no file. Issuing the
same number and date again rewrites the file and records nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from sqlalchemy import select

from db.models import Reminder, ReminderItem, ReminderMethod
from db.queries import assignment_rows, unit_subtree_ids
from desktop.documents.common import (
    DirectiveInfo,
    Lateness,
    ReminderSeen,
    UnitTree,
    is_issuing_office,
    load_directives,
    load_lateness,
    load_reminders,
    period_label,
)
from desktop.documents.form import OfficialDocument
from desktop.documents.metrics import column_needs, fit_columns
from desktop.documents.ooxml import MERGE_UP, FullRow
from desktop.documents.text import DRAFT, DocumentError, Issue, inline
from desktop.services import operations
from desktop.services.settings import Settings, load_settings
from desktop.tracking.calendar import add_working_days
from desktop.tracking.labels import fmt_date
from desktop.tracking.stats import Tracked, track
from desktop.tracking.status import Status

Progress = Callable[[int, str], None]

DEFAULT_RESPONSE_WORKING_DAYS = 5
# Beyond this many units the Kính gửi names them through the list in the letter, not one per line.
MAX_NAMED_RECIPIENTS = 15
LISTED_RECIPIENTS = "Các cơ quan, đơn vị có tên tại danh sách dưới đây"


@dataclass
class UnitItems:
    unit_id: int
    name: str
    items: list[Tracked]


@dataclass
class ReminderData:
    today: date
    settings: Settings
    respond_by: date
    directives: list[DirectiveInfo]
    units: list[UnitItems]
    lateness: dict[int, Lateness]
    previous: dict[int, list[ReminderSeen]]

    @property
    def assignment_ids(self) -> list[int]:
        return sorted(t.row.assignment_id for u in self.units for t in u.items)

    @property
    def item_count(self) -> int:
        return sum(len(u.items) for u in self.units)


def collect_reminder(session, today: date, *, directive_ids: Sequence[int] | None = None,
                     unit_ids: Sequence[int] | None = None, assignment_ids: Sequence[int] | None = None,
                     respond_by: date | None = None, settings: Settings | None = None) -> ReminderData:
    """The overdue assignments to name, grouped by unit in tree order.

    ``unit_ids`` may name groups: their members are included. Raises DocumentError when nothing
    in the scope is overdue.
    """
    settings = settings or load_settings(session)
    scope_units = None
    if unit_ids is not None:
        scope_units = sorted({u for uid in unit_ids for u in unit_subtree_ids(session, uid)})
    rows = assignment_rows(session, directive_ids=directive_ids, unit_ids=scope_units,
                           assignment_ids=assignment_ids)
    # The issuing office may itself hold assignments; it does not write to itself.
    overdue = [t for t in track(rows, today, settings.due_soon_days)
               if t.status is Status.OVERDUE and not is_issuing_office(settings, t.row.unit_name)]
    if not overdue:
        raise DocumentError(f"Đến ngày {fmt_date(today)} không có nhiệm vụ quá hạn nào cần đôn đốc "
                            "trong phạm vi đã chọn.")
    tree = UnitTree(session)
    grouped: dict[int, list[Tracked]] = defaultdict(list)
    for t in overdue:
        grouped[t.row.unit_id].append(t)
    units = [UnitItems(uid, tree.name(uid), sorted(grouped[uid], key=lambda t: (
        t.row.directive_id, t.row.task_order, t.row.period))) for uid in tree.sorted_ids(grouped)]
    ids = [t.row.assignment_id for t in overdue]
    directives = sorted(load_directives(session, {t.row.directive_id for t in overdue}).values(),
                        key=lambda d: (d.issued_on or date.min, d.id))
    if respond_by is None:
        respond_by = add_working_days(today, DEFAULT_RESPONSE_WORKING_DAYS)
    if respond_by <= today:
        raise DocumentError("Hạn báo cáo mới phải sau ngày hôm nay.")
    return ReminderData(today, settings, respond_by, directives, units, load_lateness(session, ids),
                        load_reminders(session, ids))


def subject_line(data: ReminderData) -> str:
    if len(data.directives) == 1:
        return f"V/v đôn đốc thực hiện, báo cáo kết quả {data.directives[0].short_ref()}"
    return "V/v đôn đốc thực hiện, báo cáo kết quả các nhiệm vụ đã quá hạn"


def _task_lines(data: ReminderData, t: Tracked, show_directive: bool) -> list[str]:
    r = t.row
    label = period_label(r.period)
    text = inline(r.task_title) + (f" ({label})" if label else "")
    if show_directive:
        directive = next((d for d in data.directives if d.id == r.directive_id), None)
        if directive:
            text += f" ({directive.short_ref()})"
    lines = [text]
    lateness = data.lateness.get(r.assignment_id)
    if r.extended and lateness and lateness.extensions and inline(lateness.extensions[-1][3]):
        lines.append(f"(gia hạn theo {inline(lateness.extensions[-1][3])})")
    previous = data.previous.get(r.assignment_id, [])
    if previous:
        lines.append(f"(đã đôn đốc {len(previous)} lần, lần gần nhất ngày {fmt_date(previous[-1].sent_on)})")
    return lines


def _items_table(doc: OfficialDocument, data: ReminderData) -> None:
    """The units (named once, merged down their rows) and their overdue assignments; the columns
    sized to their content (the task column takes what is left), a «Tổng cộng» row at the end."""
    show_directive = len(data.directives) > 1
    rows: list[object] = []
    for number, unit in enumerate(data.units, 1):
        for i, t in enumerate(unit.items):
            first = i == 0
            rows.append([
                str(number) if first else MERGE_UP,
                unit.name if first else MERGE_UP,
                _task_lines(data, t, show_directive),
                fmt_date(t.row.own_due),
                fmt_date(t.row.effective_due) if t.row.extended else "",
                str(t.days_late),
            ])
    headers = ["STT", "Cơ quan, đơn vị", "Nhiệm vụ chưa hoàn thành", "Hạn ban đầu", "Gia hạn đến", "Số ngày quá hạn"]
    columns = [[r[i] for r in rows] for i in range(len(headers))]
    minimum, natural = column_needs(headers, columns, TABLE_SIZE, [True, False, False, True, True, True])
    total = int(doc.text_width) // 635
    widths = fit_columns(minimum, natural, total, [0.0, 1.0, 3.0, 0.0, 0.0, 0.0])
    if widths is None:  # never for these columns on A4; keep the proportions if it were
        widths = [int(w * total / sum(minimum)) for w in minimum]
        widths[2] += total - sum(widths)
    rows.append(FullRow(f"Tổng cộng: {len(data.units)} cơ quan, đơn vị; {data.item_count} lượt nhiệm vụ quá hạn.",
                        keep_next=False))
    doc.add_grid_table(headers, rows, [w * 635 for w in widths], size=TABLE_SIZE,
                       align=["center", "left", "left", "center", "center", "center"])


TABLE_SIZE = 12


def render_reminder(data: ReminderData, issue: Issue = DRAFT) -> OfficialDocument:
    issue = issue.validated()
    s = data.settings
    agency = inline(s.agency_name)
    doc = OfficialDocument(s)
    year = (issue.issued_on or data.today).year
    doc.header(issue.number or None, s.letter_symbol, issue.issued_on, year, subject=subject_line(data))
    doc.set_properties(f"Công văn đôn đốc: {subject_line(data)}", "Công văn đôn đốc")
    if len(data.units) <= MAX_NAMED_RECIPIENTS:
        doc.recipients([u.name for u in data.units], before=18)
    else:
        doc.recipients([LISTED_RECIPIENTS], before=18)
    refs = "; ".join(d.full_ref(s.agency_name) for d in data.directives)
    doc.body(f"Thực hiện {refs}, các cơ quan, đơn vị được giao nhiệm vụ triển khai thực hiện và báo cáo kết quả "
             f"về {agency} theo thời hạn quy định.")
    doc.body(f"Tuy nhiên, đến ngày {fmt_date(data.today)}, còn {len(data.units)} đơn vị chưa hoàn thành "
             f"{data.item_count} lượt nhiệm vụ đã quá thời hạn (số ngày quá hạn tính đến ngày {fmt_date(data.today)}), "
             f"cụ thể như sau:", keep_next=True)
    _items_table(doc, data)
    superior = inline(s.superior_name)
    purpose = f" để tổng hợp, báo cáo {superior}" if superior else ""
    doc.body(f"{agency} đề nghị các đơn vị nêu trên khẩn trương hoàn thành các nhiệm vụ được giao, gửi báo cáo "
             f"kết quả (kèm số liệu, tài liệu minh chứng) về {agency} trước ngày {fmt_date(data.respond_by)}"
             f"{purpose}. Trường hợp không thể hoàn thành đúng hạn, đề nghị đơn vị báo cáo rõ lý do và đề xuất "
             f"thời hạn hoàn thành bằng văn bản.")
    doc.body("Đề nghị các đơn vị quan tâm, thực hiện./.")
    doc.end_of_body()
    doc.signature(["- Như trên;", "- Lãnh đạo Phòng;", f"- Lưu: VT, {inline(s.drafter_abbrev)}."])
    return doc


@dataclass(frozen=True)
class ReminderResult:
    path: Path
    reminder_id: int | None  # the reminder recorded (or already recorded) for a final letter; None for a draft
    assignment_ids: list[int]
    unit_count: int

    @property
    def recorded(self) -> bool:
        return self.reminder_id is not None


def build_reminder(db, out: str | Path, *, today: date, directive_ids: Sequence[int] | None = None,
                   unit_ids: Sequence[int] | None = None, assignment_ids: Sequence[int] | None = None,
                   respond_by: date | None = None, issue: Issue = DRAFT,
                   progress: Progress | None = None) -> ReminderResult:
    """Write the letter to ``out``; a final one (numbered and dated) is also recorded as a reminder
    on each assignment it names, a draft is not.

    The record and the file succeed or fail together: the reminder is written in the transaction
    that is committed only after the file is in place. Raises DocumentError or
    fileio.OutputError / FileLockedError. Safe to call from a worker thread.
    """
    issue = issue.validated()
    issue.check_data_date(today)
    if progress:
        progress(5, "Đang đọc dữ liệu...")
    with db.session("cong-van-don-doc") as session:
        data = collect_reminder(session, today, directive_ids=directive_ids, unit_ids=unit_ids,
                                assignment_ids=assignment_ids, respond_by=respond_by)
        if progress:
            progress(30, "Đang soạn công văn...")
        doc = render_reminder(data, issue)
        reminder_id = None
        if issue.final:
            reminder_id = _record(session, data, issue, out)
        if progress:
            progress(80, "Đang ghi tệp...")
        path = doc.save(out)
    if progress:
        progress(100, "Đã xong.")
    return ReminderResult(path, reminder_id, data.assignment_ids, len(data.units))


def _record(session, data: ReminderData, issue: Issue, out: str | Path) -> int:
    """The reminder of a final letter: one per letter number and date (issuing it again adds the
    assignments it did not name yet, nothing else); not committed here."""
    letter_number = f"{issue.number}/{inline(data.settings.letter_symbol)}"
    existing = session.execute(select(Reminder).where(
        Reminder.method == ReminderMethod.LETTER.value, Reminder.letter_number == letter_number,
        Reminder.sent_on == issue.issued_on)).scalars().first()
    if existing is None:
        reminder = operations.log_reminder(
            session, data.assignment_ids, issue.issued_on, ReminderMethod.LETTER.value,
            letter_number=letter_number, note=subject_line(data), file_path=str(Path(out)))
        return reminder.id
    named = set(session.execute(select(ReminderItem.assignment_id)
                                .where(ReminderItem.reminder_id == existing.id)).scalars())
    for aid in data.assignment_ids:
        if aid not in named:
            session.add(ReminderItem(reminder_id=existing.id, assignment_id=aid))
    return existing.id


def issue_reminder(db, out: str | Path, *, today: date, number: str, issued_on: date,
                   directive_ids: Sequence[int] | None = None, unit_ids: Sequence[int] | None = None,
                   assignment_ids: Sequence[int] | None = None, respond_by: date | None = None,
                   progress: Progress | None = None) -> ReminderResult:
    """Issue the letter with number ``number`` and date ``issued_on``: the final document, recorded
    as a reminder on every assignment it names (Qt-free: the window's «ban hành» step calls it)."""
    return build_reminder(db, out, today=today, directive_ids=directive_ids, unit_ids=unit_ids,
                          assignment_ids=assignment_ids, respond_by=respond_by,
                          issue=Issue(final=True, number=number, issued_on=issued_on), progress=progress)
