"""The rows the analysis services return: retrieval and text search (shared by the TUI's search,
retrieval and export screens and by `export_retrieved`, whose columns are RETRIEVED_COLUMNS), the
saturation report and the typology. The CLI prints them as JSON, so the keys are a stable
interface."""

from typing import Any, TypedDict


class RetrievedSegment(TypedDict):
    """One segment found by code retrieval, with its text, context and the document's role and city."""

    id: int
    document: str
    coder: str
    code: str
    start: int
    end: int
    question: str
    role: str | None
    city: str | None
    text: str
    memo: str | None
    before: str
    after: str


class TextMatch(TypedDict):
    """One match of a text search, with the text just before and after it."""

    document: str
    start: int
    end: int
    match: str
    before: str
    after: str


class SaturationStep(TypedDict):
    """One interview of a discovery curve, in the order interviews were conducted."""

    position: int  # 1-based
    document: str
    new: list[str]  # items seen for the first time here
    cumulative: int


class DiscoveryCurve(TypedDict):
    """New items per interview for one coding source at one level."""

    interviews: int
    total: int
    last_new_at: int  # position of the last interview that brought something new (0: none)
    last_new_document: str | None
    quiet_tail: int  # interviews after it
    steps: list[SaturationStep]


class ReserveCheckRow(TypedDict):
    """Whether the reserve interviews brought anything new."""

    status: str  # no_reserves | pending | saturated | not_saturated
    reserves: list[str]
    uncoded_reserves: list[str]
    only_in_reserves: list[str]
    sentence: dict[str, str]  # language -> the finding as a sentence


class SaturationLevel(TypedDict):
    """One source's curve and reserve check at one level (code, category, dimension)."""

    curve: DiscoveryCurve
    reserve_check: ReserveCheckRow


class SaturationSource(TypedDict):
    """One coding source: a coder, the union of the coders, or the consensus."""

    source: str  # coder | union | consensus
    coder: str | None
    coders: list[str]
    not_coded: list[str]
    levels: dict[str, SaturationLevel]


class SaturationReport(TypedDict):
    """The saturation report (`qualcode saturation`): keys never translated, sentences in both
    languages."""

    interviews: list[str]
    order: str  # how the interviews are ordered: by date or by import
    undated: list[str]
    reserves: list[str]
    levels: list[str]
    sources: list[SaturationSource]


class TypologyType(TypedDict):
    """A type of the typology with its rule, score and fallback as written."""

    id: str
    name_en: str
    name_zh: str
    rule: str
    score: str
    fallback: str


class TypologyCase(TypedDict):
    """One case: the coding it was built from, its type and why, its profile and cluster."""

    case: str
    source: str  # the coding source of this case
    type: str
    basis: str  # rule | score | score_tie | fallback | none | insufficient_data | no_coding
    scores: dict[str, float | None]
    margin: float | None
    rule_results: dict[str, bool | None]
    fallback_results: dict[str, bool | None]
    flags: list[str]
    reason: str | None  # why the case has no type
    profile: dict[str, Any]  # documents, roles, then one value per typology variable
    cluster: int | None


class TypologyAnchor(TypedDict):
    """A statement that anchors a type: the passage that shows its defining code best."""

    type: str
    defining_code: str
    rank: int
    case: str
    document: str
    code: str
    start: int
    end: int
    line: int | None
    coverage: float
    text: str


class TypologyReport(TypedDict):
    """The typology (`qualcode typology --format json`)."""

    parameters: dict[str, Any]  # the typology's settings and how the cases were built
    types: list[TypologyType]
    cases: list[TypologyCase]
    clusters: dict[str, object]  # the clustering check (core/clusters.py)
    anchors: list[TypologyAnchor]
