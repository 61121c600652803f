"""Qt-free reads for the editing dialogs: plain rows, now kept in :mod:`desktop.services`.

Re-exported here so the dialogs (and their tests) keep one short import.
"""

from __future__ import annotations

from desktop.services.directives import (
    DirectiveDraft,
    IndicatorDraft,
    TaskDraft,
    known_issuers,
    load_directive,
)
from desktop.services.extensions import ExtensionRow, assignment_row, extensions_of
from desktop.services.reminders import reminder_counts
from desktop.services.units import (
    OPEN_STATES,
    NameChange,
    UnitRow,
    dry_run,
    load_units,
    name_history,
    open_assignment_count,
)

__all__ = ["OPEN_STATES", "DirectiveDraft", "ExtensionRow", "IndicatorDraft", "NameChange", "TaskDraft", "UnitRow",
           "assignment_row", "dry_run", "extensions_of", "known_issuers", "load_directive", "load_units",
           "name_history", "open_assignment_count", "reminder_counts"]
