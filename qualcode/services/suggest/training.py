"""`suggest train`: fit a suggester on people's coding and store it, with its provenance, in the project."""

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.i18n import _
from qualcode.services.codebook.sync import read_version
from qualcode.services.coders import MODEL_PREFIX
from qualcode.services.events import record
from qualcode.services.suggest.classifier import DEFAULT_PARAMS, Suggester, library_versions
from qualcode.services.suggest.labels import labelled_units
from qualcode.services.suggest.rows import ModelListing, ModelMeta, TrainedModel
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import Code, SuggestModel, utcnow


def model_coder_name(model_id: int) -> str:
    """The pseudo-coder name under which model `model_id`'s suggestions are stored (model:<id>)."""
    return f"{MODEL_PREFIX}{model_id}"


def codebook_hash(session: Session) -> str:
    """A hash of the codebook's keys, tree and definitions, so a model knows when its codebook changed."""
    rows = session.execute(
        sa.select(
            col(Code.key),
            col(Code.parent_id),
            col(Code.definition),
            col(Code.inclusion),
            col(Code.exclusion),
            col(Code.retired),
        ).order_by(col(Code.key))
    ).all()
    return hashlib.sha256(json.dumps([list(r) for r in rows], ensure_ascii=False).encode()).hexdigest()


def merged_params(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The training parameters: defaults overridden by the given ones. Refused for an unknown parameter or an
    out-of-range value."""
    params = dict(DEFAULT_PARAMS)
    for key, value in (overrides or {}).items():
        if key not in params:
            raise ValidationError(
                _("unknown suggester parameter {key!r} (known: {params})").format(
                    key=key, params=', '.join(params)
                )
            )
        if value is not None:
            params[key] = value
    if params["min_positive"] < 2:
        raise ValidationError(_("--min-positive must be at least 2"))
    return params


@dataclass
class StoredModel:
    id: int
    coder: str
    meta: dict[str, Any]
    suggester: Suggester


def load_model(session: Session, model_id: int | None = None) -> StoredModel:
    """A stored suggester: the given one, or the newest."""
    query = select(SuggestModel)
    row = (
        session.get(SuggestModel, model_id)
        if model_id is not None
        else session.exec(query.order_by(SuggestModel.id.desc())).first()  # type: ignore[union-attr]
    )
    if row is None:
        raise NotFoundError(
            "no trained suggester in this project (run `qualcode suggest train PROJECT` first)"
            if model_id is None
            else f"no suggester with id {model_id}"
        )
    assert row.id is not None
    return StoredModel(row.id, model_coder_name(row.id), json.loads(row.meta), Suggester.loads(row.blob))


def train(
    project: Project,
    *,
    source: str = "union",
    unit: str = "answer",
    params: dict[str, Any] | None = None,
    actor: str | None = None,
) -> TrainedModel:
    """Train one classifier per code on units people coded in documents they marked done, and
    store it in the project as a new model (pseudo-coder `model:<id>`). Returns its description."""
    chosen = merged_params(params)
    with project.read() as session:
        data = labelled_units(session, source, unit, viewer=actor)
        book_version, book_hash = read_version(session), codebook_hash(session)
    started = time.perf_counter()
    suggester = Suggester(chosen).fit(data.texts, data.labels)
    seconds = time.perf_counter() - started
    meta: ModelMeta = {
        "source": source,
        "unit": unit,
        "codebook_version": book_version,
        "codebook_hash": book_hash,
        "training_hash": data.training_hash(),
        "n_units": len(data.texts),
        "documents": sorted({data.units.label[i].rsplit(" ", 1)[0] for i in range(len(data.texts))}),
        "groups": data.group_kind,
        "codes_modelled": {k: int(data.labels[k].sum()) for k in suggester.classifiers},
        "codes_skipped": suggester.skipped,
        "libraries": library_versions(),
        "params": chosen,
        "trained_at": utcnow().isoformat(),
        "fit_seconds": round(seconds, 3),
    }
    if not suggester.classifiers:
        raise ValidationError(
            _(
                "no code has at least {min_positive} positive units in documents marked done; nothing was stored (code more, or lower --min-positive)"
            ).format(min_positive=chosen['min_positive'])
        )

    def work(session: Session) -> TrainedModel:
        row = SuggestModel(
            created_by=actor,
            source=source,
            unit=unit,
            meta=json.dumps(meta, ensure_ascii=False),
            blob=suggester.dumps(),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        record(
            session,
            actor=actor,
            action="suggest.train",
            entity="suggest_model",
            entity_id=row.id,
            after={k: meta[k] for k in ("source", "unit", "training_hash", "n_units")},
        )
        return {"id": row.id, "coder": model_coder_name(row.id), **meta}

    return project.transact(work)


def list_models(project: Project) -> list[ModelListing]:
    """Every trained suggester with its coder name, date, source, codes and measured quality."""
    with project.read() as session:
        rows = session.exec(select(SuggestModel.id, SuggestModel.created_at, SuggestModel.meta)).all()
    out: list[ModelListing] = []
    for model_id, created, meta_text in rows:
        meta = json.loads(meta_text)
        out.append(
            {
                "id": saved_id(model_id),
                "coder": model_coder_name(saved_id(model_id)),
                "created_at": created.isoformat(),
                "source": meta["source"],
                "unit": meta["unit"],
                "n_units": meta["n_units"],
                "codes_modelled": len(meta["codes_modelled"]),
                "codes_skipped": len(meta["codes_skipped"]),
            }
        )
    return out
