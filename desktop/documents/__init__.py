"""Word documents in the official form (Nghị định 30/2020/NĐ-CP): the report and the reminder letter.

Qt-free; the UI runs ``build_report`` / ``build_reminder`` off the GUI thread.
"""

from desktop.documents.reminder import ReminderResult, build_reminder, issue_reminder
from desktop.documents.report import ReportResult, build_report
from desktop.documents.text import DRAFT, DocumentError, Issue

__all__ = ["DRAFT", "DocumentError", "Issue", "ReminderResult", "ReportResult", "build_reminder", "build_report",
           "issue_reminder"]
