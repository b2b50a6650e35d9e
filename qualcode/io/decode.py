"""Bytes of a text file -> the stored text (NFC, LF) and the encoding it was in.

Order: a byte order mark decides; else strict UTF-8 (a damaged or half-UTF-8 file is refused);
else GB18030 or Big5-HKSCS when they yield common Chinese (GBK and GB2312 read as GB18030, their
superset, so rare characters survive); else Windows-1252 when every non-ASCII character is an
accented letter or a typographic mark. Anything else is refused with a message naming
--encoding: charset-normalizer's guess is shown, never used silently.
"""

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.core.transcript import normalise_text
from qualcode.i18n import _
from qualcode.io.input_files import refuse_special_file

DEFAULT_MAX_MB = 20.0

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "hz": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}
# Frequent characters of written Chinese (simplified and traditional forms). Mojibake from
# decoding with the wrong CJK codec rarely hits them; text in the right codec does often.
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用"
    "道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实业产"
    "企校合作联体教育职院市政府员问题答访谈者受"
    "個們這來為國時會說對過後裡經麼學動現當沒還進樣實從業發產與關問題聯職訪談"
)
_CJK_CODECS = ("gb18030", "big5hkscs")
# Control characters that do not occur in text (tab, newlines, form feed and DOS EOF do).
# Counted on UTF-8 bytes (fast): multi-byte sequences never contain bytes below 0x80.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20)])


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def check_file_size(path: Path, max_mb: float = DEFAULT_MAX_MB) -> None:
    """Refuse a file over `max_mb` megabytes on disk (and pipes and devices, unopened)."""
    refuse_special_file(path)
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        shown = f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{size / 1024:.1f} KB"
        raise QualcodeError(
            _("{name}: {shown} is over the {max_mb:g} MB limit (raise it with --max-size)").format(
                name=path.name, shown=shown, max_mb=max_mb
            )
        )


def read_limited(path: Path, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The file's bytes, refusing files over `max_mb` megabytes (and pipes and devices)."""
    check_file_size(path, max_mb)
    return path.read_bytes()


def _codec_name(encoding: str, label: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise QualcodeError(
            _("{label}: unknown encoding {encoding!r}").format(label=label, encoding=encoding)
        ) from exc


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    encoded = sample.encode("utf-8", "surrogatepass")
    controls = len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > 0.01


def decode_bytes(data: bytes, label: str, encoding: str | None = None) -> DecodedText:
    """Decode and normalise a text file; `label` names the file in error messages."""
    if not data.strip():
        raise QualcodeError(_("{label}: the file is empty").format(label=label))
    if encoding:
        codec = _codec_name(encoding, label)
        try:
            raw = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise QualcodeError(
                _("{label}: not valid {encoding} (byte {start}); check the --encoding value").format(
                    label=label, encoding=encoding, start=exc.start
                )
            ) from exc
        return _finish(raw, codec, label)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                raw = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise QualcodeError(
                    _("{label}: starts with a {codec} byte order mark but is not valid {codec}").format(
                        label=label, codec=codec
                    )
                ) from exc
            return _finish(raw.lstrip("\ufeff"), codec, label)
    if b"\x00" in data:
        raise QualcodeError(
            _("{label}: looks like a binary file, not text (it contains NUL bytes)").format(label=label)
        )
    try:
        return _finish(data.decode("utf-8"), "utf-8", label)
    except UnicodeDecodeError as exc:
        _refuse_damaged_utf8(data, exc.start, label)
    return _finish(*_detect(data, label), label)


def _refuse_damaged_utf8(data: bytes, position: int, label: str) -> None:
    """UTF-8 text with a stray byte or two (a bad copy-paste, a truncated download), or UTF-8
    pasted together with text in another encoding, would otherwise be "detected" as some
    other codec and stored as mojibake."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    line = data.count(b"\n", 0, position) + 1
    if damaged > 3:  # another codec (GB18030 Chinese fails UTF-8 on nearly every character)
        if _holds_utf8_chinese(text):
            raise QualcodeError(
                _(
                    "{label}: part of the file is UTF-8 and part is in another encoding (from byte {position}, line {line}); save the whole file as UTF-8, or pass --encoding to read it all in one encoding"
                ).format(label=label, position=position, line=line)
            )
        return
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - damaged
    if multibyte >= 10:
        raise QualcodeError(
            _(
                "{label}: UTF-8 except byte {position} (line {line}); the file may be damaged: fix that line, or pass --encoding if it is not UTF-8"
            ).format(label=label, position=position, line=line)
        )


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _holds_utf8_chinese(text: str) -> bool:
    """Whether bytes that are valid UTF-8 spell real Chinese. Chinese in another codec makes
    valid UTF-8 only by accident, and then almost never a common character."""
    han = _HAN.findall(text)
    return len(han) >= 20 and sum(map(_COMMON_HANZI.__contains__, han)) >= 0.15 * len(han)


def _detect(data: bytes, label: str) -> tuple[str, str]:
    chinese = _best_chinese(data)
    if chinese is not None:
        return chinese
    western = _western(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise QualcodeError(
            _(
                "{label}: cannot tell the text encoding (not UTF-8); pass --encoding, for example --encoding gb18030"
            ).format(label=label)
        )
    # Transcripts here are Chinese or English (Western European at most). Any other guess on
    # bytes that are neither is far more often mojibake (Cyrillic, box drawing, Korean from a
    # damaged or mixed file) than a real Russian or Japanese transcript: the person decides.
    codec = _codec_name(best.encoding, label)
    codec = _SUPERSETS.get(codec, codec)
    raise QualcodeError(
        _(
            "{label}: cannot tell the text encoding: the bytes are not UTF-8 and do not read as Chinese or Western European text (the best guess, {codec}, is often mojibake); if the file really is {codec}, pass --encoding {codec}, otherwise save it as UTF-8"
        ).format(label=label, codec=codec)
    )


# Characters Windows-1252 text in our transcripts holds beyond ASCII: accented Latin letters
# of Western European languages and typographic punctuation. A stray byte (0xFF, 0x8D, ...)
# decodes to something else, so the guess is not confident and is refused.
_WESTERN = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýœšžßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽ"
    "\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u20ac\u2122"
    "\u00a0£°«»§©®·¡¿"
)


def _western(data: bytes) -> tuple[str, str] | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    wide = _WIDE.findall(text)
    # Accents are a minority even in dense French; a file of mostly high bytes is something else.
    visible = len("".join(text.split()))
    if not wide or len(wide) > 0.35 * visible or not all(map(_WESTERN.__contains__, wide)):
        return None
    return text, "cp1252"


_WIDE = re.compile(r"[^\x00-\x7f]")


def _hanzi_share(text: str) -> float:
    wide = _WIDE.findall(text, 0, 20_000)
    if not wide:
        return 0.0
    return sum(map(_COMMON_HANZI.__contains__, wide)) / len(wide)


def _best_chinese(data: bytes) -> tuple[str, str] | None:
    """Chinese codecs beat charset-normalizer's guess when they yield real Chinese:
    its guesses on short Chinese files are often Korean or Japanese codecs."""
    scored: list[tuple[float, str, str]] = []
    for codec in _CJK_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((_hanzi_share(text), codec, text))
    if not scored:
        return None
    share, codec, text = max(scored, key=lambda item: item[0])
    return (text, codec) if share >= 0.1 else None


def _finish(raw: str, codec: str, label: str) -> DecodedText:
    if _looks_binary(raw):
        raise QualcodeError(_("{label}: looks like a binary file, not text").format(label=label))
    text = normalise_text(raw)
    if not text.strip():
        raise QualcodeError(_("{label}: the file is empty").format(label=label))
    return DecodedText(text, codec)


def decode_file(path: Path, *, encoding: str | None = None, max_mb: float = DEFAULT_MAX_MB) -> DecodedText:
    return decode_bytes(read_limited(path, max_mb), path.name, encoding)
