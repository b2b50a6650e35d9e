"""The project store on SQLite and PostgreSQL: create, open, constraints, coding round trip."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import select

from qualcode.core.errors import NotFoundError, QualcodeError, ValidationError
from qualcode.services.coders import add_coder, list_coders
from qualcode.services.coding import segments as coding
from qualcode.services.coding import undo
from qualcode.store.db import PROJECT_FILE, init_project, open_project, schema_version
from qualcode.store.migrations import SCHEMA_VERSION
from qualcode.store.models import Event, Segment
from tests.foundation.helpers import seed


def test_init_then_open_round_trip(project_target: str) -> None:
    init_project(project_target).dispose()
    project = open_project(project_target)
    assert schema_version(project.engine) == SCHEMA_VERSION
    add_coder(project, "lin")
    assert list_coders(project) == [{"name": "lin", "role": "coder"}]


def test_sqlite_pragmas(tmp_path: Path) -> None:
    project = init_project(str(tmp_path / "p"))
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    assert (tmp_path / "p" / PROJECT_FILE).is_file()


def test_code_add_and_list_round_trip_with_chinese(project_target: str) -> None:
    project = init_project(project_target)
    seed(project)
    seg = coding.add_segment(
        project, coder="lin", document="doc1", code="TAL.PROG", start=17, end=23, memo="备注"
    )
    assert seg["text"] == "开了储能专业"
    rows = coding.list_segments(project, coder="lin")
    assert [
        (r["document"], r["coder"], r["code"], r["start"], r["end"], r["text"], r["memo"]) for r in rows
    ] == [("doc1", "lin", "TAL.PROG", 17, 23, "开了储能专业", "备注")]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 5, "start must be before end"),
        (7, 3, "start must be before end"),
        (-1, 3, "negative"),
        (0, 10_000, "outside"),
    ],
)
def test_bad_spans_are_refused_and_change_nothing(
    project_target: str, start: int, end: int, message: str
) -> None:
    project = init_project(project_target)
    seed(project)
    with project.read() as s:
        events_before = len(s.exec(select(Event)).all())
    with pytest.raises(ValidationError, match=message):
        coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=start, end=end)
    with project.read() as s:
        assert s.exec(select(Segment)).all() == []
        assert len(s.exec(select(Event)).all()) == events_before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"coder": "nobody"}, "unknown coder 'nobody'"),
        ({"document": "doc9"}, "unknown document 'doc9'"),
        ({"code": "TAL.PROGG"}, "unknown code 'TAL.PROGG'.*did you mean 'TAL.PROG'"),
        ({"code": "TAL"}, "not a codable code"),
        ({"code": "TAL.OLD"}, "retired"),
    ],
)
def test_unknown_names_are_refused(project_target: str, kwargs: dict[str, str], message: str) -> None:
    project = init_project(project_target)
    seed(project)
    args = {"coder": "lin", "document": "doc1", "code": "TAL.PROG", "start": 0, "end": 3} | kwargs
    with pytest.raises(QualcodeError, match=message):
        coding.add_segment(project, **args)  # type: ignore[arg-type]
    assert coding.list_segments(project) == []


def test_database_constraints_hold_without_the_service(project_target: str) -> None:
    """The DB itself refuses bad rows, so no code path can store them."""
    project = init_project(project_target)
    seed(project)
    bad_rows = [
        {"start": 3, "end": 3},  # empty span
        {"start": -1, "end": 3},
        {"start": 0, "end": 10_000},  # beyond the document (trigger)
    ]
    for row in bad_rows:
        with pytest.raises(DBAPIError):
            with project.write() as s:
                s.execute(
                    text(
                        'INSERT INTO segments (document_id, coder_id, code_id, start, "end", created_at, updated_at) '
                        "VALUES (1, 1, 2, :start, :end, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    row,
                )
    with project.write() as s:
        s.execute(
            text(
                'INSERT INTO segments (document_id, coder_id, code_id, start, "end", created_at, updated_at) '
                "VALUES (1, 1, 2, 0, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    with pytest.raises(IntegrityError):
        with project.write() as s:
            s.execute(
                text(
                    'INSERT INTO segments (document_id, coder_id, code_id, start, "end", created_at, updated_at) '
                    "VALUES (1, 1, 2, 0, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )


def test_duplicate_segment_is_refused(project_target: str) -> None:
    project = init_project(project_target)
    seed(project)
    coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=0, end=3)
    with pytest.raises(ValidationError, match="already coded"):
        coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=0, end=3)
    assert len(coding.list_segments(project)) == 1


def test_undo_redo_survive_reopening(project_target: str) -> None:
    project = init_project(project_target)
    seed(project)
    first = coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=0, end=3)
    coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=4, end=8)
    coding.update_segment(project, coder="lin", segment_id=first["id"], end=5, memo="edge")
    coding.add_segment(project, coder="chen", document="doc1", code="TAL.PROG", start=0, end=3)
    project.dispose()

    project = open_project(project_target)
    assert undo.undo(project, "lin")[0]["action"] == "segment.update"
    spans = {(r["coder"], r["start"], r["end"], r["memo"]) for r in coding.list_segments(project)}
    assert ("lin", 0, 3, None) in spans
    assert undo.undo(project, "lin")[0]["action"] == "segment.add"
    assert {(r["coder"], r["start"]) for r in coding.list_segments(project)} == {("lin", 0), ("chen", 0)}
    assert undo.redo(project, "lin")[0]["action"] == "segment.add"
    assert undo.redo(project, "lin")[0]["action"] == "segment.update"
    assert undo.redo(project, "lin") == []
    spans = {(r["coder"], r["start"], r["end"], r["memo"]) for r in coding.list_segments(project)}
    assert spans == {("lin", 0, 5, "edge"), ("lin", 4, 8, None), ("chen", 0, 3, None)}
    # chen's history is separate from lin's
    assert undo.undo(project, "chen")[0]["action"] == "segment.add"
    assert {r["coder"] for r in coding.list_segments(project)} == {"lin"}


def test_undo_of_remove_restores_the_segment(project_target: str) -> None:
    project = init_project(project_target)
    seed(project)
    seg = coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=0, end=3, memo="m")
    coding.remove_segment(project, coder="lin", segment_id=seg["id"])
    assert coding.list_segments(project) == []
    undo.undo(project, "lin")
    restored = coding.list_segments(project)
    assert [(r["id"], r["start"], r["end"], r["memo"]) for r in restored] == [(seg["id"], 0, 3, "m")]
    # a new action clears the redo stack
    coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=1, end=2)
    assert undo.redo(project, "lin") == []


def test_document_status_and_blind_listing(project_target: str) -> None:
    from qualcode.services.settings import set_setting

    project = init_project(project_target)
    seed(project)
    coding.add_segment(project, coder="lin", document="doc1", code="TAL.PROG", start=0, end=3)
    coding.add_segment(project, coder="chen", document="doc1", code="TAL.PROG", start=0, end=4)
    assert coding.document_statuses(project, "lin") == {"doc1": "in_progress"}
    coding.set_document_status(project, coder="lin", document="doc1", status="done")
    assert coding.document_statuses(project, "lin") == {"doc1": "done"}
    assert coding.document_statuses(project, "wang") == {"doc1": "not_started"}
    set_setting(project, "blind_mode", True)
    assert {r["coder"] for r in coding.list_segments(project, viewer="lin")} == {"lin"}
    assert {r["coder"] for r in coding.list_segments(project, viewer="wang")} == {"lin", "chen"}


def test_open_refuses_non_projects(tmp_path: Path) -> None:
    with pytest.raises(QualcodeError, match="no such project folder"):
        open_project(str(tmp_path / "missing"))
    (tmp_path / "plain").mkdir()
    with pytest.raises(QualcodeError, match="not a qualcode project"):
        open_project(str(tmp_path / "plain"))
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(QualcodeError, match="is a file"):
        open_project(str(tmp_path / "file.txt"))


def test_open_refuses_corrupt_database(tmp_path: Path) -> None:
    init_project(str(tmp_path / "p")).dispose()
    for suffix in ("-wal", "-shm"):
        (tmp_path / "p" / f"qualcode.db{suffix}").unlink(missing_ok=True)
    (tmp_path / "p" / "qualcode.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(QualcodeError, match="corrupt or not a SQLite file"):
        open_project(str(tmp_path / "p"))


def test_open_refuses_newer_schema_and_leaves_it_alone(tmp_path: Path) -> None:
    init_project(str(tmp_path / "p")).dispose()
    db = tmp_path / "p" / "qualcode.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(QualcodeError, match="newer qualcode"):
        open_project(str(tmp_path / "p"))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("99",)


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(QualcodeError, match="cannot open .*Connection refused|cannot open"):
        open_project("postgresql+psycopg://nobody@127.0.0.1:1/nothing")


def test_init_refuses_existing_project(project_target: str) -> None:
    init_project(project_target).dispose()
    with pytest.raises(QualcodeError, match="already"):
        init_project(project_target)


def test_unknown_coder_lookup_lists_known_ones(tmp_path: Path) -> None:
    project = init_project(str(tmp_path / "p"))
    seed(project)
    with pytest.raises(NotFoundError, match="known coders: chen, lin, wang"):
        coding.list_segments(project, coder="zhang")


@pytest.mark.parametrize("name", ["consensus", "auto:question", "auto:"])
def test_people_cannot_take_the_pseudo_coders_names(tmp_path: Path, name: str) -> None:
    # agreement leaves consensus and auto:* out: a person so named would silently not count
    project = init_project(str(tmp_path / "p"))
    with pytest.raises(ValidationError, match=rf"{name!r} is reserved for .*; choose another name"):
        add_coder(project, name)
    assert list_coders(project) == []
