"""Code-and-retrieve: every segment of some codes (any / all / without), filtered, with context."""

from collections.abc import Sequence
from pathlib import Path

from rich.console import RenderableType
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select

from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _, ngettext
from qualcode.io.output import OutputExistsError
from qualcode.services.analysis.retrieval import export_retrieved, retrieve_segments
from qualcode.services.analysis.rows import RetrievedSegment
from qualcode.tui.failures import NOT_EXPORTED, failure_text
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.results import ResultsScreen
from qualcode.tui.screens.text_prompt import LinePrompt


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


MODES = ((N_("any"), "any"), (N_("all"), "all"))
PLACEHOLDERS = (
    ("r-codes", N_("codes, e.g. TAL.TRAIN ADM.GOV")),
    ("r-without", N_("without codes")),
    ("r-coders", N_("coders (blank: all you may see)")),
    ("r-attrs", N_("document: role=… city=…")),
    ("r-question", N_("guide question, e.g. Q3")),
)


class RetrievalScreen(ResultsScreen[RetrievedSegment]):
    TITLE = N_("Code and retrieve")
    PREFIX = "r"
    COLUMNS = (N_("document"), N_("coder"), N_("code"), N_("span"), N_("question"), N_("role"), N_("text"))
    confirmed_replace: Path | None = None  # a file the person was told exists
    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", N_("Back"), id="retrieve.back", tooltip=N_("Back to the workbench")
        ),
        Binding("ctrl+r", "retrieve", N_("Retrieve"), id="retrieve.run", tooltip=N_("Run the retrieval")),
        Binding(
            "ctrl+e",
            "export",
            N_("Export"),
            id="retrieve.export",
            tooltip=N_("Export the rows to .xlsx or .csv"),
        ),
        Binding(
            "ctrl+j",
            "jump",
            N_("Jump"),
            id="retrieve.jump",
            tooltip=N_("Open the passage of the highlighted row"),
        ),
    ]

    def compose_query(self) -> ComposeResult:
        placeholders = dict(PLACEHOLDERS)
        with Horizontal(classes="toolbar"):
            yield Input(placeholder=_(placeholders["r-codes"]), id="r-codes")
            yield Select(self._modes(), value="any", allow_blank=False, id="r-mode")
            yield Input(placeholder=_(placeholders["r-without"]), id="r-without")
        with Horizontal(classes="toolbar"):
            yield Input(placeholder=_(placeholders["r-coders"]), id="r-coders")
            yield Input(placeholder=_(placeholders["r-attrs"]), id="r-attrs")
            yield Input(placeholder=_(placeholders["r-question"]), id="r-question")

    def mounted(self) -> None:
        self.query_one("#r-codes", Input).focus()

    @staticmethod
    def _modes() -> list[tuple[str, str]]:
        return [(_(label), value) for label, value in MODES]

    def _placeholders(self) -> None:
        for wid, text in PLACEHOLDERS:
            self.query_one(f"#{wid}", Input).placeholder = _(text)

    def relabel(self) -> None:
        super().relabel()
        self._placeholders()
        mode = self.query_one("#r-mode", Select)
        value = mode.value
        with mode.prevent(Select.Changed):
            mode.set_options(self._modes())
            mode.value = value

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    @on(Input.Submitted)
    def action_retrieve(self) -> None:
        self.reload()

    def fetch(self) -> list[RetrievedSegment]:
        return retrieve_segments(
            self.app.project,
            viewer=self.app.coder,
            codes=_words(self.value("r-codes")),
            mode=str(self.query_one("#r-mode", Select).value),
            without=_words(self.value("r-without")),
            coders=_words(self.value("r-coders")) or None,
            attributes=_attribute_filter(self.value("r-attrs")),
            question=self.value("r-question") or None,
        )

    def cells(self, row: RetrievedSegment) -> Sequence[RenderableType]:
        return (
            plain(row["document"]),
            plain(row["coder"]),
            plain(row["code"]),
            plain(f"{row['start']}-{row['end']}"),
            plain(row["question"]),
            plain(row["role"] or ""),
            plain(row["text"].replace("\n", " ")[:60]),
        )

    def loaded(self) -> None:
        self.notify(f"{len(self.rows)} segments")
        if self.rows:
            self.results_table.focus()

    def preview(self, row: RetrievedSegment) -> str:
        return (
            f"[dim]{markup_safe(row['before'])}[/][reverse]{markup_safe(row['text'])}[/]"
            f"[dim]{markup_safe(row['after'])}[/]"
            + (f"\n[b]memo:[/b] {markup_safe(row['memo'])}" if row["memo"] else "")
        )

    def location(self, row: RetrievedSegment) -> tuple[str, int, int]:
        return row["document"], row["start"], row["end"]

    def action_export(self) -> None:
        if not self.rows:
            self.notify(_("Retrieve something first."), severity="warning")
            return
        folder = self.app.project.folder or Path.cwd()
        default = str(folder / "exports" / "retrieved.xlsx")

        def chosen(path: str | None) -> None:
            if path:
                self.export(Path(path))

        self.app.push_screen(LinePrompt("Export to (.xlsx or .csv)", value=default), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, path: Path) -> None:
        # The prompt was just answered with this path: asking again after "exists" confirms replacing it.
        force, self.confirmed_replace = path == self.confirmed_replace, None
        try:
            written = export_retrieved(self.app.project, self.rows, path, force=force)
        except OutputExistsError as exc:
            self.confirmed_replace = path
            self.app.call_from_thread(
                self.notify,
                _("{file} already exists: export again to the same file to replace it.").format(
                    file=exc.path
                ),
                severity="warning",
                title=_(NOT_EXPORTED),
            )
            return
        except Exception as exc:  # shown, and the screen stays (failure_text logs the unexpected)
            self.app.call_from_thread(self.notify, failure_text(exc), severity="error", title=_(NOT_EXPORTED))
            return
        count = len(self.rows)
        self.app.call_from_thread(
            self.notify,
            ngettext("{count} row written to {file}", "{count} rows written to {file}", count).format(
                count=count, file=written
            ),
        )
