"""Reading a directive (Qt-free): text extraction, cleaning, header fields, task segmentation,
unit matching, roles and dates. Entry point: ``read_directive``."""

from desktop.intake.extract import IntakeError
from desktop.intake.model import DirectiveProposal, ProposedAssignment, TaskProposal
from desktop.intake.reader import read_directive
from desktop.intake.units import UnitRef, load_default_units, units_from_session

__all__ = [
    "DirectiveProposal",
    "IntakeError",
    "ProposedAssignment",
    "TaskProposal",
    "UnitRef",
    "load_default_units",
    "read_directive",
    "units_from_session",
]
