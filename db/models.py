"""SQLModel tables. Codes (enums) are stored as short ASCII strings; their Vietnamese labels live
in ``desktop.tracking.labels``. Dates that are calendar dates are ``date``; instants are UTC datetimes.

Every table with user data carries ``version`` for optimistic locking (SQLAlchemy's
``version_id_col``): a stale save raises ``StaleDataError`` instead of overwriting newer data.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy import Column, Index, Integer, MetaData, UniqueConstraint, text
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _version_column() -> Column:
    return Column("version", Integer, nullable=False, server_default="1")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UnitKind(str, enum.Enum):
    WARD = "phuong"
    OFFICE = "phong_ban"
    SCHOOL = "truong_hoc"
    CENTRE = "trung_tam"
    MASS_ORG = "doan_the"
    OTHER = "khac"


class DirectiveType(str, enum.Enum):
    PLAN = "ke_hoach"
    OFFICIAL_LETTER = "cong_van"
    DECISION = "quyet_dinh"
    NOTICE = "thong_bao"
    INSTRUCTION = "chi_thi"
    GUIDANCE = "huong_dan"
    PROGRAMME = "chuong_trinh"
    OTHER = "khac"


class TaskKind(str, enum.Enum):
    ONCE = "mot_lan"
    PERIODIC = "dinh_ky"
    ONGOING = "thuong_xuyen"


class ValueType(str, enum.Enum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"


class Role(str, enum.Enum):
    LEAD = "chu_tri"
    COORDINATE = "phoi_hop"
    EXECUTE = "thuc_hien"


class AssignmentState(str, enum.Enum):
    NOT_STARTED = "chua_thuc_hien"
    IN_PROGRESS = "dang_thuc_hien"
    REPORTED = "cho_duyet"  # the unit reported, waiting for the officer's acceptance
    DONE = "hoan_thanh"  # accepted by the officer: the only state that completes an assignment
    RETURNED = "tra_lai"  # yêu cầu bổ sung
    PAUSED = "tam_dung"
    CANCELLED = "huy"


# Not done, paused or cancelled: still expected of the unit. Written out as SQL constants because
# SQLite uses a partial index only when the query repeats its WHERE with the same literals.
# tests/storage/test_derived.py checks it names exactly the done, paused and cancelled states.
OPEN_STATE_SQL = "state NOT IN ('hoan_thanh', 'tam_dung', 'huy')"

# Lead assignments and the rare done assignment without a completion date (its status uses today),
# as SQL constants for their partial indexes. The status rule itself, Python and SQL, is db.status_rule.
LEAD_ROLE_SQL = "role = 'chu_tri'"
UNDATED_DONE_SQL = "state = 'hoan_thanh' AND completed_on IS NULL AND effective_due IS NOT NULL"
SETTLED_SQL = "fixed_status IS NOT NULL"  # the settled assignments (ix_assignment_unit_fixed)


class Channel(str, enum.Enum):
    PAPER = "giay"
    EMAIL = "email"
    ZALO = "zalo"
    E_OFFICE = "he_thong"
    PHONE = "dien_thoai"
    IN_PERSON = "truc_tiep"
    EXCEL = "excel"


class ReminderMethod(str, enum.Enum):
    PHONE = "dien_thoai"
    LETTER = "cong_van"
    MESSAGE = "tin_nhan"
    EMAIL = "email"


class Unit(SQLModel, table=True):
    """A unit or a group of units; the tree is given by ``parent_id``."""

    id: Optional[int] = Field(default=None, primary_key=True)
    parent_id: Optional[int] = Field(default=None, foreign_key="unit.id", index=True)
    is_group: bool = False
    kind: str = Field(default=UnitKind.OTHER.value, max_length=20)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=255)
    short_name: str = Field(default="", max_length=120)
    sort_order: int = 0
    contact_person: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    aliases: str = Field(default="", max_length=1000)  # ";"-separated other names used in directives
    active: bool = True
    archived_on: Optional[date] = None
    merged_into_id: Optional[int] = Field(default=None, foreign_key="unit.id")
    merged_on: Optional[date] = None
    search_key: str = Field(default="", max_length=3000, index=True)
    version: int = Field(default=1, sa_column=(_v := _version_column()))

    __mapper_args__ = {"version_id_col": _v}
    del _v  # else pydantic treats it as a private attribute and deep-copies the Column per instance


class UnitNameHistory(SQLModel, table=True):
    """Former names of a unit, kept when it is renamed."""

    __tablename__ = "unit_name_history"
    id: Optional[int] = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    old_name: str = Field(max_length=255)
    new_name: str = Field(max_length=255)
    changed_on: date
    note: str = Field(default="", max_length=500)


class Directive(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    number: str = Field(max_length=60, index=True)  # số ký hiệu, e.g. "234/KH-UBND"
    issued_on: Optional[date] = None
    received_on: Optional[date] = None  # ngày đến: when the office received it
    issuer: str = Field(default="", max_length=255)
    doc_type: str = Field(default=DirectiveType.OTHER.value, max_length=20)
    title: str = Field(default="", max_length=1000)  # trích yếu
    file_path: str = Field(default="", max_length=500)  # relative to the data folder
    notes: str = Field(default="")
    search_key: str = Field(default="", max_length=4000, index=True)
    # db.textkey.directive_identity(number, issuer, issued_on), kept by db.audit; unique. NULL on
    # the later copies of duplicates that existed before revision 0009 (kept, never blocked).
    identity_key: Optional[str] = Field(default=None, max_length=400, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=(_v := _version_column()))

    __mapper_args__ = {"version_id_col": _v}
    del _v  # else pydantic treats it as a private attribute and deep-copies the Column per instance


class Task(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    sort_order: int = 0
    title: str = Field(max_length=500)
    content: str = Field(default="")
    kind: str = Field(default=TaskKind.ONCE.value, max_length=20)
    start_date: Optional[date] = None
    due_date: Optional[date] = None
    report_due_date: Optional[date] = None
    # Periodic tasks: "monthly:7" (day 7 of every month), "quarterly:15", "semiannual:15",
    # "yearly:12-15"; see desktop.tracking.recurrence.
    recurrence: str = Field(default="", max_length=40)
    search_key: str = Field(default="", max_length=4000, index=True)
    version: int = Field(default=1, sa_column=(_v := _version_column()))

    __mapper_args__ = {"version_id_col": _v}
    del _v  # else pydantic treats it as a private attribute and deep-copies the Column per instance


class Indicator(SQLModel, table=True):
    """A figure a task asks for (số tin bài, số buổi phát thanh ...), summed across units."""

    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    sort_order: int = 0
    name: str = Field(max_length=255)
    measure: str = Field(default="", max_length=60)  # đơn vị tính: tin, bài, buổi, lượt người
    value_type: str = Field(default=ValueType.INTEGER.value, max_length=10)


class Assignment(SQLModel, table=True):
    """A task given to one unit (for periodic tasks: one per period)."""

    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "period"),
        Index("ix_assignment_unit_state", "unit_id", "state"),
        Index("ix_assignment_effective_due", "effective_due"),
        # The whole-database figures (tree counts, dashboard, task board) count the closed assignments by
        # their settled status (fixed_status, computed by the database) and the open ones, a third of
        # them, by their deadline, each from an index alone (see desktop.tracking.board.status_counts).
        # With the deadline: counted within a period (a deadline range) from the index alone; the settled
        # rows only (queries must say ``fixed_status IS NOT NULL``).
        Index("ix_assignment_unit_fixed", "unit_id", "fixed_status", "effective_due",
              sqlite_where=text(SETTLED_SQL), postgresql_where=text(SETTLED_SQL)),
        Index("ix_assignment_task_fixed", "task_id", "period", "fixed_status", "effective_due", "completed_on"),
        # Partial indexes of the open assignments. Queries must repeat OPEN_STATE_SQL literally.
        Index("ix_assignment_open_due", "effective_due", "unit_id",
              sqlite_where=text(OPEN_STATE_SQL), postgresql_where=text(OPEN_STATE_SQL)),
        Index("ix_assignment_open_unit", "unit_id", "effective_due", "state",
              sqlite_where=text(OPEN_STATE_SQL), postgresql_where=text(OPEN_STATE_SQL)),
        Index("ix_assignment_open_task", "task_id", "period", "effective_due", "state",
              sqlite_where=text(OPEN_STATE_SQL), postgresql_where=text(OPEN_STATE_SQL)),
        # Lead units of every task (the task table's «Chủ trì» column): 5,000 rows, not a table scan.
        Index("ix_assignment_lead", "task_id", "unit_id",
              sqlite_where=text(LEAD_ROLE_SQL), postgresql_where=text(LEAD_ROLE_SQL)),
        # Done without a completion date (rare): counted by the full rule, found without a scan.
        Index("ix_assignment_undated_done", "state", "effective_due",  # state first: SQLite prefers it
              sqlite_where=text(UNDATED_DONE_SQL), postgresql_where=text(UNDATED_DONE_SQL)),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    period: str = Field(default="", max_length=20)  # "" for one-off tasks, "2024-10" for monthly ...
    role: str = Field(default=Role.EXECUTE.value, max_length=20)
    due_date: Optional[date] = None  # its own original deadline; extensions are in Extension
    # The deadline in force: the newest extension's new_due, else due_date. Derived, kept by db.derived on
    # every flush (and by refresh_derived after bulk SQL); stored so status figures need no subquery.
    effective_due: Optional[date] = None
    state: str = Field(default=AssignmentState.NOT_STARTED.value, max_length=20, index=True)
    completed_on: Optional[date] = None
    accepted_on: Optional[date] = None
    note: str = Field(default="")
    # The status that no longer depends on the day: on time / late once done, paused, cancelled;
    # NULL while open. Derived (db.derived keeps it by db.status_rule), not history.
    fixed_status: Optional[str] = Field(default=None, max_length=12)
    version: int = Field(default=1, sa_column=(_v := _version_column()))

    __mapper_args__ = {"version_id_col": _v}
    del _v  # else pydantic treats it as a private attribute and deep-copies the Column per instance


class UnitReport(SQLModel, table=True):
    """What a unit reported for an assignment. Several may exist; the latest received counts."""

    __tablename__ = "unit_report"
    id: Optional[int] = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    received_on: date
    channel: str = Field(default=Channel.PAPER.value, max_length=20)
    unit_doc_number: str = Field(default="", max_length=60)
    content: str = Field(default="")
    completed_on: Optional[date] = None  # what the unit states
    source_file: str = Field(default="", max_length=500)  # e.g. the imported Excel, relative path
    search_key: str = Field(default="", max_length=4000, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=(_v := _version_column()))

    __mapper_args__ = {"version_id_col": _v}
    del _v  # else pydantic treats it as a private attribute and deep-copies the Column per instance


class ReportFigure(SQLModel, table=True):
    __tablename__ = "report_figure"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="unit_report.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    value_number: Optional[float] = None
    value_text: str = Field(default="")


class Evidence(SQLModel, table=True):
    """A file (copied into the data folder, path relative to it) or a link attached to a report."""

    id: Optional[int] = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="unit_report.id", index=True)
    kind: str = Field(default="file", max_length=10)  # "file" | "link"
    target: str = Field(max_length=1000)
    label: str = Field(default="", max_length=255)


class Extension(SQLModel, table=True):
    """Gia hạn: a new deadline for one assignment; the original stays on the assignment."""

    id: Optional[int] = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    old_due: Optional[date] = None
    new_due: date
    reason: str = Field(default="")
    approving_doc: str = Field(default="", max_length=255)
    granted_on: date
    created_at: datetime = Field(default_factory=utcnow)


class Reminder(SQLModel, table=True):
    """Đôn đốc: one chase (a call, a letter ...) covering one or more assignments."""

    id: Optional[int] = Field(default=None, primary_key=True)
    sent_on: date
    method: str = Field(default=ReminderMethod.PHONE.value, max_length=20)
    letter_number: str = Field(default="", max_length=60)
    note: str = Field(default="")
    file_path: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class ReminderItem(SQLModel, table=True):
    __tablename__ = "reminder_item"
    __table_args__ = (UniqueConstraint("reminder_id", "assignment_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", index=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)


class ChangeLog(SQLModel, table=True):
    """One row per changed field (or per inserted/deleted record), written by db.audit."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_record", "table_name", "record_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    os_user: str = Field(default="", max_length=120)
    table_name: str = Field(max_length=40)
    record_id: Optional[int] = None
    action: str = Field(max_length=10)  # insert | update | delete
    field: str = Field(default="", max_length=60)
    old_value: Optional[str] = None
    new_value: Optional[str] = None
    context: str = Field(default="", max_length=255)  # e.g. "import:phieu-bao-cao.xlsx"


class Setting(SQLModel, table=True):
    """Key-value settings; the keys and their defaults are declared in desktop.services.settings.

    ``version`` locks each key like every other record; ``changed_by``/``changed_at`` say who last
    changed it, so the officer whose save is refused is told by whom (revision 0008)."""

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(default="")
    changed_by: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    changed_at: Optional[datetime] = None
    version: int = Field(default=1, sa_column=(_v := _version_column()))

    __mapper_args__ = {"version_id_col": _v}
    del _v


ALL_TABLES = [
    Unit,
    UnitNameHistory,
    Directive,
    Task,
    Indicator,
    Assignment,
    UnitReport,
    ReportFigure,
    Evidence,
    Extension,
    Reminder,
    ReminderItem,
    ChangeLog,
    Setting,
]
