"""Use cases between the widgets and the database: Qt-free.

A widget collects plain values and calls one function here; the function opens the session,
applies ``desktop.services.operations`` and returns plain data (or raises the errors of
:mod:`desktop.services.errors`). Nothing here imports PySide6 (checked by import-linter).
"""
