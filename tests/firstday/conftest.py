"""No modal box ever blocks; UI settings go to tmp_path."""

from __future__ import annotations

import pytest
from qt_messages import Messages, install_messages, settings_in

from desktop.ui import common


@pytest.fixture
def messages(monkeypatch) -> Messages:
    return install_messages(monkeypatch, common.SaveChoice.DISCARD)


@pytest.fixture
def ui_settings(tmp_path):
    settings_in(tmp_path / "qsettings")
    yield
