"""Search without diacritics, evidence files, drafts kept after an unexpected stop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from sqlalchemy import select

from db.models import Evidence
from db.queries import find_unit
from desktop.infra import paths
from desktop.tracking import board
from desktop.ui import common, result_form

from .conftest import wait_idle


def _type_search(qtbot, window, text: str) -> None:
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, text)
    qtbot.waitUntil(lambda: window.search_model.rowCount() > 0 or "Không tìm thấy" in window.search_status.text(),
                    timeout=30000)
    wait_idle(qtbot, window)


def test_search_without_diacritics_finds_and_selects_a_unit(qtbot, window, demo_db, monkeypatch):
    calls = []
    real = board.search
    monkeypatch.setattr(board, "search", lambda *a, **k: (calls.append(a[1]), real(*a, **k))[1])
    window.findChild(type(window.act_save), "actFind").trigger()
    _type_search(qtbot, window, "dong khe")
    assert window.left_stack.currentIndex() == 1
    hits = window.search_model.rows()
    assert hits[0].kind == "unit" and hits[0].title == "UBND phường Đông Khê"
    assert len(calls) < len("dong khe"), "typing is debounced: not one search per keystroke"
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    with demo_db.session() as s:
        dong_khe = find_unit(s, "P-DK").id
    assert window.left_stack.currentIndex() == 0 and window.search_box.text() == ""
    assert window.tree_model.unit_id(window.unit_tree.currentIndex()) == dong_khe
    assert window.task_model.rowCount() > 0


def test_search_ubnd_and_results(qtbot, window):
    _type_search(qtbot, window, "ubnd")
    kinds = {h.kind for h in window.search_model.rows()}
    assert {"unit", "directive"} <= kinds
    assert all("UBND" in h.title for h in window.search_model.rows() if h.kind == "unit")
    _type_search(qtbot, window, "bang ron")
    result = next(h for h in window.search_model.rows() if h.kind == "result")
    window.search_view.clicked.emit(window.search_model.index(window.search_model.row_of_key(
        (result.kind, result.id, result.report_id)), 0))
    wait_idle(qtbot, window)
    assert window.form.assignment_id == result.id
    assert window.assignment_model.row_of_key(result.id) >= 0, "its task and unit are shown"
    _type_search(qtbot, window, "khong co gi nhu the nay")
    assert window.search_model.rowCount() == 0 and "Không tìm thấy" in window.search_status.text()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == "" and window.left_stack.currentIndex() == 0


def test_search_a_task_and_a_directive(qtbot, window, demo_db):
    _type_search(qtbot, window, "chuyen doi so")
    task = next(h for h in window.search_model.rows() if h.kind == "task")
    window.navigate(task)
    wait_idle(qtbot, window)
    current = window.task_model.row_at(window.task_table.currentIndex().row())
    assert current is not None and current.task_id == task.id
    _type_search(qtbot, window, "45/kh")
    directive = next(h for h in window.search_model.rows() if h.kind == "directive")
    window.navigate(directive)
    wait_idle(qtbot, window)
    assert window.directive_filter_value() == directive.id
    assert {line.directive_id for line in window.task_model.rows()} == {directive.id}


def test_evidence_file_is_copied_and_opens_with_one_click(qtbot, window, demo_db, messages, monkeypatch, tmp_path):
    source = tmp_path / "Báo cáo phường.pdf"
    source.write_bytes(b"%PDF-1.4 minh chung")
    monkeypatch.setattr(common, "choose_open_files", lambda *a, **k: [str(source)])
    opened = []
    monkeypatch.setattr(result_form, "open_url", lambda url: opened.append(url) or True)
    window.task_table.selectRow(0)
    window.assignment_table.selectRow(0)
    form = window.form
    aid = form.assignment_id
    form.received_edit.set_value(form.today)  # empty until the officer gives it
    qtbot.mouseClick(form.add_file_button, Qt.MouseButton.LeftButton)
    assert form.is_dirty()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not messages.texts("warn") and not messages.texts("error")
    with demo_db.session() as s:
        files = [e for e in s.execute(select(Evidence).where(Evidence.kind == "file")).scalars()]
    assert len(files) == 1
    copied = paths.folder_for(demo_db.location) / files[0].target
    assert copied.read_bytes() == source.read_bytes()
    assert copied.parent == paths.attachments_dir(demo_db.location) / str(aid)
    item = next(form.evidence_list.item(i) for i in range(form.evidence_list.count())
                if form.evidence_list.item(i).text() == source.name)
    rect = form.evidence_list.visualItemRect(item)
    qtbot.mouseClick(form.evidence_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [QUrl.fromLocalFile(str(copied))]


def test_bad_link_is_refused_and_the_copy_removed(qtbot, window, demo_db, messages, monkeypatch, tmp_path):
    source = tmp_path / "anh.jpg"
    source.write_bytes(b"jpg")
    monkeypatch.setattr(common, "choose_open_files", lambda *a, **k: [str(source)])
    messages.text_answer = "ngoquyen.gov.vn/tin-tuc"
    window.task_table.selectRow(0)
    window.assignment_table.selectRow(0)
    aid = window.form.assignment_id
    window.form.received_edit.set_value(window.form.today)
    qtbot.mouseClick(window.form.add_file_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.form.add_link_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    assert "http://" in messages.texts("warn")[-1]
    folder = paths.attachments_dir(demo_db.location) / str(aid)
    assert not folder.exists() or not any(folder.iterdir())
    assert window.form.is_dirty()


def test_draft_is_kept_and_restored(qtbot, make_window, demo_db, messages):
    first = make_window(demo_db)
    first.task_table.selectRow(0)
    first.assignment_table.selectRow(0)
    aid = first.form.assignment_id
    first.form.content_edit.setPlainText("Đang nhập thì mất điện")
    path = first.save_draft()
    assert Path(path).exists()
    first.close()
    second = make_window(demo_db)
    second.show_assignment(aid)
    assert second.form.draft_banner.isVisibleTo(second.form)
    qtbot.mouseClick(second.form.restore_draft_button, Qt.MouseButton.LeftButton)
    assert second.form.content_edit.toPlainText() == "Đang nhập thì mất điện"
    assert second.form.is_dirty()
    second.form.received_edit.set_value(second.form.today)
    qtbot.mouseClick(second.form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, second)
    assert not Path(path).exists()
    assert not second.form.draft_banner.isVisibleTo(second.form)
