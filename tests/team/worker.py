"""Subprocess worker for the crash and concurrency tests (runs coding through the services).

    python tests/team_worker.py script PROJECT SEED COUNT START  # actions START+1.., "ack N" after each commit
    python tests/team_worker.py spans PROJECT CODER COUNT   # COUNT distinct add_segment calls

Kept importable: the crash test rebuilds the same script to know what must be present.
"""

import random
import sys
from typing import Any

Identity = tuple[str, str, str, int, int]  # coder, document, code, start, end

CODERS = ("alice", "bob")
DOCS = {"interview-01": 780, "interview-02": 1660, "interview-03": 660}  # lengths of support.TEXTS
CODE_KEYS = ("TAL.CURR", "TAL.TEACH", "TEC.LAB", "ADM.FUND", "GOV.COORD")


def make_script(seed: int, count: int) -> list[tuple[Any, ...]]:
    """A reproducible mix of adds (70 %), removals and memo edits over live segments."""
    rng = random.Random(seed)
    live: list[Identity] = []
    seen: set[Identity] = set()
    actions: list[tuple[Any, ...]] = []
    while len(actions) < count:
        roll = rng.random()
        if roll < 0.7 or len(live) < 5:
            doc = rng.choice(list(DOCS))
            start = rng.randrange(0, DOCS[doc] - 50)
            ident: Identity = (
                rng.choice(CODERS),
                doc,
                rng.choice(CODE_KEYS),
                start,
                start + rng.randrange(1, 50),
            )
            if ident in seen:
                continue
            seen.add(ident)
            live.append(ident)
            actions.append(("add", *ident))
        elif roll < 0.85:
            ident = live.pop(rng.randrange(len(live)))
            seen.discard(ident)
            actions.append(("remove", *ident))
        else:
            actions.append(("memo", *rng.choice(live), f"备忘 {len(actions)}"))
    return actions


def expected_state(actions: list[tuple[Any, ...]]) -> dict[Identity, str | None]:
    state: dict[Identity, str | None] = {}
    for action in actions:
        ident = tuple(action[1:6])
        if action[0] == "add":
            state[ident] = None  # type: ignore[index]
        elif action[0] == "remove":
            del state[ident]  # type: ignore[arg-type]
        else:
            state[ident] = action[6]  # type: ignore[index]
    return state


def stored_state(project: Any) -> dict[Identity, str | None]:
    from sqlmodel import select

    from qualcode.store.models import Code, Coder, Document, Segment

    with project.read() as session:
        rows = session.exec(
            select(Coder.name, Document.name, Code.key, Segment.start, Segment.end, Segment.memo).where(
                Segment.coder_id == Coder.id, Segment.document_id == Document.id, Segment.code_id == Code.id
            )
        ).all()
    return {(c, d, k, s, e): m for c, d, k, s, e, m in rows}


def _segment_id(project: Any, ident: Identity) -> int:
    from sqlmodel import select

    from qualcode.store.models import Code, Coder, Document, Segment

    coder, doc, code, start, end = ident
    with project.read() as session:
        return int(
            session.exec(
                select(Segment.id).where(
                    Segment.coder_id == Coder.id,
                    Coder.name == coder,
                    Segment.document_id == Document.id,
                    Document.name == doc,
                    Segment.code_id == Code.id,
                    Code.key == code,
                    Segment.start == start,
                    Segment.end == end,
                )
            ).one()
        )


def run_script(target: str, seed: int, count: int, start_at: int = 0) -> None:
    from qualcode.services.coding.segments import add_segment, remove_segment, update_segment
    from qualcode.store.db import open_project

    project = open_project(target)
    for number, action in enumerate(make_script(seed, count), start=1):
        if number <= start_at:
            continue
        kind, coder, doc, code, start, end = action[:6]
        if kind == "add":
            add_segment(project, coder=coder, document=doc, code=code, start=start, end=end)
        elif kind == "remove":
            remove_segment(project, coder=coder, document=doc, code=code, start=start, end=end)
        else:
            seg_id = _segment_id(project, (coder, doc, code, start, end))
            update_segment(project, coder=coder, segment_id=seg_id, memo=action[6])
        print(f"ack {number}", flush=True)


def run_spans(target: str, coder: str, count: int) -> None:
    """`count` distinct segments for `coder`; every process codes the same spans (other coder)."""
    from qualcode.services.coding.segments import add_segment
    from qualcode.store.db import open_project

    project = open_project(target)
    docs = list(DOCS)
    for i in range(count):
        doc = docs[i % len(docs)]
        start = i // len(docs)
        add_segment(
            project, coder=coder, document=doc, code=CODE_KEYS[i % len(CODE_KEYS)], start=start, end=start + 7
        )
    print("done", flush=True)


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    if mode == "script":
        run_script(target, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 0)
    elif mode == "spans":
        run_spans(target, sys.argv[3], int(sys.argv[4]))
    else:
        raise SystemExit(f"unknown mode {mode}")
