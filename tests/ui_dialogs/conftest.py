"""Fixtures for the editing dialogs: no modal box ever opens, UI settings go to tmp_path."""

from __future__ import annotations

import pytest
from qt_messages import Messages, install_messages, settings_in
from screen_fit import open_dialogs, too_big

from desktop.ui import common


@pytest.fixture
def messages(monkeypatch) -> Messages:
    return install_messages(monkeypatch, common.SaveChoice.DISCARD)


@pytest.fixture(autouse=True)
def _ui_settings_in_tmp(tmp_path):
    settings_in(tmp_path / "qsettings")
    yield


@pytest.fixture(autouse=True)
def _dialogs_fit_the_screen(qtbot):
    """Every dialog a test leaves open (most tests keep theirs until qtbot closes them) must fit a
    1366×768 screen with its taskbar; checked before qtbot closes them."""
    yield
    assert not too_big(open_dialogs())
