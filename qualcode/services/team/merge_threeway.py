"""Planning a three-way merge of an offline copy that shares history with the target.

The copy's own changes are the events of its log the target does not have (events keep
their GUID in every copy, so a plain folder copy works). For every row those events touch,
the `before` of the first one is the row as it was when the copy split off (the base).
Comparing base, copy and target decides, per row:

* copy unchanged since the split, or already equal to the target: nothing to do;
* target unchanged since the split: the copy's version is applied (add, edit, removal);
* both changed it differently: a conflict, listed and left as the target has it.

A code removal that would orphan the target's coding, and coding whose code the target
removed, are conflicts too. Conflicts are settled one by one or by a policy (see
`decide`); their events stay unmerged until then, so the next merge lists them again.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qualcode.services.coders import check_coder_name, is_pseudo_coder
from qualcode.services.team.merge_plan import MergeConflictError
from qualcode.services.team.merge_state import KINDS, Key, LoggedEvent, State
from qualcode.store.models import new_guid

CHANGED_ON_BOTH = "changed_on_both_sides"
REMOVED_AND_EDITED = "removed_and_edited"
ORPHANS = "codebook_orphans"
SIDES = ("target", "source")
UNTOUCHED = {"status": "in_progress"}


@dataclass
class Change:
    key: Key
    target: dict[str, Any] | None  # the target's row now (None: absent)
    source: dict[str, Any] | None  # what it becomes (None: removed)
    at: datetime


@dataclass
class Conflict:
    id: str
    kind: str
    key: Key
    base: dict[str, Any] | None
    target: dict[str, Any] | None
    source: dict[str, Any] | None


@dataclass
class ThreeWayPlan:
    source: str
    own_events: list[LoggedEvent]
    coder_map: dict[str, str] = field(default_factory=dict)  # source coder guid -> target coder guid
    coder_names: dict[str, str] = field(default_factory=dict)  # source name -> target name
    new_coders: list[tuple[str, str, str]] = field(default_factory=list)  # guid, name, role
    changes: list[Change] = field(default_factory=list)
    already: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    settled: list[tuple[Conflict, str]] = field(default_factory=list)
    merged_events: list[LoggedEvent] = field(default_factory=list)


def conflict_id(key: Key) -> str:
    kind, ident = key
    if kind == "status":
        return f"status:{ident[0][:12]}:{ident[1]}"
    return f"{kind}:{ident}"


def map_coders(plan: ThreeWayPlan, target: State, source: State, mapping: dict[str, str]) -> None:
    """Match coders by the GUID each copy carries; a name alone never decides."""
    by_name = {info["name"]: guid for guid, info in target.coders.items()}
    problems = []
    for guid, info in sorted(source.coders.items(), key=lambda item: item[1]["name"]):
        name = info["name"]
        check_coder_name(mapping.get(name, name))  # a copy may hold names this project refuses
        if name in mapping or guid not in target.coders:
            wanted = mapping.get(name, name)
            if wanted in by_name and (name in mapping or is_pseudo_coder(name)):
                plan.coder_map[guid] = by_name[wanted]
            elif wanted in by_name:
                problems.append(
                    f"coder {name!r} of {plan.source} is not the {name!r} of the target (each was added "
                    f"separately); if they are one person say so with --map-coder {name}={name}, "
                    f"otherwise keep them apart with --map-coder {name}=ANOTHER_NAME"
                )
                continue
            else:
                new = (guid if guid not in target.coders else new_guid(), wanted, info["role"])
                plan.new_coders.append(new)
                plan.coder_map[guid] = new[0]
                by_name[wanted] = new[0]
                target.coders[new[0]] = {"name": wanted, "role": info["role"]}
        else:
            plan.coder_map[guid] = guid
        plan.coder_names[name] = target.coders[plan.coder_map[guid]]["name"]
    if problems:
        raise MergeConflictError("merge refused, nothing was changed: " + "; ".join(problems))


def _remap(plan: ThreeWayPlan, key: Key, value: dict[str, Any] | None) -> tuple[Key, dict[str, Any] | None]:
    kind, ident = key
    if kind == "status":
        key = (kind, (ident[0], plan.coder_map.get(ident[1], ident[1])))
    if value is not None and value.get("coder") is not None and kind in ("segment", "memo"):
        value = value | {"coder": plan.coder_map.get(value["coder"], value["coder"])}
    return key, value


@dataclass
class _Track:
    base: dict[str, Any] | None
    events: list[LoggedEvent]


def plan_threeway(
    plan: ThreeWayPlan,
    target: State,
    source: State,
    decisions: dict[str, str],
    policy: str | None,
) -> None:
    """Fill `plan` with the changes to apply and the conflicts to show."""
    tracks: dict[Key, _Track] = {}
    loose: list[LoggedEvent] = []  # events about nothing the three-way compare tracks
    for event in plan.own_events:
        kind = KINDS.get(event.entity)
        snap = event.before or event.after
        key = source.key(kind, snap) if kind is not None and snap is not None else None
        if key is None:
            loose.append(event)
            continue
        key, base = _remap(plan, key, source.value(kind, event.before) if event.before else None)  # type: ignore[arg-type]
        track = tracks.setdefault(key, _Track(base, []))
        track.events.append(event)
    now = {_remap(plan, k, v)[0]: _remap(plan, k, v)[1] for k, v in source.rows.items()}
    open_conflicts: list[tuple[Conflict, list[LoggedEvent]]] = []
    settled_events: list[LoggedEvent] = list(loose)
    for key, track in sorted(tracks.items(), key=lambda item: item[1].events[-1].id):
        base, theirs, ours = track.base, now.get(key), target.rows.get(key)
        if key[0] == "status" and ours is None and base == UNTOUCHED:
            ours = base  # coding a document starts its status without an event of its own
        at = track.events[-1].at
        if theirs == base or theirs == ours:
            plan.already += theirs != base
            settled_events += track.events
        elif ours == base:
            plan.changes.append(Change(key, ours, theirs, at))
        else:
            kind = CHANGED_ON_BOTH if theirs is not None and ours is not None else REMOVED_AND_EDITED
            open_conflicts.append((Conflict(conflict_id(key), kind, key, base, ours, theirs), track.events))
    open_conflicts += _orphans(plan, target, tracks)
    for change in plan.changes:  # those left after the orphan check
        settled_events += tracks[change.key].events
    for conflict, events in open_conflicts:
        side = decisions.get(conflict.id) or policy
        if side is None:
            plan.conflicts.append(conflict)
            continue
        plan.settled.append((conflict, side))
        settled_events += events
        if side == "source":
            plan.changes += _take_source(conflict, target, now, events[-1].at if events else datetime.now())
    plan.merged_events = sorted(settled_events, key=lambda e: e.id)
    plan.changes.sort(key=lambda c: c.at)


def _orphans(
    plan: ThreeWayPlan, target: State, tracks: dict[Key, _Track]
) -> list[tuple[Conflict, list[LoggedEvent]]]:
    """Codebook changes on one side that would leave the other side's coding without its code."""
    out: list[tuple[Conflict, list[LoggedEvent]]] = []
    after = dict(target.rows)
    for change in plan.changes:
        after[change.key] = change.source
    codes = {k[1] for k, v in after.items() if k[0] == "code" and v is not None}
    kept: list[Change] = []
    for change in plan.changes:
        kind, ident = change.key
        value = change.source
        problem = False
        if kind == "code" and value is None:
            problem = any(
                v is not None
                and (
                    (k[0] == "segment" and v["code"] == ident)
                    or (k[0] == "memo" and v["target_type"] == "code" and v["target"] == ident)
                    or (k[0] == "code" and v["parent"] == ident)
                )
                for k, v in after.items()
            )
        elif kind == "code" and value is not None:
            problem = any(  # the key now names another code
                k[0] == "code" and k[1] != ident and v is not None and v["key"] == value["key"]
                for k, v in after.items()
            )
        elif kind == "segment" and value is not None:
            problem = value["code"] not in codes
        elif kind == "memo" and value is not None and value["target_type"] == "code":
            problem = value["target"] not in codes
        if problem:
            conflict = Conflict(
                conflict_id(change.key), ORPHANS, change.key, tracks[change.key].base, change.target, value
            )
            out.append((conflict, tracks[change.key].events))
        else:
            kept.append(change)
    plan.changes = kept
    return out


def _take_source(
    conflict: Conflict, target: State, now: dict[Key, dict[str, Any] | None], at: datetime
) -> list[Change]:
    kind, ident = conflict.key
    if conflict.kind != ORPHANS:
        return [Change(conflict.key, conflict.target, conflict.source, at)]
    if kind == "code" and conflict.source is None:
        # the copy removed a code the target still codes with: retire it instead, keeping the coding
        assert conflict.target is not None
        return [Change(conflict.key, conflict.target, conflict.target | {"retired": True}, at)]
    if kind == "code":
        return []  # the key is taken by another code in the target: only a rename there can settle it
    needed = conflict.source["code"] if kind == "segment" else conflict.source["target"]  # type: ignore[index]
    changes = []
    code = now.get(("code", needed))
    if code is not None and ("code", needed) not in target.rows:
        changes.append(Change(("code", needed), None, code | {"parent": _kept_parent(code, target)}, at))
    return changes + [Change(conflict.key, conflict.target, conflict.source, at)]


def _kept_parent(code: dict[str, Any], target: State) -> str | None:
    parent = code.get("parent")
    return parent if parent is not None and ("code", parent) in target.rows else None
