"""Importing filled "Phiếu báo cáo" files: check, preview, then apply on the officer's word.

1. ``preview_files(db, paths, today)`` reads every file and writes nothing. Each file is checked
   before openpyxl sees it (``safety.check_xlsx_file``), opened read-only (openpyxl parses through
   defusedxml) and always closed, then checked: our template, HMAC intact, the unit exists, each row
   is an assignment of that unit that is still open, no row added by hand, no formula in an input
   cell, dates and figures valid. The result says per row what would change (old -> new) and lists
   every problem with its sheet and cell, in Vietnamese. A file with any error is rejected whole.
2. ``apply_preview(db, preview, today)`` applies each accepted file in its own transaction through
   ``operations.record_report`` (channel "excel"), with the session context "import:<file name>"
   so the change log names the file. The received file is copied into the data folder first and
   recorded as the report's source file and evidence. Importing the same file again changes nothing
   (its content hash is part of the kept copy's name; rows identical to the latest report are
   skipped). Files are applied oldest first (by the time saved in the file), so when two files
   report on the same assignment the later one becomes the latest report; both are kept.
3. ``save_annotated(file_preview, out)`` writes a copy of a rejected file with the problem cells
   filled red and commented, to send back to the unit.

Threading: plain functions, no Qt. Call from a worker thread; each call opens its own sessions.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from db.models import Assignment, AssignmentState, Channel, Indicator, ReportFigure, Task, Unit, UnitReport
from db.queries import id_chunks
from db.textkey import strip_invisible
from desktop import attachments
from desktop import operations as ops
from desktop.fileio import OutputError, atomic_write, shorten_name
from desktop.labels import STATE, fmt_date, fmt_number
from desktop.tracking.dates import coerce_date
from desktop.workbooks.common import (EXCEL_CELL_LIMIT, PROBLEM_FILL, CellStyles, Progress, clean_text, no_progress,
                                      row_height)
from desktop.workbooks.safety import UnsafeFileError, check_xlsx_file, uncompressed_size
from desktop.workbooks.sheet_xml import save_workbook
from desktop.workbooks.template import (
    CHOICE_DONE,
    CHOICE_IN_PROGRESS,
    CHOICE_NOT_STARTED,
    OPEN_STATES,
    SHEET_FORM,
    SHEET_META,
    STATE_CHOICES,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    Layout,
    _columns_for,
    read_meta_rows,
    template_secret,
    unit_line,
    verify,
)

log = logging.getLogger(__name__)

KEPT_FOLDER = "phieu-excel"
MAX_META_ROWS = 50_000
EXTRA_ROWS_SCANNED = 5_000
# The annotated copy opens the file in openpyxl's normal mode, which takes some 30 times the XML in
# memory: a real form (well under 1 MB of XML) is far below this bound.
MAX_ANNOTATED_BYTES = 8 * 2**20
MAX_CELLS_READ = 300_000  # filled cells kept while reading the form: bounds memory on a hostile sheet
MAX_PROBLEMS_PER_KIND = 20
EARLIEST_DATE = date(2000, 1, 1)

ERROR = "error"
WARNING = "warning"

ACTION_REPORT = "report"  # record a report (and maybe a state)
ACTION_STATE = "state"  # only the state changes
ACTION_NONE = "none"  # nothing to do (empty or identical)
ACTION_SKIP = "skip"  # filled but not taken (assignment closed or gone)

ACTION_TEXT = {
    ACTION_REPORT: "Ghi nhận báo cáo",
    ACTION_STATE: "Cập nhật tình trạng",
    ACTION_NONE: "Không thay đổi",
    ACTION_SKIP: "Bỏ qua",
}


@dataclass
class Problem:
    message: str
    sheet: str = ""
    cell: str = ""
    severity: str = ERROR

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def as_dict(self) -> dict:
        return {"severity": self.severity, "sheet": self.sheet, "cell": self.cell, "message": self.message}


@dataclass
class Change:
    field: str
    old: str
    new: str

    def as_dict(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass
class RowPreview:
    excel_row: int
    assignment_id: int
    task_title: str
    action: str = ACTION_NONE
    choice: str = ""
    target_state: str = ""
    old_state: str = ""
    changes: list[Change] = field(default_factory=list)
    report: ops.ReportInput | None = None
    version: int | None = None
    note: str = ""

    def state_after(self, accept: bool) -> str:
        if accept and self.choice == CHOICE_DONE:
            return AssignmentState.DONE.value
        return self.target_state

    def changes_for(self, accept: bool) -> list[Change]:
        """The changes, with the state line adjusted when results are accepted at once."""
        if not accept or self.choice != CHOICE_DONE:
            return self.changes
        return [Change(c.field, c.old, STATE[AssignmentState.DONE.value]) if c.field == "Tình trạng" else c
                for c in self.changes]

    def as_dict(self, accept: bool = False) -> dict:
        return {"row": self.excel_row, "assignment_id": self.assignment_id, "task": self.task_title,
                "action": self.action, "note": self.note,
                "changes": [c.as_dict() for c in self.changes_for(accept)]}


@dataclass
class FilePreview:
    path: Path
    file_name: str
    sha256: str = ""
    file_time: datetime | None = None
    unit_id: int | None = None
    unit_code: str = ""
    unit_name: str = ""
    created_on: str = ""
    rows: list[RowPreview] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    already_imported_on: date | None = None
    loadable: bool = False  # openpyxl could open it: an annotated copy can be made

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def accepted(self) -> bool:
        return not self.errors and self.unit_id is not None

    @property
    def actionable(self) -> list[RowPreview]:
        return [r for r in self.rows if r.action in (ACTION_REPORT, ACTION_STATE)]

    def error(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.problems.append(Problem(message, sheet, cell, ERROR))

    def warn(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.problems.append(Problem(message, sheet, cell, WARNING))

    def as_dict(self, accept: bool = False) -> dict:
        return {
            "file": str(self.path),
            "file_name": self.file_name,
            "accepted": self.accepted,
            "unit": ({"id": self.unit_id, "code": self.unit_code, "name": self.unit_name}
                     if self.unit_id is not None else None),
            "sha256": self.sha256,
            "already_imported_on": self.already_imported_on.isoformat() if self.already_imported_on else None,
            "changes": [r.as_dict(accept) for r in self.rows if r.action != ACTION_NONE or r.changes],
            "problems": [p.as_dict() for p in self.problems],
            "notices": list(self.notices),
        }


@dataclass
class ImportPreview:
    today: date
    files: list[FilePreview] = field(default_factory=list)

    @property
    def accepted(self) -> list[FilePreview]:
        return [f for f in self.files if f.accepted]

    @property
    def rejected(self) -> list[FilePreview]:
        return [f for f in self.files if not f.accepted]

    def as_dict(self, accept: bool = False) -> dict:
        return {"today": self.today.isoformat(), "files": [f.as_dict(accept) for f in self.files]}


# ---------------------------------------------------------------- reading one file


@dataclass
class _RowInput:
    excel_row: int
    assignment_id: int
    indicator_ids: list[int]
    addresses: dict  # field -> "H17"
    choice: str = ""
    completed_on: date | None = None
    content: str = ""
    doc_number: str = ""
    note: str = ""
    figures: dict = field(default_factory=dict)  # indicator id -> raw value
    figure_cells: dict = field(default_factory=dict)  # indicator id -> address
    empty: bool = True
    bad: bool = False  # has an error of its own


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_time(wb, path: Path) -> datetime:
    """When the unit saved the file: the workbook's own "modified" stamp, else the file's time (UTC)."""
    props = getattr(wb, "properties", None)
    stamp = getattr(props, "modified", None) or getattr(props, "created", None)
    if isinstance(stamp, datetime):
        return stamp.replace(tzinfo=None)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).replace(tzinfo=None)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return fmt_date(value.date())
    if isinstance(value, date):
        return fmt_date(value)
    return strip_invisible(clean_text(value)).strip()


def _too_long(fp: FilePreview, item: "_RowInput", cell: str, value) -> bool:
    """A text longer than an Excel cell holds is refused, never cut without a word."""
    if not isinstance(value, str) or len(value) <= EXCEL_CELL_LIMIT:
        return False
    fp.error(f"Ô {cell} có {len(value):,} ký tự, vượt quá giới hạn {EXCEL_CELL_LIMIT:,} ký tự của một ô Excel; "
             "chương trình không tự cắt bớt nội dung. Đề nghị đơn vị rút gọn (chi tiết gửi kèm bằng văn bản) rồi "
             "gửi lại.".replace(",", "."), SHEET_FORM, cell)
    item.bad = True
    return True


def read_file(db, path: str | Path, today: date) -> FilePreview:
    """Check one file and work out what importing it would change. Writes nothing."""
    path = Path(path)
    fp = FilePreview(path=path, file_name=path.name)
    try:
        check_xlsx_file(path)
    except UnsafeFileError as exc:
        fp.error(exc.message)
        return fp
    fp.sha256 = file_sha256(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        fp.error(f"Không đọc được tệp «{path.name}» ({type(exc).__name__}: {exc}). Tệp có thể bị hỏng hoặc không "
                 "phải bảng tính Excel; đề nghị đơn vị gửi lại.")
        return fp
    fp.loadable = True
    try:
        fp.file_time = _file_time(wb, path)
        inputs = _read_workbook(db, wb, fp)
    except Exception as exc:
        fp.error(f"Không đọc được nội dung tệp «{path.name}» ({type(exc).__name__}: {exc}).")
        inputs = None
    finally:
        wb.close()
    if inputs is not None:
        # Even for a rejected file: the officer sees the whole picture at once.
        _compare_with_database(db, fp, inputs, today)
    return fp


def _read_workbook(db, wb, fp: FilePreview) -> list[_RowInput] | None:
    if SHEET_META not in wb.sheetnames or SHEET_FORM not in wb.sheetnames:
        fp.error(f"Tệp «{fp.file_name}» không phải phiếu báo cáo do chương trình lập (không có trang «{SHEET_FORM}» "
                 "và thông tin nhận dạng). Hãy gửi cho đơn vị phiếu lập từ chương trình.")
        return None
    try:
        meta_rows = []
        for i, values in enumerate(wb[SHEET_META].iter_rows(values_only=True)):
            if i >= MAX_META_ROWS:
                raise ValueError("too many rows")
            meta_rows.append(values[:4])
        meta, signature = read_meta_rows(meta_rows)
        layout = Layout.from_meta(meta["layout"])
    except (ValueError, TypeError, KeyError) as exc:
        fp.error(f"Thông tin nhận dạng của phiếu bị hỏng hoặc đã bị sửa ({exc}); không nhận phiếu này.", SHEET_META)
        return None
    if meta["kind"] != TEMPLATE_KIND:
        fp.error("Tệp không phải «Phiếu báo cáo kết quả» của chương trình.", SHEET_META)
        return None
    if meta["version"] > TEMPLATE_VERSION:
        fp.error(f"Phiếu được lập bằng phiên bản chương trình mới hơn (mẫu số {meta['version']}); hãy cập nhật "
                 "chương trình.", SHEET_META)
        return None
    with db.session() as s:
        secret = template_secret(s, create=False)
        unit = s.get(Unit, meta["unit_id"])
        unit_info = (unit.id, unit.code, unit.name, unit.active, unit.is_group) if unit else None
    if secret is None or not verify(meta, signature, secret):
        fp.error("Phiếu đã bị sửa thông tin nhận dạng (đơn vị hoặc danh sách nhiệm vụ), hoặc không do cơ sở dữ liệu "
                 "này lập. Không nhận phiếu này; đề nghị đơn vị dùng đúng phiếu gốc đã được gửi.", SHEET_META)
        return None
    fp.created_on = meta["created_on"]
    if unit_info is None or unit_info[4]:
        fp.error(f"Đơn vị của phiếu («{meta['unit_name']}», mã {meta['unit_code']}) không còn trong danh sách đơn "
                 "vị.", SHEET_META)
        return None
    fp.unit_id, fp.unit_code, fp.unit_name = unit_info[0], unit_info[1], unit_info[2]
    if not unit_info[3]:
        fp.warn(f"Đơn vị «{unit_info[2]}» đã ngừng theo dõi hoặc đã sáp nhập; kết quả vẫn được ghi nhận.")
    if unit_info[2] != meta["unit_name"]:
        fp.notices.append(f"Đơn vị đã đổi tên từ «{meta['unit_name']}» thành «{unit_info[2]}» sau khi lập phiếu.")
    return _read_form(wb[SHEET_FORM], meta, layout, fp)


def _read_form(ws, meta: dict, layout: Layout, fp: FilePreview) -> list[_RowInput] | None:
    expected_rows = {excel_row: (aid, ind_ids) for excel_row, aid, ind_ids in meta["rows"]}
    last_expected = max(expected_rows, default=layout.first_row - 1)
    scan_limit = max(last_expected, layout.first_row) + EXTRA_ROWS_SCANNED
    cells: dict[tuple[int, int], tuple[object, str]] = {}
    ws.reset_dimensions()  # some writers store wrong dimensions; read what is really there
    beyond_limit = False
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                continue
            r, c = cell.row, cell.column
            if r > scan_limit or len(cells) >= MAX_CELLS_READ:
                beyond_limit = True
                break
            cells[(r, c)] = (value, getattr(cell, "data_type", "s"))
        if beyond_limit:
            break
    sheet = SHEET_FORM
    if beyond_limit and len(cells) >= MAX_CELLS_READ:
        fp.error(f"Phiếu có quá nhiều ô có dữ liệu (hơn {MAX_CELLS_READ:,} ô); không nhận phiếu đã thêm dữ liệu "
                 "ngoài bảng.".replace(",", "."), sheet)
        return None

    def addr(r: int, c: int) -> str:
        return f"{get_column_letter(c)}{r}"

    # The unit's name as shown on the sheet must be the one the file was made for.
    wanted = unicodedata.normalize("NFC", unit_line(meta["unit_name"]))
    # NFC first: a form re-typed with a decomposed (NFD) keyboard layout is still the same unit.
    shown = [(r, _text(v)) for (r, c), (v, _) in cells.items()
             if r < layout.header_row and c == 1 and isinstance(v, str) and _text(v).startswith("Đơn vị báo cáo")]
    if not shown:
        fp.error("Không thấy dòng «Đơn vị báo cáo» trên phiếu; phiếu đã bị sửa.", sheet)
        return None
    r, v = shown[0]
    if v.strip() != wanted:
        fp.error(f"Phiếu ghi «{v.strip()}» nhưng được lập cho «{meta['unit_name']}»; không nhận phiếu đã sửa tên "
                 "đơn vị.", sheet, addr(r, 1))
        return None
    # The header row says the columns were not moved.
    columns, colmap = _columns_for(layout.figure_pairs)
    if colmap != layout.columns:
        fp.error("Thông tin bố cục của phiếu không hợp lệ.", SHEET_META)
        return None
    for i, (name, col) in enumerate(columns, 1):
        title = f"Số liệu {name.rsplit('_', 1)[1]} (nhập số)" if name.startswith("figure_") and \
            not name.startswith("figure_label_") else col.title
        value = cells.get((layout.header_row, i), (None, ""))[0]
        if _text(value) != title:
            fp.error(f"Cấu trúc bảng đã bị thay đổi: ô {addr(layout.header_row, i)} phải là «{title}»; không nhận phiếu "
                     "đã thêm, xóa hoặc đổi chỗ cột.", sheet, addr(layout.header_row, i))
            return None
    width = layout.width
    by_row: dict[int, list[int]] = defaultdict(list)
    for (r, c) in cells:
        by_row[r].append(c)
    inputs: list[_RowInput] = []
    added_reported = 0
    outside_reported = 0
    rows_with_data = sorted(r for r in by_row if r >= layout.first_row)
    if beyond_limit:
        fp.error(f"Phiếu có dữ liệu ở quá xa bảng (sau dòng {scan_limit}); không nhận phiếu đã thêm dòng.", sheet)
    for r in rows_with_data:
        if r in expected_rows:
            continue
        if not expected_rows and r == layout.first_row:
            continue  # "Đơn vị hiện không có nhiệm vụ nào…" line
        first_col = min(by_row[r])
        if added_reported < MAX_PROBLEMS_PER_KIND:
            fp.error(f"Dòng {r} không có trong phiếu gốc (dòng tự thêm); chương trình chỉ nhận các dòng có sẵn. Hãy "
                     "xóa dòng này hoặc đề nghị Phòng bổ sung nhiệm vụ.", sheet, addr(r, first_col))
        added_reported += 1
    if added_reported > MAX_PROBLEMS_PER_KIND:
        fp.error(f"… và {added_reported - MAX_PROBLEMS_PER_KIND} dòng tự thêm khác.", sheet)
    for excel_row, (aid, ind_ids) in sorted(expected_rows.items()):
        shown_id = cells.get((excel_row, colmap["id"]), (None, ""))[0]
        if _as_int(shown_id) != aid:
            fp.error(f"Mã nhiệm vụ ở ô {addr(excel_row, colmap['id'])} («{_text(shown_id)}») khác phiếu gốc ({aid}); "
                     "dòng đã bị thêm, xóa hoặc sửa.", sheet, addr(excel_row, colmap["id"]))
            continue
        item = _RowInput(excel_row, aid, list(ind_ids), {})
        for c in sorted(by_row.get(excel_row, ())):
            if c > width and outside_reported < MAX_PROBLEMS_PER_KIND:
                fp.warn(f"Ô {addr(excel_row, c)} nằm ngoài bảng; nội dung này không được nhập.", sheet,
                        addr(excel_row, c))
                outside_reported += 1
        for name in ("state", "completed", "content", "doc_number", "note"):
            item.addresses[name] = addr(excel_row, colmap[name])
        for k in range(1, layout.figure_pairs + 1):
            c = colmap[f"figure_{k}"]
            value, dtype = cells.get((excel_row, c), (None, ""))
            if k > len(ind_ids):
                if value is not None:
                    fp.warn(f"Ô {addr(excel_row, c)} không thuộc chỉ tiêu nào của nhiệm vụ; nội dung này không được "
                            "nhập.", sheet, addr(excel_row, c))
                continue
            ind_id = ind_ids[k - 1]
            item.figure_cells[ind_id] = addr(excel_row, c)
            if value is None:
                continue
            item.empty = False
            if dtype == "f":
                _formula_problem(fp, item, addr(excel_row, c), value)
                continue
            if _too_long(fp, item, addr(excel_row, c), value):
                continue
            item.figures[ind_id] = strip_invisible(unicodedata.normalize("NFC", value)) if isinstance(value, str) \
                else value
        for name in ("state", "completed", "content", "doc_number", "note"):
            value, dtype = cells.get((excel_row, colmap[name]), (None, ""))
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            item.empty = False
            if dtype == "f":
                _formula_problem(fp, item, item.addresses[name], value)
                continue
            if _too_long(fp, item, item.addresses[name], value):
                continue
            _read_field(fp, item, name, value)
        inputs.append(item)
    return inputs


def _as_int(value) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _formula_problem(fp: FilePreview, item: _RowInput, cell: str, value) -> None:
    shown = str(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    fp.error(f"Ô {cell} chứa công thức («{shown}»); phiếu chỉ nhận giá trị gõ trực tiếp, không nhận công thức.",
             SHEET_FORM, cell)
    item.bad = True


def _read_field(fp: FilePreview, item: _RowInput, name: str, value) -> None:
    cell = item.addresses[name]
    if name == "state":
        text = _text(value)
        match = next((c for c in STATE_CHOICES if c.casefold() == text.casefold()), None)
        if match is None:
            fp.error(f"Tình trạng «{text}» ở ô {cell} không có trong danh sách ({', '.join(STATE_CHOICES)}).",
                     SHEET_FORM, cell)
            item.bad = True
        else:
            item.choice = match
    elif name == "completed":
        parsed = coerce_date(strip_invisible(value).strip() if isinstance(value, str) else value)
        if parsed is None:
            fp.error(f"Ngày hoàn thành «{_text(value)}» ở ô {cell} không đúng dạng ngày/tháng/năm (ví dụ 05/10/2024).",
                     SHEET_FORM, cell)
            item.bad = True
        else:
            item.completed_on = parsed
    elif name == "content":
        item.content = _text(value)
    elif name == "doc_number":
        item.doc_number = _text(value)
        if len(item.doc_number) > 60:
            fp.error(f"Số, ký hiệu văn bản ở ô {cell} dài quá 60 ký tự.", SHEET_FORM, cell)
            item.bad = True
    elif name == "note":
        item.note = _text(value)


# ---------------------------------------------------------------- comparing with the database


@dataclass
class _Latest:
    received_on: date
    content: str
    doc_number: str
    completed_on: date | None
    figures: dict  # indicator id -> (number, text)
    source_file: str


def _latest_reports(session, assignment_ids: Sequence[int]) -> dict[int, _Latest]:
    if not assignment_ids:
        return {}
    reports = session.execute(
        select(UnitReport.id, UnitReport.assignment_id, UnitReport.received_on, UnitReport.content,
               UnitReport.unit_doc_number, UnitReport.completed_on, UnitReport.source_file)
        .where(UnitReport.assignment_id.in_(list(assignment_ids)))
        .order_by(UnitReport.assignment_id, UnitReport.received_on, UnitReport.id)).all()
    latest_rows = {}
    for r in reports:
        latest_rows[r[1]] = r  # ordered: the last one per assignment wins
    figures: dict[int, dict] = defaultdict(dict)
    report_ids = [r[0] for r in latest_rows.values()]
    for chunk in id_chunks(report_ids):
        for rid, ind, number, text in session.execute(
                select(ReportFigure.report_id, ReportFigure.indicator_id, ReportFigure.value_number,
                       ReportFigure.value_text).where(ReportFigure.report_id.in_(chunk))):
            figures[rid][ind] = (number, text or "")
    return {aid: _Latest(r[2], r[3] or "", r[4] or "", r[5], figures.get(r[0], {}), r[6] or "")
            for aid, r in latest_rows.items()}


def _compose_content(item: _RowInput) -> str:
    content = item.content
    if item.note:
        content = f"{content}\nGhi chú: {item.note}" if content else f"Ghi chú: {item.note}"
    return content


def _fmt_number(number: float | None, text: str = "") -> str:
    return text or "" if number is None else fmt_number(number)


def _short(text: str, limit: int = 160) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _compare_with_database(db, fp: FilePreview, inputs: list[_RowInput], today: date) -> None:
    aids = [i.assignment_id for i in inputs]
    with db.session() as s:
        if fp.sha256:
            hit = s.execute(select(UnitReport.received_on).where(UnitReport.source_file.like(f"%{fp.sha256[:16]}%"))
                            .order_by(UnitReport.received_on)).first()
            if hit:
                fp.already_imported_on = hit[0]
        assignments = {a.id: a for a in s.execute(select(Assignment).where(Assignment.id.in_(aids))).scalars()} \
            if aids else {}
        task_ids = {a.task_id for a in assignments.values()}
        tasks = {t.id: t for t in s.execute(select(Task).where(Task.id.in_(task_ids))).scalars()} if task_ids else {}
        indicators = {i.id: i for i in s.execute(select(Indicator).where(Indicator.task_id.in_(task_ids))).scalars()} \
            if task_ids else {}
        latest = _latest_reports(s, list(assignments))
        for item in inputs:
            row = _compare_row(fp, item, assignments.get(item.assignment_id), tasks, indicators,
                               latest.get(item.assignment_id), today)
            if row is not None:
                fp.rows.append(row)
    if fp.already_imported_on is not None:
        fp.notices.append(f"Tệp này đã được nhập ngày {fmt_date(fp.already_imported_on)}; nhập lại không thay đổi gì.")
        for row in fp.rows:
            if row.action in (ACTION_REPORT, ACTION_STATE):
                row.action, row.changes, row.report = ACTION_NONE, [], None
                row.note = "Đã nhập từ tệp này trước đây"


def _compare_row(fp: FilePreview, item: _RowInput, a: Assignment | None, tasks: dict, indicators: dict,
                 latest: _Latest | None, today: date) -> RowPreview | None:
    sheet = SHEET_FORM
    title = tasks[a.task_id].title if a is not None and a.task_id in tasks else ""
    row = RowPreview(item.excel_row, item.assignment_id, title)
    if item.empty:
        row.note = "Đơn vị để trống"
        return row
    if a is None:
        fp.warn(f"Dòng {item.excel_row}: nhiệm vụ (mã {item.assignment_id}) không còn trong cơ sở dữ liệu; bỏ qua dòng "
                "này.", sheet, item.addresses["state"])
        row.action, row.note = ACTION_SKIP, "Nhiệm vụ không còn"
        return row
    if a.unit_id != fp.unit_id:
        fp.error(f"Dòng {item.excel_row}: nhiệm vụ (mã {a.id}) không thuộc đơn vị «{fp.unit_name}».", sheet,
                 item.addresses["state"])
        row.action = ACTION_SKIP
        return row
    task = tasks[a.task_id]
    row.old_state, row.version = a.state, a.version
    choice = item.choice
    if not choice:
        choice = CHOICE_DONE if item.completed_on else CHOICE_IN_PROGRESS
        fp.warn(f"Dòng {item.excel_row}: chưa chọn «Tình trạng thực hiện»; coi là «{choice}».", sheet,
                item.addresses["state"])
    row.choice = choice
    row.target_state = STATE_CHOICES[choice]
    if choice == CHOICE_DONE and item.completed_on is None and not item.bad:
        fp.error(f"Dòng {item.excel_row}: chọn «{CHOICE_DONE}» thì phải nhập ngày hoàn thành.", sheet,
                 item.addresses["completed"])
        item.bad = True
    if choice != CHOICE_DONE and item.completed_on is not None:
        fp.error(f"Dòng {item.excel_row}: tình trạng «{choice}» nhưng lại có ngày hoàn thành; hãy chọn «{CHOICE_DONE}» "
                 "hoặc xóa ngày.", sheet, item.addresses["completed"])
        item.bad = True
    if item.completed_on is not None:
        if item.completed_on > today:
            fp.error(f"Ngày hoàn thành {fmt_date(item.completed_on)} ở ô {item.addresses['completed']} sau ngày hôm nay "
                     f"({fmt_date(today)}).", sheet, item.addresses["completed"])
            item.bad = True
        elif task.start_date and item.completed_on < task.start_date:
            fp.error(f"Ngày hoàn thành {fmt_date(item.completed_on)} ở ô {item.addresses['completed']} trước ngày bắt "
                     f"đầu nhiệm vụ ({fmt_date(task.start_date)}).", sheet, item.addresses["completed"])
            item.bad = True
        elif item.completed_on < EARLIEST_DATE:
            fp.error(f"Ngày hoàn thành {fmt_date(item.completed_on)} ở ô {item.addresses['completed']} không hợp lý.",
                     sheet, item.addresses["completed"])
            item.bad = True
    figures: dict[int, tuple[float | None, str]] = {}
    for ind_id, raw in item.figures.items():
        ind = indicators.get(ind_id)
        cell = item.figure_cells[ind_id]
        if ind is None or ind.task_id != a.task_id:
            fp.warn(f"Ô {cell}: chỉ tiêu này không còn trong nhiệm vụ; số liệu không được nhập.", sheet, cell)
            continue
        try:
            figures[ind_id] = ops.parse_figure(raw, ind.value_type, ind.name)
        except ops.ValidationError as exc:
            fp.error(f"Ô {cell}: {exc.message}", sheet, cell)
            item.bad = True
    if item.bad:
        row.action = ACTION_SKIP
        row.note = "Có lỗi"
        return row
    content = _compose_content(item)
    has_report = bool(content or item.doc_number or figures or choice == CHOICE_DONE)
    completed = item.completed_on if choice == CHOICE_DONE else None
    new_figures = {k: v for k, v in figures.items() if v[0] is not None or v[1]}
    identical = latest is not None and has_report and latest.content == content \
        and latest.doc_number == item.doc_number and latest.completed_on == completed \
        and {k: v for k, v in latest.figures.items()} == new_figures
    if identical:
        row.note = f"Giống báo cáo đã nhận ngày {fmt_date(latest.received_on)}"
        return row
    if a.state not in OPEN_STATES:
        fp.warn(f"Dòng {item.excel_row}: nhiệm vụ đang ở tình trạng «{STATE.get(a.state, a.state)}»; không nhận kết "
                "quả mới từ phiếu, bỏ qua dòng này.", sheet, item.addresses["state"])
        row.action, row.note = ACTION_SKIP, f"Nhiệm vụ đã «{STATE.get(a.state, a.state)}»"
        return row
    if not has_report:
        if a.state == row.target_state:
            row.note = "Tình trạng không đổi"
            return row
        row.action = ACTION_STATE
        row.changes.append(Change("Tình trạng", STATE.get(a.state, a.state), STATE[row.target_state]))
        return row
    row.action = ACTION_REPORT
    row.report = ops.ReportInput(received_on=today, channel=Channel.EXCEL.value, unit_doc_number=item.doc_number,
                                 content=content, completed_on=completed,
                                 figures={k: raw for k, raw in item.figures.items() if k in figures})
    if a.state != row.target_state:
        row.changes.append(Change("Tình trạng", STATE.get(a.state, a.state), STATE[row.target_state]))
    if completed != a.completed_on and (completed or a.completed_on):
        row.changes.append(Change("Ngày hoàn thành", fmt_date(a.completed_on), fmt_date(completed)))
    old_content = latest.content if latest else ""
    if content != old_content:
        row.changes.append(Change("Nội dung kết quả", _short(old_content), _short(content)))
    old_doc = latest.doc_number if latest else ""
    if item.doc_number != old_doc:
        row.changes.append(Change("Số, ký hiệu văn bản", old_doc, item.doc_number))
    old_figures = latest.figures if latest else {}
    for ind_id in sorted(set(new_figures) | set(old_figures)):
        ind = indicators.get(ind_id)
        if ind is None or ind.task_id != a.task_id:
            continue
        old = old_figures.get(ind_id)
        new = new_figures.get(ind_id)
        if old != new:
            label = f"{ind.name} ({ind.measure})" if ind.measure else ind.name
            row.changes.append(Change(label, _fmt_number(*old) if old else "", _fmt_number(*new) if new else ""))
    return row


def _mark_duplicates(files: list[FilePreview]) -> None:
    """Two accepted files reporting on the same assignment: both are kept, the later one wins."""
    seen: dict[int, list[tuple[FilePreview, RowPreview]]] = defaultdict(list)
    for fp in files:
        if not fp.accepted:
            continue
        for row in fp.actionable:
            seen[row.assignment_id].append((fp, row))
    for aid, entries in seen.items():
        if len(entries) < 2:
            continue
        ordered = sorted(entries, key=lambda e: _file_order(e[0]))
        winner = ordered[-1][0]
        for fp, row in entries:
            others = ", ".join(f"«{o.file_name}»" for o, _ in entries if o is not fp)
            fp.warn(f"Dòng {row.excel_row}: nhiệm vụ (mã {aid}) cũng có trong tệp {others}. Cả hai báo cáo đều được "
                    f"lưu; báo cáo của tệp lập sau («{winner.file_name}») được tính là báo cáo mới nhất.", SHEET_FORM,
                    f"A{row.excel_row}")


def _file_order(fp: FilePreview) -> tuple:
    return (fp.file_time or datetime.min, fp.file_name)


def preview_files(db, paths: Iterable[str | Path], today: date, progress: Progress | None = None) -> ImportPreview:
    """Read and check every file; nothing is written."""
    progress = progress or no_progress
    paths = list(paths)
    preview = ImportPreview(today)
    seen_hashes: dict[str, str] = {}
    for i, path in enumerate(paths):
        progress(i, len(paths), f"Đang kiểm tra «{Path(path).name}»…")
        try:
            fp = read_file(db, path, today)
        except sa_exc.SQLAlchemyError as exc:  # the database failed while checking: say so per file
            log.warning("import preview of %s: %s", path, exc)
            fp = FilePreview(path=Path(path), file_name=Path(path).name)
            fp.error(f"Không kiểm tra được tệp: {database_error_text(exc)}.")
        if fp.sha256 and fp.sha256 in seen_hashes:
            fp.error(f"Tệp này giống hệt tệp «{seen_hashes[fp.sha256]}» đã chọn; chỉ nhập một lần.")
        elif fp.sha256:
            seen_hashes[fp.sha256] = fp.file_name
        preview.files.append(fp)
    _mark_duplicates(preview.files)
    progress(len(paths), len(paths), "Đã kiểm tra xong.")
    return preview


# ---------------------------------------------------------------- applying


STATUS_APPLIED = "applied"  # đã nhập
STATUS_REFUSED = "refused"  # bị từ chối: an error in the file, or its transaction failed
STATUS_NOT_REACHED = "not_reached"  # chưa xử lý: the import stopped before this file
STATUS_UNCHANGED = "unchanged"  # accepted, but nothing in it to change

STATUS_TEXT = {
    STATUS_APPLIED: "Đã nhập",
    STATUS_REFUSED: "Bị từ chối",
    STATUS_NOT_REACHED: "Chưa xử lý",
    STATUS_UNCHANGED: "Không có thay đổi",
}


@dataclass
class FileResult:
    file_name: str
    applied: bool
    reports: int = 0
    state_changes: int = 0
    kept_copy: str = ""  # relative to the data folder
    message: str = ""
    status: str = ""  # one of STATUS_*; empty: derived from ``applied``

    def __post_init__(self) -> None:
        if not self.status:
            self.status = STATUS_APPLIED if self.applied else STATUS_REFUSED

    def line(self) -> str:
        """One Vietnamese line: what became of this file."""
        text = f"{STATUS_TEXT[self.status]} «{self.file_name}»"
        if self.status == STATUS_APPLIED:
            return text + f": {self.reports} báo cáo, {self.state_changes} thay đổi tình trạng."
        return text + (f": {self.message}" if self.message else ".")

    def as_dict(self) -> dict:
        return {"file_name": self.file_name, "applied": self.applied, "status": self.status,
                "reports": self.reports, "state_changes": self.state_changes, "kept_copy": self.kept_copy,
                "message": self.message}


@dataclass
class ApplyResult:
    """``files``: the files the import tried to apply (or stopped before); ``refused``: the files the
    preview refused; ``unchanged``: accepted files with nothing to change. ``stopped``: why the
    import stopped early (the database failed), in Vietnamese; empty when it ran to the end."""

    files: list[FileResult] = field(default_factory=list)
    refused: list[FileResult] = field(default_factory=list)
    unchanged: list[FileResult] = field(default_factory=list)
    stopped: str = ""

    @property
    def reports(self) -> int:
        return sum(f.reports for f in self.files)

    @property
    def state_changes(self) -> int:
        return sum(f.state_changes for f in self.files)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if not f.applied]

    @property
    def all_files(self) -> list[FileResult]:
        return [*self.files, *self.unchanged, *self.refused]

    def summary(self) -> str:
        """Counts, then one line per file (đã nhập / bị từ chối / chưa xử lý)."""
        done = [f for f in self.files if f.applied]
        text = (f"Đã nhập {len(done)} tệp: ghi nhận {self.reports} báo cáo, cập nhật tình trạng {self.state_changes} "
                "nhiệm vụ.")
        if self.stopped:
            text += f"\nViệc nhập đã dừng giữa chừng: {self.stopped}"
        order = {STATUS_APPLIED: 0, STATUS_REFUSED: 1, STATUS_NOT_REACHED: 2, STATUS_UNCHANGED: 3}
        for f in sorted(self.all_files, key=lambda f: order[f.status]):
            text += "\n" + f.line()
        return text


def database_error_text(exc: BaseException) -> str:
    """Vietnamese: why the database refused a write (disk full, server gone, read-only, locked)."""
    detail = str(getattr(exc, "orig", None) or exc).strip()
    low = detail.lower()
    if "disk is full" in low or "no space" in low or getattr(exc, "errno", None) == errno.ENOSPC:
        return "ổ đĩa chứa cơ sở dữ liệu đã đầy. Hãy giải phóng dung lượng rồi nhập lại"
    if "readonly" in low or "read-only" in low or "read only" in low:
        return "cơ sở dữ liệu chỉ cho phép đọc, không ghi được"
    if "locked" in low or "busy" in low:
        return "cơ sở dữ liệu đang bận (máy khác đang ghi). Hãy thử lại sau ít phút"
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated or any(
            word in low for word in ("connection", "server closed", "terminating", "could not connect", "timeout")):
        return "mất kết nối với máy chủ cơ sở dữ liệu. Kiểm tra máy chủ và mạng nội bộ rồi nhập lại"
    first = detail.splitlines()[0] if detail else type(exc).__name__
    return f"cơ sở dữ liệu báo lỗi ({first})"


def _safe_name(name: str) -> str:
    """The received file's name as part of the kept copy's name: harmless characters only, and
    short (bytes-aware, extension kept) so that the prefix and the folder never make it too long."""
    keep = "".join(ch if ch.isalnum() or ch in " .-_()" else "-" for ch in name).strip(" .")
    return shorten_name(keep, max_bytes=110, max_chars=70) if keep else "phieu.xlsx"


def _keep_copy(db, fp: FilePreview, today: date) -> tuple[str, Path, bool]:
    """Copy the received file into the attachments; returns (relative path, path, created now)."""
    return attachments.keep_copy(db.location, fp.path, KEPT_FOLDER,
                                 f"{today:%Y%m%d}-{fp.sha256[:16]}-{_safe_name(fp.file_name)}")


def apply_preview(db, preview: ImportPreview, today: date | None = None, accept: bool = False,
                  progress: Progress | None = None) -> ApplyResult:
    """Apply every accepted file with something to change, oldest first, one transaction each.

    Never raises for a database failure: the file whose transaction failed is refused (nothing of
    it written), the import stops, and the files after it are reported as not reached."""
    progress = progress or no_progress
    today = today or preview.today
    result = ApplyResult()
    for fp in preview.files:
        if not fp.accepted:
            reason = fp.errors[0].message if fp.errors else "tệp có lỗi."
            more = len(fp.errors) - 1
            result.refused.append(FileResult(fp.file_name, applied=False, status=STATUS_REFUSED,
                                             message=reason + (f" (và {more} lỗi khác)" if more > 0 else "")))
        elif not fp.actionable:
            result.unchanged.append(FileResult(fp.file_name, applied=False, status=STATUS_UNCHANGED,
                                               message="không có gì mới để nhập."))
    files = sorted((f for f in preview.accepted if f.actionable), key=_file_order)
    touched: set[int] = set()  # changed by an earlier file of this batch: its version moved on
    for i, fp in enumerate(files):
        if result.stopped:
            result.files.append(FileResult(fp.file_name, applied=False, status=STATUS_NOT_REACHED,
                                           message="chưa nhập vì việc nhập đã dừng; sau khi khắc phục lỗi cơ sở dữ "
                                                   "liệu hãy nhập lại tệp này."))
            continue
        progress(i, len(files), f"Đang nhập «{fp.file_name}»…")
        try:
            outcome = _apply_file(db, fp, today, accept, touched)
        except (sa_exc.SQLAlchemyError, OSError) as exc:
            reason = database_error_text(exc)
            log.warning("import stopped at %s: %s", fp.file_name, exc)
            result.stopped = reason + "."
            outcome = FileResult(fp.file_name, applied=False, status=STATUS_REFUSED,
                                 message=f"không ghi được vào cơ sở dữ liệu: {reason}. Không có thay đổi nào từ tệp "
                                         "này được ghi.")
        result.files.append(outcome)
        if outcome.applied:
            touched.update(r.assignment_id for r in fp.actionable)
    progress(len(files), len(files), "Đã nhập xong." if not result.stopped else "Việc nhập đã dừng giữa chừng.")
    return result


def _apply_file(db, fp: FilePreview, today: date, accept: bool, touched: set[int]) -> FileResult:
    outcome = FileResult(fp.file_name, applied=False)
    try:
        unchanged = file_sha256(fp.path) == fp.sha256
    except OSError:
        unchanged = False
    if not unchanged:
        outcome.message = "Tệp đã thay đổi sau khi kiểm tra; hãy kiểm tra lại trước khi nhập."
        return outcome
    try:
        relative, kept, created = _keep_copy(db, fp, today)
    except OutputError as exc:
        outcome.message = exc.message
        return outcome
    try:
        with db.session(context=f"import:{fp.file_name}") as s:
            for row in fp.actionable:
                version = None if row.assignment_id in touched else row.version
                if row.action == ACTION_REPORT and row.report is not None:
                    data = ops.ReportInput(**{**row.report.__dict__, "source_file": relative, "files": [relative]})
                    done = row.choice == CHOICE_DONE
                    ops.record_report(s, row.assignment_id, data, today, expected_version=version,
                                      accept=accept and done)
                    outcome.reports += 1
                    if not done:
                        ops.set_state(s, row.assignment_id, row.target_state, today)
                    outcome.state_changes += int(row.state_after(accept and done) != row.old_state)
                elif row.action == ACTION_STATE:
                    ops.set_state(s, row.assignment_id, row.target_state, today, expected_version=version)
                    outcome.state_changes += 1
    except (ops.ValidationError, ops.ConflictError) as exc:
        if created:
            kept.unlink(missing_ok=True)
        outcome.message = exc.message + " Không có thay đổi nào từ tệp này được ghi."
        outcome.reports = outcome.state_changes = 0
        return outcome
    except BaseException:
        if created:
            attachments.remove(kept)
        raise
    outcome.applied = True
    outcome.status = STATUS_APPLIED
    outcome.kept_copy = relative
    return outcome


# ---------------------------------------------------------------- annotated copy


def annotated_name(fp: FilePreview) -> str:
    stem = shorten_name(fp.path.stem, max_bytes=150, max_chars=80)
    return f"{stem} - có ghi chú lỗi.xlsx"


def save_annotated(fp: FilePreview, out: str | Path) -> Path:
    """A copy of the file with every problem cell filled red and commented, plus a list sheet."""
    if not fp.loadable:
        raise ValueError("Tệp không mở được nên không lập được bản có ghi chú lỗi.")
    check_xlsx_file(fp.path)
    if uncompressed_size(fp.path) > MAX_ANNOTATED_BYTES:
        raise ValueError(f"Tệp «{fp.file_name}» quá lớn để lập bản có ghi chú lỗi; hãy gửi đơn vị danh sách lỗi ở "
                         "trên để sửa.")
    wb = load_workbook(fp.path)  # normal mode: bounded by the size checks above
    try:
        by_cell: dict[tuple[str, str], list[str]] = defaultdict(list)
        for p in fp.problems:
            if p.sheet and p.cell and p.sheet in wb.sheetnames:
                by_cell[(p.sheet, p.cell)].append(p.message)
        for (sheet, cell), messages in by_cell.items():
            target = wb[sheet][cell]
            if type(target).__name__ == "MergedCell":
                continue
            target.fill = PROBLEM_FILL
            comment = Comment("\n".join(messages), "Phòng Văn hóa và Thông tin")
            comment.width, comment.height = 320, 40 + 60 * len(messages)
            target.comment = comment
        _problem_sheet(wb, fp)
        wb.active = 0
        for ws in wb.worksheets:
            ws.sheet_view.tabSelected = ws.title == PROBLEM_SHEET
        return atomic_write(out, lambda tmp: save_workbook(wb, tmp))
    finally:
        wb.close()


PROBLEM_SHEET = "Lỗi cần sửa"


def _problem_sheet(wb, fp: FilePreview) -> None:
    """A first sheet listing every problem, for the unit's staff who open the returned file."""
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    styles = CellStyles(wb)
    for letter, width in (("A", 6), ("B", 12), ("C", 72)):
        ws.column_dimensions[letter].width = width
    styles.set(ws, 1, 1, f"PHIẾU BÁO CÁO CHƯA ĐƯỢC NHẬN: CÁC LỖI CẦN SỬA ({len(fp.problems)})", "bold")
    note = ("Các ô có lỗi trên trang «Phiếu báo cáo» được tô đỏ và có ghi chú (đưa chuột vào ô để xem). Đề nghị "
            "đơn vị sửa các ô đó, lưu tệp (giữ định dạng .xlsx) và gửi lại. Không sửa các ô đã khóa, không thêm dòng.")
    styles.set(ws, 2, 1, note, "instruction")
    ws.merge_cells("A2:C2")
    ws.row_dimensions[2].height = 34
    for col, title in enumerate(("STT", "Ô", "Nội dung cần sửa"), 1):
        styles.set(ws, 4, col, title, "th")
    for i, p in enumerate(fp.problems, 1):
        row = 4 + i
        styles.set(ws, row, 1, i, "td_center")
        styles.set(ws, row, 2, f"{p.cell}" if p.cell else "Cả tệp", "td_center")
        styles.set(ws, row, 3, p.message, "td")
        ws.row_dimensions[row].height = row_height([(p.message, 72)]) or 16
    ws.freeze_panes = "A5"
    ws.page_setup.paperSize = 9
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "4:4"


def is_excel_path(path: str | Path) -> bool:
    return str(path).lower().endswith((".xlsx", ".xlsm"))


__all__ = ["preview_files", "apply_preview", "save_annotated", "ImportPreview", "FilePreview", "RowPreview",
           "Problem", "Change", "ApplyResult", "FileResult", "STATUS_APPLIED", "STATUS_REFUSED",
           "STATUS_NOT_REACHED", "STATUS_UNCHANGED", "STATUS_TEXT", "ERROR", "WARNING", "ACTION_TEXT", "annotated_name",
           "is_excel_path", "CHOICE_DONE", "CHOICE_IN_PROGRESS", "CHOICE_NOT_STARTED"]
