"""The errors a service may raise, in one place (re-exported, not copied).

``ValidationError`` carries a Vietnamese ``message`` and the ``field_name`` to mark;
``ConflictError`` means someone else saved first; ``OutputError`` a file could not be written.
"""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from desktop.infra.fileio import OutputError
from desktop.services.operations import ConflictError, DuplicateDirectiveError, ValidationError, check_lengths

__all__ = ["ConflictError", "DuplicateDirectiveError", "OutputError", "StaleDataError", "ValidationError",
           "check_lengths"]
