"""Saturation report: the discovery curve per coding source and the reserved-interview check.

Sources are every human coder the viewer may see, their union, and the consensus coding when
there is one: the curve of each is drawn over the interviews that source has coded (marked done,
or holding a segment), so an interview nobody has opened yet never reads as "nothing new".
The reserve documents are a project setting, changed through `set_reserves` (logged).
"""

from collections.abc import Iterable, Sequence

from sqlmodel import col, select

from qualcode.core.attributes import attribute_value
from qualcode.core.errors import QualcodeError
from qualcode.core.saturation import (
    LEVELS,
    Curve,
    ReserveCheck,
    discovery_curve,
    interview_order,
    level_item,
    reserve_check,
)
from qualcode.i18n import _, join_list, ntranslate_in, translate_in
from qualcode.services.analysis.data import AnalysisData, load_analysis_data
from qualcode.services.analysis.rows import (
    DiscoveryCurve,
    SaturationLevel,
    SaturationReport,
    SaturationSource,
)
from qualcode.services.coders import CONSENSUS
from qualcode.services.lookup import find_document
from qualcode.services.settings import read_setting, set_setting
from qualcode.store.db import Project
from qualcode.store.models import Document

RESERVES_SETTING = "saturation_reserves"  # document ids set aside for the saturation check
SENTENCE_LANGUAGES = ("en", "zh_CN")


def set_reserves(
    project: Project, documents: Sequence[str], reserve: bool, actor: str | None = None
) -> list[str]:
    """Mark (or unmark) documents, by name, as saturation reserves; returns all reserves' names."""
    with project.read() as session:
        ids = {find_document(session, name).id for name in documents}
        current = set(read_setting(session, RESERVES_SETTING) or [])
        updated = (current | ids) if reserve else (current - ids)
        names = dict(
            session.exec(select(Document.id, Document.name).where(col(Document.id).in_(updated))).all()
        )
    if updated != current:
        set_setting(project, RESERVES_SETTING, sorted(updated), actor=actor)
    return sorted(names.values())


def _date_values(data: AnalysisData) -> dict[int, str | None]:
    """Each interview's Date attribute, read by the one attribute resolver (日期 too)."""
    return {doc: attribute_value(attributes, "Date") for doc, attributes in data.attributes.items()}


def _chains(data: AnalysisData) -> dict[int, list[tuple[str, str]]]:
    by_key = {info.key: info for info in data.codes.values()}
    return {cid: [(key, by_key[key].level) for key in info.path] for cid, info in data.codes.items()}


def _sources(data: AnalysisData) -> list[tuple[str, str | None, set[int]]]:
    """(source, coder name or None, coder ids) for every coding the viewer may see."""
    humans = sorted(data.human_coders(), key=lambda cid: data.coders[cid])
    coded = {s.coder_id for s in data.segments} | {c for _d, c in data.done}
    humans = [cid for cid in humans if cid in coded]
    sources: list[tuple[str, str | None, set[int]]] = [("coder", data.coders[c], {c}) for c in humans]
    if len(humans) > 1:
        sources.append(("union", None, set(humans)))
    consensus = [cid for cid, name in data.coders.items() if name == CONSENSUS and cid in coded]
    if consensus:
        sources.append(("consensus", None, set(consensus)))
    return sources


def _found(
    data: AnalysisData, coder_ids: set[int], chains: dict[int, list[tuple[str, str]]], level: str
) -> dict[int, set[str]]:
    items = {code_id: level_item(chain, level) for code_id, chain in chains.items()}  # once per code
    found: dict[int, set[str]] = {}
    for segment in data.segments:
        if segment.coder_id in coder_ids:
            item = items.get(segment.code_id)
            if item is not None:
                found.setdefault(segment.document_id, set()).add(item)
    return found


def _sentence(check: ReserveCheck, level: str, names: dict[int, str], language: str) -> str:
    reserves = join_list((names[d] for d in check.reserves), language)
    if check.status == "no_reserves":
        return translate_in(
            language, "No interview is marked as a saturation reserve: mark some with --reserve."
        )
    if check.status == "pending":
        waiting = join_list((names[d] for d in check.uncoded_reserves), language)
        return translate_in(
            language,
            "The reserve interviews {names} are not coded yet in this coding: the saturation check waits for them.",
        ).format(names=waiting)
    if check.status == "saturated":
        text = {
            "code": translate_in(
                language,
                "No new code appeared in the reserve interviews ({names}): the coding supports saturation.",
            ),
            "category": translate_in(
                language,
                "No new category appeared in the reserve interviews ({names}): the coding supports saturation.",
            ),
            "dimension": translate_in(
                language,
                "No new dimension appeared in the reserve interviews ({names}): the coding supports saturation.",
            ),
        }[level]
        return text.format(names=reserves)
    count = len(check.only_in_reserves)
    text = {
        "code": ntranslate_in(
            language,
            "{count} code appeared only in the reserve interviews ({names}): {items}; saturation was not reached.",
            "{count} codes appeared only in the reserve interviews ({names}): {items}; saturation was not reached.",
            count,
        ),
        "category": ntranslate_in(
            language,
            "{count} category appeared only in the reserve interviews ({names}): {items}; "
            "saturation was not reached.",
            "{count} categories appeared only in the reserve interviews ({names}): {items}; "
            "saturation was not reached.",
            count,
        ),
        "dimension": ntranslate_in(
            language,
            "{count} dimension appeared only in the reserve interviews ({names}): {items}; "
            "saturation was not reached.",
            "{count} dimensions appeared only in the reserve interviews ({names}): {items}; "
            "saturation was not reached.",
            count,
        ),
    }[level]
    return text.format(count=count, names=reserves, items=join_list(check.only_in_reserves, language))


def _curve_json(curve: Curve, names: dict[int, str]) -> DiscoveryCurve:
    last = curve.steps[curve.last_new_at - 1].document if curve.last_new_at else None
    return {
        "interviews": len(curve.steps),
        "total": curve.total,
        "last_new_at": curve.last_new_at,
        "last_new_document": names[last] if last is not None else None,
        "quiet_tail": curve.quiet_tail,
        "steps": [
            {"position": i, "document": names[s.document], "new": list(s.new), "cumulative": s.cumulative}
            for i, s in enumerate(curve.steps, start=1)
        ],
    }


def saturation_report(
    project: Project,
    viewer: str | None = None,
    levels: Iterable[str] = LEVELS,
    data: AnalysisData | None = None,
) -> SaturationReport:
    """The saturation report as JSON-ready data (keys never translated; sentences in both languages).

    In blind mode a coder sees their own curve only (`viewer`), as everywhere else. `data` is the
    project's analysis data when the caller has loaded it already for the same `viewer`."""
    levels = tuple(levels)
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise QualcodeError(
            _("unknown level {unknown!r}: use code, category or dimension").format(unknown=unknown[0])
        )
    if data is None:
        data = load_analysis_data(project, viewer)
    if not data.codes:
        raise QualcodeError(_("the project has no codebook yet: load one with `qualcode codebook load`"))
    names = {doc: name for doc, (name, _text) in data.documents.items()}
    by_import = sorted(data.documents)  # document ids grow in import order
    order, ordering, undated = interview_order(by_import, _date_values(data))
    reserves = [d for d in data.settings.get(RESERVES_SETTING) or [] if d in names]
    chains = _chains(data)
    sources: list[SaturationSource] = []
    for kind, coder, coder_ids in _sources(data):
        coded_docs = data.coded_documents(sorted(coder_ids))
        source_order = [d for d in order if d in coded_docs]
        per_level: dict[str, SaturationLevel] = {}
        for level in levels:
            found = _found(data, coder_ids, chains, level)
            curve = discovery_curve(source_order, found)
            check = reserve_check(source_order, reserves, found, coded=coded_docs)
            per_level[level] = {
                "curve": _curve_json(curve, names),
                "reserve_check": {
                    "status": check.status,
                    "reserves": [names[d] for d in check.reserves],
                    "uncoded_reserves": [names[d] for d in check.uncoded_reserves],
                    "only_in_reserves": list(check.only_in_reserves),
                    "sentence": {lang: _sentence(check, level, names, lang) for lang in SENTENCE_LANGUAGES},
                },
            }
        sources.append(
            {
                "source": kind,
                "coder": coder,
                "coders": sorted(data.coders[c] for c in coder_ids),
                "not_coded": [names[d] for d in order if d not in coded_docs],
                "levels": per_level,
            }
        )
    return {
        "interviews": [names[d] for d in order],
        "order": ordering,
        "undated": [names[d] for d in undated] if ordering != "import" else [],
        "reserves": [names[d] for d in sorted(reserves, key=lambda d: names[d])],
        "levels": list(levels),
        "sources": sources,
    }


def source_title(source: SaturationSource) -> str:
    """A source of the report (one coder, the union, the consensus) as a person names it."""
    if source["source"] == "coder":
        return _("Coder {name}").format(name=source["coder"])
    if source["source"] == "union":
        return _("Union of the coders {names}").format(names=join_list(source["coders"]))
    return _("Consensus coding")


def headline_source(report: SaturationReport) -> SaturationSource | None:
    """The source whose reserve check a paper states: the consensus, else the union of the
    coders, else the one coder there is (None when nothing is coded)."""
    sources = report["sources"]
    if not sources:
        return None
    by_kind = {s["source"]: s for s in sources}
    return by_kind.get("consensus") or by_kind.get("union") or sources[0]
