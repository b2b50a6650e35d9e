"""Text search across all documents (plain or regex, Chinese and English); hits can be coded in place."""

from collections.abc import Sequence

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label

from qualcode.i18n import N_, _, ngettext
from qualcode.services.analysis.retrieval import search_text
from qualcode.services.analysis.rows import TextMatch
from qualcode.services.codebook.curation import list_codes
from qualcode.services.coding import segments as coding
from qualcode.tui.failures import Failed
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.results import ResultsScreen

COLUMNS = (N_("document"), N_("at"), N_("before"), N_("match"), N_("after"), N_("coded"))
PLACEHOLDER = N_("search text or regex (中文 / English)")
FOLD_LABEL = N_("simplified = traditional")
FOLDED_NOTE = N_("Simplified and traditional characters are matched as the same.")


class SearchScreen(ResultsScreen[TextMatch]):
    TITLE = N_("Search all documents")
    PREFIX = "s"
    COLUMNS = (N_("document"), N_("at"), N_("before"), N_("match"), N_("after"), N_("coded"))
    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", N_("Back"), id="search.back", tooltip=N_("Back to the workbench")
        ),
        Binding(
            "ctrl+k",
            "code_hit",
            N_("Code hit"),
            id="search.code",
            tooltip=N_("Code the highlighted hit in place"),
        ),
        Binding(
            "ctrl+j",
            "jump",
            N_("Jump"),
            id="search.jump",
            tooltip=N_("Open the highlighted hit in the transcript"),
        ),
        Binding(
            "ctrl+t",
            "toggle_fold",
            N_("Simp.=Trad."),
            id="search.fold_variants",
            tooltip=N_("Treat simplified and traditional Chinese characters as the same (off by default)."),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.coded: dict[int, str] = {}  # row -> the codes applied to that hit here

    @property
    def hits(self) -> list[TextMatch]:
        return self.rows

    def compose_query(self) -> ComposeResult:
        with Horizontal(classes="toolbar"):
            yield Input(placeholder=_(PLACEHOLDER), id="s-pattern")
            yield Checkbox(_("regex"), id="s-regex")
            yield Checkbox(_(FOLD_LABEL), id="s-fold")
        yield Label(_(FOLDED_NOTE), id="s-folded", classes="search-note")

    def mounted(self) -> None:
        self.query_one("#s-folded", Label).display = False
        self.query_one(Input).focus()

    def relabel(self) -> None:
        super().relabel()
        self.query_one(Input).placeholder = _(PLACEHOLDER)
        self.query_one("#s-regex", Checkbox).label = _("regex")
        self.query_one("#s-fold", Checkbox).label = _(FOLD_LABEL)
        self.query_one("#s-folded", Label).update(_(FOLDED_NOTE))

    @property
    def folding(self) -> bool:
        """Whether simplified and traditional forms count as the same character (off by default)."""
        return self.query_one("#s-fold", Checkbox).value

    def action_toggle_fold(self) -> None:
        self.query_one("#s-fold", Checkbox).toggle()

    @on(Checkbox.Changed, "#s-fold")
    def _fold_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#s-folded", Label).display = event.value
        if self.query_one(Input).value:
            self.reload()

    @on(Input.Submitted, "#s-pattern")
    def run_search(self) -> None:
        self.reload()

    def fetch(self) -> list[TextMatch]:
        hits = search_text(
            self.app.project,
            self.query_one(Input).value,
            regex=self.query_one("#s-regex", Checkbox).value,
            fold=self.folding,
        )
        self.coded = {}
        return hits

    def cells(self, row: TextMatch) -> Sequence[RenderableType]:
        return (
            plain(row["document"]),
            plain(str(row["start"])),
            plain(row["before"][-20:].replace("\n", " ")),
            plain(row["match"][:40]),
            plain(row["after"][:20].replace("\n", " ")),
            plain(""),  # nothing coded here yet: `code` fills the cell in
        )

    def loaded(self) -> None:
        self.notify(ngettext("{count} hit", "{count} hits", len(self.rows)).format(count=len(self.rows)))
        if self.rows:
            self.results_table.focus()

    def preview(self, row: TextMatch) -> str:
        return (
            f"[dim]{markup_safe(row['before'])}[/][reverse]{markup_safe(row['match'])}[/]"
            f"[dim]{markup_safe(row['after'])}[/]"
        )

    def location(self, row: TextMatch) -> tuple[str, int, int]:
        return row["document"], row["start"], row["end"]

    def action_code_hit(self) -> None:
        hit, row = self.current(), self.results_table.cursor_row
        if hit is None:
            return
        codes = self.attempt(lambda: list_codes(self.app.project))
        if isinstance(codes, Failed):
            return

        def chosen(key: str | None) -> None:
            if key:
                self.code(row, hit, key)

        self.app.push_screen(CodePicker(codes, _("Code “{text}”").format(text=hit["match"][:30])), chosen)

    def code(self, row: int, hit: TextMatch, key: str) -> None:
        added = self.attempt(
            lambda: coding.add_segment(
                self.app.project,
                coder=self.app.coder,
                document=hit["document"],
                code=key,
                start=hit["start"],
                end=hit["end"],
            )
        )
        if isinstance(added, Failed):
            return
        self.coded[row] = (self.coded.get(row, "") + " " + key).strip()
        self.results_table.update_cell(str(row), "coded", self.coded[row])
        self.notify(
            _("coded {code} in {document} [{start}, {end})").format(
                code=key, document=hit["document"], start=hit["start"], end=hit["end"]
            )
        )
