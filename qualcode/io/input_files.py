"""What an input path is, before anything opens it.

Opening a named pipe waits for a writer (the command hangs) and a device such as /dev/zero
never ends; "no such file" would be the wrong explanation for either. Every reader of a file
a person names asks here first.
"""

import stat
from pathlib import Path

from qualcode.core.errors import QualcodeError

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_file_kind(path: Path) -> str | None:
    """What `path` is when it exists but is neither a regular file nor a folder; else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return next((kind for test, kind in _SPECIAL_KINDS if test(mode)), None)


def special_file_message(path: Path, kind: str) -> str:
    return f"{path} is {kind}, not a file; only regular files are read"


def refuse_special_file(path: Path) -> None:
    """Raise when `path` is a pipe, device or socket (never opening it)."""
    kind = special_file_kind(path)
    if kind is not None:
        raise QualcodeError(special_file_message(path, kind))
