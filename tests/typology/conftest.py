"""Fixtures for the typology and workbook tests (the project builder is in typology_project.py)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typology_project import build


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Any]:
    counter = iter(range(100))

    def make(**kwargs: Any) -> Any:
        return build(tmp_path / f"p{next(counter)}", **kwargs)

    return make


@pytest.fixture
def project(make_project: Callable[..., Any]) -> Any:
    return make_project()
