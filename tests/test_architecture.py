"""The layout is the design: layers import downward only, and only `api/` speaks HTTP.

The contracts live in pyproject.toml ([tool.importlinter]); `lint-imports` checks them.
The second test proves they bite: the same check on a copy with one upward import fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
                          cwd=cwd, env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_every_layer_imports_only_downward_and_only_api_imports_fastapi() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def copy_of_project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "search_api", tmp_path / "search_api", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_an_upward_import_or_fastapi_outside_api_breaks_the_contract(tmp_path: Path) -> None:
    project = copy_of_project(tmp_path)
    analysis = project / "search_api" / "engine" / "analysis.py"
    analysis.write_text(analysis.read_text() + "\nfrom search_api.api import models  # upward\nimport fastapi\n")
    result = lint(project)
    assert result.returncode != 0
    assert "Layers: api > listening | replies > site > engine > links | settings BROKEN" in result.stdout
    assert "Only the HTTP layer imports FastAPI or Starlette BROKEN" in result.stdout


def test_a_cycle_between_siblings_breaks_the_contract(tmp_path: Path) -> None:
    project = copy_of_project(tmp_path)
    deps = project / "search_api" / "api" / "deps.py"
    deps.write_text(deps.read_text() + "\nfrom search_api.api import app  # app -> routes -> deps -> app\n")
    result = lint(project)
    assert result.returncode != 0
    assert "No import cycles between sibling modules BROKEN" in result.stdout


def test_the_readme_names_every_package_and_module_of_search_api() -> None:
    # Datasette's habit: the docs are tested against the code, so they cannot drift apart.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## For developers: how the code is laid out"):]
    package = ROOT / "search_api"
    for path in sorted(package.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        relative = path.relative_to(package)
        named = f"`{relative.parent.as_posix()}/`" if len(relative.parts) > 2 else f"`{path.name}`"
        forms = (named, f"`{path.stem}`", f"`search_api/{relative.as_posix()}`")
        assert any(form in layout for form in forms), f"README's layout section does not name {relative}"
    for folder in sorted(p for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"):
        assert f"`search_api/{folder.name}/`" in layout, f"README's layout section has no row for search_api/{folder.name}/"
