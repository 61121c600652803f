"""Checks on a received .xlsx BEFORE openpyxl touches it: size, container type, zip structure.

An .xlsx is a zip of XML parts. A hostile or broken file can be a zip bomb (a small file that
expands to gigabytes), an old binary .xls, a password-protected workbook (an OLE container, not a
zip), or a download cut short. Each gets a clear Vietnamese message here, so that openpyxl only ever
sees a bounded, well-formed zip. Python's zipfile refuses to inflate an entry past its declared
size (the CRC check fails), so capping the declared sizes caps the work.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 20 * 2**20
MAX_ENTRIES = 500
# A filled form takes about 1-4 KB of sheet XML per task: even a unit with 2,000 open tasks stays
# under 10 MB. The bounds below leave room for that and keep a hostile file from costing minutes
# and gigabytes to parse (openpyxl builds the whole shared-string table in memory).
MAX_UNCOMPRESSED_BYTES = 40 * 2**20
MAX_SHEET_PART_BYTES = 25 * 2**20  # one worksheet's XML
MAX_SHARED_STRINGS_BYTES = 10 * 2**20
MAX_OTHER_PART_BYTES = 5 * 2**20  # styles, theme, properties…
MAX_SHEET_ROWS = 100_000  # as declared by a sheet's <dimension>
MAX_SHEET_COLUMNS = 256
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?"')
MAX_RATIO = 200  # compression ratio above which a large entry is suspicious
_RATIO_FLOOR = 2 * 2**20  # entries smaller than this are never called suspicious

MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
MACRO_PARTS = ("vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml")
EXTERNAL_LINKS = "xl/externallinks/"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class UnsafeFileError(Exception):
    """The file cannot or must not be opened; ``message`` is Vietnamese, for the officer."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.message = message
        self.kind = kind  # missing | empty | too_big | encrypted | xls | not_xlsx | corrupt | bomb | macro | external_links


def _macro_message(name: str) -> str:
    return (f"Tệp «{name}» có chứa macro (mã lệnh VBA); để an toàn, chương trình không nhận tệp có macro. Đề nghị "
            "đơn vị dùng phiếu gốc (.xlsx), chỉ gõ kết quả vào phiếu và gửi lại.")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _part_limit(part: str) -> int:
    lowered = part.lower()
    if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
        return MAX_SHEET_PART_BYTES
    if lowered == "xl/sharedstrings.xml":
        return MAX_SHARED_STRINGS_BYTES
    return MAX_OTHER_PART_BYTES


def _check_part_size(name: str, info: zipfile.ZipInfo) -> None:
    limit = _part_limit(info.filename)
    if info.file_size > limit:
        raise UnsafeFileError(f"Tệp «{name}» có thành phần «{info.filename}» quá lớn khi giải nén "
                              f"({_mb(info.file_size)}, giới hạn {_mb(limit)}); một phiếu báo cáo không lớn như vậy. "
                              "Để an toàn, chương trình không mở tệp này; đề nghị đơn vị dùng phiếu gốc và gửi lại.",
                              "bomb")


def _check_dimension(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """The size a sheet declares, read from the first bytes of its XML (bounded): a sheet that says
    it spans a million rows is refused before anything is parsed. The declaration may be missing
    or understate (the importer bounds what it reads as well); it never overstates in a real form."""
    with archive.open(info) as part:
        head = part.read(8192)
    found = _DIMENSION_RE.search(head)
    if not found:
        return
    last_col = (found.group(3) or found.group(1)).decode("ascii")
    last_row = int(found.group(4) or found.group(2))
    columns = 0
    for letter in last_col.upper():
        columns = columns * 26 + ord(letter) - ord("A") + 1
    if last_row > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS:
        raise UnsafeFileError(f"Tệp «{name}» có trang bảng tính khai báo {_number(last_row)} dòng × {_number(columns)} "
                              "cột, vượt xa một phiếu báo cáo; để an toàn, chương trình không mở tệp này. Đề nghị "
                              "đơn vị dùng phiếu gốc và gửi lại.", "bomb")


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}".replace(".", ",") + " MB"


def check_xlsx_file(path: str | Path) -> None:
    """Raise UnsafeFileError unless ``path`` is a plausible, bounded .xlsx zip."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
            ole_body = fh.read(min(size, 2 * 2**20)) if head == OLE_MAGIC else b""
    except FileNotFoundError:
        raise UnsafeFileError(f"Không tìm thấy tệp «{name}».", "missing") from None
    except OSError as exc:
        raise UnsafeFileError(f"Không đọc được tệp «{name}»: {exc.strerror or exc}.", "missing") from None
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise UnsafeFileError(_macro_message(name), "macro")
    if size == 0:
        raise UnsafeFileError(f"Tệp «{name}» rỗng (0 byte); có thể tệp chưa được tải về đầy đủ.", "empty")
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(f"Tệp «{name}» quá lớn ({_mb(size)}); phiếu báo cáo không vượt quá "
                              f"{_mb(MAX_FILE_BYTES)}.", "too_big")
    if head == OLE_MAGIC:
        # Password-protected .xlsx files are OLE containers holding an "EncryptionInfo" stream.
        if "EncryptionInfo".encode("utf-16-le") in ole_body or b"EncryptedPackage" in ole_body \
                or "EncryptedPackage".encode("utf-16-le") in ole_body:
            raise UnsafeFileError(
                f"Tệp «{name}» được đặt mật khẩu nên không đọc được. Đề nghị đơn vị mở tệp bằng Excel, bỏ mật "
                "khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi "
                "gửi lại.", "encrypted")
        raise UnsafeFileError(
            f"Tệp «{name}» là định dạng Excel 97-2003 (.xls), chương trình không đọc được. Hãy mở tệp bằng Excel "
            "và chọn Lưu thành → «Sổ làm việc Excel (*.xlsx)», rồi nhập lại tệp mới.", "xls")
    if head[:4] != ZIP_MAGIC:
        raise UnsafeFileError(f"Tệp «{name}» không phải là bảng tính Excel (.xlsx).", "not_xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise UnsafeFileError(f"Tệp «{name}» chứa quá nhiều thành phần ({len(infos)}); để an toàn, "
                                      "chương trình không mở tệp này.", "bomb")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise UnsafeFileError(f"Tệp «{name}» có dung lượng khi giải nén bất thường ({_mb(total)}); để an "
                                      "toàn, chương trình không mở tệp này.", "bomb")
            for info in infos:
                _check_part_size(name, info)
                if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise UnsafeFileError(f"Tệp «{name}» có thành phần nén bất thường ({info.filename}); để an "
                                          "toàn, chương trình không mở tệp này.", "bomb")
                if info.flag_bits & 0x1:
                    raise UnsafeFileError(f"Tệp «{name}» được đặt mật khẩu nên không đọc được.", "encrypted")
            names = {i.filename for i in infos}
            lowered = {n.lower() for n in names}
            if any(n.rsplit("/", 1)[-1] in MACRO_PARTS for n in lowered):
                raise UnsafeFileError(_macro_message(name), "macro")
            if any(n.startswith(EXTERNAL_LINKS) for n in lowered):
                raise UnsafeFileError(
                    f"Tệp «{name}» có liên kết tới tệp khác (liên kết ngoài); phiếu báo cáo không được chứa liên kết. "
                    "Đề nghị đơn vị dùng phiếu gốc, chỉ gõ giá trị (không dán công thức liên kết tới tệp khác) và "
                    "gửi lại.", "external_links")
            if not all(part in names for part in REQUIRED_PARTS):
                raise UnsafeFileError(f"Tệp «{name}» không phải là bảng tính Excel (.xlsx).", "not_xlsx")
            for info in infos:
                if info.filename.lower().startswith("xl/worksheets/") and info.filename.lower().endswith(".xml"):
                    _check_dimension(name, archive, info)
            bad = archive.testzip()  # reads every entry once: bounded by the checks above
            if bad is not None:
                raise UnsafeFileError(f"Tệp «{name}» bị hỏng (thành phần «{bad}» không đọc được). Đề nghị đơn vị "
                                      "gửi lại tệp.", "corrupt")
    except UnsafeFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
        raise UnsafeFileError(f"Tệp «{name}» bị hỏng hoặc chưa được tải về đầy đủ ({exc}). Đề nghị đơn vị gửi "
                              "lại tệp.", "corrupt") from None


def uncompressed_size(path: str | Path) -> int:
    """The total size of a zip's parts once unpacked (as the zip declares it; zipfile enforces it)."""
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())
