"""The demo project's transcripts (projects/demo, written by another helper) import cleanly."""

from pathlib import Path

import pytest

from qualcode.services.sources.documents import list_documents
from qualcode.services.sources.guide import load_guide_file, review
from qualcode.services.sources.importing import import_paths, set_case_attribute

DEMO = Path(__file__).resolve().parents[2] / "projects" / "demo"


@pytest.mark.skipif(not (DEMO / "transcripts").is_dir(), reason="the demo project is not in this checkout")
def test_demo_transcripts_parse_and_align(project) -> None:
    load_guide_file(project, DEMO / "guide.yaml")
    set_case_attribute(project, "Consortium")  # as projects/demo/project.yaml does
    report = import_paths(project, [DEMO / "transcripts"])
    assert report.failed == [] and len(report.imported) >= 8
    for doc in list_documents(project):
        assert doc["units"].get("respondent", 0) >= 8, doc["name"]
        assert doc["units"].get("interviewer", 0) >= 8, doc["name"]
        assert doc["case"] in ("HB-MARINE", "QS-AUTO"), doc["name"]  # 联合体 in the Chinese files
    flagged = review(project)["flagged"]
    answers = sum(d["units"]["respondent"] for d in list_documents(project))
    assert all(r["question_key"] for r in flagged)  # weak links are flagged, but none is left empty
    assert len(flagged) <= answers * 0.1
