"""Offline merge: per-coder copies merge into exactly the union, idempotently, and refuse conflicts."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from qualcode.cli import cli
from qualcode.core.errors import QualcodeError
from qualcode.services.coding.memos import add_memo
from qualcode.services.coding.segments import add_segment, set_document_status, update_segment
from qualcode.services.team.merge import MergeConflictError, merge_projects
from qualcode.store.db import Project, open_project
from tests.team.support import make_project
from tests.team.worker import stored_state

SHARED = [("alice", "interview-01", "TAL.CURR", 0, 10), ("alice", "interview-02", "TEC.LAB", 5, 30)]
ALICE = [
    ("alice", "interview-01", "TAL.TEACH", 12, 40),
    ("alice", "interview-03", "ADM.FUND", 3, 9),
    ("alice", "interview-02", "TEC.LAB", 40, 60),
]
BOB = [
    ("bob", "interview-01", "TAL.CURR", 0, 10),
    ("bob", "interview-01", "TAL.TEACH", 12, 41),
    ("bob", "interview-03", "GOV.COORD", 0, 20),
]


def _code(project: Project, rows: list[tuple[str, str, str, int, int]]) -> None:
    for coder, doc, code, start, end in rows:
        add_segment(project, coder=coder, document=doc, code=code, start=start, end=end)


def _dump(project: Project) -> dict[str, list[tuple]]:
    with project.engine.connect() as conn:
        return {
            t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")).all()), key=repr)
            for t in (
                "coders",
                "codes",
                "documents",
                "segments",
                "memos",
                "document_status",
                "events",
                "cases",
            )
        }


@pytest.fixture(autouse=True)
def _backups_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge into a database URL writes its backup under the working folder: keep it out of the repo."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def copies(tmp_path: Path, project_target: str) -> tuple[Project, str, str]:
    """The team's project (SQLite or PostgreSQL) and alice's and bob's offline SQLite copies."""
    master = make_project(project_target)
    _code(master, SHARED)
    alice = make_project(str(tmp_path / "alice"))
    _code(alice, SHARED + ALICE)
    add_memo(alice, coder="alice", target_type="document", target="interview-01", text="政府主导的联合体")
    set_document_status(alice, coder="alice", document="interview-01", status="done")
    bob = make_project(str(tmp_path / "bob"))
    _code(bob, SHARED[:1] + BOB)
    set_document_status(bob, coder="bob", document="interview-03", status="done")
    alice.dispose()
    bob.dispose()
    return master, str(tmp_path / "alice"), str(tmp_path / "bob")


def test_merge_gives_exactly_the_union_and_is_idempotent(copies: tuple[Project, str, str]) -> None:
    master, alice, bob = copies
    union: dict = {}
    for source in (alice, bob):
        opened = open_project(source)
        union |= stored_state(opened)
        opened.dispose()
    report = merge_projects(master, [alice, bob], actor="lead")
    assert report["changed"]
    assert (
        report["sources"][0]["segments_added"] == 3 and report["sources"][0]["segments_already_present"] == 2
    )
    assert (
        report["sources"][1]["segments_added"] == 3 and report["sources"][1]["segments_already_present"] == 1
    )
    assert stored_state(master) == union
    assert len(union) == len(SHARED) + len(ALICE) + len(BOB)
    with master.engine.connect() as conn:
        statuses = dict(
            conn.execute(
                text(
                    "SELECT c.name || '/' || d.name, s.status FROM document_status s JOIN coders c ON c.id = s.coder_id "
                    "JOIN documents d ON d.id = s.document_id"
                )
            ).all()
        )
        memos = conn.execute(text("SELECT text FROM memos")).scalars().all()
        merges = conn.execute(text("SELECT count(*) FROM events WHERE action = 'merge'")).scalar_one()
    assert statuses["alice/interview-01"] == "done" and statuses["bob/interview-03"] == "done"
    assert memos == ["政府主导的联合体"]
    assert merges == 2
    before = _dump(master)
    again = merge_projects(master, [alice, bob, alice], actor="lead")
    assert not again["changed"] and not again["would_change"]
    assert _dump(master) == before


def test_dry_run_reports_and_changes_nothing(copies: tuple[Project, str, str]) -> None:
    master, alice, bob = copies
    before = _dump(master)
    report = merge_projects(master, [alice, bob], dry_run=True)
    assert report["would_change"] and not report["changed"]
    assert [s["segments_added"] for s in report["sources"]] == [3, 3]
    assert _dump(master) == before


def test_coder_with_another_role_is_refused_until_mapped(tmp_path: Path) -> None:
    master = make_project(str(tmp_path / "m"))
    other = make_project(str(tmp_path / "o"), coders={"alice": "lead"})
    _code(other, [("alice", "interview-01", "TAL.CURR", 1, 5)])
    other.dispose()
    before = _dump(master)
    with pytest.raises(
        MergeConflictError,
        match=r"coder 'alice' is a lead in .* but a coder in the target.*--map-coder alice=NAME",
    ):
        merge_projects(master, [str(tmp_path / "o")])
    assert _dump(master) == before
    merge_projects(master, [str(tmp_path / "o")], coder_map={"alice": "alice-lead"})
    assert set(stored_state(master)) == {("alice-lead", "interview-01", "TAL.CURR", 1, 5)}


def test_same_name_with_diverging_work_needs_a_decision(tmp_path: Path) -> None:
    master = make_project(str(tmp_path / "m"))
    _code(
        master, [("alice", "interview-01", "TAL.CURR", 0, 10), ("alice", "interview-01", "TAL.CURR", 20, 30)]
    )
    other = make_project(str(tmp_path / "o"))
    _code(other, [("alice", "interview-01", "TAL.CURR", 0, 10), ("alice", "interview-01", "TEC.LAB", 50, 60)])
    other.dispose()
    with pytest.raises(MergeConflictError, match="coder 'alice' has different coding of interview-01"):
        merge_projects(master, [str(tmp_path / "o")])
    assert len(stored_state(master)) == 2
    merge_projects(master, [str(tmp_path / "o")], coder_map={"alice": "alice"})
    assert len(stored_state(master)) == 3
    # a continuation (the source only adds to what the target has) needs no decision
    more = make_project(str(tmp_path / "more"))
    _code(
        more,
        [
            ("alice", "interview-01", "TAL.CURR", 0, 10),
            ("alice", "interview-01", "TAL.CURR", 20, 30),
            ("alice", "interview-01", "TEC.LAB", 50, 60),
            ("alice", "interview-01", "TEC.LAB", 70, 80),
        ],
    )
    more.dispose()
    assert merge_projects(master, [str(tmp_path / "more")])["sources"][0]["segments_added"] == 1


def test_missing_codes_are_refused_with_the_list_unless_added(tmp_path: Path) -> None:
    master = make_project(str(tmp_path / "m"), codes=["TAL.CURR"])
    other = make_project(str(tmp_path / "o"))
    _code(other, [("bob", "interview-02", "TEC.LAB", 0, 4), ("bob", "interview-02", "GOV.COORD", 0, 4)])
    other.dispose()
    with pytest.raises(
        MergeConflictError, match="uses codes the target's codebook lacks: GOV.COORD, TEC.LAB"
    ):
        merge_projects(master, [str(tmp_path / "o")])
    assert stored_state(master) == {}
    report = merge_projects(master, [str(tmp_path / "o")], add_codes=True)
    src = report["sources"][0]
    assert src["new_codes"] == ["ADM.FUND", "GOV.COORD", "TAL.TEACH", "TEC.LAB"]
    assert len(stored_state(master)) == 2


def test_codebook_differences_are_reported_not_resolved(tmp_path: Path) -> None:
    master = make_project(str(tmp_path / "m"))
    other = make_project(str(tmp_path / "o"), codes=["TAL.CURR", "NEW.ONE"])
    with other.write() as session:
        session.execute(text("UPDATE codes SET definition = '新的定义' WHERE key = 'TAL.CURR'"))
    other.dispose()
    report = merge_projects(master, [str(tmp_path / "o")])
    book = report["sources"][0]["codebook"]
    assert book["only_in_source"] == ["NEW.ONE"]
    assert book["only_in_target"] == ["ADM.FUND", "GOV.COORD", "TAL.TEACH", "TEC.LAB"]
    assert book["changed"] == [
        {"key": "TAL.CURR", "field": "definition", "target": "definition of TAL.CURR", "source": "新的定义"}
    ]
    with master.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT definition FROM codes WHERE key = 'TAL.CURR'")).scalar_one()
            == "definition of TAL.CURR"
        )
        assert conn.execute(text("SELECT count(*) FROM codes WHERE key = 'NEW.ONE'")).scalar_one() == 0


def test_new_documents_are_copied_and_name_clashes_refused(tmp_path: Path) -> None:
    master = make_project(str(tmp_path / "m"), texts={"interview-01": "甲乙丙丁戊己庚辛"})
    other = make_project(
        str(tmp_path / "o"), texts={"interview-01": "甲乙丙丁戊己庚辛", "extra": "额外的访谈记录"}
    )
    _code(other, [("alice", "extra", "TAL.CURR", 0, 2)])
    other.dispose()
    report = merge_projects(master, [str(tmp_path / "o")])
    assert report["sources"][0]["new_documents"] == 1
    assert set(stored_state(master)) == {("alice", "extra", "TAL.CURR", 0, 2)}
    clash = make_project(str(tmp_path / "c"), texts={"extra": "另一个文本"})
    clash.dispose()
    with pytest.raises(MergeConflictError, match="document 'extra' has a different text"):
        merge_projects(master, [str(tmp_path / "c")])


def test_segment_memos_are_combined_once(tmp_path: Path) -> None:
    master = make_project(str(tmp_path / "m"))
    _code(master, [("alice", "interview-01", "TAL.CURR", 0, 10)])
    update_segment(master, coder="alice", segment_id=1, memo="first thought")
    other = make_project(str(tmp_path / "o"))
    _code(other, [("alice", "interview-01", "TAL.CURR", 0, 10)])
    update_segment(other, coder="alice", segment_id=1, memo="second thought")
    other.dispose()
    merge_projects(master, [str(tmp_path / "o")])
    merge_projects(master, [str(tmp_path / "o")])
    assert list(stored_state(master).values()) == ["first thought\n\nsecond thought"]


def test_cli_merge_dry_run_and_errors(copies: tuple[Project, str, str], project_target: str) -> None:
    master, alice, bob = copies
    runner = CliRunner()
    result = runner.invoke(cli, ["merge", project_target, alice, bob, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert (
        "dry run" in result.output
        and "would add 0 documents, 3 segments (2 already present)" in result.output
    )
    result = runner.invoke(cli, ["merge", project_target, alice, "--map-coder", "nobody"])
    assert isinstance(result.exception, QualcodeError) and "SOURCE_NAME=TARGET_NAME" in str(result.exception)
    result = runner.invoke(cli, ["merge", project_target, alice, bob, "--as", "lead"])
    assert result.exit_code == 0 and "added 0 documents, 3 segments" in result.output
    result = runner.invoke(cli, ["merge", project_target, alice])
    assert "nothing to merge" in result.output


def test_a_merge_is_undone_and_redone_as_one_step(copies: tuple[Project, str, str]) -> None:
    from qualcode.services.coding.undo import redo, undo

    master, alice, bob = copies
    before = stored_state(master)
    merge_projects(master, [alice], actor="lead")
    after = stored_state(master)
    assert len(after) == len(before) + 3
    undo(master, "lead")
    assert stored_state(master) == before
    redo(master, "lead")
    assert stored_state(master) == after
    assert not merge_projects(master, [alice], dry_run=True)["would_change"]


def test_merging_a_project_into_itself_or_a_missing_source_is_refused(tmp_path: Path) -> None:
    master = make_project(str(tmp_path / "m"))
    with pytest.raises(QualcodeError, match="is the target project itself"):
        merge_projects(master, [str(tmp_path / "m")])
    with pytest.raises(QualcodeError, match="no such project folder"):
        merge_projects(master, [str(tmp_path / "nowhere")])
    with pytest.raises(QualcodeError, match="name at least one source"):
        merge_projects(master, [])
