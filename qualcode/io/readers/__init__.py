"""Readers of transcript files: one module per format, all returning `ReadDocument`s."""

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.core.transcript import SpeakerRules, UnitSpec
from qualcode.i18n import _
from qualcode.io.decode import DEFAULT_MAX_MB

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".csv", ".xlsx", ".vtt", ".srt")


@dataclass
class ReadDocument:
    """One document read from a file (a survey table yields one per respondent)."""

    name: str
    text: str
    encoding: str | None
    attributes: dict[str, str] = field(default_factory=dict)
    units: list[UnitSpec] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    encoding: str | None = None
    max_mb: float = DEFAULT_MAX_MB
    rules: SpeakerRules = field(default_factory=SpeakerRules)
    mapping: dict[str, str] = field(default_factory=dict)  # table column -> field


def read_path(path: Path, options: ReadOptions | None = None) -> list[ReadDocument]:
    """Read any supported file; the format is chosen by the file extension."""
    options = options or ReadOptions()
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from qualcode.io.readers.plain import read_plain

        return [read_plain(path, options)]
    if suffix == ".docx":
        from qualcode.io.readers.docx import read_docx

        return [read_docx(path, options)]
    if suffix == ".pdf":
        from qualcode.io.readers.pdf import read_pdf

        return [read_pdf(path, options)]
    if suffix in (".csv", ".xlsx"):
        from qualcode.io.readers.table import read_table

        return read_table(path, options)
    if suffix in (".vtt", ".srt"):
        from qualcode.io.readers.subtitles import read_subtitles

        return [read_subtitles(path, options)]
    raise QualcodeError(
        _("{name}: unsupported format {value}; use one of {SUPPORTED}").format(
            name=path.name, value=suffix or '(no extension)', SUPPORTED=', '.join(SUPPORTED)
        )
    )
