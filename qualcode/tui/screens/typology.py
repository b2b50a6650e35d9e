"""The lead's typology screen: cases, their assigned types and scores, profiles, anchor quotes."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Label, ProgressBar, Select, Static

from qualcode.core.code_names import names
from qualcode.core.typology_labels import basis_label, case_unit_label, flag_label, source_label, type_label
from qualcode.i18n import N_, _, current_language, join_list, ngettext
from qualcode.i18n.messages import localise
from qualcode.services.analysis.data import COMBINE_CHOICES, DEFAULT_SOURCE
from qualcode.services.analysis.rows import TypologyAnchor, TypologyCase, TypologyReport
from qualcode.services.analysis.typology import compute_typology, type_namer
from qualcode.services.coders import is_pseudo_coder, list_coders
from qualcode.tui.failures import failure_text
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar
from qualcode.tui.widgets.translated_label import TranslatedLabel

CASE_COLUMNS = (
    N_("case"),
    N_("type"),
    N_("basis"),
    N_("source"),
    N_("margin"),
    N_("cluster"),
    N_("flags"),
    N_("reason"),
)
ANCHOR_COLUMNS = (N_("case"), N_("document"), N_("code"), N_("line"), N_("quote"))
SOURCES = (
    (N_("consensus where a case has it, else union"), DEFAULT_SOURCE),
    (N_("union of the human coders"), "union"),
    (N_("majority of the human coders"), "majority"),
    (N_("consensus (adjudicated) only"), "consensus"),
)
READY = N_("ctrl+r computes the typology from the codebook's rules.")
COMPUTING = N_("computing…")


class TypologyScreen(QualcodeScreen[None]):
    TITLE = N_("Typology of cases")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="typology.back", tooltip=N_("Back to the workbench")),
        Binding(
            "ctrl+r",
            "compute",
            N_("Compute"),
            id="typology.compute",
            tooltip=N_("Profile, type and cluster the cases"),
        ),
        Binding(
            "ctrl+j", "jump", N_("Jump"), id="typology.jump", tooltip=N_("Open the highlighted anchor quote")
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.result: TypologyReport | None = None
        self.cases: list[TypologyCase] = []
        self.anchors: list[TypologyAnchor] = []
        self.status_message: str | None = READY  # the status line, when it is one of ours

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Select(self._sources(), value=DEFAULT_SOURCE, allow_blank=False, id="t-source")
                yield ProgressBar(id="t-progress", show_eta=False)
            yield Label(_(READY), id="t-status")
            yield DataTable(id="t-cases", cursor_type="row", zebra_stripes=True, classes="results")
            yield Static("", id="t-profile", classes="context")
            yield TranslatedLabel(N_("Anchor quotes of the type (ctrl+j: open)"), classes="pane-title")
            yield DataTable(id="t-anchors", cursor_type="row", zebra_stripes=True, classes="results")
        yield KeyBar()

    def _sources(self) -> list[tuple[str, str]]:
        """Every coding source the CLI offers, and one entry per coder."""
        options = [(_(label), value) for label, value in SOURCES]
        for c in list_coders(self.app.project):
            if not is_pseudo_coder(c["name"]):
                options.append((_("coder {name}").format(name=c["name"]), f"coder:{c['name']}"))
        return options

    def on_mount(self) -> None:
        cases = self.query_one("#t-cases", DataTable)
        add_columns(cases, CASE_COLUMNS)
        add_columns(self.query_one("#t-anchors", DataTable), ANCHOR_COLUMNS)
        self.title = _(self.TITLE)
        self.query_one(ProgressBar).update(total=1, progress=0)

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        relabel_columns(self.query_one("#t-cases", DataTable), CASE_COLUMNS)
        relabel_columns(self.query_one("#t-anchors", DataTable), ANCHOR_COLUMNS)
        source = self.query_one("#t-source", Select)
        value = source.value
        with source.prevent(Select.Changed):
            source.set_options(self._sources())
            source.value = value
        if self.result is not None:
            self.query_one("#t-status", Label).update(self._summary(self.result))
        elif self.status_message is not None:
            self.query_one("#t-status", Label).update(_(self.status_message))

    def action_compute(self) -> None:
        self.query_one(ProgressBar).update(total=None)  # the service reports no progress
        self.status_message = COMPUTING
        self.query_one("#t-status", Label).update(_(COMPUTING))
        self.compute(str(self.query_one("#t-source", Select).value))

    @work(thread=True, exclusive=True, group="typology", exit_on_error=False)
    def compute(self, source: str) -> None:
        coder = source.split(":", 1)[1] if source.startswith("coder:") else None
        try:
            result = compute_typology(
                self.app.project,
                coder=coder,
                consensus=source == "consensus",
                combine=source if source in COMBINE_CHOICES else None,
                viewer=self.app.coder,
            ).to_dict()
        except Exception as exc:  # shown in the status line; the screen stays
            self.app.call_from_thread(self.failed, failure_text(exc))
            return
        self.app.call_from_thread(self.show, result)

    def failed(self, message: str) -> None:
        self.query_one(ProgressBar).update(total=1, progress=0)
        self.status_message = None
        self.query_one("#t-status", Label).update(f"[red]{markup_safe(message)}[/]")

    def show(self, result: TypologyReport) -> None:
        self.result = result
        self.query_one(ProgressBar).update(total=1, progress=1)
        self.query_one("#t-status", Label).update(self._summary(result))
        table = self.query_one("#t-cases", DataTable)
        table.clear()
        self.cases = result["cases"]
        type_name = type_namer(result["types"], current_language())
        for i, c in enumerate(self.cases):
            margin = "" if c["margin"] is None else f"{c['margin']:.3f}"
            table.add_row(
                plain(c["case"]),
                plain(type_label(c["type"], type_name) or "—"),
                plain(basis_label(c["basis"])),
                plain(source_label(c["source"])),
                plain(margin),
                plain(str(c["cluster"] or "")),
                plain(join_list(flag_label(flag, type_name) for flag in c["flags"])),
                plain(localise(c["reason"]) or ""),
                key=str(i),
            )
        if self.cases:
            table.focus()

    @staticmethod
    def _summary(result: TypologyReport) -> str:
        p = result["parameters"]
        types = join_list(f"{t['id']} {names(t, current_language())[0]}" for t in result["types"])
        return markup_safe(
            ngettext(
                "{count} case by {unit} · coding: {source} ({description}) · types: {types}",
                "{count} cases by {unit} · coding: {source} ({description}) · types: {types}",
                p["n_cases"],
            ).format(
                count=p["n_cases"],
                unit=case_unit_label(p["case_unit"]),
                source=source_label(p["coding_source"]),
                description=_(p["coding_source_description"]),
                types=types,
            )
        )

    @on(DataTable.RowHighlighted, "#t-cases")
    def _case(self, event: DataTable.RowHighlighted) -> None:
        case = self.cases[int(str(event.row_key.value))]
        type_name = type_namer(self.result["types"] if self.result else [], current_language())
        scores = "  ".join(f"{t} {v:.3f}" for t, v in case["scores"].items() if v is not None)
        profile = "  ".join(f"{k} {v:.2f}" for k, v in case["profile"].items() if isinstance(v, float))
        docs = ", ".join(case["profile"].get("documents", []))
        self.query_one("#t-profile", Static).update(
            f"[b]{markup_safe(case['case'])}[/b] → [b]{markup_safe(type_label(case['type'], type_name))}[/b]  "
            + _("scores: {scores}").format(scores=scores)
            + "\n"
            + _("profile: {profile}").format(profile=markup_safe(profile))
            + "\n"
            + _("documents: {documents}").format(documents=markup_safe(docs))
        )
        shown = self.result["anchors"] if self.result is not None else []
        self.anchors = [a for a in shown if a["type"] == case["type"]]
        anchors = self.query_one("#t-anchors", DataTable)
        anchors.clear()
        for i, a in enumerate(self.anchors):
            anchors.add_row(
                plain(a["case"]),
                plain(a["document"]),
                plain(a["code"]),
                plain(str(a["line"] or "")),
                plain(a["text"].replace("\n", " ")[:80]),
                key=str(i),
            )

    @on(DataTable.RowSelected, "#t-anchors")
    def action_jump(self) -> None:
        table = self.query_one("#t-anchors", DataTable)
        if self.anchors and table.cursor_row < len(self.anchors):
            a = self.anchors[table.cursor_row]
            self.app.jump_to(a["document"], a["start"], a["end"])

    def action_back(self) -> None:
        self.workers.cancel_group(self, "typology")
        self.app.pop_screen()
