"""Case typology of a project: profiles, rule-based types, the cluster check and anchor quotes.

Reads only; nothing is written. The typology definitions come from the project
settings (`codebook.typology`: the typology section of the loaded codebook) unless passed in.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from qualcode.core.clusters import ClusterResult, cluster_check
from qualcode.core.errors import QualcodeError
from qualcode.core.profiles import CodedSpan, DocumentFrame, case_measures, combine_coders
from qualcode.core.typology import (
    INSUFFICIENT,
    UNCLASSIFIED,
    Anchor,
    Assignment,
    CaseProfile,
    Quote,
    anchor_segments,
    assign,
    build_profile,
    typology_table,
)
from qualcode.core.typology_spec import TypologySpec, spec_from_dict
from qualcode.i18n import _
from qualcode.i18n.messages import Message
from qualcode.services.analysis.case_units import DOCUMENT_UNIT, CaseUnit, resolve_case_unit
from qualcode.services.analysis.data import (
    SOURCE_DESCRIPTIONS,
    AnalysisData,
    case_sources,
    check_source_visible,
    coders_for,
    load_analysis_data,
    select_source,
)
from qualcode.services.analysis.evidence import Names, name_in
from qualcode.services.analysis.rows import TypologyCase, TypologyReport
from qualcode.store.db import Project

NO_CODING = "no_coding"  # basis of a case none of whose documents the coding source coded
TYPOLOGY_SETTINGS = ("codebook.typology", "typology")  # where codebook loading stores it; a plain override


@dataclass
class TypologyResult:
    parameters: dict[str, Any]
    spec: TypologySpec
    profiles: list[CaseProfile]
    assignments: list[Assignment]
    clusters: ClusterResult
    anchors: list[Anchor]
    table: tuple[list[str], list[tuple[str, str, list[float | None]]]]
    positions: dict[tuple[str, int], int] = field(default_factory=dict)  # (document, start) -> line

    def case_source(self, case: str) -> str:
        """The coding this case was built from (per case for consensus-else-union)."""
        return str(self.parameters.get("case_sources", {}).get(case, self.parameters.get("coding_source")))

    def cluster_of(self, case: str) -> int | None:
        if self.clusters.best_k is None or case not in self.clusters.cases:
            return None
        return self.clusters.labels[self.clusters.best_k][self.clusters.cases.index(case)]

    def to_dict(self) -> TypologyReport:
        """The typology as JSON-ready rows (`qualcode typology --format json`, the TUI's screen)."""
        by_case = {p.case: p for p in self.profiles}
        cases: list[TypologyCase] = []
        for a in self.assignments:
            case_source = self.case_source(a.case)
            entry: TypologyCase = {
                "case": a.case,
                "source": case_source,
                **a.to_dict(),
                "reason": no_type_reason(a, case_source),
                "profile": by_case[a.case].to_dict(),
                "cluster": self.cluster_of(a.case),
            }
            cases.append(entry)
        return {
            "parameters": self.parameters,
            "types": [
                {"id": t.id, "name_en": t.name_en, "name_zh": t.name_zh, **t.texts()} for t in self.spec.types
            ],
            "cases": cases,
            "clusters": self.clusters.to_dict(),
            "anchors": [
                {
                    "type": x.type,
                    "defining_code": x.defining,
                    "rank": x.rank,
                    "case": x.quote.case,
                    "document": x.quote.document,
                    "code": x.quote.code,
                    "start": x.quote.start,
                    "end": x.quote.end,
                    "line": self.positions.get((x.quote.document, x.quote.start)),
                    "coverage": x.quote.strength,
                    "text": x.quote.text,
                }
                for x in self.anchors
            ],
        }


def type_namer(types: Sequence[Mapping[str, Any]], language: str) -> Callable[[str], str]:
    """A function naming a type id in `language`, from a result's `types` (`to_dict()["types"]`),
    by the one rule of the reports (`evidence.name_in`); an unknown id is shown as it is."""
    known: dict[str, Names] = {
        str(t["id"]): {"en": str(t.get("name_en") or ""), "zh": str(t.get("name_zh") or "")} for t in types
    }
    return lambda type_id: name_in(known, type_id, language)


def load_spec(data: AnalysisData, typology: dict[str, Any] | None = None) -> TypologySpec:
    """The typology definitions to apply: the ones given, else the project's stored ones, checked against its
    codes. Refused when the project has none."""
    source = typology
    if source is None:
        source = next((data.settings[k] for k in TYPOLOGY_SETTINGS if data.settings.get(k)), None)
    if not source:
        raise QualcodeError(
            _("the project has no typology definitions (load a codebook with a typology section)")
        )
    return spec_from_dict(source, known_codes={c.key for c in data.codes.values()})


def coded_spans(
    data: AnalysisData, unit: CaseUnit, source: str, coder_ids: list[int], per_case: dict[str, str]
) -> list[CodedSpan]:
    """The spans each case is built from, combined character by character for union/majority."""
    spans: list[CodedSpan] = []
    for case_source in sorted(set(per_case.values())):
        ids = coders_for(data, case_source, source, coder_ids)
        docs = {d for d, c in unit.case_of.items() if per_case[c] == case_source}
        spans += _spans_of(data, docs, case_source, ids)
    return spans


def _spans_of(data: AnalysisData, docs: set[int], source: str, coder_ids: list[int]) -> list[CodedSpan]:
    wanted = set(coder_ids)
    spans = []
    for s in data.segments:
        if s.coder_id not in wanted or s.document_id not in docs:
            continue
        code = data.codes[s.code_id]
        spans.append(
            CodedSpan(
                data.documents[s.document_id][0],
                code.key,
                code.dimension,
                s.start,
                s.end,
                data.coders[s.coder_id],
                code.path,
            )
        )
    if source in ("union", "majority"):
        worked: dict[str, set[str]] = defaultdict(set)
        for s in data.segments:
            if s.coder_id in wanted and s.document_id in docs:
                worked[data.documents[s.document_id][0]].add(data.coders[s.coder_id])
        for doc_id, coder_id in data.done:
            if coder_id in wanted and doc_id in docs:
                worked[data.documents[doc_id][0]].add(data.coders[coder_id])
        spans = combine_coders(
            spans, source, [data.coders[c] for c in coder_ids], {k: sorted(v) for k, v in worked.items()}
        )
    return spans


def no_type_reason(assignment: Assignment, case_source: str) -> str | None:
    """Why a case has no type, in words (None when it has one): every surface shows this text."""
    if assignment.basis == NO_CODING:
        return Message("case_without_coding", source=case_source)
    if assignment.basis == "insufficient_data":
        groups = [f.split(":", 1)[1] for f in assignment.flags if f.startswith("insufficient_data:")]
        if not groups:
            return Message("too_little_coding_unnamed")
        return Message("too_little_coding", groups=tuple(groups))
    if assignment.type == UNCLASSIFIED:
        return Message("nothing_decided")
    return None


def compute_typology(
    project: Project,
    *,
    coder: str | None = None,
    consensus: bool = False,
    combine: str | None = None,
    case_attribute: str | None = None,
    role_attribute: str | None = None,
    aggregation: str | None = None,
    typology: dict[str, Any] | None = None,
    data: AnalysisData | None = None,
    viewer: str | None = None,
) -> TypologyResult:
    """Profile, type and cluster every case; raises QualcodeError on bad parameters or no data.

    In blind mode a coder (`viewer`) may type the cases by their own coding only; other
    coders, the consensus and combinations are refused until a lead reveals."""
    data = data or load_analysis_data(project, viewer)
    check_source_visible(data, coder, consensus, combine)
    spec = load_spec(data, typology)
    if aggregation is not None:
        from qualcode.core.profiles import AGGREGATIONS

        if aggregation not in AGGREGATIONS:
            raise QualcodeError(
                _("unknown aggregation {aggregation!r}: use one of {AGGREGATIONS}").format(
                    aggregation=aggregation, AGGREGATIONS=', '.join(AGGREGATIONS)
                )
            )
        spec.aggregation = aggregation
    unit = resolve_case_unit(data, spec.case_attribute, spec.role_attribute, case_attribute, role_attribute)
    source, coder_ids = select_source(data, coder, consensus, combine)
    per_case = case_sources(data, unit.case_of, source, coder_ids)
    spans = coded_spans(data, unit, source, coder_ids, per_case)
    if not spans:
        who = ", ".join(data.coders[c] for c in coder_ids) or "no coder"
        raise QualcodeError(
            _("no coded segments to build a typology from (coding source: {source}: {who})").format(
                source=source, who=who
            )
        )
    # a document the chosen coders never worked on says nothing about its case (not 0 %)
    worked_by = {
        src: data.coded_documents(coders_for(data, src, source, coder_ids)) for src in set(per_case.values())
    }
    worked = {d for d, c in unit.case_of.items() if d in worked_by[per_case[c]]}
    names = {d: data.documents[d][0] for d in unit.case_of}
    # A case none of whose documents the source coded is still listed (never dropped silently):
    # its documents are profiled without coding and the case gets no type, with the reason.
    coded_cases = {unit.case_of[d] for d in worked}
    used = [d for d in unit.case_of if d in worked or unit.case_of[d] not in coded_cases]
    frames = [
        DocumentFrame(names[d], unit.case_of[d], unit.role_of.get(d), data.respondent_intervals(d))
        for d in sorted(used, key=lambda d: names[d])
    ]
    expected_roles = (
        sorted({r for d, r in unit.role_of.items() if r and d in unit.case_of})
        if unit.attribute and unit.role_attribute
        else None
    )
    measures = case_measures(frames, spans, spec.aggregation, expected_roles)
    profiles = [build_profile(spec, m) for m in measures]
    assignments = [
        assign(spec, p) if p.case in coded_cases else _not_coded(assign(spec, p), per_case[p.case])
        for p in profiles
    ]
    coded_profiles = [p for p in profiles if p.case in coded_cases]
    clusters = run_cluster_check(spec, coded_profiles, [a for a in assignments if a.case in coded_cases])
    doc_text = {name: text for name, text in data.documents.values()}
    case_of_doc = {names[d]: unit.case_of[d] for d in unit.case_of}
    # strength = the quote's share of its document's respondent text, so that Chinese and
    # English quotes (different characters per idea) compete fairly
    respondent = {f.document: max(1, sum(e - s for s, e in f.respondent)) for f in frames}
    quotes = [
        Quote(
            case_of_doc[s.document],
            s.document,
            s.code,
            s.dimension,
            s.start,
            s.end,
            doc_text[s.document][s.start : s.end],
            s.path,
            (s.end - s.start) / respondent[s.document],
        )
        for s in spans
        if s.document in respondent
    ]
    anchors = anchor_segments(spec, assignments, quotes)
    positions = {
        (a.quote.document, a.quote.start): doc_text[a.quote.document].count("\n", 0, a.quote.start) + 1
        for a in anchors
    }
    codes = [c.key for c in data.codes.values()]
    parameters = {
        **spec.parameters(),
        "case_unit": unit.attribute or DOCUMENT_UNIT,
        "role_attribute": unit.role_attribute,
        "expected_roles": expected_roles,
        "coding_source": source,
        "coding_source_description": SOURCE_DESCRIPTIONS[source],
        "case_sources": per_case,
        "coders": sorted(data.coders[c] for c in coder_ids),
        "documents_without_case": unit.without_case,
        "documents_not_coded": sorted(names[d] for d in unit.case_of if d not in worked),
        "cases_not_coded": sorted(c for c in per_case if c not in coded_cases),
        "unmapped_roles": [
            {"value": v, "documents": sorted(d)} for v, d in sorted(unit.unmapped_roles.items())
        ],
        "n_cases": len(profiles),
        "n_spans": len(spans),
    }
    return TypologyResult(
        parameters,
        spec,
        profiles,
        assignments,
        clusters,
        anchors,
        typology_table(spec, coded_profiles, assignments, codes),
        positions,
    )


def _not_coded(assignment: Assignment, case_source: str) -> Assignment:
    """A case without coding from its source: no type, no scores, the reason in the flags."""
    return replace(
        assignment,
        type=INSUFFICIENT,
        basis=NO_CODING,
        scores={k: None for k in assignment.scores},
        margin=None,
        rules={k: None for k in assignment.rules},
        fallbacks={k: None for k in assignment.fallbacks},
        flags=[f"{NO_CODING}:{case_source}"],
    )


def run_cluster_check(
    spec: TypologySpec, profiles: list[CaseProfile], assignments: list[Assignment]
) -> ClusterResult:
    """Ward check on the cases that have a profile (missing shares count as 0)."""
    import numpy as np

    typed = {a.case: a.type for a in assignments}
    usable = [p for p in profiles if not p.short]
    features = spec.feature_names
    matrix = np.array([p.features(features) for p in usable]) if usable else np.zeros((0, len(features)))
    return cluster_check(
        [p.case for p in usable],
        features,
        matrix,
        [typed[p.case] for p in usable],
        spec.k_candidates,
        spec.min_cases,
        spec.replicates,
        spec.seed,
    )
