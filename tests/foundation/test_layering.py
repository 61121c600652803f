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
    code = ("import sys; import desktop.tracking.stats, desktop.operations, desktop.demo, desktop.cli.core, db.queries;"
            "assert 'PySide6' not in sys.modules, 'Qt leaked into the domain'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
