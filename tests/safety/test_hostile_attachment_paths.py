"""Stored attachment paths are data from the database, not trusted: only a file inside the
attachments folder is ever opened (issue 12, item 6)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.infra import attachments, paths


@pytest.fixture
def database(tmp_path):
    db_file = tmp_path / "data" / "theodoi.db"
    db_file.parent.mkdir()
    db_file.write_bytes(b"")
    inside = db_file.parent / paths.ATTACHMENTS_FOLDER / "minh-chung" / "2024-10"
    inside.mkdir(parents=True)
    (inside / "bao-cao.pdf").write_bytes(b"%PDF-1.4")
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu")
    return str(db_file), secret


HOSTILE = [
    "/etc/passwd",
    "..\\..\\secret.txt",
    "../../secret.txt",
    "tep-dinh-kem/../../secret.txt",
    "tep-dinh-kem/minh-chung/../../../secret.txt",
    "\\\\host\\share\\x.exe",
    "//host/share/x.exe",
    "C:\\Windows\\System32\\calc.exe",
    "C:secret.txt",
]


@pytest.mark.parametrize("stored", HOSTILE)
def test_a_path_outside_the_attachments_folder_is_never_found(database, stored):
    location, _secret = database
    assert attachments.find(location, stored) is None
    for candidate in attachments.locations(location, stored):
        assert attachments.is_inside_attachments(location, candidate)
    message = attachments.missing_message(location, stored)
    assert "ngoài thư mục tệp đính kèm" in message


def test_the_absolute_path_of_a_real_secret_file_is_refused(database):
    location, secret = database
    assert secret.is_file()
    assert attachments.find(location, str(secret)) is None
    assert attachments.find(location, str(secret).replace("/", "\\")) is None


def test_a_link_inside_the_folder_to_a_file_outside_is_refused(database):
    location, secret = database
    link = Path(location).parent / paths.ATTACHMENTS_FOLDER / "minh-chung" / "lien-ket.txt"
    os.symlink(secret, link)
    assert attachments.find(location, "tep-dinh-kem/minh-chung/lien-ket.txt") is None


def test_files_inside_are_still_found(database):
    location, _secret = database
    inside = Path(location).parent / paths.ATTACHMENTS_FOLDER / "minh-chung" / "2024-10" / "bao-cao.pdf"
    assert attachments.find(location, "tep-dinh-kem/minh-chung/2024-10/bao-cao.pdf") == inside.resolve()
    assert attachments.find(location, "minh-chung/2024-10/bao-cao.pdf") == inside.resolve()  # older rows
    assert attachments.find(location, "tep-dinh-kem\\minh-chung\\2024-10\\bao-cao.pdf") == inside.resolve()
    assert attachments.find(location, str(inside)) == inside.resolve()  # an absolute path inside the folder
