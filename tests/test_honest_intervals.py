"""Honest intervals (issue 12 item 5): units coded per code, intervals withheld below a minimum,
undefined resamples counted, the estimate inside its interval or explained, one set of defaults on
every surface, Methods naming exactly the shown coefficients, the pair named in the paradox."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from qualcode.core.agreement import ReliabilityData, unit_agreement
from qualcode.core.agreement.intervals import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_MIN_UNITS,
    DEFAULT_SEED,
    METHOD,
    percentile_interval,
)
from qualcode.core.agreement.result import Coefficient
from qualcode.core.agreement.unit_report import warnings_for
from qualcode.services.agreement.project_report import agreement_report
from qualcode.services.settings import set_setting
from qualcode.store.db import Project, init_project, open_project
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Segment, Unit
from tests.test_stats_cli import qc

N_ANSWERS = 40


def _build(folder: Path) -> Project:
    """40 answers, coders lin and chen (both done). D.RARE is used in 2 answers, D.COMMON in 24
    (agreeing in 20), D.NONE in none."""
    project = init_project(str(folder))
    lines = [f"R: answer number {i} about the consortium." for i in range(N_ANSWERS)]
    text = "\n".join(lines) + "\n"
    with project.write() as s:
        doc = Document(
            name="d1", text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest()
        )
        s.add(doc)
        s.flush()
        spans, pos = [], 0
        for i, line in enumerate(lines):
            s.add(
                Unit(
                    document_id=doc.id,
                    seq=i,
                    kind="turn",
                    speaker_role="respondent",
                    start=pos,
                    end=pos + len(line),
                )
            )
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        dim = Code(key="D", level="dimension", codable=False, name_en="D")
        s.add(dim)
        s.flush()
        codes = {}
        for key in ("D.RARE", "D.COMMON", "D.NONE"):
            codes[key] = Code(key=key, parent_id=dim.id, level="code", name_en=key)
            s.add(codes[key])
        coders = {n: Coder(name=n) for n in ("lin", "chen")}
        s.add_all(coders.values())
        s.flush()

        def seg(coder: str, key: str, unit: int) -> None:
            a, b = spans[unit]
            s.add(
                Segment(document_id=doc.id, coder_id=coders[coder].id, code_id=codes[key].id, start=a, end=b)
            )

        seg("lin", "D.RARE", 0)
        seg("chen", "D.RARE", 0)
        seg("chen", "D.RARE", 1)
        for u in range(20):
            seg("lin", "D.COMMON", u)
            seg("chen", "D.COMMON", u)
        for u in range(20, 22):
            seg("lin", "D.COMMON", u)
        for u in range(22, 24):
            seg("chen", "D.COMMON", u)
        for c in coders.values():
            s.add(DocumentStatus(document_id=doc.id, coder_id=c.id, status="done"))
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = _build(tmp_path / "p")
    yield p
    p.dispose()


def _alpha(report: dict, key: str) -> dict:
    item = next(
        c for c in report["codes"] + report["dimensions"] if key in (c.get("code"), c.get("dimension"))
    )
    return item


def test_one_set_of_defaults(project: Project) -> None:
    report = agreement_report(project)
    assert report["bootstrap"] == {
        "n": DEFAULT_BOOTSTRAP,
        "seed": DEFAULT_SEED,
        "method": METHOD,
        "min_units_coded": DEFAULT_MIN_UNITS,
    }
    assert (DEFAULT_BOOTSTRAP, DEFAULT_SEED, DEFAULT_MIN_UNITS) == (1000, 1, 10)


def test_rare_code_gets_no_interval_with_the_reason(project: Project) -> None:
    report = agreement_report(project)
    rare = _alpha(report, "D.RARE")
    assert rare["n_units_coded"] == 2 and rare["n_pairable_units"] == N_ANSWERS
    alpha = rare["coefficients"]["krippendorff_alpha"]
    assert alpha["value"] is not None
    assert "ci_low" not in alpha and "p_below_0.667" not in alpha
    assert "only 2 pairable units" in alpha["ci_withheld"] and "at least 10" in alpha["ci_withheld"]
    common = _alpha(report, "D.COMMON")
    assert common["n_units_coded"] == 24
    c = common["coefficients"]["krippendorff_alpha"]
    assert c["n_boot"] == DEFAULT_BOOTSTRAP and c["n_boot_undefined"] == 0
    assert c["ci_low"] <= c["value"] <= c["ci_high"] or "outside" in c["ci_note"]
    assert _alpha(report, "D")["n_units_coded"] == 24
    assert _alpha(report, "D.NONE")["n_units_coded"] == 0
    assert report["pooled"]["n_units_coded"] == 26  # (code, unit) pairs any coder coded


def test_minimum_by_option_and_setting_and_undefined_resamples_counted(project: Project) -> None:
    by_option = agreement_report(project, min_ci_units=2)
    rare = by_option["codes"][[c["code"] for c in by_option["codes"]].index("D.RARE")]
    alpha = rare["coefficients"]["krippendorff_alpha"]
    assert "ci_low" in alpha and "ci_withheld" not in alpha
    # A resample that misses both coded answers has only "absent": alpha undefined, counted.
    assert 0 < alpha["n_boot_undefined"] < DEFAULT_BOOTSTRAP
    assert (
        f"{alpha['n_boot_undefined']} of {DEFAULT_BOOTSTRAP} resamples left alpha undefined"
        in alpha["ci_note"]
    )
    set_setting(project, "min_ci_units", 2)
    assert agreement_report(project)["codes"] == by_option["codes"]
    assert agreement_report(project, min_ci_units=3)["codes"] != by_option["codes"]


def test_estimate_outside_its_interval_is_explained() -> None:
    alphas = np.array([0.1] * 95 + [np.nan] * 5)
    c = percentile_interval(Coefficient("krippendorff_alpha_nominal", 0.5), alphas, 100, 7)
    assert (c.ci_low, c.ci_high) == (0.1, 0.1) and c.extra["n_boot_undefined"] == 5
    assert (
        "5 of 100 resamples" in c.extra["ci_note"]
        and "lies outside its percentile interval" in c.extra["ci_note"]
    )
    inside = percentile_interval(Coefficient("a", 0.1), alphas, 100, 7)
    assert "outside" not in inside.extra["ci_note"]
    none = percentile_interval(Coefficient("a", 0.1), np.full(10, np.nan), 10, 7)
    assert none.ci_low is None and "undefined in every bootstrap resample" in none.extra["ci_withheld"]


@pytest.mark.parametrize("seed", range(6))
def test_estimate_is_inside_or_explained_on_random_data(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for n in (12, 30):
        codes = (rng.random((2, n)) < rng.uniform(0.1, 0.6)).astype(np.int64)
        flip = rng.random(n) < 0.2
        codes[1, flip] = 1 - codes[0, flip]
        r = unit_agreement(
            ReliabilityData(codes=codes, domain=(0, 1), coders=("a", "b"), units=()), n_boot=300, seed=seed
        )
        a = r.krippendorff_alpha
        if a.defined and a.ci_low is not None:
            assert a.ci_low <= a.value <= a.ci_high or "outside" in a.extra.get("ci_note", "")


def test_cli_workbook_and_tui_share_the_defaults(project: Project, tmp_path: Path) -> None:
    folder = str(tmp_path / "p")
    rc, out, err = qc("agree", folder, "--format", "json")
    assert rc == 0, err
    cli = json.loads(out)
    assert cli["bootstrap"]["n"] == DEFAULT_BOOTSTRAP and cli["bootstrap"]["seed"] == DEFAULT_SEED
    pooled = cli["pooled"]["coefficients"]["krippendorff_alpha"]
    from openpyxl import load_workbook

    xlsx = tmp_path / "w.xlsx"
    rc, _, err = qc("export", folder, "--xlsx", str(xlsx), "--sheets", "Agreement")
    assert rc == 0, err
    ws = load_workbook(xlsx)["Agreement"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "pooled")
    assert row[header.index("alpha CI low")] == pytest.approx(pooled["ci_low"])
    assert row[header.index("alpha CI high")] == pytest.approx(pooled["ci_high"])
    assert row[header.index("N units coded")] == cli["pooled"]["n_units_coded"]
    rare = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "D.RARE")
    assert (
        rare[header.index("alpha CI low")] is None
        and "only 2 pairable units" in rare[header.index("CI note")]
    )
    # export --xlsx takes the same options as agree.
    xlsx0 = tmp_path / "w0.xlsx"
    assert qc("export", folder, "--xlsx", str(xlsx0), "--sheets", "Agreement", "--bootstrap", "0")[0] == 0
    ws0 = load_workbook(xlsx0)["Agreement"]
    assert all(r[header.index("alpha CI low")] is None for r in ws0.iter_rows(min_row=2, values_only=True))
    xlsx2 = tmp_path / "w2.xlsx"
    assert (
        qc(
            "export",
            folder,
            "--xlsx",
            str(xlsx2),
            "--sheets",
            "Agreement",
            "--seed",
            "5",
            "--min-ci-units",
            "2",
        )[0]
        == 0
    )
    rare2 = next(
        r
        for r in load_workbook(xlsx2)["Agreement"].iter_rows(min_row=2, values_only=True)
        if r[1] == "D.RARE"
    )
    assert rare2[header.index("alpha CI low")] is not None
    # The CLI table shows the CI by default (it was blank without --bootstrap) and the same N labels.
    rc, out, _ = qc("agree", folder)
    assert rc == 0 and "withheld" in out and "N pairable units" in out and "N units coded" in out
    assert f"{DEFAULT_BOOTSTRAP} resamples, seed {DEFAULT_SEED}" in out


def test_setting_is_validated(project: Project, tmp_path: Path) -> None:
    folder = str(tmp_path / "p")
    rc, _, err = qc("settings", "set", folder, "min_ci_units", "0")
    assert rc == 2 and err.startswith("error:")
    assert qc("settings", "set", folder, "min_ci_units", "3")[0] == 0
    p = open_project(folder)
    try:
        assert agreement_report(p)["bootstrap"]["min_units_coded"] == 3
    finally:
        p.dispose()


def test_methods_name_exactly_the_shown_coefficients(project: Project, tmp_path: Path) -> None:
    rc, md, err = qc("agree", str(tmp_path / "p"), "--format", "md")
    assert rc == 0, err
    methods = md.split("## Methods")[1].split("\n\n")[1]
    table_header = next(line for line in md.splitlines() if line.startswith("| section"))
    for shown, phrase in (
        ("Krippendorff alpha", "Krippendorff's alpha (nominal)"),
        ("percent agreement", "percent agreement"),
        ("Gwet AC1", "Gwet's AC1"),
        ("Cohen kappa (pairs)", "Cohen's kappa for each coder pair"),
    ):
        assert shown in table_header and phrase in methods
    for hidden in ("Fleiss", "Brennan"):
        assert hidden not in table_header and hidden not in methods
    assert "percentile intervals from 1000 bootstrap resamples of units (seed 1)" in methods
    assert "at least 10 pairable units" in methods
    rc, md0, _ = qc("agree", str(tmp_path / "p"), "--format", "md", "--bootstrap", "0")
    assert "bootstrap" not in md0.split("## Methods")[1].split("\n\n")[1]


def test_prevalence_paradox_names_the_pair() -> None:
    a = np.array([1] * 4 + [1] * 4 + [0] * 4 + [0] * 88)
    b = np.array([1] * 4 + [0] * 4 + [1] * 4 + [0] * 88)
    c = np.array([-1] * 100)
    r = unit_agreement(
        ReliabilityData(codes=np.stack([a, b, c]), domain=(0, 1), coders=("lin", "chen", "wang"), units=())
    )
    warnings = warnings_for(r)
    assert any(
        w.startswith("prevalence paradox between lin and chen: 92% raw agreement but Cohen's kappa 0.457")
        for w in warnings
    ), warnings
    assert not any("wang" in w for w in warnings)
