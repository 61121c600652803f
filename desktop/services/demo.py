"""Built-in demo data: the first organisation of product.md (UBND quận Ngô Quyền, Hải Phòng) and
the three seed directives, entered by hand from their text, with results spread over every status
relative to a fixed demo date. Deterministic: the same ``today`` gives the same database.

Where a directive gives no date for a task, the deadline here is the one an officer would set
(said in the task's content as "Hạn do Phòng đặt"). Số ký hiệu missing from the seed texts are
marked as demo values in the directive's notes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from db.models import (
    Assignment,
    AssignmentState,
    ChangeLog,
    Channel,
    Directive,
    DirectiveType,
    Evidence,
    Extension,
    Indicator,
    Reminder,
    ReminderItem,
    ReminderMethod,
    ReportFigure,
    Role,
    Task,
    TaskKind,
    UnitKind,
    UnitReport,
    ValueType,
)
from desktop.services import operations as ops
from desktop.services.settings import Settings, save_settings
from desktop.tracking.recurrence import period_start

DEMO_TODAY = date(2024, 10, 8)

WARDS = [
    "Máy Chai", "Máy Tơ", "Vạn Mỹ", "Cầu Tre", "Lạc Viên", "Cầu Đất", "Gia Viên", "Đông Khê", "Lê Lợi",
    "Đằng Giang", "Lạch Tray", "Đổng Quốc Bình",
]

# (code, name, short name, kind, aliases)
OFFICES = [
    ("VPUB", "Văn phòng HĐND và UBND quận", "VP HĐND-UBND", UnitKind.OFFICE,
     "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân quận"),
    ("VHTT", "Phòng Văn hóa và Thông tin", "Phòng VH&TT", UnitKind.OFFICE, "phòng Văn hóa và Thông tin quận"),
    ("GDDT", "Phòng Giáo dục và Đào tạo", "Phòng GD&ĐT", UnitKind.OFFICE, ""),
    ("NV", "Phòng Nội vụ", "Phòng Nội vụ", UnitKind.OFFICE, ""),
    ("TCKH", "Phòng Tài chính - Kế hoạch", "Phòng TC-KH", UnitKind.OFFICE, ""),
    ("TP", "Phòng Tư pháp", "Phòng Tư pháp", UnitKind.OFFICE, ""),
    ("YT", "Phòng Y tế", "Phòng Y tế", UnitKind.OFFICE, ""),
    ("KT", "Phòng Kinh tế", "Phòng Kinh tế", UnitKind.OFFICE, ""),
    ("QLDT", "Phòng Quản lý đô thị", "Phòng QLĐT", UnitKind.OFFICE, ""),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội", "Phòng LĐ-TB&XH", UnitKind.OFFICE, ""),
]
CENTRES = [
    ("TTVH", "Trung tâm Văn hóa - Thông tin và Thể thao quận", "TT VH-TT&TT", UnitKind.CENTRE,
     "Trung tâm Văn hóa - Thông tin và Thể thao"),
]
MASS_ORGS = [
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam quận", "UB MTTQ quận", UnitKind.MASS_ORG, ""),
    ("QDOAN", "Quận đoàn Ngô Quyền", "Quận đoàn", UnitKind.MASS_ORG, "Đoàn Thanh niên quận"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ quận", "Hội LHPN quận", UnitKind.MASS_ORG, ""),
]
SCHOOLS = [
    ("THCS-CVA", "Trường THCS Chu Văn An", "THCS Chu Văn An"),
    ("THCS-LL", "Trường THCS Lê Lợi", "THCS Lê Lợi"),
    ("THCS-NQ", "Trường THCS Ngô Quyền", "THCS Ngô Quyền"),
    ("THCS-LV", "Trường THCS Lạc Viên", "THCS Lạc Viên"),
    ("THCS-DG", "Trường THCS Đằng Giang", "THCS Đằng Giang"),
    ("THCS-GV", "Trường THCS Gia Viên", "THCS Gia Viên"),
    ("THPT-TP", "Trường THPT Thái Phiên", "THPT Thái Phiên"),
    ("THPT-NQ", "Trường THPT Ngô Quyền", "THPT Ngô Quyền"),
    ("THPT-MC", "Trường THPT Marie Curie", "THPT Marie Curie"),
]


def ward_code(name: str) -> str:
    from db.textkey import fold

    return "P-" + "".join(w[0] for w in fold(name).split()).upper()


@dataclass
class _Org:
    groups: dict[str, int]
    units: dict[str, int]  # code -> id

    def ids(self, *codes: str) -> list[int]:
        return [self.units[c] for c in codes]

    def group(self, prefix: str) -> list[int]:
        return [uid for code, uid in self.units.items() if code.startswith(prefix)]


def _build_organisation(session) -> _Org:
    groups: dict[str, int] = {}
    units: dict[str, int] = {}

    def group(code: str, name: str, kind: UnitKind, order: int) -> int:
        g = ops.add_unit(session, ops.UnitInput(code=code, name=name, kind=kind.value, is_group=True, sort_order=order))
        groups[code] = g.id
        return g.id

    g_wards = group("NHOM-PHUONG", "UBND các phường", UnitKind.WARD, 1)
    for i, ward in enumerate(WARDS, 1):
        u = ops.add_unit(session, ops.UnitInput(
            code=ward_code(ward), name=f"UBND phường {ward}", short_name=f"P. {ward}", kind=UnitKind.WARD.value,
            parent_id=g_wards, sort_order=i, aliases=f"Ủy ban nhân dân phường {ward}; phường {ward}",
            contact_person="Cán bộ văn hóa - xã hội", phone=f"0225.38{i:02d}.{100 + i * 7}",
            email=f"ubnd.{ward_code(ward).lower()[2:]}@haiphong.gov.vn"))
        units[u.code] = u.id
    for gcode, gname, kind, rows, order in (
        ("NHOM-PHONG", "Phòng, ban chuyên môn", UnitKind.OFFICE, OFFICES, 2),
        ("NHOM-SUNGHIEP", "Đơn vị sự nghiệp", UnitKind.CENTRE, CENTRES, 3),
        ("NHOM-DOANTHE", "Mặt trận và đoàn thể", UnitKind.MASS_ORG, MASS_ORGS, 4),
    ):
        gid = group(gcode, gname, kind, order)
        for i, (code, name, short, ukind, aliases) in enumerate(rows, 1):
            u = ops.add_unit(session, ops.UnitInput(code=code, name=name, short_name=short, kind=ukind.value,
                                                    parent_id=gid, sort_order=i, aliases=aliases))
            units[code] = u.id
    g_schools = group("NHOM-TRUONG", "Trường học", UnitKind.SCHOOL, 5)
    for i, (code, name, short) in enumerate(SCHOOLS, 1):
        u = ops.add_unit(session, ops.UnitInput(code=code, name=name, short_name=short, kind=UnitKind.SCHOOL.value,
                                                parent_id=g_schools, sort_order=i))
        units[code] = u.id
    return _Org(groups, units)


def _ind(name: str, measure: str, vt: ValueType = ValueType.INTEGER) -> ops.IndicatorInput:
    return ops.IndicatorInput(name=name, measure=measure, value_type=vt.value)


OFFICER_SET = "Hạn do Phòng đặt khi giao nhiệm vụ (văn bản không nêu hạn)."


def _directives(org: _Org) -> list[tuple[ops.DirectiveInput, list[ops.TaskInput]]]:
    wards = org.group("P-")
    offices = org.ids(*(o[0] for o in OFFICES))
    schools = org.ids(*(s[0] for s in SCHOOLS))
    secondary = [org.units[c] for c in org.units if c.startswith("THCS") or c.startswith("THPT")]
    centre = org.units["TTVH"]
    vhtt, gddt, vpub = org.units["VHTT"], org.units["GDDT"], org.units["VPUB"]
    everyone = offices + [centre] + wards + schools
    d2022 = ops.DirectiveInput(
        number="2790/UBND-VHTT", issued_on=date(2022, 10, 7), issuer="UBND quận Ngô Quyền",
        doc_type=DirectiveType.OFFICIAL_LETTER.value,
        title="V/v triển khai Ngày Chuyển đổi số thành phố Hải Phòng năm 2022",
        notes="Triển khai Kế hoạch số 234/KH-UBND ngày 03/10/2022 của UBND thành phố. "
              "Số ký hiệu là giá trị mẫu (văn bản gốc trong dữ liệu mẫu không ghi số).")
    t2022 = [
        ops.TaskInput(
            title="Tuyên truyền Ngày Chuyển đổi số thành phố trên hệ thống phát thanh quận; hướng dẫn các phường tiếp sóng",
            content="Chủ trì, phối hợp cùng Trung tâm Văn hóa - Thông tin và Thể thao tăng cường tuyên truyền về các "
                    "hoạt động, sự kiện cấp thành phố hưởng ứng Ngày Chuyển đổi số thành phố Hải Phòng trên hệ thống "
                    "phát thanh quận; hướng dẫn UBND các phường tiếp sóng; tập trung từ ngày 10/10 đến ngày 31/10/2022.",
            start_date=date(2022, 10, 10), due_date=date(2022, 10, 31),
            indicators=[_ind("Số buổi phát thanh", "buổi"), _ind("Số tin, bài", "tin, bài")],
            lead_unit_ids=[vhtt], coordinate_unit_ids=[centre]),
        ops.TaskInput(
            title="Tham mưu tổ chức tuyên truyền chuyển đổi số cho học sinh; báo cáo UBND quận",
            content="Chủ trì, phối hợp phòng Giáo dục và Đào tạo, các trường THCS, THPT trên địa bàn, tham vấn Sở "
                    "Thông tin và Truyền thông, tham mưu UBND quận tổ chức tuyên truyền về chuyển đổi số đến học sinh; "
                    "báo cáo Ủy ban nhân dân quận trước ngày 15/10/2022.",
            start_date=date(2022, 10, 7), due_date=date(2022, 10, 14), report_due_date=date(2022, 10, 14),
            lead_unit_ids=[vhtt], coordinate_unit_ids=[gddt] + secondary),
        ops.TaskInput(
            title="Nghiên cứu nội dung, hình thức tuyên truyền chuyển đổi số phù hợp lứa tuổi học sinh",
            content="Phòng Giáo dục và Đào tạo phối hợp phòng Văn hóa và Thông tin, các trường THCS, THPT nghiên cứu "
                    "nội dung, hình thức tuyên truyền trong và ngoài nhà trường. " + OFFICER_SET,
            start_date=date(2022, 10, 7), due_date=date(2022, 10, 31),
            lead_unit_ids=[gddt], coordinate_unit_ids=[vhtt] + secondary),
        ops.TaskInput(
            title="Đăng tải Kế hoạch số 234/KH-UBND trên Cổng thông tin điện tử quận",
            content="Văn phòng HĐND và UBND quận đăng tải Kế hoạch số 234/KH-UBND ngày 03/10/2022 trên Cổng thông "
                    "tin điện tử quận. " + OFFICER_SET,
            start_date=date(2022, 10, 7), due_date=date(2022, 10, 12), lead_unit_ids=[vpub]),
        ops.TaskInput(
            title="Tuyên truyền, tổ chức hoạt động chuyển đổi số trong ngành, lĩnh vực",
            content="Các phòng quản lý nhà nước, đơn vị sự nghiệp thuộc quận tăng cường tuyên truyền; nghiên cứu tổ "
                    "chức các hoạt động, sự kiện về chuyển đổi số trong ngành, lĩnh vực mình.",
            start_date=date(2022, 10, 10), due_date=date(2022, 10, 31),
            indicators=[_ind("Số hoạt động, sự kiện", "hoạt động")],
            unit_ids=[u for u in offices if u not in (vhtt,)] + [centre]),
        ops.TaskInput(
            title="Đăng tải Kế hoạch 234/KH-UBND trên Cổng TTĐT phường; tiếp sóng phát thanh quận",
            content="Đăng tải Kế hoạch số 234/KH-UBND ngày 03/10/2022 của UBND thành phố trên Cổng thông tin điện tử "
                    "phường; tiếp sóng hệ thống phát thanh quận để phát trên hệ thống truyền thanh phường.",
            start_date=date(2022, 10, 10), due_date=date(2022, 10, 31),
            indicators=[_ind("Số buổi tiếp sóng", "buổi"), _ind("Số tin, bài đăng tải", "tin, bài")],
            unit_ids=wards),
        ops.TaskInput(
            title="Tổ chức hoạt động, sự kiện chuyển đổi số trên địa bàn phường",
            content="Nghiên cứu tổ chức các hoạt động, sự kiện về chuyển đổi số trên địa bàn phường để nâng cao nhận "
                    "thức của Nhân dân. " + OFFICER_SET,
            start_date=date(2022, 10, 10), due_date=date(2022, 11, 15),
            indicators=[_ind("Số hoạt động", "hoạt động"), _ind("Lượt người tham gia", "lượt người")],
            unit_ids=wards),
    ]
    d2023 = ops.DirectiveInput(
        number="45/KH-UBND", issued_on=date(2023, 2, 20), issuer="UBND thành phố Hải Phòng",
        doc_type=DirectiveType.PLAN.value,
        title="Truyền thông về chuyển đổi số trên địa bàn thành phố Hải Phòng năm 2023",
        notes="Số ký hiệu và ngày là giá trị mẫu (văn bản gốc trong dữ liệu mẫu không ghi số).")
    t2023 = [
        ops.TaskInput(
            title="Xây dựng Kế hoạch tuyên truyền hoặc lồng ghép nội dung tuyên truyền về chuyển đổi số",
            content="100% các cơ quan, đơn vị, địa phương xây dựng Kế hoạch tuyên truyền hoặc lồng ghép nội dung "
                    "tuyên truyền về chuyển đổi số tại Kế hoạch Chuyển đổi số của đơn vị. " + OFFICER_SET,
            start_date=date(2023, 3, 1), due_date=date(2023, 3, 31), unit_ids=wards + offices + [centre] + schools),
        ops.TaskInput(
            title="Duy trì chuyên mục «Chuyển đổi số» trên trang thông tin điện tử và hệ thống truyền thanh",
            content="Tiếp tục duy trì các chuyên mục «Chuyển đổi số» trên Cổng thông tin điện tử, hệ thống truyền "
                    "thanh cơ sở.",
            kind=TaskKind.ONGOING.value, start_date=date(2023, 3, 1),
            indicators=[_ind("Số tin, bài trong chuyên mục", "tin, bài")], unit_ids=wards + [centre]),
        ops.TaskInput(
            title="Tuyên truyền Ngày Chuyển đổi số quốc gia năm 2023 và «Tháng 10 – Tháng tiêu dùng số»",
            content="Tuyên truyền các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2023; hưởng ứng và phổ "
                    "biến Tháng 10 – Tháng tiêu dùng số.",
            start_date=date(2023, 10, 1), due_date=date(2023, 10, 31),
            indicators=[_ind("Số tin, bài", "tin, bài"), _ind("Số băng rôn, khẩu hiệu", "chiếc")],
            lead_unit_ids=[centre], unit_ids=wards),
        ops.TaskInput(
            title="Tuyên truyền về chuyển đổi số trong trường học qua buổi học ngoại khóa",
            content="Tối thiểu 50% các trường học có nội dung tuyên truyền về chuyển đổi số thông qua các buổi học "
                    "ngoại khóa và các hình thức khác.",
            start_date=date(2023, 3, 1), due_date=date(2023, 12, 31),
            indicators=[_ind("Số buổi ngoại khóa", "buổi"), _ind("Lượt học sinh tham gia", "lượt")],
            lead_unit_ids=[gddt], unit_ids=schools),
        ops.TaskInput(
            title="Cử cán bộ thông tin cơ sở tham gia tập huấn kỹ năng viết tin, bài về chuyển đổi số",
            content="100% cán bộ phụ trách công tác thông tin cơ sở được tập huấn kỹ năng viết tin, bài phục vụ "
                    "tuyên truyền về chuyển đổi số. " + OFFICER_SET,
            start_date=date(2023, 4, 1), due_date=date(2023, 6, 30),
            indicators=[_ind("Số cán bộ được tập huấn", "người")], unit_ids=wards),
        ops.TaskInput(
            title="Báo cáo định kỳ 6 tháng kết quả truyền thông về chuyển đổi số",
            content="Tổng hợp kết quả triển khai, báo cáo về Phòng Văn hóa và Thông tin chậm nhất ngày 15 của tháng "
                    "sau kỳ báo cáo, để tổng hợp báo cáo Ủy ban nhân dân quận.",
            kind=TaskKind.PERIODIC.value, recurrence="semiannual:15", start_date=date(2023, 1, 1),
            due_date=date(2024, 12, 31), indicators=[_ind("Số tin, bài", "tin, bài")], unit_ids=wards),
    ]
    d2024 = ops.DirectiveInput(
        number="128/VHTT", issued_on=date(2024, 10, 4), issuer="Phòng Văn hóa và Thông tin quận Ngô Quyền",
        doc_type=DirectiveType.OFFICIAL_LETTER.value,
        title="V/v tuyên truyền triển khai Ngày Chuyển đổi số quốc gia, Ngày Chuyển đổi số thành phố năm 2024",
        notes="Thực hiện Công văn số 3626/UBND-VHTT ngày 04/10/2024 của UBND quận. Số 128 là giá trị mẫu "
              "(bản dự thảo gốc để trống số).")
    t2024 = [
        ops.TaskInput(
            title="Tuyên truyền chủ đề, mục đích, ý nghĩa Ngày Chuyển đổi số quốc gia, Ngày Chuyển đổi số thành phố",
            content="Chủ đề năm 2024: «Phổ cập hạ tầng số và sáng tạo ứng dụng số để phát triển kinh tế số - Động lực "
                    "mới cho tăng trưởng kinh tế và năng suất lao động». " + OFFICER_SET,
            start_date=date(2024, 10, 4), due_date=date(2024, 10, 10),
            indicators=[_ind("Số tin, bài", "tin, bài"), _ind("Số buổi phát thanh", "buổi")],
            lead_unit_ids=[centre], unit_ids=wards + offices),
        ops.TaskInput(
            title="Triển khai các nhiệm vụ được phân công tại Kế hoạch số 224/KH-UBND ngày 02/10/2024",
            content="Chủ động triển khai các nhiệm vụ được phân công tại Kế hoạch số 224/KH-UBND ngày 02/10/2024 của "
                    "UBND quận. " + OFFICER_SET,
            start_date=date(2024, 10, 4), due_date=date(2024, 10, 31), unit_ids=everyone),
        ops.TaskInput(
            title="Phát động thi đua hưởng ứng Ngày Chuyển đổi số và chương trình «Tháng 10 - Tháng tiêu dùng số»",
            content="Phát động phong trào thi đua hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024; phát động và tổ "
                    "chức chương trình «Tháng 10 - Tháng tiêu dùng số».",
            start_date=date(2024, 10, 1), due_date=date(2024, 10, 31),
            indicators=[_ind("Lượt người tham gia", "lượt người")], lead_unit_ids=[centre], unit_ids=wards),
        ops.TaskInput(
            title="Ra quân Tổ Công nghệ số cộng đồng, triển khai tuyến đường thanh toán trực tuyến",
            content="Tổ chức ra quân Tổ Công nghệ số cộng đồng và triển khai các tuyến đường thanh toán trực tuyến. "
                    + OFFICER_SET,
            start_date=date(2024, 10, 4), due_date=date(2024, 10, 20),
            indicators=[_ind("Số tuyến đường thanh toán trực tuyến", "tuyến")], unit_ids=wards),
        ops.TaskInput(
            title="Hiển thị bộ nhận diện Ngày Chuyển đổi số quốc gia năm 2024",
            content="Hiển thị bộ nhận diện trên Cổng thông tin điện tử, các bảng điện tử, màn hình công cộng, ứng dụng "
                    "di động, mạng xã hội của cơ quan, đơn vị từ ngày 01/10/2024 đến ngày 10/10/2024.",
            start_date=date(2024, 10, 1), due_date=date(2024, 10, 10), unit_ids=everyone),
        ops.TaskInput(
            title="Vận động cán bộ thay ảnh đại diện có khung hình Ngày Chuyển đổi số quốc gia",
            content="Khuyến khích cán bộ, công chức, viên chức và người lao động thay ảnh đại diện có kèm khung hình "
                    "nhận diện Ngày Chuyển đổi số quốc gia 10.10.2024 từ ngày 01/10/2024 đến hết ngày 10/10/2024.",
            start_date=date(2024, 10, 1), due_date=date(2024, 10, 10),
            indicators=[_ind("Số người thay ảnh đại diện", "người")], unit_ids=offices + wards + [centre]),
        ops.TaskInput(
            title="Tìm kiếm, tôn vinh tổ chức, cá nhân tiêu biểu trong triển khai chuyển đổi số",
            content="Tìm kiếm và tôn vinh các tổ chức, cá nhân tiêu biểu trong triển khai chuyển đổi số; gửi danh "
                    "sách đề xuất về Phòng Văn hóa và Thông tin. " + OFFICER_SET,
            start_date=date(2024, 10, 4), due_date=date(2024, 11, 15), unit_ids=wards + offices + [centre]),
    ]
    return [(d2022, t2022), (d2023, t2023), (d2024, t2024)]


_CONTENT = [
    "Đã triển khai đầy đủ nội dung; phát trên hệ thống truyền thanh và đăng tải trên trang thông tin điện tử.",
    "Đã ban hành kế hoạch thực hiện, phân công cán bộ phụ trách và tổ chức tuyên truyền tại các tổ dân phố.",
    "Đã thực hiện; treo băng rôn, khẩu hiệu tại trụ sở và các tuyến phố chính.",
    "Hoàn thành các nội dung được giao, lồng ghép trong sinh hoạt chi bộ, tổ dân phố.",
    "Đã thực hiện, có hình ảnh minh chứng kèm theo.",
]
_LATE_REASONS = [
    "Cán bộ phụ trách nghỉ ốm, chưa tổng hợp kịp.",
    "Chờ ý kiến chỉ đạo của lãnh đạo đơn vị.",
    "Trùng thời gian tổ chức sự kiện khác trên địa bàn.",
]


def _fill_results(session, today: date, rng: random.Random) -> None:
    assignments = session.execute(select(Assignment).order_by(Assignment.id)).scalars().all()
    tasks = {t.id: t for t in session.execute(select(Task)).scalars()}
    indicators: dict[int, list[Indicator]] = {}
    for ind in session.execute(select(Indicator).order_by(Indicator.sort_order)).scalars():
        indicators.setdefault(ind.task_id, []).append(ind)
    channels = [Channel.PAPER, Channel.EMAIL, Channel.ZALO, Channel.E_OFFICE, Channel.E_OFFICE, Channel.PHONE]
    overdue_for_reminder: list[int] = []
    for a in assignments:
        task = tasks[a.task_id]
        roll = rng.random()
        if task.kind == TaskKind.ONGOING.value:
            if roll < 0.3:
                _report(session, a, task, indicators, today - timedelta(days=rng.randint(5, 60)), None, rng,
                        channels, accept=False, today=today)
            continue
        due = a.due_date
        if due is None:
            continue
        start = task.start_date or (due - timedelta(days=14))
        if roll < 0.03:
            ops.set_state(session, a.id, AssignmentState.PAUSED.value, today)
            continue
        if roll < 0.05:
            ops.set_state(session, a.id, AssignmentState.CANCELLED.value, today)
            continue
        if roll < 0.10 and due < today + timedelta(days=20):
            new_due = due + timedelta(days=rng.choice([7, 10, 14]))
            ops.grant_extension(session, a.id, new_due, rng.choice(_LATE_REASONS),
                                f"Công văn số {rng.randint(100, 999)}/UBND-VHTT", granted_on=min(due, today))
            due = new_due
        # Fate of the rest: mostly on time, some late, some never reported.
        fate = rng.random()
        if fate < 0.62:
            done_on = start + timedelta(days=rng.randint(0, max(0, (due - start).days)))
        elif fate < 0.80:
            done_on = due + timedelta(days=rng.randint(1, 12))
        else:
            done_on = None
        begins = period_start(a.period)
        if done_on is not None and begins is not None and done_on < begins:
            done_on = begins  # a period's report cannot be done before the period (same random draws)
        if done_on is None or done_on > today:
            if due < today:
                overdue_for_reminder.append(a.id)
            elif rng.random() < 0.35:
                ops.set_state(session, a.id, AssignmentState.IN_PROGRESS.value, today)
            continue
        received = min(today, done_on + timedelta(days=rng.randint(0, 2)))
        # Recent reports wait for acceptance; one in ten older ones was returned for more.
        waiting = (today - received).days <= 3 and rng.random() < 0.6
        returned = not waiting and rng.random() < 0.06
        _report(session, a, task, indicators, received, done_on, rng, channels, accept=not waiting, today=today)
        if returned:
            ops.return_for_more(session, a.id, "Báo cáo chưa có số liệu cụ thể, đề nghị bổ sung.")
    # One reminder letter for the 2022 and 2023 overdue items, one phone round for the current ones.
    old = [aid for aid in overdue_for_reminder if session.get(Assignment, aid).due_date < today - timedelta(days=60)]
    if old:
        ops.log_reminder(session, old[:20], today - timedelta(days=30), ReminderMethod.LETTER.value,
                         letter_number="115/VHTT", note="Công văn đôn đốc báo cáo kết quả chuyển đổi số.")
    recent = [aid for aid in overdue_for_reminder if aid not in old]
    if recent:
        ops.log_reminder(session, recent[:10], today - timedelta(days=1), ReminderMethod.PHONE.value,
                         note="Gọi điện nhắc cán bộ văn hóa - xã hội.")


def _report(session, a, task, indicators, received, done_on, rng, channels, accept, today) -> None:
    figures: dict[int, object] = {}
    for ind in indicators.get(task.id, []):
        if ind.value_type == ValueType.TEXT.value:
            figures[ind.id] = "Đã thực hiện"
        elif "Lượt" in ind.name or "lượt" in ind.measure:
            figures[ind.id] = rng.randint(80, 1500)
        elif "người" in ind.measure:
            figures[ind.id] = rng.randint(5, 60)
        else:
            figures[ind.id] = rng.randint(1, 25)
    links = [f"https://ngoquyen.haiphong.gov.vn/tin-tuc/cds-{a.id}"] if rng.random() < 0.4 else []
    data = ops.ReportInput(
        received_on=received, completed_on=done_on, channel=rng.choice(channels).value,
        unit_doc_number=f"{rng.randint(10, 399)}/BC-UBND" if rng.random() < 0.7 else "",
        content=rng.choice(_CONTENT), figures=figures, links=links)
    ops.record_report(session, a.id, data, today=today, accept=accept)


def build_demo(db, today: date = DEMO_TODAY, seed: int = 2024) -> None:
    """Fill an empty database with the demo organisation, directives and results."""
    rng = random.Random(seed)
    with db.session(context="demo") as session:
        save_settings(session, Settings())
        org = _build_organisation(session)
        for directive, tasks in _directives(org):
            for t in tasks:
                if t.kind == TaskKind.PERIODIC.value:
                    t.recurrence_end = min(t.due_date or today, today)
            ops.create_directive(session, directive, tasks)
        session.flush()
        _fill_results(session, today, rng)
        session.flush()
        _date_the_history(session, today)


_OFFICE_OPENS = 8  # the history's entries of one day run from 08:00, a minute apart (local time)
_LOCAL = timezone(timedelta(hours=7))  # Việt Nam


def _date_the_history(session, today: date) -> None:
    """The change log of the demo as the story it tells, not the minute it was built: each entry on
    the day it happened (a report on the day it was received, an approval on its day, a directive's
    tasks on the day it was received, an extension or a reminder on its day), never after ``today``."""
    received = {d.id: d.received_on or d.issued_on or today for d in session.execute(select(Directive)).scalars()}
    first_day = min(received.values(), default=today)
    task_day = {tid: received.get(did, first_day) for tid, did in session.execute(select(Task.id, Task.directive_id))}
    assignment_day = {aid: task_day.get(tid, first_day)
                      for aid, tid in session.execute(select(Assignment.id, Assignment.task_id))}
    accepted = dict(session.execute(select(Assignment.id, Assignment.accepted_on)
                                    .where(Assignment.accepted_on.is_not(None))).all())
    report_day: dict[int, date] = {}
    latest_report: dict[int, date] = {}
    for rid, aid, day in session.execute(select(UnitReport.id, UnitReport.assignment_id, UnitReport.received_on)):
        report_day[rid] = day
        latest_report[aid] = max(day, latest_report.get(aid, day))
    children = {
        "report_figure": dict(session.execute(select(ReportFigure.id, ReportFigure.report_id)).all()),
        "evidence": dict(session.execute(select(Evidence.id, Evidence.report_id)).all()),
    }
    extension_day = dict(session.execute(select(Extension.id, Extension.granted_on)).all())
    reminder_day = dict(session.execute(select(Reminder.id, Reminder.sent_on)).all())
    item_day = {iid: reminder_day.get(rid, today)
                for iid, rid in session.execute(select(ReminderItem.id, ReminderItem.reminder_id))}

    def day_of(table: str, record: int | None, action: str, field: str, value: str | None) -> date:
        if table == "directive":
            return received.get(record, first_day)
        if table == "task":
            return task_day.get(record, first_day)
        if table == "assignment":
            if action == "insert":
                return assignment_day.get(record, first_day)
            if field == "accepted_on" and value:  # an approval, even one taken back later
                return date.fromisoformat(value[:10])
            if field in ("state", "accepted_on", "completed_on", "fixed_status") and record in accepted:
                return accepted[record]
            return latest_report.get(record, assignment_day.get(record, first_day))
        if table == "unit_report":
            return report_day.get(record, today)
        if table in children:
            return report_day.get(children[table].get(record), today)
        if table == "extension":
            return extension_day.get(record, today)
        if table == "reminder":
            return reminder_day.get(record, today)
        if table == "reminder_item":
            return item_day.get(record, today)
        return first_day  # the organisation, the settings, the indicators: set up before the first directive

    per_day: dict[date, int] = {}
    dated = []
    rows = session.execute(select(ChangeLog.id, ChangeLog.table_name, ChangeLog.record_id, ChangeLog.action,
                                  ChangeLog.field, ChangeLog.new_value)
                           .where(ChangeLog.context == "demo").order_by(ChangeLog.id))
    for cid, table, record, action, field, value in rows:
        day = min(day_of(table, record, action, field, value), today)
        minute = min(per_day.get(day, 0), 9 * 60 - 1)
        per_day[day] = minute + 1
        local = datetime(day.year, day.month, day.day, _OFFICE_OPENS, tzinfo=_LOCAL) + timedelta(minutes=minute)
        dated.append({"id": cid, "at": local.astimezone(timezone.utc)})
    if dated:
        session.execute(update(ChangeLog), dated)


def directive_numbers() -> list[str]:
    return ["2790/UBND-VHTT", "45/KH-UBND", "128/VHTT"]


__all__ = ["DEMO_TODAY", "build_demo", "directive_numbers", "Role"]
