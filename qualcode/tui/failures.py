"""How a failed service call reads in the TUI, on a screen or in a widget.

A `QualcodeError` is a refusal a researcher understands, and an `OSError` names the file and why
it could not be written: both are shown as they are. Anything else is a defect or a broken store:
it is logged with its traceback and the person is told in one line; the screen keeps running.
"""

import logging
from pathlib import Path
from typing import Final

from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _

log = logging.getLogger("qualcode.tui")


def log_to_file() -> Path | None:
    """Write the tracebacks of unexpected errors to tui.log in the user's log directory (the app
    owns the terminal, so they cannot go to stderr); returns the file's path, or None when the
    directory cannot be made (the app still runs)."""
    from platformdirs import user_log_path

    path = user_log_path("qualcode", appauthor=False) / "tui.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.propagate = False
    return path


# Toast titles, translated when shown.
NOT_SAVED: Final = N_("Not saved")
CANNOT_LOAD: Final = N_("Could not load")
NOT_EXPORTED: Final = N_("Not exported")


class Failed:
    """What `attempt` returns when the service call failed (it was reported already)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Final = Failed()


def failure_text(exc: BaseException) -> str:
    """The one line shown for a failed service call; logs the traceback of an unexpected one.
    Safe to call from a worker thread (it only logs and formats)."""
    if isinstance(exc, QualcodeError | OSError):
        return str(exc)
    log.error("unexpected error in a service call", exc_info=exc)
    return _("Unexpected error ({kind}): {message}. Nothing was half-written; see the log.").format(
        kind=type(exc).__name__, message=exc
    )
