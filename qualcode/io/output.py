"""Where the tool may write a file, and how: the one rule every output path goes through.

- Never over a file of an open project (its database and the database's -wal, -shm and
  -journal files, its project file, anything in its backups folder). The caller names
  those in `Protected`; paths are compared after resolving symlinks, `..` and relative
  spellings, and an existing target is also compared by device and inode, so a hard link
  to the database is caught too.
- Never over any other existing file unless the person asked for it (`force`, the CLI's
  --force): a typo must not cost a day's export.
- Atomically: the writer writes a temporary file in the target's folder, which is then
  flushed to disk and renamed over the target. A failed write (full disk, crash, bad data)
  leaves the old file or no file, never half a file.
- Every new file gets the mode a normal file gets (0666 minus the umask), whichever
  library wrote it (a temporary file starts at 0600).
"""

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from qualcode.core.errors import DiskFullError, QualcodeError, is_disk_full
from qualcode.i18n import _


class OutputRefusedError(QualcodeError):
    """The output path may not be written; nothing was written."""


class OutputExistsError(OutputRefusedError):
    """The output file exists and replacing it was not asked for."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Protected:
    """Files no output may replace, and folders no output may be written into."""

    files: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()

    def __add__(self, other: "Protected") -> "Protected":
        return Protected(self.files + other.files, self.folders + other.folders)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _folder_files(folder: Path) -> Iterable[Path]:
    try:
        with os.scandir(folder) as entries:
            yield from (Path(e.path) for e in entries if e.is_file())
    except OSError:
        return


def _protected_reason(target: Path, protected: Protected) -> Path | None:
    """The protected file or folder that `target` (already resolved) would write over."""
    for file in protected.files:
        if target == _real(file):
            return file
    for folder in protected.folders:
        if target.is_relative_to(_real(folder)):
            return folder
    identity = _identity(target)
    if identity is not None:
        candidates = [*protected.files, *(f for d in protected.folders for f in _folder_files(d))]
        for file in candidates:
            if _identity(file) == identity:
                return file
    return None


def check_output(path: str | Path, protected: Protected = Protected(), *, force: bool = False) -> Path:
    """The file to write for `path` (symlinks resolved), or a refusal naming why not."""
    given = Path(path).expanduser()
    if str(path).strip() == "":
        raise OutputRefusedError(_("give a file name to write to"))
    target = _real(given)
    if target.is_dir():
        raise OutputRefusedError(_("{given} is a folder; give a file name").format(given=given))
    hit = _protected_reason(target, protected)
    if hit is not None:
        raise OutputRefusedError(
            _(
                "{given} would overwrite the open project's own file {hit}; choose a file outside the project's database, project file and backups"
            ).format(given=given, hit=hit)
        )
    if target.exists():
        if not stat.S_ISREG(os.stat(target).st_mode):
            raise OutputRefusedError(
                _("{given} is not a regular file; choose another file name").format(given=given)
            )
        if not force:
            raise OutputExistsError(given, f"{given} already exists; add --force to replace it")
    return target


def _refusal(given: Path, exc: BaseException) -> QualcodeError:
    if is_disk_full(exc):
        return DiskFullError(f"the disk is full: {given} was not written and no partial file was left")
    reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
    return OutputRefusedError(f"cannot write {given}: {reason}")


def file_mode() -> int:
    """0666 minus the process umask: the mode `open()` gives a new file."""
    try:  # Linux shows the umask without changing it (os.umask would, briefly, for all threads)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(
    path: str | Path, protected: Protected = Protected(), *, force: bool = False
) -> Iterator[Path]:
    """Check `path`, yield a temporary file beside it for the writer, then move it into place.

    If the body raises, the temporary file is removed and the target is untouched; a full
    disk becomes DiskFullError and other OS errors one-line refusals.
    """
    given = Path(path).expanduser()
    target = check_output(path, protected, force=force)
    try:
        # Missing folders are made only when writing: a check that is refused later (another
        # output of the same command) leaves nothing behind.
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise _refusal(given, exc) from exc
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, file_mode())
        handle = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(handle)  # the bytes are on disk before the name points at them
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError) or (is_disk_full(exc) and not isinstance(exc, DiskFullError)):
            raise _refusal(given, exc) from exc
        raise


def write_output(
    path: str | Path, data: bytes, protected: Protected = Protected(), *, force: bool = False
) -> Path:
    """Write `data` to `path` under the rules above; returns the path written."""
    with atomic_output(path, protected, force=force) as temporary:
        temporary.write_bytes(data)
    return Path(path)
