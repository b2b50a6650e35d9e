"""The saturation screen: the cumulative discovery curve drawn in the terminal, the reserve check
in one sentence, and what each interview brought that was new.

The numbers are those of `qualcode saturation` (services/analysis/saturation.py), computed in a
thread worker; in blind mode a coder sees their own curve only, as everywhere else.
"""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label, Select
from textual_plotext import PlotextPlot

from qualcode.i18n import CHINESE, ENGLISH, N_, _, current_language, join_list
from qualcode.services.analysis.rows import SaturationReport
from qualcode.services.analysis.saturation import headline_source, saturation_report, source_title
from qualcode.tui.failures import failure_text
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar

LEVELS = ((N_("new codes"), "code"), (N_("new categories"), "category"), (N_("new dimensions"), "dimension"))
STEP_COLUMNS = (N_("coding"), N_("#"), N_("interview"), N_("new"), N_("cumulative"))
COMPUTING = N_("computing…")


class SaturationScreen(QualcodeScreen[None]):
    TITLE = N_("Saturation")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="saturation.back", tooltip=N_("Back to the workbench")),
        Binding(
            "ctrl+r",
            "compute",
            N_("Compute"),
            id="saturation.compute",
            tooltip=N_("Compute the discovery curves and the reserve check again"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: SaturationReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Select(self._levels(), value="code", allow_blank=False, id="sat-level")
            yield Label(_(COMPUTING), id="sat-status")
            yield PlotextPlot(id="sat-plot")
            yield DataTable(id="sat-steps", cursor_type="row", zebra_stripes=True, classes="results")
        yield KeyBar()

    @staticmethod
    def _levels() -> list[tuple[str, str]]:
        return [(_(label), value) for label, value in LEVELS]

    def on_mount(self) -> None:
        add_columns(self.query_one(DataTable), STEP_COLUMNS)
        self.title = _(self.TITLE)
        self.action_compute()

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        relabel_columns(self.query_one(DataTable), STEP_COLUMNS)
        level = self.query_one(Select)
        value = level.value
        with level.prevent(Select.Changed):
            level.set_options(self._levels())
            level.value = value
        if self.report is not None:
            self.draw()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_compute(self) -> None:
        self.query_one("#sat-status", Label).update(_(COMPUTING))
        self.compute()

    @work(thread=True, exclusive=True, group="saturation", exit_on_error=False)
    def compute(self) -> None:
        try:
            report = saturation_report(self.app.project, viewer=self.app.coder)
        except Exception as exc:  # shown in the status line; the screen stays
            self.app.call_from_thread(self.failed, failure_text(exc))
            return
        self.app.call_from_thread(self.shown, report)

    def failed(self, message: str) -> None:
        self.query_one("#sat-status", Label).update(f"[red]{markup_safe(message)}[/]")

    def shown(self, report: SaturationReport) -> None:
        self.report = report
        self.draw()

    @on(Select.Changed, "#sat-level")
    def _level_changed(self) -> None:
        if self.report is not None:
            self.draw()

    def draw(self) -> None:
        """Curve, sentence and steps for the chosen level, in the interface language."""
        assert self.report is not None
        level = str(self.query_one(Select).value)
        sources = self.report["sources"]
        status = self.query_one("#sat-status", Label)
        chosen = headline_source(self.report)
        if chosen is None:
            status.update(_("Nothing is coded yet."))
            return
        language = CHINESE if current_language() == CHINESE else ENGLISH
        status.update(markup_safe(chosen["levels"][level]["reserve_check"]["sentence"][language]))
        plot = self.query_one(PlotextPlot).plt
        plot.clear_data()
        plot.clear_figure()
        for source in sources:
            steps = source["levels"][level]["curve"]["steps"]
            plot.plot(
                [step["position"] for step in steps],
                [step["cumulative"] for step in steps],
                label=source_title(source),
                marker="braille",
            )
        plot.xlabel(_("Interview"))
        plot.ylabel(_("Cumulative"))
        self.query_one(PlotextPlot).refresh()
        table = self.query_one(DataTable)
        table.clear()
        for source in sources:
            for step in source["levels"][level]["curve"]["steps"]:
                table.add_row(
                    plain(source_title(source)),
                    plain(str(step["position"])),
                    plain(step["document"]),
                    plain(join_list(step["new"]) or "—"),
                    plain(str(step["cumulative"])),
                )
