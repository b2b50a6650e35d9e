"""Reading the demo project's reviewable text sources (project.yaml and codings/*.yaml)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _


@dataclass(frozen=True)
class QuotedSegment:
    """A segment anchored by the exact words it covers, not by offsets (so it stays reviewable)."""

    document: str
    code: str
    quote: str
    occurrence: int = 1
    memo: str | None = None


@dataclass
class CoderSheet:
    coder: str
    role: str
    done: list[str] = field(default_factory=list)
    segments: list[QuotedSegment] = field(default_factory=list)


@dataclass
class DemoSources:
    folder: Path
    name: str
    settings: dict[str, Any]
    codebook: str
    guide: Path | None
    transcripts: Path
    coders: list[CoderSheet]


def _load(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QualcodeError(_("cannot read {path}: {exc}").format(path=path, exc=exc)) from exc


def read_coder_sheet(path: Path) -> CoderSheet:
    data = _load(path) or {}
    segments = [
        QuotedSegment(
            document=str(s["doc"]),
            code=str(s["code"]),
            quote=str(s["quote"]),
            occurrence=int(s.get("occurrence", 1)),
            memo=s.get("memo"),
        )
        for s in data.get("segments", [])
    ]
    return CoderSheet(
        coder=str(data["coder"]),
        role=str(data.get("role", "coder")),
        done=[str(d) for d in data.get("done", [])],
        segments=segments,
    )


def read_demo_sources(folder: Path) -> DemoSources:
    meta = _load(folder / "project.yaml") or {}
    guide = meta.get("guide")
    codings = folder / str(meta.get("codings", "codings"))
    return DemoSources(
        folder=folder,
        name=str(meta.get("name", "qualcode demo")),
        settings=dict(meta.get("settings", {})),
        codebook=str(meta.get("codebook", "industry-education-consortium")),
        guide=folder / guide if guide else None,
        transcripts=folder / str(meta.get("transcripts", "transcripts")),
        coders=[read_coder_sheet(p) for p in sorted(codings.glob("*.yaml"))],
    )


def locate_quote(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets [start, end) of the n-th occurrence of `quote` in `text`."""
    from qualcode.core.quotes import occurrences

    found = occurrences(text, quote)
    if not 1 <= occurrence <= len(found):
        raise QualcodeError(
            _("quote not found (occurrence {occurrence}): {quote!r}").format(
                occurrence=occurrence, quote=quote[:40]
            )
        )
    return found[occurrence - 1]
