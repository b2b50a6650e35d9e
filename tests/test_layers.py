"""Import hygiene: each layer imports only downward (harlequin-style subprocess check).

Every module is imported in a fresh interpreter and `sys.modules` is inspected, so an
indirect import through another module is caught too.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import qualcode

REPO = Path(__file__).resolve().parent.parent
UI = ("textual",)
HEAVY_FOR_CORE = ("sqlmodel", "sqlalchemy", "pandas", "openpyxl", "textual", "rich")
FORBIDDEN_PACKAGES = {
    # Every layer translates, so the catalogue lookup sits below them all and imports none.
    "qualcode.i18n": (
        "qualcode.core",
        "qualcode.store",
        "qualcode.services",
        "qualcode.io",
        "qualcode.tui",
        "qualcode.cli",
    )
    + HEAVY_FOR_CORE,
    "qualcode.core": ("qualcode.store", "qualcode.services", "qualcode.io", "qualcode.tui", "qualcode.cli")
    + HEAVY_FOR_CORE,
    "qualcode.io": ("qualcode.store", "qualcode.services", "qualcode.tui", "qualcode.cli", "sqlmodel") + UI,
    "qualcode.store": ("qualcode.services", "qualcode.tui", "qualcode.cli") + UI,
    "qualcode.services": ("qualcode.tui", "qualcode.cli") + UI,
}


# Libraries a layer may use, imported once before the per-module children fork.
PRELOAD = {
    "qualcode.core": ("numpy", "scipy.stats", "scipy.cluster.hierarchy", "rapidfuzz", "yaml"),
    "qualcode.io": (
        "numpy",
        "openpyxl",
        "pandas",
        "yaml",
        "charset_normalizer",
        "docx",
        "defusedxml.ElementTree",
    ),
    "qualcode.store": ("sqlalchemy", "sqlmodel"),
    "qualcode.services": (
        "sqlalchemy",
        "sqlmodel",
        "numpy",
        "pandas",
        "openpyxl",
        "rapidfuzz",
        "yaml",
        "scipy.stats",
    ),
}


def _modules(package: str) -> list[str]:
    pkg = __import__(package, fromlist=["_"])
    names = [package]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
        names.append(info.name)
    return names


CASES = [
    (module, forbidden) for package, forbidden in FORBIDDEN_PACKAGES.items() for module in _modules(package)
]


_PROBE = r"""
import json, os, sys
preload = [name for name in sys.argv[1].split(",") if name]
for name in preload:  # allowed heavy libraries, loaded once so each child is quick
    try:
        __import__(name)
    except ImportError:
        pass
baseline = set(sys.modules)
result = {}
for module in sys.argv[2:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: import one module on a clean slate, report what it loaded
        os.close(read)
        try:
            __import__(module)
            payload = json.dumps(sorted(set(sys.modules) - baseline))
        except Exception as exc:
            payload = json.dumps({"error": repr(exc)})
        os.write(write, payload.encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    result[module] = json.loads(b"".join(chunks))
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def loaded_by_module() -> dict[str, list[str]]:
    """Import every module once, each in a forked child of one fresh interpreter."""
    import json

    result: dict[str, list[str]] = {}
    groups = [
        (package, [c[0] for c in CASES if c[0] == package or c[0].startswith(package + ".")])
        for package in FORBIDDEN_PACKAGES
    ] + [("qualcode.cli", ["qualcode.cli"])]
    for package, modules in groups:
        preload = ",".join(PRELOAD.get(package, ()))
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, preload, *modules],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
        result.update(json.loads(out.stdout))
    return result


def _loaded_after_import(loaded_by_module: dict[str, list[str]], module: str) -> set[str]:
    loaded = loaded_by_module[module]
    assert not isinstance(loaded, dict), f"importing {module} failed: {loaded}"
    return set(loaded)


@pytest.mark.parametrize(("module", "forbidden"), CASES, ids=[c[0] for c in CASES])
def test_layer_imports_point_downward(
    loaded_by_module: dict[str, list[str]], module: str, forbidden: tuple[str, ...]
) -> None:
    loaded = _loaded_after_import(loaded_by_module, module)
    leaks = sorted(m for m in loaded for f in forbidden if m == f or m.startswith(f + "."))
    assert not leaks, f"{module} pulls in {leaks[:5]}"


def test_cli_help_is_light(loaded_by_module: dict[str, list[str]]) -> None:
    loaded = _loaded_after_import(loaded_by_module, "qualcode.cli")
    heavy = sorted(
        m
        for m in loaded
        if m.split(".")[0]
        in ("sqlmodel", "sqlalchemy", "pandas", "textual", "openpyxl", "numpy", "sklearn", "jieba", "mcp")
    )
    assert not heavy, f"`qualcode --help` would import {heavy[:5]}"


def test_textual_only_below_tui() -> None:
    """No module outside qualcode.tui (and the two CLI launchers) mentions textual."""
    allowed = {"tui.py", "demo.py"}
    root = Path(qualcode.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] == "tui" or (rel.parts[0] == "cli" and rel.name in allowed):
            continue
        text = path.read_text(encoding="utf-8")
        if "import textual" in text or "from textual" in text:
            offenders.append(str(rel))
    assert offenders == []
