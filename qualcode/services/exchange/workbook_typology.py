"""The typology sheets of the workbook: profiles, rules, assignments, table, anchors, cluster check."""

from collections import Counter
from typing import Any

from qualcode.core.typology import attribute_space
from qualcode.i18n import _
from qualcode.i18n.messages import localise
from qualcode.io.workbook import WorkbookWriter, column_letter
from qualcode.services.analysis.data import AnalysisData
from qualcode.services.analysis.typology import TypologyResult, no_type_reason

TYPOLOGY_SHEETS = (
    "Case_Profiles",
    "Typology_Rules",
    "Assignments",
    "Typology_Table",
    "Attribute_Space",
    "Anchor_Segments",
    "Cluster_Diagnostics",
)


def write_typology_sheets(
    book: WorkbookWriter, result: TypologyResult, data: AnalysisData, names: list[str]
) -> None:
    """Write the typology sheets named in `names`, in workbook order."""
    writers = {
        "Case_Profiles": case_profiles,
        "Typology_Rules": typology_rules,
        "Assignments": assignments,
        "Typology_Table": typology_table_sheet,
        "Attribute_Space": attribute_space_sheet,
        "Anchor_Segments": anchor_sheet,
        "Cluster_Diagnostics": cluster_sheet,
    }
    for name in TYPOLOGY_SHEETS:
        if name in names:
            writers[name](book, result, data)


def _codes_in_order(result: TypologyResult, data: AnalysisData) -> list[str]:
    used = {k for p in result.profiles for k in p.measures.codes_present}
    return [c.key for c in data.codes.values() if c.key in used]


def case_profiles(book: WorkbookWriter, result: TypologyResult, data: AnalysisData) -> None:
    """Write Case_Profiles: each case's group shares, measures, derived variables and code coverage."""
    spec = result.spec
    members = spec.member_names
    codes = _codes_in_order(result, data)
    header = [
        "case",
        "documents",
        "roles",
        "missing_roles",
        "respondent_chars",
        *members,
        *[f"raw.{m}" for m in members],
        *[f"total.{g.name}" for g in spec.groups],
        *spec.derived,
        *[f"coverage.{c}" for c in codes],
        *[f"frequency.{c}" for c in codes],
    ]
    rows = []
    for p in result.profiles:
        env = p.env()
        m = p.measures
        derived = [p.derived[d] for d in spec.derived]
        rows.append(
            [
                p.case,
                len(m.documents),
                ", ".join(m.roles),
                ", ".join(m.missing_roles),
                m.respondent_chars,
                *[env.get(x) for x in members],
                *[p.groups[g.name].raw[x] for g in spec.groups for x in g.members],
                *[p.groups[g.name].total for g in spec.groups],
                *derived,
                *[m.coverage.get(c, 0.0) for c in codes],
                *[m.frequency.get(c, 0.0) for c in codes],
            ]
        )
    book.table(
        "Case_Profiles",
        header,
        rows,
        number_format="0.000",
        freeze="B2",
        color_scale=(6, 5 + len(members)),
    )


def typology_rules(book: WorkbookWriter, result: TypologyResult, data: AnalysisData) -> None:
    """Write Typology_Rules: the types with their rules, scores and fallback rules, as defined."""
    header = [
        "type",
        "name_en",
        "name_zh",
        "lead_actor",
        "dominant_dimension",
        "rule",
        "score",
        "fallback",
        "description",
    ]
    rows = [
        [t.id, t.name_en, t.name_zh, t.lead_actor, t.dominant_dimension, *t.texts().values(), t.description]
        for t in result.spec.types
    ]
    rows += [
        [f"(derived) {name}", "", "", None, None, str(expr), "", "", "derived variable"]
        for name, expr in result.spec.derived.items()
    ]
    book.table(
        "Typology_Rules",
        header,
        rows,
        wrap=("rule", "score", "fallback", "description"),
        widths={"rule": 50.0, "score": 35.0, "fallback": 40.0},
    )


def _cluster_majority(result: TypologyResult) -> dict[int, str]:
    counts: dict[int, Counter[str]] = {}
    for a in result.assignments:
        c = result.cluster_of(a.case)
        if c is not None:
            counts.setdefault(c, Counter())[a.type] += 1
    return {c: sorted(n.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for c, n in counts.items()}


def assignments(book: WorkbookWriter, result: TypologyResult, data: AnalysisData) -> None:
    """Write Assignments: each case's type with its basis, scores, margin, rule outcomes and the cluster
    check."""
    types = [t.id for t in result.spec.types]
    names = {t.id: (t.name_en, t.name_zh) for t in result.spec.types}
    stability = dict(enumerate(result.clusters.jaccard_mean, start=1))
    majority = _cluster_majority(result)
    header = [
        "case",
        "type",
        "name_en",
        "name_zh",
        "basis",
        "source",
        "reason",
        "margin",
        *[f"score.{t}" for t in types],
        *[f"rule.{t}" for t in types],
        *[f"fallback.{t}" for t in types],
        "flags",
        "cluster",
        "cluster_stability",
        "agrees_with_cluster",
        "analyst_override",
        "memo",
    ]

    rows = []
    for a in result.assignments:
        cluster = result.cluster_of(a.case)
        agrees = None if cluster is None else ("Y" if majority.get(cluster) == a.type else "N")
        en, zh = names.get(a.type, ("", ""))
        rows.append(
            [
                a.case,
                a.type,
                en,
                zh,
                a.basis,
                result.case_source(a.case),
                localise(no_type_reason(a, result.case_source(a.case))),
                a.margin,
                *[a.scores[t] for t in types],
                *[a.rules[t] for t in types],
                *[a.fallbacks[t] for t in types],
                "; ".join(a.flags),
                cluster,
                stability.get(cluster) if cluster else None,
                agrees,
                None,
                None,
            ]
        )
    book.table(
        "Assignments",
        header,
        rows,
        number_format="0.000",
        freeze="C2",
    )


def typology_table_sheet(book: WorkbookWriter, result: TypologyResult, data: AnalysisData) -> None:
    """Write Typology_Table: types as columns with profile means and code prevalence, and its chart."""
    columns, rows = result.table
    header = ["row", "statistic", *columns]
    sheet = book.table(
        "Typology_Table",
        header,
        [[name, stat, *values] for name, stat, values in rows],
        number_format="0.000",
        freeze="C2",
    )
    first_group = result.spec.groups[0] if result.spec.groups else None
    if first_group is not None:
        # sheet row 2 is n; rows 3.. hold the first group's members, one series per type
        sheet.series_chart(
            _("Profiles by type: {group}").format(group=first_group.name),
            1,
            3,
            2 + len(result.spec.types),
            3,
            2 + len(first_group.codes),
            f"{column_letter(len(header) + 2)}2",
            y_title=_("mean"),
        )


def attribute_space_sheet(book: WorkbookWriter, result: TypologyResult, data: AnalysisData) -> None:
    """Write Attribute_Space: lead actor by dominant dimension, the cases in each cell and the type it reduces
    to."""
    rows = [list(r) for r in attribute_space(result.spec, result.profiles)]
    book.table(
        "Attribute_Space",
        ["lead_actor", "dominant_dimension", "n_cases", "cases", "reduces_to"],
        rows,
    )


def anchor_sheet(book: WorkbookWriter, result: TypologyResult, data: AnalysisData) -> None:
    """Write Anchor_Segments: the strongest quotes per type and defining code, with document and position."""
    names = {t.id: t.name_en for t in result.spec.types}
    header = [
        "type",
        "type_name",
        "defining_code",
        "rank",
        "case",
        "document",
        "code",
        "start",
        "end",
        "line",
        "length",
        "coverage",
        "text",
    ]
    rows = [
        [
            x.type,
            names.get(x.type),
            x.defining,
            x.rank,
            x.quote.case,
            x.quote.document,
            x.quote.code,
            x.quote.start,
            x.quote.end,
            result.positions.get((x.quote.document, x.quote.start)),
            x.quote.end - x.quote.start,
            x.quote.strength,
            x.quote.text,
        ]
        for x in result.anchors
    ]
    book.table(
        "Anchor_Segments",
        header,
        rows,
        wrap=("text",),
        widths={"text": 70.0},
    )


def cluster_sheet(book: WorkbookWriter, result: TypologyResult, data: AnalysisData) -> None:
    """Write Cluster_Diagnostics: the Ward clustering check (silhouettes, sizes, centroids, stability,
    crosstab, ARI)."""
    c = result.clusters
    rows: list[list[Any]] = [
        ["parameters", None, None, "method", "ward, euclidean"],
        ["parameters", None, None, "features", ", ".join(c.features)],
        ["parameters", None, None, "bootstrap_replicates", c.replicates],
        ["parameters", None, None, "seed", c.seed],
        ["parameters", None, None, "stability_flag_below", result.spec.stability_flag_below],
    ]
    if c.skipped:
        rows.append(["skipped", None, None, "reason", localise(c.skipped)])
    else:
        for k, s in c.silhouette.items():
            rows.append(["silhouette", k, None, "mean_silhouette", s])
        rows.append(["best_k", c.best_k, None, "chosen_by", "max mean silhouette"])
        for i in range(c.best_k or 0):
            cluster = i + 1
            rows.append(["cluster", c.best_k, cluster, "size", c.sizes[i]])
            rows.append(["cluster", c.best_k, cluster, "jaccard_mean", c.jaccard_mean[i]])
            rows.append(["cluster", c.best_k, cluster, "jaccard_sd", c.jaccard_sd[i]])
            flag = "stable" if c.jaccard_mean[i] >= result.spec.stability_flag_below else "doubtful"
            rows.append(["cluster", c.best_k, cluster, "stability", flag])
            for f, v in zip(c.features, c.centroids[i], strict=True):
                rows.append(["centroid", c.best_k, cluster, f, v])
        for t, counts in c.crosstab.items():
            for cluster_key, n in counts.items():
                rows.append(["crosstab", c.best_k, int(cluster_key), t, n])
        rows.append(["agreement", c.best_k, None, "adjusted_rand_index", c.ari])
        for case, label in zip(c.cases, c.labels[c.best_k or 0], strict=True):
            rows.append(["membership", c.best_k, label, case, None])
    book.table(
        "Cluster_Diagnostics",
        ["section", "k", "cluster", "item", "value"],
        rows,
        number_format="0.000",
    )
