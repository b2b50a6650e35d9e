"""The qualcode Textual app: opens a project as one coder and shows the workbench."""

import gc
from collections.abc import Callable

from textual.app import App
from textual.binding import Binding

from qualcode.i18n import (
    CHINESE,
    ENGLISH,
    LANGUAGE_NAMES,
    N_,
    _,
    current_language,
    on_language_change,
    project_language_applies,
    set_language,
)
from qualcode.services.coders import coder_role
from qualcode.services.project import open_project
from qualcode.services.user_config import save_language, saved_language
from qualcode.store.db import Project
from qualcode.tui.cell_width import ambiguous_width as read_ambiguous_width
from qualcode.tui.commands import ScreenCommands
from qualcode.tui.relabel import relabel_screens
from qualcode.tui.theme import QUALCODE_THEME


class QualcodeApp(App[None]):
    CSS_PATH = "workbench.tcss"
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar"  # a maximised pane still shows the keys
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Show the keys of this screen"),
        Binding(
            "f2", "retrieve", "Retrieve", id="app.retrieve", tooltip="Code-and-retrieve across documents"
        ),
        Binding("f3", "search", "Search", id="app.search", tooltip="Search the text of all documents"),
        Binding("f4", "memos", "Memos", id="app.memos", tooltip="Browse and search all memos"),
        Binding("f5", "export", "Export", id="app.export", tooltip="Export segments or the whole project"),
        Binding(
            "f8",
            "agreement",
            "Agreement",
            show=False,
            id="app.agreement",
            tooltip="Intercoder agreement (leads)",
        ),
        Binding(
            "f9",
            "guide_review",
            "Guide",
            show=False,
            id="app.guide_review",
            tooltip="Question-alignment review (leads)",
        ),
        Binding(
            "f10",
            "adjudicate",
            "Adjudicate",
            show=False,
            id="app.adjudicate",
            tooltip="Adjudicate disagreements into consensus coding (leads)",
        ),
        Binding(
            "f11",
            "typology",
            "Typology",
            show=False,
            id="app.typology",
            tooltip="Typology of cases: types, scores, profiles, anchor quotes (leads)",
        ),
        Binding(
            "ctrl+q", "quit", "Quit", show=False, id="app.quit", tooltip="Quit (everything is already saved)"
        ),
        Binding(
            "z",
            "toggle_maximize",
            N_("Maximise"),
            show=False,
            id="app.maximize",
            tooltip=N_("Maximise the focused pane; z or esc restores it"),
        ),
    ]

    def __init__(
        self,
        project: Project | str,
        coder: str,
        *,
        cursor_blink: bool = True,
        ambiguous_width: int | None = None,
    ) -> None:
        super().__init__()
        self.project = open_project(project) if isinstance(project, str) else project
        self.coder = coder
        self.role = coder_role(self.project, coder)  # raises for an unknown coder: create it first
        self.cursor_blink = cursor_blink
        # The language the person last chose here wins over the project's setting and the locale,
        # but not over --lang or QUALCODE_LANG, and is only remembered when neither was given.
        self.remember_language = project_language_applies()
        if self.remember_language:
            saved = saved_language()
            if saved:
                set_language(saved)
        self._stop_listening: Callable[[], None] | None = None
        # Cells of “ ” … — in this person's terminal; a bad setting stops here, before any screen.
        self.ambiguous_width = ambiguous_width if ambiguous_width is not None else read_ambiguous_width()

    def on_mount(self) -> None:
        from qualcode.tui.screens.workbench import WorkbenchScreen

        self.register_theme(QUALCODE_THEME)
        self.theme = QUALCODE_THEME.name
        self.title = "qualcode"
        self._stop_listening = on_language_change(self._language_changed)
        self.push_screen(WorkbenchScreen())

    def on_unmount(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()

    def _language_changed(self, language: str) -> None:
        # A service may set the language from a worker thread (a report written in a chosen
        # language): widgets are only touched on the app's thread, and relabelling reads the
        # language current when it runs.
        try:
            self.call_from_thread(self._relabel)
        except RuntimeError:  # already on the app's thread
            self._relabel()

    def _relabel(self) -> None:
        relabel_screens(self.screen_stack)

    def action_switch_language(self) -> None:
        """中文 <-> English for every open screen; remembered for the person (not the project)."""
        language = ENGLISH if current_language() == CHINESE else CHINESE
        set_language(language)
        if self.remember_language:
            try:
                save_language(language)
            except OSError as exc:
                self.notify(
                    _("The language could not be remembered: {error}").format(error=exc), severity="warning"
                )
        self.notify(_("Interface language: {language}").format(language=LANGUAGE_NAMES[language]), timeout=2)

    def action_help(self) -> None:
        from qualcode.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_maximize(self) -> None:
        """Let the focused pane fill the screen, or give the others their place back."""
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
        elif screen.focused is not None:
            screen.maximize(screen.focused)

    def jump_to(self, document: str, start: int, end: int) -> None:
        """Close the screens above the workbench and select [start, end) of `document` there."""
        from qualcode.tui.messages import JumpTo
        from qualcode.tui.screens.workbench import WorkbenchScreen

        while not isinstance(self.screen, WorkbenchScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.screen.post_message(JumpTo(document, start, end))

    def action_retrieve(self) -> None:
        from qualcode.tui.screens.retrieval import RetrievalScreen

        if not isinstance(self.screen, RetrievalScreen):
            self.push_screen(RetrievalScreen())

    def action_search(self) -> None:
        from qualcode.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def _lead_only(self, message: str) -> bool:
        """`message` (with a {coder} placeholder) is shown when the coder is not a lead."""
        if self.role != "lead":
            self.notify(message.format(coder=self.coder), severity="warning")
            return False
        return True

    def action_agreement(self) -> None:
        from qualcode.tui.screens.agreement import AgreementScreen

        if self._lead_only(_("Agreement is for leads; {coder} is a coder.")) and not isinstance(
            self.screen, AgreementScreen
        ):
            self.push_screen(AgreementScreen())

    def action_guide_review(self) -> None:
        from qualcode.tui.screens.guide_review import GuideReviewScreen

        if self._lead_only(_("The alignment review is for leads; {coder} is a coder.")) and not isinstance(
            self.screen, GuideReviewScreen
        ):
            self.push_screen(GuideReviewScreen())

    def action_adjudicate(self) -> None:
        from qualcode.tui.screens.adjudication import AdjudicationScreen

        if self._lead_only(_("Adjudication is for leads; {coder} is a coder.")) and not isinstance(
            self.screen, AdjudicationScreen
        ):
            self.push_screen(AdjudicationScreen())

    def action_export(self) -> None:
        from qualcode.tui.screens.export import ExportScreen

        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def action_typology(self) -> None:
        from qualcode.tui.screens.typology import TypologyScreen

        if self._lead_only(_("The typology is for leads; {coder} is a coder.")) and not isinstance(
            self.screen, TypologyScreen
        ):
            self.push_screen(TypologyScreen())

    def action_memos(self) -> None:
        from qualcode.tui.screens.memo_browser import MemoBrowser

        if not isinstance(self.screen, MemoBrowser):
            self.push_screen(MemoBrowser())


def settle_imports() -> None:
    """Move everything imported so far out of the garbage collector's sight (gc.freeze).

    Textual, SQLAlchemy and rich leave hundreds of thousands of long-lived objects; opening a
    long transcript allocates enough to trigger full collections that walk all of them,
    ~50-100 ms of the first frame. Frozen objects are never freed, so call this once per
    process, after the imports (the CLI does; tests, which start many apps, do not)."""
    gc.freeze()


def run_workbench(project_target: str, coder: str) -> None:
    """Open the workbench on a project as `coder` (who must exist) and block until it is closed."""
    settle_imports()
    QualcodeApp(project_target, coder).run()
