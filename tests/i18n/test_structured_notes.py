"""Warnings, notes and reasons built in core are messages (a kind and its values): the JSON keeps
today's English sentences byte for byte in every language, and every surface a person reads
writes them in the interface language, with the numbers of the JSON."""

import copy
import hashlib
import json
import pickle
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qualcode.core.agreement import unit_agreement
from qualcode.core.agreement.data import ReliabilityData
from qualcode.core.agreement.intervals import percentile_interval, withheld
from qualcode.core.agreement.result import Coefficient
from qualcode.core.agreement.unit_report import warnings_for
from qualcode.i18n import language
from qualcode.i18n.messages import Message, joined, localise
from qualcode.i18n.report_notes import SENTENCES
from qualcode.services.agreement.project_report import agreement_report
from qualcode.store.db import init_project, open_project
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Segment, Unit
from tests.test_stats_cli import qc

CJK = re.compile(r"[\u4e00-\u9fff]")
# Words of the English sentences that must not survive in a Chinese one.
ENGLISH_WORDS = re.compile(
    r"\b(prevalence|paradox|raw agreement|undefined|small sample|interval|resamples?|pairable|"
    r"because|dominates|only one value|no unit|coders?)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


def _paradox_pair_result() -> Any:
    a = np.array([1] * 4 + [1] * 4 + [0] * 4 + [0] * 88)
    b = np.array([1] * 4 + [0] * 4 + [1] * 4 + [0] * 88)
    c = np.array([-1] * 100)
    return unit_agreement(
        ReliabilityData(codes=np.stack([a, b, c]), domain=(0, 1), coders=("lin", "chen", "wang"), units=())
    )


# Parameters for one rendering of each kind (the sentence must take exactly these).
SAMPLES: dict[str, dict[str, Any]] = {
    "small_sample": {"n": 12},
    "prevalence_paradox": {"agreement": 0.92, "alpha": 0.4567, "ac1": 0.9012},
    "prevalence_paradox_no_ac1": {"agreement": 0.92, "alpha": 0.4567},
    "prevalence_paradox_pair": {"coder_a": "lin", "coder_b": "chen", "agreement": 0.92, "kappa": 0.457},
    "alpha_undefined": {"reason": Message("one_value")},
    "ci_too_few_units": {"n": 3, "minimum": 10},
    "ci_method": {"level": 0.95},
    "ci_resamples_undefined": {"undefined": 7, "n_boot": 200},
    "ci_excludes_estimate": {"estimate": 0.5},
    "lead_not_compared": {"coder": "wang"},
    "coder_missing_throughout": {"coder": "chen"},
    "assisted_coding": {"coder": "lin", "count": 2, "documents": ("d1", "d2")},
    "coefficient_undefined": {"coefficient": "gwet_ac1", "reason": Message("too_few_categories")},
    "blind_mode_own_coding": {"coders": ("lin",)},
    "not_computed": {"reason": "no document is marked done"},
    "case_without_coding": {"source": "consensus"},
    "too_little_coding": {"groups": ("dim",)},
    "too_few_cases_to_cluster": {"n": 2, "minimum": 8},
    "too_few_distinct_profiles": {"distinct": 2, "n": 5},
    "too_few_positives": {"minimum": 5},
    "fewer_than_two_take_part": {"document": "d1"},
    "evidence_rule": {"min_chars": 8, "source": Message("source_consensus")},
    "suggest_verdict_rule": {"good": 0.8, "caution": 0.667, "level": 0.95},
    "qdpx_units_not_exported": {"count": 120},
    "qdpx_questions_not_exported": {"count": 9},
    "qdpx_progress_not_exported": {"count": 4},
    "qdpx_memo_document_gone": {"memo": 7},
    "qdpx_memo_code_gone": {"memo": 7},
    "qdpx_memo_segment_gone": {"memo": 7},
    "qdpx_memo_target_gone": {"memo": 7, "target": "folder"},
}


def test_english_text_is_the_sentence_the_reports_carried_before() -> None:
    """The JSON's strings: exactly what core wrote as f-strings before it wrote messages."""
    pair = [w for w in warnings_for(_paradox_pair_result()) if w.startswith("prevalence paradox between")]
    assert pair == [
        "prevalence paradox between lin and chen: 92% raw agreement but Cohen's kappa 0.457 below .667 "
        "because one value dominates"
    ]
    expected = {
        Message("small_sample", n=12): "small sample: only 12 pairable values, so intervals are wide",
        Message("prevalence_paradox", agreement=0.92, alpha=0.4567, ac1=0.9012): (
            "prevalence paradox: 92% raw agreement but alpha 0.457 below .667 because one value dominates "
            "(AC1 = 0.901)"
        ),
        Message("prevalence_paradox_no_ac1", agreement=0.92, alpha=0.4567): (
            "prevalence paradox: 92% raw agreement but alpha 0.457 below .667 because one value dominates"
        ),
        Message("alpha_undefined", reason=Message("one_value")): (
            "alpha undefined: only one value occurs among the pairable values, so there is no variation to "
            "agree on"
        ),
        withheld(Coefficient("a", 0.5), 3, 10).extra["ci_withheld"]: (
            "no interval: only 3 pairable units were coded with it by any coder (an interval needs at least 10)"
        ),
        Message("assisted_coding", coder="lin", count=2, documents=("d1", "d2")): (
            "lin coded with suggestions visible in 2 documents: d1, d2"
        ),
        Message("coefficient_undefined", coefficient="gwet_ac1", reason=""): "gwet_ac1: undefined, ",
        Message(
            "too_little_coding", groups=("dim", "act")
        ): "too little coding: dim, act below its minimum total",
        Message("suggest_verdict_rule", good=0.8, caution=0.667, level=0.95): (
            "suggest: alpha against the reference >= 0.800 and its 95% interval's lower end >= 0.667; suggest "
            "with caution: alpha >= 0.667; otherwise, or when alpha is undefined: do not suggest"
        ),
    }
    for message, text in expected.items():
        assert str(message) == text and message == text
    point = Coefficient("krippendorff_alpha", 0.9)
    skewed = percentile_interval(point, np.array([0.1, 0.2, np.nan, 0.3]), 4, 1)
    assert skewed.extra["ci_note"] == (
        "1 of 4 resamples left alpha undefined (only one value in them); the interval is over the other "
        "resamples; the estimate 0.900 lies outside its percentile interval because the resampled alphas are "
        "skewed to one side of it (few units carry the disagreements); read the interval with caution"
    )


def test_a_message_keeps_its_kind_through_copy_pickle_and_json() -> None:
    message = Message("prevalence_paradox_pair", coder_a="lin", coder_b="chen", agreement=0.92, kappa=0.457)
    for twin in (copy.deepcopy(message), pickle.loads(pickle.dumps(message)), copy.copy(message)):
        assert isinstance(twin, Message) and twin.kind == message.kind and dict(twin.params) == message.params
    assert json.dumps({"w": [message]}) == json.dumps({"w": [str(message)]})
    assert localise("plain text") == "plain text" and localise(None) is None
    with pytest.raises(KeyError):
        Message("no such kind")


def test_every_kind_has_a_chinese_sentence_with_the_same_numbers() -> None:
    for kind in SENTENCES:
        message = Message(kind, **SAMPLES.get(kind, {}))
        chinese = message.in_language("zh_CN")
        assert CJK.search(chinese), (kind, chinese)
        assert not ENGLISH_WORDS.search(chinese), (kind, chinese)
        assert sorted(NUMBER.findall(chinese)) == sorted(NUMBER.findall(str(message))) or kind in (
            "prevalence_paradox",
            "prevalence_paradox_no_ac1",
            "prevalence_paradox_pair",
        ), (kind, chinese)


def test_prevalence_paradox_in_chinese_names_the_pair_with_the_same_numbers() -> None:
    warnings = warnings_for(_paradox_pair_result())
    pair = next(w for w in warnings if isinstance(w, Message) and w.kind == "prevalence_paradox_pair")
    with language("zh_CN"):
        chinese = localise(pair)
    assert chinese.startswith("lin 与 chen 之间出现 Kappa 悖论：原始一致率达 92%")
    assert "Cohen's kappa 仅为 0.457" in chinese and "prevalence" not in chinese
    # the English stays the JSON's text whatever the interface language
    with language("zh_CN"):
        assert str(pair).startswith("prevalence paradox between lin and chen: 92% raw agreement")


def test_clauses_are_joined_as_the_language_writes_them() -> None:
    both = joined([Message("ci_resamples_undefined", undefined=1, n_boot=4), Message("no_segments")])
    assert str(both).endswith("the interval is over the other resamples; no segments")
    assert both.in_language("zh_CN").endswith("区间基于其余重抽样计算；没有编码片段")
    assert joined(["one"]) == "one" and joined([]) == ""


# A project in which one code shows the prevalence paradox and another has an undefined alpha.
ANSWERS = 12


def _paradox_project(root: Path) -> str:
    text = "".join(f"访谈者：问题{i}？\n受访者：回答{i}，我们建了实训基地。\n" for i in range(ANSWERS))
    project = init_project(str(root))
    with project.write() as s:
        doc = Document(
            name="d1", text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest()
        )
        s.add(doc)
        s.flush()
        pos, answers = 0, []
        for seq, line in enumerate(text.split("\n")[:-1]):
            role = "respondent" if line.startswith("受访者") else "interviewer"
            s.add(
                Unit(
                    document_id=doc.id,
                    seq=seq,
                    kind="turn",
                    speaker_role=role,
                    start=pos,
                    end=pos + len(line),
                )
            )
            if role == "respondent":
                answers.append((pos, pos + len(line)))
            pos += len(line) + 1
        ids: dict[str, int] = {}
        for key, parent, level in (
            ("TAL", None, "dimension"),
            ("TAL.PROG", "TAL", "code"),
            ("ADM", None, "dimension"),
            ("ADM.FUND", "ADM", "code"),
        ):
            code = Code(
                key=key, parent_id=ids.get(parent or ""), level=level, codable=level == "code", name_en=key
            )
            s.add(code)
            s.flush()
            ids[key] = code.id  # type: ignore[assignment]
        for name in ("lin", "chen"):
            coder = Coder(name=name, role="coder")
            s.add(coder)
            s.flush()
            ids[name] = coder.id  # type: ignore[assignment]
            s.add(DocumentStatus(document_id=doc.id, coder_id=coder.id, status="done"))
        # TAL.PROG: both code answer 0; lin alone codes answer 1 (11 of 12 agree, one value dominates)
        for coder, indexes in (("lin", (0, 1)), ("chen", (0,))):
            for i in indexes:
                start, end = answers[i]
                s.add(
                    Segment(
                        document_id=doc.id, coder_id=ids[coder], code_id=ids["TAL.PROG"], start=start, end=end
                    )
                )
        # ADM.FUND: nobody applies it, so alpha is undefined (one value only)
    project.dispose()
    return str(root)


@pytest.fixture(scope="module")
def paradox(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _paradox_project(tmp_path_factory.mktemp("paradox") / "p")


def _agree(folder: str, lang: str, fmt: str) -> str:
    rc, out, err = qc("--lang", lang, "agree", folder, "--format", fmt, "--bootstrap", "50", "--seed", "3")
    assert rc == 0, err
    return out


def test_agree_json_is_byte_identical_in_both_languages(paradox: str) -> None:
    english, chinese = _agree(paradox, "en", "json"), _agree(paradox, "zh_CN", "json")
    assert english == chinese
    report = json.loads(english)
    prog = next(c for c in report["codes"] if c["code"] == "TAL.PROG")
    fund = next(c for c in report["codes"] if c["code"] == "ADM.FUND")
    assert any(w.startswith("prevalence paradox: 92% raw agreement but alpha ") for w in prog["warnings"])
    assert any(w.startswith("prevalence paradox between chen and lin: 92%") for w in prog["warnings"])
    assert "alpha undefined: only one value occurs among the pairable values" in "; ".join(fund["warnings"])


def test_chinese_markdown_writes_the_warnings_in_chinese_with_the_json_numbers(paradox: str) -> None:
    report = json.loads(_agree(paradox, "en", "json"))
    markdown = _agree(paradox, "zh_CN", "md")
    prog = next(c for c in report["codes"] if c["code"] == "TAL.PROG")
    alpha = prog["coefficients"]["krippendorff_alpha"]["value"]
    ac1 = prog["coefficients"]["gwet_ac1"]["value"]
    kappa = prog["coefficients"]["cohen_kappa"]["chen|lin"]["value"]
    row = next(line for line in markdown.splitlines() if line.startswith("| 编码 | TAL.PROG"))
    assert (
        f"Kappa 悖论：原始一致率达 92%，但由于某一取值占绝对多数，α 系数仅为 {alpha:.3f}，低于 0.667（AC1 = {ac1:.3f}）"
        in row
    )
    assert "chen 与 lin 之间出现 Kappa 悖论：原始一致率达 92%" in row and f"{kappa:.3f}" in row
    fund = next(line for line in markdown.splitlines() if line.startswith("| 编码 | ADM.FUND"))
    assert "α 系数无定义：可配对取值中只出现一个取值" in fund
    for line in (row, fund):
        assert not ENGLISH_WORDS.search(line.replace("Cohen's kappa", "")), line
    english = _agree(paradox, "en", "md")
    assert "prevalence paradox: 92% raw agreement" in english and "alpha undefined: only one value" in english


def test_chinese_workbook_agreement_sheet_has_chinese_warnings(paradox: str, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "w.xlsx"
    rc, _out, err = qc("--lang", "zh_CN", "export", paradox, "--xlsx", str(out), "--sheets", "Agreement")
    assert rc == 0, err
    sheet = openpyxl.load_workbook(out, read_only=True)["Agreement"]
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    text = "\n".join(str(c) for r in rows for c in r if c is not None)
    assert "Kappa 悖论：原始一致率达 92%" in text and "α 系数无定义" in text
    assert "prevalence paradox" not in text and "alpha undefined" not in text


def test_the_tui_row_notes_are_in_the_interface_language(paradox: str) -> None:
    from qualcode.tui.screens.agreement import row_notes

    report = json.loads(_agree(paradox, "en", "json"))  # plain strings: shown as they are
    plain = next(c for c in report["codes"] if c["code"] == "TAL.PROG")
    assert "prevalence paradox" in row_notes(plain)
    # the service's own dict (what the screen is given) keeps the messages
    opened = open_project(paradox)
    try:
        live = agreement_report(opened, n_boot=0)
    finally:
        opened.dispose()
    prog = next(c for c in live["codes"] if c["code"] == "TAL.PROG")
    with language("zh_CN"):
        shown = row_notes(prog)
    assert shown.startswith("TAL.PROG：") and "Kappa 悖论" in shown and "prevalence" not in shown


def test_why_a_coder_is_not_compared_reads_in_chinese() -> None:
    from qualcode.core.participation import reason_left_out
    from qualcode.tui.screens.adjudication import _who

    reason = reason_left_out("coder", False, False, True)
    assert reason == "has not marked the document done"
    listing = {
        "coders": ["lin", "chen"],
        "not_compared": [{"coder": "wang", "reason": reason}],
        "notes": [Message("fewer_than_two_take_part", document="d1")],
        "participation_rule": "a coder takes part in a document when they marked it done",
    }
    with language("zh_CN"):
        shown = _who(listing)
    assert "wang（尚未将该文档标记为已完成）" in shown or "wang (尚未将该文档标记为已完成)" in shown
    assert "参与 d1 的编码员少于两名" in shown and "has not marked" not in shown
