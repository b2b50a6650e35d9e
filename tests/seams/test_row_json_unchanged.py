"""The JSON the CLI prints is byte-identical to what it printed before the services' rows were
typed (issue 15 item 3): each command's output on a fresh demo project is compared with the
file recorded in tests/seams/row_json before the change.

Only what varies between runs or machines is replaced before comparing: the temporary folder's
path, the repository's path, clock times, file sizes (a zip holds its own clock times), durations and version numbers of
qualcode and the libraries. Re-record (only when a change to the output is intended, and say so in the commit)
with QUALCODE_RECORD_ROW_JSON=1.
"""

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from qualcode.services.demo import build_demo
from tests.test_stats_cli import qc

RECORDED = Path(__file__).parent / "row_json"
REPOSITORY = Path(__file__).resolve().parents[2]
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")
# a file's size (an xlsx/qdpx zip holds its own clock times) and a run's duration
MEASURED = re.compile(r'"(bytes|seconds|fit_seconds)": [0-9.]+')
# the versions of qualcode and of the libraries a suggester was trained with
VERSIONS = re.compile(r'"(qualcode_version|python|scikit-learn|numpy|scipy|jieba)": "[^"]*"')
RECORD = os.environ.get("QUALCODE_RECORD_ROW_JSON") == "1"


def _spans_csv(folder: Path) -> Path:
    path = folder / "spans.csv"
    path.write_text("coder,start,end,category\nA,0,10,x\nA,20,30,y\nB,2,10,x\nB,22,35,y\n", encoding="utf-8")
    return path


def _table_csv(folder: Path) -> Path:
    path = folder / "table.csv"
    path.write_text("unit,A,B,C\n1,a,a,b\n2,b,b,b\n3,a,NA,a\n4,c,c,c\n5,a,b,a\n", encoding="utf-8")
    return path


def _transcript(folder: Path) -> Path:
    path = folder / "extra-zh.txt"
    path.write_text("访谈者：请介绍一下联合体。\n受访者：我们联合体成立于2023年。\n", encoding="utf-8")
    return path


# name -> arguments after the command, given the project folder and a scratch folder
Commands = dict[str, Callable[[str, Path], list[str]]]
DOC = "haibin-gov-zh"
COMMANDS: Commands = {
    "info": lambda p, t: ["info", p, "--as", "wang", "--format", "json"],
    "settings_show": lambda p, t: ["settings", "show", p, "--format", "json"],
    "attributes_list": lambda p, t: ["attributes", "list", p, "--format", "json"],
    "codebook_info": lambda p, t: ["codebook", "info", p, "--format", "json"],
    "docs_show": lambda p, t: ["docs", "show", p, DOC, "--format", "json"],
    "guide_review": lambda p, t: ["guide", "review", p, "--format", "json"],
    "agree": lambda p, t: ["agree", p, "--as", "wang", "--format", "json", "--bootstrap", "100"],
    "agree_span": lambda p, t: [
        "agree",
        p,
        "--as",
        "wang",
        "--unit",
        "span",
        "--format",
        "json",
        "--bootstrap",
        "50",
    ],
    "agree_gold": lambda p, t: [
        "agree",
        p,
        "--as",
        "wang",
        "--gold",
        "chen",
        "--format",
        "json",
        "--bootstrap",
        "0",
    ],
    "adjudicate_list": lambda p, t: [
        "adjudicate",
        "list",
        p,
        "--document",
        DOC,
        "--as",
        "wang",
        "--format",
        "json",
    ],
    "configuration": lambda p, t: ["configuration", p, "--as", "wang", "--format", "json"],
    "evidence": lambda p, t: ["evidence", "show", p, "--as", "wang", "--format", "json"],
    "saturation": lambda p, t: ["saturation", p, "--as", "wang", "--format", "json"],
    "typology": lambda p, t: ["typology", p, "--as", "wang", "--format", "json"],
    "stats_agreement": lambda p, t: ["stats", "agreement", str(_table_csv(t)), "--json"],
    "stats_spans": lambda p, t: ["stats", "spans", str(_spans_csv(t)), "--length", "40", "--json"],
    "autocode_dry_run": lambda p, t: [
        "autocode",
        "run",
        p,
        "--by",
        "pattern",
        "--map",
        "联合体=TAL.PROG",
        "--literal",
        "--dry-run",
        "--format",
        "json",
    ],
    "export": lambda p, t: [
        "export",
        p,
        "--as",
        "wang",
        "--xlsx",
        str(t / "o.xlsx"),
        "--csv",
        str(t / "o.csv"),
        "--qdpx",
        str(t / "o.qdpx"),
        "--bootstrap",
        "0",
        "--json",
    ],
    "import": lambda p, t: ["import", p, str(_transcript(t)), "--format", "json"],
    "guide_align": lambda p, t: ["guide", "align", p, DOC, "2", "Q2", "--format", "json"],
    "adjudicate_accept": lambda p, t: ["adjudicate", "accept", p, "1", "2", "--by", "wang"],
    "adjudicate_log": lambda p, t: ["adjudicate", "log", p, "--as", "wang", "--format", "json"],
    "suggest_train": lambda p, t: ["suggest", "train", p, "--as", "wang", "--format", "json"],
    "suggest_models": lambda p, t: ["suggest", "models", p, "--format", "json"],
    "suggest_apply": lambda p, t: ["suggest", "apply", p, "--docs", DOC, "--format", "json"],
    "suggest_list": lambda p, t: ["suggest", "list", p, "--as", "wang", "--format", "json"],
}


# commands run only for what they change, not for what they print
STEPS = {"adjudicate_accept"}
RECORDED_NAMES = [name for name in COMMANDS if name not in STEPS]


def _normalise(text: str, folder: Path) -> str:
    # the checkout's own path (the demo's codebook file is named by where the repository lies)
    text = text.replace(str(folder), "<tmp>").replace(str(REPOSITORY), "<repo>")
    text = STAMP.sub("<time>", text)
    text = MEASURED.sub(r'"\1": <measured>', text)
    return VERSIONS.sub(r'"\1": "<version>"', text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("rowjson")
    project, _ = build_demo(folder / "demo")
    project.dispose()
    scratch = folder / "scratch"
    scratch.mkdir()
    printed = {}
    for name, args in COMMANDS.items():  # in order: the later ones change the project
        code, out, err = qc(*args(str(folder / "demo"), scratch))
        assert code == 0, (name, err)
        if name in RECORDED_NAMES:
            json.loads(out)
            printed[name] = _normalise(out, folder)
    return printed


@pytest.mark.parametrize("name", RECORDED_NAMES)
def test_json_output_unchanged(outputs: dict[str, str], name: str) -> None:
    recorded = RECORDED / f"{name}.json"
    if RECORD:
        recorded.write_text(outputs[name], encoding="utf-8")
    assert outputs[name] == recorded.read_text(encoding="utf-8"), name
