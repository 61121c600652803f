"""Entry point: no argument opens the window; a subcommand runs the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0].startswith("--") and args[0] in ("--db", "--today", "--demo", "--self-test"):
        from desktop.app import run_gui

        return run_gui(args)
    from desktop.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
