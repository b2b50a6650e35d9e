"""The saturation screen (f12): the curve drawn in the terminal and the steps table hold the
numbers of `qualcode saturation`; switching level and language redraws without recomputing."""

from pathlib import Path
from typing import Any

from qualcode.i18n import set_language
from qualcode.services.analysis.saturation import saturation_report
from qualcode.services.demo import build_demo
from tests.tui.helpers import run_app


def test_saturation_screen_shows_the_report(tmp_path: Path) -> None:
    project, _ = build_demo(tmp_path / "demo")
    report = saturation_report(project, viewer="wang")
    project.dispose()

    async def body(app: Any, pilot: Any) -> None:
        from textual.widgets import DataTable, Label, Select
        from textual_plotext import PlotextPlot

        from qualcode.tui.screens.saturation import SaturationScreen

        await pilot.press("f12")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaturationScreen)
        steps = [s for source in report["sources"] for s in source["levels"]["code"]["curve"]["steps"]]
        table = screen.query_one(DataTable)
        assert table.row_count == len(steps)
        assert [str(table.get_row_at(i)[4]) for i in range(table.row_count)] == [
            str(s["cumulative"]) for s in steps
        ]
        union = next(s for s in report["sources"] if s["source"] == "union")
        sentence = union["levels"]["code"]["reserve_check"]["sentence"]["en"]
        assert str(screen.query_one("#sat-status", Label).render()) == sentence
        assert screen.query_one(PlotextPlot).plt is not None
        screen.query_one(Select).value = "dimension"
        await pilot.pause()
        dims = [s for source in report["sources"] for s in source["levels"]["dimension"]["curve"]["steps"]]
        assert [str(table.get_row_at(i)[4]) for i in range(table.row_count)] == [
            str(s["cumulative"]) for s in dims
        ]
        set_language("zh_CN")
        app._relabel()
        await pilot.pause()
        zh = union["levels"]["dimension"]["reserve_check"]["sentence"]["zh_CN"]
        assert str(screen.query_one("#sat-status", Label).render()) == zh
        assert [str(table.get_row_at(i)[4]) for i in range(table.row_count)] == [
            str(s["cumulative"]) for s in dims
        ]

    run_app(tmp_path / "demo", "wang", body)
