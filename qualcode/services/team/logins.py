"""Team set-up on PostgreSQL: a database login per coder, with row-level security.

Run these with the project owner's URL (the account that created the project); it
needs the right to create roles. See docs/team.md for the whole set-up.
"""

import secrets
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.i18n import _
from qualcode.services.coders import is_pseudo_coder
from qualcode.services.team.rows import LoginRow
from qualcode.store import rls
from qualcode.store.db import Project
from qualcode.store.mapped import id_of
from qualcode.store.models import Coder


def _require_postgres(project: Project) -> None:
    if project.dialect != "postgresql":
        raise QualcodeError(
            _(
                "{project} is a SQLite project: database logins and row-level security need PostgreSQL (create the project with `qualcode init --db postgresql+psycopg://...`)"
            ).format(project=project.display)
        )


def _check_role_name(role: str) -> str:
    if not role or role != role.strip():
        raise ValidationError(
            _("login name {role!r} is empty or has leading or trailing spaces").format(role=role)
        )
    if "\x00" in role:
        raise ValidationError(_("a login name cannot contain a NUL character"))
    if len(role.encode("utf-8")) > rls.MAX_ROLE_BYTES:
        raise ValidationError(
            _(
                "login name {role!r} is longer than PostgreSQL's {MAX_ROLE_BYTES} bytes: choose a shorter one with `qualcode team add-login PROJECT CODER --role NAME`"
            ).format(role=role, MAX_ROLE_BYTES=rls.MAX_ROLE_BYTES)
        )
    if role.lower().startswith("pg_") or role.lower() in (
        "public",
        "none",
        "current_user",
        "session_user",
        "current_role",
    ):
        raise ValidationError(
            _(
                "{role!r} is reserved by PostgreSQL: choose another login name with `qualcode team add-login PROJECT CODER --role NAME`"
            ).format(role=role)
        )
    return role


def _add_login(conn: Connection, coder: Coder, role: str, password: str | None) -> LoginRow:
    role = _check_role_name(role)
    existing = rls.role_info(conn, role)
    if existing is not None and (existing["superuser"] or existing["bypassrls"]):
        raise QualcodeError(
            _(
                "database role {role!r} is a superuser or bypasses row-level security: choose another login name with --role"
            ).format(role=role)
        )
    if rls.owns_tables(conn, role):
        raise QualcodeError(
            _(
                "database role {role!r} owns the project's tables, so row-level security would not apply to it: choose another login name with --role"
            ).format(role=role)
        )
    mapped = rls.mapped_coder(conn, role)
    if mapped is not None and mapped != coder.id:
        raise QualcodeError(
            _("login {role!r} already belongs to another coder of this project").format(role=role)
        )
    rls.create_or_update_role(conn, role, password, exists=existing is not None)
    rls.grant(conn, role, lead=coder.role == "lead")
    rls.map_login(conn, role, id_of(coder))
    return {
        "coder": coder.name,
        "role": coder.role,
        "login": role,
        "password": password,
        "created": existing is None,
    }


Result = TypeVar("Result")


def _in_transaction(project: Project, work: Callable[[Connection], Result]) -> Result:
    try:
        with project.engine.begin() as conn:
            return work(conn)
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise QualcodeError(
            _("the database refused the team set-up: {reason}").format(reason=reason)
        ) from exc


def setup_rls(project: Project, *, generate_passwords: bool = False) -> list[LoginRow]:
    """Install the policies and give every (non-pseudo) coder a login named after them.

    Existing logins keep their passwords unless `generate_passwords` asks for new ones.
    """
    _require_postgres(project)

    def work(conn: Connection) -> list[LoginRow]:
        rls.install_policies(conn)
        logins = dict(rls.list_logins(conn))
        coders = [
            Coder(id=r.id, name=r.name, role=r.role)
            for r in conn.execute(select(col(Coder.id), col(Coder.name), col(Coder.role)))
        ]
        out: list[LoginRow] = []
        for coder in sorted(coders, key=lambda c: c.name):
            if is_pseudo_coder(coder.name):
                continue
            roles = [r for r, cid in logins.items() if cid == coder.id] or [coder.name]
            for role in roles:
                password = secrets.token_urlsafe(18) if generate_passwords else None
                out.append(_add_login(conn, coder, role, password))
        return out

    return _in_transaction(project, work)


def add_login(
    project: Project,
    coder: str,
    *,
    role: str | None = None,
    password: str | None = None,
    generate_password: bool = False,
) -> LoginRow:
    """Create (or refresh) the database login `role` (default: the coder's name) for `coder`."""
    _require_postgres(project)
    if password is not None and generate_password:
        raise ValidationError(_("give a password or ask for a generated one, not both"))
    if generate_password:
        password = secrets.token_urlsafe(18)

    def work(conn: Connection) -> LoginRow:
        rls.install_policies(conn)
        row = conn.execute(
            select(col(Coder.id), col(Coder.name), col(Coder.role)).where(col(Coder.name) == coder)
        ).first()
        if row is None:
            raise QualcodeError(
                _("unknown coder {coder!r}: add it first with `qualcode coders add`").format(coder=coder)
            )
        return _add_login(conn, Coder(id=row.id, name=row.name, role=row.role), role or coder, password)

    return _in_transaction(project, work)


def list_logins(project: Project) -> list[dict[str, str]]:
    """The PostgreSQL logins and the coder each one signs in as. Refused for a SQLite project."""
    _require_postgres(project)
    with project.engine.connect() as conn:
        names = {
            r.id: (r.name, r.role)
            for r in conn.execute(select(col(Coder.id), col(Coder.name), col(Coder.role)))
        }
        return [
            {"login": role, "coder": names[cid][0], "role": names[cid][1]}
            for role, cid in rls.list_logins(conn)
        ]
