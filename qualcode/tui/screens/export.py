"""Export: what (the project as REFI-QDA, or the segments you may see as a table), where, and progress."""

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, ProgressBar, Select

from qualcode.i18n import N_, _, ngettext
from qualcode.io.output import OutputExistsError
from qualcode.services.analysis.retrieval import export_retrieved, retrieve_segments
from qualcode.services.codebook.curation import list_codes
from qualcode.services.exchange.qdpx import export_qdpx
from qualcode.tui.failures import failure_text
from qualcode.tui.safe_text import markup_safe
from qualcode.tui.screens.base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar

TARGETS = {
    "segments": (N_("Coded segments you can see (.xlsx or .csv)"), "segments.xlsx"),
    "qdpx": (N_("Whole project as REFI-QDA (.qdpx; leads)"), "project.qdpx"),
}


class ExportScreen(QualcodeScreen[None]):
    TITLE = N_("Export")
    # The file the person was told exists: pressing ctrl+e again for it replaces it.
    confirmed_replace: Path | None = None
    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", N_("Back"), id="export.back", tooltip=N_("Back to the workbench")
        ),
        Binding("ctrl+e", "export", N_("Export"), id="export.run", tooltip=N_("Write the file")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                yield Select(
                    self._targets(),
                    value="segments",
                    allow_blank=False,
                    id="x-what",
                )
                yield Input(self._default("segments"), id="x-where")
            yield ProgressBar(id="x-progress", show_eta=False)
            yield Label(_("ctrl+e writes the file."), id="x-status")
        yield KeyBar()

    @staticmethod
    def _targets() -> list[tuple[str, str]]:
        return [(_(label), key) for key, (label, _file) in TARGETS.items()]

    def on_mount(self) -> None:
        self.title = _(self.TITLE)
        self.query_one(ProgressBar).update(total=1, progress=0)

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        what = self.query_one("#x-what", Select)
        value = what.value
        with what.prevent(Select.Changed):  # the path typed so far stays
            what.set_options(self._targets())
            what.value = value

    def _default(self, what: str) -> str:
        folder = self.app.project.folder or Path.cwd()
        return str(folder / "exports" / TARGETS[what][1])

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#x-where", Input).value = self._default(event.value)

    def action_export(self) -> None:
        what = str(self.query_one("#x-what", Select).value)
        if what == "qdpx" and self.app.role != "lead":
            self.notify(
                _("The whole project holds every coder's work: only a lead exports it."), severity="warning"
            )
            return
        path = Path(self.query_one("#x-where", Input).value.strip())
        force, self.confirmed_replace = path == self.confirmed_replace, None
        self.query_one(ProgressBar).update(total=None)
        self.query_one("#x-status", Label).update(_("writing…"))
        self.write(what, path, force)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def write(self, what: str, path: Path, force: bool) -> None:
        project, coder = self.app.project, self.app.coder
        try:
            if what == "qdpx":
                summary = export_qdpx(project, path, actor=coder, force=force)
                message = _("wrote {file} ({bytes:,} bytes)").format(
                    file=summary["file"], bytes=summary["bytes"]
                )
            else:
                codes = [c["key"] for c in list_codes(project, coder) if c["codable"]]
                rows = retrieve_segments(project, viewer=coder, codes=codes) if codes else []
                written = export_retrieved(project, rows, path, force=force)
                message = ngettext(
                    "wrote {count} segment to {file}", "wrote {count} segments to {file}", len(rows)
                ).format(count=len(rows), file=written)
        except OutputExistsError as exc:
            self.confirmed_replace = path
            message = _("{file} already exists: press ctrl+e again to replace it.").format(file=exc.path)
            self.app.call_from_thread(self.finished, f"[yellow]{markup_safe(message)}[/]", False)
            return
        except Exception as exc:  # shown in the status line; the screen stays
            self.app.call_from_thread(self.finished, f"[red]{markup_safe(failure_text(exc))}[/]", False)
            return
        self.app.call_from_thread(self.finished, markup_safe(message), True)

    def finished(self, message: str, ok: bool) -> None:
        self.query_one(ProgressBar).update(total=1, progress=1 if ok else 0)
        self.query_one("#x-status", Label).update(message)
        self.notify(message if ok else _("export failed"), severity="information" if ok else "error")
