"""Code-and-retrieve: every segment of some codes (any / all / without), filtered, with context."""

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static

from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _, ngettext
from qualcode.io.output import OutputExistsError
from qualcode.services.analysis.retrieval import export_retrieved, retrieve_segments
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.text_prompt import LinePrompt
from qualcode.tui.widgets.key_bar import KeyBar


def _words(value: str) -> list[str]:
    return [w for w in value.replace(",", " ").split() if w]


def _attribute_filter(value: str) -> dict[str, str]:
    pairs = {}
    for part in _words(value):
        if "=" not in part:
            raise QualcodeError(
                _("write document filters as key=value (e.g. role=政府官员 city=海滨市), not {part}").format(
                    part=repr(part)
                )
            )
        key, _eq, val = part.partition("=")
        pairs[key] = val
    return pairs


COLUMNS = (N_("document"), N_("coder"), N_("code"), N_("span"), N_("question"), N_("role"), N_("text"))
# (input id, placeholder)
PLACEHOLDERS = (
    ("r-codes", N_("codes, e.g. TAL.TRAIN ADM.GOV")),
    ("r-without", N_("without codes")),
    ("r-coders", N_("coders (blank: all you may see)")),
    ("r-attrs", N_("document: role=… city=…")),
    ("r-question", N_("guide question, e.g. Q3")),
)
MODES = ((N_("any"), "any"), (N_("all"), "all"))


class RetrievalScreen(Screen[None]):
    TITLE = N_("Code and retrieve")
    confirmed_replace: Path | None = None  # a file the person was told exists
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="retrieve.back", tooltip="Back to the workbench"),
        Binding("ctrl+r", "retrieve", "Retrieve", id="retrieve.run", tooltip="Run the retrieval"),
        Binding(
            "ctrl+e", "export", "Export", id="retrieve.export", tooltip="Export the rows to .xlsx or .csv"
        ),
        Binding(
            "ctrl+j", "jump", "Jump", id="retrieve.jump", tooltip="Open the passage of the highlighted row"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Input(id="r-codes")
                yield Select(self._modes(), value="any", allow_blank=False, id="r-mode")
                yield Input(id="r-without")
            with Horizontal(classes="toolbar"):
                yield Input(id="r-coders")
                yield Input(id="r-attrs")
                yield Input(id="r-question")
            yield DataTable(id="r-table", cursor_type="row", zebra_stripes=True, classes="results")
            yield Static("", id="r-context", classes="context")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        add_columns(table, COLUMNS)
        self._placeholders()
        self.title = _(self.TITLE)
        self.query_one("#r-codes", Input).focus()

    @staticmethod
    def _modes() -> list[tuple[str, str]]:
        return [(_(label), value) for label, value in MODES]

    def _placeholders(self) -> None:
        for wid, text in PLACEHOLDERS:
            self.query_one(f"#{wid}", Input).placeholder = _(text)

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        self._placeholders()
        mode = self.query_one("#r-mode", Select)
        value = mode.value
        with mode.prevent(Select.Changed):
            mode.set_options(self._modes())
            mode.value = value
        relabel_columns(self.query_one(DataTable), COLUMNS)

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    @on(Input.Submitted)
    def action_retrieve(self) -> None:
        try:
            self.rows = retrieve_segments(
                self.app.project,
                viewer=self.app.coder,
                codes=_words(self.value("r-codes")),  # type: ignore[attr-defined]
                mode=str(self.query_one("#r-mode", Select).value),
                without=_words(self.value("r-without")),
                coders=_words(self.value("r-coders")) or None,
                attributes=_attribute_filter(self.value("r-attrs")),
                question=self.value("r-question") or None,
            )
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        table = self.query_one(DataTable)
        table.clear()
        for i, r in enumerate(self.rows):
            table.add_row(
                plain(r["document"]),
                plain(r["coder"]),
                plain(r["code"]),
                plain(f"{r['start']}-{r['end']}"),
                plain(r["question"]),
                plain(r["role"] or ""),
                plain(r["text"].replace("\n", " ")[:60]),
                key=str(i),
            )
        self.notify(
            ngettext("{count} segment", "{count} segments", len(self.rows)).format(count=len(self.rows))
        )
        if self.rows:
            table.focus()

    @on(DataTable.RowHighlighted, "#r-table")
    def _show(self, event: DataTable.RowHighlighted) -> None:
        r = self.rows[int(str(event.row_key.value))]
        self.query_one("#r-context", Static).update(
            f"[dim]{markup_safe(r['before'])}[/][reverse]{markup_safe(r['text'])}[/][dim]{markup_safe(r['after'])}[/]"
            + ("\n[b]" + _("memo:") + f"[/b] {markup_safe(r['memo'])}" if r["memo"] else "")
        )

    @on(DataTable.RowSelected, "#r-table")
    def action_jump(self) -> None:
        table = self.query_one(DataTable)
        if self.rows and table.cursor_row < len(self.rows):
            r = self.rows[table.cursor_row]
            self.app.jump_to(r["document"], r["start"], r["end"])  # type: ignore[attr-defined]

    def action_export(self) -> None:
        if not self.rows:
            self.notify(_("Retrieve something first."), severity="warning")
            return
        folder = self.app.project.folder or Path.cwd()  # type: ignore[attr-defined]
        default = str(folder / "exports" / "retrieved.xlsx")
        self.app.push_screen(
            LinePrompt(_("Export to (.xlsx or .csv)"), value=default),
            lambda path: path and self.export(Path(path)),
        )

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, path: Path) -> None:
        # The prompt was just answered with this path: asking again after "exists" confirms replacing it.
        force, self.confirmed_replace = path == self.confirmed_replace, None
        try:
            written = export_retrieved(self.app.project, self.rows, path, force=force)  # type: ignore[attr-defined]
        except OutputExistsError as exc:
            self.confirmed_replace = path
            self.app.call_from_thread(
                self.notify,
                _("{file} already exists: export again to the same file to replace it.").format(
                    file=exc.path
                ),
                severity="warning",
                title=_("Not exported"),
            )
            return
        except (QualcodeError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title=_("Not exported"))
            return
        count = len(self.rows)
        self.app.call_from_thread(
            self.notify,
            ngettext("{count} row written to {file}", "{count} rows written to {file}", count).format(
                count=count, file=written
            ),
        )
