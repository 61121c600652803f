"""Vietnamese labels for every stored code, in one place (UI, documents, workbooks, CLI)."""

from __future__ import annotations

import re
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
    Status.PENDING_REVIEW.value: "Đã báo cáo, chờ duyệt",
    Status.IN_PROGRESS.value: "Đang thực hiện, trong hạn",
    Status.DUE_SOON.value: "Sắp đến hạn",
    Status.OVERDUE.value: "Quá hạn",
    Status.NO_DEADLINE.value: "Không có hạn",
    Status.PAUSED.value: "Tạm dừng",
    Status.CANCELLED.value: "Hủy",
}

# The same statuses in the fewest words, where the column is narrow (Word's appendix matrix).
STATUS_SHORT = {
    Status.ON_TIME.value: "Đúng hạn",
    Status.LATE.value: "HT chậm",
    Status.PENDING_REVIEW.value: "Chờ duyệt",
    Status.IN_PROGRESS.value: "Trong hạn",
    Status.DUE_SOON.value: "Sắp đến hạn",
    Status.OVERDUE.value: "Quá hạn",
    Status.NO_DEADLINE.value: "Thường xuyên",
    Status.PAUSED.value: "Tạm dừng",
    Status.CANCELLED.value: "Hủy",
}

# Short marks for the task × unit grid.
STATUS_MARK = {
    Status.ON_TIME.value: "✓",
    Status.LATE.value: "✓!",
    Status.PENDING_REVIEW.value: "?",
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
    Status.PENDING_REVIEW.value: "#6A1B9A",
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
    Status.PENDING_REVIEW.value: "#E1BEE7",
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

def fmt_number(value: float | int, decimals: int = 2) -> str:
    """A figure as Vietnamese writes it: thousands grouped with a dot, decimals after a comma,
    trailing zeros dropped (1234.5 -> "1.234,5", 194016 -> "194.016")."""
    if float(value).is_integer():
        return f"{int(round(value)):,}".replace(",", ".")
    whole, _, frac = f"{value:,.{decimals}f}".rstrip("0").partition(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def fmt_int(value: int) -> str:
    """A count as Vietnamese writes it: thousands grouped with a dot (194.016)."""
    return fmt_number(value)


def fmt_percent(value: float | None) -> str:
    """A rate in percent ("87,5%"), or a dash where there is no rate."""
    return "—" if value is None else f"{fmt_number(value)}%"


_ROMAN_DIGITS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """A positive number in Roman numerals (section headings, groups, quarters): 4 -> "IV"."""
    if n <= 0:
        return str(n)
    out = []
    for value, digits in _ROMAN_DIGITS:
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def fmt_date(value: date | None) -> str:
    """dd/mm/yyyy, or empty."""
    return value.strftime("%d/%m/%Y") if value else ""


def status_text(status: str, days_late: int | None = None, days_left: int | None = None) -> str:
    label = STATUS.get(status, status)
    if status == Status.PENDING_REVIEW.value:
        return f"{label} (báo cáo chậm {days_late} ngày)" if days_late else label
    if days_late:
        return f"{label} {days_late} ngày"
    if status == Status.DUE_SOON.value and days_left is not None:
        return "Đến hạn hôm nay" if days_left == 0 else f"{label} (còn {days_left} ngày)"
    return label


def fmt_period(period: str | None) -> str:
    """The one label of a period code, as screen, Word and Excel write it: "2024-01" -> "Tháng
    01/2024", "2024-10" -> "Tháng 10/2024", "2024-Q3" -> "Quý III/2024", "2024-H1" -> "6 tháng đầu
    năm 2024", "2024" -> "Năm 2024". Months as in a date of the official form (Nghị định 30/2020,
    Phụ lục I §II.4.b: a leading zero for January and February only: "Tháng 01/2024", "Tháng
    6/2024"). Running text lower-cases the first letter (:func:`fmt_period_inline`)."""
    if not period:
        return ""
    m = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if m and 1 <= int(m.group(2)) <= 12:
        month = int(m.group(2))
        return f"Tháng {month:02d}/{m.group(1)}" if month <= 2 else f"Tháng {month}/{m.group(1)}"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if m:
        return f"Quý {roman(int(m.group(2)))}/{m.group(1)}"
    m = re.fullmatch(r"(\d{4})-H([12])", period)
    if m:
        return f"6 tháng {'đầu' if m.group(2) == '1' else 'cuối'} năm {m.group(1)}"
    if re.fullmatch(r"\d{4}", period):
        return f"Năm {period}"
    return period


def fmt_period_inline(period: str | None) -> str:
    """:func:`fmt_period` inside a sentence: "tháng 10/2024", "quý III/2024", "năm 2024"."""
    label = fmt_period(period)
    return label[:1].lower() + label[1:] if label[:1] in ("T", "Q", "N") else label
