"""`suggest apply`: the stored suggester proposes codes for units, written to its own layer."""

from sqlmodel import Session, select

from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.services.lookup import find_code, find_document
from qualcode.services.suggest.labels import document_units, unit_texts
from qualcode.services.suggest.layer import Proposal, write_proposals
from qualcode.services.suggest.rows import ModelApplied
from qualcode.services.suggest.training import load_model
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import Code, Document, utcnow


def resolve_documents(session: Session, docs: list[str] | None) -> list[int]:
    """The ids of the named documents, or of every document by name. Refused for an unknown name."""
    if docs:
        return [find_document(session, d).id for d in docs]  # type: ignore[misc]
    return list(session.exec(select(Document.id).order_by(Document.name)).all())  # type: ignore[arg-type]


def apply_model(
    project: Project,
    *,
    model_id: int | None = None,
    docs: list[str] | None = None,
    codes: list[str] | None = None,
    min_probability: float | None = None,
    actor: str | None = None,
) -> ModelApplied:
    """Write the model's suggestions for every unit of the chosen documents as segments of
    `model:<id>`, where its probability reaches `min_probability` (default: each code's own
    threshold, as in `evaluate`); replaces that model's unreviewed suggestions there."""
    if min_probability is not None and not 0.0 <= min_probability <= 1.0:
        raise ValidationError(
            _("--min-probability must be between 0 and 1, not {min_probability}").format(
                min_probability=min_probability
            )
        )
    with project.read() as session:
        model = load_model(session, model_id)
        doc_ids = resolve_documents(session, docs)
        wanted = list(model.suggester.classifiers)
        if codes:
            for key in codes:
                find_code(session, key)
            unmodelled = [k for k in codes if k not in model.suggester.classifiers]
            if unmodelled:
                skipped = model.meta["codes_skipped"]
                why = "; ".join(f"{k}: {skipped.get(k, 'not in the training data')}" for k in unmodelled)
                raise ValidationError(
                    _("model {id} has no classifier for {unmodelled} ({why})").format(
                        id=model.id, unmodelled=', '.join(unmodelled), why=why
                    )
                )
            wanted = list(dict.fromkeys(codes))
        code_ids = {
            k: saved_id(i) for i, k in session.exec(select(Code.id, Code.key)).all() if k in set(wanted)
        }
        units = document_units(session, doc_ids, model.meta["unit"])
        texts = unit_texts(session, units)
    probabilities = model.suggester.predict(texts)
    applies = (
        model.suggester.applies(probabilities)
        if min_probability is None
        else {k: p >= min_probability for k, p in probabilities.items()}
    )
    provenance = {
        "backend": "offline",
        "model": model.id,
        "training_hash": model.meta["training_hash"],
        "codebook_hash": model.meta["codebook_hash"],
        "applied_at": utcnow().isoformat(),
    }
    proposals = []
    for key in wanted:
        if key not in code_ids:  # retired or removed since training
            continue
        for u in applies[key].nonzero()[0].tolist():
            proposals.append(
                Proposal(
                    int(units.doc[u]),
                    code_ids[key],
                    int(units.start[u]),
                    int(units.end[u]),
                    round(float(probabilities[key][u]), 6),
                    provenance,
                )
            )

    def work(session: Session) -> ModelApplied:
        counts = write_proposals(session, model.coder, proposals, replace_open_in=set(doc_ids), actor=actor)
        return {
            "model": model.id,
            "coder": model.coder,
            "documents": len(doc_ids),
            "units": len(texts),
            **counts,
        }

    return project.transact(work)
