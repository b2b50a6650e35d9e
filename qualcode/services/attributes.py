"""Document attributes a lead can fix without re-importing: list, set, rename, alias.

Every change is an event with row snapshots, so `qualcode undo` reverses it like any other
lead edit. Aliases (e.g. `青山市` and `Qingshan` both read as `Qingshan City`) live in the
setting `attribute_aliases` and are applied wherever attributes are read (`core.attributes`).
"""

import json
from collections import Counter
from typing import Any

from sqlmodel import Session, col, select

from qualcode.core.attributes import (
    ROLE_VOCABULARY,
    RoleReading,
    attribute_value,
    document_role,
    same_key,
)
from qualcode.core.errors import ValidationError
from qualcode.services.coders import find_coder
from qualcode.services.events import new_group_id, record, snapshot
from qualcode.services.lookup import find_document
from qualcode.services.settings import read_setting
from qualcode.store.db import Project
from qualcode.store.mapped import id_of
from qualcode.store.models import Document, DocumentAttribute, Setting

ALIAS_SETTING = "attribute_aliases"
ROLE_ALIAS_SETTING = "role_aliases"
ROLE_SETTING = "role_attribute"


def value_aliases(settings: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The project's attribute value aliases ({key: {value: canonical value}})."""
    table = settings.get(ALIAS_SETTING)
    return table if isinstance(table, dict) else {}


def role_aliases(settings: dict[str, Any]) -> dict[str, str]:
    """The project's own role spellings ({"其他写法": "canonical role"})."""
    table = settings.get(ROLE_ALIAS_SETTING)
    return table if isinstance(table, dict) else {}


def role_reading(
    attrs: dict[str, str | None], settings: dict[str, Any], key: str | None = None
) -> RoleReading | None:
    """A document's role under the project's aliases and role vocabulary (None without a value)."""
    return document_role(
        attrs, value_aliases(settings), role_aliases(settings), key or settings.get(ROLE_SETTING) or "Role"
    )


def attribute_settings(session: Session) -> dict[str, Any]:
    """The settings that change how attributes read (aliases, role spellings, role attribute)."""
    return {k: read_setting(session, k) for k in (ALIAS_SETTING, ROLE_ALIAS_SETTING, ROLE_SETTING)}


def known_roles(settings: dict[str, Any]) -> list[str]:
    """The role vocabulary: the built-in roles and those the project's aliases point to."""
    return sorted(set(ROLE_VOCABULARY) | set(role_aliases(settings).values()))


def all_attributes(session: Session) -> dict[int, dict[str, str | None]]:
    out: dict[int, dict[str, str | None]] = {}
    for doc_id, key, value in session.exec(
        select(
            col(DocumentAttribute.document_id), col(DocumentAttribute.key), col(DocumentAttribute.value)
        ).order_by(col(DocumentAttribute.id))
    ):
        out.setdefault(doc_id, {})[key] = value
    return out


def unmapped_roles(session: Session) -> list[dict[str, Any]]:
    """Role values that match nothing in the role vocabulary, with the documents carrying them."""
    settings = attribute_settings(session)
    names = dict(session.exec(select(Document.id, Document.name)).all())
    found: dict[str, list[str]] = {}
    for doc_id, attrs in all_attributes(session).items():
        reading = role_reading(attrs, settings)
        if reading is not None and not reading.mapped:
            found.setdefault(reading.raw, []).append(names[doc_id])
    return [{"value": v, "documents": sorted(d)} for v, d in sorted(found.items())]


def list_attributes(project: Project) -> dict[str, Any]:
    """Every attribute key with its values (as stored and as read after aliases) and counts,
    the aliases, the role vocabulary and the role values that map to nothing."""
    with project.read() as session:
        settings = attribute_settings(session)
        aliases = value_aliases(settings)
        per_key: dict[str, Counter[tuple[str, str]]] = {}
        for attrs in all_attributes(session).values():
            for key, value in attrs.items():
                if value is None or not str(value).strip():
                    continue
                read = attribute_value(attrs, key, aliases) or ""
                per_key.setdefault(key, Counter())[(str(value), read)] += 1
        keys = []
        for key in sorted(per_key, key=str.casefold):
            values: list[dict[str, Any]] = [
                {"value": v, "reads_as": r, "documents": n} for (v, r), n in sorted(per_key[key].items())
            ]
            keys.append({"key": key, "documents": sum(x["documents"] for x in values), "values": values})
        return {
            "attributes": keys,
            "aliases": aliases,
            "role_vocabulary": known_roles(settings),
            "unmapped_roles": unmapped_roles(session),
        }


def _lead(session: Session, name: str) -> None:
    if find_coder(session, name).role != "lead":
        raise ValidationError(f"{name} is not a lead; only a lead can change document attributes")


def _clean(text: str, what: str) -> str:
    clean = " ".join(str(text).split())
    if not clean:
        raise ValidationError(f"the {what} cannot be empty")
    if len(clean) > 200 and what == "attribute name":
        raise ValidationError("an attribute name can be at most 200 characters")
    return clean


def _set_row(
    session: Session, doc_id: int, key: str, value: str | None, actor: str, group: str
) -> dict[str, Any] | None:
    """Write one attribute row (None: remove it) and record the event; None when nothing changed."""
    row = session.exec(
        select(DocumentAttribute).where(DocumentAttribute.document_id == doc_id, DocumentAttribute.key == key)
    ).first()
    before = snapshot(row) if row is not None else None
    if value is None:
        if row is None:
            return None
        session.delete(row)
        session.flush()
        after = None
    else:
        if row is not None and row.value == value:
            return None
        if row is None:
            row = DocumentAttribute(document_id=doc_id, key=key, value=value)
        else:
            row.value = value
        session.add(row)
        session.flush()
        after = snapshot(row)
    record(
        session,
        actor=actor,
        action="attribute.set",
        entity="document_attribute",
        entity_id=(after or before or {}).get("id"),
        before=before,
        after=after,
        group_id=group,
    )
    return {"key": key, "before": (before or {}).get("value"), "after": value}


def _stored_key(attrs: dict[str, str | None], key: str) -> str:
    """The key as this document stores it (Role or 身份), or `key` when it has none."""
    return next((k for k in attrs if k == key), next((k for k in attrs if same_key(key, k)), key))


def set_attribute(project: Project, document: str, key: str, value: str | None, by: str) -> dict[str, Any]:
    """Set (or with an empty value remove) one attribute of one document."""
    key = _clean(key, "attribute name")
    with project.write() as session:
        _lead(session, by)
        doc = find_document(session, document)
        attrs = all_attributes(session).get(id_of(doc), {})
        stored = _stored_key(attrs, key)
        clean = " ".join(str(value).split()) if value is not None else ""
        change = _set_row(session, id_of(doc), stored, clean or None, by, new_group_id())
        return {"document": doc.name, "key": stored, "value": clean or None, "changed": change is not None}


def rename_attribute(
    project: Project, key: str, old: str, new: str, by: str, *, rename_key: bool = False
) -> dict[str, Any]:
    """Rename a value of `key` in every document (or with `rename_key`, the key `old` to `new`)."""
    with project.write() as session:
        _lead(session, by)
        group = new_group_id()
        changed = []
        names = dict(session.exec(select(Document.id, Document.name)).all())
        for doc_id, attrs in sorted(all_attributes(session).items()):
            if rename_key:
                old_key, new_key = _clean(old, "attribute name"), _clean(new, "attribute name")
                if old_key not in attrs or old_key == new_key:
                    continue
                if new_key in attrs:
                    raise ValidationError(f"{names[doc_id]} already has an attribute {new_key!r}")
                value = attrs[old_key]
                _set_row(session, doc_id, old_key, None, by, group)
                _set_row(session, doc_id, new_key, value if value is not None else "", by, group)
                changed.append(names[doc_id])
                continue
            stored = _stored_key(attrs, key)
            if " ".join(str(attrs.get(stored) or "").split()) == " ".join(old.split()) and stored in attrs:
                if _set_row(session, doc_id, stored, _clean(new, "new value"), by, group):
                    changed.append(names[doc_id])
        if not changed:
            what = f"attribute {old!r}" if rename_key else f"value {old!r} of {key!r}"
            raise ValidationError(f"no document has the {what}")
        return {
            "documents": changed,
            "key": key,
            "old": old,
            "new": new,
            "renamed": "key" if rename_key else "value",
        }


def alias_values(project: Project, key: str, values: list[str], to: str, by: str) -> dict[str, Any]:
    """Make every value in `values` of attribute `key` read as `to` (one case written two ways)."""
    key, to = _clean(key, "attribute name"), _clean(to, "value")
    clean = [v for v in (" ".join(str(x).split()) for x in values) if v and v != to]
    if not clean:
        raise ValidationError("name at least one value to alias")
    with project.write() as session:
        _lead(session, by)
        row = session.get(Setting, ALIAS_SETTING)
        before = snapshot(row) if row is not None else None
        table: dict[str, dict[str, str]] = json.loads(row.value) if row is not None else {}
        for value in clean:
            table.setdefault(key, {})[value] = to
        if row is None:
            row = Setting(key=ALIAS_SETTING, value="")
        row.value = json.dumps(table, ensure_ascii=False, sort_keys=True)
        session.add(row)
        session.flush()
        record(
            session,
            actor=by,
            action="attribute.alias",
            entity="attribute_alias",
            before=before,
            after=snapshot(row),
        )
        return {"key": key, "values": clean, "reads_as": to, "aliases": table}
