"""Editing dialogs: units, directives with their tasks, extensions, reminders, settings.

Each is a QDialog whose ``exec()`` returns Accepted only when it saved something; every save
runs through ``desktop.services.operations`` in one transaction on the writer thread (``EditDialog.run_save``).
"""

from desktop.ui.dialogs.directive import DirectiveDialog
from desktop.ui.dialogs.extension import ExtensionDialog
from desktop.ui.dialogs.reminder import ReminderDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.units import UnitsDialog

__all__ = ["DirectiveDialog", "ExtensionDialog", "ReminderDialog", "SettingsDialog", "UnitsDialog"]
