"""The coding-evidence table: quotes that are complete sentences at exact offsets, counts equal to
the typology's coding, consensus first, the best-agreeing coder else, and pins a lead keeps."""

import json
from pathlib import Path

import pytest

from qualcode.core.evidence import Candidate, best_coder, levels_of, pair_alphas, pick, quotable, sentences
from qualcode.services.analysis.case_units import resolve_case_unit
from qualcode.services.analysis.data import load_analysis_data, select_source, source_segments
from qualcode.services.analysis.evidence import evidence_grid, evidence_table, pin_quote, unpin_quotes
from qualcode.services.demo import build_demo
from qualcode.store.db import Project
from qualcode.store.models import Coder, Segment
from tests.test_stats_cli import qc

LEAD = "wang"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project, _ = build_demo(tmp_path_factory.mktemp("evidence") / "demo")
    return project


def test_sentences_split_at_chinese_and_english_marks() -> None:
    text = "受访者：我们开了储能专业。学生很多！  Funding? The city pays.\n下一行"
    parts = [(text[s:e], complete) for s, e, complete in sentences(text, 4, len(text))]
    assert parts == [
        ("我们开了储能专业。", True),
        ("学生很多！", True),
        ("Funding?", True),
        ("The city pays.", True),
        ("下一行", False),
    ]


def test_quotable_is_the_shortest_complete_sentence_long_enough() -> None:
    text = "好的。我们和两所院校开了订单班。老师跟着真实项目走一年，比培训十次都管用。"
    found = quotable(text, 1, 0, len(text), "QS", min_chars=10)
    assert found is not None and found.text == "我们和两所院校开了订单班。" and found.complete
    assert text[found.start : found.end] == found.text
    fragment = quotable(text, 1, 0, 5, None, min_chars=10)  # no sentence long enough: the segment
    assert fragment is not None and fragment.text == "好的。我们"


def test_pick_prefers_complete_then_short_then_new_cases() -> None:
    def c(doc: int, text: str, case: str, complete: bool = True) -> Candidate:
        return Candidate(doc, 0, len(text), text, case, complete)

    a, b, c2, frag = (
        c(1, "短句子一。", "A"),
        c(2, "短句子二二。", "A"),
        c(3, "另一个个案的句子。", "B"),
        c(4, "x", "C", False),
    )
    assert pick([frag, c2, b, a], 2) == [a, c2]
    assert pick([frag, c2, b, a], 4) == [a, c2, frag, b]


def test_best_coder_by_alpha_then_segments() -> None:
    alphas = pair_alphas({("chen", "lin"): 0.4, ("chen", "wang"): 0.9, ("lin", "wang"): 0.5})
    assert alphas == pytest.approx({"chen": 0.65, "lin": 0.45, "wang": 0.7})
    assert best_coder(alphas, {"chen": 3, "lin": 9, "wang": 2}) == "wang"
    assert best_coder(alphas, {"chen": 3, "lin": 9, "wang": 0}) == "chen"  # wang did not code it
    assert best_coder({}, {"chen": 3, "lin": 9}) == "lin"
    assert best_coder({}, {}) is None


def test_levels_of_a_code() -> None:
    assert levels_of([("TAL", "dimension"), ("TAL.EDU", "category"), ("TAL.PROG", "code")]) == (
        "TAL",
        "TAL.EDU",
    )
    assert levels_of([("TAL", "dimension"), ("TAL.PROG", "code")]) == ("TAL", None)


def test_table_counts_the_typology_coding_and_quotes_exact_text(demo: Project) -> None:
    report = evidence_table(demo, viewer=LEAD)
    data = load_analysis_data(demo, LEAD)
    unit = resolve_case_unit(data, None, None, None, None)
    source, ids = select_source(data, None, False, None)
    counted = source_segments(data, unit.case_of, source, ids)
    texts = {name: text for name, text in data.documents.values()}
    assert report["rows"]
    for row in report["rows"]:
        code_id = next(cid for cid, info in data.codes.items() if info.key == row["code"])
        own = [s for s in counted if s.code_id == code_id]
        assert row["segments"] == len(own)
        assert row["documents"] == len({s.document_id for s in own})
        assert 1 <= len(row["quotes"]) <= 2
        for quote in row["quotes"]:
            assert texts[quote["document"]][quote["start"] : quote["end"]] == quote["text"]
        assert row["main_category"] and row["quote_source"].startswith("coder:")
    assert report["source"] == "consensus-else-union"


def test_consensus_quotes_come_first(demo: Project, tmp_path: Path) -> None:
    project, _ = build_demo(tmp_path / "demo")
    report = evidence_table(project, viewer=LEAD)
    row = report["rows"][0]
    data = load_analysis_data(project, LEAD)
    code_id = next(cid for cid, info in data.codes.items() if info.key == row["code"])
    seg = next(s for s in data.segments if s.code_id == code_id)
    with project.write() as s:
        consensus = Coder(name="consensus", role="lead")
        s.add(consensus)
        s.flush()
        s.add(
            Segment(
                document_id=seg.document_id,
                coder_id=consensus.id,
                code_id=code_id,
                start=seg.start,
                end=seg.end,
            )
        )
    after = evidence_table(project, viewer=LEAD)
    again = next(r for r in after["rows"] if r["code"] == row["code"])
    assert again["quote_source"] == "consensus" and len(again["quotes"]) == 1


def test_pins_replace_the_chosen_quotes_until_unpinned(tmp_path: Path) -> None:
    project, _ = build_demo(tmp_path / "demo")
    row = evidence_table(project, viewer=LEAD)["rows"][0]
    words = row["quotes"][0]["text"][:8]
    pins = pin_quote(project, row["code"], document=row["quotes"][0]["document"], quote=words, actor=LEAD)
    assert len(pins) == 1
    pinned = next(r for r in evidence_table(project, viewer=LEAD)["rows"] if r["code"] == row["code"])
    assert pinned["quote_source"] == "pinned" and [q["text"] for q in pinned["quotes"]] == [words]
    assert unpin_quotes(project, row["code"], actor=LEAD) == 1
    back = next(r for r in evidence_table(project, viewer=LEAD)["rows"] if r["code"] == row["code"])
    assert back["quotes"] == row["quotes"]


def test_bad_pins_are_refused_and_change_nothing(tmp_path: Path) -> None:
    project, _ = build_demo(tmp_path / "demo")
    target = str(project.folder)
    for args, message in (
        (["NO.SUCH", "--segment", "1"], "unknown code"),
        (["TAL.PROG", "--doc", "haibin-col-zh", "--quote", "这句话不在文中"], "not in haibin-col-zh"),
        (["TAL.PROG"], "pin either a segment"),
    ):
        code, out, err = qc("evidence", "pin", target, *args, "--as", LEAD)
        assert code == 2 and not out and err.startswith("error:") and message in err, err
    code, out, _err = qc("evidence", "show", target, "--as", LEAD, "--format", "json")
    assert code == 0 and all(r["quote_source"] != "pinned" for r in json.loads(out)["rows"])


def test_chinese_grid_uses_chinese_names_and_roles(demo: Project) -> None:
    report = evidence_table(demo, viewer=LEAD)
    header, rows = evidence_grid(report, "zh_CN")
    assert header[:4] == ["主类属", "子类属", "初始概念", "原始语句"]
    assert rows[0][0] == "人才资源供给"
    assert "“" in rows[0][3] and (
        "企业高管" in rows[0][3] or "政府官员" in rows[0][3] or "院校领导" in rows[0][3]
    )
    en_header, en_rows = evidence_grid(report, "en")
    assert en_header[0] == "Main category" and [r[4:] for r in en_rows] == [r[4:] for r in rows]


def test_a_segment_starting_mid_sentence_does_not_quote_the_tail_as_complete() -> None:
    text = "Respondent: We meet monthly and settle the ownership of jointly built assets. The city pays for it all."
    start = text.index("and settle")
    parts = sentences(text, start, len(text))
    assert parts[0][2] is False and parts[1][2] is True
    found = quotable(text, 1, start, len(text), None, min_chars=10)
    assert found is not None and found.text == "The city pays for it all."
    assert sentences(text, text.index("We meet"), len(text))[0][2] is True  # after the speaker's colon


def test_evidence_json_is_the_same_in_both_languages_and_the_table_states_the_rule_in_chinese(
    demo: Project,
) -> None:
    folder = str(demo.folder)
    outputs = {}
    for lang in ("en", "zh_CN"):
        code, out, err = qc("--lang", lang, "evidence", "show", folder, "--as", LEAD, "--format", "json")
        assert code == 0, err
        outputs[lang] = out
    assert outputs["en"] == outputs["zh_CN"]
    assert json.loads(outputs["en"])["rule"].startswith("Quotes: pinned by the lead")
    code, out, err = qc("--lang", "zh_CN", "evidence", "show", folder, "--as", LEAD, "--format", "md")
    assert code == 0, err
    assert "Quotes: pinned" not in out and "组长" in out.strip().splitlines()[-1]
