"""Ctrl+P (issue 14): a print preview of the view on screen; the grid and a unit's whole history
printed to PDF by Qt and read back with pypdf (A4, heading, page numbers, header on every page)."""

from __future__ import annotations

from datetime import date

import pypdf
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from screen_fit import too_big
from sqlalchemy import select

from db.models import Directive
from db.queries import assignment_rows, find_unit
from desktop.services import operations as ops
from desktop.tracking import labels
from desktop.ui import printing
from desktop.ui.main_window import TAB_GRID, TAB_TASKS

from .conftest import wait_idle

A4_POINTS = (595, 842)


def _squeeze(text: str) -> str:
    """PDF text comes back with spaces and line breaks inside words: compare without any."""
    return "".join(text.split())


def _pages(path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [_squeeze(page.extract_text()) for page in reader.pages], reader


def _is_a4(page, landscape: bool) -> bool:
    width, height = round(float(page.mediabox.width)), round(float(page.mediabox.height))
    expected = A4_POINTS[::-1] if landscape else A4_POINTS
    return abs(width - expected[0]) <= 1 and abs(height - expected[1]) <= 1


def test_ctrl_p_opens_a_preview_of_the_task_list_as_filtered(qtbot, window, monkeypatch):
    shown = []

    def fake_exec(dialog):
        preview = dialog.findChild(QPrintPreviewWidget)
        preview.updatePreview()
        texts = [a.text() for a in dialog.findChildren(QAction) if a.text()]
        shown.append((dialog, preview.pageCount(), too_big([dialog]), texts))
        return 0

    monkeypatch.setattr(printing, "exec_dialog", fake_exec)
    action = window.act_print
    assert action.isEnabled() and action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert action.shortcut().toString() == "Ctrl+P"
    window.tabs.setCurrentIndex(TAB_TASKS)
    window.status_filter.setCurrentIndex(window.status_filter.findData("overdue"))
    wait_idle(qtbot, window)
    action.trigger()
    assert len(shown) == 1
    dialog, pages, oversize, texts = shown[0]
    assert "In…" in texts and "Trang sau" in texts
    assert not set(texts) & set(printing.PREVIEW_ACTIONS)  # no English left on the toolbar
    assert isinstance(dialog, QPrintPreviewDialog) and pages >= 1 and not oversize
    printout = dialog.printout
    assert printout.title == "DANH SÁCH NHIỆM VỤ"
    assert len(printout.tables[0].rows) == window.task_model.rowCount() > 0
    assert all("Quá hạn" in row[7] for row in printout.tables[0].rows)


def test_the_grid_prints_to_pdf_with_heading_page_numbers_and_every_unit(qtbot, window, tmp_path):
    window.tabs.setCurrentIndex(TAB_GRID)
    wait_idle(qtbot, window)
    data = window.matrix.model.grid()
    assert data is not None and data.rows
    printout = window.current_printout()
    path = tmp_path / "bảng tổng hợp.pdf"
    count = printing.print_to_pdf(printout, path)
    texts, reader = _pages(path)
    assert len(reader.pages) == count >= 1
    assert all(_is_a4(page, landscape=True) for page in reader.pages)
    whole = "".join(texts)
    assert _squeeze("BẢNG TỔNG HỢP NHIỆM VỤ THEO ĐƠN VỊ") in texts[0]
    assert _squeeze(data.directive_number) in texts[0]
    for i, text in enumerate(texts, 1):
        assert f"Trang{i}/{count}" in text
        assert "Nhiệmvụ" in text  # the header row on every page
    for column in data.columns:
        assert _squeeze(column.short_name or column.name) in whole
    for row in data.rows:
        assert _squeeze(row.title)[:25] in whole


def test_a_units_history_prints_every_task_of_the_unit(qtbot, window, demo_db, tmp_path, messages):
    with demo_db.session() as s:
        unit = find_unit(s, "P-DK")
        # enough tasks for several pages whatever the fonts' widths, so the repeated header is tested
        directive = s.execute(select(Directive).order_by(Directive.id)).scalars().first()
        for n in range(1, 41):
            ops.add_task(s, directive.id, ops.TaskInput(title=f"Nhiệm vụ bổ sung số {n} của phường",
                                                        due_date=date(2024, 12, 31), unit_ids=[unit.id]))
        s.commit()
        rows = assignment_rows(s, unit_ids=[unit.id])
        unit_id, unit_name = unit.id, unit.name
    window.reload_all()
    wait_idle(qtbot, window)
    window.unit_tree.setCurrentIndex(window.tree_model.index_of(unit_id))
    wait_idle(qtbot, window)
    printout = window.unit_history_printout()
    assert printout.title == "PHIẾU THEO DÕI CỦA ĐƠN VỊ" and printout.subtitle == unit_name
    path = tmp_path / "phiếu theo dõi.pdf"
    count = printing.print_to_pdf(printout, path)
    texts, reader = _pages(path)
    assert len(reader.pages) == count >= 2
    assert all(_is_a4(page, landscape=False) for page in reader.pages)
    whole = "".join(texts)
    assert _squeeze(unit_name) in texts[0]
    assert _squeeze(f"Tổng số: {labels.fmt_int(len(rows))} lượt nhiệm vụ") in whole
    for i, text in enumerate(texts, 1):
        assert f"Trang{i}/{count}" in text and "STT" in text and "Trạngthái" in text
    numbers = [str(i) for i in range(1, len(rows) + 1)]
    assert len(printout.tables[0].rows) == len(rows)
    assert [row[0] for row in printout.tables[0].rows] == numbers
    for r in rows:
        assert _squeeze(r.directive_number) in whole
    assert window.act_print_unit in window.unit_tree.actions()  # right click on the unit
    # A group has no sheet of its own: a message, no preview.
    window.unit_tree.setCurrentIndex(window.tree_model.index_of(None))
    wait_idle(qtbot, window)
    window.print_unit_history()
    assert messages.texts("info") and "Hãy chọn một đơn vị" in messages.texts("info")[-1]
