"""Vietnamese labels for every stored code, in one place (UI, documents, workbooks, CLI)."""

from __future__ import annotations

from datetime import date

from db.models import AssignmentState, Channel, DirectiveType, ReminderMethod, Role, TaskKind, UnitKind, ValueType
from desktop.tracking.status import Status

UNIT_KIND = {
    UnitKind.WARD.value: "Phường",
    UnitKind.OFFICE.value: "Phòng, ban",
    UnitKind.SCHOOL.value: "Trường học",
    UnitKind.CENTRE.value: "Trung tâm",
    UnitKind.MASS_ORG.value: "Đoàn thể",
    UnitKind.OTHER.value: "Khác",
}

DIRECTIVE_TYPE = {
    DirectiveType.PLAN.value: "Kế hoạch",
    DirectiveType.OFFICIAL_LETTER.value: "Công văn",
    DirectiveType.DECISION.value: "Quyết định",
    DirectiveType.NOTICE.value: "Thông báo",
    DirectiveType.INSTRUCTION.value: "Chỉ thị",
    DirectiveType.GUIDANCE.value: "Hướng dẫn",
    DirectiveType.PROGRAMME.value: "Chương trình",
    DirectiveType.OTHER.value: "Khác",
}

TASK_KIND = {
    TaskKind.ONCE.value: "Một lần",
    TaskKind.PERIODIC.value: "Định kỳ",
    TaskKind.ONGOING.value: "Thường xuyên",
}

VALUE_TYPE = {
    ValueType.INTEGER.value: "Số nguyên",
    ValueType.DECIMAL.value: "Số thập phân",
    ValueType.TEXT.value: "Văn bản",
}

ROLE = {
    Role.LEAD.value: "Chủ trì",
    Role.COORDINATE.value: "Phối hợp",
    Role.EXECUTE.value: "Thực hiện",
}

STATE = {
    AssignmentState.NOT_STARTED.value: "Chưa thực hiện",
    AssignmentState.IN_PROGRESS.value: "Đang thực hiện",
    AssignmentState.REPORTED.value: "Đã báo cáo, chờ duyệt",
    AssignmentState.DONE.value: "Hoàn thành",
    AssignmentState.RETURNED.value: "Trả lại, yêu cầu bổ sung",
    AssignmentState.PAUSED.value: "Tạm dừng",
    AssignmentState.CANCELLED.value: "Hủy",
}

CHANNEL = {
    Channel.PAPER.value: "Văn bản giấy",
    Channel.EMAIL.value: "E-mail",
    Channel.ZALO.value: "Zalo",
    Channel.E_OFFICE.value: "Hệ thống văn bản điện tử",
    Channel.PHONE.value: "Điện thoại",
    Channel.IN_PERSON.value: "Trực tiếp",
    Channel.EXCEL.value: "Phiếu Excel",
}

REMINDER_METHOD = {
    ReminderMethod.PHONE.value: "Điện thoại",
    ReminderMethod.LETTER.value: "Công văn đôn đốc",
    ReminderMethod.MESSAGE.value: "Tin nhắn (Zalo, SMS)",
    ReminderMethod.EMAIL.value: "E-mail",
}

STATUS = {
    Status.ON_TIME.value: "Hoàn thành đúng hạn",
    Status.LATE.value: "Hoàn thành quá hạn",
    Status.IN_PROGRESS.value: "Đang thực hiện, trong hạn",
    Status.DUE_SOON.value: "Sắp đến hạn",
    Status.OVERDUE.value: "Quá hạn",
    Status.NO_DEADLINE.value: "Không có hạn",
    Status.PAUSED.value: "Tạm dừng",
    Status.CANCELLED.value: "Hủy",
}

# Short marks for the task × unit grid.
STATUS_MARK = {
    Status.ON_TIME.value: "✓",
    Status.LATE.value: "✓!",
    Status.IN_PROGRESS.value: "…",
    Status.DUE_SOON.value: "!",
    Status.OVERDUE.value: "✗",
    Status.NO_DEADLINE.value: "∞",
    Status.PAUSED.value: "‖",
    Status.CANCELLED.value: "—",
}

# Colours of product.md (green, orange, blue, amber, red, grey), as hex for Qt, Excel and Word.
STATUS_COLOR = {
    Status.ON_TIME.value: "#2E7D32",
    Status.LATE.value: "#EF6C00",
    Status.IN_PROGRESS.value: "#1565C0",
    Status.DUE_SOON.value: "#FFB300",
    Status.OVERDUE.value: "#C62828",
    Status.NO_DEADLINE.value: "#757575",
    Status.PAUSED.value: "#9E9E9E",
    Status.CANCELLED.value: "#BDBDBD",
}

# Light fills for table cells, same hues.
STATUS_FILL = {
    Status.ON_TIME.value: "#C8E6C9",
    Status.LATE.value: "#FFE0B2",
    Status.IN_PROGRESS.value: "#BBDEFB",
    Status.DUE_SOON.value: "#FFECB3",
    Status.OVERDUE.value: "#FFCDD2",
    Status.NO_DEADLINE.value: "#E0E0E0",
    Status.PAUSED.value: "#EEEEEE",
    Status.CANCELLED.value: "#F5F5F5",
}


# Tables as counted for the officer (data transfer, data check), in plural-neutral Vietnamese.
TABLE = {
    "unit": "đơn vị (kể cả nhóm)",
    "unit_name_history": "tên cũ của đơn vị",
    "directive": "văn bản chỉ đạo",
    "task": "nhiệm vụ",
    "indicator": "chỉ tiêu số liệu",
    "assignment": "lượt giao nhiệm vụ",
    "unit_report": "báo cáo kết quả",
    "report_figure": "số liệu báo cáo",
    "evidence": "minh chứng",
    "extension": "lượt gia hạn",
    "reminder": "lượt đôn đốc",
    "reminder_item": "đơn vị được đôn đốc",
    "change_log": "dòng lịch sử thay đổi",
    "setting": "mục cài đặt",
}

def fmt_int(value: int) -> str:
    """A count as Vietnamese writes it: thousands grouped with a dot (194.016)."""
    return f"{value:,}".replace(",", ".")


def fmt_date(value: date | None) -> str:
    """dd/mm/yyyy, or empty."""
    return value.strftime("%d/%m/%Y") if value else ""


def status_text(status: str, days_late: int | None = None, days_left: int | None = None) -> str:
    label = STATUS.get(status, status)
    if days_late:
        return f"{label} {days_late} ngày"
    if status == Status.DUE_SOON.value and days_left is not None:
        return "Đến hạn hôm nay" if days_left == 0 else f"{label} (còn {days_left} ngày)"
    return label


def fmt_period(period: str | None) -> str:
    """Period code of a periodic assignment as read on screen: "2024-10" -> "Tháng 10/2024",
    "2024-Q3" -> "Quý III/2024", "2024-H1" -> "6 tháng đầu năm 2024", "2024" -> "Năm 2024"."""
    if not period:
        return ""
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return f"Tháng {int(period[5:])}/{period[:4]}"
    if len(period) == 7 and period[5] == "Q":
        return f"Quý {('I', 'II', 'III', 'IV')[int(period[6]) - 1]}/{period[:4]}"
    if len(period) == 7 and period[5] == "H":
        return f"6 tháng {'đầu' if period[6] == '1' else 'cuối'} năm {period[:4]}"
    if len(period) == 4 and period.isdigit():
        return f"Năm {period}"
    return period
