"""Questions are listed in natural order everywhere: Q1, Q2, Q10."""

from qualcode.core.ordering import natural_sorted, question_order
from qualcode.services.analysis.data import AnalysisData, CodeInfo, SegmentRow, UnitInfo
from qualcode.services.exchange.tables import question_code_table


def test_question_order_is_guide_then_natural_with_no_question_last() -> None:
    assert natural_sorted(["Q10", "Q2", "q3", "Q1"]) == ["Q1", "Q2", "q3", "Q10"]
    assert question_order(["(none)", "Q10", "Q2", "Q1"]) == ["Q1", "Q2", "Q10", "(none)"]
    assert question_order(["Q10", "Q2", "intro"], {"intro": 0, "Q2": 1}) == ["intro", "Q2", "Q10"]


def test_the_question_by_code_sheet_sorts_naturally() -> None:
    keys = ["Q1", "Q10", "Q2", None]
    units = [UnitInfo(i * 10, i * 10 + 10, "R", "respondent", q) for i, q in enumerate(keys)]
    code = CodeInfo(1, "TAL.CURR", None, "code", "Curriculum", "课程", ("TAL.CURR",), {})
    data = AnalysisData(
        documents={1: ("d", "x" * 40)},
        attributes={},
        units={1: units},
        codes={1: code},
        coders={1: "a"},
        segments=[],
        settings={},
    )
    segments = [SegmentRow(i, 1, 1, 1, u.start, u.start + 2, None) for i, u in enumerate(units)]
    table = question_code_table(data, segments)
    assert [row[0] for row in table.rows] == ["Q1", "Q2", "Q10", "(none)"]


def test_guide_questions_with_equal_order_sort_naturally(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.sources.guide import guide_questions
    from qualcode.store.db import init_project
    from qualcode.store.models import Question

    project = init_project(str(tmp_path / "p"))
    try:
        with project.write() as s:
            s.add_all([Question(key=k, text_en=f"question {k}") for k in ("Q10", "Q2", "Q1")])
        assert [q["key"] for q in guide_questions(project)] == ["Q1", "Q2", "Q10"]
    finally:
        project.dispose()
