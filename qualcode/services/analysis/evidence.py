"""The coding-evidence table of a paper: main category → sub-category → code, each with its
representative original statements and how much coding stands behind it.

Counts (segments, documents, cases) are those of the coding the typology uses (consensus-else-
union, case by case: `data.source_segments`). Quotes come from the consensus coding of the code
when there is any, else from the coder whose coding of that code agrees best with the others
(services/agreement/by_coder.py), and are chosen by `core/evidence.py`. A lead may pin quotes for
a code; pinned quotes replace the chosen ones and are kept (a project setting, logged) until
unpinned.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, TypedDict

from qualcode.core.attributes import role_in
from qualcode.core.code_names import names as code_names
from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.core.evidence import MIN_CHARS, Candidate, best_coder, levels_of, pick, quotable
from qualcode.i18n import _, join_list, translate_in
from qualcode.i18n.messages import Message, localise
from qualcode.services.analysis.case_units import resolve_case_unit
from qualcode.services.analysis.data import (
    AnalysisData,
    load_analysis_data,
    select_source,
    source_segments,
)
from qualcode.services.coders import CONSENSUS
from qualcode.services.lookup import find_document
from qualcode.services.settings import read_setting, set_setting
from qualcode.store.db import Project
from qualcode.store.models import Segment

PINS_SETTING = "evidence_quotes"  # code key -> [{"document": id, "start": s, "end": e}]
DEFAULT_QUOTES = 2


class Quote(TypedDict):
    document: str
    case: str | None
    role: str | None
    start: int
    end: int
    text: str
    complete: bool
    pinned: bool


class EvidenceRow(TypedDict):
    main_category: str | None
    main_category_zh: str | None
    sub_category: str | None
    sub_category_zh: str | None
    code: str
    name_en: str
    name_zh: str
    segments: int
    documents: int
    cases: int
    quote_source: str  # "pinned", "consensus", "coder:<name>" or "none"
    quotes: list[Quote]


_SOURCE_KINDS = {
    "coder": "source_one_coder",
    "consensus": "source_consensus",
    "union": "source_union",
    "majority": "source_majority",
    "consensus-else-union": "source_consensus_else_union",
    "none": "source_none",
}


def source_message(source: str) -> str:
    """A coding source (`select_source`) as a sentence of a paper names it, as a message."""
    kind = _SOURCE_KINDS.get(source)
    return Message(kind) if kind else source


class Names(TypedDict):
    """A code's or type's name in each language."""

    en: str
    zh: str


class EvidenceTable(TypedDict):
    """The coding-evidence table (`qualcode evidence show`) and how it was made."""

    source: str  # the coding the counts come from (select_source)
    case_attribute: str | None
    quotes_per_code: int
    min_chars: int
    rule: str  # how quotes were chosen: an English Message, written in the interface language by the tables
    names: dict[str, Names]  # code key -> names
    rows: list[EvidenceRow]


def source_name(source: str) -> str:
    """A coding source as a sentence of a paper names it, in the interface language."""
    return localise(source_message(source))


def _pins(project: Project) -> dict[str, list[dict[str, int]]]:
    with project.read() as session:
        return dict(read_setting(session, PINS_SETTING) or {})


def evidence_table(
    project: Project,
    *,
    quotes: int = DEFAULT_QUOTES,
    min_chars: int = MIN_CHARS,
    case_attribute: str | None = None,
    viewer: str | None = None,
    data: AnalysisData | None = None,
) -> EvidenceTable:
    """Every coded code in codebook order with its main and sub-category, counts of segments,
    documents and cases, and up to `quotes` representative statements (pinned ones first)."""
    if quotes < 1:
        raise ValidationError(
            _("the number of quotes per code must be 1 or more, not {count}").format(count=quotes)
        )
    if data is None:
        data = load_analysis_data(project, viewer)
    unit = resolve_case_unit(data, None, None, case_attribute, None)
    source, coder_ids = select_source(data, None, False, None) if data.segments else ("none", [])
    counted = source_segments(data, unit.case_of, source, coder_ids) if coder_ids else []
    pins = _pins(project)
    consensus_ids = {cid for cid, name in data.coders.items() if name == CONSENSUS}
    humans = set(data.human_coders())
    counted_by_code = _by_code(counted)
    consensus_by_code = _by_code(s for s in data.segments if s.coder_id in consensus_ids)
    human_by_code = _by_code(s for s in data.segments if s.coder_id in humans)
    # Computed only if some code has no consensus to quote: it is a second agreement pass.
    alphas = cache(lambda: _coder_alphas(project, viewer, data))
    by_key = {info.key: info for info in data.codes.values()}

    rows: list[EvidenceRow] = []
    for code_id, info in data.codes.items():
        own = counted_by_code.get(code_id, [])
        pinned = pins.get(info.key, [])
        if not own and not pinned:
            continue
        chain = [(key, by_key[key].level) for key in info.path]
        main, sub = levels_of(chain)
        chosen, quote_source = _quotes_for(
            data,
            unit,
            info.key,
            pinned,
            consensus_by_code.get(code_id, []),
            human_by_code.get(code_id, []),
            alphas,
            quotes,
            min_chars,
        )
        rows.append(
            EvidenceRow(
                main_category=main,
                main_category_zh=by_key[main].name_zh if main else None,
                sub_category=sub,
                sub_category_zh=by_key[sub].name_zh if sub else None,
                code=info.key,
                name_en=info.name_en,
                name_zh=info.name_zh,
                segments=len(own),
                documents=len({s.document_id for s in own}),
                cases=len({unit.case_of.get(s.document_id, data.documents[s.document_id][0]) for s in own}),
                quote_source=quote_source,
                quotes=chosen,
            )
        )
    return {
        "source": source,
        "case_attribute": unit.attribute,
        "quotes_per_code": quotes,
        "min_chars": min_chars,
        "rule": Message("evidence_rule", min_chars=min_chars, source=source_message(source)),
        "names": {info.key: {"en": info.name_en, "zh": info.name_zh} for info in data.codes.values()},
        "rows": rows,
    }


def _coder_alphas(
    project: Project, viewer: str | None, data: AnalysisData
) -> dict[str, dict[str, float | None]]:
    if data.visible is not None or len(data.human_coders()) < 2:
        return {}
    from qualcode.services.agreement.by_coder import coder_alphas_per_code

    return coder_alphas_per_code(project, viewer)


def _by_code(segments: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for s in segments:
        grouped.setdefault(s.code_id, []).append(s)
    return grouped


def _quotes_for(
    data: AnalysisData,
    unit: Any,
    key: str,
    pinned: Sequence[dict[str, int]],
    consensus: Sequence[Any],
    own: Sequence[Any],
    alphas: Callable[[], dict[str, dict[str, float | None]]],
    count: int,
    min_chars: int,
) -> tuple[list[Quote], str]:
    """The quotes for one code: pinned ones, else from its consensus segments, else from the
    human coder whose coding of it agrees best with the others (`own`: every human's segments)."""
    if pinned:
        quotes = []
        for pin in pinned:
            doc = pin["document"]
            if doc not in data.documents:
                continue  # a pinned document the viewer may not see, or deleted since
            text = data.documents[doc][1]
            quotes.append(
                _quote(
                    data,
                    unit,
                    Candidate(doc, pin["start"], pin["end"], text[pin["start"] : pin["end"]], None, True),
                    True,
                )
            )
        return quotes, "pinned"
    if consensus:
        return _chosen(data, unit, consensus, count, min_chars), "consensus"
    per_coder: dict[str, int] = {}
    for s in own:
        per_coder[data.coders[s.coder_id]] = per_coder.get(data.coders[s.coder_id], 0) + 1
    coder = best_coder(alphas().get(key, {}), per_coder) if per_coder else None
    if coder is None:
        return [], "none"
    return _chosen(
        data, unit, [s for s in own if data.coders[s.coder_id] == coder], count, min_chars
    ), f"coder:{coder}"


def _chosen(
    data: AnalysisData, unit: Any, segments: Sequence[Any], count: int, min_chars: int
) -> list[Quote]:
    candidates = []
    for s in segments:
        text = data.documents[s.document_id][1]
        found = quotable(text, s.document_id, s.start, s.end, unit.case_of.get(s.document_id), min_chars)
        if found is not None:
            candidates.append(found)
    return [_quote(data, unit, c, False) for c in pick(candidates, count)]


def _quote(data: AnalysisData, unit: Any, candidate: Candidate, pinned: bool) -> Quote:
    doc = candidate.document_id
    return Quote(
        document=data.documents[doc][0],
        case=unit.case_of.get(doc, data.documents[doc][0]),
        role=unit.role_of.get(doc),
        start=candidate.start,
        end=candidate.end,
        text=candidate.text,
        complete=candidate.complete,
        pinned=pinned,
    )


def pin_quote(
    project: Project,
    code: str,
    *,
    segment: int | None = None,
    document: str | None = None,
    quote: str | None = None,
    replace: bool = False,
    actor: str | None = None,
) -> list[dict[str, int]]:
    """Pin a statement as evidence for `code`: a coded segment (its quotable sentence), or the
    text `quote` found in `document`. `replace` drops the code's earlier pins. Returns the pins."""
    from sqlmodel import select

    from qualcode.core.quotes import occurrences
    from qualcode.store.models import Code, Document

    if (segment is None) == (document is None or quote is None):
        raise ValidationError(
            _("pin either a segment (--segment ID) or a quote in a document (--doc NAME --quote TEXT)")
        )
    with project.read() as session:
        code_row = session.exec(select(Code).where(Code.key == code)).first()
        if code_row is None:
            raise NotFoundError(_("unknown code {code!r}").format(code=code))
        if segment is not None:
            row = session.get(Segment, segment)
            if row is None:
                raise NotFoundError(_("no segment {id}").format(id=segment))
            doc_row = session.get(Document, row.document_id)
            assert doc_row is not None and doc_row.id is not None
            found = quotable(doc_row.text, doc_row.id, row.start, row.end, None)
            if found is None:
                raise ValidationError(_("segment {id} holds no text to quote").format(id=segment))
            pin = {"document": doc_row.id, "start": found.start, "end": found.end}
        else:
            assert document is not None and quote is not None
            doc_row = find_document(session, document)
            assert doc_row.id is not None
            spans = occurrences(doc_row.text, quote.strip())
            if not spans:
                raise NotFoundError(
                    _("the quote is not in {document}: copy it exactly from the transcript").format(
                        document=document
                    )
                )
            pin = {"document": doc_row.id, "start": spans[0][0], "end": spans[0][1]}
        pins = dict(read_setting(session, PINS_SETTING) or {})
    current = [] if replace else list(pins.get(code, []))
    if pin not in current:
        current.append(pin)
    pins[code] = current
    set_setting(project, PINS_SETTING, pins, actor=actor)
    return current


def unpin_quotes(project: Project, code: str, actor: str | None = None) -> int:
    """Drop every pinned quote of `code` (its quotes are chosen again); returns how many."""
    pins = _pins(project)
    removed = len(pins.pop(code, []))
    if removed:
        set_setting(project, PINS_SETTING, pins, actor=actor)
    return removed


def name_in(names: Mapping[str, Names], key: str | None, language: str) -> str:
    """A code's (or type's) name from a report's `names` ({key: {"en", "zh"}}) as a reader of
    `language` sees it: that language first, the other where it has none (core/code_names.py),
    the key without either."""
    if key is None:
        return ""
    both = names.get(key)
    if both is None:
        return key
    return code_names({"name_en": both["en"], "name_zh": both["zh"]}, language)[0] or key


def quote_line(quote: Quote, language: str) -> str:
    """One statement as a paper prints it: the words, then case and role."""
    role = role_in(quote["role"], language)
    where = join_list([part for part in (quote["case"], role) if part], language)
    if language == "zh_CN":
        return f"“{quote['text']}”（{where}）" if where else f"“{quote['text']}”"
    return f"\u201c{quote['text']}\u201d ({where})" if where else f"\u201c{quote['text']}\u201d"


def evidence_grid(report: EvidenceTable, language: str) -> tuple[list[str], list[list[Any]]]:
    """The table as a paper prints it, in `language`: a header and one row per code, the
    statements one per line."""
    header = [
        translate_in(language, "Main category"),
        translate_in(language, "Sub-category"),
        translate_in(language, "Initial concept"),
        translate_in(language, "Original statements"),
        translate_in(language, "Segments"),
        translate_in(language, "Documents"),
        translate_in(language, "Cases"),
    ]
    names = report["names"]
    rows = [
        [
            name_in(names, row["main_category"], language),
            name_in(names, row["sub_category"], language),
            name_in(names, row["code"], language),
            "\n".join(quote_line(q, language) for q in row["quotes"]),
            row["segments"],
            row["documents"],
            row["cases"],
        ]
        for row in report["rows"]
    ]
    return header, rows
