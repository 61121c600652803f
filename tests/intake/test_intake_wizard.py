"""The «Đọc văn bản chỉ đạo» wizard: open or paste, check the proposals beside the text, fix,
create. No modal dialog ever opens: desktop.ui.common's message and file functions are patched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from sqlalchemy import select

from db.models import Assignment, Directive, Role, Task, Unit
from desktop.infra import paths
from desktop.ui import common
from desktop.ui.intake_wizard import COL_TITLE, COL_UNITS, IntakeWizard

DATA = Path(__file__).resolve().parents[1] / "data" / "directives"
SEED_2022 = DATA / "2022-cv-ubnd-quan-ngay-cds.txt"


class Said:
    def __init__(self):
        self.shown: list[tuple[str, str]] = []
        self.asked: list[str] = []
        self.answer = True
        self.files: list[str] = []


@pytest.fixture
def said(monkeypatch, tmp_path) -> Said:
    record = Said()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))

    def shower(kind):
        def show(parent, text, title=None, details=None):
            record.shown.append((kind, text))
        return show

    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(common, kind, shower(kind))

    def ask(parent, text, title=None, default_yes=False):
        record.asked.append(text)
        return record.answer

    monkeypatch.setattr(common, "ask", ask)
    monkeypatch.setattr(common, "choose_open_files", lambda *a, **k: list(record.files))
    return record


def _units(db) -> dict[str, int]:
    with db.session() as s:
        return {u.code: u.id for u in s.execute(select(Unit)).scalars()}


def _open(qtbot, wizard: IntakeWizard) -> None:
    wizard.show()
    with qtbot.waitSignal(wizard.proposalReady, timeout=30000):
        qtbot.mouseClick(wizard.open_button, Qt.MouseButton.LeftButton)


def test_open_file_fix_and_create(qtbot, demo_db, said):
    said.files = [str(SEED_2022)]
    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    assert wizard.objectName() == "intakeWizard"
    _open(qtbot, wizard)
    assert wizard.pages.currentIndex() == 1
    assert wizard.table.rowCount() == 7
    assert wizard.issuer_edit.text() == "Ủy ban nhân dân quận"
    assert wizard.type_combo.currentData() == "cong_van"

    # the selected proposal's source sentence is what is highlighted in the text
    wizard.select_task(1)
    evidence = wizard.proposal.tasks[1].evidence
    assert wizard.highlighted_text() == evidence
    assert "báo cáo Ủy ban nhân dân quận trước ngày 15/10/2022" in wizard.highlighted_text()
    assert wizard.report_field.value() == date(2022, 10, 15)  # "trước ngày 15/10/2022", as written

    # without a số ký hiệu nothing is created and the field is named
    qtbot.mouseClick(wizard.create_button, Qt.MouseButton.LeftButton)
    assert wizard.result() == 0 and wizard.isVisible()
    assert "Số ký hiệu" in wizard.error_banner.text()
    with demo_db.session() as s:
        assert s.execute(select(Directive).where(Directive.number == "2791/UBND-VHTT")).first() is None

    wizard.number_edit.setText("2791/UBND-VHTT")
    wizard.issued_on.set_value(date(2022, 10, 7))
    wizard.title_edit.setText("V/v triển khai Ngày Chuyển đổi số thành phố năm 2022")
    # fix the first task: a later deadline and a shorter name; leave out the fourth
    wizard.select_task(0)
    wizard.due_field.set_value(date(2022, 11, 5))
    wizard.summary_edit.setText("Tuyên truyền trên hệ thống phát thanh quận")
    wizard.summary_edit.textEdited.emit("Tuyên truyền trên hệ thống phát thanh quận")
    assert wizard.table.item(0, COL_TITLE).text() == "Tuyên truyền trên hệ thống phát thanh quận"
    wizard.set_included(3, False)
    assert "6/7" in wizard.count_label.text()

    qtbot.mouseClick(wizard.create_button, Qt.MouseButton.LeftButton)
    assert wizard.directive_id is not None, wizard.error_banner.text()

    codes = {v: k for k, v in _units(demo_db).items()}
    with demo_db.session() as s:
        directive = s.get(Directive, wizard.directive_id)
        assert directive.number == "2791/UBND-VHTT" and directive.issued_on == date(2022, 10, 7)
        assert directive.doc_type == "cong_van" and directive.issuer == "Ủy ban nhân dân quận"
        stored = paths.folder_for(demo_db.location) / directive.file_path
        assert stored.read_bytes() == SEED_2022.read_bytes()
        assert stored.parent.name == "van-ban"
        tasks = s.execute(select(Task).where(Task.directive_id == directive.id).order_by(Task.sort_order)).scalars().all()
        assert len(tasks) == 6
        assert tasks[0].title == "Tuyên truyền trên hệ thống phát thanh quận"
        assert (tasks[0].start_date, tasks[0].due_date) == (date(2022, 10, 10), date(2022, 11, 5))
        assert tasks[1].report_due_date == date(2022, 10, 15)
        assert not any("Văn phòng" in t.content[:20] for t in tasks)  # the fourth was left out
        roles = {codes[a.unit_id]: a.role for a in s.execute(
            select(Assignment).where(Assignment.task_id == tasks[0].id)).scalars()}
        assert roles == {"VHTT": Role.LEAD.value, "TTVH": Role.COORDINATE.value}
        wards = s.execute(select(Assignment).where(Assignment.task_id == tasks[-1].id)).scalars().all()
        assert len(wards) == 12 and all(codes[a.unit_id].startswith("P-") for a in wards)


def test_pasted_text_is_kept_as_a_file(qtbot, demo_db, said):
    text = (DATA / "2024-tb-pdf-ngat-dong.txt").read_text(encoding="utf-8")
    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    wizard.paste_edit.setPlainText(text)
    wizard.show()
    with qtbot.waitSignal(wizard.proposalReady, timeout=30000):
        qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    assert wizard.number_edit.text() == "45/TB-UBND"
    assert wizard.issued_on.value() == date(2024, 9, 10)
    assert wizard.table.rowCount() == 5
    assert "Chủ trì: Phòng VH&TT" in wizard.table.item(0, COL_UNITS).text()
    assert wizard.create()
    with demo_db.session() as s:
        directive = s.get(Directive, wizard.directive_id)
        stored = paths.folder_for(demo_db.location) / directive.file_path
        assert stored.suffix == ".txt" and stored.read_text(encoding="utf-8") == text
        periodic = s.execute(select(Task).where(Task.directive_id == directive.id, Task.recurrence != "")).scalars().all()
        assert [t.recurrence for t in periodic] == ["semiannual:15"]


def test_units_are_picked_from_the_tree(qtbot, demo_db, said):
    """A city plan names no unit of the district for most tasks: the officer ticks them."""
    said.files = [str(DATA / "2023-kh-ubnd-tp-truyen-thong-cds.txt")]
    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    _open(qtbot, wizard)
    assert wizard.type_combo.currentData() == "ke_hoach"
    wizard.select_task(0)
    assert "(chưa có đơn vị)" in wizard.table.item(0, COL_UNITS).text()
    assert "Chưa xác định được đơn vị" in wizard.unmatched_label.text()
    ids = _units(demo_db)
    wizard.checklist.set_checked(ids["NHOM-PHUONG"], True)  # tick the whole group
    wizard.checklist.set_checked(ids["VHTT"], True)
    wizard.checklist.set_role(ids["VHTT"], Role.LEAD.value)
    assert wizard.table.item(0, COL_UNITS).text() == "Chủ trì: Phòng VH&TT; Thực hiện: 12 đơn vị"
    wizard.select_task(6)  # "Là cơ quan chủ trì ..." of the Sở, which is not in the tree
    assert "Sở Thông tin và Truyền thông" in wizard.unmatched_label.text()
    wizard.select_task(0)
    assert len(wizard.checklist.roles()) == 13  # the edit was kept when moving between tasks


def test_invalid_dates_are_refused_on_the_right_task(qtbot, demo_db, said):
    said.files = [str(SEED_2022)]
    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    _open(qtbot, wizard)
    wizard.number_edit.setText("1/UBND-TEST")
    wizard.select_task(0)
    wizard.due_field.set_value(date(2022, 10, 1))  # before its start, 10/10/2022
    wizard.select_task(2)
    assert not wizard.create()
    assert wizard.current == 0
    assert "trước ngày bắt đầu" in wizard.error_banner.text()
    with demo_db.session() as s:
        assert s.execute(select(Directive).where(Directive.number == "1/UBND-TEST")).first() is None
    assert not list((paths.attachments_dir(demo_db.location)).glob("**/2022-cv-ubnd-quan-ngay-cds*.txt"))


def test_unreadable_file_is_reported(qtbot, db, said, tmp_path):
    bad = tmp_path / "cong-van.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 old word file")
    said.files = [str(bad)]
    wizard = IntakeWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    with qtbot.waitSignal(wizard.readFailed, timeout=30000) as blocker:
        qtbot.mouseClick(wizard.open_button, Qt.MouseButton.LeftButton)
    assert ".docx" in blocker.args[0]
    assert said.shown and said.shown[-1][0] == "error"
    assert wizard.pages.currentIndex() == 0 and wizard.open_button.isEnabled()


def test_empty_paste_and_closing_ask_first(qtbot, demo_db, said):
    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.read_pasted()
    assert said.shown[-1][0] == "warn"
    said.files = [str(SEED_2022)]
    _open(qtbot, wizard)
    said.answer = False
    wizard.reject()
    assert wizard.isVisible() and said.asked
    said.answer = True
    wizard.go_back()
    assert wizard.pages.currentIndex() == 0 and wizard.table.rowCount() == 0


def test_screenshot(qtbot, demo_db, said, tmp_path):
    """Render the review page (looked at by eye during development)."""
    said.files = [str(DATA / "2024-cv-vhtt-ngay-cds.txt")]
    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    wizard.resize(1280, 800)
    wizard.show()
    _open(qtbot, wizard)
    wizard.select_task(6)
    image = wizard.grab()
    assert image.save(str(tmp_path / "intake.png"))
    assert image.width() >= 1000


def test_a_dropped_file_is_read(qtbot, demo_db, said):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    wizard.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DATA / "2024-cv-quang-cao.txt"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(wizard.proposalReady, timeout=30000):
        wizard.dropEvent(event)
    assert wizard.number_edit.text() == "3105/UBND-VHTT" and wizard.table.rowCount() == 3
    assert wizard.source_path == DATA / "2024-cv-quang-cao.txt"


GUESSES = ("Ủy ban nhân dân quận yêu cầu:\n"
           "1. Giao Trung tâm Văn hóa quận chuẩn bị sân bãi, trang thiết bị.\n"
           "2. Phòng Y tế kiểm tra các cơ sở kinh doanh trong Quý II/2026.\n"
           "3. Phòng Nội vụ hướng dẫn nghiệp vụ lưu trữ, hoàn thành trong tháng 4/2026.\n"
           "Các đơn vị báo cáo kết quả về Ủy ban nhân dân quận trước ngày 15/7/2026.\n")


def test_uncertain_fields_are_highlighted_and_a_guess_is_shown_as_one(qtbot, demo_db, said, tmp_path):
    from desktop.ui.intake_wizard import COL_DUE, COL_REPORT

    wizard = IntakeWizard(demo_db)
    qtbot.addWidget(wizard)
    wizard.paste_edit.setPlainText(GUESSES)
    wizard.resize(1366, 768)
    wizard.show()
    with qtbot.waitSignal(wizard.proposalReady, timeout=30000):
        qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    assert wizard.table.rowCount() == 3
    # "Trung tâm Văn hóa quận" is a shortened name: proposed, but as a guess, and highlighted
    assert "≈" in wizard.table.item(0, COL_UNITS).text() and "đoán" in wizard.table.item(0, COL_UNITS).text()
    cells = set(wizard.cells_to_check())
    assert (0, COL_UNITS, "medium") in cells
    # the report deadline comes from the closing paragraph: to check, on every task
    assert {(r, COL_REPORT, "medium") for r in range(3)} <= cells
    # a quarter is no date: shown as written, in red, for the officer to decide
    assert wizard.table.item(1, COL_DUE).text() == "Quý II/2026" and (1, COL_DUE, "low") in cells
    assert (2, COL_DUE, "medium") not in cells and (2, COL_DUE, "low") not in cells
    # no number in the text: the field says so
    assert wizard.number_edit.property("confidence") == "low" and "background" in wizard.number_edit.styleSheet()
    assert "cần kiểm tra" in wizard.count_label.text()
    wizard.grab().save(str(tmp_path / "intake-confidence.png"))
    # what the officer sets is checked: its highlight goes
    wizard.select_task(0)
    wizard.report_field.set_value(date(2026, 7, 10))
    assert (0, COL_REPORT, "medium") not in set(wizard.cells_to_check())
    assert (1, COL_REPORT, "medium") in set(wizard.cells_to_check())
