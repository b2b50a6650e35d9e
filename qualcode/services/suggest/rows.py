"""The rows the suggestion services return, shared by the CLI (which prints them as JSON, so the
keys are a stable interface) and the TUI's suggestion review."""

from typing import Any, Required, TypedDict


class SuggestionRow(TypedDict):
    """One machine suggestion with its text, as `suggest list` prints it and the workbench reviews it."""

    id: int
    document: str
    code: str
    start: int
    end: int
    text: str
    probability: float | None
    owner: str  # the pseudo-coder (model:<id> or ai:<source>) whose segment it is
    status: str
    reviewer: str | None
    provenance: dict[str, Any]


class ProposalCounts(TypedDict):
    """What writing a batch of suggestions did."""

    written: int
    replaced: int  # open suggestions of the same owner removed first
    already_reviewed: int  # proposals identical to a suggestion already accepted or rejected


class ModelMeta(TypedDict):
    """How a suggester was trained, stored with it."""

    source: str
    unit: str
    codebook_version: int
    codebook_hash: str
    training_hash: str
    n_units: int
    documents: list[str]
    groups: str
    codes_modelled: dict[str, int]  # code -> positive units
    codes_skipped: dict[str, str]  # code -> why it has no classifier
    libraries: dict[str, str]
    params: dict[str, Any]
    trained_at: str
    fit_seconds: float


class _StoredModel(TypedDict):
    id: int
    coder: str  # its pseudo-coder, model:<id>


class TrainedModel(_StoredModel, ModelMeta):
    """A newly trained suggester (`suggest train`): its id and pseudo-coder, then how it was
    trained (the keys of ModelMeta, in order: a TypedDict's bases come first)."""


class ModelListing(TypedDict):
    """One stored suggester of `suggest models`."""

    id: int
    coder: str
    created_at: str
    source: str
    unit: str
    n_units: int
    codes_modelled: int
    codes_skipped: int


class ModelApplied(TypedDict):
    """Suggestions a stored model wrote (`suggest apply`)."""

    model: int
    coder: str
    documents: int
    units: int
    written: int
    replaced: int
    already_reviewed: int


class AssistantApplied(TypedDict):
    """Suggestions a chat-completions server's answers became (`suggest apply --backend ...`)."""

    coder: str
    documents: int
    prompt_hash: str
    quotes: int
    not_found: int  # quotes not found in the document
    unknown_code: int
    written: int
    replaced: int
    already_reviewed: int


class AssistedSetting(TypedDict):
    """Whether coders see suggestions in blind mode (`suggest assist on/off`)."""

    assisted_coding: bool
    blind: bool


class SuggestionAccepted(TypedDict):
    """A suggestion that became a person's own segment."""

    suggestion: int
    segment: int
    code: str
    document: str


class SuggestionRejected(TypedDict):
    suggestion: int
    status: str


class QuoteCounts(TypedDict):
    """What became of the quotes a server answered with."""

    quotes: int
    not_found: int
    unknown_code: int


class EvaluatedCoefficient(TypedDict, total=False):
    """A coefficient of the suggester's evaluation; `reason` when it is undefined, `n_units` for alpha."""

    value: Required[float | None]
    ci_low: Required[float | None]
    ci_high: Required[float | None]
    reason: str
    n_units: int


class CodeEvaluation(TypedDict, total=False):
    """One code's evaluation. A code with too few positives has only `code`, `positives`,
    `modelled`, `verdict` and `why`; a modelled code has the coefficients, and `verdict` last."""

    code: Required[str]
    positives: Required[int]
    modelled: Required[bool]
    alpha_vs_reference: EvaluatedCoefficient
    alpha_vs_coders: dict[str, EvaluatedCoefficient]
    alpha_coders_ceiling: EvaluatedCoefficient
    precision: EvaluatedCoefficient
    recall: EvaluatedCoefficient
    f1: EvaluatedCoefficient
    n_reference_units: int
    reviews: dict[str, Any]
    verdict: str  # always present: one of core/suggest.VERDICTS
    why: str  # why a code was not modelled


class Evaluation(TypedDict):
    """What `qualcode suggest evaluate` reports (its JSON)."""

    source: str
    unit: str
    reference: str
    folds: int
    grouped_by: str
    n_units: int
    n_groups: int
    threshold: str | float
    bootstrap: int
    seed: int
    verdict_rule: str
    model: str | None
    params: dict[str, Any]
    codes: list[CodeEvaluation]
