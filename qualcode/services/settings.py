"""Project settings (JSON values in the `settings` table)."""

import json
from typing import Any

from sqlmodel import Session

from qualcode.store.db import Project
from qualcode.store.models import Setting

DEFAULTS: dict[str, Any] = {
    "blind_mode": False,
    "case_attribute": None,
    "unit": "answer",
    # Pairable units that must carry a code before alpha gets a bootstrap interval; None: the
    # default in core/agreement/intervals.py (kept there, so this module stays free of numpy).
    "min_ci_units": None,
    # In blind mode, coders see code suggestions only when a lead turns assisted coding on.
    "assisted_coding": False,
    "language": None,  # the interface language for the project (qualcode.i18n); None: the person's own
}


def read_setting(session: Session, key: str) -> Any:
    """A project setting's value, or its default when it was never set."""
    row = session.get(Setting, key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def write_setting(session: Session, key: str, value: Any) -> None:
    """Store a setting's value in the caller's transaction (not logged; see set_setting)."""
    encoded = json.dumps(value, ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=encoded))
    else:
        row.value = encoded
        session.add(row)


def get_setting(project: Project, key: str) -> Any:
    """A project setting's value, or its default when it was never set."""
    with project.read() as session:
        return read_setting(session, key)


def set_setting(project: Project, key: str, value: Any, actor: str | None = None) -> None:
    """Change a project setting and log the change as done by `actor`."""
    from qualcode.services.events import record

    def _work(session: Session) -> None:
        before = read_setting(session, key)
        write_setting(session, key, value)
        record(
            session,
            actor=actor,
            action="setting.set",
            entity="setting",
            before={key: before},
            after={key: value},
        )

    project.transact(_work)


def all_settings(project: Project) -> dict[str, Any]:
    """Every setting: the defaults overlaid with the values the project stores."""
    from sqlmodel import select

    with project.read() as session:
        stored = {row.key: json.loads(row.value) for row in session.exec(select(Setting))}
    return {**DEFAULTS, **stored}
