"""Application settings stored in the database: every key declared once, with its default.

Agency names, the place name, the signer and document symbols are data, not constants: the
organisation is renamed and merged over time (see product.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Setting


@dataclass
class Settings:
    parent_agency: str = "UBND QUẬN NGÔ QUYỀN"  # cơ quan chủ quản, in hoa
    agency: str = "PHÒNG VĂN HÓA VÀ THÔNG TIN"  # cơ quan ban hành, in hoa
    agency_name: str = "Phòng Văn hóa và Thông tin"  # in body text
    agency_abbrev: str = "VHTT"  # ký hiệu of the agency
    place_name: str = "Ngô Quyền"  # địa danh in "Ngô Quyền, ngày ..."
    superior_name: str = "Ủy ban nhân dân quận Ngô Quyền"  # Kính gửi for upward reports
    signer_name: str = "Nguyễn Hồng Đại"
    signer_title: str = "PHÓ TRƯỞNG PHÒNG"
    signer_authority: str = "KT. TRƯỞNG PHÒNG"  # empty when the head signs
    drafter_abbrev: str = "VHTT"  # in "Lưu: VT, VHTT."
    report_symbol: str = "BC-VHTT"
    letter_symbol: str = "VHTT"
    due_soon_days: int = 3
    backup_keep: int = 10
    # Legacy: the officer's name is now per PC (desktop.local_config). Kept so that the value
    # older versions stored is read once as the name's fallback and is never overwritten.
    officer_name: str = ""

    @classmethod
    def keys(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def load_settings(session: Session) -> Settings:
    stored = {s.key: s.value for s in session.execute(select(Setting)).scalars()}
    result = Settings()
    for f in fields(Settings):
        if f.name in stored:
            raw = stored[f.name]
            try:
                value = int(raw) if f.type in ("int", int) else raw
            except ValueError:
                continue  # a damaged value falls back to the default
            setattr(result, f.name, value)
    return result


def save_settings(session: Session, settings: Settings) -> None:
    existing = {s.key: s for s in session.execute(select(Setting)).scalars()}
    for f in fields(Settings):
        value = str(getattr(settings, f.name))
        row = existing.get(f.name)
        if row is None:
            session.add(Setting(key=f.name, value=value))
        elif row.value != value:
            row.value = value
