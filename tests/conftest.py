"""Shared fixtures: projects on SQLite and, when a server is given, on PostgreSQL.

CI (.ci/run) starts a throwaway PostgreSQL and sets QUALCODE_TEST_PG_URL to a superuser URL.
Each PostgreSQL test gets a fresh database that is dropped afterwards. With CI=true a
postgres test that would be skipped fails instead, so CI cannot pass without the server.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "QUALCODE_TEST_PG_URL"

# Tests read English output whatever the machine's locale is; the language tests choose their own.
# (Subprocesses inherit this; `--lang` still wins over it.)
os.environ["QUALCODE_LANG"] = "en"
# Nor does a keymap.toml in the user's config directory change the keys the TUI tests press.
# (A fixed path that does not exist: the help screen shows it, and its snapshot must not depend on
# where the repository is checked out.)
os.environ["QUALCODE_CONFIG_DIR"] = "/nonexistent/qualcode-config"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _english_interface() -> Iterator[None]:
    """Each test starts in English and leaves the interface language as it found it."""
    from qualcode import i18n

    i18n.set_language(i18n.ENGLISH)
    yield
    i18n.set_language(i18n.ENGLISH)


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV)


def require_pg() -> str:
    url = pg_admin_url()
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set: CI must run the PostgreSQL tests")
        pytest.skip(f"{PG_ENV} not set")
    return url


@pytest.fixture
def pg_database_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; yields its URL and drops it afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(require_pg())
    name = f"qc_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def project_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A target string for `init_project`: a folder path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "project")
    else:
        yield request.getfixturevalue("pg_database_url")


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED
