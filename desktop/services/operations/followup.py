"""Use cases that chase a result: a deadline extended (the deadline in force becomes the extension's),
a reminder sent to units (phone, letter, …)."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Assignment, Extension, Reminder, ReminderItem, ReminderMethod
from desktop.services.operations.common import ValidationError, _get, _require, _text


def grant_extension(session: Session, assignment_id: int, new_due: date, reason: str, approving_doc: str,
                    granted_on: date) -> Extension:
    a = _get(session, Assignment, assignment_id, "giao nhiệm vụ")
    latest = session.execute(select(Extension).where(Extension.assignment_id == a.id)
                             .order_by(Extension.id.desc())).scalars().first()
    old_due = latest.new_due if latest else a.due_date
    if new_due is None:
        raise ValidationError("Cần nhập hạn mới.", "new_due")
    if old_due is not None and new_due <= old_due:
        raise ValidationError(f"Hạn mới phải sau hạn hiện tại ({old_due:%d/%m/%Y}).", "new_due")
    reason = _require(reason, "Lý do gia hạn", "reason")
    ext = Extension(assignment_id=a.id, old_due=old_due, new_due=new_due, reason=reason,
                    approving_doc=_text(approving_doc), granted_on=granted_on)
    session.add(ext)
    session.flush()
    return ext


def log_reminder(session: Session, assignment_ids: Iterable[int], sent_on: date,
                 method: str = ReminderMethod.PHONE.value, letter_number: str = "", note: str = "",
                 file_path: str = "") -> Reminder:
    ids = sorted(set(assignment_ids))
    if not ids:
        raise ValidationError("Chưa chọn nhiệm vụ nào để đôn đốc.")
    if method not in {m.value for m in ReminderMethod}:
        raise ValidationError("Hình thức đôn đốc không hợp lệ.", "method")
    found = set(session.execute(select(Assignment.id).where(Assignment.id.in_(ids))).scalars())
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(f"Không tìm thấy giao nhiệm vụ {missing[:5]}.")
    reminder = Reminder(sent_on=sent_on, method=method, letter_number=_text(letter_number), note=_text(note),
                        file_path=file_path)
    session.add(reminder)
    session.flush()
    for aid in ids:
        session.add(ReminderItem(reminder_id=reminder.id, assignment_id=aid))
    session.flush()
    return reminder
