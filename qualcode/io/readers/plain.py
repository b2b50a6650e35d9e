"""Plain-text and Markdown transcripts."""

from pathlib import Path

from qualcode.core.transcript import parse_transcript
from qualcode.io.decode import decode_file
from qualcode.io.readers import ReadDocument, ReadOptions


def read_plain(path: Path, options: ReadOptions) -> ReadDocument:
    decoded = decode_file(path, encoding=options.encoding, max_mb=options.max_mb)
    return document_from_text(path.stem, decoded.text, decoded.encoding, options)


def document_from_text(name: str, text: str, encoding: str | None, options: ReadOptions) -> ReadDocument:
    parsed = parse_transcript(text, options.rules)
    return ReadDocument(
        name=name, text=text, encoding=encoding, attributes=parsed.attributes, units=parsed.units
    )
