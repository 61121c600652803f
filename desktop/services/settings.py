"""Application settings stored in the database: every key declared once, with its default.

Agency names, the place name, the signer and document symbols are data, not constants: the
organisation is renamed and merged over time (see product.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timezone

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
    # Legacy: the officer's name is now per PC (desktop.infra.local_config). Kept so that the value
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


@dataclass
class SettingConflict:
    """A key this save would change that someone else changed since ``base`` was loaded."""

    key: str
    theirs: str  # the value now stored
    mine: str  # the value this save wanted
    changed_by: str
    changed_at: datetime | None


class SettingsChangedError(Exception):
    """Someone else saved the same settings since they were loaded; nothing was written."""

    def __init__(self, conflicts: list[SettingConflict]):
        super().__init__(", ".join(c.key for c in conflicts))
        self.conflicts = conflicts


def save_settings(session: Session, settings: Settings, base: Settings | None = None) -> list[str]:
    """Store ``settings``; the keys written.

    ``base``: the settings as they were loaded before the officer edited them. Then only the keys
    the officer changed are written (another officer's change to any other key stays), and when
    one of them was changed by someone else since ``base`` (its stored value is no longer the
    loaded one), nothing is written and ``SettingsChangedError`` names them. Each row also carries
    a version column, so a save racing between this check and the commit is refused by the
    database (``StaleDataError``). Without ``base`` every key is written (a new database, a preset)."""
    existing = {s.key: s for s in session.execute(select(Setting)).scalars()}
    defaults = Settings()
    user = str(session.info.get("user", ""))[:120]
    wanted: dict[str, str] = {}
    conflicts: list[SettingConflict] = []
    for f in fields(Settings):
        value = str(getattr(settings, f.name))
        if base is not None:
            loaded = str(getattr(base, f.name))
            if value == loaded:
                continue
            row = existing.get(f.name)
            stored = row.value if row is not None else str(getattr(defaults, f.name))
            if stored != loaded and stored != value:
                conflicts.append(SettingConflict(f.name, stored, value, row.changed_by if row else "",
                                                 row.changed_at if row else None))
                continue
        wanted[f.name] = value
    if conflicts:
        raise SettingsChangedError(conflicts)
    now = datetime.now(timezone.utc)
    for key, value in wanted.items():
        row = existing.get(key)
        if row is None:
            session.add(Setting(key=key, value=value, changed_by=user, changed_at=now))
        elif row.value != value:
            row.value, row.changed_by, row.changed_at = value, user, now
    session.flush()  # a stale row version or a key inserted meanwhile fails here, inside the transaction
    return list(wanted)
