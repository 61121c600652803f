"""The annotated copy of a rejected form: every problem cell filled red and commented, and a first
sheet listing the problems, to send back to the unit (the import dialog's «Lưu bản có ghi chú lỗi»)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment

from desktop.infra.fileio import atomic_write, shorten_name
from desktop.workbooks.common import PROBLEM_FILL, CellStyles, row_height
from desktop.workbooks.import_model import FilePreview
from desktop.workbooks.safety import check_xlsx_file, uncompressed_size
from desktop.workbooks.sheet_xml import save_workbook

# The annotated copy opens the file in openpyxl's normal mode, which takes some 30 times the XML in
# memory: a real form (well under 1 MB of XML) is far below this bound.
MAX_ANNOTATED_BYTES = 8 * 2**20


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
