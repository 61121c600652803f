"""``init``: a new database for an office from a preset (ward, district, city department) and its
own unit list; ``sap-xep``: the 1 July 2025 reorganisation from a mapping of old to new wards."""

from __future__ import annotations

from pathlib import Path

from desktop.cli import EXIT_FAILED, CliError, add_db_argument, open_db_or_fail, parse_day
from desktop.infra.fileio import remove_sqlite_files


def register(sub) -> None:
    p = sub.add_parser("init", help="tạo cơ sở dữ liệu mới cho cơ quan: mẫu cơ quan và danh sách đơn vị")
    add_db_argument(p, required=True)
    p.add_argument("--preset", required=True, choices=["phuong", "quan", "so"],
                   help="loại cơ quan: phuong = Phòng Văn hóa - Xã hội phường/xã (từ 01/7/2025), quan = Phòng Văn "
                        "hóa và Thông tin quận/huyện (trước 01/7/2025), so = Sở, cấp tỉnh/thành phố")
    p.add_argument("--ten", dest="place", default="",
                   help="tên phường/xã, quận hoặc thành phố, ví dụ «Gia Viên» (để trống: «…» trong tiêu đề văn bản)")
    p.add_argument("--units", help="danh sách đơn vị .xlsx hoặc .csv (cột Mã, Tên đơn vị, Nhóm; tùy chọn Người liên "
                                   "hệ, Điện thoại, Email, Tên khác)")
    p.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("sap-xep", help="sắp xếp đơn vị hành chính: sáp nhập phường cũ vào phường mới từ một ngày")
    add_db_argument(p, required=True)
    p.add_argument("--mapping", required=True, help="bảng chuyển đổi .csv hoặc .xlsx: cột «Đơn vị cũ» (mã hoặc tên), "
                                                    "«Đơn vị mới»")
    p.add_argument("--ngay", dest="on", type=parse_day, default=parse_day("2025-07-01"),
                   help="ngày có hiệu lực (mặc định 01/7/2025)")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    p.set_defaults(handler=cmd_reorganise)


def _remove_existing(target: str, force: bool) -> None:
    if "://" in target:
        return  # a server database: open_database refuses nothing here; init only adds to an empty one
    path = Path(target)
    if path.exists():
        if not force:
            raise CliError(f"Tệp «{path}» đã tồn tại; thêm --force để ghi đè.")
        remove_sqlite_files(path)


def cmd_init(args) -> int:
    from desktop.services.office_setup import contents, load_preset, set_up_office
    from desktop.workbooks.unit_list import UnitListError, read_unit_list

    preset = load_preset(args.preset)
    unit_list = None
    if args.units:  # read and checked before anything is written: a bad file leaves no database behind
        known_groups = [g.name for g in preset.groups]
        try:
            unit_list = read_unit_list(args.units, known_groups=known_groups)
        except UnitListError as exc:
            raise CliError(exc.message) from exc
        if not unit_list.good_rows:
            raise CliError(f"Tệp «{unit_list.file_name}» không có đơn vị nào hợp lệ; chưa tạo gì.")
    _remove_existing(args.db, args.force)
    db = open_db_or_fail(args.db, create=True)
    try:
        with db.session() as s:
            if not contents(s).empty:
                raise CliError("Cơ sở dữ liệu này đã có dữ liệu; «init» chỉ dùng cho cơ sở dữ liệu mới.", EXIT_FAILED)
        settings = preset.settings(args.place)
        with db.session(context="init") as s:
            # The office's own list replaces the preset's sample units (the city keeps its communes).
            counts = set_up_office(s, preset, settings, unit_list,
                                   include_preset_units=unit_list is None or preset.key == "so")
    finally:
        db.dispose()
    print(f"Đã tạo cơ sở dữ liệu tại «{args.db}»: {preset.label}.")
    print(f"Tiêu đề văn bản: {settings.parent_agency} / {settings.agency}.")
    if counts["preset_units"]:
        print(f"Đơn vị có sẵn của mẫu: {counts['preset_units']}.")
    if preset.source:
        print(f"Nguồn danh sách: {preset.source}")
    if unit_list is not None:
        print(f"Đã nhập {counts['imported']} đơn vị từ «{unit_list.file_name}»"
              + (f", tạo {counts['new_groups']} nhóm mới" if counts["new_groups"] else "") + ".")
        for row in unit_list.bad_rows:
            print(f"  Bỏ qua dòng {row.line}: {' '.join(row.errors)}")
    return 0


def cmd_reorganise(args) -> int:
    from desktop.services import reorganisation
    from desktop.services.operations import ValidationError
    from desktop.tracking.labels import fmt_date
    from desktop.workbooks.unit_list import UnitListError

    try:
        rows = reorganisation.read_mapping(args.mapping)
    except UnitListError as exc:
        raise CliError(exc.message) from exc
    db = open_db_or_fail(args.db)
    try:
        with db.session(context=f"sap-xep:{Path(args.mapping).name}") as s:
            the_plan = reorganisation.plan(s, rows, args.on)
            for step in the_plan.steps:
                if step.errors:
                    print(f"Dòng {step.line}: {' '.join(step.errors)}")
                else:
                    print(f"{step.old_name} → {step.new_name}: chuyển {step.moves} nhiệm vụ đang thực hiện, giữ lại "
                          f"{step.stays} nhiệm vụ của kỳ trước {fmt_date(args.on)}.")
            if the_plan.new_units:
                print(f"Đơn vị mới sẽ tạo: {', '.join(the_plan.new_units)}.")
            if not the_plan.ok:
                raise CliError("Bảng chuyển đổi còn lỗi; chưa sáp nhập đơn vị nào.")
            if args.dry_run:
                s.rollback()
                print("Chỉ xem trước: chưa ghi gì.")
                return 0
            try:
                done = reorganisation.apply(s, the_plan)
            except ValidationError as exc:
                raise CliError(exc.message) from exc
    finally:
        db.dispose()
    print(f"Đã sáp nhập {done['merged']} đơn vị cũ vào đơn vị mới từ ngày {fmt_date(args.on)} "
          f"(tạo {done['created']} đơn vị mới, chuyển {done['moved']} nhiệm vụ đang thực hiện).")
    return 0
