"""Reading the rows of a filled "Phiếu báo cáo" (no Qt here): the workbook already opened read-only
by ``desktop.workbooks.importer.read_file``; what the officer's unit typed, cell by cell, with every
problem found on the way (bounded: a hostile sheet cannot make it read without end).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl.utils import get_column_letter

from db.models import Unit
from db.textkey import strip_invisible
from desktop.tracking.dates import coerce_date
from desktop.tracking.labels import fmt_date
from desktop.workbooks.common import EXCEL_CELL_LIMIT, clean_text
from desktop.workbooks.import_model import FilePreview
from desktop.workbooks.template import (
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

MAX_META_ROWS = 50_000
EXTRA_ROWS_SCANNED = 5_000
MAX_CELLS_READ = 300_000  # filled cells kept while reading the form: bounds memory on a hostile sheet
MAX_PROBLEMS_PER_KIND = 20


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
    signature = layout.signature or (0, -1)
    for r in rows_with_data:
        if r in expected_rows or signature[0] <= r <= signature[1]:  # the signatures: names typed there
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
