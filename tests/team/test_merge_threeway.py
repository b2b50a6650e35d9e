"""Three-way offline merge: a coder's folder copy brings back removals, edits, memo edits, done
marks and codebook renames; conflicts are listed and left alone until settled; a second merge
changes nothing; agreement after the merge equals agreement with the same work done directly."""

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from qualcode.cli import cli
from qualcode.core.errors import QualcodeError
from qualcode.services.agreement.project_report import agreement_report
from qualcode.services.codebook.curation import codebook_info
from qualcode.services.coding.memos import add_memo, edit_memo
from qualcode.services.coding.segments import add_segment
from qualcode.store.db import Project, open_project
from tests.team.support import make_project
from tests.team.worker import stored_state

DOC = "interview-01"
CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "industry-education-consortium.yaml"


def run(*args: str, ok: bool = True) -> Any:
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output + str(result.exception)
    return result


def _seed(target: str) -> None:
    project = make_project(target, codes=[])
    run("codebook", "load", target, str(CODEBOOK))
    for coder in ("alice", "bob"):
        add_segment(project, coder=coder, document=DOC, code="TAL.CURR", start=0, end=10)
        add_segment(project, coder=coder, document=DOC, code="TAL.TEACH", start=12, end=40, memo="共享教师")
        add_segment(project, coder=coder, document="interview-03", code="ADM.POLICY", start=3, end=9)
    add_memo(project, coder="alice", target_type="document", target=DOC, text="first thought")
    project.dispose()


def _copy(folder: Path, name: str) -> str:
    """What a coder does: copy the project folder (backups left behind)."""
    target = folder.parent / name
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("backups"))
    return str(target)


def _segment_id(project: str, coder: str, code: str, start: int) -> int:
    rows = json.loads(run("code", "list", project, "--coder", coder, "--format", "json").output)
    return next(r["id"] for r in rows if r["code"] == code and r["start"] == start)


def _memo_id(project: Project) -> int:
    with project.engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM memos WHERE text = 'first thought'")).scalar_one())


def _field_work(copy: str) -> None:
    """alice, offline: a removal, a boundary edit, a new segment, a memo edit, a done mark, a rename."""
    run(
        "code",
        "remove",
        copy,
        "--coder",
        "alice",
        "--doc",
        DOC,
        "--code",
        "TAL.CURR",
        "--start",
        "0",
        "--end",
        "10",
    )
    seg = _segment_id(copy, "alice", "TAL.TEACH", 12)
    run("code", "update", copy, "--coder", "alice", "--id", str(seg), "--start", "14", "--end", "38")
    run(
        "code",
        "add",
        copy,
        "--coder",
        "alice",
        "--doc",
        DOC,
        "--code",
        "TEC.CTP",
        "--start",
        "50",
        "--end",
        "70",
    )
    run("code", "done", copy, "--coder", "alice", "--doc", DOC)
    run("codebook", "rename", copy, "ADM.POLICY", "--key", "ADM.MONEY", "--as", "alice")
    project = open_project(copy)
    edit_memo(project, coder="alice", memo_id=_memo_id(project), text="second thought")
    project.dispose()


def _state(project: Project) -> dict[str, Any]:
    with project.engine.connect() as conn:
        statuses = sorted(
            map(
                tuple,
                conn.execute(
                    text(
                        "SELECT c.name, d.name, s.status FROM document_status s JOIN coders c ON c.id = s.coder_id "
                        "JOIN documents d ON d.id = s.document_id"
                    )
                ).all(),
            )
        )
        memos = sorted(conn.execute(text("SELECT text FROM memos")).scalars())
        codes = sorted(conn.execute(text("SELECT key FROM codes")).scalars())
    return {"segments": stored_state(project), "statuses": statuses, "memos": memos, "codes": codes}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    _seed(str(folder))
    return folder


def test_offline_changes_arrive_and_equal_the_same_work_done_directly(study: Path) -> None:
    direct = _copy(study, "direct")
    alice = _copy(study, "alice")
    _field_work(alice)
    _field_work(direct)

    dry = json.loads(run("merge", str(study), alice, "--dry-run", "--format", "json").output)
    source = dry["sources"][0]
    assert dry["dry_run"] and dry["would_change"] and source["mode"] == "three-way"
    assert source["conflicts"] == []
    kinds = sorted((a["action"], a["entity"]) for a in source["actions"])
    assert kinds == [
        ("add", "segment"),
        ("change", "code"),
        ("change", "memo"),
        ("change", "segment"),
        ("change", "status"),
        ("remove", "segment"),
    ]
    before = _state(open_project(str(study)))
    after_dry = _state(open_project(str(study)))
    assert before == after_dry

    result = run("merge", str(study), alice, "--as", "lead")
    assert "removed alice: TAL.CURR [0, 10)" in result.output
    target, reference = open_project(str(study)), open_project(direct)
    assert _state(target) == _state(reference)
    assert ("alice", DOC, "TAL.CURR", 0, 10) not in stored_state(target)
    assert ("bob", DOC, "TAL.CURR", 0, 10) in stored_state(target)
    assert ("alice", DOC, "TAL.TEACH", 14, 38) in stored_state(target)
    assert "ADM.MONEY" in _state(target)["codes"] and "second thought" in _state(target)["memos"]
    ours, reference_book = codebook_info(target), codebook_info(reference)
    assert ours["sha256"] == reference_book["sha256"] and ours["version"] == reference_book["version"] == 2
    assert list((study / "backups").glob("qualcode-before-merge-*.db"))

    # the agreement engine sees the same coding as if alice had worked in the team's project
    mark_done = ("code", "done")
    for project in (str(study), direct):
        run(*mark_done, project, "--coder", "bob", "--doc", DOC)
    ours = agreement_report(open_project(str(study)), coders=["alice", "bob"], unit="char")
    theirs = agreement_report(open_project(direct), coders=["alice", "bob"], unit="char")
    assert ours.pop("project") != theirs.pop("project")
    assert json.dumps(ours, sort_keys=True, default=str) == json.dumps(theirs, sort_keys=True, default=str)

    # merging the same copy again changes nothing, not even the event log
    with target.engine.connect() as conn:
        events = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    again = run("merge", str(study), alice, "--as", "lead")
    assert "nothing to merge" in again.output
    with target.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == events
    assert len(list((study / "backups").glob("qualcode-before-merge-*.db"))) == 1


def test_the_merge_is_undone_as_one_step_and_overridden_versions_stay_in_the_log(study: Path) -> None:
    alice = _copy(study, "alice")
    run(
        "code",
        "remove",
        alice,
        "--coder",
        "alice",
        "--doc",
        DOC,
        "--code",
        "TAL.CURR",
        "--start",
        "0",
        "--end",
        "10",
    )
    target = open_project(str(study))
    before = stored_state(target)
    run("merge", str(study), alice, "--as", "lead")
    assert ("alice", DOC, "TAL.CURR", 0, 10) not in stored_state(target)
    with target.engine.connect() as conn:
        removed = conn.execute(
            text("SELECT before FROM events WHERE action = 'merge.row' AND entity = 'segment'")
        ).scalar_one()
        copied = conn.execute(
            text("SELECT count(*) FROM events WHERE entity = 'merged.segment'")
        ).scalar_one()
    assert json.loads(removed)["start"] == 0 and copied == 1
    run("code", "undo", str(study), "--coder", "lead")
    assert stored_state(target) == before


def _conflicting_copies(study: Path) -> tuple[str, dict[str, Any]]:
    alice = _copy(study, "alice")
    # same segment changed differently on both sides
    run(
        "code",
        "update",
        alice,
        "--coder",
        "alice",
        "--id",
        str(_segment_id(alice, "alice", "TAL.TEACH", 12)),
        "--end",
        "30",
    )
    run(
        "code",
        "update",
        str(study),
        "--coder",
        "alice",
        "--id",
        str(_segment_id(str(study), "alice", "TAL.TEACH", 12)),
        "--end",
        "35",
    )
    # removed in the copy, edited in the target
    run(
        "code",
        "remove",
        alice,
        "--coder",
        "alice",
        "--doc",
        DOC,
        "--code",
        "TAL.CURR",
        "--start",
        "0",
        "--end",
        "10",
    )
    run(
        "code",
        "update",
        str(study),
        "--coder",
        "alice",
        "--id",
        str(_segment_id(str(study), "alice", "TAL.CURR", 0)),
        "--start",
        "1",
    )
    # a codebook change in the copy that would orphan the target's coding
    run("codebook", "merge", alice, "ADM.POLICY", "GOV.COORD", "--as", "alice")
    run(
        "code",
        "add",
        str(study),
        "--coder",
        "bob",
        "--doc",
        "interview-02",
        "--code",
        "ADM.POLICY",
        "--start",
        "0",
        "--end",
        "5",
    )
    # and one change without a conflict
    run("code", "done", alice, "--coder", "alice", "--doc", DOC)
    report = json.loads(run("merge", str(study), alice, "--dry-run", "--format", "json").output)
    return alice, report


def _assert_target_kept(target: Project) -> None:
    state = stored_state(target)
    assert ("alice", DOC, "TAL.TEACH", 12, 35) in state and ("alice", DOC, "TAL.TEACH", 12, 30) not in state
    assert ("alice", DOC, "TAL.CURR", 1, 10) in state
    assert ("bob", "interview-02", "ADM.POLICY", 0, 5) in state
    with target.engine.connect() as conn:
        assert conn.execute(text("SELECT retired FROM codes WHERE key = 'ADM.POLICY'")).scalar_one() in (
            0,
            False,
        )


def test_conflicts_of_each_kind_are_listed_and_left_until_resolved(study: Path) -> None:
    alice, dry = _conflicting_copies(study)
    conflicts = {c["kind"]: c for c in dry["sources"][0]["conflicts"]}
    assert set(conflicts) == {"changed_on_both_sides", "removed_and_edited", "codebook_orphans"}
    assert "[12, 35)" in conflicts["changed_on_both_sides"]["target"]
    assert "[12, 30)" in conflicts["changed_on_both_sides"]["source"]
    assert conflicts["removed_and_edited"]["source"] is None
    assert conflicts["codebook_orphans"]["entity"] == "code"

    target = open_project(str(study))
    out = run("merge", str(study), alice, "--as", "lead").output
    assert "CONFLICT" in out and "merge resolve" in out
    _assert_target_kept(target)
    # what did not conflict arrived: the done mark, and the codebook merge's moved segments
    assert ("bob", "interview-03", "GOV.COORD", 3, 9) in stored_state(target)
    with target.engine.connect() as conn:
        status = (
            "SELECT status FROM document_status s JOIN coders c ON c.id = s.coder_id "
            "JOIN documents d ON d.id = s.document_id WHERE c.name = 'alice' AND d.name = 'interview-01'"
        )
        assert conn.execute(text(status)).scalar_one() == "done"
    again = json.loads(run("merge", str(study), alice, "--dry-run", "--format", "json").output)
    assert len(again["sources"][0]["conflicts"]) == 3  # still open

    # one by one: the copy's boundary wins, the target's edit of the removed segment stays
    both = conflicts["changed_on_both_sides"]["id"]
    run("merge", "resolve", str(study), alice, both[:16], "--take", "source", "--as", "lead")
    assert ("alice", DOC, "TAL.TEACH", 12, 30) in stored_state(target)
    run("merge", "resolve", str(study), alice, conflicts["removed_and_edited"]["id"], "--take", "target")
    assert ("alice", DOC, "TAL.CURR", 1, 10) in stored_state(target)
    # the orphaning removal of a code taken from the copy retires the code instead of dropping coding
    run("merge", "resolve", str(study), alice, "--all", "--take", "source")
    with target.engine.connect() as conn:
        assert conn.execute(text("SELECT retired FROM codes WHERE key = 'ADM.POLICY'")).scalar_one() in (
            1,
            True,
        )
    assert ("bob", "interview-02", "ADM.POLICY", 0, 5) in stored_state(target)
    final = json.loads(run("merge", str(study), alice, "--dry-run", "--format", "json").output)
    assert not final["would_change"] and final["conflicts"] == 0
    # the copy's overridden version is kept in the target's log
    with target.engine.connect() as conn:
        logged = conn.execute(
            text("SELECT count(*) FROM events WHERE entity = 'merged.segment'")
        ).scalar_one()
    assert logged >= 2


def test_a_policy_settles_every_conflict_at_once(study: Path) -> None:
    alice, _ = _conflicting_copies(study)
    target = open_project(str(study))
    report = json.loads(run("merge", str(study), alice, "--on-conflict", "target", "--format", "json").output)
    assert report["conflicts"] == 0 and len(report["sources"][0]["resolved"]) == 3
    _assert_target_kept(target)
    assert not json.loads(run("merge", str(study), alice, "--dry-run", "--format", "json").output)[
        "would_change"
    ]


def test_coders_are_matched_by_identity_not_name(study: Path, tmp_path: Path) -> None:
    alice = _copy(study, "alice")
    with open_project(alice).engine.begin() as conn:  # alice renamed herself in her copy
        conn.execute(text("UPDATE coders SET name = 'alice-wang' WHERE name = 'alice'"))
    run(
        "code",
        "add",
        alice,
        "--coder",
        "alice-wang",
        "--doc",
        DOC,
        "--code",
        "TEC.CTP",
        "--start",
        "50",
        "--end",
        "60",
    )
    report = json.loads(run("merge", str(study), alice, "--format", "json").output)
    assert report["sources"][0]["coders"]["alice-wang"] == "alice"
    assert ("alice", DOC, "TEC.CTP", 50, 60) in stored_state(open_project(str(study)))

    # a different person who happens to be called carol on both sides is refused
    carol = _copy(study, "carol")
    run("coders", "add", carol, "carol")
    run("coders", "add", str(study), "carol")
    run(
        "code",
        "add",
        carol,
        "--coder",
        "carol",
        "--doc",
        DOC,
        "--code",
        "TEC.CTP",
        "--start",
        "0",
        "--end",
        "5",
    )
    refused = run("merge", str(study), carol, ok=False)
    assert refused.exit_code != 0 and isinstance(refused.exception, QualcodeError)
    assert "not the 'carol' of the target" in str(refused.exception)
    assert ("carol", DOC, "TEC.CTP", 0, 5) not in stored_state(open_project(str(study)))
    run("merge", str(study), carol, "--map-coder", "carol=carol")
    assert ("carol", DOC, "TEC.CTP", 0, 5) in stored_state(open_project(str(study)))


def test_a_copy_without_shared_history_is_merged_as_a_union_with_a_warning(
    study: Path, tmp_path: Path
) -> None:
    other = make_project(str(tmp_path / "other"), coders={"dora": "coder"}, codes=["GOV.COORD"])
    add_segment(other, coder="dora", document=DOC, code="GOV.COORD", start=0, end=4)
    other.dispose()
    result = CliRunner().invoke(cli, ["merge", str(study), str(tmp_path / "other")])
    assert result.exit_code == 0
    assert "removed or moved in it cannot be carried over" in result.output
    assert ("dora", DOC, "GOV.COORD", 0, 4) in stored_state(open_project(str(study)))


def test_an_older_copy_is_upgraded_in_a_scratch_copy_and_left_untouched(study: Path) -> None:
    from tests.foundation.test_migrations import FIXTURE

    old = study.parent / "old"
    shutil.copytree(FIXTURE, old)
    report = json.loads(run("merge", str(study), str(old), "--add-codes", "--format", "json").output)
    assert report["sources"][0]["mode"] == "union" and report["sources"][0]["segments_added"] == 1
    with sqlite3.connect(old / "qualcode.db") as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
    assert not (old / "backups").exists()


@pytest.mark.postgres
def test_on_postgresql_a_database_copy_merges_three_way(
    pg_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from tests.conftest import require_pg

    monkeypatch.chdir(tmp_path)  # a database URL's backups are written under the working folder
    _seed(pg_database_url)
    url = make_url(pg_database_url)
    copy_url = url.set(database=f"{url.database}_alice").render_as_string(hide_password=False)
    admin = create_engine(make_url(require_pg()), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # the field copy: the whole database, as a plain copy would be
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": url.database},
        )
        conn.execute(text(f'CREATE DATABASE "{url.database}_alice" TEMPLATE "{url.database}"'))
    try:
        _field_work(copy_url)
        run("merge", pg_database_url, copy_url, "--as", "lead")
        target = open_project(pg_database_url)
        state = _state(target)
        assert ("alice", DOC, "TAL.CURR", 0, 10) not in state["segments"]
        assert ("alice", DOC, "TAL.TEACH", 14, 38) in state["segments"]
        assert ("alice", DOC, "TEC.CTP", 50, 70) in state["segments"]
        assert "ADM.MONEY" in state["codes"] and "ADM.POLICY" not in state["codes"]
        assert "second thought" in state["memos"] and ("alice", DOC, "done") in state["statuses"]
        assert list((tmp_path / "backups").glob("qualcode-before-merge-*.sql"))
        assert "nothing to merge" in run("merge", pg_database_url, copy_url).output
        target.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}_alice" WITH (FORCE)'))
        admin.dispose()


def test_two_copies_of_one_older_project_agree_on_identities_and_merge_three_way(tmp_path: Path) -> None:
    """Copies upgraded separately get the same GUIDs, so an old copy's removal still arrives."""
    from tests.foundation.test_migrations import FIXTURE

    team, field = tmp_path / "team", tmp_path / "field"
    shutil.copytree(FIXTURE, team)
    shutil.copytree(FIXTURE, field)
    with sqlite3.connect(field / "qualcode.db") as conn:  # what the older qualcode did in the field
        before = conn.execute("SELECT after FROM events WHERE action = 'segment.add'").fetchone()[0]
        conn.execute("DELETE FROM segments WHERE id = 1")
        conn.execute(
            "INSERT INTO events (at, actor, action, entity, entity_id, before) "
            "VALUES ('2026-11-27 08:00:00.000000', 'lin', 'segment.remove', 'segment', 1, ?)",
            (before,),
        )
    project = open_project(str(team))  # the team's project is upgraded now
    assert len(stored_state(project)) == 1
    report = json.loads(run("merge", str(team), str(field), "--format", "json").output)
    assert report["sources"][0]["mode"] == "three-way"
    assert [a["action"] for a in report["sources"][0]["actions"]] == ["remove"]
    assert stored_state(project) == {}
    other = tmp_path / "other"
    shutil.copytree(FIXTURE, other)
    upgraded = open_project(str(other))
    with upgraded.engine.connect() as a, project.engine.connect() as b:
        for table, shared in (("events", 2), ("coders", 3), ("codes", 3)):
            query = text(f"SELECT guid FROM {table} WHERE id <= {shared} ORDER BY id")
            guids = a.execute(query).scalars().all()
            assert len(guids) == shared and None not in guids and guids == b.execute(query).scalars().all()


def test_a_document_first_coded_and_marked_done_offline_arrives_done(study: Path) -> None:
    alice = _copy(study, "alice")
    run(
        "code",
        "add",
        alice,
        "--coder",
        "alice",
        "--doc",
        "interview-02",
        "--code",
        "TEC.CTP",
        "--start",
        "0",
        "--end",
        "9",
    )
    run("code", "done", alice, "--coder", "alice", "--doc", "interview-02")
    report = json.loads(run("merge", str(study), alice, "--format", "json").output)
    assert report["conflicts"] == 0
    assert ("alice", "interview-02", "done") in _state(open_project(str(study)))["statuses"]


def test_bad_input_is_one_error_line_exit_2_and_changes_nothing(study: Path) -> None:
    from tests.team.support import cli as real_cli

    alice = _copy(study, "alice")
    run(
        "code",
        "remove",
        alice,
        "--coder",
        "alice",
        "--doc",
        DOC,
        "--code",
        "TAL.CURR",
        "--start",
        "0",
        "--end",
        "10",
    )
    before = stored_state(open_project(str(study)))
    for args in (
        ("merge", "resolve", str(study), alice, "segment:nope", "--take", "source"),
        ("merge", "resolve", str(study), alice, "--take", "source"),
    ):
        result = real_cli(*args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert real_cli("merge", str(study), alice, "--on-conflict", "sideways").returncode == 2
    assert stored_state(open_project(str(study))) == before
    assert not (study / "backups").exists() or not list((study / "backups").glob("*merge*"))


def test_a_copy_merged_through_another_copy_is_not_merged_twice(study: Path) -> None:
    alice, bob = _copy(study, "alice"), _copy(study, "bob")
    run(
        "code",
        "remove",
        alice,
        "--coder",
        "alice",
        "--doc",
        DOC,
        "--code",
        "TAL.CURR",
        "--start",
        "0",
        "--end",
        "10",
    )
    run(
        "code",
        "add",
        bob,
        "--coder",
        "bob",
        "--doc",
        DOC,
        "--code",
        "TEC.CTP",
        "--start",
        "50",
        "--end",
        "60",
    )
    run("merge", bob, alice)  # the two coders met in the field
    run("merge", str(study), bob)
    state = stored_state(open_project(str(study)))
    assert ("alice", DOC, "TAL.CURR", 0, 10) not in state and ("bob", DOC, "TEC.CTP", 50, 60) in state
    assert "nothing to merge" in run("merge", str(study), alice).output
    with open_project(str(study)).engine.connect() as conn:
        entities = set(conn.execute(text("SELECT entity FROM events WHERE entity LIKE 'merged.%'")).scalars())
    assert "merged.segment" in entities and not any(e.startswith("merged.merged.") for e in entities)
