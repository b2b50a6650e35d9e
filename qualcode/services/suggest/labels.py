"""What a suggester learns from and is measured on: units people coded, with their codes.

Units and presence come from the agreement engine's own loaders (`services/agreement/data.py`),
so the model sees exactly the units that `agree --unit answer|sentence` compares, and the
missing-data rule is the same: a coder's values count only in documents that coder marked done.
"""

import hashlib
import json
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, select

from qualcode.core.errors import ValidationError
from qualcode.i18n import N_, _
from qualcode.services.agreement.data import (
    Frame,
    Units,
    done_per_unit,
    load_frame,
    load_units,
    presence,
)
from qualcode.services.coders import CONSENSUS, is_pseudo_coder
from qualcode.services.settings import read_setting
from qualcode.store.models import Case, CaseMember, Coder, Document, DocumentAttribute

SOURCES_HELP = "consensus, union (any coder who marked the document done), or one coder's name"
UNIT_KINDS = ("answer", "sentence")
RESPONDENT_KEYS = ("respondent", "受访者", "interviewee", "speaker")


@dataclass
class Labelled:
    """Units with text, the group each belongs to, and the training labels per code key."""

    source: str
    unit_kind: str
    units: Units
    texts: list[str]
    groups: list[str]
    group_kind: str
    labels: dict[str, np.ndarray]  # code key -> bool per unit
    humans: list[str]
    human_values: np.ndarray  # codes x humans x units, bool
    human_done: np.ndarray  # humans x units, bool
    consensus: np.ndarray | None  # codes x units, bool, where consensus coded the document
    consensus_done: np.ndarray | None  # units, bool
    code_keys: list[str]

    def training_hash(self) -> str:
        h = hashlib.sha256()
        for i, text in enumerate(self.texts):
            h.update(text.encode("utf-8"))
            h.update(json.dumps(sorted(k for k, y in self.labels.items() if y[i])).encode())
        return h.hexdigest()


def unit_texts(session: Session, units: Units) -> list[str]:
    """The text of each unit, in unit order, as the classifier reads it."""
    ids = sorted(set(units.doc.tolist()))
    text = {d: t for d, t in session.exec(select(Document.id, Document.text)).all() if d in set(ids)}
    return [
        text[d][s:e]
        for d, s, e in zip(units.doc.tolist(), units.start.tolist(), units.end.tolist(), strict=True)
    ]


def document_groups(session: Session, doc_ids: list[int]) -> tuple[str, dict[int, str]]:
    """The group of each document for grouped folds: its case (the project's case attribute, or
    case membership), else its respondent attribute, else the document itself (one interview is
    one respondent)."""
    wanted = set(doc_ids)
    attrs: dict[int, dict[str, str]] = {}
    for d, k, v in session.exec(
        select(DocumentAttribute.document_id, DocumentAttribute.key, DocumentAttribute.value)
    ):
        if d in wanted and v:
            attrs.setdefault(d, {})[k.strip().lower()] = v
    case_attr = read_setting(session, "case_attribute")
    if case_attr:
        key = str(case_attr).strip().lower()
        if all(key in attrs.get(d, {}) for d in doc_ids):
            return f"case ({case_attr})", {d: attrs[d][key] for d in doc_ids}
    members = {
        d: name
        for d, name in session.exec(
            select(CaseMember.document_id, Case.name).where(CaseMember.case_id == Case.id)
        ).all()
        if d in wanted
    }
    if doc_ids and all(d in members for d in doc_ids):
        return "case", members
    for key in RESPONDENT_KEYS:
        if doc_ids and all(key in attrs.get(d, {}) for d in doc_ids):
            return f"respondent ({key})", {d: attrs[d][key] for d in doc_ids}
    names = dict(session.exec(select(Document.id, Document.name)).all())
    return DOCUMENT_GROUPS, {d: names[d] for d in doc_ids}


DOCUMENT_GROUPS = "document (one interview, one respondent)"


def group_label(kind: str) -> str:
    """What the folds were grouped by (`document_groups`' first value, English in JSON) as a
    person reads it in the interface language."""
    for prefix, sentence in (
        ("case (", N_("case ({attribute})")),
        ("respondent (", N_("respondent ({attribute})")),
    ):
        if kind.startswith(prefix) and kind.endswith(")"):
            return _(sentence).format(attribute=kind[len(prefix) : -1])
    return {"case": _("case"), DOCUMENT_GROUPS: _("document (one interview, one respondent)")}.get(kind, kind)


def _coders(session: Session) -> tuple[list[str], bool]:
    names = list(session.exec(select(Coder.name).order_by(Coder.name)).all())
    return [n for n in names if not is_pseudo_coder(n)], CONSENSUS in names


def labelled_units(
    session: Session, source: str, unit_kind: str, codes: list[str] | None = None, viewer: str | None = None
) -> Labelled:
    """Units from documents people marked done, labelled by `source`. It reads everyone's coding,
    so in blind mode only a lead (`viewer`) may."""
    if unit_kind not in UNIT_KINDS:
        raise ValidationError(
            _("--unit must be one of {UNIT_KINDS}, not {unit_kind!r}").format(
                UNIT_KINDS=', '.join(UNIT_KINDS), unit_kind=unit_kind
            )
        )
    humans, has_consensus = _coders(session)
    if source not in ("consensus", "union") and source not in humans:
        raise ValidationError(
            _("--from must be {SOURCES_HELP}; {source!r} is none of them").format(
                SOURCES_HELP=SOURCES_HELP, source=source
            )
        )
    if source == "consensus" and not has_consensus:
        raise ValidationError(
            _("--from consensus: nobody has adjudicated yet (use --from union or a coder's name)")
        )
    names = humans + ([CONSENSUS] if has_consensus else [])
    if len(names) < 2:
        raise ValidationError(
            _(
                "a suggester is trained and measured against people: it needs coding from at least two coders (or one coder and consensus) in documents marked done"
            )
        )
    frame: Frame = load_frame(session, coders=names, codes=codes, viewer=viewer)
    units = load_units(session, frame, unit_kind)
    values = presence(frame, units)  # codes x coders x units
    done = done_per_unit(frame, units)
    # People who marked none of these documents done have no values to learn from or compare.
    humans = [n for n in humans if done[frame.coders.index(n)].any()]
    h_idx = [frame.coders.index(n) for n in humans]
    human_values, human_done = values[:, h_idx, :], done[h_idx, :]
    consensus = consensus_done = None
    if has_consensus:
        ci = frame.coders.index(CONSENSUS)
        consensus, consensus_done = values[:, ci, :], done[ci, :]
    if source == "consensus":
        keep = consensus_done
        y = consensus
    elif source == "union":
        keep = np.asarray(human_done.any(axis=0))
        y = np.asarray((human_values & human_done[None, :, :]).any(axis=1))
    else:
        i = humans.index(source)
        keep, y = human_done[i], human_values[:, i, :]
    assert keep is not None and y is not None
    if not keep.any():
        raise ValidationError(
            _("--from {source}: no units in documents marked done to learn from").format(source=source)
        )
    sel = np.flatnonzero(keep)
    units = Units(units.kind, units.doc[sel], units.start[sel], units.end[sel], [units.label[i] for i in sel])
    group_kind, by_doc = document_groups(session, sorted(set(units.doc.tolist())))
    keys = [c.key for c in frame.codes]
    return Labelled(
        source=source,
        unit_kind=unit_kind,
        units=units,
        texts=unit_texts(session, units),
        groups=[by_doc[d] for d in units.doc.tolist()],
        group_kind=group_kind,
        labels={k: y[i, sel] for i, k in enumerate(keys)},
        humans=humans,
        human_values=human_values[:, :, sel],
        human_done=human_done[:, sel],
        consensus=None if consensus is None else consensus[:, sel],
        consensus_done=None if consensus_done is None else consensus_done[sel],
        code_keys=keys,
    )


def document_units(session: Session, doc_ids: list[int], unit_kind: str) -> Units:
    """Every unit of the given documents (done or not), by the agreement engine's unit rule."""
    docs = session.exec(select(Document.id, Document.name, Document.length).order_by(Document.name)).all()
    docs = [d for d in docs if d[0] in set(doc_ids)]
    order = [d[0] for d in docs]
    frame = Frame(
        coders=["all"],
        coder_ids=[0],
        excluded_coders=[],
        codes=[],
        doc_names={d[0]: d[1] for d in docs},
        doc_lengths={d[0]: d[2] for d in docs},
        done=np.ones((len(order), 1), dtype=bool),
        doc_order=order,
        seg_doc=np.zeros(0, dtype=np.int64),
        seg_coder=np.zeros(0, dtype=np.int64),
        seg_code=np.zeros(0, dtype=np.int64),
        seg_start=np.zeros(0, dtype=np.int64),
        seg_end=np.zeros(0, dtype=np.int64),
        seg_id=np.zeros(0, dtype=np.int64),
    )
    return load_units(session, frame, unit_kind)
