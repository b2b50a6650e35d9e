"""The sentence of every structured message (`messages.Message`), by kind: one home each.

Each sentence is a whole catalogue entry with named placeholders; `formats` says how a number is
written in it (the same in every language: `.0%` gives 92%, `.3f` gives 0.412). The English text
is the catalogue key and also the text the JSON reports carry, so changing a sentence here
changes the machine-readable output: keep them as they are unless that is the point.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from qualcode.i18n import N_

JOINED = "joined"  # clauses about one thing, joined by the language's clause separator


@dataclass(frozen=True)
class Sentence:
    text: str
    formats: Mapping[str, str] = field(default_factory=dict)


PERCENT = ".0%"
DECIMAL = ".3f"

SENTENCES: Mapping[str, Sentence] = {
    # Cautions next to a unit-level agreement table (core/agreement/unit_report.py: warnings_for).
    "small_sample": Sentence(N_("small sample: only {n} pairable values, so intervals are wide")),
    "prevalence_paradox": Sentence(
        N_(
            "prevalence paradox: {agreement} raw agreement but alpha {alpha} below .667 because one value "
            "dominates (AC1 = {ac1})"
        ),
        {"agreement": PERCENT, "alpha": DECIMAL, "ac1": DECIMAL},
    ),
    "prevalence_paradox_no_ac1": Sentence(
        N_(
            "prevalence paradox: {agreement} raw agreement but alpha {alpha} below .667 because one value dominates"
        ),
        {"agreement": PERCENT, "alpha": DECIMAL},
    ),
    "prevalence_paradox_pair": Sentence(
        N_(
            "prevalence paradox between {coder_a} and {coder_b}: {agreement} raw agreement but Cohen's kappa "
            "{kappa} below .667 because one value dominates"
        ),
        {"agreement": PERCENT, "kappa": DECIMAL},
    ),
    "alpha_undefined": Sentence(N_("alpha undefined: {reason}")),
    # Why a coefficient has no value (core/agreement: alpha, categorical, cohen, batched).
    "no_pairable_values": Sentence(N_("no unit has values from two or more coders (nothing is pairable)")),
    "one_value": Sentence(
        N_("only one value occurs among the pairable values, so there is no variation to agree on")
    ),
    "no_rated_pairs": Sentence(N_("no unit was rated by two or more coders")),
    "no_joint_units": Sentence(N_("no unit was coded by both coders")),
    "both_one_value": Sentence(
        N_("both coders used a single, identical value throughout, so chance agreement is 1")
    ),
    "one_value_chance": Sentence(N_("only one value occurs, so chance agreement is 1")),
    "chance_agreement_one": Sentence(N_("chance agreement is 1")),
    "too_few_categories": Sentence(N_("needs at least two possible categories")),
    # Unitizing alpha (core/agreement/unitizing.py, spans.py).
    "continuum_one_value": Sentence(N_("no variation: every coder's continuum is one value")),
    "nothing_marked": Sentence(N_("no coder marked anything")),
    "no_gaps_or_marks": Sentence(N_("the continuum has no gaps or no marked stretches")),
    "no_valued_overlap": Sentence(N_("no valued segments of different coders overlap")),
    "category_never_meets": Sentence(N_("this category never meets another coder's valued span")),
    "category_no_expected": Sentence(N_("no expected disagreement for this category")),
    "spans_overlap_see_notes": Sentence(N_("coders' spans overlap across categories; see notes")),
    "spans_not_partitioned": Sentence(
        N_(
            "some coder's spans of different categories overlap, so u_alpha, binary_u_alpha and cu_alpha "
            "(which need each coder's spans to partition the text) are not computed; each category is "
            "analysed as its own binary continuum instead (per_category binary_u_alpha)"
        )
    ),
    # Bootstrap intervals (core/agreement/intervals.py).
    "ci_method": Sentence(
        N_("percentile bootstrap over units (whole units resampled with replacement), {level}"),
        {"level": PERCENT},
    ),
    "ci_all_resamples_undefined": Sentence(
        N_("no interval: alpha was undefined in every bootstrap resample")
    ),
    "ci_too_few_units": Sentence(
        N_(
            "no interval: only {n} pairable units were coded with it by any coder "
            "(an interval needs at least {minimum})"
        )
    ),
    "ci_resamples_undefined": Sentence(
        N_(
            "{undefined} of {n_boot} resamples left alpha undefined (only one value in them); "
            "the interval is over the other resamples"
        )
    ),
    "ci_excludes_estimate": Sentence(
        N_(
            "the estimate {estimate} lies outside its percentile interval because the resampled alphas are "
            "skewed to one side of it (few units carry the disagreements); read the interval with caution"
        ),
        {"estimate": DECIMAL},
    ),
    # Notes of a project's agreement report (services/agreement).
    "lead_not_compared": Sentence(
        N_("lead {coder} coded in no document they marked done, so is not compared")
    ),
    "coder_missing_throughout": Sentence(N_("{coder} has marked no document done, so is missing throughout")),
    "assisted_coding": Sentence(
        N_("{coder} coded with suggestions visible in {count} documents: {documents}")
    ),
    "documents_without_intervals": Sentence(N_("documents are reported without bootstrap intervals")),
    "dimension_labels_units": Sentence(N_("per-dimension labels are reported for answer and sentence units")),
    "no_common_text": Sentence(
        N_("no document is marked done by every selected coder; span agreement needs a common text")
    ),
    "codes_overlap_binary_only": Sentence(
        N_(
            "coders' spans of different codes overlap, so the u-alpha family over all codes is not "
            "computed; each code is its own binary continuum (binary_u_alpha per code)"
        )
    ),
    "no_segments": Sentence(N_("no segments")),
    "coefficient_undefined": Sentence(N_("{coefficient}: undefined, {reason}")),
    # Notes of the project workbook's README sheet (services/exchange/workbook.py).
    "blind_mode_own_coding": Sentence(
        N_(
            "only {coders}'s own coding: other coders' work is hidden until a lead runs "
            "`qualcode blind reveal`"
        )
    ),
    "not_computed": Sentence(N_("not computed: {reason}")),
    # Why a case has no type, why the cluster check was skipped (services/analysis/typology.py,
    # core/clusters.py).
    "case_without_coding": Sentence(N_("none of the case's documents has coding from the source ({source})")),
    "too_little_coding": Sentence(N_("too little coding: {groups} below its minimum total")),
    "too_little_coding_unnamed": Sentence(N_("too little coding: a variable group below its minimum total")),
    "nothing_decided": Sentence(N_("no rule, score or fallback decided")),
    "too_few_cases_to_cluster": Sentence(
        N_("only {n} cases with a profile; the cluster check needs at least {minimum}")
    ),
    "too_few_distinct_profiles": Sentence(
        N_("only {distinct} distinct profiles among {n} cases; nothing to cluster")
    ),
    # Evaluating the suggester (core/suggest.py, services/suggest/evaluation.py).
    "model_applied_nowhere": Sentence(N_("the model applied the code nowhere")),
    "reference_applied_nowhere": Sentence(N_("the reference applied the code nowhere")),
    "no_positives": Sentence(N_("no positives")),
    "no_two_coder_units": Sentence(N_("no unit has values from two coders")),
    "too_few_positives": Sentence(N_("fewer than {minimum} positive units to learn from")),
    "suggest_verdict_rule": Sentence(
        N_(
            "suggest: alpha against the reference >= {good} and its {level} interval's lower end >= {caution}; "
            "suggest with caution: alpha >= {caution}; otherwise, or when alpha is undefined: do not suggest"
        ),
        {"good": DECIMAL, "caution": DECIMAL, "level": PERCENT},
    ),
    # Who is compared in a document, and why not (core/participation.py, services/agreement/consensus.py).
    "pseudo_coder_not_named": Sentence(N_("pseudo-coder not named")),
    "no_segments_in_document": Sentence(N_("no segments in this document")),
    "document_not_done": Sentence(N_("has not marked the document done")),
    "lead_did_not_code": Sentence(N_("lead who did not code in this document")),
    "fewer_than_two_take_part": Sentence(
        N_("fewer than two coders take part in {document}, so there is nothing to compare")
    ),
    # The coding a table counts, and the rule of the coding evidence table (services/analysis/evidence.py).
    "source_one_coder": Sentence(N_("one coder's coding")),
    "source_consensus": Sentence(N_("the consensus coding")),
    "source_union": Sentence(N_("the union of the coders' coding")),
    "source_majority": Sentence(N_("what a majority of the coders coded")),
    "source_consensus_else_union": Sentence(
        N_("per case the consensus coding where there is any, else the union of the coders' coding")
    ),
    "source_none": Sentence(N_("no coding")),
    "evidence_rule": Sentence(
        N_(
            "Quotes: pinned by the lead, else the shortest complete sentences (at least {min_chars} characters) "
            "from the consensus coding of the code, else from the coder whose coding of the code agrees best "
            "with the others; different cases first. Counts: the coding the typology uses ({source})."
        )
    ),
    # What a .qdpx export leaves out (services/exchange/qdpx.py: the summary's not_exported).
    "qdpx_units_not_exported": Sentence(
        N_(
            "{count} units (speaker turns, answers): REFI-QDA has no place for them "
            "(qualcode rebuilds them from the text on import)"
        )
    ),
    "qdpx_questions_not_exported": Sentence(
        N_("{count} interview guide questions: REFI-QDA has no place for them")
    ),
    "qdpx_progress_not_exported": Sentence(
        N_("{count} document progress marks: REFI-QDA has no place for them")
    ),
    "qdpx_typology_not_exported": Sentence(
        N_(
            "the codebook's typology (types and rules): carry it with "
            "`qualcode codebook export PROJECT --yaml FILE`"
        )
    ),
    "qdpx_history_not_exported": Sentence(N_("the event history (undo, audit)")),
    "qdpx_memo_document_gone": Sentence(N_("memo {memo}: its document is gone; attached to the project")),
    "qdpx_memo_code_gone": Sentence(N_("memo {memo}: its code is gone; attached to the project")),
    "qdpx_memo_segment_gone": Sentence(N_("memo {memo}: its segment is gone; attached to the project")),
    "qdpx_memo_target_gone": Sentence(N_("memo {memo}: its {target} is gone; attached to the project")),
}
