"""The import tests' fixture: an empty project on SQLite."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.store.db import Project, init_project


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    opened = init_project(str(tmp_path / "proj"))
    yield opened
    opened.dispose()
