"""Entry point: no argument (or a GUI option) opens the window; a subcommand runs the command line.

GUI options: ``--db PATH``, ``--today D``, ``--demo``, ``--self-test``. A single ``.db`` path (a
database file opened from Explorer) opens it in the window.
"""

from __future__ import annotations

import sys

GUI_OPTIONS = ("--db", "--today", "--demo", "--self-test")


def is_gui_call(args: list[str]) -> bool:
    if not args:
        return True
    first = args[0].partition("=")[0]
    if first in GUI_OPTIONS:
        return True
    return len(args) == 1 and args[0].lower().endswith(".db") and not args[0].startswith("-")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if is_gui_call(args):
        from desktop.ui.app import run_gui

        if len(args) == 1 and not args[0].startswith("-"):
            args = ["--db", args[0]]
        return run_gui(args)
    from desktop.cli import main as cli_main
    from desktop.infra.startup import guard_streams

    guard_streams()  # the command line started from the windowed build has no console
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
