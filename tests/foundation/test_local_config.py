"""The per-PC configuration: where the database is, who the officer is; precedence, damaged files,
passwords never shown."""

from __future__ import annotations

import json
import logging
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from db.models import ChangeLog
from desktop.infra import local_config, paths
from desktop.infra import startup as app
from desktop.infra.database import display_location, open_database
from desktop.infra.fileio import OutputError
from desktop.infra.local_config import LocalConfig, load_config, restore_password, save_config, split_password
from desktop.services import operations as ops
from desktop.services.settings import load_settings, save_settings

URL = "postgresql://nguoidung:matkhau@192.168.1.10:5432/theodoi"


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cau-hinh"
    monkeypatch.setenv("THEODOI_CONFIG_DIR", str(folder))
    return folder


def test_missing_file_gives_the_defaults(config_dir):
    assert not (config_dir / local_config.CONFIG_FILE_NAME).exists()
    assert load_config() == LocalConfig(database="", officer_name=None)


def test_round_trip_keeps_vietnamese_text(config_dir):
    saved = LocalConfig(database=r"D:\Dữ liệu\theodoi.db", officer_name="Nguyễn Thị Lan")
    path = save_config(saved)
    assert path == config_dir / "cau-hinh.json"
    assert load_config() == saved
    text = path.read_text(encoding="utf-8")
    assert "Nguyễn Thị Lan" in text  # readable by a person, not \\u escapes
    assert json.loads(text) == {"database": r"D:\Dữ liệu\theodoi.db", "officer_name": "Nguyễn Thị Lan"}
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0  # a URL may hold the password
    save_config(LocalConfig(database="  ", officer_name=""))
    assert load_config() == LocalConfig(database="", officer_name="")


def test_config_follows_the_data_folder_unless_named(tmp_path, monkeypatch):
    monkeypatch.delenv("THEODOI_CONFIG_DIR", raising=False)
    monkeypatch.setenv("THEODOI_DATA_DIR", str(tmp_path / "du-lieu"))
    assert local_config.config_path() == tmp_path / "du-lieu" / "cau-hinh.json"
    monkeypatch.setenv("THEODOI_CONFIG_DIR", str(tmp_path / "khac"))
    assert local_config.config_path() == tmp_path / "khac" / "cau-hinh.json"


@pytest.mark.parametrize("content", [
    b"{ not json",
    b"[1, 2, 3]",
    b"\xff\xfe\x00garbage",
    b"",
    b'{"database": 42, "officer_name": ["x"]}',
])
def test_damaged_file_gives_the_defaults_and_a_log_line(config_dir, caplog, content):
    config_dir.mkdir()
    (config_dir / "cau-hinh.json").write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="desktop.infra.local_config"):
        assert load_config() == LocalConfig()
        assert paths.default_database() == str(paths.default_database_file())
    assert caplog.records, "a damaged configuration must be logged"


def test_unreadable_file_gives_the_defaults(config_dir, caplog):
    (config_dir / "cau-hinh.json").mkdir(parents=True)  # a folder where the file should be
    with caplog.at_level(logging.WARNING, logger="desktop.infra.local_config"):
        assert load_config() == LocalConfig()
    assert "cannot read" in caplog.text


def test_one_good_key_survives_a_bad_one(config_dir):
    config_dir.mkdir()
    (config_dir / "cau-hinh.json").write_text('{"database": ["x"], "officer_name": " Lan "}', encoding="utf-8")
    assert load_config() == LocalConfig(database="", officer_name="Lan")


def test_unwritable_folder_raises_a_vietnamese_output_error(tmp_path, monkeypatch):
    blocker = tmp_path / "tep"
    blocker.write_text("x")
    monkeypatch.setenv("THEODOI_CONFIG_DIR", str(blocker / "con"))  # a file in the way of the folder
    with pytest.raises(OutputError) as info:
        save_config(LocalConfig(database="x.db"))
    assert "Không" in info.value.message


def test_database_precedence(tmp_path, config_dir, monkeypatch):
    default = str(paths.default_database_file())
    assert paths.database_and_source() == (default, "default")
    chosen = str(tmp_path / "chon" / "theodoi.db")
    save_config(LocalConfig(database=chosen))
    assert paths.database_and_source() == (chosen, "config")
    assert app.database_location(app.Options()) == chosen
    monkeypatch.setenv("THEODOI_DB", URL)
    assert paths.database_and_source() == (URL, "env")
    assert app.database_location(app.Options()) == URL
    given_db = str(tmp_path / "tham-so.db")
    assert app.database_location(app.Options(db=given_db)) == given_db
    monkeypatch.setenv("THEODOI_DB", "   ")  # an empty variable does not count
    assert paths.database_and_source() == (chosen, "config")


def test_open_database_without_location_uses_the_configured_one(tmp_path, config_dir):
    chosen = tmp_path / "chon" / "theodoi.db"
    save_config(LocalConfig(database=str(chosen)))
    database = open_database()
    try:
        assert database.location == str(chosen)
        assert chosen.exists()
    finally:
        database.dispose()


# ------------------------------------------------------------------ officer name


def test_change_log_names_the_officer_of_this_pc(tmp_path, config_dir):
    save_config(LocalConfig(officer_name="Trần Văn Hùng"))
    database = open_database(tmp_path / "a.db")
    try:
        assert database.user.startswith("Trần Văn Hùng (")
        with database.session() as s:
            unit = ops.add_unit(s, ops.UnitInput(code="P-MC", name="UBND phường Máy Chai"))
        with database.session() as s:
            who = s.execute(select(ChangeLog.os_user).where(ChangeLog.table_name == "unit",
                                                            ChangeLog.record_id == unit.id)).scalar_one()
        assert who == database.user
    finally:
        database.dispose()


def test_legacy_name_in_the_database_is_adopted_once(tmp_path, config_dir):
    first = open_database(tmp_path / "a.db")
    with first.session() as s:
        settings = load_settings(s)
        settings.officer_name = "Phạm Thu Hà"
        save_settings(s, settings)
    first.dispose()
    assert load_config().officer_name is None
    again = open_database(tmp_path / "a.db")
    again.dispose()
    assert again.user.startswith("Phạm Thu Hà (")
    assert load_config().officer_name == "Phạm Thu Hà"  # copied to this PC
    # From now on this PC's name counts, even when cleared, whatever the database says.
    save_config(LocalConfig(officer_name=""))
    third = open_database(tmp_path / "a.db")
    third.dispose()
    assert "Phạm Thu Hà" not in third.user


def test_officer_name_legacy_failure_is_not_fatal(config_dir):
    def broken() -> str:
        raise RuntimeError("no table")

    assert local_config.officer_name(legacy=broken) == ""
    assert local_config.officer_name() == ""
    assert load_config().officer_name is None  # nothing learnt, nothing stored


# ------------------------------------------------------------------ passwords


def test_split_and_restore_password():
    shown, password = split_password(URL)
    assert shown == "postgresql://nguoidung:***@192.168.1.10:5432/theodoi"
    assert password == "matkhau"
    assert restore_password(shown, password) == URL
    # the officer changed the host but not the password
    moved = restore_password(shown.replace("192.168.1.10", "192.168.1.20"), password)
    assert moved == URL.replace("192.168.1.10", "192.168.1.20")
    # a new password typed replaces the old one
    assert restore_password(URL.replace("matkhau", "moi"), password) == URL.replace("matkhau", "moi")
    # a file path, a URL without password, and a non-URL pass through untouched
    assert split_password(r"D:\Dữ liệu\theodoi.db") == (r"D:\Dữ liệu\theodoi.db", None)
    assert split_password("postgresql://theodoi@may-chu/theodoi") == ("postgresql://theodoi@may-chu/theodoi", None)
    assert restore_password(" D:\\a.db ", "x") == "D:\\a.db"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30))
def test_any_password_is_masked_and_restored(password):
    from urllib.parse import quote

    url = f"postgresql://theodoi:{quote(password, safe='')}@192.168.1.10:5432/theodoi"
    shown, kept = split_password(url)
    assert kept == password
    assert shown == "postgresql://theodoi:***@192.168.1.10:5432/theodoi"
    assert display_location(restore_password(shown, kept)) == display_location(url)
    from sqlalchemy.engine import make_url

    assert make_url(restore_password(shown, kept)).password == password


def test_command_line_uses_the_database_chosen_in_the_settings(config_dir, demo_db, monkeypatch, capsys):
    from desktop.cli import main as cli_main

    monkeypatch.delenv("THEODOI_DB", raising=False)
    assert cli_main(["status", "--json", "--today", "08/10/2024"]) == 2  # nothing chosen yet: --db is needed
    assert "--db" in capsys.readouterr().err
    save_config(LocalConfig(database=str(demo_db.location)))
    assert cli_main(["status", "--json", "--today", "08/10/2024"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["assigned"] == 345  # the demo's assignments, read from the chosen file
