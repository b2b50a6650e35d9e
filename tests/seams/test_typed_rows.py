"""The row types name exactly the keys, in order, that the services return (issue 15 item 3).

The CLI prints these rows as JSON, so their keys are a stable interface; mypy checks what is
read from a row, this test checks that the declared type is the row's true shape.
"""

from collections.abc import Mapping
from typing import Any

import pytest

from qualcode.services.analysis.retrieval import retrieve_segments, search_text
from qualcode.services.analysis.rows import RetrievedSegment, TextMatch
from qualcode.services.codebook.curation import list_codes
from qualcode.services.codebook.rows import CodeListing
from qualcode.services.coders import CoderRow, list_coders
from qualcode.services.coding import memos, segments, undo, workbench
from qualcode.services.coding.rows import (
    CodedSegment,
    DocumentOverview,
    DocumentSegment,
    MemoRow,
    ReversedChange,
    UpdatedSegment,
)
from qualcode.services.demo import build_demo
from qualcode.services.sources.documents import list_documents
from qualcode.services.sources.guide import guide_questions
from qualcode.services.sources.rows import DocumentListing, GuideQuestionRow
from qualcode.services.team.access import blind_status
from qualcode.services.team.changes import changes_since
from qualcode.services.team.rows import BlindStatus, EventRow
from qualcode.store.db import Project


def keys_of(row_type: Any) -> list[str]:
    """A TypedDict's keys in declaration order, its bases' first."""
    return list(row_type.__annotations__)


def assert_shape(rows: list[Mapping[str, Any]] | Mapping[str, Any], row_type: Any) -> None:
    rows = [rows] if isinstance(rows, Mapping) else rows
    assert rows, f"no {row_type.__name__} rows to check"
    for row in rows:
        assert list(row) == keys_of(row_type), row_type.__name__


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    opened, _ = build_demo(tmp_path_factory.mktemp("rows") / "demo")
    return opened


def test_a_row_with_another_shape_fails() -> None:
    with pytest.raises(AssertionError):
        assert_shape({"start": 0, "document": "d"}, TextMatch)


def test_coding_rows(project: Project) -> None:
    listed = segments.list_segments(project, coder="chen")
    assert_shape(listed, CodedSegment)
    document, code = listed[0]["document"], listed[0]["code"]
    added = segments.add_segment(project, coder="chen", document=document, code=code, start=0, end=1)
    assert_shape(added, CodedSegment)
    updated = segments.update_segment(project, coder="chen", segment_id=added["id"], memo="why")
    assert_shape(updated, UpdatedSegment)
    assert_shape(undo.undo(project, "chen"), ReversedChange)
    codes = {c["key"]: c for c in list_codes(project, "chen")}
    assert_shape(list_codes(project, "chen"), CodeListing)
    painted = workbench.document_segments(project, document, viewer="chen")
    assert_shape(painted, DocumentSegment)
    built = workbench.document_segment(added, codes[code])
    assert list(built) == keys_of(DocumentSegment)
    assert_shape(workbench.documents_overview(project, "chen"), DocumentOverview)
    memos.add_memo(project, coder="chen", target_type="project", target=None, text="a thought")
    assert_shape(memos.list_memos(project, viewer="chen"), MemoRow)


def test_other_rows(project: Project) -> None:
    coded = segments.list_segments(project, coder="chen")[0]
    assert_shape(retrieve_segments(project, viewer="chen", codes=[coded["code"]]), RetrievedSegment)
    assert_shape(search_text(project, coded["text"][:4]), TextMatch)
    assert_shape(list_documents(project), DocumentListing)
    assert_shape(guide_questions(project), GuideQuestionRow)
    assert_shape(blind_status(project), BlindStatus)
    assert_shape(list_coders(project), CoderRow)
    assert_shape(changes_since(project, 0, viewer="chen")[1], EventRow)
