"""The Qt layer: main window, item models, views, dialogs. The only package that imports PySide6.

Importing it applies :func:`shield_singletons` (see there) before any Qt call is made.
"""

from __future__ import annotations

import sys

# Far more references than any session can lose (each lost reference is one Qt call).
_SHIELD = 1 << 40


def shield_singletons() -> bool:
    """Work around a reference-count bug of PySide6 6.12 on Python 3.10/3.11.

    With PySide6-Essentials 6.12.0 on Python 3.11, every call of a method returning ``void``
    (``label.setText``, ``app.processEvents`` ...) or an invalid QVariant (``combo.currentData()``
    without data) drops one reference to ``None``, and every ``signal.emit()`` one to ``True`` or
    ``False`` (measured here: -1.0 per call; PySide6 6.11.2 loses none). ``None`` starts with a few
    thousand references, so the program aborts with "Fatal Python error: none_dealloc" after a few
    minutes of use. Python 3.12 made these singletons immortal (PEP 683), so the bug is harmless
    there; on older Pythons we give them the same protection by raising their reference count once.
    They are statically allocated and never freed anyway, so nothing else changes.

    Returns True when the shield was applied. The proper fix is PySide6 < 6.12 or Python >= 3.12.
    """
    if sys.version_info >= (3, 12):
        return False
    try:
        import PySide6
    except ImportError:
        return False
    if not PySide6.__version__.startswith("6.12."):
        return False
    import ctypes

    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _SHIELD:
            refcount.value += _SHIELD
    return True


SINGLETONS_SHIELDED = shield_singletons()
