"""Open a zip archive from someone else without trusting it.

Nothing is ever extracted to disk: members are read into memory on demand, under limits.
Every member's name and type is vetted before the first member is read, so a hostile
archive is refused as a whole, with a message naming the problem:
- member names that are absolute, carry a drive letter, contain `..` or NUL (zip-slip);
- symbolic links (Unix mode bits in external_attr); duplicate names; too many members.
Sizes are checked for the members actually read (an embedded video that is never read
cannot hurt, and real projects with media exceed any sane limit for text):
- zip bombs: a member whose compression ratio is implausible, or members read adding up
  to more than the total limit; reading counts bytes as they inflate, so a member whose
  header lies about its size is stopped too; encrypted members are refused.
"""

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _

_CHUNK = 1 << 16


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 20_000
    max_total_bytes: int = 1 << 30  # 1 GiB uncompressed in all
    max_entry_bytes: int = (1 << 31) - 1  # the REFI-QDA maximum for one internal file
    max_ratio: float = 200.0  # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = 1 << 20  # small members may compress well without being bombs
    # Said after a refusal for size, e.g. how the person can raise the limit.
    hint: str = ""

    @classmethod
    def for_import(cls, max_mb: float) -> "ZipLimits":
        """Limits for an import: what is inflated and read is bounded by --max-size, like a plain file."""
        size = int(max_mb * 1024 * 1024)
        return cls(max_total_bytes=size, max_entry_bytes=size, hint="raise the limit with --max-size")

    def size_note(self) -> str:
        return f" ({self.hint})" if self.hint else ""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{size / 1024:.1f} KB"


class UnsafeArchiveError(QualcodeError):
    """The archive is malformed or hostile; nothing was imported."""


class DamagedArchiveError(UnsafeArchiveError):
    """The file is not a zip archive, or a member cannot be inflated (truncated, corrupt)."""


def _check_name(archive_name: str, name: str) -> None:
    shown = name.encode("unicode_escape").decode("ascii")
    if "\x00" in name:
        raise UnsafeArchiveError(
            _("{archive_name}: member name {shown!r} contains a NUL byte").format(
                archive_name=archive_name, shown=shown
            )
        )
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise UnsafeArchiveError(
            _("{archive_name}: member {shown!r} has an absolute path").format(
                archive_name=archive_name, shown=shown
            )
        )
    if ".." in PurePosixPath(normal).parts:
        raise UnsafeArchiveError(
            _("{archive_name}: member {shown!r} points outside the archive (..)").format(
                archive_name=archive_name, shown=shown
            )
        )


class SafeZip:
    """A vetted, read-only view of a zip archive. Use as a context manager."""

    def __init__(self, path: str | Path, limits: ZipLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ZipLimits()
        self._total_read = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError as exc:
            raise QualcodeError(_("{path}: no such file").format(path=self.path)) from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise DamagedArchiveError(
                _("{name} is not a zip archive ({exc})").format(name=self.path.name, exc=exc)
            ) from exc
        try:
            self._infos = self._vet()
        except BaseException:
            self._zip.close()
            raise

    def _vet(self) -> dict[str, zipfile.ZipInfo]:
        name, limits = self.path.name, self.limits
        infos = self._zip.infolist()
        if len(infos) > limits.max_entries:
            raise UnsafeArchiveError(
                _("{name}: {count} members, more than the limit of {max_entries}").format(
                    name=name, count=len(infos), max_entries=limits.max_entries
                )
            )
        seen: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            _check_name(name, info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UnsafeArchiveError(
                    _("{name}: member {filename!r} is a symbolic link").format(
                        name=name, filename=info.filename
                    )
                )
            key = info.filename.replace("\\", "/")
            if key in seen:
                raise UnsafeArchiveError(
                    _("{name}: member {filename!r} appears twice").format(name=name, filename=info.filename)
                )
            seen[key] = info
        return seen

    def _check_sizes(self, info: zipfile.ZipInfo) -> None:
        name, limits = self.path.name, self.limits
        if info.flag_bits & 0x1:
            raise UnsafeArchiveError(
                _("{name}: member {filename!r} is encrypted").format(name=name, filename=info.filename)
            )
        if info.file_size > limits.max_entry_bytes:
            raise UnsafeArchiveError(
                _("{name}: member {filename!r} inflates to {mb}, over the limit of {mb2}{size_note}").format(
                    name=name,
                    filename=info.filename,
                    mb=_mb(info.file_size),
                    mb2=_mb(limits.max_entry_bytes),
                    size_note=limits.size_note(),
                )
            )
        if info.file_size > limits.ratio_floor:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise UnsafeArchiveError(
                    _(
                        "{name}: member {filename!r} expands {ratio:.0f}-fold (limit {max_ratio:.0f}); refusing a possible zip bomb"
                    ).format(name=name, filename=info.filename, ratio=ratio, max_ratio=limits.max_ratio)
                )
        if self._total_read + info.file_size > limits.max_total_bytes:
            raise UnsafeArchiveError(
                _(
                    "{name}: its content inflates to more than {mb}{size_note}; refusing a possible zip bomb"
                ).format(name=name, mb=_mb(limits.max_total_bytes), size_note=limits.size_note())
            )

    def names(self) -> list[str]:
        return [n for n, i in self._infos.items() if not i.is_dir()]

    def find(self, name: str) -> str | None:
        """The member name matching `name`, compared case-insensitively (GUID case varies)."""
        wanted = name.replace("\\", "/").lower()
        for key in self._infos:
            if key.lower() == wanted:
                return key
        return None

    def read(self, name: str) -> bytes:
        """A member's bytes, counted against the limits as they are decompressed."""
        info = self._infos[name]
        self._check_sizes(info)
        cap = info.file_size
        parts: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    self._total_read += len(chunk)
                    if size > cap or self._total_read > self.limits.max_total_bytes:
                        raise UnsafeArchiveError(
                            _(
                                "{name}: member {name2!r} inflates beyond its declared size; refusing it"
                            ).format(name=self.path.name, name2=name)
                        )
                    parts.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise DamagedArchiveError(
                _("{name}: member {name2!r} is damaged ({exc})").format(
                    name=self.path.name, name2=name, exc=exc
                )
            ) from exc
        return b"".join(parts)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Parts of an Office (OOXML) file that the readers parse; everything else (pictures, fonts,
# embedded objects) is passed on empty, unread, so that it cannot inflate either.
_OFFICE_PARTS = (".xml", ".rels")


def office_archive(path: str | Path, limits: ZipLimits) -> bytes:
    """A .docx or .xlsx rebuilt in memory from its vetted parts, for python-docx and openpyxl.

    Those libraries inflate whatever an archive says; reading through SafeZip first bounds
    the bytes inflated by `limits` (the import's --max-size) and refuses bombs in one line.
    """
    import io

    buffer = io.BytesIO()
    with SafeZip(path, limits) as archive, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for name in archive.names():
            wanted = name.lower().endswith(_OFFICE_PARTS)
            copy.writestr(name, archive.read(name) if wanted else b"")
    return buffer.getvalue()
