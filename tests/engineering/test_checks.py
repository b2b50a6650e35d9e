"""Each automatic check `make check` runs can fail: a deliberate violation of each kind, in a
throwaway file under tmp_path, is reported with the project's own configuration.

Without these a check could silently become a no-op (a wrong path, a config section that no
longer applies) and stay green for ever. Each test also runs the tool on a clean twin of the
file, so a failure is the violation's doing and not a broken setup.
"""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = REPO / "pyproject.toml"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.checks


def _tool(name: str) -> Path:
    """The tool from the venv running the tests (the dev extra installs it); CI must have it."""
    path = BIN / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"{name} is not installed in the test venv (install the dev extra: pip install -e '.[dev]')"
            )
        pytest.skip(f"{name} is not installed (pip install -e '.[dev]')")
    return path


def _run(args: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | env,
    )


def test_ruff_reports_a_lint_error_with_the_project_rules(tmp_path: Path) -> None:
    ruff = _tool("ruff")
    # B905 (zip without strict=) is one of the project's chosen rules, not one of ruff's defaults:
    # seeing it proves pyproject's [tool.ruff] was read.
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef pairs(a: list[int], b: list[int]) -> object:\n    return zip(a, b)\n")
    good = tmp_path / "good.py"
    good.write_text("def pairs(a: list[int], b: list[int]) -> object:\n    return zip(a, b, strict=True)\n")
    found = _run([ruff, "check", "--no-cache", "--config", PYPROJECT, bad], tmp_path)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "F401" in found.stdout and "B905" in found.stdout
    clean = _run([ruff, "check", "--no-cache", "--config", PYPROJECT, good], tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    unformatted = tmp_path / "unformatted.py"
    unformatted.write_text("x=[1,\n2]\n")
    fmt = _run([ruff, "format", "--check", "--no-cache", "--config", PYPROJECT, unformatted], tmp_path)
    assert fmt.returncode == 1, fmt.stdout + fmt.stderr


def test_mypy_reports_a_type_error_with_the_project_config(tmp_path: Path) -> None:
    mypy = _tool("mypy")
    bad = tmp_path / "bad.py"
    # The untyped def is an error only under pyproject's disallow_untyped_defs.
    bad.write_text('count: int = "three"\n\n\ndef untyped(x):\n    return x\n')
    good = tmp_path / "good.py"
    good.write_text("count: int = 3\n\n\ndef typed(x: int) -> int:\n    return x\n")
    common = [mypy, "--config-file", PYPROJECT, "--cache-dir", tmp_path / ".mypy_cache", "--no-error-summary"]
    found = _run([*common, bad], tmp_path)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "[assignment]" in found.stdout and "[no-untyped-def]" in found.stdout
    clean = _run([*common, good], tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def _importlinter_section() -> str:
    """The contracts exactly as pyproject.toml states them (text, so nothing is lost in a rewrite)."""
    text = PYPROJECT.read_text(encoding="utf-8")
    start = text.index("[tool.importlinter]")
    rest = text[start:]
    following = re.search(r"^\[(?!tool\.importlinter|\[tool\.importlinter)", rest, re.M)
    return rest[: following.start()] if following else rest


def _fake_project(root: Path, deferred_import: bool) -> Path:
    """A package named like ours with every layer the contracts name, nothing else."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c["layers"] for c in config["contracts"] if c["type"] == "layers")
    package = root / config["root_package"]
    for layer in layers:
        folder = root / layer.replace(".", "/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
        (folder / "things.py").write_text("VALUE = 1\n")
    (package / "__init__.py").write_text("")
    top, bottom = layers[0], layers[-1]
    # The lowest layer reaches up to the highest, inside a function (the kind of import a
    # module-level scan misses).
    body = (
        f"    from {top}.things import VALUE\n\n    return VALUE\n" if deferred_import else "    return 1\n"
    )
    (root / bottom.replace(".", "/") / "reach_up.py").write_text(f"def value() -> int:\n{body}")
    (root / "pyproject.toml").write_text(_importlinter_section(), encoding="utf-8")
    return root


@pytest.mark.parametrize("deferred_import", [True, False], ids=["violation", "clean"])
def test_lint_imports_sees_a_layer_import_inside_a_function(tmp_path: Path, deferred_import: bool) -> None:
    lint_imports = _tool("lint-imports")
    root = _fake_project(tmp_path / "fake", deferred_import)
    # The throwaway package shadows the installed one: PYTHONPATH comes before site-packages.
    result = _run([lint_imports, "--no-cache"], root, PYTHONPATH=str(root))
    output = result.stdout + result.stderr
    assert "Contracts: " in output, output  # it really analysed our contracts
    if deferred_import:
        assert result.returncode == 1, output
        assert "BROKEN" in output and "reach_up" in output
    else:
        assert result.returncode == 0, output


def test_pre_commit_runs_the_same_tools_as_make_check() -> None:
    """The hooks use the venv's tools (the versions pyproject pins), as `make check` does, so a
    commit and CI judge alike."""
    import yaml

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert all(repo["repo"] == "local" for repo in config["repos"])
    assert hooks["ruff-check"]["entry"].startswith(".venv/bin/ruff check")
    assert hooks["ruff-format"]["entry"] == ".venv/bin/ruff format"
    for hook, tool in (("mypy", "mypy"), ("import-linter", "lint-imports")):
        # whole-project tools: they read their file list and contracts from pyproject.toml
        assert hooks[hook]["entry"] == f".venv/bin/{tool}" and hooks[hook]["pass_filenames"] is False
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check: lint format-check types imports$", makefile, re.M)
