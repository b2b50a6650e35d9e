"""PDF documents with a text layer: policy documents, published interview records.

The text of each page is extracted with pypdf, normalised as every stored text is (NFC, LF line
endings, no form feeds) and the pages are joined by a blank line, so page N covers exactly
`text[start:end]` of the stored text. A record of an interview (speaker labels found, as in a
transcript) keeps its speaker turns as units; any other PDF gets one unit per page. Either way
the page boundaries are kept as the `pages` and `page_starts` attributes, so a quote can always
be cited with its page.

Refused with one line, nothing stored: a PDF without a text layer (a scan: OCR it first), an
encrypted one that opens only with a password, a damaged one, and one whose text would exceed
the size limit (`--max-size`, which bounds the extracted text, not the file on disk).
"""

import unicodedata
from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.core.transcript import UnitSpec, parse_transcript
from qualcode.i18n import _
from qualcode.io.readers import ReadDocument, ReadOptions

PAGE_JOINER = "\n\n"


def _clean(page_text: str) -> str:
    text = unicodedata.normalize("NFC", page_text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\f", "\n").strip("\n")


def extract_pages(path: Path, max_mb: float) -> list[str]:
    """The cleaned text of every page; refuses what cannot be read as a text PDF."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

    limit = int(max_mb * 1024 * 1024)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise QualcodeError(
                _("{name}: the PDF is encrypted; save an unprotected copy and import that").format(
                    name=path.name
                )
            )
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            text = _clean(page.extract_text() or "")
            size += len(text.encode("utf-8"))
            if size > limit:
                raise QualcodeError(
                    _(
                        "{name}: the PDF's text is larger than the limit of {max_mb:g} MB (raise it with --max-size)"
                    ).format(name=path.name, max_mb=max_mb)
                )
            pages.append(text)
    except QualcodeError:
        raise
    except FileNotDecryptedError as exc:
        raise QualcodeError(
            _("{name}: the PDF is encrypted; save an unprotected copy and import that").format(name=path.name)
        ) from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, IndexError, OSError) as exc:
        raise QualcodeError(
            _("{name}: not a readable PDF ({name__}: {exc})").format(
                name=path.name, name__=type(exc).__name__, exc=exc
            )
        ) from exc
    except RecursionError as exc:
        raise QualcodeError(
            _("{name}: not a readable PDF (its structure nests too deeply)").format(name=path.name)
        ) from exc
    if not pages:
        raise QualcodeError(_("{name}: the PDF has no pages").format(name=path.name))
    if not any(text.strip() for text in pages):
        raise QualcodeError(
            _(
                "{name}: the PDF has no text layer (a scanned document?); run OCR on it first (for example with ocrmypdf) and import the result"
            ).format(name=path.name)
        )
    return pages


def read_pdf(path: Path, options: ReadOptions) -> ReadDocument:
    pages = extract_pages(path, options.max_mb)
    starts: list[int] = []
    position = 0
    for text in pages:
        starts.append(position)
        position += len(text) + len(PAGE_JOINER)
    text = PAGE_JOINER.join(pages)
    parsed = parse_transcript(text, options.rules)
    units = parsed.units
    if not any(unit.speaker_role for unit in units):  # not an interview record: a unit per page
        units = [
            UnitSpec(start, start + len(page), kind="page")
            for start, page in zip(starts, pages, strict=True)
            if page
        ]
    attributes = dict(parsed.attributes)
    attributes["pages"] = str(len(pages))
    attributes["page_starts"] = ",".join(str(s) for s in starts)
    return ReadDocument(name=path.stem, text=text, encoding=None, attributes=attributes, units=units)
