"""The rows the team services return (keys are a stable interface: views and scripts read them)."""

from typing import Any, TypedDict


class EventRow(TypedDict):
    """One logged change as the change feed gives it, with its before/after snapshots decoded."""

    id: int
    at: str
    actor: str | None
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undoes: int | None
    group_id: str | None


class BlindStatus(TypedDict):
    """Whether blind mode is on and whether a lead has revealed everyone's coding."""

    blind_mode: bool
    revealed: bool
    state: str  # off | on | revealed


class BackupWritten(TypedDict):
    """A verified copy of the project database (`qualcode backup`)."""

    project: str
    path: str
    bytes: int


class LoginRow(TypedDict):
    """A PostgreSQL login made or refreshed for a coder (`team setup-rls`, `team add-login`);
    `password` only when one was given or generated."""

    coder: str
    role: str
    login: str
    password: str | None
    created: bool
