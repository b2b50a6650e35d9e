"""Case profiles: how much of each respondent's talk is coded, per dimension and code.

Plain data in, numbers out. The service layer reads the store and hands over
`CodedSpan`s and `DocumentFrame`s; everything here is deterministic.

Coverage counts coded characters of respondent text only, and overlapping spans
within one dimension (or one code) are counted once: the union of intervals.
Frequency counts spans. A case aggregates its documents either pooled, as the
mean of documents, or as the mean of role means, so that one talkative role
cannot dominate the profile.
"""

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _

Interval = tuple[int, int]

AGGREGATIONS = ("mean_of_role_means", "mean_of_documents", "pooled")
MEASURES = ("coverage", "frequency")
COMBINE_MODES = ("union", "majority")


@dataclass(frozen=True)
class CodedSpan:
    """One coded span of one document, from whichever coding source was chosen."""

    document: str
    code: str
    dimension: str  # key of the root of the code's branch (TAL, TEC, ADM, ACT, ...)
    start: int
    end: int
    coder: str = ""
    path: tuple[str, ...] = ()  # the code and all its ancestors; defaults to (dimension, code)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every codebook node this span counts for."""
        return self.path or tuple(dict.fromkeys((self.dimension, self.code)))


@dataclass(frozen=True)
class DocumentFrame:
    """A document as a case sees it: which case, which respondent role, where the respondent speaks."""

    document: str
    case: str
    role: str | None
    respondent: tuple[Interval, ...]  # sorted, disjoint intervals of respondent text


@dataclass
class DocumentMeasures:
    document: str
    case: str
    role: str | None
    respondent_chars: int
    coverage: dict[str, float] = field(default_factory=dict)  # dimension or code key -> share
    frequency: dict[str, float] = field(default_factory=dict)  # dimension or code key -> spans


@dataclass
class CaseMeasures:
    case: str
    documents: list[str]
    roles: list[str]
    respondent_chars: int
    coverage: dict[str, float]
    frequency: dict[str, float]
    codes_present: frozenset[str]
    missing_roles: list[str]


def union_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint union of half-open intervals (touching ones merge)."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def intersect_length(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """Total length of the intersection of two sorted disjoint interval lists."""
    within = IntervalCover(a)
    return sum(within.between(s, e) for s, e in b)


class IntervalCover:
    """How much of any [start, end) sorted disjoint intervals cover (a document's respondent
    text): two bisections per question instead of a walk over every interval, for a document
    whose many codes are each measured against the same respondent turns."""

    def __init__(self, intervals: Sequence[Interval]) -> None:
        self._intervals = intervals
        self._starts = [s for s, _e in intervals]
        self._before = [0]  # covered length before interval i
        for s, e in intervals:
            self._before.append(self._before[-1] + e - s)

    def _upto(self, x: int) -> int:
        i = bisect.bisect_right(self._starts, x) - 1
        if i < 0:
            return 0
        s, e = self._intervals[i]
        return self._before[i] + min(x, e) - s

    def between(self, start: int, end: int) -> int:
        return self._upto(end) - self._upto(start)


def combine_coders(
    spans: Sequence[CodedSpan],
    mode: str,
    coders: Sequence[str],
    coders_of_document: dict[str, Sequence[str]] | None = None,
) -> list[CodedSpan]:
    """One set of spans from several coders: every coded character (union) or those a majority coded.

    Both work per document and code on characters, so identical spans from two coders
    become one span. Majority keeps the characters coded by more than half of the coders
    who worked on that document (`coders_of_document`, default all of `coders`), so a
    document given to two of five coders can still have a majority.
    """
    if mode not in COMBINE_MODES:
        raise QualcodeError(
            _("unknown way to combine coders {mode!r}: use one of {COMBINE_MODES}").format(
                mode=mode, COMBINE_MODES=', '.join(COMBINE_MODES)
            )
        )

    def needed(document: str) -> int:
        if mode != "majority":
            return 1
        who = coders_of_document.get(document, coders) if coders_of_document is not None else coders
        return len(who) // 2 + 1

    grouped: dict[tuple[str, str, str, tuple[str, ...]], list[CodedSpan]] = defaultdict(list)
    for span in spans:
        grouped[(span.document, span.code, span.dimension, span.path)].append(span)
    out: list[CodedSpan] = []
    for (document, code, dimension, path), group in sorted(grouped.items()):
        need = needed(document)
        per_coder: dict[str, list[Interval]] = defaultdict(list)
        for span in group:
            per_coder[span.coder].append((span.start, span.end))
        events: list[tuple[int, int]] = []
        for intervals in per_coder.values():
            for start, end in union_intervals(intervals):
                events.append((start, 1))
                events.append((end, -1))
        events.sort()
        depth, open_at = 0, None
        pieces: list[Interval] = []
        for pos, delta in events:
            before = depth
            depth += delta
            if before < need <= depth:
                open_at = pos
            elif depth < need <= before and open_at is not None:
                if pos > open_at:
                    pieces.append((open_at, pos))
                open_at = None
        for start, end in union_intervals(pieces):
            out.append(CodedSpan(document, code, dimension, start, end, coder=mode, path=path))
    return out


def document_measures(frame: DocumentFrame, spans: Sequence[CodedSpan]) -> DocumentMeasures:
    """Coverage and frequency of every dimension and code in one document.

    A span counts for frequency only if it touches respondent text, so interviewer
    turns coded by mistake do not inflate a profile.
    """
    respondent = union_intervals(frame.respondent)
    chars = sum(e - s for s, e in respondent)
    ends = [e for _unused, e in respondent]
    by_key: dict[str, list[Interval]] = defaultdict(list)
    counts: dict[str, float] = defaultdict(float)
    for span in spans:
        i = bisect.bisect_right(ends, span.start)  # first respondent interval ending after the span starts
        if i == len(respondent) or respondent[i][0] >= span.end:
            continue
        for key in span.keys:
            by_key[key].append((span.start, span.end))
            counts[key] += 1
    within = IntervalCover(respondent)
    coverage = {
        key: (sum(within.between(s, e) for s, e in union_intervals(iv)) / chars if chars else 0.0)
        for key, iv in by_key.items()
    }
    return DocumentMeasures(frame.document, frame.case, frame.role, chars, coverage, dict(counts))


def _mean_maps(maps: Sequence[dict[str, float]]) -> dict[str, float]:
    keys = sorted({k for m in maps for k in m})
    return {k: sum(m.get(k, 0.0) for m in maps) / len(maps) for k in keys} if maps else {}


def aggregate_case(
    case: str,
    docs: Sequence[DocumentMeasures],
    aggregation: str,
    expected_roles: Sequence[str] | None,
    pooled_coverage: dict[str, float] | None = None,
) -> CaseMeasures:
    """Aggregate one case's documents; `pooled_coverage` is needed only for 'pooled'."""
    roles = sorted({d.role for d in docs if d.role is not None})
    if aggregation == "mean_of_role_means":
        by_role: dict[str, list[DocumentMeasures]] = defaultdict(list)
        for d in docs:
            by_role[d.role or ""].append(d)
        role_cov = [_mean_maps([d.coverage for d in group]) for _unused, group in sorted(by_role.items())]
        role_freq = [_mean_maps([d.frequency for d in group]) for _unused, group in sorted(by_role.items())]
        coverage, frequency = _mean_maps(role_cov), _mean_maps(role_freq)
    elif aggregation == "mean_of_documents":
        coverage = _mean_maps([d.coverage for d in docs])
        frequency = _mean_maps([d.frequency for d in docs])
    elif aggregation == "pooled":
        coverage = dict(pooled_coverage or {})
        frequency = {}
        for d in docs:
            for k, v in d.frequency.items():
                frequency[k] = frequency.get(k, 0.0) + v
    else:
        raise QualcodeError(
            _("unknown aggregation {aggregation!r}: use one of {AGGREGATIONS}").format(
                aggregation=aggregation, AGGREGATIONS=', '.join(AGGREGATIONS)
            )
        )
    present = frozenset(k for d in docs for k, v in d.frequency.items() if v > 0)
    missing = [r for r in (expected_roles or []) if r not in roles]
    return CaseMeasures(
        case=case,
        documents=sorted(d.document for d in docs),
        roles=roles,
        respondent_chars=sum(d.respondent_chars for d in docs),
        coverage=coverage,
        frequency=frequency,
        codes_present=present,
        missing_roles=missing,
    )


def case_measures(
    frames: Sequence[DocumentFrame],
    spans: Sequence[CodedSpan],
    aggregation: str = "mean_of_role_means",
    expected_roles: Sequence[str] | None = None,
) -> list[CaseMeasures]:
    """Every case's measures, sorted by case name."""
    if aggregation not in AGGREGATIONS:
        raise QualcodeError(
            _("unknown aggregation {aggregation!r}: use one of {AGGREGATIONS}").format(
                aggregation=aggregation, AGGREGATIONS=', '.join(AGGREGATIONS)
            )
        )
    by_doc: dict[str, list[CodedSpan]] = defaultdict(list)
    for span in spans:
        by_doc[span.document].append(span)
    by_case: dict[str, list[DocumentFrame]] = defaultdict(list)
    for frame in frames:
        by_case[frame.case].append(frame)
    result = []
    for case, case_frames in sorted(by_case.items()):
        docs = [document_measures(f, by_doc.get(f.document, [])) for f in case_frames]
        pooled = None
        if aggregation == "pooled":
            total = sum(d.respondent_chars for d in docs)
            coded: dict[str, float] = defaultdict(float)
            for d in docs:
                for k, share in d.coverage.items():
                    coded[k] += share * d.respondent_chars
            pooled = {k: v / total if total else 0.0 for k, v in coded.items()}
        result.append(aggregate_case(case, docs, aggregation, expected_roles, pooled))
    return result


def shares(values: dict[str, float], keys: Sequence[str]) -> dict[str, float] | None:
    """values[k] / sum over keys, or None when the sum is zero."""
    total = sum(values.get(k, 0.0) for k in keys)
    if total <= 0:
        return None
    return {k: values.get(k, 0.0) / total for k in keys}
