"""Build the one-folder bundle with PyInstaller from build.spec and run the frozen program's
``--self-test`` offscreen (slow: several minutes). On Linux this proves the spec, the data files
(migrations, resources, python-docx templates), the hidden imports and the Qt plugins; the
Windows build itself is made by .github/workflows/windows.yml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="pip install -e .[build]")
    work = tmp_path_factory.mktemp("pyinstaller")
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(ROOT / "build.spec")],
        capture_output=True, text=True, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr[-4000:]
    folder = work / "dist" / "TheoDoi"
    assert folder.is_dir()
    return folder


def _exe(folder: Path, name: str) -> Path:
    return folder / (name + ".exe" if os.name == "nt" else name)


def test_bundle_contents(bundle):
    internal = bundle / "_internal"
    assert _exe(bundle, "TheoDoi").is_file() and _exe(bundle, "theodoi-cli").is_file()
    versions = sorted(p.name for p in (internal / "db" / "migrations" / "versions").glob("*.py"))
    assert versions == sorted(p.name for p in (ROOT / "db" / "migrations" / "versions").glob("*.py"))
    assert (internal / "db" / "migrations" / "env.py").is_file()
    for name in ("app.png", "app.ico"):
        assert (internal / "resources" / name).is_file()
    assert (internal / "docx" / "parts").is_dir()  # python-docx finds its templates through it
    qt = internal / "PySide6" / "Qt"
    assert not (qt / "translations").exists()
    assert not list(qt.rglob("*WebEngine*")) and not list(qt.rglob("*Qml*"))
    assert (qt / "plugins" / "platforms").is_dir()
    size_mib = _size(bundle) / 2**20
    print(f"\nbundle: {size_mib:.0f} MiB")
    real = [child for child in internal.iterdir() if not child.is_symlink()]  # Linux links libs to PySide6/Qt/lib
    for child in sorted(real, key=_size_of, reverse=True)[:12]:
        print(f"  {_size_of(child) / 2**20:7.1f} MiB  {child.name}")
    assert size_mib < 400


def _size_of(path: Path) -> int:
    return _size(path) if path.is_dir() else path.stat().st_size


@pytest.mark.parametrize("name", ["theodoi-cli", "TheoDoi"])
def test_frozen_self_test(bundle, tmp_path, name):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", THEODOI_DATA_DIR=str(tmp_path / "Dữ liệu tự kiểm tra"),
               PYTHONIOENCODING="utf-8")
    env.pop("PYTHONPATH", None)  # nothing may come from the source tree
    proc = subprocess.run([str(_exe(bundle, name)), "--self-test"], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=env, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    if not (os.name == "nt" and name == "TheoDoi"):  # a windowed Windows exe has no stdout
        assert "bản đóng gói" in proc.stdout and "KẾT QUẢ: ĐẠT" in proc.stdout
    log = (tmp_path / "Dữ liệu tự kiểm tra" / "nhat-ky" / "theodoi.log").read_text(encoding="utf-8")
    assert "self-test: KẾT QUẢ: ĐẠT" in log


def test_modules_loaded_by_name_are_in_the_bundle(bundle):
    """The command modules and the dialogs the main window imports by name are invisible to
    PyInstaller's analysis; the spec collects every module of desktop and db."""
    from desktop.cli import COMMAND_MODULES

    toc = (bundle.parent.parent / "build" / "build" / "PYZ-00.toc").read_text(encoding="utf-8")
    for name in COMMAND_MODULES + ["desktop.ui.safety_actions", "desktop.ui.selftest"]:
        assert f"'{name}'" in toc, name


def test_frozen_command_line_refuses_a_damaged_file(bundle, tmp_path):
    bad = tmp_path / "cơ sở dữ liệu.db"
    bad.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    env = dict(os.environ, THEODOI_DATA_DIR=str(tmp_path), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([str(_exe(bundle, "theodoi-cli")), "check", "--db", str(bad)], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env=env)
    assert proc.returncode != 0 and "không phải là cơ sở dữ liệu" in proc.stderr
