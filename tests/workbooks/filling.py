"""Helpers for the template tests: fill a form as a unit would (openpyxl, normal mode), tamper with it."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from desktop.workbooks.template import SHEET_FORM, SHEET_META

TITLES = {
    "state": "Tình trạng thực hiện (chọn)",
    "completed": "Ngày hoàn thành (dd/mm/yyyy)",
    "content": "Nội dung kết quả thực hiện",
    "doc_number": "Số, ký hiệu văn bản báo cáo",
    "note": "Ghi chú",
}


def header_row(ws) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "STT":
            return row[0].row
    raise AssertionError("no header row")


def columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[header_row(ws)] if c.value}


def rows_by_assignment(ws) -> dict[int, int]:
    cols = columns(ws)
    result = {}
    for row in ws.iter_rows(min_row=header_row(ws) + 1):
        value = row[cols["Mã"] - 1].value
        if isinstance(value, int):
            result[value] = row[0].row
    return result


def fill(path: Path, out: Path, rows: dict[int, dict]) -> Path:
    """``rows``: assignment id -> {"state": ..., "completed": ..., "figures": {1: 5}, ...}."""
    wb = load_workbook(path)
    ws = wb[SHEET_FORM]
    cols = columns(ws)
    where = rows_by_assignment(ws)
    for aid, values in rows.items():
        r = where[aid]
        for key, value in values.items():
            if key == "figures":
                for k, v in value.items():
                    ws.cell(row=r, column=cols[f"Số liệu {k} (nhập số)"], value=v)
            else:
                ws.cell(row=r, column=cols[TITLES[key]], value=value)
    wb.save(out)
    wb.close()
    return out


def edit(path: Path, out: Path, change) -> Path:
    """Open, let ``change(wb)`` tamper, save under ``out``."""
    wb = load_workbook(path)
    change(wb)
    wb.save(out)
    wb.close()
    return out


def meta_cells(wb) -> dict:
    ws = wb[SHEET_META]
    return {row[0].value: row[1] for row in ws.iter_rows() if row[0].value and row[0].value != "row"}


def meta_row_cells(wb) -> list:
    return [row for row in wb[SHEET_META].iter_rows() if row[0].value == "row"]


def set_saved_time(path: Path, when: datetime) -> None:
    """Rewrite the "modified" stamp Excel keeps in docProps/core.xml (openpyxl sets it to now on save)."""
    tmp = path.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rf"\g<1>{when:%Y-%m-%dT%H:%M:%SZ}\g<2>", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)
