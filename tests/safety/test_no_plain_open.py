"""No plain ``open()`` of a database file in the product code (issue 12 §1).

On POSIX, closing any descriptor of a file drops every lock the process holds on that file,
including SQLite's: a header read with ``open()`` in a process that has a connection made the
next command delete the window's ``-wal``. So every place that opens a file by hand is listed
here with why it never is a database file the process has open; a new one fails this test
until it is reviewed (read a database through ``sqlite3``/SQLAlchemy only).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["desktop", "db"]

# Calls that open a file descriptor by name.
_FUNCTIONS = {"open", "io.open", "os.open", "codecs.open", "shutil.copy", "shutil.copy2", "shutil.copyfile",
              "shutil.copyfileobj", "shutil.move", "os.sendfile"}
_METHODS = {"read_bytes", "write_bytes", "read_text", "write_text"}

# "module:function" -> why the file opened there is never a database this process has open.
ALLOWED = {
    "desktop/infra/startup.py:setup_logging": "the crash log loi-nghiem-trong.log",
    "desktop/infra/fileio.py:atomic_write": "fsync of the new temporary file of an export",
    "desktop/infra/fileio.py:atomic_write_bytes": "the new temporary file of an export",
    "desktop/infra/local_config.py:load_config": "cau-hinh.json",
    "desktop/infra/local_config.py:write": "cau-hinh.json (temporary name)",
    "desktop/services/office_setup.py:load_preset": "the presets shipped with the program",
    "desktop/intake/units.py:load_default_units": "the unit lists shipped with the program",
    "desktop/intake/extract.py:load_source": "a directive (.docx/.pdf/.txt) chosen by the officer",
    "desktop/workbooks/sheet_xml.py:get_stream": "the new temporary file of an export",
    "desktop/workbooks/unit_list.py:_csv_rows": "a unit list (.csv) chosen by the officer",
    "desktop/workbooks/importer.py:file_sha256": "a filled form (.xlsx) chosen by the officer",
    "desktop/workbooks/safety.py:check_xlsx_file": "a filled form (.xlsx) chosen by the officer",
    "desktop/workbooks/safety.py:_check_dimension": "a sheet inside the zip of a form chosen by the officer",
    "desktop/infra/attachments.py:copy_file": "a file the officer attaches, copied to a temporary name",
    "desktop/infra/attachments.py:write_text": "a new attachment (temporary name)",
    "desktop/infra/attachments.py:keep_copy": "a form the officer imports, copied to a temporary name",
    "desktop/documents/pdf.py:_via_libreoffice": "the PDF LibreOffice produced",
    "desktop/ui/result_form.py:save_draft": "the draft of the result form (temporary name)",
    "desktop/ui/result_form.py:_read_draft": "the draft of the result form (JSON)",
    "desktop/ui/intake_wizard.py:_store_source": "a new attachment (attachments.write_text)",
    # The only raw copy of a database file: a damaged one, kept aside before a restore replaces
    # it. Called at start before any connection exists, and by «Khôi phục» after the window has
    # closed its connections (desktop.ui.safety_actions.restore_backup).
    "desktop/safety/backups.py:keep_damaged_aside": "a damaged database file, no connection open",
}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return _name(node.value) + "." + node.attr
    return "?"


def _plain_opens() -> list[tuple[str, int, str]]:
    """(module:function, line, call) for every plain file access in the product code."""
    found = []
    for folder in PRODUCT:
        for file in sorted((ROOT / folder).rglob("*.py")):
            rel = file.relative_to(ROOT).as_posix()
            if "/migrations/" in rel:
                continue
            tree = ast.parse(file.read_text(encoding="utf-8"))
            stack: list[str] = []

            def visit(node: ast.AST) -> None:
                is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                if is_function:
                    stack.append(node.name)
                if isinstance(node, ast.Call):
                    called = _name(node.func)
                    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                    # `x.open(...)` with arguments is Path.open; Qt's dialog.open() takes none
                    path_open = method == "open" and (node.args or node.keywords) and called not in _FUNCTIONS
                    if called in _FUNCTIONS or method in _METHODS or path_open:
                        where = f"{rel}:{stack[-1] if stack else '<module>'}"
                        found.append((where, node.lineno, called))
                for child in ast.iter_child_nodes(node):
                    visit(child)
                if is_function:
                    stack.pop()

            visit(tree)
    return found


def test_no_plain_open_of_a_database_file():
    unreviewed = [f"{where} line {line}: {call}()" for where, line, call in _plain_opens() if where not in ALLOWED]
    assert unreviewed == [], ("a file is opened by hand outside the reviewed places; read a database only "
                              "through sqlite3/SQLAlchemy (see this module's docstring):\n" + "\n".join(unreviewed))


def test_the_integrity_check_reads_the_header_through_sqlite():
    calls = [c for c in _plain_opens() if c[0].startswith("desktop/safety/integrity.py")]
    assert calls == []
