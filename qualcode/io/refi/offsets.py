"""Per-vendor position conventions for REFI-QDA text selections, and the mapping to ours.

The standard counts Unicode code points from 0 but leaves three things open, and tools
differ (see research notes, anchors-qda.md section 3):
- a CR LF line break counts as 2 positions (NVivo, MAXQDA) or 1 (ATLAS.ti, QualCoder);
- a byte order mark at the start of the file is counted or not (QualCoder writes one and
  does not count it; we have seen no tool that counts it, but the option is kept);
- endPosition is exclusive (what every tool writes in practice) or inclusive (how the
  specification's "first and the last character" reads).
A `SourceText` maps positions in the exporter's view of the file to offsets into the
normalised text qualcode stores (LF only, NFC, no BOM), so the selected text survives.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    name: str
    crlf_width: int | None  # 1 or 2; None = sniff from the positions
    bom_counted: bool
    end_inclusive: bool


# How a selection's endPosition is read: `auto` trusts the exporting tool's convention,
# `inclusive` takes it as the last character (the REFI-QDA text read literally), `exclusive`
# as the position after it.
POSITIONS = ("auto", "exclusive", "inclusive")

CONVENTIONS: dict[str, Convention] = {
    "qualcode": Convention("qualcode", 1, False, False),
    "qualcoder": Convention("qualcoder", 1, False, False),
    "atlas.ti": Convention("atlas.ti", 1, False, False),
    "nvivo": Convention("nvivo", 2, False, False),
    "maxqda": Convention("maxqda", 2, False, False),
    # The specification read literally: last character included.
    "refi-inclusive": Convention("refi-inclusive", None, False, True),
    "unknown": Convention("unknown", None, False, False),
}

# Order matters: "qualcoder" must be tested before "qualcode".
_ORIGINS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"qualcoder", re.I), "qualcoder"),
    (re.compile(r"qualcode", re.I), "qualcode"),
    (re.compile(r"atlas", re.I), "atlas.ti"),
    (re.compile(r"nvivo", re.I), "nvivo"),
    (re.compile(r"maxqda", re.I), "maxqda"),
]


def convention_for_origin(origin: str | None) -> Convention:
    for pattern, name in _ORIGINS:
        if origin and pattern.search(origin):
            return CONVENTIONS[name]
    return CONVENTIONS["unknown"]


def normalise_text(text: str) -> str:
    """qualcode's stored form: no BOM, LF line ends, NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


class SourceText:
    """A source file's raw text and the maps from vendor positions to stored offsets."""

    def __init__(self, raw: str) -> None:
        self.has_bom = raw.startswith("\ufeff")
        body = raw[1:] if self.has_bom else raw
        # LF-text index of the k-th CR LF pair: its raw index minus the k CRs removed before it.
        self._crlf_at = [m.start() - k for k, m in enumerate(re.finditer("\r\n", body))]
        self.lf_text = body.replace("\r\n", "\n").replace("\r", "\n")
        self.has_crlf = bool(self._crlf_at)
        # Vendor position of the LF half of the k-th pair, when CR LF counts as 2.
        self._lf_half = [idx + k + 1 for k, idx in enumerate(self._crlf_at)]
        self.text, self._in_starts, self._out_starts = _nfc_with_map(self.lf_text)

    def vendor_length(self, crlf_width: int) -> int:
        return len(self.lf_text) + (crlf_width - 1) * len(self._crlf_at)

    def _to_lf(self, pos: int, crlf_width: int, *, is_end: bool) -> int:
        if crlf_width == 1 or not self._crlf_at:
            return pos
        k = bisect_left(self._lf_half, pos)  # pairs lying wholly before pos
        if k < len(self._lf_half) and self._lf_half[k] == pos:
            # Between CR and LF: a start takes the whole break, an end keeps the CR it includes.
            return self._crlf_at[k] + (1 if is_end else 0)
        return pos - k

    def _to_nfc(self, lf_pos: int, *, is_end: bool) -> int:
        if self._in_starts is None or self._out_starts is None:
            return lf_pos
        if is_end:  # an end inside a composed chunk takes the whole chunk
            return self._out_starts[bisect_left(self._in_starts, lf_pos)]
        return self._out_starts[bisect_right(self._in_starts, lf_pos) - 1]

    def convert(
        self, start: int, end: int, convention: Convention, crlf_width: int
    ) -> tuple[int, int] | None:
        """Vendor (startPosition, endPosition) to a half-open span of `self.text`; None if out of range."""
        if convention.bom_counted and self.has_bom:
            start, end = max(start - 1, 0), end - 1
        if convention.end_inclusive:
            end += 1
        if start < 0 or end > self.vendor_length(crlf_width) or start >= end:
            return None
        s = self._to_nfc(self._to_lf(start, crlf_width, is_end=False), is_end=False)
        e = self._to_nfc(self._to_lf(end, crlf_width, is_end=True), is_end=True)
        return (s, e) if s < e else None

    def sniff_crlf_width(self, max_end: int) -> tuple[int, str]:
        """For an unknown exporter: 2 if CR LF breaks exist and positions reach past the LF length."""
        if not self._crlf_at:
            return 1, "no CR LF line breaks"
        if max_end > len(self.lf_text):
            return 2, "CR LF file with positions beyond its LF length: CR LF counted as 2"
        return 1, "CR LF file with positions within its LF length: CR LF counted as 1"


def _nfc_with_map(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFC form of `text` and, if it differs, where NFC-stable chunks start in input and output.

    Chunk k of the input normalises on its own to chunk k of the output, so chunk starts
    correspond; a position inside a chunk that composition shortened snaps to its edges.
    Both lists end with the total length.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None, None
    nfc = unicodedata.normalize
    in_starts: list[int] = []
    out_starts: list[int] = []
    pieces: list[str] = []
    offset = 0
    chunk_start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and (
            unicodedata.combining(text[i]) != 0
            or nfc("NFC", text[chunk_start : i + 1]) != nfc("NFC", text[chunk_start:i]) + nfc("NFC", text[i])
        ):
            continue
        piece = nfc("NFC", text[chunk_start:i])
        in_starts.append(chunk_start)
        out_starts.append(offset)
        pieces.append(piece)
        offset += len(piece)
        chunk_start = i
    in_starts.append(len(text))
    out_starts.append(offset)
    return "".join(pieces), in_starts, out_starts
