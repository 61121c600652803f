"""An office's own list of units, from an Excel workbook (.xlsx) or a CSV file as Excel saves it.

Columns (in any order, found by their heading in the first rows): «Mã», «Tên đơn vị», «Nhóm», and
optionally «Người liên hệ», «Điện thoại», «Email», «Tên khác». :func:`read_unit_list` reads the file
and checks every row without writing anything; :func:`apply_unit_list` writes the good rows once the
officer has confirmed (a group named in the file that does not exist yet is created then).

Received files are untrusted: an .xlsx passes ``desktop.workbooks.safety.check_xlsx_file`` before
openpyxl opens it; sizes and row counts are bounded.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Unit, UnitKind
from db.textkey import fold
from desktop.services import operations as ops
from desktop.workbooks.common import clean_text
from desktop.workbooks.safety import UnsafeFileError, check_xlsx_file

MAX_ROWS = 5000
MAX_CSV_BYTES = 5 * 2**20
HEADER_SCAN_ROWS = 15

# field -> folded headings accepted for it
COLUMNS = {
    "code": ("ma", "ma don vi", "ma dv", "ky hieu"),
    "name": ("ten don vi", "ten", "don vi", "ten day du"),
    "group": ("nhom", "nhom don vi", "thuoc nhom"),
    "contact_person": ("nguoi lien he", "can bo lien he", "dau moi"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt"),
    "email": ("email", "e-mail", "thu dien tu", "dia chi email"),
    "aliases": ("ten khac", "ten goi khac", "ten viet tat"),
}
COLUMN_LABELS = {"code": "Mã", "name": "Tên đơn vị", "group": "Nhóm", "contact_person": "Người liên hệ",
                 "phone": "Điện thoại", "email": "Email", "aliases": "Tên khác"}
REQUIRED = ("name",)


class UnitListError(Exception):
    """The whole file cannot be read; ``message`` is Vietnamese, for the officer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class UnitListRow:
    line: int  # the row number the officer sees in Excel
    code: str
    name: str
    group: str
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    aliases: str = ""
    kind: str = UnitKind.OTHER.value
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class UnitListPreview:
    file_name: str
    rows: list[UnitListRow]
    new_groups: list[str]  # groups named in the file that the database does not have yet

    @property
    def good_rows(self) -> list[UnitListRow]:
        return [r for r in self.rows if r.ok]

    @property
    def bad_rows(self) -> list[UnitListRow]:
        return [r for r in self.rows if not r.ok]

    def summary(self) -> str:
        text = f"{len(self.good_rows)} đơn vị sẽ được thêm"
        if self.bad_rows:
            text += f", {len(self.bad_rows)} dòng có lỗi sẽ bỏ qua"
        if self.new_groups:
            text += f"; nhóm mới: {', '.join(self.new_groups)}"
        return text + "."


@dataclass
class ApplyResult:
    units: int
    groups: int


# ------------------------------------------------------------------ reading


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as 5 comes back from Excel as 5.0
    return re.sub(r"\s+", " ", clean_text(value)).strip()


def _match_header(values: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        key = fold(value).strip(" :*")
        for name, accepted in COLUMNS.items():
            if name not in found and key in accepted:
                found[name] = index
                break
    if "name" in found and ("code" in found or "group" in found):
        return found
    return None


def table_rows(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if suffix in (".csv", ".txt"):
        return _csv_rows(path)
    if suffix == ".xls":
        raise UnitListError(f"Tệp «{path.name}» là định dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu lại "
                            "thành «Excel Workbook (.xlsx)» hoặc «CSV UTF-8».")
    raise UnitListError(f"Tệp «{path.name}» không phải bảng tính Excel (.xlsx) hay tệp CSV.")


def _xlsx_rows(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        check_xlsx_file(path)
    except UnsafeFileError as exc:
        raise UnitListError(exc.message) from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise UnitListError(f"Không đọc được tệp «{path.name}» ({type(exc).__name__}). Tệp có thể bị hỏng; "
                            "hãy mở bằng Excel và lưu lại.") from None
    try:
        rows = []
        sheet = wb.worksheets[0]
        sheet.reset_dimensions()  # a file from another tool may declare A1:A1 and hide every row after it
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise UnitListError(f"Tệp «{path.name}» có quá nhiều dòng (hơn {MAX_ROWS} đơn vị).")
            rows.append(list(values[:30]))
        return rows
    finally:
        wb.close()


def _csv_rows(path: Path) -> list[list[object]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnitListError(f"Không đọc được tệp «{path.name}»: {exc.strerror or exc}.") from None
    if not raw.strip():
        raise UnitListError(f"Tệp «{path.name}» rỗng.")
    if len(raw) > MAX_CSV_BYTES:
        raise UnitListError(f"Tệp «{path.name}» quá lớn cho một danh sách đơn vị.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")  # Excel's «Unicode Text»
    else:
        try:
            text = raw.decode("utf-8-sig")  # Excel's «CSV UTF-8» starts with a BOM; other tools do not
        except UnicodeDecodeError:
            raise UnitListError(
                f"Tệp «{path.name}» không được lưu ở bảng mã UTF-8 nên chữ tiếng Việt sẽ bị sai. Trong Excel chọn "
                "Tệp → Lưu thành → «CSV UTF-8 (phân tách bằng dấu phẩy)», hoặc lưu thành .xlsx.") from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for values in reader:
        if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
            raise UnitListError(f"Tệp «{path.name}» có quá nhiều dòng (hơn {MAX_ROWS} đơn vị).")
        rows.append(list(values[:30]))
    return rows


def guess_kind(name: str, group: str = "") -> str:
    """The unit's kind from its name (the tree and the reader use it); «khác» when unsure."""
    key = fold(name)
    group_key = fold(group)
    if key.startswith(("truong", "mam non", "tieu hoc", "thcs", "thpt")) or "truong hoc" in group_key:
        return UnitKind.SCHOOL.value
    if key.startswith(("uy ban nhan dan", "ubnd")) and ("phuong" in key or "xa" in key) \
            or key.startswith(("phuong ", "xa ", "dac khu ")):
        return UnitKind.WARD.value
    if key.startswith(("doan ", "doan thanh nien", "hoi ", "mat tran", "uy ban mat tran", "cong doan", "ban dai dien")):
        return UnitKind.MASS_ORG.value
    if key.startswith("trung tam"):
        return UnitKind.CENTRE.value
    if key.startswith(("phong ", "van phong", "ban ", "so ", "chi cuc")):
        return UnitKind.OFFICE.value
    return UnitKind.OTHER.value


def make_code(name: str, taken: set[str]) -> str:
    """A short code from the initials of the name («Tổ dân phố số 5» → «TDP5»), unique in ``taken``."""
    words = fold(name).upper().replace("-", " ").split()
    base = "".join(w if w.isdigit() else w[0] for w in words if w[0].isalnum())[:20] or "DV"
    code, n = base, 2
    while code in taken:
        code = f"{base}-{n}"
        n += 1
    return code


def read_unit_list(path: str | Path, session: Session | None = None, known_groups: Iterable[str] = (),
                   known_codes: Iterable[str] = ()) -> UnitListPreview:
    """Read and check a unit list; writes nothing. With ``session``, codes already in the database
    are errors and the groups it already has are not new; ``known_groups`` and ``known_codes`` are
    those about to be written with it (a preset's). Raises UnitListError when the file as a whole
    cannot be read."""
    path = Path(path)
    table = table_rows(path)
    header_at, columns = -1, None
    for i, values in enumerate(table[:HEADER_SCAN_ROWS]):
        columns = _match_header([cell_text(v) for v in values])
        if columns:
            header_at = i
            break
    if not columns:
        raise UnitListError(
            f"Không tìm thấy dòng tiêu đề trong tệp «{path.name}». Dòng đầu của bảng cần có các cột «Mã», "
            "«Tên đơn vị», «Nhóm» (có thể thêm «Người liên hệ», «Điện thoại», «Email», «Tên khác»).")
    existing_codes: dict[str, str] = {}
    existing_groups: dict[str, str] = {}
    if session is not None:
        for unit in session.execute(select(Unit)).scalars():
            existing_codes[unit.code.upper()] = unit.name
            if unit.is_group:
                existing_groups[fold(unit.name)] = unit.name
    for name in known_groups:
        existing_groups.setdefault(fold(name), name)
    for code in known_codes:
        existing_codes.setdefault(code.upper(), code)
    rows: list[UnitListRow] = []
    seen_codes: dict[str, int] = {}
    taken = set(existing_codes)
    for offset, values in enumerate(table[header_at + 1:], start=header_at + 2):
        def get(name: str) -> str:
            index = columns.get(name)
            return cell_text(values[index]) if index is not None and index < len(values) else ""

        fields_ = {name: get(name) for name in COLUMNS}
        phone = fields_["phone"]
        if phone.isdigit() and len(phone) in (9, 10) and not phone.startswith("0"):
            fields_["phone"] = "0" + phone  # typed as a number in Excel, the leading 0 was dropped
        if not any(fields_.values()):
            continue  # blank line
        row = UnitListRow(line=offset, code=fields_["code"].upper(), name=fields_["name"], group=fields_["group"],
                          contact_person=fields_["contact_person"], phone=fields_["phone"],
                          email=fields_["email"], aliases=fields_["aliases"].replace(",", ";"))
        if not row.name:
            row.errors.append("Thiếu tên đơn vị.")
        if row.code:
            if len(row.code) > 40:
                row.errors.append("Mã dài quá 40 ký tự.")
            elif row.code in seen_codes:
                row.errors.append(f"Mã «{row.code}» trùng với dòng {seen_codes[row.code]}.")
            elif row.code in existing_codes:
                row.errors.append(f"Mã «{row.code}» đã có trong danh mục («{existing_codes[row.code]}»).")
        if row.email and ("@" not in row.email or " " in row.email):
            row.errors.append(f"Email «{row.email}» không hợp lệ.")
        if len(row.name) > 255:
            row.errors.append("Tên đơn vị dài quá 255 ký tự.")
        if row.ok:
            if not row.code:
                row.code = make_code(row.name, taken | set(seen_codes))
                row.notes.append(f"Chưa có mã: chương trình đặt «{row.code}».")
            seen_codes[row.code] = row.line
            taken.add(row.code)
            row.kind = guess_kind(row.name, row.group)
            if not row.group:
                row.notes.append("Chưa có nhóm: đơn vị được đặt ở gốc cây đơn vị.")
        elif row.code and row.code not in seen_codes:
            seen_codes[row.code] = row.line
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise UnitListError(f"Tệp «{path.name}» có quá nhiều dòng (hơn {MAX_ROWS} đơn vị).")
    if not rows:
        raise UnitListError(f"Tệp «{path.name}» có dòng tiêu đề nhưng chưa có đơn vị nào.")
    new_groups: list[str] = []
    seen_new: set[str] = set()
    for row in rows:
        key = fold(row.group)
        if row.ok and row.group and key not in existing_groups and key not in seen_new:
            seen_new.add(key)
            new_groups.append(row.group)
    return UnitListPreview(file_name=path.name, rows=rows, new_groups=new_groups)


# ------------------------------------------------------------------ writing


def group_kind(name: str) -> str:
    key = fold(name)
    if "truong" in key:
        return UnitKind.SCHOOL.value
    if "doan the" in key or "mat tran" in key:
        return UnitKind.MASS_ORG.value
    if "phuong" in key or key.startswith("xa") or "dac khu" in key:
        return UnitKind.WARD.value
    return UnitKind.OTHER.value


def apply_unit_list(session: Session, preview: UnitListPreview) -> ApplyResult:
    """Write the good rows (call after the officer confirmed). Creates the new groups first; the
    caller's session is one transaction, so a failure leaves the database as it was."""
    groups: dict[str, int] = {}
    order: dict[int | None, int] = {}
    for unit in session.execute(select(Unit)).scalars():
        if unit.is_group:
            groups.setdefault(fold(unit.name), unit.id)
        order[unit.parent_id] = max(order.get(unit.parent_id, 0), unit.sort_order)
    made_groups = 0
    for row in preview.good_rows:
        parent_id = None
        if row.group:
            key = fold(row.group)
            if key not in groups:
                taken = {c for (c,) in session.execute(select(Unit.code))}
                order[None] = order.get(None, 0) + 1
                group = ops.add_unit(session, ops.UnitInput(
                    code=make_code("NHOM " + row.group, taken), name=row.group, kind=group_kind(row.group),
                    is_group=True, sort_order=order[None]))
                groups[key] = group.id
                made_groups += 1
            parent_id = groups[key]
        order[parent_id] = order.get(parent_id, 0) + 1
        ops.add_unit(session, ops.UnitInput(
            code=row.code, name=row.name, kind=row.kind, parent_id=parent_id, sort_order=order[parent_id],
            contact_person=row.contact_person, phone=row.phone, email=row.email, aliases=row.aliases))
    session.flush()
    return ApplyResult(units=len(preview.good_rows), groups=made_groups)
