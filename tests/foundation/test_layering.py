import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    # beside this interpreter first: a venv's tools are there even when the venv is not activated
    beside = Path(sys.executable).with_name("lint-imports")
    exe = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert exe is not None, "import-linter is a test dependency (pyproject [test]); install it"
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


def test_no_import_cycle_between_modules():
    """grimp's graph of desktop and db has no cycle: every strongly connected part is one module."""
    import grimp

    graph = grimp.build_graph("desktop", "db", cache_dir=None)
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative (the graph is deep)
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    cycles.append(sorted(part))

    for module in modules:
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_readme_path_of_a_result_is_true_and_at_most_eight_files():
    """The README's «A result, from the form to the Word report» names real files, at most 8, and each
    step it names is a direct import in the code."""
    import re

    import grimp

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("**A result, from the form to the Word report**", 1)[1].split("\n\n", 1)[0]
    files = list(dict.fromkeys(re.findall(r"`([\w/]+\.py)`", paragraph)))
    assert len(files) <= 8, files
    for name in files:
        assert (ROOT / "desktop" / name).exists() or (ROOT / name).exists(), name
    claimed = re.search(r"\((\d+) files\)", readme.split("**A result, from the form to the Word report**", 1)[1])
    assert claimed and int(claimed.group(1)) == len(files)

    def module(name: str) -> str:
        return (name if name.startswith("db/") else "desktop/" + name)[:-3].replace("/", ".")

    graph = grimp.build_graph("desktop", "db", cache_dir=None)
    steps = [("ui/result_form.py", "services/operations/results.py"),
             ("services/operations/results.py", "db/models.py"),
             ("db/queries.py", "db/models.py"),
             ("documents/report_data.py", "db/queries.py"),
             ("documents/report_data.py", "tracking/stats.py"),
             ("documents/report.py", "documents/report_data.py"),
             ("documents/report.py", "documents/form.py")]
    for importer, imported in steps:
        assert importer in files and imported in files
        assert module(imported) in graph.find_modules_directly_imported_by(module(importer)), (importer, imported)


def test_widgets_open_no_database_session_on_the_gui_thread():
    """In desktop/ui only the Runner (its worker thread) opens sessions; a save is handed to
    ``background.run_save`` (the writer thread): ``in_transaction`` and the services' own ``db``
    functions are called inside it, never directly by a widget."""
    import ast

    offenders = []
    for path in sorted((ROOT / "desktop" / "ui").rglob("*.py")):
        if path.name == "worker.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_save: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "run_save":
                inside_save.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr == "session" or (node.func.attr == "in_transaction" and id(node) not in inside_save):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
    assert offenders == []


def test_no_product_module_over_600_lines():
    """Issue 18: a module that grows past 600 lines is split by subject (migrations excepted: written once)."""
    long = {}
    for folder in ("desktop", "db"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > 600:
                long[str(path.relative_to(ROOT))] = lines
    assert long == {}
