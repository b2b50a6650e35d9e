"""Every public function of a service module says what it does for the user (issue 15 item 8).

Read from the source with `ast`, so a function counts where it is defined, not where it is
re-exported, and nothing is imported to find out.
"""

import ast
from pathlib import Path

import qualcode.services

SERVICES = Path(qualcode.services.__file__).parent


def undocumented(source: str) -> list[str]:
    """Names of module-level public functions in `source` that have no docstring."""
    tree = ast.parse(source)
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and ast.get_docstring(node) is None
    ]


def test_the_check_sees_a_missing_docstring() -> None:
    source = 'def shown():\n    """Here."""\n\ndef bare():\n    pass\n\ndef _private():\n    pass\n'
    assert undocumented(source) == ["bare"]


def test_every_public_service_function_has_a_docstring() -> None:
    modules = sorted(SERVICES.rglob("*.py"))
    assert len(modules) > 30  # the walk found the services, not an empty folder
    missing = [
        f"{path.relative_to(SERVICES.parent.parent)}: {name}"
        for path in modules
        for name in undocumented(path.read_text(encoding="utf-8"))
    ]
    assert not missing, "public service functions without a docstring:\n" + "\n".join(missing)
