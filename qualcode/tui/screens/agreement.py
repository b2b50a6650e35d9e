"""The lead's agreement screen: per-code coefficients, intervals and verdicts; disagreements; jump to text.

The report is computed by services/agreement/project_report.py in a thread worker. That service reports no
progress while it runs, so the bar is indeterminate until the report arrives.
"""

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import Checkbox, DataTable, Header, Input, Label, ProgressBar, Select

from qualcode.core.agreement.intervals import DEFAULT_BOOTSTRAP
from qualcode.i18n import N_, _, join_list
from qualcode.i18n.messages import localise_all
from qualcode.io.agreement_report import cautions, cell_label
from qualcode.services.agreement.project_report import agreement_report
from qualcode.services.agreement.rows import CoefficientRow, Disagreement
from qualcode.tui.failures import failure_text
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar
from qualcode.tui.widgets.translated_label import TranslatedLabel


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _ci(coef: CoefficientRow | None) -> str:
    if coef and coef.get("ci_withheld"):
        return _("withheld")
    if not coef or coef.get("ci_low") is None:
        return ""
    return f"[{coef['ci_low']:.2f}, {coef['ci_high']:.2f}]" + (" *" if coef.get("ci_note") else "")


def row_notes(row: dict[str, Any]) -> str:
    """A code's (or dimension's) warnings and the note on its interval, as one line."""
    text = cautions(row)
    return _("{code}: {notes}").format(code=row["code"], notes=text) if text else ""


CODE_COLUMNS = (
    N_("code"),
    N_("dimension"),
    N_("α"),
    N_("95% CI"),
    N_("% agree"),
    N_("verdict"),
    N_("N pairable units"),
    N_("N units coded"),
    N_("disagree"),
)
DISAGREEMENT_COLUMNS = (N_("unit"), N_("document"), N_("values"), N_("text"))
UNITS = ((N_("answer units"), "answer"), (N_("sentence units"), "sentence"))
READY = N_(
    "Press ctrl+r to compute. A coder counts in the documents they marked done (a lead "
    "also only where they coded), unless 'all coded documents' is on."
)
COMPUTING = N_("computing…")


class AgreementScreen(QualcodeScreen[None]):
    TITLE = N_("Intercoder agreement")
    BINDINGS = [
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="agreement.back",
            tooltip=N_("Back to the workbench (cancels a run)"),
        ),
        Binding(
            "ctrl+r",
            "compute",
            N_("Compute"),
            id="agreement.compute",
            tooltip=N_("Compute the agreement report"),
        ),
        Binding(
            "ctrl+j",
            "jump",
            N_("Jump"),
            id="agreement.jump",
            tooltip=N_("Open the highlighted disagreement in the text"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: dict[str, Any] | None = None
        self.rows: list[dict[str, Any]] = []  # per code, then per dimension
        self.disagreements: list[Disagreement] = []
        self.status_message: str | None = READY  # the status line, when it is one of ours

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Select(
                    self._units(),
                    value="answer",
                    allow_blank=False,
                    id="a-unit",
                )
                yield Input(
                    str(DEFAULT_BOOTSTRAP),
                    placeholder=_("bootstrap resamples (default {count})").format(count=DEFAULT_BOOTSTRAP),
                    id="a-boot",
                    type="integer",
                )
                yield Checkbox(_("all coded documents"), id="a-all-docs")
                yield ProgressBar(id="a-progress", show_eta=False)
            yield Label(_(READY), id="a-status")
            yield DataTable(id="a-codes", cursor_type="row", zebra_stripes=True, classes="results")
            yield Label("", id="a-row-notes")
            yield TranslatedLabel(N_("Disagreements (enter: jump to the text)"), classes="pane-title")
            yield DataTable(id="a-dis", cursor_type="row", zebra_stripes=True, classes="results")
        yield KeyBar()

    def on_mount(self) -> None:
        add_columns(self.query_one("#a-codes", DataTable), CODE_COLUMNS)
        add_columns(self.query_one("#a-dis", DataTable), DISAGREEMENT_COLUMNS)
        self.title = _(self.TITLE)
        self.query_one(ProgressBar).update(total=1, progress=0)

    @staticmethod
    def _units() -> list[tuple[str, str]]:
        return [(_(label), value) for label, value in UNITS]

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        relabel_columns(self.query_one("#a-codes", DataTable), CODE_COLUMNS)
        relabel_columns(self.query_one("#a-dis", DataTable), DISAGREEMENT_COLUMNS)
        unit = self.query_one("#a-unit", Select)
        value = unit.value
        with unit.prevent(Select.Changed):
            unit.set_options(self._units())
            unit.value = value
        self.query_one("#a-boot", Input).placeholder = _("bootstrap resamples (default {count})").format(
            count=DEFAULT_BOOTSTRAP
        )
        self.query_one("#a-all-docs", Checkbox).label = _("all coded documents")
        if self.report is not None:
            self.query_one("#a-status", Label).update(self._summary(self.report))
            self._relabel_rows()
        elif self.status_message is not None:
            self.query_one("#a-status", Label).update(_(self.status_message))

    def action_compute(self) -> None:
        boot = self.query_one("#a-boot", Input).value.strip() or "0"
        self.query_one(ProgressBar).update(total=None)  # indeterminate: the service reports no progress
        self.status_message = COMPUTING
        self.query_one("#a-status", Label).update(_(COMPUTING))
        all_documents = self.query_one("#a-all-docs", Checkbox).value
        self.compute(str(self.query_one("#a-unit", Select).value), int(boot), all_documents)

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def compute(self, unit: str, n_boot: int, all_documents: bool = False) -> None:
        try:
            # The seed and the minimum of coded units are the defaults every surface shares.
            report = agreement_report(
                self.app.project,
                unit=unit,
                n_boot=n_boot,
                viewer=self.app.coder,
                all_documents=all_documents,
            )
        except Exception as exc:  # shown in the status line; the screen stays
            self.app.call_from_thread(self.failed, failure_text(exc))
            return
        self.app.call_from_thread(self.show_report, report)

    def failed(self, message: str) -> None:
        self.query_one(ProgressBar).update(total=1, progress=0)
        self.status_message = None
        self.query_one("#a-status", Label).update(f"[red]{markup_safe(message)}[/]")

    @staticmethod
    def _summary(report: dict[str, Any]) -> str:
        """The status line above the table: what was compared, the pooled α, the notes."""
        pooled = report.get("pooled") or {}
        alpha = ((pooled.get("coefficients") or {}).get("krippendorff_alpha") or {}).get("value")
        boot = report.get("bootstrap")
        notes = localise_all(report.get("notes", []))
        if boot:
            notes.append(
                _(
                    "95% CI: {count} resamples, seed {seed}, withheld below {minimum} units coded; "
                    "* see the CI note"
                ).format(count=boot["n"], seed=boot["seed"], minimum=boot["min_units_coded"])
            )
        if report.get("all_documents"):
            notes.append(_("all coded documents"))
        line = _(
            "{units} units ({pairable} pairable) in {documents} documents, coders {coders}; pooled α {alpha}"
        ).format(
            units=report["n_units"],
            pairable=report["n_pairable_units"],
            documents=report["n_documents"],
            coders=join_list(report["coders"]),
            alpha=_fmt(alpha),
        )
        if notes:
            line += f" · {markup_safe('; '.join(notes))}"
        return (
            line
            + "\n"
            + _("Who is compared: {rule}").format(rule=markup_safe(_(report["participation_rule"])))
        )

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        self.query_one(ProgressBar).update(total=1, progress=1)
        self.query_one("#a-status", Label).update(self._summary(report))
        table = self.query_one("#a-codes", DataTable)
        table.clear()
        self.rows = list(report["codes"]) + [
            {**d, "code": f"[{d['dimension']}]"} for d in report["dimensions"]
        ]
        for i, row in enumerate(self.rows):
            coefs = row["coefficients"]
            alpha_c = coefs.get("krippendorff_alpha")
            verdict = row.get("verdict") or ""
            style = (
                "green"
                if verdict.startswith("acceptable")
                else "yellow"
                if verdict.startswith("tentative")
                else "red"
            )
            table.add_row(
                plain(row["code"]),
                plain(row.get("dimension") or ""),
                plain(_fmt(alpha_c and alpha_c.get("value"))),
                plain(_ci(alpha_c)),
                plain(_fmt((coefs.get("percent_agreement") or {}).get("value"))),
                Text(cell_label(verdict), style=style),
                plain(str(row["n_pairable_units"])),
                plain(str(row.get("n_units_coded", ""))),
                plain(str(row["n_disagreements"])),
                key=str(i),
            )
        if self.rows:
            table.focus()

    @on(DataTable.RowHighlighted, "#a-codes")
    def _drill(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows[int(str(event.row_key.value))]
        self._show_row_notes(row)
        self.disagreements = row.get("disagreements", [])
        table = self.query_one("#a-dis", DataTable)
        table.clear()
        for i, d in enumerate(self.disagreements):
            values = join_list(
                f"{c}: {cell_label(v) if isinstance(v, str) else v}"
                for c, v in d["values"].items()
                if v is not None
            )
            table.add_row(
                plain(d["unit"]),
                plain(d["document"]),
                plain(values),
                plain(d["excerpt"].replace("\n", " ")),
                key=str(i),
            )

    def _relabel_rows(self) -> None:
        """Verdicts and the highlighted row's notes in the new language, rows and cursor kept."""
        table = self.query_one("#a-codes", DataTable)
        column = CODE_COLUMNS.index("verdict")
        for i, row in enumerate(self.rows):
            cell = table.get_cell_at(Coordinate(i, column))
            verdict = row.get("verdict") or ""
            style = cell.style if isinstance(cell, Text) else ""
            table.update_cell_at(Coordinate(i, column), Text(cell_label(verdict), style=style))
        if self.rows and table.cursor_row < len(self.rows):
            self._show_row_notes(self.rows[table.cursor_row])

    def _show_row_notes(self, row: dict[str, Any]) -> None:
        """The highlighted code's cautions and interval note, in the interface language."""
        label = self.query_one("#a-row-notes", Label)
        text = row_notes(row)
        label.update(markup_safe(text))
        label.display = bool(text)

    @on(DataTable.RowSelected, "#a-codes")
    def _to_disagreements(self) -> None:
        self.query_one("#a-dis", DataTable).focus()

    @on(DataTable.RowSelected, "#a-dis")
    def action_jump(self) -> None:
        table = self.query_one("#a-dis", DataTable)
        if self.disagreements and table.cursor_row < len(self.disagreements):
            d = self.disagreements[table.cursor_row]
            self.app.jump_to(d["document"], d["start"], d["end"])

    def action_back(self) -> None:
        self.workers.cancel_group(self, "agreement")
        self.app.pop_screen()
