"""Project agreement reports: units, done/missing rule, pseudo-coders, dimensions, disagreements."""

from pathlib import Path

import numpy as np
import pytest

from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.services.agreement.project_report import agreement_report
from tests.agreement_project import build, code, done


@pytest.fixture
def coded(tmp_path: Path, project_target: str):  # type: ignore[no-untyped-def]
    """The same project on SQLite and (when a server is given) PostgreSQL."""
    project, ids = build(tmp_path, project_target)
    # doc1 answers: "我们开了储能专业。学生很多。" and "企业提供实训基地。"; doc2: "The city pays..." and "Teachers ...".
    for coder in ("lin", "chen", "wang"):
        code(project, ids, coder, "doc1", "TAL.PROG", "储能专业")
        code(project, ids, coder, "doc2", "ADM.FUND", "The city pays")
    code(project, ids, "lin", "doc1", "TAL.BASE", "实训基地")
    code(project, ids, "chen", "doc1", "TAL.BASE", "企业提供")
    code(project, ids, "wang", "doc1", "TAL.PROG", "实训基地")  # wang: PROG instead of BASE
    code(project, ids, "lin", "doc2", "TAL.PROG", "Teachers")
    code(project, ids, "wang", "doc2", "TAL.PROG", "Teachers")  # wang has not marked doc2 done: missing
    code(project, ids, "auto:q", "doc1", "ADM.FUND", "学生")
    for coder in ("lin", "chen", "wang", "auto:q"):
        done(project, ids, coder, "doc1")
    for coder in ("lin", "chen"):
        done(project, ids, coder, "doc2")
    done(project, ids, "wang", "doc2", "in_progress")
    return project, ids


def _code(report: dict, key: str) -> dict:
    return next(c for c in report["codes"] if c["code"] == key)


def test_answer_units_done_rule_and_pseudo_coders(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    r = agreement_report(project)
    assert r["coders"] == ["chen", "lin", "wang"] and set(r["excluded_coders"]) == {"auto:q", "consensus"}
    assert r["unit_type"] == "answer" and r["n_units"] == 4
    prog = _code(r, "TAL.PROG")
    # doc1 answer 0: all three present; doc1 answer 1: wang only; doc2 answer 1: lin only (wang missing).
    assert prog["distribution"]["wang"] == {"present": 2, "units": 2}  # doc2 is missing for wang, not absent
    assert prog["distribution"]["lin"] == {"present": 2, "units": 4}
    assert prog["n_pairable_values"] == 2 * 3 + 2 * 2
    assert prog["n_disagreements"] == 2
    dis = {d["unit"]: d for d in prog["disagreements"]}
    assert dis["doc2 #3"]["values"] == {"chen": "absent", "lin": "present", "wang": None}
    assert "Teachers" in dis["doc2 #3"]["excerpt"]
    fund = _code(r, "ADM.FUND")
    assert fund["coefficients"]["krippendorff_alpha"]["value"] == pytest.approx(1.0)
    assert fund["n_disagreements"] == 0  # auto:q's coding is excluded
    with_auto = agreement_report(project, coders=["lin", "auto:q"])
    assert _code(with_auto, "ADM.FUND")["n_disagreements"] == 1


def test_alpha_of_a_code_equals_hand_computed_table(coded) -> None:  # type: ignore[no-untyped-def]
    from qualcode.core.agreement import encode, unit_agreement

    project, _ = coded
    r = agreement_report(project)
    # TAL.BASE per answer unit (doc1 #1, doc1 #3, doc2 #1, doc2 #3), coders chen, lin, wang:
    rows = [[0, 1, 0, 0], [0, 1, 0, 0], [0, 0, None, None]]
    expected = unit_agreement(encode(rows), "nominal", n_categories=2)
    base = _code(r, "TAL.BASE")
    assert base["coefficients"]["krippendorff_alpha"]["value"] == pytest.approx(
        expected.krippendorff_alpha.value
    )
    assert base["coefficients"]["gwet_ac1"]["value"] == pytest.approx(expected.gwet_ac1.value)
    assert base["coefficients"]["cohen_kappa"]["chen|lin"]["value"] == pytest.approx(1.0)


def test_dimension_labels_and_sections(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    r = agreement_report(project, n_boot=200, seed=1, min_ci_units=1)
    tal = next(d for d in r["dimensions"] if d["dimension"] == "TAL")
    assert tal["codes"] == ["TAL.BASE", "TAL.PROG"] or tal["codes"] == ["TAL.PROG", "TAL.BASE"]
    labels = {d["unit"]: d["values"] for d in tal["disagreements"]}
    assert labels["doc1 #3"] == {"chen": "TAL.BASE", "lin": "TAL.BASE", "wang": "TAL.PROG"}
    assert set(r["pairs"][0]) >= {"coders", "percent_agreement", "cohen_kappa", "per_code"}
    assert [d["document"] for d in r["documents"]] == ["doc1", "doc2"]
    assert r["documents"][1]["done_by"] == ["chen", "lin"]
    alpha = r["pooled"]["coefficients"]["krippendorff_alpha"]
    assert "ci_low" in alpha and "p_below_0.667" in alpha
    assert r["pooled"]["warnings"] and "small sample" in r["pooled"]["warnings"][0]
    again = agreement_report(project, n_boot=200, seed=1, min_ci_units=1)
    assert again["pooled"] == r["pooled"]


def test_sentence_and_char_units(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    s = agreement_report(project, unit="sentence")
    # doc1: "受访者：我们开了储能专业。" "学生很多。" "受访者：企业提供实训基地。"; doc2: three more.
    assert s["unit_type"] == "sentence" and s["n_units"] == 6
    c = agreement_report(project, unit="char", codes=["TAL.PROG"])
    prog = _code(c, "TAL.PROG")
    assert prog["distribution"]["wang"]["units"] == len(
        "访谈者：请介绍一下。\n受访者：我们开了储能专业。学生很多。\n访谈者：企业呢？\n受访者：企业提供实训基地。\n"
    )
    assert prog["n_disagreements"] >= 1
    sp = agreement_report(project, unit="span", coders=["lin", "chen"])
    assert "binary_u_alpha" in _code(sp, "ADM.FUND")["coefficients"]
    assert _code(sp, "ADM.FUND")["coefficients"]["binary_u_alpha"]["value"] == pytest.approx(1.0)
    base = _code(sp, "TAL.BASE")  # lin 实训基地 and chen 企业提供 do not overlap: both unmatched
    assert base["n_disagreements"] == 2
    assert {(d["document"], d["excerpt"]) for d in base["disagreements"]} == {
        ("doc1", "实训基地"),
        ("doc1", "企业提供"),
    }


def test_bad_requests(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    with pytest.raises(NotFoundError, match="unknown coder"):
        agreement_report(project, coders=["lin", "nobody"])
    with pytest.raises(ValidationError, match="at least two coders"):
        agreement_report(project, coders=["lin"])
    with pytest.raises(NotFoundError, match="unknown code"):
        agreement_report(project, codes=["NOPE"])
    with pytest.raises(ValidationError, match="--unit"):
        agreement_report(project, unit="paragraph")


def test_dimension_key_selects_its_codes(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    r = agreement_report(project, codes=["TAL"])
    assert {c["code"] for c in r["codes"]} == {"TAL.PROG", "TAL.BASE"}


def test_bootstrap_in_chunks_equals_one_piece() -> None:
    """Chunking the resample weights (for large projects) does not change the intervals."""
    from qualcode.core.agreement.alpha import ClusterSums
    from qualcode.services.agreement.project_report import _shared_bootstrap

    rng = np.random.default_rng(3)
    sums = [ClusterSums(rng.integers(0, 3, size=(40, 2)).astype(float), rng.random(40)) for _ in range(3)]
    whole = _shared_bootstrap(sums, 40, 50, seed=9)
    pieces = _shared_bootstrap(sums, 40, 50, seed=9, max_cells=40 * 7)
    assert len(whole[0]) == len(pieces[0]) == 50
    # Same seed, same stream of draws, whatever the chunk size.
    for a, b in zip(whole, pieces, strict=True):
        np.testing.assert_allclose(a, b)


def test_unit_defaults_to_the_project_setting(coded) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.settings import set_setting

    project, _ = coded
    assert agreement_report(project)["unit_type"] == "answer"
    set_setting(project, "unit", "sentence", actor="wang")
    assert agreement_report(project)["unit_type"] == "sentence"
    assert agreement_report(project, unit="answer")["unit_type"] == "answer"


def test_overlapping_units_are_refused(tmp_path: Path) -> None:
    from qualcode.store.models import Unit

    project, ids = build(tmp_path)
    with project.write() as s:
        s.add(Unit(document_id=ids["doc1"], seq=99, kind="turn", speaker_role="respondent", start=12, end=20))
    for coder in ("lin", "chen"):
        done(project, ids, coder, "doc1")
    with pytest.raises(ValidationError, match="overlap"):
        agreement_report(project)
