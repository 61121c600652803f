"""Files shipped with the program (icons, templates, seed data).

Found through this module's own ``__file__``, which is the same from the source tree, an
installed package and the PyInstaller bundle (there ``resources/`` is shipped as data beside the
frozen module), so no code looks at ``sys._MEIPASS`` or the current folder.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("app.png")``. Raises FileNotFoundError
    naming the file when it is missing (a broken installation, not a user error)."""
    path = RESOURCES_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"resource not found: {path}")
    return path
