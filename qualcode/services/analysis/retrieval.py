"""Code-and-retrieve across documents, and text search of all transcripts.

Retrieval honours blind mode through `viewer`: a blind coder retrieves only their own segments.
"""

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from qualcode.core.attributes import ROLE_KEY, attribute_value, same_key
from qualcode.core.errors import ValidationError
from qualcode.core.ordering import natural_sorted
from qualcode.core.variants import fold_variants
from qualcode.i18n import _
from qualcode.services.analysis.rows import RetrievedSegment, TextMatch
from qualcode.services.attributes import all_attributes, attribute_settings, role_reading, value_aliases
from qualcode.services.coders import find_coder
from qualcode.services.coding.segments import visible_coder_ids
from qualcode.services.lookup import find_code
from qualcode.services.outputs import write_table_output
from qualcode.store.db import Project
from qualcode.store.models import Code, Coder, Document, Segment, Unit

MODES = ("any", "all")
RETRIEVED_COLUMNS = [
    "document",
    "coder",
    "code",
    "start",
    "end",
    "question",
    "role",
    "city",
    "text",
    "memo",
    "before",
    "after",
]
SEARCH_LIMIT = 5000


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


def retrieve_segments(
    project: Project,
    *,
    viewer: str,
    codes: list[str],
    mode: str = "any",
    without: list[str] | None = None,
    coders: list[str] | None = None,
    attributes: dict[str, str] | None = None,
    question: str | None = None,
    context: int = 80,
) -> list[RetrievedSegment]:
    """Segments of `codes` with their text and surrounding context.

    mode 'any': a segment of any listed code; 'all': a segment of a listed code that overlaps, in the
    same document and by the same coder, segments of every other listed code. `without` drops segments
    overlapping (same document and coder) a segment of any of those codes. `attributes` filter on
    document attributes (role, city, or any stored key); `question` on the guide question of an
    overlapping unit.
    """
    if mode not in MODES:
        raise ValidationError(
            _("mode must be one of {MODES}, not {mode!r}").format(MODES=', '.join(MODES), mode=mode)
        )
    if not codes:
        raise ValidationError(_("name at least one code to retrieve"))
    with project.read() as session:
        wanted = {find_code(session, k).key for k in codes}
        excluded = {find_code(session, k).key for k in (without or [])}
        query = (
            sa.select(
                col(Segment.id),
                col(Segment.document_id),
                col(Segment.start),
                col(Segment.end),
                col(Segment.memo),
                col(Coder.name),
                col(Code.key),
            )
            .join(Coder, col(Coder.id) == col(Segment.coder_id))
            .join(Code, col(Code.id) == col(Segment.code_id))
            .where(col(Code.key).in_(wanted | excluded))
        )
        visible = visible_coder_ids(session, viewer)
        if visible is not None:
            query = query.where(col(Segment.coder_id).in_(visible))
        if coders:
            query = query.where(col(Segment.coder_id).in_([find_coder(session, c).id for c in coders]))
        rows = session.execute(query).all()
        by_place: dict[tuple[int, str], dict[str, list[tuple[int, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for _unused, doc_id, s, e, _unused, who, key in rows:
            by_place[(doc_id, who)][key].append((s, e))
        attrs = all_attributes(session)
        settings = attribute_settings(session)
        aliases = value_aliases(settings)

        def reads(doc_attrs: dict[str, str | None], key: str) -> set[str]:
            """What a filter on `key` may match: the value after aliases; for a role also the raw text."""
            if same_key(ROLE_KEY, key):
                r = role_reading(doc_attrs, settings, key)
                return {r.raw.casefold(), r.role.casefold()} if r else set()
            v = attribute_value(doc_attrs, key, aliases)
            return {v.casefold(), *((doc_attrs.get(key) or "").casefold(),)} if v else set()

        docs = {
            d.id: d for d in session.exec(select(Document).where(col(Document.id).in_({r[1] for r in rows})))
        }
        units: dict[int, list[tuple[int, int, str | None]]] = defaultdict(list)
        for doc_id, s, e, q in session.exec(
            select(Unit.document_id, Unit.start, Unit.end, Unit.question_key).where(
                col(Unit.document_id).in_(list(docs))
            )
        ):
            units[doc_id].append((s, e, q))
        out: list[RetrievedSegment] = []
        for sid, doc_id, s, e, memo, who, key in rows:
            if key not in wanted:
                continue
            place = by_place[(doc_id, who)]
            if mode == "all" and not all(_overlaps((s, e), place[k]) for k in wanted if k != key):
                continue
            if any(_overlaps((s, e), place[k]) for k in excluded):
                continue
            doc_attrs = attrs.get(doc_id, {})
            if attributes and not all(v.casefold() in reads(doc_attrs, k) for k, v in attributes.items()):
                continue
            questions = natural_sorted({q for us, ue, q in units[doc_id] if q and us < e and s < ue})
            if question and question not in questions:
                continue
            text = docs[doc_id].text
            out.append(
                {
                    "id": sid,
                    "document": docs[doc_id].name,
                    "coder": who,
                    "code": key,
                    "start": s,
                    "end": e,
                    "question": ", ".join(questions),
                    "role": getattr(role_reading(doc_attrs, settings), "role", None),
                    "city": attribute_value(doc_attrs, "City", aliases),
                    "text": text[s:e],
                    "memo": memo,
                    "before": text[max(0, s - context) : s],
                    "after": text[e : e + context],
                }
            )
        out.sort(key=lambda r: (r["document"], r["start"], r["end"], r["coder"], r["code"]))
        return out


def search_text(
    project: Project,
    pattern: str,
    *,
    regex: bool = False,
    ignore_case: bool = True,
    context: int = 40,
    limit: int = SEARCH_LIMIT,
    fold: bool = False,
) -> list[TextMatch]:
    """Every match of `pattern` (plain text or a regular expression) in every current document.
    `fold`: simplified and traditional characters match each other; offsets and the quoted
    match stay those of the stored text."""
    if fold:
        pattern = fold_variants(pattern)
    if not pattern:
        raise ValidationError(_("type something to search for"))
    try:
        compiled = re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ValidationError(
            _("invalid regular expression {pattern!r}: {exc}").format(pattern=pattern, exc=exc)
        ) from exc
    hits: list[TextMatch] = []
    with project.read() as session:
        for name, text in session.exec(select(Document.name, Document.text).order_by(Document.name)):
            for match in compiled.finditer(fold_variants(text) if fold else text):
                if match.end() == match.start():
                    continue
                hits.append(
                    {
                        "document": name,
                        "start": match.start(),
                        "end": match.end(),
                        "match": text[match.start() : match.end()],
                        "before": text[max(0, match.start() - context) : match.start()],
                        "after": text[match.end() : match.end() + context],
                    }
                )
                if len(hits) >= limit:
                    return hits
    return hits


def export_retrieved(
    project: Project, rows: Sequence[Mapping[str, Any]], path: Path, *, force: bool = False
) -> Path:
    """Write retrieved segments to .csv or .xlsx (an existing file is replaced only with `force`)."""
    table = ([row.get(c) for c in RETRIEVED_COLUMNS] for row in rows)
    write_table_output(
        project, path, RETRIEVED_COLUMNS, table, force=force, title="retrieved", wrap=("text", "memo")
    )
    return path
