"""Database-side rules SQLModel cannot express: segment and unit ends within the document."""

from sqlalchemy import Connection, text

_SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS segment_end_in_document_insert
    BEFORE INSERT ON segments
    WHEN NEW."end" > (SELECT length FROM documents WHERE id = NEW.document_id)
    BEGIN SELECT RAISE(ABORT, 'segment end beyond document length'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS segment_end_in_document_update
    BEFORE UPDATE OF "end", document_id ON segments
    WHEN NEW."end" > (SELECT length FROM documents WHERE id = NEW.document_id)
    BEGIN SELECT RAISE(ABORT, 'segment end beyond document length'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS unit_end_in_document_insert
    BEFORE INSERT ON units
    WHEN NEW."end" > (SELECT length FROM documents WHERE id = NEW.document_id)
    BEGIN SELECT RAISE(ABORT, 'unit end beyond document length'); END
    """,
]

_PG_STATEMENTS = [
    """
    CREATE OR REPLACE FUNCTION qualcode_check_span_end() RETURNS trigger AS $$
    BEGIN
      IF NEW."end" > (SELECT length FROM documents WHERE id = NEW.document_id) THEN
        RAISE EXCEPTION '% end beyond document length', TG_TABLE_NAME;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS segment_end_in_document ON segments",
    """
    CREATE TRIGGER segment_end_in_document BEFORE INSERT OR UPDATE ON segments
    FOR EACH ROW EXECUTE FUNCTION qualcode_check_span_end()
    """,
    "DROP TRIGGER IF EXISTS unit_end_in_document ON units",
    """
    CREATE TRIGGER unit_end_in_document BEFORE INSERT OR UPDATE ON units
    FOR EACH ROW EXECUTE FUNCTION qualcode_check_span_end()
    """,
]


def install_triggers(conn: Connection) -> None:
    statements = _PG_STATEMENTS if conn.dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in statements:
        conn.execute(text(statement))
