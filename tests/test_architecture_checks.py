"""The architecture, checked (ARCHITECTURE.md): lint, types, layers, size and complexity.

Each check runs the tool the way a maintainer would from the repository root, with the
configuration in ``pyproject.toml``, so ``pytest`` (the README's test command) fails when
one of them does:

- ruff, with the project's rule set, on the package, the tests and the benchmarks;
- mypy with the pydantic plugin on the whole package, and ``--strict`` on the domain and
  the store;
- import-linter's contracts (the layers, and Textual only in the UI);
- no module of the package over 500 lines, no function rated worse than C by radon.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "balint_tui"
MAX_MODULE_LINES = 500
WORST_RANK = "C"  # radon: A-B simple, C moderate (cyclomatic complexity 11-20), D and on: no


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, env=env,
        timeout=600,
    )


def _said(result: subprocess.CompletedProcess[str], see: str = "The rules") -> str:
    return (result.stdout + result.stderr)[-6000:] + f"\n(ARCHITECTURE.md, '{see}', says why)"


@pytest.mark.slow
def test_ruff_finds_nothing():
    result = _run("-m", "ruff", "check", "--no-cache", "balint_tui", "tests", "benchmarks")
    assert result.returncode == 0, _said(result)


@pytest.mark.slow
def test_mypy_passes_on_the_whole_package():
    result = _run("-m", "mypy")  # the package and the settings: pyproject.toml
    assert result.returncode == 0, _said(result)


@pytest.mark.slow
def test_mypy_strict_passes_on_the_domain_and_the_store():
    result = _run("-m", "mypy", "--strict", "-p", "balint_tui.domain", "-p", "balint_tui.store")
    assert result.returncode == 0, _said(result)


@pytest.mark.slow
def test_import_contracts_hold():
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    result = _run("-c", code)
    assert result.returncode == 0, _said(result, "The layers")
    assert " 0 broken" in result.stdout, _said(result, "The layers")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_500_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, "split along a seam (ARCHITECTURE.md, 'The rules')"


def test_no_function_is_rated_worse_than_c():
    from radon.complexity import cc_rank, cc_visit

    worse = []
    for path in _modules():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if cc_rank(block.complexity) > WORST_RANK:
                where = f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname}"
                worse.append(f"{where} {cc_rank(block.complexity)} ({block.complexity})")
    assert worse == [], "split into smaller functions (ARCHITECTURE.md, 'The rules')"


def test_every_package_folder_is_a_package_and_typed():
    missing = [
        str(folder.relative_to(ROOT))
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]
        if folder.name != "__pycache__"
        and any(folder.glob("*.py"))
        and not (folder / "__init__.py").exists()
    ]
    assert missing == []
    assert (PACKAGE / "py.typed").is_file()
