"""The qualcode Textual app: opens a project as one coder and shows the workbench."""

import gc
from collections.abc import Callable, Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

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
from qualcode.services.user_config import save_language, saved_language
from qualcode.store.db import Project
from qualcode.tui.app_state import QualcodeAppBase
from qualcode.tui.commands import ScreenCommands
from qualcode.tui.failures import log_to_file
from qualcode.tui.keymap import bindings_of, load_keymap
from qualcode.tui.relabel import relabel_screens
from qualcode.tui.theme import QUALCODE_THEME

PALETTE_PLACEHOLDER = N_("Search for commands…")
# Textual's own palette entries (App.get_system_commands), word for word, so the catalogue has
# them; one Textual renames is shown in English until it is added here (a test reads the palette).
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


class QualcodeApp(QualcodeAppBase):
    CSS_PATH = ["workbench.tcss", "results.tcss"]
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar"  # a maximised pane still shows the keys
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding(
            "question_mark", "help", N_("Help"), id="app.help", tooltip=N_("Show the keys of this screen")
        ),
        Binding(
            "f2",
            "retrieve",
            N_("Retrieve"),
            id="app.retrieve",
            tooltip=N_("Code-and-retrieve across documents"),
        ),
        Binding(
            "f3", "search", N_("Search"), id="app.search", tooltip=N_("Search the text of all documents")
        ),
        Binding("f4", "memos", N_("Memos"), id="app.memos", tooltip=N_("Browse and search all memos")),
        Binding(
            "f5", "export", N_("Export"), id="app.export", tooltip=N_("Export segments or the whole project")
        ),
        Binding(
            "f12",  # f6 and f7 belong to the transcript (select line, select all)
            "saturation",
            N_("Saturation"),
            show=False,
            id="app.saturation",
            tooltip=N_("Saturation: the discovery curve and the reserve check"),
        ),
        Binding(
            "f8",
            "agreement",
            N_("Agreement"),
            show=False,
            id="app.agreement",
            tooltip=N_("Intercoder agreement (leads)"),
        ),
        Binding(
            "f9",
            "guide_review",
            N_("Guide"),
            show=False,
            id="app.guide_review",
            tooltip=N_("Question-alignment review (leads)"),
        ),
        Binding(
            "f10",
            "adjudicate",
            N_("Adjudicate"),
            show=False,
            id="app.adjudicate",
            tooltip=N_("Adjudicate disagreements into consensus coding (leads)"),
        ),
        Binding(
            "f11",
            "typology",
            N_("Typology"),
            show=False,
            id="app.typology",
            tooltip=N_("Typology of cases: types, scores, profiles, anchor quotes (leads)"),
        ),
        Binding(
            "ctrl+q",
            "quit",
            N_("Quit"),
            show=False,
            id="app.quit",
            tooltip=N_("Quit (everything is already saved)"),
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
        super().__init__(project, coder, cursor_blink=cursor_blink, ambiguous_width=ambiguous_width)
        # The language the person last chose here wins over the project's setting and the locale,
        # but not over --lang or QUALCODE_LANG, and is only remembered when neither was given.
        self.remember_language = project_language_applies()
        if self.remember_language:
            saved = saved_language()
            if saved:
                set_language(saved)
        self._stop_listening: Callable[[], None] | None = None

    def on_mount(self) -> None:
        from qualcode.tui.screens.workbench import WorkbenchScreen

        self.register_theme(QUALCODE_THEME)
        self.theme = QUALCODE_THEME.name
        self.title = "qualcode"
        self.apply_user_keymap()
        self._stop_listening = on_language_change(self._language_changed)
        self.push_screen(WorkbenchScreen())

    def apply_user_keymap(self) -> None:
        """Apply the user's keymap.toml; a file with a problem is reported and not applied."""
        keymap = load_keymap(bindings=all_bindings)
        if keymap.problem is not None:
            self.notify(
                _("{path} was not applied: {problem}").format(path=keymap.path, problem=keymap.problem),
                severity="error",
                title=_("Keymap"),
                timeout=15,
            )
            return
        self.user_keymap = keymap.keys
        if keymap.keys:
            self.set_keymap(keymap.keys)

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

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette entries (theme, quit, keys...) in the interface language."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def action_command_palette(self) -> None:
        """Textual's palette, with its search line in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder=_(PALETTE_PLACEHOLDER), id="--command-palette"))

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

    def action_saturation(self) -> None:
        from qualcode.tui.screens.saturation import SaturationScreen

        if not isinstance(self.screen, SaturationScreen):
            self.push_screen(SaturationScreen())

    def action_memos(self) -> None:
        from qualcode.tui.screens.memo_browser import MemoBrowser

        if not isinstance(self.screen, MemoBrowser):
            self.push_screen(MemoBrowser())


def all_bindings() -> dict[type[DOMNode], list[Binding]]:
    """Every binding of the app, by the class that declares it (imports every screen)."""
    from qualcode.tui.screens.adjudication import AdjudicationScreen
    from qualcode.tui.screens.agreement import AgreementScreen
    from qualcode.tui.screens.code_picker import CodePicker
    from qualcode.tui.screens.export import ExportScreen
    from qualcode.tui.screens.guide_review import GuideReviewScreen
    from qualcode.tui.screens.help import HelpScreen
    from qualcode.tui.screens.memo_browser import MemoBrowser
    from qualcode.tui.screens.retrieval import RetrievalScreen
    from qualcode.tui.screens.saturation import SaturationScreen
    from qualcode.tui.screens.search import SearchScreen
    from qualcode.tui.screens.text_prompt import LinePrompt, MemoEditor
    from qualcode.tui.screens.typology import TypologyScreen
    from qualcode.tui.screens.workbench import WorkbenchScreen
    from qualcode.tui.widgets.segment_list import SegmentList
    from qualcode.tui.widgets.suggestion_review import SuggestionReview

    owners: tuple[type[DOMNode], ...] = (
        QualcodeApp,
        WorkbenchScreen,
        SegmentList,
        SuggestionReview,
        RetrievalScreen,
        SearchScreen,
        MemoBrowser,
        ExportScreen,
        AgreementScreen,
        GuideReviewScreen,
        AdjudicationScreen,
        TypologyScreen,
        SaturationScreen,
        HelpScreen,
        CodePicker,
        MemoEditor,
        LinePrompt,
    )
    return {owner: list(bindings_of(owner)) for owner in owners}


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
    log_to_file()
    QualcodeApp(project_target, coder).run()
