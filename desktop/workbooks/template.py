"""Per-unit Excel template "Phiếu báo cáo kết quả": the unit fills it, the officer imports it back.

Layout (sheet "Phiếu báo cáo"): the official header, the unit's name, instructions, then one row
per open assignment: locked columns describing the task, pale-yellow unlocked input columns
(state from a dropdown, completion date, content, the unit's document number, the figures the task
asks for, a note). The sheet and the workbook structure are protected (a deterrent only).

Integrity: a very hidden sheet holds the unit, the template version, the layout and, for each data
row, the assignment id and indicator ids; an HMAC-SHA256 over all of it, keyed with a secret kept in
the database (Setting "template_secret"), tells on import whether any of it was changed. So a file
cannot be re-pointed at another unit or at tasks the unit was not given.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Assignment, AssignmentState, Setting, Unit, UnitReport, ValueType
from db.queries import assignment_rows
from desktop.infra.fileio import atomic_write
from desktop.services.settings import Settings, load_settings
from desktop.tracking.labels import ROLE, STATE, fmt_date, status_text
from desktop.tracking.status import compute_status
from desktop.workbooks.common import (
    SIGNATURE_NOTES,
    SIGNATURE_TITLES,
    CellStyles,
    Column,
    Progress,
    first_page_columns,
    height_for_lines,
    no_progress,
    period_text,
    row_height,
    set_widths,
    setup_print,
    wrapped_lines,
    write_official_header,
)
from desktop.workbooks.data import IndicatorInfo, indicators_by_task
from desktop.workbooks.sheet_xml import save_workbook

TEMPLATE_KIND = "phieu-bao-cao-ket-qua"
TEMPLATE_VERSION = 1
SHEET_FORM = "Phiếu báo cáo"
SHEET_LISTS = "DanhMuc"
SHEET_META = "_theodoi"
SECRET_KEY = "template_secret"
# Sheet protection in Excel is a deterrent (a 16-bit hash), not security; the HMAC is the check.
PROTECTION_PASSWORD = "theodoi"

# What the unit may choose in the state dropdown, and the assignment state each leads to.
CHOICE_DONE = "Đã hoàn thành"
CHOICE_IN_PROGRESS = "Đang thực hiện"
CHOICE_NOT_STARTED = "Chưa thực hiện"
STATE_CHOICES = {
    CHOICE_DONE: AssignmentState.REPORTED.value,
    CHOICE_IN_PROGRESS: AssignmentState.IN_PROGRESS.value,
    CHOICE_NOT_STARTED: AssignmentState.NOT_STARTED.value,
}

# Assignments a unit can still report on.
OPEN_STATES = (
    AssignmentState.NOT_STARTED.value,
    AssignmentState.IN_PROGRESS.value,
    AssignmentState.RETURNED.value,
    AssignmentState.REPORTED.value,
)

# Fixed columns; figure pairs (indicator name, value) come between DOC_NUMBER and NOTE. Widths are
# what a printed page holds at 9 pt: the first four columns repeat on every page across.
FIXED_COLUMNS = [
    ("stt", Column("STT", 5, "locked_center")),
    ("id", Column("Mã", 7, "locked_center")),
    ("directive", Column("Văn bản chỉ đạo", 14, "locked")),
    ("task", Column("Nhiệm vụ", 40, "locked")),
    ("role", Column("Vai trò", 9, "locked_center")),
    ("deadline", Column("Hạn hoàn thành", 11, "locked_date")),
    ("current", Column("Tình trạng hiện tại", 24, "locked")),
    ("state", Column("Tình trạng thực hiện (chọn)", 15, "input_center")),
    ("completed", Column("Ngày hoàn thành (dd/mm/yyyy)", 13, "input_date")),
    ("content", Column("Nội dung kết quả thực hiện", 45, "input")),
    ("doc_number", Column("Số, ký hiệu văn bản báo cáo", 14, "input")),
]
NOTE_COLUMN = ("note", Column("Ghi chú", 24, "input"))
INPUT_FIELDS = ("state", "completed", "content", "doc_number", "note")
TITLE_COLUMNS = 4  # STT, Mã, Văn bản, Nhiệm vụ: repeated on each printed page across
# Room to write by hand in a printed form: about three lines.
HANDWRITING_HEIGHT = 48.0
# «Hạn gửi lại» when the officer gives none: a week from the day the form is made.
RETURN_DAYS = 7
RETURNED_PREFIX = "Yêu cầu bổ sung:"


# ---------------------------------------------------------------- the secret and the signature


def template_secret(session: Session, create: bool = True) -> bytes | None:
    """The HMAC key, created with ``secrets`` on first use and kept in the Setting table."""
    row = session.get(Setting, SECRET_KEY)
    if row is None or not row.value:
        if not create:
            return None
        value = secrets.token_hex(32)
        if row is None:
            session.add(Setting(key=SECRET_KEY, value=value))
        else:
            row.value = value
        session.flush()
        return value.encode("ascii")
    return row.value.encode("ascii")


def canonical(meta: dict) -> bytes:
    return json.dumps(meta, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(meta: dict, secret: bytes) -> str:
    return hmac.new(secret, canonical(meta), hashlib.sha256).hexdigest()


def verify(meta: dict, signature: str, secret: bytes) -> bool:
    return hmac.compare_digest(sign(meta, secret), signature or "")


# ---------------------------------------------------------------- what goes into a template


@dataclass
class TemplateRow:
    assignment_id: int
    task_id: int
    directive_number: str
    task_title: str
    period: str
    role: str
    deadline: date | None
    state: str
    indicators: list[IndicatorInfo]
    completed_on: date | None = None
    return_reason: str = ""
    reported_on: date | None = None  # the newest report's day received, for one awaiting approval


@dataclass
class TemplateData:
    unit_id: int
    unit_code: str
    unit_name: str
    today: date
    settings: Settings
    rows: list[TemplateRow] = field(default_factory=list)
    return_by: date | None = None  # «Hạn gửi lại»

    @property
    def return_date(self) -> date:
        return self.return_by or self.today + timedelta(days=RETURN_DAYS)

    @property
    def figure_pairs(self) -> int:
        return max((len(r.indicators) for r in self.rows), default=0)


def open_assignment_ids(session: Session, unit_id: int) -> list[int]:
    stmt = select(Assignment.id).where(Assignment.unit_id == unit_id, Assignment.state.in_(OPEN_STATES))
    return list(session.execute(stmt).scalars())


def return_reason(note: str | None) -> str:
    """The reason of the newest «Yêu cầu bổ sung» recorded in an assignment's note."""
    for line in reversed((note or "").splitlines()):
        if line.startswith(RETURNED_PREFIX):
            return line[len(RETURNED_PREFIX):].strip()
    return ""


def load_template_data(session: Session, unit_id: int, today: date, settings: Settings | None = None,
                       return_by: date | None = None) -> TemplateData:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise ValueError(f"Không tìm thấy đơn vị (mã {unit_id}).")
    settings = settings or load_settings(session)
    rows = assignment_rows(session, unit_ids=[unit_id])
    rows = [r for r in rows if r.state in OPEN_STATES]
    indicators = indicators_by_task(session, sorted({r.task_id for r in rows})) if rows else {}
    returned = [r.assignment_id for r in rows if r.state == AssignmentState.RETURNED.value]
    notes = dict(session.execute(select(Assignment.id, Assignment.note).where(Assignment.id.in_(returned)))
                 .all()) if returned else {}
    waiting = [r.assignment_id for r in rows if r.state == AssignmentState.REPORTED.value]
    received = dict(session.execute(
        select(UnitReport.assignment_id, func.max(UnitReport.received_on))
        .where(UnitReport.assignment_id.in_(waiting)).group_by(UnitReport.assignment_id)).all()) if waiting else {}
    rows.sort(key=lambda r: (r.effective_due is None, r.effective_due or date.max, r.directive_id,
                             r.task_order, r.period))
    data = TemplateData(unit.id, unit.code, unit.name, today, settings, return_by=return_by)
    for r in rows:
        data.rows.append(TemplateRow(r.assignment_id, r.task_id, r.directive_number, r.task_title, r.period, r.role,
                                     r.effective_due, r.state, indicators.get(r.task_id, []), r.completed_on,
                                     return_reason(notes.get(r.assignment_id)), received.get(r.assignment_id)))
    return data


def current_text(row: TemplateRow, today: date, due_soon_days: int) -> str:
    """What the office knows of the row today: the status by the one rule, with days late or left;
    a report awaiting approval or returned says so, a returned one with the office's reason."""
    result = compute_status(row.state, row.deadline, row.completed_on, today, due_soon_days, row.reported_on)
    status = status_text(result.status.value, result.days_late, result.days_left)
    if row.state == AssignmentState.RETURNED.value:
        reason = f": {row.return_reason}" if row.return_reason else ""
        return f"{STATE[row.state]}{reason}\n({status})"
    return status


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class Layout:
    """Where things are on the form sheet; signed, so an import reads exactly what was written."""

    header_row: int
    first_row: int
    columns: dict  # field -> column number; figure pairs as "figure_label_k"/"figure_k" (k from 1)
    figure_pairs: int
    signature: tuple[int, int] | None = None  # first and last row of the signatures (forms since 12/2026)

    @property
    def width(self) -> int:
        return max(self.columns.values())

    def to_meta(self) -> dict:
        meta = {"header_row": self.header_row, "first_row": self.first_row, "columns": self.columns,
                "figure_pairs": self.figure_pairs}
        if self.signature is not None:
            meta["signature"] = list(self.signature)
        return meta

    @classmethod
    def from_meta(cls, meta: dict) -> "Layout":
        signature = meta.get("signature")
        return cls(int(meta["header_row"]), int(meta["first_row"]),
                   {str(k): int(v) for k, v in dict(meta["columns"]).items()}, int(meta["figure_pairs"]),
                   (int(signature[0]), int(signature[1])) if signature else None)


INSTRUCTIONS = [
    "1. Chỉ nhập vào các ô nền vàng. Các ô khác đã được khóa; không thêm, xóa, sắp xếp lại dòng hoặc cột, "
    "không đổi tên trang tính.",
    "2. «Tình trạng thực hiện»: chọn trong danh sách: Đã hoàn thành / Đang thực hiện / Chưa thực hiện.",
    "3. «Ngày hoàn thành»: nhập theo dạng ngày/tháng/năm, ví dụ 05/10/2024; bắt buộc khi chọn «Đã hoàn thành»; "
    "không nhập ngày sau ngày gửi báo cáo.",
    "4. Các cột số liệu: chỉ nhập số (không nhập chữ, không dùng công thức). Ô xám là nhiệm vụ không yêu cầu "
    "số liệu đó.",
    "5. Nhiệm vụ nào chưa có kết quả thì để trống cả dòng.",
]


FIGURE_LABEL_WIDTH = 20


def _columns_for(pairs: int) -> tuple[list[tuple[str, Column]], dict]:
    columns = list(FIXED_COLUMNS)
    for k in range(1, pairs + 1):
        columns.append((f"figure_label_{k}", Column(f"Chỉ tiêu {k}", FIGURE_LABEL_WIDTH, "locked")))
        columns.append((f"figure_{k}", Column(f"Số liệu {k}", 11, "input_num")))
    columns.append(NOTE_COLUMN)
    return columns, {name: i for i, (name, _) in enumerate(columns, 1)}


def unit_line(unit_name: str) -> str:
    return f"Đơn vị báo cáo: {unit_name}"


def write_template(data: TemplateData, secret: bytes, path: Path) -> None:
    """Write the form for ``data`` to ``path`` (a temporary name: callers use atomic_write)."""
    wb = Workbook()
    styles = CellStyles(wb)
    ws = wb.active
    ws.title = SHEET_FORM
    columns, colmap = _columns_for(data.figure_pairs)
    colmap_width = {name: c.width for name, c in columns}
    colmap_width.setdefault("figure_label_1", FIGURE_LABEL_WIDTH)
    ncols = len(columns)
    set_widths(ws, [c for _, c in columns])
    count = len(data.rows)
    lines = [(unit_line(data.unit_name), "bold_center"),
             (f"(Lập ngày {fmt_date(data.today)}; gồm {count} nhiệm vụ đơn vị đang thực hiện. Hạn gửi lại "
              f"{data.settings.agency_name}: trước ngày {fmt_date(data.return_date)}.)", "subtitle")]
    # The form is the unit's report: its header names the unit, under the authority above it.
    widths = [c.width for _, c in columns]
    on_page = first_page_columns(widths)
    used = write_official_header(ws, styles, data.settings, on_page, "Phiếu báo cáo kết quả thực hiện nhiệm vụ",
                                 lines, total_width=sum(widths[:on_page]), agency=data.unit_name.upper(),
                                 widths=widths)
    row = used + 1
    styles.set(ws, row, 1, "Hướng dẫn:", "instruction_bold")
    for text in INSTRUCTIONS + [f"6. Lưu tệp (giữ định dạng .xlsx) và gửi lại cho {data.settings.agency_name} "
                                "qua thư điện tử, Zalo hoặc USB. Tệp bị sửa cấu trúc sẽ không được nhận."]:
        row += 1
        styles.set(ws, row, 1, text, "instruction")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=on_page)
        ws.row_dimensions[row].height = row_height([(text, sum(widths[:on_page]))]) or 16
    header_row = row + 2
    first_row = header_row + 1
    last_row = first_row + max(count, 1) - 1
    signature_rows = (last_row + 2, last_row + 2 + len(SIGNATURE_LINES) - 1)
    layout = Layout(header_row, first_row, colmap, data.figure_pairs, signature_rows)
    for i, (_, col) in enumerate(columns, 1):
        styles.set(ws, header_row, i, col.title, "th")
    ws.row_dimensions[header_row].height = 45
    for k in range(1, data.figure_pairs + 1):
        # The header says what to type; the row's own indicator name is in the label cell.
        styles.set(ws, header_row, colmap[f"figure_{k}"], f"Số liệu {k} (nhập số)", "th")

    figure_cells: dict[str, list[str]] = {ValueType.INTEGER.value: [], ValueType.DECIMAL.value: []}
    for i, r in enumerate(data.rows):
        excel_row = first_row + i
        title = r.task_title + (f" ({period_text(r.period)})" if r.period else "")
        current = current_text(r, data.today, data.settings.due_soon_days)
        values = {"stt": i + 1, "id": r.assignment_id, "directive": r.directive_number, "task": title,
                  "role": ROLE.get(r.role, r.role), "deadline": r.deadline, "current": current}
        for name, col in columns:
            c = colmap[name]
            if name in values:
                styles.set(ws, excel_row, c, values[name], col.style, text=isinstance(values[name], str))
            elif name.startswith("figure_label_"):
                k = int(name.rsplit("_", 1)[1])
                ind = r.indicators[k - 1] if k <= len(r.indicators) else None
                styles.set(ws, excel_row, c, ind.label if ind else "", "locked")
            elif name.startswith("figure_"):
                k = int(name.rsplit("_", 1)[1])
                ind = r.indicators[k - 1] if k <= len(r.indicators) else None
                if ind is None:
                    styles.set(ws, excel_row, c, None, "locked")
                elif ind.value_type == ValueType.TEXT.value:
                    styles.set(ws, excel_row, c, None, "input")
                else:
                    whole = ind.value_type == ValueType.INTEGER.value
                    styles.set(ws, excel_row, c, None, "input_int" if whole else "input_num")
                    figure_cells[ind.value_type].append(f"{get_column_letter(c)}{excel_row}")
            else:
                styles.set(ws, excel_row, c, None, col.style)
        lines = max([wrapped_lines(title, colmap_width["task"]), wrapped_lines(r.directive_number,
                                                                              colmap_width["directive"]),
                     wrapped_lines(current, colmap_width["current"])]
                    + [wrapped_lines(ind.label, colmap_width["figure_label_1"]) for ind in r.indicators])
        ws.row_dimensions[excel_row].height = max(height_for_lines(lines) or 0, HANDWRITING_HEIGHT)
    if not data.rows:
        styles.set(ws, first_row, 1, "Đơn vị hiện không có nhiệm vụ nào đang thực hiện.", "plain")
    _signatures(ws, styles, signature_rows[0], on_page)
    _validations(ws, layout, last_row, figure_cells, data.today)
    ws.freeze_panes = f"{get_column_letter(colmap['role'])}{first_row}"
    setup_print(ws, header_row, widths=[c.width for _, c in columns], title_columns=TITLE_COLUMNS)
    if on_page < ncols:
        # The columns that do not fit the first page print from the table's header down: the
        # form's heading (merged across the first page) is never printed cut in half beside them.
        ws.print_area = [f"A1:{get_column_letter(on_page)}{signature_rows[1]}",
                         f"{get_column_letter(on_page + 1)}{header_row}:{get_column_letter(ncols)}{last_row}"]
    ws.protection.sheet = True
    ws.protection.password = PROTECTION_PASSWORD
    ws.protection.formatColumns = False  # the unit may widen columns and rows
    ws.protection.formatRows = False
    ws.protection.autoFilter = True
    ws.protection.sort = True
    ws.protection.insertRows = True
    ws.protection.deleteRows = True

    lists = wb.create_sheet(SHEET_LISTS)
    for i, choice in enumerate(STATE_CHOICES, 1):
        lists.cell(row=i, column=1, value=choice).data_type = "s"
    lists.sheet_state = "hidden"
    lists.protection.sheet = True

    meta = {
        "kind": TEMPLATE_KIND,
        "version": TEMPLATE_VERSION,
        "unit_id": data.unit_id,
        "unit_code": data.unit_code,
        "unit_name": data.unit_name,
        "created_on": data.today.isoformat(),
        "layout": layout.to_meta(),
        "rows": [[first_row + i, r.assignment_id, [ind.id for ind in r.indicators]] for i, r in enumerate(data.rows)],
    }
    _write_meta(wb, meta, sign(meta, secret))
    wb.security = WorkbookProtection(workbookPassword=PROTECTION_PASSWORD, lockStructure=True)
    wb.properties.title = "Phiếu báo cáo kết quả thực hiện nhiệm vụ"
    wb.properties.subject = data.unit_name
    wb.properties.creator = data.settings.agency_name
    wb.properties.language = "vi-VN"
    wb.active = 0
    save_workbook(wb, path)  # closes the zip on failure (disk full): no "Exception ignored" later


# The unit's signatures under the table: who made the form and the head of the unit, room to sign,
# and the names (typed by the unit in the yellow cells; the import reads nothing in these rows).
SIGNATURE_LINES = [
    (None, "…………, ngày …… tháng …… năm ………", "sign_date"),
    SIGNATURE_TITLES,
    SIGNATURE_NOTES,
    (None, None, ""), (None, None, ""), (None, None, ""),
    ("", "", "sign_name"),
]


def _signatures(ws, styles: CellStyles, top: int, on_page: int) -> None:
    """The signature lines from row ``top``, left and right halves of the first page's columns."""
    split = max(1, on_page // 2)
    for i, (left, right, style) in enumerate(SIGNATURE_LINES):
        row = top + i
        ws.row_dimensions[row].height = 22 if style else 24
        if not style:
            continue
        for first, last, text in ((1, split, left), (split + 1, max(on_page, split + 1), right)):
            if text is None:
                continue
            styles.set(ws, row, first, text or None, style)
            for column in range(first + 1, last + 1):
                styles.set(ws, row, column, None, style)  # the merged cells keep the fill and border
            if last > first:
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _validations(ws, layout: Layout, last_row: int, figure_cells: dict[str, list[str]], today: date) -> None:
    cols, first = layout.columns, layout.first_row

    def col_range(name: str) -> str:
        letter = get_column_letter(cols[name])
        return f"{letter}{first}:{letter}{last_row}"

    state = DataValidation(type="list", formula1=f"{SHEET_LISTS}!$A$1:$A${len(STATE_CHOICES)}", allow_blank=True,
                           showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                           errorTitle="Tình trạng không hợp lệ",
                           error="Hãy chọn trong danh sách: " + ", ".join(STATE_CHOICES) + ".",
                           promptTitle="Tình trạng thực hiện", prompt="Chọn một giá trị trong danh sách.")
    state.add(col_range("state"))
    done = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="TODAY()",
                          allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                          errorTitle="Ngày không hợp lệ",
                          error="Nhập ngày theo dạng ngày/tháng/năm (ví dụ 05/10/2024), không sau ngày hôm nay.",
                          promptTitle="Ngày hoàn thành", prompt="Dạng ngày/tháng/năm, ví dụ 05/10/2024.")
    done.add(col_range("completed"))
    doc = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="60", allow_blank=True,
                         showErrorMessage=True, errorStyle="stop", errorTitle="Quá dài",
                         error="Số, ký hiệu văn bản không quá 60 ký tự.")
    doc.add(col_range("doc_number"))
    validations = [state, done, doc]
    for value_type, refs in figure_cells.items():
        if not refs:
            continue
        whole = value_type == ValueType.INTEGER.value
        dv = DataValidation(type="whole" if whole else "decimal", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                            errorTitle="Số liệu không hợp lệ",
                            error=("Chỉ nhập số nguyên không âm." if whole else "Chỉ nhập số không âm."),
                            promptTitle="Số liệu", prompt="Chỉ nhập số.")
        dv.sqref = " ".join(refs)  # type: ignore[assignment]
        validations.append(dv)
    for dv in validations:
        ws.add_data_validation(dv)


def _write_meta(wb: Workbook, meta: dict, signature: str) -> None:
    ws = wb.create_sheet(SHEET_META)
    ws.sheet_state = "veryHidden"
    rows = [("kind", meta["kind"]), ("version", meta["version"]), ("unit_id", meta["unit_id"]),
            ("unit_code", meta["unit_code"]), ("unit_name", meta["unit_name"]), ("created_on", meta["created_on"]),
            ("layout", json.dumps(meta["layout"], sort_keys=True)), ("hmac", signature)]
    for i, (key, value) in enumerate(rows, 1):
        ws.cell(row=i, column=1, value=key).data_type = "s"
        cell = ws.cell(row=i, column=2, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    # One line per data row: excel row, assignment id, indicator ids.
    for i, (excel_row, aid, ind_ids) in enumerate(meta["rows"], len(rows) + 2):
        ws.cell(row=i, column=1, value="row").data_type = "s"
        ws.cell(row=i, column=2, value=excel_row)
        ws.cell(row=i, column=3, value=aid)
        ws.cell(row=i, column=4, value=",".join(str(x) for x in ind_ids)).data_type = "s"
    ws.protection.sheet = True


def read_meta_rows(rows) -> tuple[dict, str]:
    """Rebuild (meta, signature) from the meta sheet's rows of values; raises ValueError if malformed."""
    meta: dict = {"rows": []}
    signature = ""
    for values in rows:
        values = list(values) + [None] * 4
        key = values[0]
        if key is None:
            continue
        if key == "row":
            ind = values[3]
            ind_ids = [int(x) for x in str(ind).split(",") if x.strip()] if ind not in (None, "") else []
            meta["rows"].append([int(values[1]), int(values[2]), ind_ids])
        elif key == "hmac":
            signature = str(values[1] or "")
        elif key in ("version", "unit_id"):
            meta[key] = int(values[1])
        elif key == "layout":
            meta[key] = json.loads(str(values[1]))
        elif key in ("kind", "unit_code", "unit_name", "created_on"):
            meta[key] = "" if values[1] is None else str(values[1])
        else:
            raise ValueError(f"unknown key {key!r}")
    for required in ("kind", "version", "unit_id", "unit_code", "unit_name", "created_on", "layout"):
        if required not in meta:
            raise ValueError(f"missing {required}")
    return meta, signature


# ---------------------------------------------------------------- export entry points

_UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def template_file_name(unit_name: str, today: date) -> str:
    """"Phiếu báo cáo - UBND phường Máy Chai - 08-10-2024.xlsx" (legal on Windows)."""
    safe = _UNSAFE_FILE_CHARS.sub("-", unit_name).strip(" .") or "don-vi"
    return f"Phiếu báo cáo - {safe[:80]} - {today:%d-%m-%Y}.xlsx"


def export_template(db, unit_id: int, out: str | Path, today: date, return_by: date | None = None) -> Path:
    """Write one unit's template to ``out`` (atomically); ``return_by`` is «Hạn gửi lại» (a week from
    ``today`` when not given)."""
    with db.session() as s:
        secret = template_secret(s)
        data = load_template_data(s, unit_id, today, return_by=return_by)
    return atomic_write(out, lambda tmp: write_template(data, secret, tmp))


def template_units(db, unit_ids: Sequence[int] | None = None, only_with_open: bool = True) -> list[tuple[int, str]]:
    """(id, name) of the units to export for: the given ones, else every active non-group unit
    that has open assignments."""
    with db.session() as s:
        stmt = select(Unit.id, Unit.name, Unit.sort_order).where(Unit.is_group.is_(False))
        if unit_ids is not None:
            stmt = stmt.where(Unit.id.in_(list(unit_ids)))
        else:
            stmt = stmt.where(Unit.active.is_(True))
        units = [(r[0], r[1]) for r in s.execute(stmt.order_by(Unit.sort_order, Unit.id))]
        if only_with_open and unit_ids is None:
            with_open = set(s.execute(select(Assignment.unit_id).where(Assignment.state.in_(OPEN_STATES))
                                      .distinct()).scalars())
            units = [u for u in units if u[0] in with_open]
    return units


def export_templates(db, folder: str | Path, today: date, unit_ids: Sequence[int] | None = None,
                     progress: Progress | None = None, return_by: date | None = None) -> list[Path]:
    """One file per unit in ``folder`` (created if needed), named after the unit."""
    progress = progress or no_progress
    folder = Path(folder)
    units = template_units(db, unit_ids)
    with db.session() as s:
        secret = template_secret(s)
        settings = load_settings(s)
    written: list[Path] = []
    used_names: set[str] = set()
    for i, (uid, name) in enumerate(units):
        progress(i, len(units), f"Đang lập phiếu cho {name}…")
        file_name = template_file_name(name, today)
        if file_name.casefold() in used_names:  # two units with the same name
            file_name = file_name.replace(".xlsx", f" ({uid}).xlsx")
        used_names.add(file_name.casefold())
        with db.session() as s:
            data = load_template_data(s, uid, today, settings, return_by=return_by)
        written.append(atomic_write(folder / file_name, lambda tmp, d=data: write_template(d, secret, tmp)))
    progress(len(units), len(units), "Đã lập xong các phiếu.")
    return written
