"""The wheel ships what an installed qualcode needs: the py.typed marker, the compiled catalogue, the licence.

Built offline from a copy of the package (`pip wheel --no-deps --no-build-isolation`), so the
working tree gets no build/ folder; skipped when this environment has no build backend that
can read pyproject.toml (setuptools>=77, in the `test` extra).
"""

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip(f"setuptools {setuptools.__version__} cannot build this pyproject offline (needs >=77)")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "qualcode", source / "qualcode", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q"]
        + ["-w", str(work / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = (work / "dist").glob("qualcode-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_ships_the_type_marker_and_the_compiled_catalogue(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "qualcode/py.typed" in names
    assert "qualcode/i18n/locale/zh_CN/LC_MESSAGES/qualcode.mo" in names
    assert not any(name.startswith("tests/") for name in names)


def test_the_wheel_carries_the_licence_pyproject_names(wheel: zipfile.ZipFile) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = wheel.namelist()
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    fields = wheel.read(metadata).decode("utf-8").splitlines()
    assert f"License-Expression: {project['license']}" in fields
    (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert wheel.read(licence).decode("utf-8").startswith(f"{project['license']} License")
