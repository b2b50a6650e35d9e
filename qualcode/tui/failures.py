"""How a failed service call reads in the TUI, on a screen or in a widget.

A `QualcodeError` is a refusal a researcher understands, and an `OSError` names the file and why
it could not be written: both are shown as they are. Anything else is a defect or a broken store:
it is logged with its traceback and the person is told in one line; the screen keeps running.
"""

import logging
from typing import Final

from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _

log = logging.getLogger("qualcode.tui")

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
