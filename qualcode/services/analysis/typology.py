"""Case typology of a project: profiles, rule-based types, the cluster check and anchor quotes.

Reads only; nothing is written. The typology definitions come from the project
settings (`codebook.typology`: the typology section of the loaded codebook) unless passed in.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from qualcode.core.clusters import ClusterResult, cluster_check
from qualcode.core.errors import QualcodeError
from qualcode.core.profiles import CodedSpan, DocumentFrame, case_measures, combine_coders
from qualcode.core.typology import (
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
from qualcode.services.analysis.case_units import DOCUMENT_UNIT, CaseUnit, resolve_case_unit
from qualcode.services.analysis.data import (
    AnalysisData,
    check_source_visible,
    load_analysis_data,
    select_source,
)
from qualcode.store.db import Project

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

    def cluster_of(self, case: str) -> int | None:
        if self.clusters.best_k is None or case not in self.clusters.cases:
            return None
        return self.clusters.labels[self.clusters.best_k][self.clusters.cases.index(case)]

    def to_dict(self) -> dict[str, Any]:
        by_case = {p.case: p for p in self.profiles}
        cases = []
        for a in self.assignments:
            entry = {
                "case": a.case,
                **a.to_dict(),
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


def load_spec(data: AnalysisData, typology: dict[str, Any] | None = None) -> TypologySpec:
    source = typology
    if source is None:
        source = next((data.settings[k] for k in TYPOLOGY_SETTINGS if data.settings.get(k)), None)
    if not source:
        raise QualcodeError(
            "the project has no typology definitions (load a codebook with a typology section)"
        )
    return spec_from_dict(source, known_codes={c.key for c in data.codes.values()})


def coded_spans(data: AnalysisData, unit: CaseUnit, source: str, coder_ids: list[int]) -> list[CodedSpan]:
    wanted = set(coder_ids)
    spans = []
    for s in data.segments:
        if s.coder_id not in wanted or s.document_id not in unit.case_of:
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
            if s.coder_id in wanted:
                worked[data.documents[s.document_id][0]].add(data.coders[s.coder_id])
        for doc_id, coder_id in data.done:
            if coder_id in wanted:
                worked[data.documents[doc_id][0]].add(data.coders[coder_id])
        spans = combine_coders(
            spans, source, [data.coders[c] for c in coder_ids], {k: sorted(v) for k, v in worked.items()}
        )
    return spans


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
            raise QualcodeError(f"unknown aggregation {aggregation!r}: use one of {', '.join(AGGREGATIONS)}")
        spec.aggregation = aggregation
    unit = resolve_case_unit(data, spec.case_attribute, spec.role_attribute, case_attribute, role_attribute)
    source, coder_ids = select_source(data, coder, consensus, combine)
    spans = coded_spans(data, unit, source, coder_ids)
    if not spans:
        who = ", ".join(data.coders[c] for c in coder_ids) or "no coder"
        raise QualcodeError(f"no coded segments to build a typology from (coding source: {source}: {who})")
    # a document the chosen coders never worked on says nothing about its case (not 0 %)
    worked = data.coded_documents(coder_ids)
    used = [d for d in unit.case_of if d in worked]
    names = {d: data.documents[d][0] for d in unit.case_of}
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
    assignments = [assign(spec, p) for p in profiles]
    clusters = run_cluster_check(spec, profiles, assignments)
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
        "coders": sorted(data.coders[c] for c in coder_ids),
        "documents_without_case": unit.without_case,
        "documents_not_coded": sorted(names[d] for d in unit.case_of if d not in worked),
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
        typology_table(spec, profiles, assignments, codes),
        positions,
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
