"""Editing dialogs: units, directives with their tasks, extensions, reminders, settings.

Each is a QDialog whose ``exec()`` returns Accepted only when it saved something; every save
runs through ``desktop.operations`` in one ``db.session()`` transaction.
"""

from desktop.ui.dialogs.directive import DirectiveDialog
from desktop.ui.dialogs.units import UnitsDialog

__all__ = ["DirectiveDialog", "UnitsDialog"]
