"""The rows the agreement services return: the agreement report's nested blocks, the gold-standard
comparison and the adjudication log. The CLI prints them as JSON (the keys are a stable
interface), io/agreement_report.py turns them into tables, and the TUI shows them.

A report at answer or sentence level (`AgreementReport`) and one at character or span level
(`SpanAgreementReport`) share their nested blocks; a key a block has only in some reports is
`NotRequired`.
"""

from typing import Any, Literal, NotRequired, Required, TypedDict, final

# One coefficient as the report's JSON: the value, and the reason, standard error, interval,
# bootstrap probabilities and bookkeeping only when they exist. The functional form because two
# keys are not identifiers.
CoefficientRow = TypedDict(
    "CoefficientRow",
    {
        "value": Required[float | None],
        "reason": str | None,
        "se": float,
        "ci_low": float,
        "ci_high": float | None,
        "ci_method": str | None,
        "p_below_0.667": float,
        "p_below_0.800": float,
        "n_boot": Any,
        "n_boot_undefined": Any,
        "ci_withheld": Any,
        "ci_note": Any,
    },
    total=False,
)

PBelowKey = Literal["p_below_0.667", "p_below_0.800"]
BootstrapKey = Literal["n_boot", "n_boot_undefined", "ci_withheld", "ci_note"]


class Coefficients(TypedDict, total=False):
    """The coefficients of one report section: the unit-level family (answer, sentence, char),
    or the unitizing family (span)."""

    krippendorff_alpha: CoefficientRow | None
    percent_agreement: CoefficientRow | None
    fleiss_kappa: CoefficientRow | None
    gwet_ac1: CoefficientRow | None
    brennan_prediger: CoefficientRow | None
    cohen_kappa: dict[str, CoefficientRow | None]  # "coder_a|coder_b" -> kappa
    u_alpha: CoefficientRow | None
    binary_u_alpha: CoefficientRow | None
    cu_alpha: CoefficientRow | None
    segment_match_share: CoefficientRow


class AgreementBlock(TypedDict):
    """The numbers every report section shares."""

    n_units: int
    n_pairable_units: int
    n_pairable_values: int
    n_units_coded: NotRequired[int]  # pairable units in which any coder used the code(s)
    coefficients: Coefficients
    verdict: str
    warnings: list[str]


class Disagreement(TypedDict):
    """One unit where the coders who are not missing gave different values."""

    unit: str
    document: str
    start: int
    end: int
    excerpt: str
    values: dict[str, str | None]  # coder -> value (None: missing)


class CodeAgreement(TypedDict):
    """Agreement on one code."""

    code: str
    name_en: str
    name_zh: str
    dimension: str
    n_units: int
    n_pairable_units: int
    n_pairable_values: int
    n_units_coded: NotRequired[int]
    coefficients: Coefficients
    verdict: str
    warnings: list[str]
    # coder -> counts: present/units (answer, sentence, char) or segments/chars (span)
    distribution: dict[str, dict[str, int]]
    n_disagreements: int
    disagreements: list[Disagreement]


class DimensionAgreement(TypedDict):
    """Agreement on one dimension: which of its codes a coder applied, as one nominal label."""

    dimension: str
    codes: list[str]
    n_units: int
    n_pairable_units: int
    n_pairable_values: int
    n_units_coded: NotRequired[int]
    coefficients: Coefficients
    verdict: str
    warnings: list[str]
    distribution: dict[str, dict[str, int]]  # coder -> label -> units, and "(units)"
    n_disagreements: int
    disagreements: list[Disagreement]


class PooledAgreement(TypedDict):
    """Every (code, unit) pair as one value, or the u-alpha family over all codes (span)."""

    description: str
    n_units: int
    n_pairable_units: NotRequired[int]
    n_pairable_values: NotRequired[int]
    n_units_coded: NotRequired[int]
    coefficients: Coefficients
    verdict: str
    warnings: list[str]


class PairAgreement(TypedDict):
    """One pair of coders over every code."""

    coders: str  # "coder_a|coder_b"
    n_values: int
    percent_agreement: CoefficientRow | None
    cohen_kappa: CoefficientRow | None
    per_code: NotRequired[dict[str, float | None]]  # code -> the pair's kappa (answer, sentence)


class DocumentAgreement(TypedDict):
    """Agreement within one document (no intervals)."""

    document: str
    done_by: NotRequired[list[str]]
    n_answer_units: NotRequired[int]
    n_units: int
    n_pairable_units: int
    n_pairable_values: int
    n_units_coded: NotRequired[int]
    coefficients: Coefficients
    verdict: str
    warnings: list[str]


class IntervalSettings(TypedDict):
    """How alpha's intervals were drawn."""

    n: int
    seed: int
    method: str
    min_units_coded: int


class Thresholds(TypedDict):
    tentative: float
    acceptable: float


@final
class AgreementReport(TypedDict):
    """The agreement report at answer or sentence level (`qualcode agree`)."""

    project: str
    unit_type: str
    missing_rule: str
    participation_rule: str
    all_documents: bool
    coders: list[str]
    excluded_coders: list[str]
    n_units: int
    n_pairable_units: int
    n_documents: int
    bootstrap: IntervalSettings | None
    thresholds: Thresholds
    codes: list[CodeAgreement]
    dimensions: list[DimensionAgreement]
    pooled: PooledAgreement | None
    pairs: list[PairAgreement]
    documents: list[DocumentAgreement]
    notes: list[str]
    assisted_coding: dict[str, list[str]]  # coder -> documents coded with suggestions visible


@final
class SpanAgreementReport(TypedDict):
    """The agreement report at character or span level (`qualcode agree --unit char/span`): no
    dimensions, no intervals; `n_units` (characters) is absent when no document is common."""

    project: str
    unit_type: str
    missing_rule: str
    participation_rule: str
    all_documents: bool
    coders: list[str]
    excluded_coders: list[str]
    bootstrap: None
    thresholds: Thresholds
    codes: list[CodeAgreement]
    dimensions: list[DimensionAgreement]
    pooled: PooledAgreement | None
    pairs: list[PairAgreement]
    documents: list[DocumentAgreement]
    notes: list[str]
    n_documents: int
    n_units: NotRequired[int]


class GoldRow(TypedDict):
    """One coder's precision, recall and F1 on one code (or "(all codes)") against the gold coder."""

    code: str
    coder: str
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None


class GoldComparison(TypedDict):
    """Every coder against a gold-standard coder (`qualcode agree --gold`)."""

    gold: str
    unit_type: str
    coders: list[str]
    n_units: int
    n_compared_units: dict[str, int]
    rows: list[GoldRow]


class RejectedPlace(TypedDict):
    """A lead's decision that a code does not apply at a place (`adjudicate reject`)."""

    document: str
    code: str
    start: int
    end: int
    reason: str | None
    decided_by: str
    event_id: int | None


class NotCompared(TypedDict):
    """A coder left out of a document's comparison, and why."""

    coder: str
    reason: str


class PlaceSegment(TypedDict):
    """A compared coder's segment at a place of disagreement."""

    id: int
    coder: str
    start: int
    end: int
    text: str


class ConsensusSpan(TypedDict):
    """A consensus segment already overlapping a place."""

    id: int
    start: int
    end: int


class DisagreementPlace(TypedDict):
    """Overlapping segments of one code where the compared coders differ."""

    document: str
    code: str
    start: int
    end: int
    segments: list[PlaceSegment]
    coders_without: list[str]
    consensus: list[ConsensusSpan]
    rejected: bool


class DisagreementListing(TypedDict):
    """A document's places of disagreement and who was compared (`adjudicate list`)."""

    document: str
    participation_rule: str
    coders: list[str]
    not_compared: list[NotCompared]
    notes: list[str]
    places: list[DisagreementPlace]


class Decision(TypedDict):
    """One adjudication decision of the log (`adjudicate log`): when, who, what and where, then
    what its event stored, in the stored (alphabetical) order."""

    at: str
    decided_by: str | None
    decision: str  # accept | reject
    consensus_segment: int | None
    code: str
    document: str
    end: int
    reason: NotRequired[str | None]  # a rejection's
    source_segments: NotRequired[list[int]]  # an acceptance's
    start: int


# `stats table`: Krippendorff's alpha's bootstrap (keys with dots, hence the functional form).
TableBootstrap = TypedDict(
    "TableBootstrap",
    {
        "ci_low": float | None,
        "ci_high": float | None,
        "method": str | None,
        "p_below_0.667": float | None,
        "p_below_0.800": float | None,
        "n_boot": int,
        "n_boot_undefined": int | None,
        "seed": int | None,
    },
)


class KappaInterval(TypedDict):
    se: float | None
    ci_low: float | None
    ci_high: float | None


class StandardError(TypedDict):
    se: float | None
    ci_low: float | None
    ci_high: float | None
    method: str | None


class TableAgreement(TypedDict, total=False):
    """`qualcode stats table`: agreement of a coders-in-columns table. Besides the Required keys,
    `cohen_kappa`, `cohen_kappa_ci`, `standard_errors`, `pair_percent_agreement` and `notes` are
    always there; the bootstrap only with resamples, the weighted kappas only for ordered levels,
    Scott's pi only for two coders. Keys keep this order in JSON."""

    level: Required[str]
    n_units: Required[int]
    n_coders: Required[int]
    n_pairable_units: Required[int]
    n_pairable_values: Required[int]
    n_categories: Required[int]
    percent_agreement: Required[float | None]
    krippendorff_alpha: Required[float | None]
    fleiss_kappa: Required[float | None]
    gwet_ac1: Required[float | None]
    brennan_prediger: Required[float | None]
    krippendorff_alpha_bootstrap: TableBootstrap
    cohen_kappa: dict[str, float | None]  # coder pair "a|b" -> kappa
    cohen_kappa_linear: dict[str, float | None]
    cohen_kappa_quadratic: dict[str, float | None]
    cohen_kappa_ci: dict[str, KappaInterval | None]
    standard_errors: dict[str, StandardError]
    pair_percent_agreement: dict[str, float | None]
    scott_pi: float | None
    notes: list[str]


class CategorySpanAgreement(TypedDict):
    u_alpha: float | None
    binary_u_alpha: float | None
    char_percent_agreement: float | None
    char_cohen_kappa: float | None
    char_krippendorff_alpha: float | None
    char_fleiss_kappa: float | None
    coded_chars: dict[str, int]  # coder -> coded characters


class SegmentMatch(TypedDict):
    threshold: float
    share_matched: float | None
    matched: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]


class SpansFileAgreement(TypedDict, total=False):
    """`qualcode stats spans`: unitizing agreement of a span table. `notes` is always there;
    `segment_match` only with --match-threshold."""

    n_coders: Required[int]
    length: Required[int]
    u_alpha: Required[float | None]
    binary_u_alpha: Required[float | None]
    cu_alpha: Required[float | None]
    per_category: Required[dict[str, CategorySpanAgreement]]
    segment_match: SegmentMatch
    notes: list[str]
