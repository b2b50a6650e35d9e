"""`qualcode stats agreement|spans`: JSON keys, published values end to end, bad input exits 2."""

import contextlib
import io
import json
from pathlib import Path

import pytest

from tests.agreement_data import FIG_12_11, K2011

REQUIRED = {
    "n_units",
    "n_coders",
    "percent_agreement",
    "krippendorff_alpha",
    "fleiss_kappa",
    "gwet_ac1",
    "brennan_prediger",
    "cohen_kappa",
    "notes",
}


def qc(*args: str) -> tuple[int, str, str]:
    from qualcode.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def _k2011_csv(tmp_path: Path) -> Path:
    lines = ["unit,A,B,C,D"] + [
        ",".join([str(u + 1)] + ["NA" if row[u] is None else str(row[u]) for row in K2011]) for u in range(12)
    ]
    path = tmp_path / "k2011.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("level", "alpha"),
    [("nominal", 0.743421), ("ordinal", 0.815388), ("interval", 0.849107), ("ratio", 0.797403)],
)
def test_stats_agreement_json(tmp_path: Path, level: str, alpha: float) -> None:
    code, out, err = qc("stats", "agreement", str(_k2011_csv(tmp_path)), "--level", level, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert REQUIRED <= set(data)
    assert data["krippendorff_alpha"] == pytest.approx(alpha, abs=1e-4)
    assert (data["n_units"], data["n_coders"]) == (12, 4)
    assert set(data["cohen_kappa"]) == {"A|B", "A|C", "A|D", "B|C", "B|D", "C|D"}
    assert "scott_pi" not in data
    assert ("cohen_kappa_linear" in data and "cohen_kappa_quadratic" in data) == (level != "nominal")
    if level == "nominal":
        assert data["fleiss_kappa"] == pytest.approx(0.76117, abs=1e-4)
        assert data["gwet_ac1"] == pytest.approx(0.77544, abs=1e-4)
        assert data["standard_errors"]["gwet_ac1"]["se"] == pytest.approx(0.143, abs=5e-4)


def test_stats_agreement_two_coders_bootstrap_and_undefined(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,lin,chen\nu1,yes,yes\nu2,yes,yes\nu3,yes,\n", encoding="utf-8")
    code, out, _ = qc("stats", "agreement", str(path), "--json", "--bootstrap", "100", "--seed", "3")
    assert code == 0
    data = json.loads(out)
    assert (
        data["scott_pi"] is None
        and data["krippendorff_alpha"] is None
        and data["cohen_kappa"]["lin|chen"] is None
    )
    assert data["percent_agreement"] == 1.0
    assert any(n.startswith("krippendorff_alpha: undefined") for n in data["notes"])
    assert any("scott_pi" in n for n in data["notes"])


def test_stats_agreement_bootstrap_is_reproducible(tmp_path: Path) -> None:
    path = _k2011_csv(tmp_path)
    runs = [
        json.loads(qc("stats", "agreement", str(path), "--json", "--bootstrap", "300", "--seed", "5")[1])
        for _ in range(2)
    ]
    assert runs[0]["krippendorff_alpha_bootstrap"] == runs[1]["krippendorff_alpha_bootstrap"]
    boot = runs[0]["krippendorff_alpha_bootstrap"]
    assert boot["ci_low"] < runs[0]["krippendorff_alpha"] <= boot["ci_high"] <= 1.0
    code, out, _ = qc("stats", "agreement", str(path))
    assert code == 0 and "Krippendorff's alpha" in out  # the table names coefficients, not JSON keys


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            "u,a,b\n1,1,x\n",
            ("--level", "interval"),
            "interval level needs numeric values: coder 'b', unit '1' has 'x'",
        ),
        ("u,a,b\n1,1,x\n", ("--level", "ratio"), "ratio level needs numeric values"),
        ("u,a\n1,1\n2,2\n", (), "at least two coder columns"),
        ("", (), "the table is empty"),
        ("u,a,b\n", (), "no units"),
        ("u,a,b\n1,,\n2,NA,\n", (), "no values"),
    ],
)
def test_stats_agreement_bad_input(tmp_path: Path, content: str, args: tuple[str, ...], message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = qc("stats", "agreement", str(path), "--json", *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def _spans_csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "spans.csv"
    path.write_text("coder,start,end,category\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_stats_spans_figure_12_11(tmp_path: Path) -> None:
    rows = [f"{c},{s - 1},{e},{v}" for c, spans in FIG_12_11.items() for s, e, v in spans]
    code, out, err = qc("stats", "spans", str(_spans_csv(tmp_path, rows)), "--length", "60", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["n_coders"], data["length"]) == (3, 60)
    assert data["u_alpha"] == pytest.approx(0.510, abs=1e-3)
    assert data["binary_u_alpha"] == pytest.approx(0.413599, abs=1e-4)
    assert data["cu_alpha"] == pytest.approx(0.724, abs=1e-3)
    per = data["per_category"]
    assert set(per["6"]) >= {
        "u_alpha",
        "binary_u_alpha",
        "char_percent_agreement",
        "char_cohen_kappa",
        "char_krippendorff_alpha",
        "char_fleiss_kappa",
    }
    assert per["1"]["u_alpha"] == pytest.approx(1.0) and per["7"]["u_alpha"] is None
    assert per["6"]["char_cohen_kappa"] is None  # three coders
    assert any(n.startswith("per_category 7 u_alpha: undefined") for n in data["notes"])


def test_stats_spans_declared_empty_coder_and_overlap_fallback(tmp_path: Path) -> None:
    path = _spans_csv(tmp_path, ["A,0,10,x", "A,5,12,y", "B,0,10,x", "B,5,12,y", "C"])
    code, out, err = qc("stats", "spans", str(path), "--length", "20", "--json", "--match-threshold", "0.9")
    assert code == 0, err
    data = json.loads(out)
    assert data["n_coders"] == 3 and data["u_alpha"] is None
    assert "binary" in data["notes"][0]
    assert data["per_category"]["x"]["binary_u_alpha"] is not None
    # A and B match each other both ways (4); against C, who marked nothing, all 4 are unmatched.
    assert data["segment_match"]["share_matched"] == pytest.approx(0.5)
    assert len(data["segment_match"]["unmatched"]) == 4


@pytest.mark.parametrize(
    ("rows", "length", "message"),
    [
        (["A,0,25,x", "B,0,3,x"], "20", "outside [0, 20)"),
        (["A,5,5,x", "B,0,3,x"], "20", "start >= end"),
        (["A,0,5,x", "A,3,8,x", "B,0,3,x"], "20", "overlapping spans of category x"),
        (["A,0,5,x"], "20", "at least two coders"),
        (["A,zero,5,x", "B,0,3,x"], "20", "start 'zero' is not a whole number"),
        (["A,0,5,x", "B,0,3,x"], "0", "--length must be positive"),
    ],
)
def test_stats_spans_bad_input(tmp_path: Path, rows: list[str], length: str, message: str) -> None:
    code, out, err = qc("stats", "spans", str(_spans_csv(tmp_path, rows)), "--length", length, "--json")
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_ordinal_labels_with_order(tmp_path: Path) -> None:
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    lines = ["unit,A,B,C,D"] + [
        ",".join([str(u + 1)] + ["" if row[u] is None else names[row[u]] for row in K2011]) for u in range(12)
    ]
    path = tmp_path / "labels.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    order = "very low,low,mid,high,very high"
    code, out, err = qc("stats", "agreement", str(path), "--level", "ordinal", "--order", order, "--json")
    assert code == 0, err
    assert json.loads(out)["krippendorff_alpha"] == pytest.approx(0.815388, abs=1e-4)
    code, _, err = qc("stats", "agreement", str(path), "--level", "ordinal", "--order", "low,mid", "--json")
    assert code == 2 and "outside the declared domain" in err
    code, _, err = qc("stats", "agreement", str(path), "--level", "ordinal", "--json")
    assert code == 2 and "ordinal level needs numeric values (or the labels in order" in err
