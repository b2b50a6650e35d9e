"""Transcription-service output (.vtt, .srt): speaker names kept, timestamps on units.

Consecutive cues of the same speaker form one turn spanning their times.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.core.transcript import UnitSpec, kind_for
from qualcode.i18n import _
from qualcode.io.decode import decode_file
from qualcode.io.readers import ReadDocument, ReadOptions

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]*>")
_PREFIX = re.compile(r"^\s*([^:：\n]{1,40}?)\s*[:：]\s*(.*)$", re.DOTALL)


@dataclass
class Cue:
    start: float
    end: float
    speaker: str | None
    text: str


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000


def parse_cues(text: str) -> list[Cue]:
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip("\n").split("\n")
        timing_at = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing_at is None:
            continue
        match = _TIMING.match(lines[timing_at])
        assert match is not None
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        body = "\n".join(lines[timing_at + 1 :]).strip()
        speaker = None
        voice = _VOICE.search(body)
        if voice:
            speaker = voice.group(1).strip()
        body = _TAG.sub("", body).strip()
        if speaker is None:
            prefixed = _PREFIX.match(body)
            if prefixed and not prefixed.group(1).strip().isdigit():
                speaker, body = prefixed.group(1).strip(), prefixed.group(2).strip()
        if body:
            cues.append(Cue(start, end, speaker, body))
    return cues


def read_subtitles(path: Path, options: ReadOptions) -> ReadDocument:
    decoded = decode_file(path, encoding=options.encoding, max_mb=options.max_mb)
    cues = parse_cues(decoded.text)
    if not cues:
        raise QualcodeError(
            _("{name}: no timed cues found (expected lines like 00:00:01.000 --> 00:00:04.000)").format(
                name=path.name
            )
        )
    turns: list[list[Cue]] = []
    for cue in cues:
        if turns and turns[-1][0].speaker == cue.speaker and cue.speaker is not None:
            turns[-1].append(cue)
        else:
            turns.append([cue])
    parts: list[str] = []
    units: list[UnitSpec] = []
    position = 0
    for turn in turns:
        speaker = turn[0].speaker
        prefix = f"{speaker}: " if speaker else ""
        body = "\n".join(cue.text for cue in turn)
        start = position + len(prefix)
        role = options.rules.role_of(speaker) if speaker else None
        kind = kind_for(role) if speaker else "paragraph"
        units.append(
            UnitSpec(start, start + len(body), kind, speaker, role, t_start=turn[0].start, t_end=turn[-1].end)
        )
        parts.append(prefix + body + "\n\n")
        position += len(prefix) + len(body) + 2
    text = "".join(parts).rstrip("\n") + "\n"
    return ReadDocument(name=path.stem, text=text, encoding=decoded.encoding, units=units)
