"""Cài đặt, «Thư mục dùng chung cho tệp đính kèm» (PostgreSQL only), and what the officer is told
when a file cannot go to the share or cannot be found. Temporary folders stand in for the share."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import Assignment, AssignmentState, Directive, Evidence
from desktop.infra import attachments, local_config
from desktop.infra.local_config import LocalConfig, load_config, save_config
from desktop.ui import result_form
from desktop.ui.dialogs import SettingsDialog
from desktop.ui.dialogs import settings_dialog as module
from desktop.ui.dialogs.widgets import INVALID_PROPERTY

URL = "postgresql://theodoi:MatKhau2024@192.168.1.10:5432/theodoi"
SCREEN_HEIGHT = 768 - 40 - 31  # a 1366×768 screen less the taskbar and the window's title bar


@pytest.fixture(autouse=True)
def _config_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("THEODOI_CONFIG_DIR", str(tmp_path / "cau-hinh"))


@pytest.fixture
def share(tmp_path) -> Path:
    folder = tmp_path / "MAYCHU" / "TheoDoi"
    folder.mkdir(parents=True)
    return folder


def _dialog(qtbot, db) -> SettingsDialog:
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    return dialog


def _visible(widget) -> bool:
    return widget.isVisibleTo(widget.window())


def test_field_is_for_the_server_only_and_hints_when_empty(qtbot, db, messages):
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    assert choice.shared_label.text() == "Thư mục dùng chung cho tệp đính kèm:"
    assert choice.shared_edit.placeholderText() == r"\\MAYCHU\TheoDoi"
    assert choice.file_radio.isChecked()
    assert not choice.shared_edit.isEnabled() and not choice.shared_browse.isEnabled()
    assert not _visible(choice.shared_hint)
    choice.server_radio.setChecked(True)
    assert choice.shared_edit.isEnabled() and choice.shared_browse.isEnabled()
    assert _visible(choice.shared_hint)
    assert "các máy khác không mở được" in choice.shared_hint.text()
    choice.shared_edit.setText(r"\\MAYCHU\TheoDoi")
    assert not _visible(choice.shared_hint)
    choice.shared_edit.clear()
    assert _visible(choice.shared_hint)


def test_saved_folder_is_shown_again(qtbot, db, messages, share):
    save_config(LocalConfig(database=URL, officer_name="Lan", shared_folder=str(share)))
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    assert choice.server_radio.isChecked()
    assert choice.shared_edit.text() == str(share) and choice.shared_edit.isEnabled()
    assert not _visible(choice.shared_hint)


def test_choose_button_fills_the_field(qtbot, db, messages, share, monkeypatch):
    asked = []
    monkeypatch.setattr(module, "choose_shared_folder", lambda parent, current: asked.append(current) or str(share))
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    choice.server_radio.setChecked(True)
    choice.shared_edit.setText("Z:/cu")
    qtbot.mouseClick(choice.shared_browse, Qt.MouseButton.LeftButton)
    assert asked == ["Z:/cu"] and choice.shared_edit.text() == str(share)


def test_writable_folder_is_saved_after_a_probe_file_is_written_and_removed(qtbot, db, messages, share,
                                                                            monkeypatch):
    probes = []
    real = attachments.tempfile.mkstemp
    monkeypatch.setattr(attachments.tempfile, "mkstemp",
                        lambda **kw: (kw["prefix"].startswith(".theodoi-thu-ghi-") and probes.append(kw["dir"]))
                        or real(**kw))
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    choice.server_radio.setChecked(True)
    choice.url_edit.setText(URL)
    choice.shared_edit.setText(f" {share} ")
    assert dialog.save()
    assert load_config().shared_folder == str(share)
    assert load_config().database == URL
    assert probes == [share] and list(share.iterdir()) == []


@pytest.mark.parametrize("folder, words", [
    ("khong-co-that", "Không truy cập được thư mục dùng chung"),
    ("TheoDoi", "đường dẫn đầy đủ"),
])
def test_folder_that_cannot_be_used_is_refused_and_nothing_stored(qtbot, db, messages, tmp_path, folder, words):
    save_config(LocalConfig(database=URL, officer_name="Lan"))
    before = load_config()
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    choice.shared_edit.setText(str(tmp_path / folder) if folder.startswith("khong") else folder)
    assert not dialog.save()
    assert words in dialog.error_banner.text()
    assert choice.shared_edit.property(INVALID_PROPERTY)
    assert load_config() == before


def test_folder_saved_before_and_offline_today_does_not_block_other_settings(qtbot, db, messages, tmp_path):
    offline = tmp_path / "MAYCHU-tat" / "TheoDoi"
    save_config(LocalConfig(database=URL, officer_name="Lan", shared_folder=str(offline)))
    dialog = _dialog(qtbot, db)
    dialog.officer_edit.setText("Nguyễn Thị Lan")
    assert dialog.save()
    assert load_config() == LocalConfig(database=URL, officer_name="Nguyễn Thị Lan", shared_folder=str(offline))


def test_folder_typed_with_this_pc_file_is_kept_unchecked(qtbot, db, messages, tmp_path):
    dialog = _dialog(qtbot, db)
    choice = dialog.database_choice
    choice.server_radio.setChecked(True)
    choice.shared_edit.setText(str(tmp_path / "khong-co"))
    choice.file_radio.setChecked(True)
    assert dialog.save()
    assert load_config().shared_folder == str(tmp_path / "khong-co")  # unused with SQLite


def test_dialog_fits_a_1366_by_768_screen(qtbot, db, messages):
    save_config(LocalConfig(database=URL, officer_name="Lan"))
    dialog = _dialog(qtbot, db)
    assert dialog.database_choice.server_radio.isChecked()
    assert _visible(dialog.database_choice.shared_hint)  # the tallest state: hint and a two-line «Đang dùng»
    hint = dialog.minimumSizeHint()
    assert hint.height() <= SCREEN_HEIGHT and hint.width() <= 1366
    dialog.database_choice.file_radio.setChecked(True)
    assert dialog.minimumSizeHint().height() <= SCREEN_HEIGHT


# ------------------------------------------------------------------ «Kiểm tra kết nối» with the folder


def _wait(qtbot, choice, messages) -> tuple[str, str]:
    qtbot.waitUntil(lambda: choice.check_button.isEnabled() and bool(messages.shown), timeout=60_000)
    return messages.shown[-1]


@pytest.mark.postgres
def test_check_writes_in_the_shared_folder_too(qtbot, db, messages, pg_server, share, tmp_path):
    name = pg_server.create_database()
    try:
        dialog = _dialog(qtbot, db)
        choice = dialog.database_choice
        choice.server_radio.setChecked(True)
        choice.url_edit.setText(pg_server.url(name))
        choice.shared_edit.setText(str(share))
        choice.check_button.click()
        kind, text = _wait(qtbot, choice, messages)
        assert kind == "info" and text.startswith("Kết nối được máy chủ")
        assert text.endswith(f"Ghi được vào thư mục dùng chung «{share}».")
        assert list(share.iterdir()) == []

        messages.shown.clear()
        choice.shared_edit.setText(str(tmp_path / "MAYCHU-tat"))
        choice.check_button.click()
        kind, text = _wait(qtbot, choice, messages)
        assert kind == "warn" and text.startswith("Kết nối được máy chủ")  # the server answered, the share did not
        assert f"Không truy cập được thư mục dùng chung «{tmp_path / 'MAYCHU-tat'}»" in text
        assert not local_config.config_path().exists()  # a check stores nothing
    finally:
        pg_server.drop_database(name)


# ------------------------------------------------------------------ attaching and opening with the share


def _open_assignment(db) -> int:
    with db.session() as s:
        return s.execute(select(Assignment.id).where(Assignment.state == AssignmentState.NOT_STARTED.value)
                         .order_by(Assignment.id)).scalars().first()


def _form(qtbot, db, aid):
    form = result_form.ResultForm(db, date(2024, 10, 8))
    qtbot.addWidget(form)
    form.load(aid)
    return form


def _evidence(db, aid) -> list[str]:
    from db.models import UnitReport

    with db.session() as s:
        return s.execute(select(Evidence.target).join(UnitReport, Evidence.report_id == UnitReport.id)
                         .where(UnitReport.assignment_id == aid, Evidence.kind == "file")).scalars().all()


@pytest.mark.postgres
def test_evidence_is_not_recorded_while_the_share_is_offline(qtbot, pg_demo_db, messages, monkeypatch, tmp_path,
                                                             share):
    offline = tmp_path / "MAYCHU-tat" / "TheoDoi"
    save_config(LocalConfig(database=pg_demo_db.location, shared_folder=str(offline)))
    source = tmp_path / "Biên bản.pdf"
    source.write_bytes(b"%PDF-1.4 minh chung")
    monkeypatch.setattr(result_form.common, "choose_open_files", lambda *a, **k: [str(source)])
    aid = _open_assignment(pg_demo_db)
    form = _form(qtbot, pg_demo_db, aid)
    form.content_edit.setPlainText("Đã tổ chức tuyên truyền")
    form.received_edit.set_value(form.today)
    qtbot.mouseClick(form.add_file_button, Qt.MouseButton.LeftButton)
    assert not form.save()
    text = messages.texts("error")[-1]
    assert f"Không ghi được vào thư mục dùng chung «{offline}»" in text and "kiểm tra mạng nội bộ" in text
    assert _evidence(pg_demo_db, aid) == [] and form.is_dirty()  # nothing recorded, nothing lost

    save_config(LocalConfig(database=pg_demo_db.location, shared_folder=str(share)))  # the share is back
    assert form.save()
    [stored] = _evidence(pg_demo_db, aid)
    assert (share / stored).read_bytes() == source.read_bytes()


@pytest.mark.postgres
def test_opening_a_missing_evidence_file_says_where_it_was_looked_for(qtbot, pg_demo_db, messages, monkeypatch,
                                                                      tmp_path, share):
    from desktop.services import operations as ops

    save_config(LocalConfig(database=pg_demo_db.location, shared_folder=str(share)))
    aid = _open_assignment(pg_demo_db)
    with pg_demo_db.session("test") as s:
        ops.record_report(s, aid, ops.ReportInput(received_on=date(2024, 10, 8), content="Có biên bản",
                                                  files=["tep-dinh-kem/99/Biên bản đã mất.pdf"]), date(2024, 10, 8))
    opened = []
    monkeypatch.setattr(result_form, "open_url", lambda url: opened.append(url) or True)
    form = _form(qtbot, pg_demo_db, aid)
    item = next(form.evidence_list.item(i) for i in range(form.evidence_list.count())
                if form.evidence_list.item(i).text() == "Biên bản đã mất.pdf")
    rect = form.evidence_list.visualItemRect(item)
    qtbot.mouseClick(form.evidence_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == []
    text = messages.texts("warn")[-1]
    assert text.startswith("Không tìm thấy tệp «Biên bản đã mất.pdf». Đã tìm ở: ")
    assert f"«{share / 'tep-dinh-kem/99/Biên bản đã mất.pdf'}»" in text


def test_directive_file_opens_from_the_attachments_or_says_where_it_was_looked_for(qtbot, demo_db, messages,
                                                                                   monkeypatch, tmp_path):
    from desktop.ui.dialogs import DirectiveDialog
    from desktop.ui.dialogs import directive as directive_module

    source = tmp_path / "Kế hoạch 128.pdf"
    source.write_bytes(b"%PDF-1.4 ke hoach")
    stored = attachments.copy_file(demo_db.location, source, "van-ban")
    with demo_db.session("test") as s:
        directive = s.execute(select(Directive).order_by(Directive.id)).scalars().first()
        directive.file_path = stored
        did = directive.id
    opened = []
    monkeypatch.setattr(directive_module.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    dialog = DirectiveDialog(demo_db, did)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    assert opened == [str(Path(demo_db.location).parent / stored)] and not messages.shown

    (Path(demo_db.location).parent / stored).unlink()
    qtbot.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    text = messages.texts("warn")[-1]
    assert text.startswith("Không tìm thấy tệp «Kế hoạch 128.pdf». Đã tìm ở: ")
    assert f"«{Path(demo_db.location).parent / stored}»" in text and "đã bị xóa hoặc di chuyển" in text
