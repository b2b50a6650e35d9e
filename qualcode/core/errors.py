"""Errors a person can act on. The CLI prints their message on one line and exits 2."""

import errno


class QualcodeError(Exception):
    """Bad input or a refused operation; the message is shown to the user as is.

    `details` are extra lines a person may need to act (e.g. the candidates for an ambiguous
    quote); the CLI prints each below the one `error:` line, escaped like the message."""

    def __init__(self, *args: object, details: list[str] | None = None) -> None:
        super().__init__(*args)
        self.details: list[str] = list(details or [])


class NotFoundError(QualcodeError):
    """A named coder, code, document or project does not exist."""


class ValidationError(QualcodeError):
    """Input that breaks a rule of the data model (offsets, keys, formats)."""


class DiskFullError(QualcodeError):
    """The disk (or quota) ran out while writing; the write was undone."""


# SQLite reports SQLITE_FULL with this text; the OS reports ENOSPC or EDQUOT.
_FULL_TEXT = ("database or disk is full", "no space left on device", "disk quota exceeded")
_FULL_ERRNOS = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from or during, is a full disk."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFullError):
            return True
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        text = str(exc).lower()
        if any(marker in text for marker in _FULL_TEXT):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
