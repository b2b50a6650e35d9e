"""What every full screen of the app shares: `self.app` typed as the qualcode app, and one way to
call a service so that a failure is shown and the screen stays alive (tui/failures.py says how a
failure reads). Services write in one transaction, so nothing half-written is left behind; the
caller reloads what is really stored."""

from collections.abc import Callable
from typing import TypeVar

from textual import getters
from textual.screen import Screen

from qualcode.i18n import _
from qualcode.tui.app_state import QualcodeAppBase
from qualcode.tui.failures import FAILED, NOT_SAVED, Failed, failure_text

T = TypeVar("T")
R = TypeVar("R")


class QualcodeScreen(Screen[R]):
    """A screen of the qualcode app: `self.app` has the project, the coder and their role."""

    app = getters.app(QualcodeAppBase)  # Textual's typed `app` (checks the type when read)

    def attempt(self, work: Callable[[], T], *, title: str = NOT_SAVED) -> T | Failed:
        """Run a service call on the UI thread. On failure show an error toast titled `title`
        (a `N_()` constant, translated here) and return `FAILED`; the screen keeps running."""
        try:
            return work()
        except Exception as exc:  # a crash of the screen would lose the person's place, not data
            self.notify(failure_text(exc), severity="error", title=_(title))
            return FAILED
