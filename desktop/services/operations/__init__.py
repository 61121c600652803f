"""Use cases that change data. Each takes an open Session (one transaction, see
``Database.session``), validates its input and raises ``ValidationError`` with a Vietnamese message
before anything is written. They never touch Qt and return plain values.

Optimistic locking: callers that edit what they showed pass ``expected_version``; a mismatch
raises ``ConflictError`` so the user can reload instead of overwriting a colleague's change.

One module per subject: :mod:`.common` (errors, locking), :mod:`.units`, :mod:`.directives`,
:mod:`.results`, :mod:`.followup` (extensions, reminders); every use case is importable from here.
"""

from __future__ import annotations

from desktop.services.operations.common import (  # noqa: F401
    ConflictError,
    DuplicateDirectiveError,
    ValidationError,
    check_lengths,
    check_lengths_before_flush,
    check_version,
)
from desktop.services.operations.directives import (  # noqa: F401
    DirectiveInput,
    IndicatorInput,
    TaskInput,
    add_task,
    assign_units,
    create_directive,
    directive_label,
    find_duplicate_directive,
    remove_assignment,
    task_deadline,
    update_directive,
    validate_task,
)
from desktop.services.operations.followup import grant_extension, log_reminder  # noqa: F401
from desktop.services.operations.results import (  # noqa: F401
    MAX_FIGURE,
    ReportInput,
    accept_result,
    approval_gaps,
    check_completion_date,
    parse_figure,
    parse_number,
    record_report,
    return_for_more,
    set_state,
    unaccept_result,
    validate_report,
)
from desktop.services.operations.units import (  # noqa: F401
    UnitInput,
    add_unit,
    archive_unit,
    group_members,
    merge_units,
    restore_unit,
    update_unit,
)
