"""Reads of the tracking board for the main window, each in its own short session."""

from __future__ import annotations

from datetime import date

from desktop.services import office_setup
from desktop.tracking import board


def directive_list(db) -> list:
    """(id, number, title, issued on) of every directive, for the directive filter."""
    with db.session() as s:
        return board.directive_list(s)


def assignment_lines(db, task_id: int, period, scope, today: date, due_soon_days: int) -> list:
    """The units given one task (one period of it), as the assignment table shows them."""
    with db.session() as s:
        return board.assignment_lines(s, task_id, period, scope, today, due_soon_days)


def unit_history(db, unit_id: int, today: date, due_soon_days: int) -> list:
    """Everything one unit was given, tracked, for its «Phiếu theo dõi»."""
    with db.session() as s:
        return board.unit_history(s, unit_id, today, due_soon_days)


def office_contents(db):
    """What the office has entered so far (units, directives, results), for the empty-state bar."""
    with db.session() as s:
        return office_setup.contents(s)
