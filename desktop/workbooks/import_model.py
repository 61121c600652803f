"""What an import of filled "Phiếu báo cáo" files says (no Qt here): plain data.

The preview (``desktop.workbooks.importer.preview_files``): per file its problems and per row what
would change; the result of applying it (``apply_preview``): what became of each file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from db.models import AssignmentState
from desktop.services import operations as ops
from desktop.tracking.labels import STATE
from desktop.workbooks.template import CHOICE_DONE

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
