"""The office screen the UI must fit: 1366×768 with a 40-pixel taskbar leaves 1366×728.

The tests run on an offscreen screen of 1366×768 (tests/conftest.py); a window's client area must
also leave room for its title bar, so every window is checked against 1366×728."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QWidget

OFFICE_WIDTH, OFFICE_HEIGHT = 1366, 728


def opening_size(widget: QWidget) -> tuple[int, int]:
    """The size ``widget`` has, or would open at when shown: never below its layout's minimum."""
    minimum = widget.minimumSizeHint()
    return max(widget.width(), minimum.width()), max(widget.height(), minimum.height())


def too_big(widgets) -> list[str]:
    """``"name: w×h"`` for each widget that does not fit the office screen."""
    found = []
    for widget in widgets:
        width, height = opening_size(widget)
        if width > OFFICE_WIDTH or height > OFFICE_HEIGHT:
            found.append(f"{type(widget).__name__} «{widget.windowTitle()}»: {width}×{height}")
    return found


def open_dialogs() -> list[QDialog]:
    """The dialogs on screen now."""
    app = QApplication.instance()
    return [w for w in app.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()] if app else []
