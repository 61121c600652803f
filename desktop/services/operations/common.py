"""Errors of the use cases (Vietnamese messages), length checks before a flush, optimistic locking
and the lookups the use cases share."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from db.models import (
    ChangeLog,
)
from db.textkey import nfc


class ValidationError(ValueError):
    """Bad input; ``message`` is Vietnamese and shown to the user as is."""

    def __init__(self, message: str, field_name: str = ""):
        super().__init__(message)
        self.message = message
        self.field_name = field_name


class DuplicateDirectiveError(ValidationError):
    """The directive is already registered; ``existing_id`` is the first one, to open it."""

    def __init__(self, message: str, existing_id: int):
        super().__init__(message, "number")
        self.existing_id = existing_id


class ConflictError(RuntimeError):
    """Someone else saved the record since it was loaded."""

    def __init__(self, message: str = "Bản ghi đã được người khác sửa sau khi anh/chị mở. "
                 "Dữ liệu mới nhất đã được tải lại; vui lòng kiểm tra và nhập lại thay đổi."):
        super().__init__(message)
        self.message = message


def _text(value: str | None) -> str:
    return (nfc(value) or "").strip()


def _require(value: str, label: str, field_name: str) -> str:
    cleaned = _text(value)
    if not cleaned:
        raise ValidationError(f"{label} không được để trống.", field_name)
    return cleaned


_FIELD_LABELS = {
    "code": "Mã", "name": "Tên", "short_name": "Tên viết tắt", "contact_person": "Người liên hệ",
    "phone": "Điện thoại", "email": "E-mail", "aliases": "Tên gọi khác", "number": "Số ký hiệu",
    "issuer": "Cơ quan ban hành", "title": "Tên, trích yếu", "measure": "Đơn vị tính",
    "unit_doc_number": "Số văn bản của đơn vị", "approving_doc": "Văn bản cho phép gia hạn",
    "letter_number": "Số công văn", "target": "Tệp, đường dẫn", "label": "Tên tệp",
}


def check_lengths(obj) -> None:
    """Refuse text longer than its column allows (PostgreSQL would fail at commit; SQLite
    would silently keep it)."""
    for column in obj.__table__.columns:
        limit = getattr(column.type, "length", None)
        value = getattr(obj, column.key, None)
        if limit and isinstance(value, str) and len(value) > limit:
            label = _FIELD_LABELS.get(column.key, column.key)
            raise ValidationError(f"{label} quá dài: {len(value)} ký tự, tối đa {limit}.", column.key)


def check_lengths_before_flush(session: Session, _ctx, _instances) -> None:
    """Session hook (installed by desktop.infra.database): every new or changed record is checked."""
    for obj in list(session.new) + list(session.dirty):
        if hasattr(obj, "__table__"):
            check_lengths(obj)


def check_version(obj, expected_version: int | None, what: str) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(_conflict_message(obj, what))


def _conflict_message(obj, what: str) -> str:
    """Names who saved the record last (from the change log), so officers can talk it over."""
    who = ""
    session = object_session(obj)
    if session is not None and getattr(obj, "id", None) is not None:
        last = session.execute(
            select(ChangeLog.os_user, ChangeLog.at)
            .where(ChangeLog.table_name == obj.__tablename__, ChangeLog.record_id == obj.id)
            .order_by(ChangeLog.id.desc()).limit(1)).first()
        if last is not None and last.os_user:
            at = last.at.astimezone() if last.at.tzinfo else last.at
            who = f" bởi {last.os_user} lúc {at:%H:%M} ngày {at:%d/%m/%Y}"
    return (f"Thông tin {what} đã được sửa{who} sau khi anh/chị mở. Dữ liệu mới nhất đã được tải lại; "
            "vui lòng kiểm tra và nhập lại thay đổi.")


def _get(session: Session, model, ident: int, what: str):
    obj = session.get(model, ident)
    if obj is None:
        raise ValidationError(f"Không tìm thấy {what} (mã {ident}).")
    return obj
