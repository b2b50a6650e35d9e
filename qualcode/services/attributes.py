"""Document attributes a lead can fix without re-importing: list, set, rename, alias.

Every change is an event with row snapshots, so `qualcode undo` reverses it like any other
lead edit. Aliases (e.g. `青山市` and `Qingshan` both read as `Qingshan City`) live in the
setting `attribute_aliases` and are applied wherever attributes are read (`core.attributes`).
"""

import json
from collections import Counter
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from qualcode.core.attributes import (
    ROLE_VOCABULARY,
    RoleReading,
    attribute_value,
    document_role,
    same_key,
)
from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.services.coders import find_coder
from qualcode.services.events import new_group_id, record, snapshot
from qualcode.services.lookup import find_document
from qualcode.services.settings import read_setting
from qualcode.store.db import Project
from qualcode.store.mapped import id_of
from qualcode.store.models import Document, DocumentAttribute, Setting


class AttributeValue(TypedDict):
    """One stored value of an attribute, what it reads as after aliases, and in how many documents."""

    value: str
    reads_as: str
    documents: int


class AttributeKey(TypedDict):
    """One attribute key with its values."""

    key: str
    documents: int
    values: list[AttributeValue]


class UnmappedRole(TypedDict):
    """A role value that matches nothing in the role vocabulary, and the documents carrying it."""

    value: str
    documents: list[str]


class AttributeListing(TypedDict):
    """What `attributes list` prints."""

    attributes: list[AttributeKey]
    aliases: dict[str, dict[str, str]]  # key -> {value: canonical value}
    role_vocabulary: list[str]
    unmapped_roles: list[UnmappedRole]


class AttributeSet(TypedDict):
    """One document's attribute after `attributes set`; `changed` says whether anything was written."""

    document: str
    key: str  # as the document stores it (Role or 身份)
    value: str | None
    changed: bool


class AttributeRenamed(TypedDict):
    """A value (or with `renamed` "key", a key) renamed in every document that had it."""

    documents: list[str]
    key: str
    old: str
    new: str
    renamed: str  # value | key


class ValuesAliased(TypedDict):
    """Values of an attribute that now read as one, and the project's whole alias table."""

    key: str
    values: list[str]
    reads_as: str
    aliases: dict[str, dict[str, str]]


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
    """Every document's attributes as {document id: {key: value}}, in the order they were stored."""
    out: dict[int, dict[str, str | None]] = {}
    for doc_id, key, value in session.exec(
        select(
            col(DocumentAttribute.document_id), col(DocumentAttribute.key), col(DocumentAttribute.value)
        ).order_by(col(DocumentAttribute.id))
    ):
        out.setdefault(doc_id, {})[key] = value
    return out


def unmapped_roles(session: Session) -> list[UnmappedRole]:
    """Role values that match nothing in the role vocabulary, with the documents carrying them."""
    settings = attribute_settings(session)
    names = dict(session.exec(select(Document.id, Document.name)).all())
    found: dict[str, list[str]] = {}
    for doc_id, attrs in all_attributes(session).items():
        reading = role_reading(attrs, settings)
        if reading is not None and not reading.mapped:
            found.setdefault(reading.raw, []).append(names[doc_id])
    return [{"value": v, "documents": sorted(d)} for v, d in sorted(found.items())]


def list_attributes(project: Project) -> AttributeListing:
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
        keys: list[AttributeKey] = []
        for key in sorted(per_key, key=str.casefold):
            values: list[AttributeValue] = [
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
        raise ValidationError(
            _("{name} is not a lead; only a lead can change document attributes").format(name=name)
        )


def _clean(text: str, what: str) -> str:
    clean = " ".join(str(text).split())
    if not clean:
        raise ValidationError(_("the {what} cannot be empty").format(what=what))
    if len(clean) > 200 and what == "attribute name":
        raise ValidationError(_("an attribute name can be at most 200 characters"))
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


def set_attribute(project: Project, document: str, key: str, value: str | None, by: str) -> AttributeSet:
    """Set (or with an empty value remove) one attribute of one document."""
    key = _clean(key, "attribute name")

    def _work(session: Session) -> AttributeSet:
        _lead(session, by)
        doc = find_document(session, document)
        attrs = all_attributes(session).get(id_of(doc), {})
        stored = _stored_key(attrs, key)
        clean = " ".join(str(value).split()) if value is not None else ""
        change = _set_row(session, id_of(doc), stored, clean or None, by, new_group_id())
        return {"document": doc.name, "key": stored, "value": clean or None, "changed": change is not None}

    return project.transact(_work)


def rename_attribute(
    project: Project, key: str, old: str, new: str, by: str, *, rename_key: bool = False
) -> AttributeRenamed:
    """Rename a value of `key` in every document (or with `rename_key`, the key `old` to `new`)."""

    def _work(session: Session) -> AttributeRenamed:
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
                    raise ValidationError(
                        _("{names} already has an attribute {new_key!r}").format(
                            names=names[doc_id], new_key=new_key
                        )
                    )
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
            raise ValidationError(_("no document has the {what}").format(what=what))
        return {
            "documents": changed,
            "key": key,
            "old": old,
            "new": new,
            "renamed": "key" if rename_key else "value",
        }

    return project.transact(_work)


def alias_values(project: Project, key: str, values: list[str], to: str, by: str) -> ValuesAliased:
    """Make every value in `values` of attribute `key` read as `to` (one case written two ways)."""
    key, to = _clean(key, "attribute name"), _clean(to, "value")
    clean = [v for v in (" ".join(str(x).split()) for x in values) if v and v != to]
    if not clean:
        raise ValidationError(_("name at least one value to alias"))

    def _work(session: Session) -> ValuesAliased:
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

    return project.transact(_work)
