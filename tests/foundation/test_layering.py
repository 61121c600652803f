import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed")
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_domain_imports_without_qt():
    code = ("import sys; import desktop.tracking.stats, desktop.services.operations, desktop.services.demo, desktop.cli.core, db.queries;"
            "assert 'PySide6' not in sys.modules, 'Qt leaked into the domain'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_every_part_of_the_application_but_the_ui_is_under_the_qt_free_contract():
    """A new module or package beside the others is Qt-free by default: it fails here until it is
    named in the contract «Qt only in the UI layer» (pyproject.toml), or moved into desktop/ui."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == "Qt only in the UI layer")
    covered = set(contract["source_modules"])
    entry_points = {"desktop.__init__", "desktop.__main__", "desktop.ui"}
    parts = {f"desktop.{p.stem}" for p in (ROOT / "desktop").iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").exists()) and not p.name.startswith(".")}
    assert sorted(parts - entry_points - covered) == []
    assert "db" in covered
