"""Lead screens: agreement computed in a worker, drill-down to disagreements, jump to the text."""

from pathlib import Path
from typing import Any

from qualcode.services.coding import segments as coding
from qualcode.store.db import open_project
from tests.tui.conftest import ZH_TEXT
from tests.tui.helpers import bench, run_app, view


def _two_coders(project_dir: Path) -> tuple[int, int]:
    project = open_project(str(project_dir))
    answer = ZH_TEXT.split("\n")[1]
    a = ZH_TEXT.index(answer)
    for who, code in (("alice", "ADM.GOV"), ("bob", "ADM.GOV"), ("alice", "TAL.TRAIN")):
        coding.add_segment(project, coder=who, document="zh-gov", code=code, start=a + 4, end=a + 20)
    for who in ("alice", "bob"):
        coding.set_document_status(project, coder=who, document="zh-gov", status="done")
    project.dispose()
    return a, a + len(answer)


def test_agreement_worker_table_and_jump(project_dir: Path) -> None:
    start, end = _two_coders(project_dir)

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f8")
        screen = app.screen
        from qualcode.core.agreement.intervals import DEFAULT_BOOTSTRAP, DEFAULT_SEED

        assert screen.query_one("#a-boot").value == str(DEFAULT_BOOTSTRAP)  # the default of every surface
        screen.query_one("#a-boot").value = "50"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report["bootstrap"]["n"] == 50 and screen.report["bootstrap"]["seed"] == DEFAULT_SEED
        by_code = {r["code"]: r for r in screen.rows}
        assert by_code["ADM.GOV"]["n_disagreements"] == 0
        assert by_code["TAL.TRAIN"]["n_disagreements"] == 1
        assert screen.query_one("#a-codes").row_count == len(screen.rows)
        table = screen.query_one("#a-codes")
        table.move_cursor(row=[r["code"] for r in screen.rows].index("TAL.TRAIN"))
        await pilot.pause()
        assert [d["document"] for d in screen.disagreements] == ["zh-gov"]
        screen.query_one("#a-dis").focus()
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert bench(app).document == "zh-gov"
        assert view(app).selected_offsets == (start, end)  # the disagreeing answer unit

    run_app(project_dir, "lead", body)


def test_agreement_is_refused_to_coders(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f8")
        assert app.screen is bench(app)

    run_app(project_dir, "alice", body)


def test_guide_review_sets_the_question_of_an_answer(project_dir: Path) -> None:
    from qualcode.services.coding.workbench import open_document
    from qualcode.services.sources.guide import review

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f9")
        screen = app.screen
        first = screen.flagged[0]
        await pilot.press("ctrl+e")
        app.screen.query_one("#picker-input").value = "Q2"
        await pilot.pause()
        await pilot.press("enter")
        project = open_project(str(project_dir))
        try:
            still = [(f["document"], f["seq"]) for f in review(project)["flagged"]]
            units = {u["seq"]: u for u in open_document(project, first["document"])["units"]}
        finally:
            project.dispose()
        assert (first["document"], first["seq"]) not in still
        assert units[first["seq"]]["question_key"] == "Q2"
        assert (first["document"], first["seq"]) not in [(f["document"], f["seq"]) for f in screen.flagged]

    run_app(project_dir, "lead", body)


def test_adjudication_accept_keep_both_reject_keeps_raw_codings(project_dir: Path) -> None:
    from qualcode.services.coding.segments import list_segments

    project = open_project(str(project_dir))
    answer = ZH_TEXT.split("\n")[1]
    a = ZH_TEXT.index(answer)
    coding.add_segment(project, coder="alice", document="zh-gov", code="ADM.GOV", start=a + 4, end=a + 20)
    coding.add_segment(project, coder="bob", document="zh-gov", code="ADM.GOV", start=a + 4, end=a + 24)
    coding.add_segment(project, coder="alice", document="zh-gov", code="TAL.TRAIN", start=a + 30, end=a + 40)
    # Coders take part in adjudication where they marked the document done (participation rule).
    for who in ("alice", "bob"):
        coding.set_document_status(project, coder=who, document="zh-gov", status="done")
    project.dispose()

    def segments() -> set[tuple[str, str, int, int]]:
        p = open_project(str(project_dir))
        try:
            return {
                (s["coder"], s["code"], s["start"], s["end"]) for s in list_segments(p, document="zh-gov")
            }
        finally:
            p.dispose()

    raw = segments()

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f10")
        screen = app.screen
        screen.query_one("#j-doc").value = "zh-gov"
        await pilot.pause()
        assert [(p["code"], [s["coder"] for s in p["segments"]]) for p in screen.places] == [
            ("ADM.GOV", ["alice", "bob"]),
            ("TAL.TRAIN", ["alice"]),
        ]
        await pilot.press("b")  # accept bob's span for ADM.GOV
        assert segments() == raw | {("consensus", "ADM.GOV", a + 4, a + 24)}
        await pilot.press("u")
        assert segments() == raw
        await pilot.press("k")  # keep both
        assert segments() == raw | {
            ("consensus", "ADM.GOV", a + 4, a + 20),
            ("consensus", "ADM.GOV", a + 4, a + 24),
        }
        screen.query_one("#j-table").move_cursor(row=1)
        await pilot.press("x")  # reject TAL.TRAIN: no consensus segment, a logged decision
        assert [p["rejected"] for p in screen.places if p["code"] == "TAL.TRAIN"] == [True]
        assert raw <= segments()

    run_app(project_dir, "lead", body)


def test_export_segments_respects_blind_mode_and_qdpx_is_for_leads(project_dir: Path) -> None:
    from openpyxl import load_workbook

    from qualcode.services import settings

    project = open_project(str(project_dir))
    settings.set_setting(project, "blind_mode", True, actor="lead")
    coding.add_segment(project, coder="alice", document="zh-gov", code="ADM.GOV", start=24, end=30)
    coding.add_segment(project, coder="bob", document="zh-gov", code="ADM.GOV", start=24, end=34)
    project.dispose()
    out = project_dir / "exports" / "mine.xlsx"

    async def as_alice(app: Any, pilot: Any) -> None:
        await pilot.press("f5")
        app.screen.query_one("#x-where").value = str(out)
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#x-what").value = "qdpx"
        await pilot.pause()
        await pilot.press("ctrl+e")  # refused: a coder may not export everyone's work
        assert not (project_dir / "exports" / "project.qdpx").exists()

    run_app(project_dir, "alice", as_alice)
    sheet = load_workbook(out).active
    coders = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert coders == ["alice"]

    async def as_lead(app: Any, pilot: Any) -> None:
        await pilot.press("f5")
        app.screen.query_one("#x-what").value = "qdpx"
        await pilot.pause()
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()

    run_app(project_dir, "lead", as_lead)
    assert (project_dir / "exports" / "project.qdpx").stat().st_size > 0


def test_typology_on_the_demo_project(tmp_path: Path) -> None:
    from qualcode.services.demo import build_demo

    project, _ = build_demo(tmp_path / "demo")
    project.dispose()

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f11")
        screen = app.screen
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert {c["case"]: c["type"] for c in screen.cases} == {"HB-MARINE": "GOV_LED", "QS-AUTO": "ENT_LED"}
        assert screen.anchors and all(a["type"] == screen.cases[0]["type"] for a in screen.anchors)
        first = screen.anchors[0]
        screen.query_one("#t-anchors").focus()
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert bench(app).document == first["document"]
        assert view(app).selected_offsets == (first["start"], first["end"])

    run_app(tmp_path / "demo", "wang", body)


def test_export_screen_never_overwrites_the_project_and_asks_before_replacing(project_dir: Path) -> None:
    from qualcode.services.sources.documents import list_documents

    database = project_dir / "qualcode.db"
    taken = project_dir / "exports" / "taken.qdpx"
    taken.parent.mkdir(exist_ok=True)
    taken.write_bytes(b"an older export")
    project = open_project(str(project_dir))
    before = len(list_documents(project))
    project.dispose()

    async def as_lead(app: Any, pilot: Any) -> None:
        await pilot.press("f5")
        app.screen.query_one("#x-what").value = "qdpx"
        await pilot.pause()
        app.screen.query_one("#x-where").value = str(project_dir / "exports" / ".." / "qualcode.db")
        for _ in range(2):  # pressing again does not make the project's own file writable
            await pilot.press("ctrl+e")
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.screen.query_one("#x-where").value = str(taken)
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert taken.read_bytes() == b"an older export"  # told it exists, not replaced
        await pilot.press("ctrl+e")  # asked again for the same file: replace it
        await app.workers.wait_for_complete()
        await pilot.pause()

    run_app(project_dir, "lead", as_lead)
    assert database.read_bytes()[:16] == b"SQLite format 3\x00"  # not a .qdpx
    project = open_project(str(project_dir))
    assert len(list_documents(project)) == before
    project.dispose()
    assert taken.read_bytes()[:2] == b"PK"


def test_adjudication_ignores_a_lead_who_coded_a_few_spans(project_dir: Path) -> None:
    """A lead trying the coding screen must not turn the coders' agreements into open places."""
    project = open_project(str(project_dir))
    answer = ZH_TEXT.split("\n")[1]
    a = ZH_TEXT.index(answer)
    for who in ("alice", "bob"):
        coding.add_segment(project, coder=who, document="zh-gov", code="ADM.GOV", start=a + 4, end=a + 20)
        coding.set_document_status(project, coder=who, document="zh-gov", status="done")
    coding.add_segment(project, coder="alice", document="zh-gov", code="TAL.TRAIN", start=a + 30, end=a + 40)
    for start in (a + 4, a + 30, a + 2):
        coding.add_segment(
            project, coder="lead", document="zh-gov", code="ADM.GOV", start=start, end=start + 5
        )
    project.dispose()

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f10")
        screen = app.screen
        screen.query_one("#j-doc").value = "zh-gov"
        await pilot.pause()
        assert [(p["code"], p["coders_without"]) for p in screen.places] == [("TAL.TRAIN", ["bob"])]
        who = str(screen.query_one("#j-who").render())
        assert "Compared: alice, bob" in who and "Not compared: lead" in who

    run_app(project_dir, "lead", body)


def test_typology_and_agreement_screens_in_chinese(tmp_path: Path) -> None:
    """The words the screens write themselves (basis, coding source, type names, verdicts) in
    the interface language; the result's stored words stay as they are."""
    from qualcode.i18n import CHINESE, set_language
    from qualcode.services.demo import build_demo

    project, _ = build_demo(tmp_path / "demo")
    project.dispose()

    async def body(app: Any, pilot: Any) -> None:
        set_language(CHINESE)
        await pilot.press("f11")
        screen = app.screen
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#t-cases")
        first = [str(cell) for cell in table.get_row_at(0)]
        assert first[:4] == ["HB-MARINE", "政府统筹主导型", "规则", "并集"]
        assert screen.cases[0]["type"] == "GOV_LED" and screen.cases[0]["basis"] == "rule"
        assert "按 Consortium 划分" in str(screen.query_one("#t-status").render())
        await pilot.press("escape")
        await pilot.press("f8")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        verdicts = {str(row[5]) for row in map(app.screen.query_one("#a-codes").get_row_at, range(3))}
        assert verdicts <= {"可接受（≥ .800）", "初步（.667–.800）", "不可接受（< .667）", "无定义"}

    run_app(tmp_path / "demo", "wang", body)


def test_agreement_cautions_follow_the_interface_language(project_dir: Path) -> None:
    """The highlighted code's warnings and interval note are shown, and switching the language
    rewrites them (and the verdicts) in place, the cursor kept."""
    _two_coders(project_dir)

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("f8")
        screen = app.screen
        screen.query_one("#a-boot").value = "50"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#a-codes")
        table.move_cursor(row=[r["code"] for r in screen.rows].index("TAL.TRAIN"))
        await pilot.pause()
        notes = str(screen.query_one("#a-row-notes").render())
        assert notes.startswith("TAL.TRAIN: small sample: only")
        app.action_switch_language()
        await pilot.pause()
        notes = str(screen.query_one("#a-row-notes").render())
        assert notes.startswith("TAL.TRAIN：样本量小：可配对取值仅") and "small sample" not in notes
        assert table.cursor_row == [r["code"] for r in screen.rows].index("TAL.TRAIN")
        verdicts = {str(table.get_row_at(i)[5]) for i in range(table.row_count)}
        assert not any(v.startswith(("acceptable", "unacceptable", "tentative")) for v in verdicts)
        app.action_switch_language()
        await pilot.pause()

    run_app(project_dir, "lead", body)
