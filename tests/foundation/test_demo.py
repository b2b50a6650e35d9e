"""`qualcode demo` builds a complete, coded project from projects/demo and leaves the sources alone."""

import hashlib
from pathlib import Path

import pytest
import yaml

from qualcode.services.coders import list_coders
from qualcode.services.coding import segments as coding
from qualcode.services.demo import build_demo
from tests.foundation.test_cli import assert_user_error, qc

SOURCES = Path(__file__).resolve().parents[2] / "projects" / "demo"


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    before = _tree_hash(SOURCES)
    project, summary = build_demo(tmp_path_factory.mktemp("demo") / "demo")
    assert _tree_hash(SOURCES) == before, "building the demo must not modify the repository copy"
    yield project, summary
    project.dispose()


def test_demo_holds_every_document_coder_and_segment(demo_project) -> None:  # type: ignore[no-untyped-def]
    project, summary = demo_project
    sheets = {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (SOURCES / "codings").glob("*.yaml")
    }
    assert summary["documents"] == len(list((SOURCES / "transcripts").glob("*.txt"))) >= 8
    assert {c["name"]: c["role"] for c in list_coders(project)} == {
        s["coder"]: s["role"] for s in sheets.values()
    }
    for sheet in sheets.values():
        rows = coding.list_segments(project, coder=sheet["coder"])
        assert len(rows) == len(sheet["segments"])
        quoted = {(s["doc"], s["code"], s["quote"]) for s in sheet["segments"]}
        assert {(r["document"], r["code"], r["text"]) for r in rows} == quoted
        statuses = coding.document_statuses(project, sheet["coder"])
        assert sorted(d for d, status in statuses.items() if status == "done") == sorted(sheet["done"])


def test_demo_settings_and_cases(demo_project) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.settings import get_setting
    from qualcode.services.sources.documents import list_documents

    project, _ = demo_project
    assert get_setting(project, "blind_mode") is True
    cases = {d["case"] for d in list_documents(project)}
    assert cases == {"HB-MARINE", "QS-AUTO"}


def test_demo_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert_user_error(qc("demo", "--path", str(tmp_path / "taken"), "--no-tui", check=False), "not empty")
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_info_counts_documents_done_not_done_marks(demo_project) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.project import project_info

    project, _ = demo_project
    sheets = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (SOURCES / "codings").glob("*.yaml")]
    info = project_info(project, viewer="wang")  # the demo is blind: its lead sees all
    assert info["done_marks"] == sum(len(s["done"]) for s in sheets)
    assert info["documents_done"] == len({d for s in sheets for d in s["done"]}) <= info["documents"]
