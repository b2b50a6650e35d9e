"""Blind coding outside the TUI: every listing run as a coder shows only that coder's work."""

import json

import pytest
from click.testing import CliRunner

from qualcode.cli import cli as qualcode_cli
from qualcode.services.coding.memos import add_memo, list_memos
from qualcode.services.coding.segments import add_segment, list_segments
from qualcode.services.team.access import (
    BlindModeError,
    NotALeadError,
    blind_status,
    require_full_view,
    set_blind,
    visible_coder_ids,
)
from qualcode.services.team.changes import changes_since
from tests.team.support import cli, make_project


@pytest.fixture
def coded(project_target: str):
    project = make_project(project_target)
    for n, coder in enumerate(["alice", "bob", "lead"]):
        add_segment(project, coder=coder, document="interview-01", code="TAL.CURR", start=n, end=n + 5)
        add_memo(project, coder=coder, target_type="document", target="interview-01", text=f"{coder} 的备忘")
    yield project, project_target
    project.dispose()


def _listing(target: str, *args: str, env: dict[str, str] | None = None) -> list[dict]:
    result = CliRunner().invoke(qualcode_cli, ["code", "list", target, "--format", "json", *args], env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.output)


def test_only_a_lead_changes_blind_mode_and_nothing_changes_on_refusal(coded) -> None:
    project, target = coded
    with pytest.raises(NotALeadError, match="alice is a coder; only a lead may do this"):
        set_blind(project, "on", actor="alice")
    with pytest.raises(NotALeadError, match="run it with --as LEAD_NAME"):
        set_blind(project, "on", actor=None)
    assert blind_status(project)["state"] == "off"
    assert set_blind(project, "on", actor="lead")["state"] == "on"
    assert set_blind(project, "reveal", actor="lead")["state"] == "revealed"
    assert set_blind(project, "off", actor="lead")["state"] == "off"


def test_coder_listings_hide_other_coders_until_revealed(coded) -> None:
    project, target = coded
    set_blind(project, "on", actor="lead")
    assert {r["coder"] for r in _listing(target, "--as", "alice")} == {"alice"}
    assert {r["coder"] for r in _listing(target, env={"QUALCODE_CODER": "bob"})} == {"bob"}
    assert {r["coder"] for r in _listing(target, "--coder", "alice")} == {"alice"}
    assert _listing(target, "--as", "alice", "--coder", "bob") == []
    assert {r["coder"] for r in _listing(target, "--as", "lead")} == {"alice", "bob", "lead"}
    assert {m["coder"] for m in list_memos(project, viewer="alice")} == {"alice"}
    assert {m["coder"] for m in list_memos(project, viewer="alice", search="备忘")} == {"alice"}
    with pytest.raises(BlindModeError, match="blind mode is on: say who you are with --as NAME"):
        list_segments(project)
    set_blind(project, "reveal", actor="lead")
    assert {r["coder"] for r in _listing(target, "--as", "alice")} == {"alice", "bob", "lead"}
    assert len(list_segments(project)) == 3
    set_blind(project, "on", actor="lead")
    assert {r["coder"] for r in _listing(target, "--as", "bob")} == {"bob"}


def test_change_feed_follows_other_coders_and_respects_blind_mode(coded) -> None:
    project, target = coded
    last, events = changes_since(project, 0)
    assert last == max(e["id"] for e in events) and any(e["action"] == "segment.add" for e in events)
    assert changes_since(project, last) == (last, [])
    add_segment(project, coder="bob", document="interview-02", code="TEC.LAB", start=0, end=9)
    new_last, new = changes_since(project, last, viewer="alice")
    assert new_last > last and [(e["actor"], e["action"]) for e in new] == [("bob", "segment.add")]
    set_blind(project, "on", actor="lead")
    blind_last, blind = changes_since(project, new_last, viewer="alice")
    assert [e["action"] for e in blind] == ["blind.on"]
    add_segment(project, coder="bob", document="interview-02", code="TEC.LAB", start=10, end=19)
    add_segment(project, coder="alice", document="interview-02", code="TEC.LAB", start=10, end=19)
    final, hidden = changes_since(project, blind_last, viewer="alice")
    assert [e["actor"] for e in hidden] == ["alice"] and final == blind_last + 2
    assert [e["actor"] for e in changes_since(project, blind_last, viewer="lead")[1]] == ["bob", "alice"]


def test_cli_blind_commands_and_errors(tmp_path) -> None:
    target = str(tmp_path / "p")
    project = make_project(target)
    add_segment(project, coder="bob", document="interview-01", code="TAL.CURR", start=0, end=5)
    project.dispose()
    runner = CliRunner()
    assert runner.invoke(qualcode_cli, ["blind", "status", target]).output.strip() == "blind mode: off"
    refused = cli("blind", "on", target, "--as", "alice")  # the real entry point: one line, exit 2
    assert (
        refused.returncode == 2
        and refused.stderr.strip() == "error: alice is a coder; only a lead may do this"
    )
    turned = runner.invoke(qualcode_cli, ["blind", "on", target], env={"QUALCODE_CODER": "lead"})
    assert turned.output.strip() == "blind mode: on"
    anonymous = cli("code", "list", target)
    assert anonymous.returncode == 2 and "blind mode is on: say who you are" in anonymous.stderr
    assert "bob" not in anonymous.stdout
    assert _listing(target, "--as", "alice") == []


def test_visible_coder_ids_is_the_one_rule(coded) -> None:
    project, _ = coded
    with project.read() as session:
        assert visible_coder_ids(session, None) is None
        assert visible_coder_ids(session, "alice") is None
    set_blind(project, "on", actor="lead")
    with project.read() as session:
        alice_id = visible_coder_ids(session, "alice")
        assert alice_id is not None and len(alice_id) == 1
        assert visible_coder_ids(session, "lead") is None


def test_require_full_view_guards_mixed_output(coded) -> None:
    project, _ = coded
    with project.read() as session:
        require_full_view(session, "alice", "the agreement report")
    set_blind(project, "on", actor="lead")
    with project.read() as session:
        require_full_view(session, "lead", "the agreement report")
        with pytest.raises(
            BlindModeError, match="the agreement report shows other coders' work, so only a lead"
        ):
            require_full_view(session, "alice", "the agreement report")
        with pytest.raises(BlindModeError, match="say who you are"):
            require_full_view(session, None, "the agreement report")
