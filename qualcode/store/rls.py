"""PostgreSQL row-level security: one database login per coder, blind coding held by the server.

`qualcode_logins` maps a login (role name) to a coder. Policies on the coder-owned tables
compare each row's coder with the coder of `current_user`, so a coder's own connection
cannot read other coders' segments, memos, statuses or their events even with plain SQL,
while blind mode is on and not revealed. Leads see and write everything. The project owner
(who ran `init`) is not subject to RLS, as PostgreSQL exempts table owners.

Role names and passwords come from people, so they are always composed with psycopg's
`sql.Identifier` / `sql.Literal`, never pasted into SQL text.
"""

from typing import Any

from sqlalchemy import Connection, text

OWN_TABLES = ("segments", "document_status")  # coder_id NOT NULL
MEMO_TABLE = "memos"  # coder_id may be NULL (shared)
CODER_WRITABLE = ("segments", "memos", "document_status", "suggestions")  # suggestions: review marks
# Event entities whose rows belong to one coder (hidden from other coders in blind mode); a
# merge copies a copy's events under "merged.<entity>", which are just as private.
_OWN_ENTITIES = ("segment", "memo", "document_status", "codebook_segment", "codebook_memo")
PRIVATE_ENTITIES = ("segment", "memo", "document_status") + tuple(f"merged.{e}" for e in _OWN_ENTITIES)
LOGINS = "qualcode_logins"
# The machine coder's layer: trained models and their suggestions (services/suggest). Both are
# learned from other coders' judgements, so a blind coder reads them only while a lead has turned
# assisted coding on; the suggested segments belong to pseudo-coders (model:<id>, ai:<source>).
SUGGESTION_TABLES = ("suggestions", "suggest_models")
PSEUDO_PREFIXES = ("model:", "ai:")
MAX_ROLE_BYTES = 63  # PostgreSQL silently truncates longer identifiers


def _sql() -> Any:
    from psycopg import sql

    return sql


def _run(conn: Connection, statement: Any) -> None:
    """Execute a psycopg-composed statement on the connection's current transaction."""
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(statement)


def schema_name(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_schema()")).scalar_one())


def install_policies(conn: Connection) -> None:
    """Create the login map, the helper functions and the policies (idempotent)."""
    sql = _sql()
    schema = sql.Identifier(schema_name(conn))
    conn.execute(
        text(f"""
        CREATE TABLE IF NOT EXISTS {LOGINS} (
            role_name TEXT PRIMARY KEY,
            coder_id INTEGER NOT NULL REFERENCES coders(id) ON DELETE CASCADE
        )""")
    )
    conn.execute(text(f"REVOKE ALL ON {LOGINS} FROM PUBLIC"))
    # Each takes the login name: inside a SECURITY DEFINER function current_user is the
    # function's owner, so the policies pass the caller's current_user in.
    functions = {
        "qualcode_coder_of(who text) RETURNS integer": f"SELECT coder_id FROM {LOGINS} WHERE role_name = who",
        "qualcode_name_of(who text) RETURNS text": f"SELECT c.name FROM {LOGINS} l JOIN coders c ON c.id = l.coder_id WHERE l.role_name = who",
        "qualcode_is_lead(who text) RETURNS boolean": f"SELECT EXISTS (SELECT 1 FROM {LOGINS} l JOIN coders c ON c.id = l.coder_id "
        "WHERE l.role_name = who AND c.role = 'lead')",
        # settings values are JSON text: 'true' / 'false'
        "qualcode_sees_all(who text) RETURNS boolean": f"SELECT EXISTS (SELECT 1 FROM {LOGINS} WHERE role_name = who) AND ("
        "qualcode_is_lead(who) "
        "OR coalesce((SELECT value FROM settings WHERE key = 'blind_mode'), 'false') <> 'true' "
        "OR coalesce((SELECT value FROM settings WHERE key = 'revealed'), 'false') = 'true')",
        "qualcode_assisted(who text) RETURNS boolean": f"SELECT EXISTS (SELECT 1 FROM {LOGINS} WHERE role_name = who) AND ("
        "qualcode_sees_all(who) "
        "OR coalesce((SELECT value FROM settings WHERE key = 'assisted_coding'), 'false') = 'true')",
    }
    for signature, body in functions.items():
        # SECURITY DEFINER reads the login map, which logins cannot read; the fixed
        # search_path stops a login from shadowing the tables with its own.
        _run(
            conn,
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {schema}." + signature + " LANGUAGE sql STABLE SECURITY DEFINER "
                "SET search_path = {schema}, pg_temp AS {body}"
            ).format(schema=schema, body=sql.Literal(body)),
        )
    me = "current_user::text"
    mine = f"coder_id = qualcode_coder_of({me})"
    policies: dict[str, tuple[str, str]] = {
        table: (f"{mine} OR qualcode_sees_all({me})", f"{mine} OR qualcode_is_lead({me})")
        for table in OWN_TABLES
    }
    machine = " OR ".join(f"c.name LIKE '{prefix}%'" for prefix in PSEUDO_PREFIXES)
    policies["segments"] = (
        f"{mine} OR qualcode_sees_all({me}) OR (qualcode_assisted({me}) AND coder_id IN "
        f"(SELECT c.id FROM coders c WHERE {machine}))",
        f"{mine} OR qualcode_is_lead({me})",
    )
    policies["suggestions"] = (f"qualcode_assisted({me})", f"qualcode_assisted({me})")
    policies["suggest_models"] = (f"qualcode_assisted({me})", f"qualcode_is_lead({me})")
    policies[MEMO_TABLE] = (
        f"coder_id IS NULL OR {mine} OR qualcode_sees_all({me})",
        f"{mine} OR qualcode_is_lead({me})",
    )
    private = ", ".join(f"'{e}'" for e in PRIVATE_ENTITIES)
    policies["events"] = (
        f"entity NOT IN ({private}) OR actor = qualcode_name_of({me}) OR qualcode_sees_all({me})",
        f"actor = qualcode_name_of({me}) OR qualcode_is_lead({me})",
    )
    for table, (read, write) in policies.items():
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"DROP POLICY IF EXISTS qualcode_read ON {table}"))
        conn.execute(text(f"DROP POLICY IF EXISTS qualcode_write ON {table}"))
        conn.execute(text(f"CREATE POLICY qualcode_read ON {table} FOR SELECT USING ({read})"))
        conn.execute(
            text(f"CREATE POLICY qualcode_write ON {table} FOR ALL USING ({write}) WITH CHECK ({write})")
        )


def role_info(conn: Connection, role: str) -> dict[str, Any] | None:
    row = conn.execute(
        text("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": role}
    ).first()
    return None if row is None else {"superuser": row[0], "bypassrls": row[1], "login": row[2]}


def owns_tables(conn: Connection, role: str) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'segments' AND schemaname = current_schema() "
                "AND tableowner = :r)"
            ),
            {"r": role},
        ).scalar_one()
    )


def mapped_coder(conn: Connection, role: str) -> int | None:
    row = conn.execute(text(f"SELECT coder_id FROM {LOGINS} WHERE role_name = :r"), {"r": role}).first()
    return None if row is None else int(row[0])


def create_or_update_role(conn: Connection, role: str, password: str | None, exists: bool) -> None:
    sql = _sql()
    verb = "ALTER" if exists else "CREATE"
    if password is None:
        _run(conn, sql.SQL(verb + " ROLE {} LOGIN").format(sql.Identifier(role)))
    else:
        _run(
            conn,
            sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)),
        )


def grant(conn: Connection, role: str, lead: bool) -> None:
    """Give `role` what a coder (or a lead) needs; re-running replaces earlier grants."""
    sql = _sql()
    ident = sql.Identifier(role)
    schema = sql.Identifier(schema_name(conn))
    database = sql.Identifier(str(conn.execute(text("SELECT current_database()")).scalar_one()))
    _run(conn, sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, ident))
    _run(conn, sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, ident))
    _run(conn, sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, ident))
    if lead:
        _run(
            conn,
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
                schema, ident
            ),
        )
    else:
        _run(conn, sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schema, ident))
        for table in CODER_WRITABLE:
            _run(
                conn, sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(sql.Identifier(table), ident)
            )
        _run(conn, sql.SQL("GRANT INSERT ON events TO {}").format(ident))
    _run(conn, sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(LOGINS), ident))
    _run(conn, sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, ident))


def map_login(conn: Connection, role: str, coder_id: int) -> None:
    conn.execute(
        text(
            f"INSERT INTO {LOGINS} (role_name, coder_id) VALUES (:r, :c) "
            "ON CONFLICT (role_name) DO UPDATE SET coder_id = EXCLUDED.coder_id"
        ),
        {"r": role, "c": coder_id},
    )


def list_logins(conn: Connection) -> list[tuple[str, int]]:
    if not conn.dialect.has_table(conn, LOGINS):
        return []
    return [
        (r[0], int(r[1])) for r in conn.execute(text(f"SELECT role_name, coder_id FROM {LOGINS} ORDER BY 1"))
    ]
