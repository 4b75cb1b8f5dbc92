"""The layers of docs/ARCHITECTURE.md hold, and the contract that keeps them (.importlinter, run by
`make test`) does fail on an upward import or on a service that imports a view."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache", "--config", str(ROOT / ".importlinter")],
                          cwd=src, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(ROOT / "src/stedennet", tmp_path / "stedennet",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "data", "locale", "templates"))
    return tmp_path


def test_the_code_keeps_every_contract(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("registry/selectors.py", "from stedennet.membership import selectors as _upward", "Layers point one way"),
    ("membership/services.py", "import stedennet.site.models", "Layers point one way"),
    ("web/cache.py", "import stedennet.registry.models", "ground floor"),
    ("invoices/services.py", "from stedennet.invoices import wagtail_hooks as _hooks", "never import views"),
])
def test_an_upward_import_breaks_the_contract(tree, module, line, broken):
    path = tree / "stedennet" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0
    assert broken in result.stdout.split("Broken contracts")[1]


SERVICES = sorted((ROOT / "src/stedennet").glob("*/services.py"))


@pytest.mark.parametrize("services", SERVICES, ids=lambda p: p.parent.name)
def test_each_services_module_declares_its_public_functions(services):
    """`__all__` names exactly the public functions and classes the module defines: what other apps may call."""
    import ast

    tree = ast.parse(services.read_text(encoding="utf-8"))
    defined = [node.name for node in tree.body
               if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")]
    declared = next((ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                     and any(getattr(t, "id", None) == "__all__" for t in node.targets)), None)
    assert declared is not None, f"{services} has no __all__"
    assert sorted(declared) == sorted(defined)
