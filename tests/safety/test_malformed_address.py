"""A malformed database address is refused clearly, creates nothing and never echoes the
password (issue 12 §4, malformed addresses)."""

from __future__ import annotations

import os

import pytest

from desktop.cli import main as cli_main
from desktop.infra.database import DatabaseOpenError, check_address, open_database

PASSWORD = "MatKhau-Sai-42"


@pytest.mark.parametrize("address, words", [
    (f"postgres//canbo:{PASSWORD}@may-chu/theodoi", "thiếu dấu «:»"),
    (f"postgresql//canbo:{PASSWORD}@may-chu/theodoi", "thiếu dấu «:»"),
    (f"postgresql:/canbo:{PASSWORD}@may-chu/theodoi", "postgresql://"),
    (f"postgresql://canbo:{PASSWORD}@may-chu:cong/theodoi", "cổng"),
    (f"postgresql://canbo:{PASSWORD}@may-chu:99999/theodoi", "cổng"),
    (f"mysql://canbo:{PASSWORD}@may-chu/theodoi", "PostgreSQL"),
    (f"postgresql://canbo:{PASSWORD}@/theodoi", "máy chủ"),
])
def test_transfer_to_a_malformed_address_is_refused_and_creates_nothing(tmp_path, monkeypatch, capsys, address,
                                                                        words, demo_db):
    monkeypatch.chdir(tmp_path)
    before = sorted(os.listdir(tmp_path))
    code = cli_main(["chuyen-du-lieu", "--from", demo_db.location, "--to", address])
    out = capsys.readouterr()
    assert code != 0
    assert words in out.err, out.err
    assert PASSWORD not in out.out + out.err
    assert "Traceback" not in out.err and "ValueError" not in out.err
    assert sorted(os.listdir(tmp_path)) == before  # no folder "postgres/" made of the address


def test_open_database_refuses_a_malformed_address_before_touching_the_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(f"postgres//canbo:{PASSWORD}@may-chu/theodoi")
    assert PASSWORD not in caught.value.message
    assert os.listdir(tmp_path) == []


def test_good_addresses_and_files_pass(tmp_path):
    for address in ("postgresql://canbo:pw@192.168.1.10:5432/theodoi", "postgres://canbo@may-chu/theodoi",
                    "postgresql+psycopg://u:p@h/db", str(tmp_path / "Dữ liệu" / "theodoi.db"), "theodoi.db",
                    r"C:\Dữ liệu\theodoi.db", r"\\MAYCHU\chung\theodoi.db", "sqlite:///" + str(tmp_path / "a.db")):
        check_address(address)
