"""The lead's whole path on bilingual transcripts, checked across CLI JSON, the TUI and the workbook.

Import transcripts whose headers carry role titles and a city written in two languages, code
as two coders and a lead, agree, adjudicate part of it, build the typology, export xlsx and qdpx:
every surface must report the same coders, the same coefficients, the same cases and types.
"""

import asyncio
import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.test_stats_cli import qc

CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "industry-education-consortium.yaml"

ZH_GOV = """案例: 青山市
身份: 政府官员（青山市教育局副局长）
日期: 2025-03-02

访谈者：请介绍联合体的牵头单位。
受访者：市政府牵头成立联合体，出台了一揽子政策，统筹财政资金和用地。
访谈者：企业参与得怎么样？
受访者：新能源企业主导技术平台建设，和学校联合研发电池热管理技术。
"""
EN_ENT = """Case: Qingshan City
Role: Corporate executive (general manager, Qingshan Energy)
Date: 2025-03-03

Interviewer: Who leads the consortium?
Respondent: Our company leads the common technology platform and runs joint research with the college.
Interviewer: And the government?
Respondent: The city government provides land for the training base and some subsidies.
"""
EN_GOV = """Case: Haibin
Role: Government official (deputy director, bureau of industry)
Date: 2025-04-01

Interviewer: Who leads the consortium?
Respondent: The municipal government leads; we issued a policy package and fund the secretariat.
Interviewer: What about schools?
Respondent: Schools adjust programmes to the marine industry and train technicians for the port.
"""
ZH_ENT = """案例: Haibin
身份: 企业高管，某港口公司总经理
日期: 2025-04-02

访谈者：企业在联合体里做什么？
受访者：政府统筹之下，我们提供实习岗位，参与课程开发。
访谈者：还有别的吗？
受访者：园区提供场地，政府给予税收优惠政策。
"""
FILES = {"qs-gov.txt": ZH_GOV, "qs-ent.txt": EN_ENT, "hb-gov.txt": EN_GOV, "hb-ent.txt": ZH_ENT}

# (document, quote, code): alice's coding; bob agrees except where marked.
ALICE = [
    ("qs-gov", "市政府牵头成立联合体", "ACT.GOV"),
    ("qs-gov", "出台了一揽子政策", "ADM.POLICY"),
    ("qs-gov", "新能源企业主导技术平台建设", "ACT.ENT"),
    ("qs-gov", "联合研发电池热管理技术", "TEC.RND"),
    ("qs-ent", "Our company leads the common technology platform", "ACT.ENT"),
    ("qs-ent", "runs joint research with the college", "TEC.RND"),
    ("qs-ent", "provides land for the training base", "ADM.SPACE"),
    ("hb-gov", "The municipal government leads", "ACT.GOV"),
    ("hb-gov", "we issued a policy package", "ADM.POLICY"),
    ("hb-gov", "Schools adjust programmes to the marine industry", "TAL.PROG"),
    ("hb-ent", "政府统筹之下", "ACT.GOV"),
    ("hb-ent", "参与课程开发", "TAL.CURR"),
    ("hb-ent", "政府给予税收优惠政策", "ADM.POLICY"),
]
BOB_DIFFERS = {
    ("qs-ent", "provides land for the training base"): "ADM.POLICY",
    ("hb-ent", "参与课程开发"): None,  # bob did not code it
}


def ok(*args: str) -> str:
    rc, out, err = qc(*args)
    assert rc == 0, (args, err)
    return out


def offsets(folder: str, doc: str, quote: str) -> tuple[int, int]:
    text = json.loads(ok("docs", "show", folder, doc, "--format", "json"))["text"]
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture(scope="module")
def lead_path(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("scenario")
    folder = str(root / "p")
    ok("init", folder, "--codebook", str(CODEBOOK))
    for name, role in (("alice", "coder"), ("bob", "coder"), ("wang", "lead")):
        ok("coders", "add", folder, name, "--role", role)
    src = root / "in"
    src.mkdir()
    for name, text in FILES.items():
        (src / name).write_text(text, encoding="utf-8")
    ok("import", folder, *[str(src / n) for n in FILES])
    # One consortium interviewed in two languages is one case.
    ok("attributes", "alias", folder, "Case", "青山市", "--to", "Qingshan City", "--by", "wang")
    for doc, quote, key in ALICE:
        s, e = offsets(folder, doc, quote)
        ok(
            "code",
            "add",
            folder,
            "--coder",
            "alice",
            "--doc",
            doc,
            "--code",
            key,
            "--start",
            str(s),
            "--end",
            str(e),
        )
        bob = BOB_DIFFERS.get((doc, quote), key)
        if bob is not None:
            ok(
                "code",
                "add",
                folder,
                "--coder",
                "bob",
                "--doc",
                doc,
                "--code",
                bob,
                "--start",
                str(s),
                "--end",
                str(e),
            )
    for doc in ("qs-gov", "qs-ent", "hb-gov", "hb-ent"):
        for coder in ("alice", "bob"):
            ok("code", "done", folder, "--coder", coder, "--doc", doc)
    # The lead reviews: marks the Haibin documents done without coding there, and tries the
    # workbench on qs-gov with three spans, never marking it done.
    for doc in ("hb-gov", "hb-ent"):
        ok("code", "done", folder, "--coder", "wang", "--doc", doc)
    for quote in ("市政府", "一揽子政策", "用地"):
        s, e = offsets(folder, "qs-gov", quote)
        ok(
            "code",
            "add",
            folder,
            "--coder",
            "wang",
            "--doc",
            "qs-gov",
            "--code",
            "ADM.SPACE",
            "--start",
            str(s),
            "--end",
            str(e),
        )
    agree = json.loads(ok("agree", folder, "--format", "json"))
    places = {
        d: json.loads(ok("adjudicate", "list", folder, "--document", d, "--format", "json"))
        for d in ("hb-ent", "qs-ent")
    }
    # Adjudicate Haibin only: accept alice's segments of both Haibin documents.
    ids = [
        str(s["id"])
        for seg in json.loads(ok("code", "list", folder, "--coder", "alice", "--format", "json"))
        if seg["document"].startswith("hb-")
        for s in [seg]
    ]
    ok("adjudicate", "accept", folder, *ids, "--by", "wang")
    typology = json.loads(ok("typology", folder, "--format", "json"))
    xlsx = root / "out.xlsx"
    ok("export", folder, "--xlsx", str(xlsx))
    qdpx = root / "out.qdpx"
    ok("export", folder, "--qdpx", str(qdpx))
    return {
        "folder": folder,
        "agree": agree,
        "places": places,
        "typology": typology,
        "xlsx": xlsx,
        "qdpx": qdpx,
    }


def test_who_is_compared_is_the_same_in_agree_and_adjudicate(lead_path: dict[str, Any]) -> None:
    agree, places = lead_path["agree"], lead_path["places"]
    assert agree["coders"] == ["alice", "bob"] and "wang" in agree["excluded_coders"]
    for listing in places.values():
        assert listing["coders"] == ["alice", "bob"]
        assert listing["participation_rule"] == agree["participation_rule"]
        assert all("wang" not in p["coders_without"] for p in listing["places"])
    # Only the two real disagreements are open: a different code and a passage bob left uncoded.
    assert [(p["code"], p["coders_without"]) for p in places["hb-ent"]["places"]] == [("TAL.CURR", ["bob"])]
    assert sorted(p["code"] for p in places["qs-ent"]["places"]) == ["ADM.POLICY", "ADM.SPACE"]


def test_roles_and_the_bilingual_case(lead_path: dict[str, Any]) -> None:
    typology = lead_path["typology"]
    cases = {c["case"]: c for c in typology["cases"]}
    assert set(cases) == {"Haibin", "Qingshan City"}
    assert typology["parameters"]["expected_roles"] == ["corporate executive", "government official"]
    assert all(not any(f.startswith("role_imbalance") for f in c["flags"]) for c in cases.values())
    assert typology["parameters"]["unmapped_roles"] == []
    # Haibin was adjudicated, Qingshan was not: each case says which coding it was built from.
    assert typology["parameters"]["coding_source"] == "consensus-else-union"
    assert {c: v["source"] for c, v in cases.items()} == {"Haibin": "consensus", "Qingshan City": "union"}
    docs = json.loads(ok("docs", "list", lead_path["folder"], "--format", "json"))
    assert {d["name"]: d["role"] for d in docs} == {
        "hb-ent": "corporate executive",
        "hb-gov": "government official",
        "qs-ent": "corporate executive",
        "qs-gov": "government official",
    }


def test_workbook_cells_match_the_cli(lead_path: dict[str, Any]) -> None:
    agree, typology, xlsx = lead_path["agree"], lead_path["typology"], lead_path["xlsx"]
    sheet = pd.read_excel(xlsx, sheet_name="Agreement")
    pooled = sheet[sheet.iloc[:, 0] == "pooled"].iloc[0]
    alpha_col = next(c for c in sheet.columns if "alpha" in str(c).lower())
    assert pooled[alpha_col] == pytest.approx(
        agree["pooled"]["coefficients"]["krippendorff_alpha"]["value"], abs=5e-4
    )
    readme = pd.read_excel(xlsx, sheet_name="README")
    items = dict(zip(readme["item"], readme["value"], strict=True))
    assert items["agreement_who_is_compared"] == agree["participation_rule"]
    assert items["coding_source"] == typology["parameters"]["coding_source"]
    assign = pd.read_excel(xlsx, sheet_name="Assignments", index_col=0)
    for case in typology["cases"]:
        assert assign.loc[case["case"], "type"] == case["type"]
        assert assign.loc[case["case"], "source"] == case["source"]
    documents = pd.read_excel(xlsx, sheet_name="Documents", index_col=0)
    assert documents.loc["qs-gov", "case"] == "Qingshan City"
    assert documents.loc["qs-gov", "role_title"] == "青山市教育局副局长"
    with zipfile.ZipFile(lead_path["qdpx"]) as z:
        assert "project.qde" in z.namelist()


def test_tui_screens_match_the_cli(lead_path: dict[str, Any]) -> None:
    from qualcode.tui.app import QualcodeApp

    agree, typology = lead_path["agree"], lead_path["typology"]
    seen: dict[str, Any] = {}

    async def main() -> None:
        app = QualcodeApp(lead_path["folder"], "wang", cursor_blink=False)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await pilot.press("f8")
            app.screen.query_one("#a-boot").value = "0"
            await pilot.press("ctrl+r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            seen["agree"] = app.screen.report
            await pilot.press("escape")
            await pilot.press("f10")
            await pilot.pause()
            app.screen.query_one("#j-doc").value = "qs-ent"
            await pilot.pause()
            seen["places"] = app.screen.places
            await pilot.press("escape")
            await pilot.press("f11")
            await pilot.press("ctrl+r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            seen["cases"] = app.screen.cases
        app.project.dispose()

    asyncio.run(main())
    assert seen["agree"]["coders"] == agree["coders"]
    assert seen["agree"]["pooled"]["coefficients"]["krippendorff_alpha"]["value"] == pytest.approx(
        agree["pooled"]["coefficients"]["krippendorff_alpha"]["value"]
    )
    # After adjudication qs-ent is unchanged (Qingshan was not adjudicated): same open places.
    assert [(p["code"], p["start"]) for p in seen["places"]] == [
        (p["code"], p["start"]) for p in lead_path["places"]["qs-ent"]["places"]
    ]
    assert {(c["case"], c["type"], c["source"]) for c in seen["cases"]} == {
        (c["case"], c["type"], c["source"]) for c in typology["cases"]
    }
