"""Simplified and traditional characters read as one in search and keyword auto-coding (opencc),
off by default, said in the output when on, with offsets exact in the stored text."""

import hashlib
import json
from pathlib import Path

import pytest
from sqlmodel import select

from qualcode.core.variants import fold_variants
from qualcode.services.analysis.retrieval import search_text
from qualcode.services.coding.autocode import autocode, undo_autocode
from qualcode.store.db import Project, init_project
from qualcode.store.models import Code, Document, Segment
from tests.test_stats_cli import qc

# Traditional 職業教育 first, then simplified 职业教育; 與 (traditional of 与) shifts nothing.
TEXT = "受访者：我們學校與企業重視職業教育，也重视职业教育。"
TRADITIONAL = TEXT.index("職業教育")
SIMPLIFIED = TEXT.index("职业教育")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = init_project(str(tmp_path / "p"))
    with project.write() as s:
        s.add(
            Document(
                name="訪談01", text=TEXT, length=len(TEXT), sha256=hashlib.sha256(TEXT.encode()).hexdigest()
            )
        )
        s.add(Code(key="VOC", level="code", codable=True, name_en="vocational education"))
    return project


def test_folding_keeps_every_offset() -> None:
    folded = fold_variants(TEXT)
    assert len(folded) == len(TEXT) and folded[TRADITIONAL : TRADITIONAL + 4] == "职业教育"
    assert fold_variants("職業教育") == "职业教育" and fold_variants("ABC 123，。") == "ABC 123，。"


def test_search_matches_both_forms_only_when_asked(project: Project) -> None:
    plain = search_text(project, "职业教育")
    assert [h["start"] for h in plain] == [SIMPLIFIED]
    folded = search_text(project, "职业教育", fold=True)
    assert [(h["start"], h["end"]) for h in folded] == [
        (TRADITIONAL, TRADITIONAL + 4),
        (SIMPLIFIED, SIMPLIFIED + 4),
    ]
    # the quoted match is the stored text, not the folded one
    assert [h["match"] for h in folded] == ["職業教育", "职业教育"]
    assert [h["start"] for h in search_text(project, "職業教育", fold=True)] == [TRADITIONAL, SIMPLIFIED]


def _segments(project: Project) -> list[tuple[int, int]]:
    with project.read() as s:
        return sorted((seg.start, seg.end) for seg in s.exec(select(Segment)))


def test_autocode_dry_run_run_and_undo_with_folding(project: Project) -> None:
    mapping = {"職業教育": "VOC"}
    plain = autocode(project, "pattern", mapping=mapping, literal=True)  # off by default
    assert plain.total == 1 and plain.to_dict()["variants_folded"] is False
    assert _segments(project) == [(TRADITIONAL, TRADITIONAL + 4)]
    assert undo_autocode(project, plain.run_id or "") == 1
    preview = autocode(project, "pattern", mapping=mapping, literal=True, fold=True, dry_run=True)
    assert preview.total == 2 and preview.to_dict()["variants_folded"] is True and _segments(project) == []
    done = autocode(project, "pattern", mapping=mapping, literal=True, fold=True)
    assert done.to_dict()["variants_folded"] is True
    assert _segments(project) == [(TRADITIONAL, TRADITIONAL + 4), (SIMPLIFIED, SIMPLIFIED + 4)]
    assert undo_autocode(project, done.run_id or "") == 2 and _segments(project) == []


def test_folding_is_refused_where_it_means_nothing(project: Project) -> None:
    from qualcode.core.errors import QualcodeError

    with pytest.raises(QualcodeError, match="--by pattern"):
        autocode(project, "speaker", mapping={"受访者": "VOC"}, fold=True)


def test_cli_says_when_folding_is_on(project: Project, tmp_path: Path) -> None:
    path = str(tmp_path / "p")
    project.dispose()
    rc, out, err = qc("docs", "search", path, "职业教育", "--fold-variants", "--format", "json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["variants_folded"] is True and [h["start"] for h in data["hits"]] == [TRADITIONAL, SIMPLIFIED]
    rc, out, _ = qc("docs", "search", path, "职业教育", "--format", "json")
    assert json.loads(out)["variants_folded"] is False and len(json.loads(out)["hits"]) == 1
    rc, out, _ = qc("docs", "search", path, "职业教育", "--fold-variants")
    assert rc == 0 and "2 matches" in out and "Simplified and traditional" in out
    rc, out, err = qc(
        "autocode",
        path,
        "--by",
        "pattern",
        "--map",
        "职业教育=VOC",
        "--literal",
        "--fold-variants",
        "--dry-run",
    )
    assert rc == 0 and "would add 2 segments" in out and "Simplified and traditional" in out, err
    rc, out, _ = qc("autocode", path, "--by", "pattern", "--map", "职业教育=VOC", "--literal", "--dry-run")
    assert "would add 1 segments" in out and "Simplified and traditional" not in out
