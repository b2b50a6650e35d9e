"""Reading the interview guide and writing a transcript's units: the rows both importers share.

File import (services/sources) and REFI-QDA import (services/exchange) each call these; kept
outside both packages so that sources may hand a .qdpx file to exchange without a cycle.
"""

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from qualcode.core.alignment import GuideQuestion
from qualcode.core.ordering import natural_key
from qualcode.core.transcript import UnitSpec
from qualcode.store.models import Question


def load_guide(session: Session) -> list[GuideQuestion]:
    """The interview guide's questions in guide order, for aligning transcripts to questions."""
    rows = session.execute(select(Question)).scalars().all()
    rows = sorted(rows, key=lambda q: (q.order, natural_key(q.key)))
    return [GuideQuestion(q.key, q.text_en, q.text_zh, q.order) for q in rows]


_UNIT_COLUMNS = (
    "document_id",
    "seq",
    "kind",
    "speaker",
    "speaker_role",
    "question_key",
    "question_confidence",
    "question_source",
    "start",
    "end",
    "t_start",
    "t_end",
)


def insert_units(connection: Any, document_id: int, units: list[UnitSpec]) -> None:
    """One DBAPI executemany: SQLAlchemy's per-row parameter handling costs more than SQLite's insert."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    columns = ", ".join(f'"{c}"' for c in _UNIT_COLUMNS)
    sql = f"INSERT INTO units ({columns}) VALUES ({', '.join([mark] * len(_UNIT_COLUMNS))})"
    rows = [
        (
            document_id,
            seq,
            u.kind,
            u.speaker and u.speaker[:200],
            u.speaker_role,
            u.question_key,
            u.question_confidence,
            u.question_source,
            u.start,
            u.end,
            u.t_start,
            u.t_end,
        )
        for seq, u in enumerate(units, start=1)
    ]
    connection.exec_driver_sql(sql, rows)
