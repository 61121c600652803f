"""Two officers on one database saving Cài đặt: neither silently undoes the other (issue 12, item 5)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from alembic import command
from sqlalchemy import inspect, select

from db.engine import make_engine
from db.migrate import SCHEMA_HEAD, alembic_config, current_revision, upgrade
from db.models import Setting
from desktop.infra.database import open_database
from desktop.services import editing
from desktop.services.operations import ConflictError
from desktop.services.settings import Settings, load_settings, save_settings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_officers(request, tmp_path):
    path = tmp_path / "chung.db" if request.param == "sqlite" else request.getfixturevalue("pg_db").location
    first = open_database(path, user="Nguyễn Văn An (an)")
    with first.session() as s:
        save_settings(s, Settings())
    second = open_database(path, user="Trần Thị Bình (binh)")
    yield first, second
    first.dispose()
    second.dispose()


def test_different_fields_are_both_kept(two_officers):
    a, b = two_officers
    base_a, base_b = a.settings(), b.settings()
    with a.session() as s:
        editing.save_checked_settings(s, replace(base_a, signer_name="Lê Văn Cường"), base=base_a)
    with b.session() as s:
        editing.save_checked_settings(s, replace(base_b, place_name="Hải An"), base=base_b)
    after = a.settings()
    assert after.signer_name == "Lê Văn Cường"  # B's save did not undo A's change
    assert after.place_name == "Hải An"


def test_the_same_field_refuses_the_second_and_says_who_changed_what(two_officers):
    a, b = two_officers
    base_a, base_b = a.settings(), b.settings()
    with a.session() as s:
        editing.save_checked_settings(s, replace(base_a, signer_name="Lê Văn Cường"), base=base_a)
    with pytest.raises(ConflictError) as caught:
        with b.session() as s:
            editing.save_checked_settings(s, replace(base_b, signer_name="Phạm Thị Dung", place_name="Hải An"),
                                          base=base_b)
    message = caught.value.message
    assert "Người ký" in message and "Lê Văn Cường" in message and "Nguyễn Văn An" in message
    after = a.settings()
    assert after.signer_name == "Lê Văn Cường" and after.place_name == Settings().place_name  # nothing of B saved
    with b.session() as s:
        row = s.get(Setting, "signer_name")
        assert row.changed_by == "Nguyễn Văn An (an)" and row.changed_at is not None and row.version == 2


def test_the_row_version_catches_a_save_between_read_and_write(two_officers):
    """The field check and the write are not atomic: the version column closes the gap."""
    a, b = two_officers
    with pytest.raises(ConflictError):
        with b.session() as s:
            rows = {r.key: r for r in s.execute(select(Setting)).scalars()}
            s.commit()  # B's rows stay loaded (version 1) while A saves
            with a.session() as other:
                editing.save_checked_settings(other, replace(a.settings(), signer_name="Lê Văn Cường"),
                                              base=a.settings())
            rows["signer_name"].value = "Phạm Thị Dung"  # UPDATE ... WHERE version = 1 finds no row
    assert a.settings().signer_name == "Lê Văn Cường"


def test_settings_dialog_tells_the_loser(qtbot, two_officers, monkeypatch):
    from desktop.ui import common
    from desktop.ui.dialogs.settings_dialog import SettingsDialog

    a, b = two_officers
    warned: list[str] = []
    monkeypatch.setattr(common, "warn", lambda parent, text, *args, **kw: warned.append(text))
    dialog = SettingsDialog(b)
    qtbot.addWidget(dialog)
    with a.session() as s:
        editing.save_checked_settings(s, replace(a.settings(), signer_name="Lê Văn Cường"), base=a.settings())
    dialog.edits["signer_name"].setText("Phạm Thị Dung")
    dialog.edits["place_name"].setText("Hải An")
    assert dialog.save() is False
    assert warned and "Người ký" in warned[-1] and "Nguyễn Văn An" in warned[-1] and "Lê Văn Cường" in warned[-1]
    assert b.settings().signer_name == "Lê Văn Cường"
    assert dialog.edits["signer_name"].text() == "Lê Văn Cường"  # reloaded with the newer data


# ------------------------------------------------------------------ migration 0008


def test_fresh_database_has_the_settings_version(tmp_path):
    engine = make_engine(tmp_path / "moi.db")
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_HEAD == "0009"
    columns = {c["name"] for c in inspect(engine).get_columns("setting")}
    assert {"version", "changed_by", "changed_at"} <= columns
    engine.dispose()


def test_a_0007_database_keeps_its_settings(tmp_path):
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute("insert into setting (key, value) values ('signer_name', 'Nguyễn Hồng Đại'), ('due_soon_days', '5')")
    raw.commit()
    raw.close()
    db = open_database(path, user="an")
    try:
        assert current_revision(db.engine) == SCHEMA_HEAD
        settings = db.settings()
        assert settings.signer_name == "Nguyễn Hồng Đại" and settings.due_soon_days == 5
        with db.session() as s:
            assert {r.key: r.version for r in s.execute(select(Setting)).scalars()} == \
                {"signer_name": 1, "due_soon_days": 1}
        base = db.settings()
        with db.session() as s:
            editing.save_checked_settings(s, replace(base, due_soon_days=7), base=base)
        with db.session() as s:
            assert load_settings(s).due_soon_days == 7 and s.get(Setting, "due_soon_days").version == 2
    finally:
        db.dispose()
